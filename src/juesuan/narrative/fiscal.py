"""财政拨款支出 within what the year's 收支 allow, as the 情况说明 states them: the 一般公共预算
and 政府性基金 财政拨款支出 of 五 and 六 are part of 本年支出, this year and last year (the bases
implied by the changes stated with each amount)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from juesuan.model.codes import normalize_name
from juesuan.narrative.audit import ZERO, Audit, Hit, hit
from juesuan.narrative.claims import Claim, ClaimKind, is_budget, scope_of
from juesuan.narrative.rates import is_up
from juesuan.narrative.statements import (
    MONEY,
    Reading,
    balanced_roles,
    fmt,
    money,
    reading,
    short_subject,
    wan,
)
from juesuan.rules.finding import Severity


def _plain_amount(c: Claim, scopes: tuple[str, ...]) -> bool:
    return c.scope in scopes and money(c) and not is_budget(c.subject) and not c.item


def _first(a: Audit, scopes: tuple[str, ...], pattern: re.Pattern[str]) -> Claim | None:
    for c in a.claims:
        if _plain_amount(c, scopes) and pattern.search(normalize_name(c.subject)):
            return c
    return None


_SPENDING = re.compile(r"本年支出(?:合计)?$")
_FISCAL_INCOME = re.compile(r"^(?:\d\.)?财政拨款收入$")
_GPB = re.compile(r"(?:公共财政|一般公共预算(?:财政)?)拨款支出$")
_FUND = re.compile(r"政府性基金(?:预算财政拨款)?支出$")
_CAPITAL = re.compile(r"国有资本经营(?:预算财政拨款)?支出$")


def _last_year(a: Audit, c: Claim, r: Reading) -> tuple[Decimal, Decimal, Claim] | None:
    """Last year's figure implied by the change stated with an amount ("支出 1023.52 万元，比
    2015 年决算数增加 96.16 万元"): in its sentence, or in the next one when that one opens
    with the change ("（一）…基金支出 54.00 万元…。比 2015 年决算数增加 41 万元")."""
    by_sentence = a.by_sentence()
    same = by_sentence.get((c.section, c.sentence), [])
    after = [x for x in same if x.start > c.start]
    change = next((x for x in after if x.kind is ClaimKind.CHANGE), None)
    if change is not None and any(money(x) and x.start < change.start for x in after):
        return None  # another amount comes first: the change is that one's
    if change is None:
        keys = [k for k in by_sentence if k[0] == c.section]
        i = keys.index((c.section, c.sentence))
        following = by_sentence[keys[i + 1]] if i + 1 < len(keys) else []
        if following and following[0].kind is ClaimKind.CHANGE and not following[0].subject:
            change = following[0]
    if change is None or change.unit not in MONEY:
        return None
    up = is_up(change.direction)
    if up is None:
        return None
    value, half = wan(c, r)
    delta, delta_h = wan(change, r)
    return (value - delta if up else value + delta), half + delta_h, change


def _with_change(a: Audit, scopes: tuple[str, ...], pattern: re.Pattern[str]) -> Claim | None:
    """The first statement of a quantity that says how it changed from last year."""
    r = reading(a)
    for c in a.claims:
        named = _plain_amount(c, scopes) and pattern.search(normalize_name(c.subject))
        if named and _last_year(a, c, r) is not None:
            return c
    return None


def check_fiscal(a: Audit) -> Iterator[Hit]:
    """The 财政拨款支出 of 五 and 六 (一般公共预算 + 政府性基金) are part of 本年支出:
    they cannot exceed it, this year or last year (the bases implied by the stated changes);
    and since spending beyond them is paid from non-fiscal income or carry-over, they cannot
    fall below 本年支出 − (本年收入 − 财政拨款收入) − 年初结转和结余 − 事业基金弥补."""
    r = reading(a)
    spending = _first(a, ("overall",), _SPENDING)
    gpb = _first(a, ("gpb",), _GPB)
    if spending is None or gpb is None:
        return
    fund = _first(a, ("fund",), _FUND)
    capital = _first(a, ("capital",), _CAPITAL)
    s, s_h = wan(spending, r)
    g, g_h = wan(gpb, r)
    f, f_h = wan(fund, r) if fund else (ZERO, ZERO)
    k, k_h = wan(capital, r) if capital else (ZERO, ZERO)
    fiscal, fiscal_h = g + f + k, g_h + f_h + k_h
    named = "、".join(x.text for x in (gpb, fund, capital) if x is not None)
    if fiscal - (s + s_h) > fiscal_h:
        yield hit(
            gpb,
            expected=f"≤ {spending.text}",
            problem=f"财政拨款支出（{named}）合计 {fmt(fiscal)}，超过本年支出 {spending.text}",
        )
        return
    balance = balanced_roles(a, r)
    fiscal_income = _first(a, ("overall", "income"), _FISCAL_INCOME)
    known_funds = (fund is not None or not _has_scope(a, "fund")) and (
        capital is not None or not _has_scope(a, "capital")
    )
    if balance is not None and fiscal_income is not None and known_funds:
        # the stated balance holds: every resource the year's spending drew on is stated
        i, i_h = wan(balance["income"], r)
        o, o_h = wan(balance["opening"], r)
        fi, fi_h = wan(fiscal_income, r)
        cover = balance.get("cover")
        cv, cv_h = wan(cover, r) if cover else (ZERO, ZERO)
        floor = s - max(ZERO, i - fi) - o - cv
        floor_h = s_h + i_h + fi_h + o_h + cv_h
        if floor - fiscal > floor_h + fiscal_h:
            yield hit(
                gpb,
                Severity.WARNING,
                expected=f"≥ {fmt(floor)}",
                problem=f"本年支出 {spending.text} 中，非财政拨款资金最多为其他收入 "
                f"{fmt(max(ZERO, i - fi))} 与年初结转和结余 {balance['opening'].text} 之和，"
                f"财政拨款支出应不少于 {fmt(floor)}，而所述财政拨款支出（{named}）为 "
                f"{fmt(fiscal)}",
            )
            return
    yield from _fiscal_last_year(a, r)


def _has_scope(a: Audit, scope: str) -> bool:
    """Does the 情况说明 have a section of that scope (stating a figure or not)?"""
    return any(scope_of(s.title) == scope for s in a.report.sections)


def _fiscal_last_year(a: Audit, r: Reading) -> Iterator[Hit]:
    spending = _with_change(a, ("overall",), _SPENDING)
    gpb = _with_change(a, ("gpb",), _GPB)
    if spending is None or gpb is None:
        return
    fund = _with_change(a, ("fund",), _FUND)
    s_last = _last_year(a, spending, r)
    g_last = _last_year(a, gpb, r)
    f_last = _last_year(a, fund, r) if fund is not None else None
    if s_last is None or g_last is None:
        return
    f_value, f_h = f_last[:2] if f_last is not None else (ZERO, ZERO)
    fiscal = g_last[0] + f_value
    if fiscal - s_last[0] > s_last[1] + g_last[1] + f_h:
        funds = f"与政府性基金支出 {fmt(f_value)} " if f_last is not None and f_value else ""
        yield hit(
            g_last[2],
            Severity.WARNING,
            expected=f"上年财政拨款支出 ≤ {fmt(s_last[0])}",
            problem=f"按所述增减额，上年{short_subject(gpb.subject)}为 {fmt(g_last[0])}，{funds}"
            f"合计 {fmt(fiscal)}，超过上年本年支出 {fmt(s_last[0])}",
        )
