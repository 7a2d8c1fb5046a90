"""Checks of the narrative against the tables, against itself and against last year.

Each check is a plain function over the claims of a report that yields ``Hit``s; the rule
declarations (``rules/builtin/narrative.toml``) give each its id, severity and Chinese message,
and the ``narrative`` rule kind turns hits into findings. Rounding is as in the tables: a stated
figure with d decimals stands for ± half a unit of its last digit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from juesuan.model.amount import half_unit
from juesuan.model.codes import Codes, normalize_name
from juesuan.model.layout import TableId
from juesuan.model.report import NarrativeSection, Report
from juesuan.model.source import Source
from juesuan.model.tables import Level, Row
from juesuan.narrative.claims import (
    DOWN,
    GENERIC,
    UP,
    Claim,
    ClaimKind,
    extract,
    is_budget,
    normalise,
    sentences,
)
from juesuan.narrative.link import (
    LEXICON,
    Quantity,
    item_chain,
    link,
    quantity,
    resolve_chain,
    rows_with_value,
)
from juesuan.rules.finding import Severity

WAN = Decimal(10000)
HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Hit:
    """One problem a check found: the claim or sentence, and the message fields. ``fields``
    may carry "rule": the topic (rule) it belongs to when a check serves several rules."""

    section: str
    sentence: str
    fields: dict[str, str]
    source: Source | None = None
    severity: Severity | None = None  # None: the rule's declared severity


@dataclass
class Audit:
    """Claims of one report with their links, computed once and shared by all checks."""

    report: Report
    codes: Codes
    prior: Report | None
    claims: list[Claim]
    part_claims: list[Claim]
    links: dict[int, Quantity | None] = field(default_factory=dict)

    def linked(self, claim: Claim) -> Quantity | None:
        key = id(claim)
        if key not in self.links:
            self.links[key] = (
                link(claim, self.report, self.codes) if claim.kind is ClaimKind.AMOUNT else None
            )
        return self.links[key]

    def by_sentence(self) -> dict[tuple[str, str], list[Claim]]:
        out: dict[tuple[str, str], list[Claim]] = {}
        for c in self.claims:
            out.setdefault((c.section, c.sentence), []).append(c)
        return out


def build_audit(report: Report, codes: Codes, prior: Report | None) -> Audit:
    claims = [c for s in report.sections for c in extract(s)]
    others = [p for p in report.parts if "情况说明" not in p.title and "决算表" not in p.title]
    part_claims = [c for p in others for c in extract(p)]
    return Audit(report, codes, prior, claims, part_claims)


# --- arithmetic -----------------------------------------------------------------------------


def yuan(claim: Claim) -> tuple[Decimal, Decimal]:
    """A stated amount in 元 and its half-width. 万万元 and a stray 元 in a 万元 sentence are
    read as 万元 here (the unit check reports them)."""
    value = claim.value
    if claim.unit == "元" and "万元" not in claim.sentence:
        return value, ZERO
    if claim.unit == "亿元":
        return value * WAN * WAN, half_unit(value) * WAN * WAN
    return value * WAN, half_unit(value) * WAN


def wan(x: Decimal, places: int = 2) -> str:
    return f"{(x / WAN).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,f}万元"


def pct(x: Decimal, places: int) -> Decimal:
    return (x * HUNDRED).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def ratio_interval(
    num: tuple[Decimal, Decimal], den: tuple[Decimal, Decimal]
) -> tuple[Decimal, Decimal] | None:
    """[min, max] of num/den over the rounding intervals (den must stay positive)."""
    lo_d, hi_d = den[0] - den[1], den[0] + den[1]
    if lo_d <= 0:
        return None
    lo_n, hi_n = max(ZERO, num[0] - num[1]), num[0] + num[1]
    return lo_n / hi_d, hi_n / lo_d


def pct_ok(stated: Decimal, ratio: Decimal) -> bool:
    """A stated percentage is right when it is the ratio rounded to the printed decimals."""
    return pct(ratio, places(stated)) == stated


def matches(claim: Claim, q: Quantity) -> bool:
    v, h = yuan(claim)
    return abs(v - q.yuan) <= h + q.tolerance


def _hit(claim: Claim, severity: Severity | None = None, **fields: str) -> Hit:
    base = {"section": claim.section, "sentence": claim.sentence, "stated": claim.text}
    return Hit(claim.section, claim.sentence, {**base, **fields}, claim.source, severity)


# --- checks ---------------------------------------------------------------------------------


def check_unit(a: Audit) -> Iterator[Hit]:
    """万万元, or 元 where the sentence states 万元."""
    money = [c for c in a.claims if c.unit in ("元", "万元", "万万元", "亿元")]
    in_wan = len(money) >= 5 and sum(c.unit != "元" for c in money) >= 0.9 * len(money)
    for c in [*a.claims, *a.part_claims]:
        if c.unit == "万万元":
            yield _hit(c, problem="单位重复（“万万元”）")
        elif c.unit == "元" and "万元" in c.sentence and c.value < 10000:
            yield _hit(c, problem="单位写作“元”，而本句其他金额以“万元”列示（疑漏“万”字）")
        elif c.unit == "元" and in_wan and places(c.value) == 2 and c.value < 10000:
            # "机关运行经费支出 10.63 元" in a 情况说明 that states every other amount in 万元
            yield _hit(c, problem="单位写作“元”，而情况说明其他金额均以“万元”列示（疑漏“万”字）")


_YEARS = re.compile(r"(\d{4})\s*年")
_COMPARE = re.compile(
    r"(\d{4})\s*年度?\s*(?:较|比|与|同)\s*(\d{4})\s*年|与\s*(\d{4})\s*年度?相比|较\s*(\d{4})\s*年度?"
)


def check_year(a: Audit) -> Iterator[Hit]:
    """Years compared must be the report year and the year before; a year stated with this
    year's figures must be the report year (a template left from another year)."""
    year = a.report.year
    if year is None:
        return
    for section in a.report.sections:
        for sentence in sentences(section):
            text = normalise(sentence.text)
            compared = [int(y) for m in _COMPARE.finditer(text) for y in m.groups() if y]
            bad = [y for y in compared if y not in (year, year - 1)]
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


_PLACEHOLDER = re.compile(r"[Xx×]{2,}|待填写|待补充|〔\s*〕|占\s*%|为\s*万元|＿{2,}|_{2,}")


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


def _other_quantities(a: Audit) -> Iterator[Quantity]:
    """Every quantity a figure could be confused with (for "a figure under the wrong name")."""
    seen: set[str] = set()
    for _scope, _words, refs, name in LEXICON:
        q = quantity(a.report, refs, name)
        if q is not None and q.name not in seen:
            seen.add(q.name)
            yield q
    for tid in (TableId.T05,):
        table = a.report.table(tid)
        for row in table.rows:
            if row.code and row.level is Level.CLASS:
                q = quantity(a.report, (f"{tid.value}:{row.code}:合计",), f"{row.code} {row.label}")
                if q is not None:
                    yield q


def check_amount(a: Audit) -> Iterator[Hit]:
    """A stated amount equals the table value it names (万元, within rounding). A figure that is
    another quantity's value is reported as a figure under the wrong name ("人员经费 161.22"
    where 161.22 is 基本支出), or, when a class label sits on another class's amount, by
    check_label."""
    candidates: list[Quantity] | None = None
    for c in a.claims:
        q = a.linked(c)
        if q is None or matches(c, q):
            continue
        if candidates is None:
            candidates = list(_other_quantities(a))
        others = [o for o in candidates if o.name != q.name and matches(c, o)]
        if not others:
            yield _hit(c, named=c.subject, expected=wan(q.yuan), quantity=q.name)
        elif _other_class(a, c) is None:
            yield _hit(
                c,
                named=c.subject,
                expected=wan(q.yuan),
                quantity=q.name,
                other=others[0].name,
                rule="misnamed",
            )


def _lead(claims: list[Claim], before: Claim) -> Claim | None:
    """The amount a share or rate refers to: the closest amount before it."""
    prior = [c for c in claims if c.kind is ClaimKind.AMOUNT and c.start < before.start]
    return prior[-1] if prior else None


def _respective(claims: list[Claim], share: Claim) -> Claim | None:
    """ "基本支出 a 万元、项目支出 b 万元，分别占 p%、q%": the k-th share after 分别 belongs to the
    k-th of the amounts listed before it."""
    marker = normalise(share.sentence).rfind("分别", 0, share.start)
    if marker < 0:
        return None
    group = [c for c in claims if c.kind is share.kind and c.start > marker]
    amounts = [c for c in claims if c.kind is ClaimKind.AMOUNT and c.end <= marker]
    if share not in group or len(amounts) < len(group):
        return None
    return amounts[len(amounts) - len(group) + group.index(share)]


def _denominator(
    a: Audit, share: Claim, section_claims: list[Claim]
) -> tuple[tuple[Decimal, Decimal] | None, tuple[Decimal, Decimal] | None]:
    """(printed, exact) denominators of a share, each (value in 元, half-width)."""
    amounts = [c for c in section_claims if c.kind is ClaimKind.AMOUNT]
    printed: Claim | None = None
    if share.base:
        base = normalize_name(share.base)
        probe = Claim(
            ClaimKind.AMOUNT,
            Decimal(0),
            "万元",
            share.base,
            share.section,
            "",
            0,
            0,
            scope=share.scope,
        )
        target = link(probe, a.report, a.codes)
        for c in amounts:
            if normalize_name(c.subject).endswith(base) or base.endswith(normalize_name(c.subject)):
                printed = c
                break
            if target is not None and a.linked(c) == target:
                printed = c
                break
        exact = (target.yuan, target.tolerance) if target else None
    else:
        lead = _listed_total(share, section_claims)
        if lead is None:
            lead = next((c for c in amounts if c.subsection == share.subsection), None)
        if lead is not None and lead.sentence == share.sentence and lead.start >= share.start:
            lead = None
        printed = lead or (amounts[0] if amounts else None)
        q = a.linked(printed) if printed else None
        exact = (q.yuan, q.tolerance) if q else None
    return (yuan(printed) if printed else None), exact


_LISTING = re.compile(r"^(?:\d{4}\s*年度?)?(?P<head>[^，,；;。0-9]{2,30}?)(?:主要)?用于")


def _listed_total(share: Claim, section_claims: list[Claim]) -> Claim | None:
    """ "本年支出主要用于：城乡社区支出（类）7.83 万元，占 100.00%": the shares are of the amount
    the listing names (本年支出), stated earlier in the section."""
    m = _LISTING.match(normalise(share.sentence))
    if m is None:
        return None
    head = normalize_name(m.group("head"))
    if not head:
        return None
    found: Claim | None = None
    for c in section_claims:
        if c is share:
            break
        if c.kind is not ClaimKind.AMOUNT or not c.subject or GENERIC.match(c.subject):
            continue
        subject = normalize_name(c.subject)
        if subject.endswith(head) or head.endswith(subject):
            found = c
    return found


def check_share(a: Audit) -> Iterator[Hit]:
    """占 Y% = the ratio from the exact table figures or from the printed 万元 figures."""
    by_section: dict[str, list[Claim]] = {}
    for c in a.claims:
        by_section.setdefault(c.section, []).append(c)
    sentences = a.by_sentence()
    for c in a.claims:
        if c.kind is not ClaimKind.SHARE:
            continue
        num = _respective(sentences[(c.section, c.sentence)], c) or _lead(
            sentences[(c.section, c.sentence)], c
        )
        if num is None:
            continue
        printed_den, exact_den = _denominator(a, c, by_section[c.section])
        routes: list[Decimal] = []
        if printed_den is not None and printed_den[0] > 0:
            routes.append(yuan(num)[0] / printed_den[0])
        q = a.linked(num)
        if q is not None and exact_den is not None and exact_den[0] > 0:
            routes.append(q.yuan / exact_den[0])
        if not routes:
            den = printed_den or exact_den
            if den is not None and den[0] == 0 and c.value != 0:
                yield _hit(c, expected="无（分母为 0）")
            continue
        if any(pct_ok(c.value, r) for r in routes):
            continue
        exact = (q is not None and q.tolerance == 0) or (
            exact_den is not None and exact_den[1] == 0
        )
        if not exact and printed_den is not None:
            # no exact figure on either side: the rounded ones only bound the ratio
            # (授予中小企业 0.59 万元 of a 总额 of 0.65 万元 may be 91.00%)
            bounds = ratio_interval(yuan(num), printed_den)
            if q is not None and exact_den is not None:
                bounds = ratio_interval((q.yuan, q.tolerance), exact_den) or bounds
            if bounds is not None and _within(c.value, bounds):
                continue
        yield _hit(c, expected=f"{pct(routes[-1], places(c.value) or 2)}%")


def _within(stated: Decimal, bounds: tuple[Decimal, Decimal]) -> bool:
    """Is a stated percentage the rounding of some ratio in ``bounds``?"""
    p = places(stated)
    return pct(bounds[0], p) <= stated <= pct(bounds[1], p)


def _is_up(word: str | None) -> bool | None:
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
            if ch.value == 0:
                yield _hit(ch, problem=f"“{ch.direction} 0”：未变化应写“持平”", rule="boilerplate")
        for rate in rates:
            change = next((c for c in reversed(changes) if c.start < rate.start), None)
            if change is None:
                continue
            up_c, up_r = _is_up(change.direction), _is_up(rate.direction)
            if up_c is not None and up_r is not None and up_c != up_r:
                yield _hit(
                    rate,
                    problem=f"金额“{change.direction}”而比率“{rate.direction}”，方向矛盾",
                    rule="direction",
                )
                continue
            # "收、支总计均为 217.02 万元。与上年相比，…增加 8.98 万元" states the figure first
            before = [c for c in claims if c.start < change.start]
            current = (
                _named(a, [*stated.get(section, []), *before], change)
                or _lead(before, change)
                or earlier.get(section)
            )
            if current is None or change.value == 0:
                continue
            cur, cur_h = yuan(current)
            delta, delta_h = yuan(change)
            last = cur - delta if up_c else cur + delta
            if last - (cur_h + delta_h) <= 0:
                if rate.value != 0:
                    yield _hit(rate, problem="上年数为 0，不应计算增长率", rule="zero_base")
                continue
            routes = [delta / last]
            q = a.linked(current)
            if q is not None:  # from the exact figure and the stated change
                exact_last = q.yuan - delta if up_c else q.yuan + delta
                if exact_last > 0:
                    routes.append(delta / exact_last)
            if not any(pct_ok(rate.value, r) for r in routes):
                yield _hit(
                    rate,
                    expected=f"{pct(delta / last, places(rate.value) or 2)}%",
                    problem=f"按{current.text}与{change.text}计算，上年为 {wan(last)}",
                    rule="change",
                )
        amounts = [c for c in claims if c.kind is ClaimKind.AMOUNT]
        if amounts:
            earlier[section] = amounts[0]
            stated.setdefault(section, []).extend(amounts)


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
            budget = next((c for c in amounts if is_budget(c.subject)), None)
            actual = next(
                (
                    c
                    for c in amounts
                    if "决算" in c.subject and budget is not None and c.start > budget.start
                ),
                None,
            )
            if budget is None or actual is None:
                continue
            b, _ = yuan(budget)
            x, _ = yuan(actual)
            for rate in (c for c in claims if c.kind is ClaimKind.COMPLETION):
                if b == 0:
                    yield _hit(rate, problem="年初预算为 0，不应计算完成率", rule="zero_base")
                    continue
                routes = [x / b]
                q = a.linked(actual)
                if q is not None:
                    routes.append(q.yuan / b)
                if not any(pct_ok(rate.value, r) for r in routes):
                    yield _hit(
                        rate,
                        expected=f"{pct(x / b, places(rate.value) or 2)}%",
                        problem=f"决算 {actual.text} ÷ 年初预算 {budget.text}",
                        rule="completion",
                    )
            texts = [sent.text]
            if i + 1 < len(listed) and not by_sentence.get((section.number, listed[i + 1].text)):
                texts.append(listed[i + 1].text)
            for text in texts:
                said = re.search(r"(大于|小于|等于|高于|低于|超过|存在差异)", normalise(text))
                if not said:
                    continue
                word = said.group(1)
                truth = "大于" if x > b else "小于" if x < b else "等于"
                wrong = (
                    (word in ("大于", "高于", "超过") and truth != "大于")
                    or (word in ("小于", "低于") and truth != "小于")
                    or (word == "等于" and truth != "等于")
                    or (word == "存在差异" and truth == "等于")
                )
                if wrong:
                    yield _hit(
                        actual,
                        problem=f"文中称决算数“{word}”年初预算数，而决算 "
                        f"{actual.text}、年初预算 {budget.text}",
                        rule="boilerplate",
                    )
                break


def _other_class(a: Audit, c: Claim) -> Row | None:
    """五(二) "教育支出（类）210.33 万元" where 210.33 is another class (208) and 205 is not: the
    class row the amount belongs to (N.label reports it, N.misnamed leaves it)."""
    if c.scope != "gpb" or c.item or not re.search(r"[（(]类[）)]", c.subject):
        return None
    q = a.linked(c)
    if q is None or matches(c, q):
        return None
    v, h = yuan(c)
    t05 = a.report.table(TableId.T05)
    return (
        next(
            (r for r in rows_with_value(a.report, TableId.T05, v, h) if r.level is Level.CLASS),
            None,
        )
        if t05.rows
        else None
    )


def check_label(a: Audit) -> Iterator[Hit]:
    """类/款/项 labels are the year's official names and describe the amount they carry."""
    t05 = a.report.table(TableId.T05)
    done: set[tuple[str, str]] = set()  # (item, sentence): two items may print one label
    for c in a.claims:
        if c.scope != "gpb" or c.kind is not ClaimKind.AMOUNT:
            continue
        if re.search(r"[（(]类[）)]", c.subject) and not c.item:
            name = re.split(r"[（(]类[）)]", c.subject)[0]
            code = a.codes.function.class_by_name(name, a.report.year)
            entry = a.codes.function.lookup(code, a.report.year) if code else None
            if entry and normalize_name(entry.name).removesuffix("支出") == normalize_name(
                name
            ).removesuffix("支出"):
                row = _other_class(a, c)
                if row is not None:  # an official name, but of another class than the amount's
                    yield _hit(
                        c,
                        label=f"{name}（类）",
                        problem=f"该金额为 {row.code} {row.label}，不是 {code} {entry.name}",
                    )
                continue
            v, h = yuan(c)
            rows = rows_with_value(a.report, TableId.T05, v, h) if t05.rows else []
            actual = f"，该金额为 {rows[0].code} {rows[0].label}" if rows else ""
            official = f"（{code} 的 {a.report.year} 年规范名称为“{entry.name}”）" if entry else ""
            yield _hit(
                c,
                label=f"{name}（类）",
                problem=f"不是 {a.report.year} 年的类级科目名称{official}{actual}",
            )
        elif c.item and (c.item, c.sentence) not in done and "决算" in c.subject:
            done.add((c.item, c.sentence))
            chain = item_chain(c.item)
            if chain is None:
                continue
            code, wrong = resolve_chain(chain, a.report.year, a.codes)
            v, h = yuan(c)
            rows = rows_with_value(a.report, TableId.T05, v, h) if t05.rows else []
            row = t05.row(code) if code else None
            amount_ok = row is not None and any(r.code == code for r in rows)
            if not wrong and (amount_ok or not t05.rows):
                continue
            actual = f"；支出决算 {c.text} 为 {rows[0].code} {rows[0].label}" if rows else ""
            problem = (
                f"“{'、'.join(wrong)}”不是该年度规范科目名称或上下级不符"
                if wrong
                else f"{code} 的支出决算与公开05表不符"
            )
            yield _hit(c, label=c.item, problem=problem + actual)


_SUBLIST = re.compile(r"主要包括|主要用于|包括")


def check_items(a: Audit) -> Iterator[Hit]:
    """Listed parts (其中 / 主要包括) cannot add up to more than their total; a rounding-level
    excess is a notice (nine 万元 items may add to 50.49 against 50.47)."""
    previous: list[Claim] = []
    for (_section, sentence), claims in a.by_sentence().items():
        text = normalise(sentence)
        amounts = [c for c in claims if c.kind is ClaimKind.AMOUNT and not is_budget(c.subject)]
        groups: list[tuple[Claim, list[Claim]]] = []
        if text.startswith("其中") and previous:
            groups.append((previous[-1], [c for c in amounts if not _in_sublist(text, c)]))
        for m in re.finditer(r"其中", text):
            head = [c for c in amounts if c.end <= m.start()]
            stop = _closing(text, m.start())  # "（其中：基本支出 …，项目支出 …）" ends there
            if head:
                groups.append(
                    (
                        head[-1],
                        [
                            c
                            for c in amounts
                            if m.end() < c.start < stop and not _in_sublist(text, c, m.end())
                        ],
                    )
                )
        for m in _SUBLIST.finditer(text):
            head = [c for c in amounts if c.end <= m.start()]
            stop = min(
                (i for i in (text.find("；", m.end()), text.find(";", m.end())) if i > 0),
                default=len(text),
            )
            if head:
                groups.append((head[-1], [c for c in amounts if m.end() < c.start < stop]))
        for total, parts in groups:
            if len(parts) < 2:
                continue
            t, t_h = yuan(total)
            s = sum((yuan(p)[0] for p in parts), ZERO)
            tol = t_h + sum((yuan(p)[1] for p in parts), ZERO)
            if s - t > tol:
                yield _hit(
                    total, expected=wan(s), problem=f"所列各项合计 {wan(s)} 大于总数 {total.text}"
                )
            elif s > t:
                yield _hit(
                    total,
                    Severity.NOTICE,
                    expected=wan(s),
                    problem=f"所列各项合计 {wan(s)}，与总数 {total.text} 相差在四舍五入误差以内",
                )
        if amounts and not text.startswith("主要原因"):
            previous = amounts


def _closing(text: str, pos: int) -> int:
    """Where the parenthesis around ``pos`` closes (the end of the text when none is open)."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        if text[i] in "）)":
            depth += 1
        elif text[i] in "（(":
            if depth == 0:
                break
            depth -= 1
    else:
        return len(text)
    depth = 0
    for j in range(pos, len(text)):
        if text[j] in "（(":
            depth += 1
        elif text[j] in "）)":
            if depth == 0:
                return j
            depth -= 1
    return len(text)


def _in_sublist(text: str, claim: Claim, start: int = 0) -> bool:
    """Is the claim inside a 主要包括 sub-list (which details an item, not the total)?"""
    for m in _SUBLIST.finditer(text, start):
        stop = min(
            (i for i in (text.find("；", m.end()), text.find(";", m.end())) if i > 0),
            default=len(text),
        )
        if m.end() < claim.start < stop:
            return True
    return False


def check_budget_total(a: Audit) -> Iterator[Hit]:
    """五(三): when the listed 项 account for the whole 支出决算, their 年初预算 add up to the
    stated total 年初预算 (the same quantity stated twice)."""
    gpb = [c for c in a.claims if c.scope == "gpb" and c.kind is ClaimKind.AMOUNT]
    totals = [c for c in gpb if not c.item and c.subsection == "三"]
    items = [c for c in gpb if c.item]
    total_budget = next((c for c in totals if is_budget(c.subject)), None)
    total_actual = next((c for c in totals if "决算" in c.subject), None)
    if total_budget is None or total_actual is None or not items:
        return
    budgets: dict[str, Claim] = {}
    actuals: dict[str, Claim] = {}
    for c in items:
        target = budgets if is_budget(c.subject) else actuals if "决算" in c.subject else None
        if target is not None and c.item is not None:
            target.setdefault(c.item, c)
    if not budgets or set(budgets) != set(actuals):
        return
    x_sum = sum((yuan(c)[0] for c in actuals.values()), ZERO)
    x_tol = sum((yuan(c)[1] for c in actuals.values()), ZERO) + yuan(total_actual)[1]
    if abs(x_sum - yuan(total_actual)[0]) > x_tol:
        return  # the items listed are not all of it
    b_sum = sum((yuan(c)[0] for c in budgets.values()), ZERO)
    b_tol = sum((yuan(c)[1] for c in budgets.values()), ZERO) + yuan(total_budget)[1]
    if abs(b_sum - yuan(total_budget)[0]) > b_tol:
        yield _hit(
            total_budget,
            expected=wan(b_sum),
            problem=f"各项年初预算合计 {wan(b_sum)}，而总体年初预算为 {total_budget.text}",
        )


def check_procurement(a: Audit) -> Iterator[Hit]:
    """政府采购: 货物 + 工程 + 服务 = 总额; 中小企业 ≤ 总额; 小微企业 ≤ 中小企业."""
    claims = [c for c in a.claims if c.scope == "procurement" and c.kind is ClaimKind.AMOUNT]

    def find(word: str) -> Claim | None:
        return next((c for c in claims if word in c.subject), None)

    total = find("总额")
    parts = [p for p in (find("货物"), find("工程"), find("服务")) if p is not None]
    if total is not None and len(parts) == 3 and not any("中小" in p.subject for p in parts):
        t, t_h = yuan(total)
        s = sum((yuan(p)[0] for p in parts), ZERO)
        if abs(s - t) > t_h + sum((yuan(p)[1] for p in parts), ZERO):
            yield _hit(total, expected=wan(s), problem="货物、工程、服务支出之和与总额不符")
    sme, small = find("中小企业"), find("小微企业")
    for part, whole, what in (
        (sme, total, "授予中小企业合同金额大于政府采购支出总额"),
        (small, sme, "授予小微企业合同金额大于授予中小企业合同金额"),
    ):
        if (
            part is not None
            and whole is not None
            and yuan(part)[0] - yuan(whole)[0] > (yuan(part)[1] + yuan(whole)[1])
        ):
            yield _hit(part, expected=f"≤ {whole.text}", problem=what)


def check_same_quantity(a: Audit) -> Iterator[Hit]:
    """The same quantity stated twice with different values anywhere, annexes included. Two
    statements that link to different table values are different quantities under one name
    (基本支出 of table 03 in 三, of table 08 in 八), and two that link to the same one are each
    checked against the table (N.amount): in the 情况说明 only pairs with a figure no table gives
    are compared; an annex's statements are compared with every statement of the same name, and
    reported when they agree with none of them."""
    groups: dict[str, list[Claim]] = {}
    in_parts = {id(c) for c in a.part_claims}
    for c in [*a.claims, *a.part_claims]:
        if c.kind is not ClaimKind.AMOUNT or GENERIC.match(c.subject) or is_budget(c.subject):
            continue
        if len(normalize_name(c.subject)) < 4:
            continue
        groups.setdefault(normalize_name(c.subject), []).append(c)
    for _subject, claims in groups.items():
        for i, other in enumerate(claims):
            earlier = [c for c in claims[:i] if _comparable(a, c, other, in_parts)]
            if not earlier:
                continue
            v2, h2 = yuan(other)
            if all(abs(yuan(c)[0] - v2) > yuan(c)[1] + h2 for c in earlier):
                # it agrees with none of the earlier statements of that name
                first = earlier[0]
                yield _hit(other, expected=first.text, other=f"{first.section}：{first.sentence}")
                break


def _comparable(a: Audit, first: Claim, other: Claim, in_parts: set[int]) -> bool:
    """Could two statements of one name be the same quantity (and is no other check on it)?
    An annex has no section scope to link by, so its statements compare by name alone."""
    if other.sentence == first.sentence:
        return False
    if id(first) in in_parts or id(other) in in_parts:
        return True
    q1, q2 = a.linked(first), a.linked(other)
    return q1 is None or q2 is None


def check_unverified(a: Audit) -> Iterator[Hit]:
    """Amounts that link to no table cell are listed as unverified (never guessed)."""
    for c in a.claims:
        if c.kind is ClaimKind.AMOUNT and a.linked(c) is None:
            yield _hit(c, named=c.subject or "（未识别）")


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
            yield Hit(
                "表",
                name,
                {
                    "section": "公开表",
                    "sentence": name,
                    "stated": wan(this.yuan),
                    "expected": wan(last.yuan),
                    "problem": f"{name}与上年年末数不符",
                },
                None,
            )
    for (_section, _sentence), claims in a.by_sentence().items():
        for ch in (c for c in claims if c.kind is ClaimKind.CHANGE):
            current = _lead([c for c in claims if c.start < ch.start], ch)
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
            up = _is_up(ch.direction)
            signed = stated if up else -stated
            if abs(signed - delta) > h + q.tolerance + last.tolerance:
                yield _hit(
                    ch,
                    expected=f"{'增加' if delta >= 0 else '减少'}{wan(abs(delta))}",
                    problem=f"上年报告为 {wan(last.yuan)}",
                )


def _refs_for(claim: Claim, a: Audit) -> tuple[tuple[str, ...], str] | None:
    from juesuan.narrative.link import lexicon_match

    return lexicon_match(claim)


# What the 情况说明 must cover (财预〔2016〕143号; narrative.md), by section scope. Regions
# merge 机关运行经费/政府采购/国有资产 into one "其他重要事项" section, which covers all three.
REQUIRED_SCOPES = {
    "overall": "收入支出决算总体情况",
    "income": "收入决算情况",
    "expenditure": "支出决算情况",
    "fiscal": "财政拨款收入支出决算总体情况",
    "gpb": "一般公共预算财政拨款支出决算情况",
    "basic": "一般公共预算财政拨款基本支出决算情况",
    "sangong": "“三公”经费支出决算情况",
    "operations": "机关运行经费支出情况",
    "procurement": "政府采购支出情况",
    "assets": "国有资产占用情况",
}


def check_sections(a: Audit) -> Iterator[Hit]:
    """The 情况说明 is there and covers what the template requires."""
    from juesuan.narrative.claims import scope_of

    sections = a.report.sections
    if not sections:
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
    covered = {scope_of(s.title) for s in sections}
    if any("其他重要事项" in s.title or "其他需要说明" in s.title for s in sections):
        covered |= {"operations", "procurement", "assets"}
    for scope, name in REQUIRED_SCOPES.items():
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


CHECKS: dict[str, Callable[[Audit], Iterator[Hit]]] = {
    "sections": check_sections,
    "unit": check_unit,
    "year": check_year,
    "placeholder": check_placeholder,
    "amount": check_amount,
    "share": check_share,
    "change": check_change,
    "completion": check_completion,
    "label": check_label,
    "items": check_items,
    "budget_total": check_budget_total,
    "procurement": check_procurement,
    "same_quantity": check_same_quantity,
    "prior": check_prior,
    "unverified": check_unverified,
}


def all_hits(a: Audit) -> dict[str, list[Hit]]:
    """Every hit of every check, by topic (a rule declares the topic it reports)."""
    out: dict[str, list[Hit]] = {}
    for name, check in CHECKS.items():
        for hit in check(a):
            out.setdefault(hit.fields.get("rule", name), []).append(hit)
    return out


def sections_text(sections: tuple[NarrativeSection, ...]) -> str:
    return "\n".join(s.text for s in sections)
