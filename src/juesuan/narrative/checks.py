"""The narrative checks and their registry: text-level checks (units, years, placeholders, the
same quantity stated twice, last year, required sections, unverified figures) here, the figure
checks in :mod:`juesuan.narrative.figures`. Each check is a plain function over an ``Audit``
that yields ``Hit``s; the rule declarations (``rules/builtin/narrative.toml``) give each topic
its id, severity and Chinese message, and the ``narrative`` rule kind turns hits into findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import pairwise

from juesuan.model.sections import covered as covered_by
from juesuan.model.sections import required_scopes
from juesuan.narrative.across_years import check_across_years, current_of, table_refs
from juesuan.narrative.against_budget import check_budget
from juesuan.narrative.audit import (
    Audit,
    Hit,
    hit,
    places,
    wan,
    yuan,
)
from juesuan.narrative.claims import (
    GENERIC,
    Claim,
    ClaimKind,
    is_budget,
    normalise,
    sentences,
)
from juesuan.narrative.detail import check_code_name, check_composition, check_purpose
from juesuan.narrative.figures import (
    check_amount,
    check_budget_total,
    check_items,
    check_label,
    check_procurement,
    check_share,
)
from juesuan.narrative.fiscal import check_fiscal
from juesuan.narrative.level import check_level
from juesuan.narrative.link import (
    quantity,
)
from juesuan.narrative.rates import check_change, check_completion, is_up
from juesuan.narrative.remarks import (
    check_disclosed,
    check_hundred,
    check_reason_only,
    check_respective,
    check_same_base,
)
from juesuan.narrative.statements import (
    check_balance,
    check_parts,
    layouts,
    listed,
    reading,
    same_name,
)
from juesuan.narrative.statements import wan as in_wan
from juesuan.narrative.tallies import check_counts, check_listed_shares, check_projects
from juesuan.narrative.wording import (
    check_figure_unit,
    check_residue,
    check_stray_heading,
    check_typo,
    check_unit_name,
    check_zero_list,
)
from juesuan.rules.finding import Severity


def check_unit(a: Audit) -> Iterator[Hit]:
    """万万元, or 元 where the sentence states 万元."""
    money = [c for c in a.claims if c.unit in ("元", "万元", "万万元", "亿元")]
    in_wan = len(money) >= 5 and sum(c.unit != "元" for c in money) >= 0.9 * len(money)
    for c in [*a.claims, *a.part_claims]:
        if c.unit == "元" and (c.value == 0 or c.sentence[c.end : c.end + 1] in ("/", "／")):
            continue  # 0元 is 0 in any unit; 1.36元/吨 is a price, not an amount
        if c.unit == "万万元":
            yield hit(c, problem="单位重复（“万万元”）")
        elif c.unit == "元" and "万元" in c.sentence and c.value < 10000:
            yield hit(c, problem="单位写作“元”，而本句其他金额以“万元”列示（疑漏“万”字）")
        elif c.unit == "元" and in_wan and places(c.value) == 2 and c.value < 10000:
            # "机关运行经费支出 10.63 元" in a 情况说明 that states every other amount in 万元
            yield hit(c, problem="单位写作“元”，而情况说明其他金额均以“万元”列示（疑漏“万”字）")


_YEARS = re.compile(r"(\d{4})\s*年")
_COMPARE = re.compile(
    r"(\d{4})\s*年度?\s*(?:较|比|与|同)\s*(\d{4})\s*年|与\s*(\d{4})\s*年度?(?:相比|相同|持平|一致|比较)"
    r"|较\s*(\d{4})\s*年度?|比\s*(\d{4})\s*年度?"
)
# a figure stated with its year-on-year change is this year's: "2015年…2.00万元，同比上升32%"
_OWN_YEAR = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）])?\s*(\d{4})\s*年度?(?![末初])")
_YEAR_ON_YEAR = re.compile(r"同比|比上年|较上年|与上年相比|比上一?年度")


def _history(m: re.Match[str], year: int) -> bool:
    """ "以及2015年比2014年增加0.3的年终奖" in a 2016 report: two earlier years compared with
    each other tell a reason's history; only a comparison involving this year can be wrong."""
    first, second = m.group(1), m.group(2)
    return bool(first and second and int(first) < year and int(second) < year)


def check_year(a: Audit) -> Iterator[Hit]:
    """Years compared must be the report year and the year before; a year stated with this
    year's figures must be the report year (a template left from another year)."""
    year = a.report.year
    if year is None:
        return
    for section in a.report.sections:
        for sentence in sentences(section):
            text = normalise(sentence.text)
            compared = [
                int(y)
                for m in _COMPARE.finditer(text)
                if not _history(m, year)
                for y in m.groups()
                if y
            ]
            bad = [y for y in compared if y not in (year, year - 1)]
            own = _OWN_YEAR.match(text)
            if not bad and own and int(own.group(1)) != year and _YEAR_ON_YEAR.search(text):
                yield Hit(
                    section.number,
                    sentence.text,
                    {
                        "section": section.number,
                        "sentence": sentence.text,
                        "stated": f"{own.group(1)} 年",
                        "problem": f"与上年同比的本年数写作 {own.group(1)} 年，应为 {year} 年",
                    },
                    sentence.source,
                )
                continue
            if bad:
                yield Hit(
                    section.number,
                    sentence.text,
                    {
                        "section": section.number,
                        "sentence": sentence.text,
                        "stated": f"{bad[0]} 年",
                        "problem": f"比较的年度为 {bad[0]} 年，应为 {year} 年与 {year - 1} 年",
                    },
                    sentence.source,
                )


# "为 万元" with its figure missing; not "金额转化为万元时" (a table note on the unit)
_PLACEHOLDER = re.compile(
    r"[Xx×]{2,}|待填写|待补充|〔\s*〕|占\s*%|(?<![化换算位])为\s*万元|＿{2,}|_{2,}"
)


def check_placeholder(a: Audit) -> Iterator[Hit]:
    """Template leftovers: XX, ××, 待填写, an empty 占 %."""
    others = [p for p in a.report.parts if "情况说明" not in p.title and "决算表" not in p.title]
    for s in [*a.report.sections, *others]:
        text = normalise(s.text.replace("\n", ""))
        for m in _PLACEHOLDER.finditer(text):
            snippet = text[max(0, m.start() - 20) : m.end() + 20]
            yield Hit(
                s.number,
                snippet,
                {"section": s.number, "sentence": snippet, "stated": m.group(0)},
                s.source,
            )


# The unit's duties and the year's work (部门工作任务: "完成投资63.5亿元" of one programme,
# "完成投资12亿元以上" of another): many projects' targets under one name, no table's figures.
_NO_TABLE_FIGURES = frozenset({"duties", "work"})


def check_same_quantity(a: Audit) -> Iterator[Hit]:
    """The same quantity stated twice with different values anywhere, annexes included. Two
    statements that link to different table values are different quantities under one name
    (基本支出 of table 03 in 三, of table 08 in 八), and two that link to the same one are each
    checked against the table (N.amount): in the 情况说明 only pairs with a figure no table gives
    are compared; an annex's statements are compared with every statement of the same name, and
    reported when they agree with none of them.

    A name is qualified by what the sentence says it is of (``statements.same_name``): another
    year's figure, an item of a 其中 list, an attribute of a numbered item are other quantities. Two
    prints of one figure at the same decimals must be equal: a difference of one unit in the
    last digit is no rounding (both would round the same value) and is a warning."""
    groups: dict[str, list[Claim]] = {}
    # a 预算's other parts are its 部门职责 and 工作任务 (investment targets, not budget
    # figures) and its units' budgets one by one (西安: "具体为：人员经费…" of each unit): one
    # name there is many quantities
    budget = a.report.kind is not None and a.report.kind.is_budget
    part_claims = [] if budget else a.part_claims
    in_parts = {id(c) for c in part_claims}
    r = reading(a)
    by_sentence: dict[tuple[str, str], list[Claim]] = {}
    for c in [*a.claims, *part_claims]:
        by_sentence.setdefault((c.section, c.sentence), []).append(c)
    headings = {
        (section.number, ln.sentence.text): ln.sentence.heading
        for section, lines in layouts(a)
        for ln in lines
    }
    keys = list(by_sentence)
    # the sentence before, in the same section
    before = {k: by_sentence[p] for p, k in pairwise(keys) if p[0] == k[0]}
    for c in [*a.claims, *part_claims]:
        if c.kind is not ClaimKind.AMOUNT or GENERIC.match(c.subject) or is_budget(c.subject):
            continue
        if c.scope in _NO_TABLE_FIGURES:
            continue
        key = (c.section, c.sentence)
        name = same_name(a, c, by_sentence[key], before.get(key, ()), headings.get(key, ""))
        if name is None:
            continue
        groups.setdefault(name, []).append(c)
    for _subject, claims in groups.items():
        for i, other in enumerate(claims):
            earlier = [c for c in claims[:i] if _comparable(a, c, other, in_parts)]
            if not earlier:
                continue
            v2, h2 = in_wan(other, r)
            if all(abs(in_wan(c, r)[0] - v2) > in_wan(c, r)[1] + h2 for c in earlier):
                # it agrees with none of the earlier statements of that name
                first = earlier[0]
                yield hit(other, expected=first.text, other=f"{first.section}：{first.sentence}")
                break
            slip = next(
                (
                    c
                    for c in earlier
                    if places(c.value) == places(other.value)
                    and c.value != other.value
                    and c.unit == other.unit
                ),
                None,
            )
            if slip is not None and not any(c.value == other.value for c in earlier):
                yield hit(
                    other,
                    Severity.WARNING,
                    expected=slip.text,
                    other=f"{slip.section}：{slip.sentence}",
                )
                break


def _comparable(a: Audit, first: Claim, other: Claim, in_parts: set[int]) -> bool:
    """Could two statements of one name be the same quantity (and is no other check on it)?
    An annex has no section scope to link by, so its statements compare by name alone."""
    if other.sentence == first.sentence:
        return False
    if id(first) in in_parts or id(other) in in_parts:
        return True
    if first.scope != other.scope and (listed(first) or listed(other)):
        return False  # an item of a list in a section of another scope: another 口径
    q1, q2 = a.linked(first), a.linked(other)
    return q1 is None or q2 is None


def check_unverified(a: Audit) -> Iterator[Hit]:
    """Amounts that link to no table cell are listed as unverified (never guessed)."""
    for c in a.claims:
        if c.kind is ClaimKind.AMOUNT and a.linked(c) is None:
            yield hit(c, named=c.subject or "（未识别）")


def check_prior(a: Audit) -> Iterator[Hit]:
    """With last year's report: 年初结转和结余 continues last year's 年末; stated changes equal
    this year's figure minus last year's."""
    if a.prior is None:
        return
    pairs = (
        ("01:年初结转和结余", "01:年末结转和结余", "年初结转和结余"),
        ("04:年初财政拨款结转和结余", "04:年末财政拨款结转和结余:合计", "年初财政拨款结转和结余"),
    )
    for this_ref, last_ref, name in pairs:
        this = quantity(a.report, (this_ref,), name)
        last = quantity(a.prior, (last_ref,), f"上年{last_ref.split(':')[1]}")
        if this is None or last is None:
            continue
        if abs(this.yuan - last.yuan) > this.tolerance + last.tolerance:
            shown, expected = wan(this.yuan), wan(last.yuan)
            if shown == expected:  # a difference of a few 元: say it in 元, not "0.02 ≠ 0.02"
                shown, expected = f"{this.yuan:,.2f}元", f"{last.yuan:,.2f}元"
            yield Hit(
                "表",
                name,
                {
                    "section": "公开表",
                    "sentence": name,
                    "stated": shown,
                    "expected": expected,
                    "problem": f"{name}与上年年末数不符",
                },
                None,
            )
    for i, ch in enumerate(a.claims):
        if ch.kind is not ClaimKind.CHANGE or is_up(ch.direction) is None:
            continue
        current = current_of(a, i)
        q = a.linked(current) if current else None
        if current is None or q is None:
            continue
        refs_name = _refs_for(current, a)
        if refs_name is None:
            continue
        last = quantity(a.prior, *refs_name)
        if last is None:
            continue
        delta = q.yuan - last.yuan
        stated, h = yuan(ch)
        signed = stated if is_up(ch.direction) else -stated
        if abs(signed - delta) <= h + q.tolerance + last.tolerance:
            a.verify(ch, f"上年报告 {wan(last.yuan)}")
        else:
            yield hit(
                ch,
                expected=f"{'增加' if delta >= 0 else '减少'}{wan(abs(delta))}",
                problem=f"上年报告为 {wan(last.yuan)}",
            )


def _refs_for(claim: Claim, a: Audit) -> tuple[tuple[str, ...], str] | None:
    """The table quantity a figure of this year names, to look up in last year's tables
    (the names of one quantity in different years compared as in across_years)."""
    return table_refs(claim)


# What the 情况说明 must cover (财预〔2016〕143号; narrative.md), by section scope: data
# (model/data/sections.toml), with the titles that cover several subjects (其他重要事项 …).
REQUIRED_SCOPES = required_scopes()
BUDGET_SCOPES = required_scopes(budget=True)


def check_sections(a: Audit) -> Iterator[Hit]:
    """The 情况说明 is there and covers what the template requires. A file with nothing
    readable at all is said once, by the completeness rule (C.tables_present), not again here."""
    sections = a.report.sections
    if not sections:
        if all(t.status.value == "absent" for t in a.report.tables.values()):
            return
        yield Hit(
            "情况说明",
            "",
            {
                "section": "情况说明",
                "sentence": "",
                "stated": "",
                "problem": "未找到情况说明（第三部分）",
            },
            None,
        )
        return
    covered: set[str] = set()
    for s in sections:
        covered |= covered_by(s.title)
    budget = a.report.kind is not None and a.report.kind.is_budget
    for scope, name in (BUDGET_SCOPES if budget else REQUIRED_SCOPES).items():
        if scope not in covered:
            yield Hit(
                "情况说明",
                "",
                {
                    "section": "情况说明",
                    "sentence": "",
                    "stated": "",
                    "problem": f"缺少“{name}”的说明",
                },
                None,
            )


# Every check, and the topics it reports under (its own name, and the ``rule`` field some of
# its hits carry). Each topic must be declared by exactly one rule of
# ``rules/builtin/narrative.toml`` (checked when the narrative pass loads its rules).
CHECKS: dict[str, tuple[Callable[[Audit], Iterator[Hit]], tuple[str, ...]]] = {
    "sections": (check_sections, ()),
    "unit": (check_unit, ()),
    "year": (check_year, ()),
    "placeholder": (check_placeholder, ()),
    "amount": (check_amount, ("misnamed",)),
    "share": (check_share, ()),
    "change": (check_change, ("boilerplate", "direction", "zero_base")),
    "completion": (check_completion, ("zero_base", "boilerplate")),
    "label": (check_label, ()),
    "items": (check_items, ()),
    "budget_total": (check_budget_total, ()),
    "procurement": (check_procurement, ()),
    "same_quantity": (check_same_quantity, ()),
    "balance": (check_balance, ()),
    "parts": (check_parts, ()),
    "fiscal": (check_fiscal, ()),
    "counts": (check_counts, ()),
    "project": (check_projects, ()),
    "listed_shares": (check_listed_shares, ()),
    "prior": (check_prior, ()),
    "across_years": (check_across_years, ("across_restated",)),
    "budget": (check_budget, ()),
    "unverified": (check_unverified, ()),
    "composition": (check_composition, ()),
    "purpose": (check_purpose, ()),
    "item_code": (check_code_name, ()),
    "disclosed": (check_disclosed, ()),
    "reason_only": (check_reason_only, ()),
    "respective": (check_respective, ()),
    "hundred": (check_hundred, ()),
    "same_base": (check_same_base, ()),
    "level": (check_level, ()),
    "residue": (check_residue, ("direction", "placeholder")),
    "figure_unit": (check_figure_unit, ("missing_percent",)),
    "zero_list": (check_zero_list, ()),
    "unit_name": (check_unit_name, ()),
    "stray_heading": (check_stray_heading, ()),
    "typo": (check_typo, ()),
}


def topics() -> set[str]:
    """Every topic a check may report under."""
    return {t for name, (_fn, extra) in CHECKS.items() for t in (name, *extra)}


def all_hits(a: Audit) -> dict[str, list[Hit]]:
    """Every hit of every check, by topic (a rule declares the topic it reports)."""
    out: dict[str, list[Hit]] = {}
    for name, (check, extra) in CHECKS.items():
        for found in check(a):
            topic = found.fields.get("rule", name)
            if topic != name and topic not in extra:
                raise RuntimeError(f"check {name!r} reported under undeclared topic {topic!r}")
            out.setdefault(topic, []).append(found)
    return out
