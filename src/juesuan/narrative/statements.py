"""What the text says against itself: the checks a 情况说明 allows without any table.

Many reports publish the narrative alone (the tables were attachments that are not there), so
the text's own arithmetic is all that can be checked:

- the balance stated in words: 年初结转和结余 + 本年收入 (+ 用事业基金弥补收支差额)
  − 本年支出 (− 结余分配) = 年末结转和结余 (``check_balance``);
- a total and the parts listed under it: the subsections under a section's lead figure, the
  numbered lines under a subsection's (本年收入 = 财政拨款收入 + 事业收入 + …, 本年支出 =
  基本支出 + 项目支出 + …, a class total and its 项) (``check_parts``);
- 财政拨款支出 within what the year's 收支 allow, this year and last year
  (:func:`juesuan.narrative.fiscal.check_fiscal`).

Rounding: a figure printed with fewer decimals than the report's own (2, as a rule) is read as
exact at the report's precision ("2万元" in a report of 2-decimal figures is 2.00, as "9,827.4"
is 9,827.40), so a total that differs from its n rounded parts by more than (n + 1) × 0.005 is
not rounding. Figures said to be approximate (约, 近, 多, 余) keep their printed precision.

Counts, 绩效自评 statements and shares of listed bases are in :mod:`juesuan.narrative.tallies`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import takewhile

from juesuan.model.amount import WAN, wan_text
from juesuan.model.codes import normalize_name
from juesuan.model.report import NarrativeSection
from juesuan.narrative.audit import ZERO, Audit, Hit, hit, places
from juesuan.narrative.claims import (
    Claim,
    ClaimKind,
    Sentence,
    is_budget,
    normalise,
    scope_of,
    sentences,
)
from juesuan.rules.finding import Severity

HALF = Decimal("0.5")
MONEY = ("万元", "万万元", "亿元", "元")


# --- reading the figures --------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """How a report prints its money: the decimals of its 万元 figures, and whether a figure
    in 元 is a slip for 万元 (the unit check reports it; the sums read it as 万元)."""

    decimals: int
    in_wan: bool


def reading(a: Audit) -> Reading:
    money = [c for c in a.claims if c.kind is ClaimKind.AMOUNT and c.unit in MONEY]
    wan = [c for c in money if c.unit == "万元"]
    in_wan = len(money) >= 5 and len(wan) >= 0.9 * len(money)
    decimals = Counter(places(c.value) for c in wan if c.value != 0)
    # the report's precision: the decimals most of its non-zero figures print
    precision = max(decimals, key=lambda d: (decimals[d], d)) if decimals else 0
    return Reading(precision, in_wan)


_APPROXIMATE = re.compile(r"[约近]\s*$|^\s*(?:多|余|左右)")


def wan(c: Claim, r: Reading) -> tuple[Decimal, Decimal]:
    """A stated amount in 万元 and its half-width at the report's precision."""
    value = c.value
    if c.unit == "亿元":
        value *= WAN
    elif c.unit == "元" and not r.in_wan:
        value /= WAN
    text = normalise(c.sentence)
    approximate = bool(
        _APPROXIMATE.search(text[max(0, c.start - 2) : c.start])
        or _APPROXIMATE.search(text[c.end : c.end + 2])
    )
    digits = places(c.value) if approximate else max(places(c.value), r.decimals)
    half = HALF * Decimal(1).scaleb(-digits)
    if c.unit == "亿元":
        half *= WAN
    elif c.unit == "元" and not r.in_wan:
        half /= WAN
    return value, half


def money(c: Claim) -> bool:
    return c.kind is ClaimKind.AMOUNT and c.unit in MONEY


def fmt(x: Decimal) -> str:
    """An amount already in 万元, printed as the report prints it."""
    return wan_text(x * WAN)


# --- the name a figure is compared under ----------------------------------------------------

_LEADING_YEAR = re.compile(r"^((?:19|20)\d{2})(?:年度?)?")
_SENTENCE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_LIST_MARK = re.compile(r"其中|主要包括|包括")
_IN_SENTENCE_ITEM = re.compile(r"(?<![\d.])(\d{1,2})\s*[、．.](?!\d)\s*([^\s,，;；:：。\d]{2,30})")


_DETAILS = re.compile(r"^\s*(?:具体为|具体是|具体包括|明细为)")


# subsections that state one fund's or the 财政拨款's figures inside a section about the whole
_FUND_SCOPES = frozenset({"fiscal", "gpb", "fund", "capital"})


def same_name(
    a: Audit,
    c: Claim,
    sentence: Sequence[Claim],
    previous: Sequence[Claim] = (),
    heading: str = "",
) -> str | None:
    """The name under which a statement is compared, or None (too short to name anything).

    "2015本年收入" is 本年收入 in a 2015 report; "2014年度公务接待费" is last year's and another
    quantity; "商品和服务支出 77.69 万元，其中…公务接待费 0.35 万元" is an item of 商品和服务支出
    (基本支出 only), not the 三公 公务接待费; "1、专项业务经费 预算下达…，实际支出 23.32 万元"
    states 实际支出 of that item, not of the next one; "（2）民政管理事务（20802）3,386.08 万元…。
    具体为：人员经费 1,541.50 万元…" (``previous``: the sentence before) states 人员经费 of that 项,
    not of the next one's; "支出预算总计 181807.13 万元" under "（二）财政拨款收支情况"
    (``heading``) is the 财政拨款 one, not the 支出预算总计 of the section's （一）."""
    name = normalize_name(c.subject)
    year = a.report.year
    qualifier = ""
    if m := _LEADING_YEAR.match(name):
        name = name[m.end() :]
        if year is not None and int(m.group(1)) != year:
            qualifier = f"{m.group(1)}年:"
    text = normalise(c.sentence)
    years = [int(y) for y in _SENTENCE_YEAR.findall(text[: c.start])]
    if not qualifier and year is not None and years and years[-1] != year:
        qualifier = f"{years[-1]}年:"
    if len(name) < 4:
        return None
    if heading and (fund := scope_of(heading)) in _FUND_SCOPES:
        titles = [s.title for s in a.report.sections if s.number == c.section]
        if titles and scope_of(titles[0]) != fund:
            qualifier += f"{fund}:"
    before = [x for x in sentence if x.kind is ClaimKind.AMOUNT and x.end <= c.start]
    marks = [m for m in _LIST_MARK.finditer(text, 0, c.start)]
    if marks and before:
        heads = [x for x in before if x.end <= marks[-1].start()]
        if heads:
            qualifier += normalize_name(heads[-1].subject) + "/"
    items = list(_IN_SENTENCE_ITEM.finditer(text, 0, c.start))
    if items and any(x.start > items[-1].end() for x in before):
        # not the first figure of its numbered item: an attribute of that item
        qualifier += items[-1].group(2) + "/"
    if _DETAILS.match(text):
        lead = next((x for x in previous if x.kind is ClaimKind.AMOUNT), None)
        if lead is not None and normalize_name(lead.subject):
            qualifier += normalize_name(lead.subject) + "/"
    labels = list(_LABEL.finditer(text, 0, c.start))
    if labels and normalize_name(labels[-1].group(1)) not in name:
        # "检察（款）：2018年支出合计…" states the figure of that 款
        qualifier += normalize_name(labels[-1].group(1)) + "/"
    topics = [m for m in _TOPIC.finditer(text, 0, c.start) if m.group(1) not in _NOT_TOPICS]
    if topics and normalize_name(topics[-1].group(1)) not in name:
        # "（1）人员经费：①行政运行 1641.18 万元…（2）公用经费：①行政运行 124.00 万元": the
        # 行政运行 of each numbered topic
        qualifier += normalize_name(topics[-1].group(1)) + "/"
    return qualifier + name


_LABEL = re.compile(r"([^，,；;。:：]{2,30}[（(][类款项][）)])\s*[:：]")
# a numbered topic a list goes on under: "③专项业务经费：商品和服务支出（502）…"
_TOPIC = re.compile(
    r"(?:[①-⑳]|[（(]\d{1,2}[）)]|(?<![\d.])\d{1,2}[、．])\s*([^\s，,；;。:：\d（()）]{2,12})[:：]"
)
_NOT_TOPICS = {"其中", "具体为", "具体是", "包括", "主要包括", "分别为", "主要用于", "具体如下"}
_LISTED = re.compile(r"其中|包括|^\s*[（(]?\d{1,2}[）)．.、]|^\s*[（(][一二三四五六七八九十]+[）)]")


def listed(c: Claim) -> bool:
    """Is a figure an item of a list (其中…, 包括…, "（1）办公费…")? An item is of its list's
    口径: 办公费 among the 公用经费 items of 六 is not 办公费 among the 机关运行经费 items of 十."""
    return bool(_LISTED.search(normalise(c.sentence)[: c.start]))


# --- the layout of a section ----------------------------------------------------------------


@dataclass
class Line:
    """A sentence of a section with the claims read from it."""

    sentence: Sentence
    claims: list[Claim]

    @property
    def text(self) -> str:
        return normalise(self.sentence.text)

    def first_amount(self) -> Claim | None:
        """The figure a line states first (a budget figure is the plan, not the amount)."""
        return next((c for c in self.claims if money(c) and not is_budget(c.subject)), None)


_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．、](?!\s*\d)")


def numbered(text: str) -> int | None:
    m = _NUMBERED.match(text)
    return int(m.group(1)) if m else None


def layout(a: Audit, section: NarrativeSection) -> list[Line]:
    by_sentence = a.by_sentence()
    return [Line(s, by_sentence.get((section.number, s.text), [])) for s in sentences(section)]


def layouts(a: Audit) -> list[tuple[NarrativeSection, list[Line]]]:
    return [(s, layout(a, s)) for s in a.report.sections]


# --- the balance ------------------------------------------------------------------------------

_ROLES = (
    ("opening", re.compile(r"年初(?:财政拨款)?结转(?:和)?结余$")),
    ("closing", re.compile(r"年末(?:财政拨款)?结转(?:和)?结余$")),
    ("cover", re.compile(r"事业基金弥补收支差额$|使用非财政拨款结余$")),
    ("distribution", re.compile(r"结余分配$")),
    ("income", re.compile(r"(?:^|本年)收入(?:合计)?$|^收入决算$")),
    ("spending", re.compile(r"(?:^|本年)支出(?:合计)?$|^支出决算$")),
)
_SIGN = {"opening": 1, "income": 1, "cover": 1, "spending": -1, "distribution": -1}
_ROLE_NAMES = {
    "opening": "年初结转和结余",
    "income": "本年收入",
    "cover": "事业基金弥补收支差额（使用非财政拨款结余）",
    "spending": "本年支出",
    "distribution": "结余分配",
}


def _roles(claims: list[Claim]) -> dict[str, Claim]:
    out: dict[str, Claim] = {}
    for c in claims:
        if not money(c):
            continue
        subject = re.sub(r"^(?:19|20)\d{2}年?度?", "", normalize_name(c.subject))
        for role, pattern in _ROLES:
            if pattern.search(subject):
                out.setdefault(role, c)
                break
    return out


def _balance(roles: dict[str, Claim], r: Reading) -> tuple[Decimal, Decimal, list[str]]:
    """年初 + 收入 + 弥补 − 支出 − 分配, its rounding half-width, and the terms in words."""
    total, tolerance = ZERO, ZERO
    terms: list[str] = []
    for role, sign in _SIGN.items():
        if role not in roles:
            continue
        value, half = wan(roles[role], r)
        total += sign * value
        tolerance += half
        terms.append(f"{'+' if sign > 0 else '−'} {_ROLE_NAMES[role]} {roles[role].text}")
    return total, tolerance, terms


def balanced_roles(a: Audit, r: Reading) -> dict[str, Claim] | None:
    """The roles of the first sentence of 四 that states the whole balance, if it holds."""
    for (_section, _text), claims in a.by_sentence().items():
        roles = _roles(claims)
        if claims[0].scope != "overall" or not set(roles) >= _WHOLE:
            continue
        total, tolerance, _terms = _balance(roles, r)
        closing, half = wan(roles["closing"], r)
        return roles if abs(total - closing) <= tolerance + half else None
    return None


_WHOLE = {"opening", "income", "spending", "closing"}


def check_balance(a: Audit) -> Iterator[Hit]:
    """年初结转和结余 + 本年收入 (+ 事业基金弥补收支差额) − 本年支出 (− 结余分配) =
    年末结转和结余, when one sentence states them all (四 of the older template: "年初结转和
    结余 55.87 万元，本年收入 488.62 万元，本年支出 470.91 万元，…年末结转和结余 73.58 万元")."""
    r = reading(a)
    for (_section, _text), claims in a.by_sentence().items():
        roles = _roles(claims)
        if not set(roles) >= _WHOLE:
            continue
        total, tolerance, terms = _balance(roles, r)
        closing, half = wan(roles["closing"], r)
        tolerance += half
        if abs(total - closing) > tolerance:
            yield hit(
                roles["closing"],
                expected=fmt(total),
                problem=f"{' '.join(terms).lstrip('+ ')} = {fmt(total)}，"
                f"而年末结转和结余为 {roles['closing'].text}",
            )


# --- a total and its listed parts ------------------------------------------------------------

_ANNOUNCES = re.compile(r"如下|包括|以下|[:：]\s*$")
# how a listed block opens: its subsection's numeral, or its line's number
_SUBSECTION_HEAD = re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]")
_ITEM_HEAD = _NUMBERED


@dataclass
class Listing:
    """A total and the figures of the blocks listed under it."""

    total: Claim
    parts: list[Claim]

    @property
    def whole(self) -> bool:
        """Is the list the whole breakdown? The sources of 本年收入 and the kinds of 本年支出
        are a fixed list (收入决算表, 支出决算表): listed by those names, nothing is left out."""
        names = [short_subject(normalize_name(p.subject)) for p in self.parts]
        return len(names) >= 3 and all(n.endswith(_BREAKDOWN) for n in names)


# The columns of 收入决算表 and 支出决算表: what 本年收入 and 本年支出 consist of.
_BREAKDOWN = (
    "财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
    "基本支出",
    "项目支出",
    "上缴上级支出",
    "经营支出",
    "对附属单位补助支出",
)
# A list that leaves more of its total unexplained is a selection (主要项目), not a slip.
_SELECTION = Decimal("0.1")


def _announces(head: list[Line], total: Claim) -> bool:
    """Does the head say a list of parts follows: in the total's own sentence, or in a line of
    its own ("具体情况如下：", "包括：")? "主要原因如下" announces reasons, not parts."""
    for ln in head:
        own = ln.sentence.text == total.sentence or not ln.claims
        if own and _ANNOUNCES.search(ln.text) and "原因" not in ln.text:
            return True
    return False


def _listing(head: list[Line], blocks: list[list[Line]], opener: re.Pattern[str]) -> Listing | None:
    """The total of ``head`` and the first figure of each block, when the head announces a
    list ("具体情况如下：", "包括：") and every block states a figure of its own."""
    if len(blocks) < 2:
        return None
    stated = [c for ln in head for c in ln.claims if money(c) and not is_budget(c.subject)]
    if len({c.value for c in stated}) != 1:
        return None  # no figure, or several: the head is itself a list, not one total
    total = stated[0]
    if not _announces(head, total):
        return None
    parts: list[Claim] = []
    for block in blocks:
        part = block[0].first_amount() if block and opener.match(block[0].text) else None
        if part is None:
            # a block without a figure of its own: the list is not one of amounts (a
            # subsection whose heading line states nothing opens with its first item's figure)
            return None
        if normalize_name(part.subject) == normalize_name(total.subject):
            return None  # "（一）总体情况：…支出 217.00 万元" restates the total
        parts.append(part)
    whole = [p for p in parts if p.value == total.value and p.value != 0]
    others = [p for p in parts if p.value != total.value and p.value != 0]
    if len(whole) > 1 or (whole and others):
        return None  # "收、支总计均为 X：（一）收入总计 X（二）支出总计 X": no partition
    return Listing(total, parts)


def _subsections(lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """The lines before the first （一）, and the lines of each subsection."""
    head = list(takewhile(lambda ln: ln.sentence.subsection is None, lines))
    blocks: dict[str, list[Line]] = {}
    for ln in lines[len(head) :]:
        if ln.sentence.subsection is not None:
            blocks.setdefault(ln.sentence.subsection, []).append(ln)
    return head, list(blocks.values())


def _items(lines: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    head: list[Line] = []
    blocks: list[list[Line]] = []
    expected = 1
    for ln in lines:
        n = numbered(ln.text)
        if n == expected:
            blocks.append([ln])
            expected += 1
        elif blocks:
            blocks[-1].append(ln)
        else:
            head.append(ln)
    return head, blocks


def listings(lines: list[Line]) -> Iterator[Listing]:
    """Every total of a section with the parts listed under it: the section's lead figure over
    its subsections, and each subsection's (or the lead's) figure over its numbered lines."""
    head, blocks = _subsections(lines)
    if (found := _listing(head, blocks, _SUBSECTION_HEAD)) is not None:
        yield found
    for block in [head, *blocks]:
        item_head, items = _items(block)
        if (found := _listing(item_head, items, _ITEM_HEAD)) is not None:
            yield found


def check_parts(a: Audit) -> Iterator[Hit]:
    """The parts listed under a total add up to it. More than the total is an error. Less is
    an error when the list is the whole breakdown (the sources of 本年收入, the kinds of 本年
    支出), a warning when a little is unexplained (a part may be left out of the list), and
    nothing when much is (a list of the main items only)."""
    r = reading(a)
    for _section, lines in layouts(a):
        for listing in listings(lines):
            t, t_h = wan(listing.total, r)
            s = sum((wan(p, r)[0] for p in listing.parts), ZERO)
            tolerance = t_h + sum((wan(p, r)[1] for p in listing.parts), ZERO)
            if abs(s - t) <= tolerance:
                continue
            listed = "、".join(f"{short_subject(p.subject)} {p.text}" for p in listing.parts)
            if s > t:
                severity, why = None, "超过合计"
            elif listing.whole:
                severity, why = None, "少于合计（所列为本年收支的全部构成）"
            elif t - s <= _SELECTION * t:
                severity, why = Severity.WARNING, "少于合计（或有未列出的项目）"
            else:
                continue
            first = next((p for p in listing.parts if p.value != 0), listing.parts[0])
            yield hit(
                first if s < t and listing.whole else listing.total,
                severity,
                expected=fmt(s),
                problem=f"{short_subject(listing.total.subject)} {listing.total.text}，所列各项"
                f"（{listed}）合计 {fmt(s)}，{why}",
            )
    yield from _sibling_lists(a, r)


def short_subject(subject: str) -> str:
    s = re.sub(r"[（(](?:科目)?编[码号][:：]?\s*\d+[）)]", "", subject)
    return re.sub(r"^(?:19|20)\d{2}年?度?", "", s)


_SUBLIST = re.compile(r"其中")


def _sublist(ln: Line) -> tuple[Claim, list[Claim]] | None:
    """A line's lead figure and the figures of the 其中 list that follows it in the line
    ("…244.85万元（其中按照项级科目统计，…36.53万元；…11万元）"), up to where the list's
    parenthesis closes."""
    total = ln.first_amount()
    if total is None:
        return None
    text = ln.text
    m = _SUBLIST.search(text, total.end)
    if m is None:
        return None
    stop = len(text)
    opened = text.rfind("（", total.end, m.start())
    if opened >= 0 and ")" not in text[opened : m.start()] and "）" not in text[opened : m.start()]:
        close = text.find("）", m.end())
        stop = close if close >= 0 else stop
    parts = [
        c for c in ln.claims if money(c) and m.end() <= c.start < stop and not is_budget(c.subject)
    ]
    return (total, parts) if parts else None


def _sibling_lists(a: Audit, r: Reading) -> Iterator[Hit]:
    """ "（七）农林水支出 244.85 万元（其中…36.53 万元；…56.66 万元）" in a section whose other
    subsections itemise their 项 in full: the one list that falls short is a warning. Where
    itemising only some 项 is the report's habit, a short list says nothing."""
    for _section, lines in layouts(a):
        _head, blocks = _subsections(lines)
        lists = [found for block in blocks if block and (found := _sublist(block[0]))]
        complete, short = [], []
        for total, parts in lists:
            t, t_h = wan(total, r)
            s = sum((wan(p, r)[0] for p in parts), ZERO)
            tolerance = t_h + sum((wan(p, r)[1] for p in parts), ZERO)
            if s < t - tolerance:
                short.append((total, parts, s))
            elif s <= t + tolerance:
                complete.append(total)
        if len(short) != 1 or len(complete) < 3:
            continue
        total, parts, s = short[0]
        yield hit(
            total,
            Severity.WARNING,
            expected=fmt(s),
            problem=f"{short_subject(total.subject)} {total.text}，其中所列各项合计 {fmt(s)}，"
            f"{fmt(wan(total, r)[0] - s)} 未予说明（其他 {len(complete)} 项均列全）",
        )
