"""Checks of the rates the narrative states: 增加/减少 Δ with 增长/下降 P% against the figure
they follow (and last year's figure, stated or derived, within rounding), and 完成预算的 P%
against the budget the sentence (or table 07) gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from juesuan.model.codes import normalize_name
from juesuan.narrative.audit import (
    Audit,
    Hit,
    hit,
    pct,
    pct_ok,
    places,
    ratio_interval,
    wan,
    yuan,
)
from juesuan.narrative.claims import (
    DOWN,
    GENERIC,
    UP,
    Claim,
    ClaimKind,
    is_budget,
    normalise,
    sentences,
)
from juesuan.narrative.figures import lead_amount, within
from juesuan.narrative.link import (
    Quantity,
    link,
    quantity,
)
from juesuan.rules.finding import Severity


def is_up(word: str | None) -> bool | None:
    if word is None:
        return None
    if word.startswith(UP):
        return True
    if word.startswith(DOWN):
        return False
    return None


def check_change(a: Audit) -> Iterator[Hit]:
    """增加 Δ 万元, 增长 P%: direction words agree, Δ and P fit the stated figure (P = Δ / last
    year's figure), no rate against a zero base, no "增加 0"; with last year's report, Δ is
    this year's figure minus last year's."""
    earlier: dict[str, Claim] = {}  # the last amount stated in each section so far
    stated: dict[str, list[Claim]] = {}  # every amount stated in each section so far
    for (section, _sentence), claims in a.by_sentence().items():
        changes = [c for c in claims if c.kind is ClaimKind.CHANGE]
        rates = [c for c in claims if c.kind is ClaimKind.RATE]
        for ch in changes:
            if ch.value == 0 and not _said_unchanged(ch):
                # "增加 0 万元，增加的主要原因是…" explains a change there was not: the template
                # contradicts its figure; a bare "比上年增加0万元" (公务用车购置费 0 both years,
                # 广州) is only worded as a change: a warning
                severity = None if _gives_reason(ch) else Severity.WARNING
                yield hit(
                    ch,
                    severity,
                    problem=f"“{ch.direction} 0”：未变化应写“持平”",
                    rule="boilerplate",
                )
        for rate in rates:
            change = next((c for c in reversed(changes) if c.start < rate.start), None)
            if change is not None and _other_subject(change, rate):
                continue  # "购置费增加 0.89 万元，运行费下降 20.25%": two items, two figures
            if change is None:
                lead = lead_amount([c for c in claims if c.start < rate.start], rate)
                if lead is not None and lead.value == 0 and rate.value == 0:
                    yield hit(
                        rate,
                        Severity.WARNING,
                        problem="本年数为 0，上年数亦为 0 时增长率无意义（应写“持平”）",
                        rule="zero_base",
                    )
                continue
            up_c, up_r = is_up(change.direction), is_up(rate.direction)
            if up_c is not None and up_r is not None and up_c != up_r:
                yield hit(
                    rate,
                    problem=f"金额“{change.direction}”而比率“{rate.direction}”，方向矛盾",
                    rule="direction",
                )
                continue
            # "收、支总计均为 217.02 万元。与上年相比，…增加 8.98 万元" states the figure first
            before = [c for c in claims if c.start < change.start]
            current = (
                _named(a, [*stated.get(section, []), *before], change)
                or lead_amount(before, change)
                or earlier.get(section)
            )
            if current is None or change.value == 0:
                continue
            # "海洋管理事务 45.98 万元，其中机关服务 15.48 万元，…，较上年增加 33.97 万元": the
            # change may be the head's, not the last listed part's; a reading that fits wins
            base = _stated_base(before, change)
            if base is not None and base is current:
                current = next(
                    (
                        c
                        for c in reversed(before)
                        if c.kind is ClaimKind.AMOUNT and c.end <= base.start
                    ),
                    current,
                )
            if base is not None and base is not current:
                yield from _check_stated_base(a, current, base, change, rate, up_c)
                continue
            readings = [
                current,
                *_list_heads(before, current, change),
                *_outside_parenthesis(before, current, change),
            ]
            outcomes = [_rate_outcome(a, cur, change, rate, up_c) for cur in readings]
            fitting = next((o for o in outcomes if o[0] == "ok"), None)
            if fitting is not None:
                a.verify(rate, fitting[1])
                continue
            kind, detail, expected = outcomes[0]
            if kind == "zero":
                if rate.value != 0:
                    conventional = rate.value in (100, -100)  # "增长100%" for a new item
                    yield hit(
                        rate,
                        Severity.WARNING if conventional else None,
                        problem="上年数为 0，不应计算增长率",
                        rule="zero_base",
                    )
                continue
            yield hit(rate, expected=expected, problem=detail, rule="change")
        amounts = [c for c in claims if c.kind is ClaimKind.AMOUNT]
        if amounts:
            # "年初预算 a，支出决算 b …。与上年相比，…减少 Δ": the change is of the actual
            actual = [c for c in amounts if not is_budget(c.subject)]
            earlier[section] = actual[0] if actual else amounts[0]
            stated.setdefault(section, []).extend(amounts)


def _other_subject(change: Claim, rate: Claim) -> bool:
    """Does the rate name an item of its own, other than the change's?"""
    a, b = normalize_name(change.subject), normalize_name(rate.subject)
    return bool(a) and bool(b) and len(b) >= 3 and a not in b and b not in a


def _rate_outcome(
    a: Audit, current: Claim, change: Claim, rate: Claim, up: bool | None
) -> tuple[str, str, str]:
    """("ok", how, "") when the rate fits the figure and the change within the rounding of
    both (last year's figure is derived from them, so it is uncertain too); ("zero", …) when
    last year's figure is 0; else ("wrong", why, the rate expected)."""
    cur, cur_h = yuan(current)
    delta, delta_h = yuan(change)
    last = cur - delta if up else cur + delta
    last_h = cur_h + delta_h
    if last - last_h <= 0:
        return "zero", "", ""
    routes = [delta / last]
    q = a.linked(current)
    if q is not None:  # from the exact figure and the stated change
        exact_last = q.yuan - delta if up else q.yuan + delta
        if exact_last > 0:
            routes.append(delta / exact_last)
    how = f"{change.text} ÷ 上年 {wan(last)}"
    if any(pct_ok(rate.value, r) for r in routes):
        return "ok", how, ""
    bounds = ratio_interval((delta, delta_h), (last, last_h))
    if bounds is not None and within(rate.value, bounds):
        return "ok", how + "（四舍五入区间内）", ""
    expected = f"{pct(delta / last, places(rate.value) or 2)}%"
    return "wrong", f"按{current.text}与{change.text}计算，上年为 {wan(last)}", expected


# "比2025年年初预算数1506121.45万元减少…": a 预算 states last year's budget as the base
_PRIOR_FIGURE = re.compile(
    r"(?:比|较|与|同)\s*(?:\d{4}\s*年度?|上年度?|上一年度?|去年)\s*(?:同期)?\s*"
    r"(?:决算数?|决算金额|支出数?|收入数?|实际数|(?:预算)?(?:收入|支出)?执行数|(?:年?初)?预算数?|数)?"
    r"\s*(?:为|的)?\s*$"
)


_UNCHANGED = re.compile(r"持平|无增减|无变化|没有变化|未发生变化")


def _said_unchanged(change: Claim) -> bool:
    """ "比上年增加0万元，增长0%，主要原因是与上年持平，无增减变化": the clause itself says the
    figure did not change, so the "增加 0" of a template contradicts nothing."""
    text = change.sentence[change.end :]
    stop = min((i for i in (text.find("；"), text.find(";")) if i >= 0), default=len(text))
    return bool(_UNCHANGED.search(text[:stop]))


def _gives_reason(change: Claim) -> bool:
    """Does the clause of a change go on to give the reason for it (…主要原因是…)?"""
    text = change.sentence[change.end :]
    stop = min((i for i in (text.find("；"), text.find(";")) if i >= 0), default=len(text))
    return "原因" in text[:stop]


def _stated_base(before: list[Claim], change: Claim) -> Claim | None:
    """Last year's figure when the sentence states it ("比2014年决算数4490.97万元减少…")."""
    text = normalise(change.sentence)
    for c in reversed(before):
        if c.kind is not ClaimKind.AMOUNT:
            continue
        start = max(0, c.start - 20)
        if _PRIOR_FIGURE.search(text[start : c.start]):
            return c
        return None
    return None


def _check_stated_base(
    a: Audit, current: Claim, base: Claim, change: Claim, rate: Claim, up: bool | None
) -> Iterator[Hit]:
    """This year's figure, last year's and the change all stated: the change is their
    difference and the rate the change over last year's figure (each within rounding)."""
    cur, cur_h = yuan(current)
    last, last_h = yuan(base)
    delta, delta_h = yuan(change)
    signed = delta if up else -delta
    if abs((cur - last) - signed) > cur_h + last_h + delta_h:
        yield hit(
            change,
            expected=f"{'增加' if cur >= last else '减少'}{wan(abs(cur - last))}",
            problem=f"本年 {current.text} 与上年 {base.text} 之差",
            rule="change",
        )
        return
    if last - last_h <= 0:
        if rate.value != 0:
            yield hit(rate, problem="上年数为 0，不应计算增长率", rule="zero_base")
        return
    bounds = ratio_interval((delta, delta_h), (last, last_h))
    if pct_ok(rate.value, delta / last) or (bounds is not None and within(rate.value, bounds)):
        a.verify(rate, f"{change.text} ÷ 上年 {base.text}")
        return
    yield hit(
        rate,
        expected=f"{pct(delta / last, places(rate.value) or 2)}%",
        problem=f"按{change.text}与上年{base.text}计算",
        rule="change",
    )


def _list_heads(before: list[Claim], current: Claim, change: Claim) -> list[Claim]:
    """The amount a 其中/包括 list details, when the figure a change follows is one of the
    listed parts (a change printed after the list may be the head's)."""
    text = normalise(change.sentence)
    marks = [m.start() for m in re.finditer(r"其中|包括", text[: change.start])]
    if not marks or current.start < marks[-1]:
        return []
    heads = [c for c in before if c.kind is ClaimKind.AMOUNT and c.end <= marks[-1]]
    return heads[-1:] if heads and heads[-1] is not current else []


def _outside_parenthesis(before: list[Claim], current: Claim, change: Claim) -> list[Claim]:
    """ "公务用车购置及运行维护费567.72万元（购置费230.55万元，…运行维护费337.17万元，比上年
    减少2.96万元。）比上年增加46.49万元": a change after a closed parenthesis may be of the
    figure the parenthesis details."""
    text = normalise(change.sentence)
    close = max(text.rfind("）", 0, change.start), text.rfind(")", 0, change.start))
    if close < current.end:
        return []
    depth, opening = 0, -1
    for i in range(close - 1, -1, -1):
        if text[i] in "）)":
            depth += 1
        elif text[i] in "（(":
            if depth == 0:
                opening = i
                break
            depth -= 1
    heads = [c for c in before if c.kind is ClaimKind.AMOUNT and c.end <= opening]
    return heads[-1:] if opening >= 0 and heads and heads[-1] is not current else []


def _names(subject: str) -> set[str]:
    """A subject and what it covers: 收支总计 names both 收入总计 and 支出总计."""
    s = normalize_name(subject)
    out = {s}
    if "收支" in s:
        out |= {s.replace("收支", "收入"), s.replace("收支", "支出")}
    return out


def _named(a: Audit, amounts: list[Claim], change: Claim) -> Claim | None:
    """The latest amount stated before a change that names what the change names: by the
    words ("基本支出减少 …" → "一般公共预算财政拨款基本支出 …"; "收入总计" → "收、支总计均为 …"),
    or by the table value both link to. None when none does (the caller falls back on
    position)."""
    if not change.subject or GENERIC.match(change.subject):
        return None
    names = _names(change.subject)
    target: Quantity | None = None
    if not is_budget(change.subject):
        target = link(replace(change, kind=ClaimKind.AMOUNT), a.report, a.codes)
    for c in reversed(amounts):
        if c.kind is not ClaimKind.AMOUNT:
            continue
        if is_budget(c.subject) != is_budget(change.subject):
            continue
        if not GENERIC.match(c.subject) and any(
            x.endswith(y) or y.endswith(x) for x in names for y in _names(c.subject)
        ):
            return c
        if target is not None and a.linked(c) == target:
            return c
    return None


def check_completion(a: Audit) -> Iterator[Hit]:
    """完成年初预算的 P% = 决算 / 年初预算; no rate on a zero budget; "决算数大于/小于/等于
    年初预算数" and "存在差异" agree with the figures (in the sentence, or in the reason sentence
    right after it that states no figure of its own)."""
    by_sentence = a.by_sentence()
    for section in a.report.sections:
        listed = list(sentences(section))
        for i, sent in enumerate(listed):
            claims = by_sentence.get((section.number, sent.text), [])
            amounts = [c for c in claims if c.kind is ClaimKind.AMOUNT]
            budgets = [c for c in amounts if is_budget(c.subject)]
            if not budgets:
                yield from _completion_from_table(a, claims, amounts)
                continue
            budget = _budget_named(budgets, "")
            actual = next(
                (
                    c
                    for c in amounts
                    if "决算" in c.subject and budgets and c.start > budgets[0].start
                ),
                None,
            )
            if budget is None or actual is None:
                continue
            x, _ = yuan(actual)
            previous_rate = -1
            for rate in (c for c in claims if c.kind is ClaimKind.COMPLETION):
                window = [c for c in budgets if previous_rate < c.start < rate.start]
                own_actual = next(
                    (
                        c
                        for c in reversed(amounts)
                        if not is_budget(c.subject) and previous_rate < c.start < rate.start
                    ),
                    actual,
                )
                previous_rate = rate.start
                if not window and own_actual is not actual:
                    # "其中：因公出国（境）费决算为 0.00 万元，完成预算的 0%": an item's own
                    # budget is not stated; table 07 prints it
                    yield from _completion_from_table(a, [rate], [own_actual])
                    continue
                chosen = _budget_named(window or budgets, rate.base or "") or budget
                b, _ = yuan(chosen)
                x_r, _ = yuan(own_actual)
                if b == 0:
                    yield hit(
                        rate,
                        Severity.WARNING if rate.value == 0 else None,
                        problem=f"{_budget_word(chosen)}为 0，不应计算完成率",
                        rule="zero_base",
                    )
                    continue
                routes = [x_r / b]
                q = a.linked(own_actual)
                if q is not None:
                    routes.append(q.yuan / b)
                if any(pct_ok(rate.value, r) for r in routes):
                    a.verify(rate, f"{own_actual.text} ÷ {chosen.text}")
                else:
                    yield hit(
                        rate,
                        expected=f"{pct(x_r / b, places(rate.value) or 2)}%",
                        problem=f"决算 {own_actual.text} ÷ {_budget_word(chosen)} {chosen.text}",
                        rule="completion",
                    )
            texts = [sent.text]
            if i + 1 < len(listed) and not by_sentence.get((section.number, listed[i + 1].text)):
                texts.append(listed[i + 1].text)
            for text in texts:
                said = re.search(
                    r"(大于|小于|等于|高于|低于|超过|存在差异)([^，,。；;]{0,8})", normalise(text)
                )
                if not said:
                    continue
                word = said.group(1)
                compared = _budget_named(budgets, said.group(2)) or budget
                b, _ = yuan(compared)
                truth = "大于" if x > b else "小于" if x < b else "等于"
                wrong = (
                    (word in ("大于", "高于", "超过") and truth != "大于")
                    or (word in ("小于", "低于") and truth != "小于")
                    or (word == "等于" and truth != "等于")
                    or (word == "存在差异" and truth == "等于")
                )
                if wrong:
                    yield hit(
                        actual,
                        problem=f"文中称决算数“{word}”{_budget_word(compared)}数，而决算 "
                        f"{actual.text}、{_budget_word(compared)} {compared.text}",
                        rule="boilerplate",
                    )
                break


def _completion_from_table(
    a: Audit, claims: list[Claim], amounts: list[Claim]
) -> Iterator[Hit]:
    """"因公出国（境）费决算为 0.00 万元，完成预算的 0%": the sentence states no budget, but
    table 07 prints the 预算数 beside each 决算数."""
    rates = [c for c in claims if c.kind is ClaimKind.COMPLETION]
    for rate in rates:
        actual = next((c for c in reversed(amounts) if c.start < rate.start), None)
        q = a.linked(actual) if actual is not None else None
        if actual is None or q is None or q.table != "07" or not q.column:
            continue
        if not q.column.startswith("决算数/"):
            continue
        column = q.column.replace("决算数/", "预算数/", 1)
        budget = quantity(a.report, (f"07:{q.row}:{column}",), column.replace("/", "", 1))
        if budget is None:
            continue
        if budget.yuan == 0:
            yield hit(
                rate,
                Severity.WARNING if rate.value == 0 else None,
                problem=f"公开07表{column.split('/')[1]}预算数为 0（未列示），不应计算完成率",
                rule="zero_base",
            )
            continue
        ratio = q.yuan / budget.yuan
        if pct_ok(rate.value, ratio):
            a.verify(rate, f"{q.name} ÷ {budget.name}")
            continue
        yield hit(
            rate,
            expected=f"{pct(ratio, places(rate.value) or 2)}%",
            problem=f"决算 {wan(q.yuan)} ÷ 预算 {wan(budget.yuan)}（公开07表）",
            rule="completion",
        )


def _budget_word(claim: Claim) -> str:
    subject = claim.subject
    if "全年" in subject:
        return "全年预算"
    if "调整" in subject:
        return "调整预算"
    return "年初预算" if "年初" in subject or subject.strip() == "预算" else "预算"


def _budget_named(budgets: list[Claim], words: str) -> Claim | None:
    """The budget a rate or a comparison names: 年初预算 explicitly, or 全年/调整预算; a plain
    预算数 is the adjusted (全年) budget when the sentence states one, else the only one."""
    if not budgets:
        return None
    initial = [c for c in budgets if "年初" in c.subject]
    adjusted = [c for c in budgets if "全年" in c.subject or "调整" in c.subject]
    if "年初" in words:
        return initial[0] if initial else budgets[0]
    if "全年" in words or "调整" in words:
        return adjusted[0] if adjusted else budgets[0]
    if words:
        return adjusted[0] if adjusted else budgets[0]
    return budgets[0]


