"""Cross-year checks from the two narratives (跨年度核对): what this year's 情况说明 says about
last year against what last year's 情况说明 stated.

Crawled pages carry the narrative without the tables, so the table path of ``check_prior``
(01/04 年初 against last year's 年末, stated changes against last year's table cells) has
nothing to compare there. Here the figures the two texts state are compared:

- 年初结转和结余 (and 年初财政拨款结转和结余) of this year with last year's stated 年末 of the
  same name: a balance carried over must continue (N.prior_stated);
- a stated change (增加 Δ 万元) or rate (增长 P%) with last year's stated figure of the same
  name: its direction and size, rounding-aware (a figure with d decimals stands for ± half a
  unit of its last digit, so "下降 39.00%" on 40.75 against 66.81 holds), N.prior_stated;
- a 项 line (printed with its code, "〔2100402〕公共卫生—卫生监督机构支出") whose base, this year's
  figure minus its change, differs from last year's line of that code: a warning, since a
  reclassification of last year's figures (口径调整) is the benign reading (N.prior_restated).

A figure is compared only with a figure of the same name: the lexicon of ``link.py`` (same
table quantity), else the same words in the same kind of section. Last year's table value is
used when last year's report has tables; what ``check_prior`` compares on the tables of both
years (年初 cells, stated changes) is left to it, so one difference is reported once. Last
year's report may state a figure twice (488.62 and 488.32): agreeing with either is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from juesuan.model.codes import normalize_name
from juesuan.model.report import Report
from juesuan.narrative.audit import ZERO, Audit, Hit, hit, pct, places, wan, yuan
from juesuan.narrative.claims import GENERIC, Claim, ClaimKind, extract, is_budget, normalise
from juesuan.narrative.link import lexicon_match, quantity
from juesuan.narrative.rates import is_up
from juesuan.rules.finding import Severity

# Names of one quantity in different years and regions: 公共财政拨款 is the name of 一般公共预算
# before 2015, and Fujian 2017 writes 一般公共预算拨款 (财政 left out).
_GPB = re.compile(r"(?:一般)?公共(?:预算)?(?:财政)?拨款")
_YEAR_HEAD = re.compile(r"^(?:\d{4}\s*年?度?)+")
_WHO = re.compile(r"^(?:本部门|本单位|我单位|本级|本局)")
_BARE = {"收入": "本年收入", "支出": "本年支出"}  # "2017年收入 4,109.67 万元" is 本年收入
_BALANCE = re.compile(r"年(初|末)((?:财政拨款)?)结转(?:和|及)?结余$")
# A printed classification code at the head of an item line: "（一）〔2011501〕…",
# "（一）2010101人大事务—…", "〔2290400〕其他政府性基金…": 3, 5 or 7 digits, then the name. At the
# start of a sentence the numbering may be left out; inside one ("具体情况如下：（一）〔…〕") the
# numbering or the brackets mark it, so no amount ("，100万元") is taken for a code.
_CODE = r"(\d{3}(?:\d{2}){0,2})(?!\d)"
_NAME_AHEAD = r"(?=[\u4e00-\u9fff])(?!万元|亿元|元|个|人次|辆|台|批次|次)"
_NUMBER = r"(?:[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、](?!\d))"
_ITEM_HEAD = re.compile(
    rf"^\s*{_NUMBER}?\s*[〔［\[【]?\s*{_CODE}\s*[〕］\]】]?\s*{_NAME_AHEAD}"
    rf"|{_NUMBER}\s*[〔［\[【]?\s*{_CODE}\s*[〕］\]】]?\s*{_NAME_AHEAD}"
    rf"|[〔［\[【]\s*{_CODE}\s*[〕］\]】]\s*{_NAME_AHEAD}"
)
# "较2014年决算数305.65万元增加…": the figure stated for last year in this year's text
_LAST_YEAR_FIGURE = re.compile(
    r"(?:较|比|与|同)\s*(?:上一?年度?|\d{4}\s*年度?)\s*(?:决算|实际)?(?:数|支出)?(?:为|的)?\s*$"
)
# Kinds of section whose figures of one name are one quantity across years. A 基本支出 of
# 收支总体 is not the 一般公共预算 基本支出; the sections of 其他重要事项 (机关运行经费, 政府采购,
# 国有资产) are told apart by their names.
_FAMILY = {
    "overall": "totals",
    "income": "totals",
    "expenditure": "totals",
    "fiscal": "fiscal",
    "gpb": "gpb",
    "basic": "basic",
    "fund": "fund",
    "capital": "capital",
    "sangong": "sangong",
}


@dataclass(frozen=True)
class _Last:
    """A figure of last year: as last year's report states it (or its table gives it)."""

    yuan: Decimal
    half: Decimal
    text: str  # "“七”公务接待费 1.37万元"


def _family(scope: str) -> str:
    return _FAMILY.get(scope, "misc")


def _name(claim: Claim) -> str:
    """The subject as compared across years: years, "本部门", spacing and the older names of
    一般公共预算 dropped (the context stands in for a generic subject such as 决算数)."""
    s = claim.subject if not GENERIC.match(claim.subject) else claim.context
    s = normalize_name(s)
    s = _YEAR_HEAD.sub("", s)
    s = _WHO.sub("", s)
    s = _GPB.sub("一般公共预算财政拨款", s)
    if _family(claim.scope) == "totals":
        s = _BARE.get(s, s)
    return s


def table_refs(claim: Claim) -> tuple[tuple[str, ...], str] | None:
    """The table quantity (references, name) the lexicon gives a figure's name."""
    return lexicon_match(replace(claim, subject=_name(claim)))


def _refs(claim: Claim) -> tuple[str, ...] | None:
    found = table_refs(claim)
    return found[0] if found else None


def same_name(x: Claim, y: Claim) -> bool:
    """Do two statements (of either year) name one quantity? By the table quantity the lexicon
    gives both; else by their words in the same kind of section (one name ending the other,
    "机关运行经费支出" in "（一）机关运行经费 2017年度机关运行经费支出")."""
    rx, ry = _refs(x), _refs(y)
    if rx is not None or ry is not None:
        return rx == ry
    if _family(x.scope) != _family(y.scope):
        return False
    nx, ny = _name(x), _name(y)
    short = min(len(nx), len(ny))
    return short >= 4 and (nx.endswith(ny) or ny.endswith(nx))


def _heads(sentence: str) -> list[tuple[int, str]]:
    """(offset, code) of every item head printed in a sentence."""
    return [
        (m.start(), next(g for g in m.groups() if g))
        for m in _ITEM_HEAD.finditer(normalise(sentence))
    ]


def item_code(sentence: str) -> str | None:
    """The classification code printed at the head of an item line, if any."""
    heads = _heads(sentence)
    return heads[0][1] if heads and heads[0][0] == 0 else None


def _head(claim: Claim) -> tuple[int, str] | None:
    """The item head a figure stands under in its sentence (the last one before it)."""
    before = [h for h in _heads(claim.sentence) if h[0] < claim.start]
    return before[-1] if before else None


def _is_item(claim: Claim) -> bool:
    return claim.item is not None or _head(claim) is not None


def _states_last_year(claim: Claim) -> bool:
    """Is this amount the figure of last year stated in this year's text ("较上年决算数 X")?"""
    before = normalise(claim.sentence)[max(0, claim.start - 16) : claim.start]
    return bool(_LAST_YEAR_FIGURE.search(before))


def _against_budget(claim: Claim) -> bool:
    """ "决算数比年初预算增加 …": a change against the budget, not against last year."""
    text = normalise(claim.sentence)[: claim.start]
    clause = re.split(r"[,;:，；：。]", text)[-1]
    return bool(re.search(r"(?:比|较|超过?|与)\s*(?:年初|调整后?)?预算", clause))


def _label(prior: Report) -> str:
    return f"上年（{prior.year}年度）报告" if prior.year else "上年报告"


def _printed_name(c: Claim) -> str:
    return normalize_name(c.subject if not GENERIC.match(c.subject) else c.context)


def _last_text(c: Claim) -> str:
    return f"“{c.section}”{_printed_name(c)} {c.text}"


def check_across_years(a: Audit) -> Iterator[Hit]:
    """Every cross-year comparison of the stated figures (see the module docstring)."""
    if a.prior is None or a.report.year is None:
        return
    last = [c for s in a.prior.sections for c in extract(s)]
    yield from _balances(a, last)
    yield from _changes(a, last)
    yield from _items(a, last)


# --- 年初 = last year's 年末 ------------------------------------------------------------------


_BALANCE_CELLS = {  # infix → (this year's 年初 cell, last year's 年末 cell), as check_prior
    "": ("01:年初结转和结余", "01:年末结转和结余"),
    "财政拨款": ("04:年初财政拨款结转和结余", "04:年末财政拨款结转和结余:合计"),
}
_ADJUSTED = re.compile(r"调整|更正|追溯|重述")


def _balances(a: Audit, last: list[Claim]) -> Iterator[Hit]:
    """年初 stated this year against last year's 年末: stated in last year's text, or printed
    in its table when this year's report has none (a crawled page after a PDF)."""
    assert a.prior is not None
    reported: set[tuple[str, str]] = set()
    for c in a.claims:
        m = _BALANCE.search(_name(c)) if c.kind is ClaimKind.AMOUNT else None
        if m is None or m.group(1) != "初" or is_budget(c.subject):
            continue
        infix, family = m.group(2), _balance_family(c)
        if (infix, family) in reported:
            continue
        ends = [
            _Last(*yuan(e), _last_text(e))
            for e in last
            if e.kind is ClaimKind.AMOUNT
            and (n := _BALANCE.search(_name(e))) is not None
            and n.group(1) == "末"
            and n.group(2) == infix
            and _balance_family(e) == family
        ]
        if not family:
            opening, closing = _BALANCE_CELLS[infix]
            q = quantity(a.prior, (closing,), f"年末{infix}结转和结余")
            if q is not None:
                if quantity(a.report, (opening,), "年初") is not None:
                    continue  # both years' tables: check_prior's table path
                ends = [_Last(q.yuan, q.tolerance, q.name)]
        if not ends:
            continue
        v, h = yuan(c)
        agree = [e for e in ends if abs(e.yuan - v) <= h + e.half]
        if agree:
            a.verify(c, f"{_label(a.prior)} {agree[0].text}")
            continue
        reported.add((infix, family))
        e = ends[0]
        said = "文中提及调整，请核实" if _ADJUSTED.search(c.sentence) else "文中未说明"
        yield hit(
            c,
            Severity.WARNING if _ADJUSTED.search(c.sentence) else None,
            expected=wan(e.yuan),
            problem=(
                f"本年年初{infix}结转和结余 {c.text}，而{_label(a.prior)}{e.text}，"
                f"本年年初应等于上年年末（相差 {wan(abs(v - e.yuan))}，{said}）"
            ),
        )


def _balance_family(c: Claim) -> str:
    """A fund's section (八 政府性基金, 九 国有资本经营) states that fund's own balances."""
    return c.scope if c.scope in ("fund", "capital") else ""


# --- stated changes against last year's stated figures -----------------------------------


def current_of(a: Audit, index: int) -> Claim | None:
    """The amount of this year a change or rate (``a.claims[index]``) is about: the latest
    amount of the name it states, in its sentence or before it in its section; for a change
    naming nothing of its own ("比上年决算数增加"), the amount before it in its sentence."""
    c = a.claims[index]
    if _against_budget(c):
        return None
    stated_last = c.kind is ClaimKind.AMOUNT  # "较上年决算数 X 万元": about the amount before it
    earlier = [
        x
        for x in a.claims[:index]
        if x.section == c.section
        and x.kind is ClaimKind.AMOUNT
        and not is_budget(x.subject)
        and not _states_last_year(x)
    ]
    if stated_last or GENERIC.match(c.subject):
        in_sentence = [x for x in earlier if x.sentence == c.sentence]
        return in_sentence[-1] if in_sentence else None
    named = replace(c, kind=ClaimKind.AMOUNT)
    return next((x for x in reversed(earlier) if same_name(named, x)), None)


def _last_figures(a: Audit, claim: Claim, current: Claim, last: list[Claim]) -> list[_Last]:
    """Last year's figures of the current amount's name: its table quantity when last year's
    report has tables, else what its text states. Empty for a change that ``check_prior``
    compares on the tables of both years."""
    assert a.prior is not None
    found = table_refs(current)
    if found is not None:
        q = quantity(a.prior, *found)
        if q is not None:
            if claim.kind is ClaimKind.CHANGE and a.linked(current) is not None:
                return []  # both years' tables: check_prior's table path
            return [_Last(q.yuan, q.tolerance, q.name)]
    return [
        _Last(*yuan(e), _last_text(e))
        for e in last
        if e.kind is ClaimKind.AMOUNT
        and not is_budget(e.subject)
        and not _is_item(e)
        and not _states_last_year(e)
        and same_name(current, e)
    ]


def _rate_bounds(cur: tuple[Decimal, Decimal], last: _Last) -> tuple[Decimal, Decimal] | None:
    """[min, max] of this/last − 1 over the rounding intervals of both figures."""
    lo_last, hi_last = last.yuan - last.half, last.yuan + last.half
    if lo_last <= 0:
        return None
    return (cur[0] - cur[1]) / hi_last - 1, (cur[0] + cur[1]) / lo_last - 1


def _fits(claim: Claim, cur: tuple[Decimal, Decimal], last: _Last) -> bool | None:
    """Does a stated change or rate fit this year's figure against last year's? None when it
    cannot be told (a rate on a zero base)."""
    if claim.kind is ClaimKind.AMOUNT:  # last year's figure as this year's text states it
        v, h = yuan(claim)
        return abs(v - last.yuan) <= h + last.half
    up = is_up(claim.direction)
    if up is None:
        return None
    sign = 1 if up else -1
    if claim.kind is ClaimKind.CHANGE:
        delta, h = yuan(claim)
        return abs(sign * delta - (cur[0] - last.yuan)) <= h + cur[1] + last.half
    bounds = _rate_bounds(cur, last)
    if bounds is None:
        return None
    p = places(claim.value)
    stated = sign * claim.value
    return pct(bounds[0], p) <= stated <= pct(bounds[1], p)


def _changes(a: Audit, last: list[Claim]) -> Iterator[Hit]:
    """A stated change or rate against last year's figure of the same name: its direction if
    that is wrong, else its size. A rate after a change of the same figure is checked against
    that change (check_change), so one wrong base is reported once."""
    assert a.prior is not None
    currents: dict[int, Claim | None] = {}
    reported: set[tuple[int, str]] = set()  # (current, sentence): one wrong base, one finding
    for i, c in enumerate(a.claims):
        figure = c.kind in (ClaimKind.CHANGE, ClaimKind.RATE) or (
            c.kind is ClaimKind.AMOUNT and _states_last_year(c)
        )
        if not figure or _is_item(c) or c.value == 0:
            continue
        if is_budget(c.subject) or _against_budget(c):
            continue
        if "分别" in normalise(c.sentence)[: c.start]:
            continue  # "购置费和运行费分别下降 100.00% 和 47.52%": two figures, not parsed here
        current = currents[i] = current_of(a, i)
        if current is None or _is_item(current) or (id(current), c.sentence) in reported:
            continue
        if c.kind is ClaimKind.RATE and any(
            j < i
            and a.claims[j].kind is ClaimKind.CHANGE
            and a.claims[j].sentence == c.sentence
            and currents.get(j) is current
            for j in currents
        ):
            continue
        lasts = _last_figures(a, c, current, last)
        if not lasts:
            continue
        cur = yuan(current)
        fits = [_fits(c, cur, x) for x in lasts]
        if any(fits):
            a.verify(c, f"{_label(a.prior)} {lasts[fits.index(True)].text}")
            continue
        x = lasts[0]
        if fits[0] is None:
            if c.kind is ClaimKind.RATE and x.yuan - x.half <= 0 < cur[0] - cur[1]:
                reported.add((id(current), c.sentence))
                yield hit(
                    c,
                    Severity.WARNING,
                    expected="不计算增长率",
                    problem=f"{_label(a.prior)}{x.text}，上年为 0，不应计算增长率",
                )
            continue
        reported.add((id(current), c.sentence))
        yield _change_hit(a, c, current, x)


def _change_hit(a: Audit, c: Claim, current: Claim, x: _Last) -> Hit:
    assert a.prior is not None
    if c.kind is ClaimKind.AMOUNT:
        return hit(
            c,
            expected=wan(x.yuan),
            problem=f"文中所述上年数 {c.text}，而{_label(a.prior)}{x.text}",
        )
    cur, h = yuan(current)
    d = cur - x.yuan
    truth, word = ("增加", "增长") if d > 0 else ("减少", "下降")
    ratio = abs(d) / x.yuan if x.yuan > 0 else None
    rate = f"，{word} {pct(ratio, 2)}%" if ratio is not None else ""
    if c.kind is ClaimKind.CHANGE:
        expected = f"{truth}{wan(abs(d))}"
    else:  # a rate is only found wrong against a positive base (_fits)
        expected = f"{word}{pct(ratio or ZERO, places(c.value) or 2)}%"
    if abs(d) > h + x.half and bool(is_up(c.direction)) != (d > 0):
        problem = (
            f"文中称{c.direction}，而本年 {current.text}、{_label(a.prior)}{x.text}，"
            f"实为{truth} {wan(abs(d))}{rate}，方向相反"
        )
    else:
        problem = (
            f"按本年 {current.text} 与{_label(a.prior)}{x.text}计算，"
            f"应为{truth} {wan(abs(d))}{rate}"
        )
    return hit(c, expected=expected, problem=problem)


# --- 项 lines against last year's lines of the same code ----------------------------------


@dataclass(frozen=True)
class _Line:
    """An item line of the 情况说明: its code and name, and the amount it states."""

    code: str | None
    name: str
    amount: Claim


def _item_name(c: Claim) -> str:
    name = normalize_name(c.item or _name(c))
    return name.removesuffix("支出")


def _lines(claims: list[Claim]) -> dict[str, list[_Line]]:
    """Item lines by family of section, each with the first 决算 amount of its sentence."""
    out: dict[str, list[_Line]] = {}
    seen: set[tuple[str, str, int]] = set()
    for c in claims:
        if c.kind is not ClaimKind.AMOUNT or is_budget(c.subject) or not _is_item(c):
            continue
        head = _head(c)
        key = (c.section, c.sentence, head[0] if head else -1)
        if key in seen or _states_last_year(c):
            continue
        seen.add(key)
        line = _Line(head[1] if head else None, _item_name(c), c)
        out.setdefault(_family(c.scope), []).append(line)
    return out


def _complete(claims: list[Claim], family: str, lines: list[_Line]) -> bool:
    """Does last year's listing account for its whole total (so a line it lacks was 0)? The
    total is the first amount of the section, stated before its lines."""
    first = next(
        (
            c
            for c in claims
            if c.kind is ClaimKind.AMOUNT
            and _family(c.scope) == family
            and not _is_item(c)
            and not is_budget(c.subject)
        ),
        None,
    )
    if first is None or not lines:
        return False
    total, h = yuan(first)
    s = sum((yuan(x.amount)[0] for x in lines), ZERO)
    tol = h + sum((yuan(x.amount)[1] for x in lines), ZERO)
    return abs(s - total) <= tol


def _last_lines(line: _Line, lines: list[_Line]) -> list[_Line]:
    """Last year's lines of this line's code (018 books 2011501 on two lines), else of its
    name (a line printed under another code is the same line)."""
    if line.code is not None:
        by_code = [x for x in lines if x.code == line.code]
        if by_code:
            return by_code
    return [x for x in lines if x.name == line.name and len(x.name) >= 4]


def _base(a: Audit, line: _Line) -> tuple[Claim, Decimal, Decimal] | None:
    """This year's implied base of a line: (the figure stating it, value, half-width) from a
    stated last-year figure, else this year's amount minus its change."""
    head = _head(line.amount)
    sentence = [
        c
        for c in a.claims
        if c.sentence == line.amount.sentence
        and c.section == line.amount.section
        and _head(c) == head
    ]
    after = [c for c in sentence if c.start > line.amount.start]
    stated = next((c for c in after if c.kind is ClaimKind.AMOUNT and _states_last_year(c)), None)
    if stated is not None:
        return (stated, *yuan(stated))
    change = next((c for c in after if c.kind is ClaimKind.CHANGE), None)
    up = is_up(change.direction) if change else None
    if change is None or up is None:
        return None
    cur, h = yuan(line.amount)
    delta, hd = yuan(change)
    return change, cur - delta if up else cur + delta, h + hd


def _items(a: Audit, last: list[Claim]) -> Iterator[Hit]:
    assert a.prior is not None
    last_lines = _lines(last)
    for family, lines in _lines(a.claims).items():
        before = last_lines.get(family, [])
        complete = _complete(last, family, before)
        found: list[tuple[_Line, Claim, Decimal, Decimal, str]] = []
        for line in lines:
            base = _base(a, line)
            if base is None:
                continue
            claim, value, half = base
            matched = _last_lines(line, before)
            if not matched and not complete:
                continue  # last year's listing is partial: a line it lacks is not known
            was = sum((yuan(x.amount)[0] for x in matched), ZERO)
            was_half = sum((yuan(x.amount)[1] for x in matched), ZERO)
            if abs(value - was) <= half + was_half:
                a.verify(claim, f"{_label(a.prior)}该科目 {wan(was)}")
                continue
            where = (
                "、".join(_last_text(x.amount) for x in matched)
                if matched
                else "未列该科目（其各科目合计等于总数，即上年为 0）"
            )
            found.append((line, claim, value, was, where))
        total_here = sum((f[2] for f in found), ZERO)
        total_there = sum((f[3] for f in found), ZERO)
        for line, claim, value, was, where in found:
            together = (
                f"；本节不符的 {len(found)} 个科目合计：本年所述上年数 {wan(total_here)}，"
                f"{_label(a.prior)} {wan(total_there)}"
                if len(found) > 1
                else ""
            )
            yield hit(
                claim,
                expected=wan(was),
                label=f"〔{line.code}〕{line.name}" if line.code else line.name,
                problem=(f"按本句计算上年为 {wan(value)}，而{_label(a.prior)}{where}{together}"),
                rule="across_restated",
            )
