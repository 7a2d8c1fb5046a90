"""Claims: every figure the narrative states, with what it names and how it is phrased.

Deterministic and offline: regular expressions over the section text, tolerant of the number
formats of real reports (thousands separators, spaces inside numbers, full-width digits and
％, 1–4 decimals). Lines are joined first, since published text breaks lines mid-sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from juesuan.limits import DIGITS_CEILING, number_digits
from juesuan.model import sections
from juesuan.model.amount import parse_amount
from juesuan.model.report import NarrativeSection
from juesuan.model.source import Source

# One-to-one replacements, so offsets in the normalised text are offsets in the original.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，：；", "0123456789.%,:;")

UP = ("增加", "增长", "上升", "提高", "增")
DOWN = ("减少", "下降", "降低", "减")
DIRECTION = re.compile(r"(增加|减少|增长|下降|上升|降低|提高)了?\s*$")
SHARE = re.compile(r"占(?P<base>[^，,；;。：:%0-9]{0,16}?)(?:的)?\s*$")
COMPLETION = re.compile(r"完成(?P<base>[^，,；;。%0-9]{0,10}?)(?:的)?\s*$")
# A figure and its unit. A number is digits with optional separators and decimals; spaces may
# sit inside it ("66. 85%"). Counts are kept (个, 人次, 辆 …) for the 三公 and asset sections.
FIGURE = re.compile(
    r"(?<![\d.])(?P<num>\d{1,3}(?:,\s?\d{3})+(?:\s?\.\s?\d+)?|\d+(?:\s?\.\s?\d+)?)"
    r"\s*(?P<unit>万\s?万\s?元|万\s?元|亿\s?元|元|%|个|人次|辆|台（套）|台\(套\)|台|批次|次)"
)
_LEAD = re.compile(
    r"^(?:其中|主要包括|主要用于|包括|具体情况如下|主要是|分别为|分别是|具体为|合计)[:：]?"
)
_YEAR = re.compile(r"\d{4}\s*年(?:度|末|期末)?")
_CODE_NOTE = re.compile(r"[（(]\s*(?:科目)?编[码号]\s*[:：]?\s*\d{3,7}\s*[）)]")
# (a bare code only after the numeral: "10011预算执行率" in a 绩效 table keeps its digits)
_NUMBERING = re.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[）)](?:\d{3}(?:\d{2}){0,2}(?=[\u4e00-\u9fff]))?)?"
    r"(?:[〔［\[]\d{3}(?:\d{2}){0,2}[〕］\]])?"
)
_TAIL = re.compile(r"(?:各|均|共|达到|达|为|是|约|分别)+\s*$")


# Subjects that say "the budget" or "the actual" without saying of what.
GENERIC = re.compile(r"^(?:支出)?(?:决算数?|年初预算数?|预算数?|初预算)$|^$")
BUDGET = re.compile(r"(?:年初预算|预算数|初预算|预算)(?:数)?$")


def is_budget(subject: str) -> bool:
    """年初预算 figures come from the budget, not from the 决算 tables."""
    return bool(BUDGET.search(subject))


class ClaimKind(StrEnum):
    AMOUNT = "amount"  # X 万元 named by its subject
    CHANGE = "change"  # 增加/减少 X 万元
    RATE = "rate"  # 增长/下降 Y%
    SHARE = "share"  # 占 Y%
    COMPLETION = "completion"  # 完成年初预算的 Y%
    PERCENT = "percent"  # any other percentage (执行率 95%)
    COUNT = "count"  # 0 个, 3 辆


@dataclass(frozen=True, slots=True)
class Claim:
    kind: ClaimKind
    value: Decimal  # as printed: the exponent keeps the printed decimals
    unit: str  # 万元, 元, 万万元, %, 个 …
    subject: str  # the words that name the figure, normalised
    section: str  # 情况说明 section number ("一" … "十三") or a part ("第五部分")
    sentence: str  # the sentence as printed (lines joined)
    start: int  # offsets of the figure (number and unit) in the sentence
    end: int
    direction: str | None = None  # 增加 / 减少 / 增长 / 下降 … for changes
    base: str | None = None  # the words after 占 / 完成 (占本年支出合计的 → 本年支出合计)
    context: str = ""  # the first specific subject of the sentence (支出决算 → of what)
    scope: str = ""  # what the section is about: overall, income, gpb, sangong … (see scope_of)
    item: str | None = None  # the numbered item (类)(款)(项) heading the sentence belongs to
    subsection: str | None = None  # （一）（二）（三）
    source: Source | None = None

    @property
    def text(self) -> str:
        return self.sentence[self.start : self.end]


def scope_of(title: str) -> str:
    """What a section covers (overall, income, gpb, sangong … or "other"), from its title words:
    the vocabulary is data (``model/data/sections.toml``), since regions word titles differently."""
    return sections.scope_of(title)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    section: str
    subsection: str | None
    item: str | None
    source: Source | None
    # (offset in ``text`` where a printed line starts, where that line was read)
    lines: tuple[tuple[int, Source | None], ...] = ()
    heading: str = ""  # the title of its （一）（二） sub-section ("政府采购支出情况")

    def source_at(self, offset: int) -> Source | None:
        """Where the character at ``offset`` was printed: its line, else the section."""
        found = self.source
        for start, source in self.lines:
            if start > offset:
                break
            found = source or found
        return found


_SUBSECTION = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]")
_ITEM = re.compile(r"^(\d{1,2})\s*[.．、](?!\s*\d)\s*(.*)$")  # "1. 一般…", not "24.02 万元"
_CHAIN = re.compile(r"[（(](?:类|款|项)[）)]")


def normalise(text: str) -> str:
    return text.translate(_FULLWIDTH)


def _plain(text: str) -> str:
    """Drop markdown emphasis that some extractions keep (``**因公出国（境）费**``)."""
    return text.replace("**", "")


def sentences(section: NarrativeSection) -> tuple[Sentence, ...]:
    """The section's sentences (computed once per section: every check reads them)."""
    return _sentences(section)


@lru_cache(maxsize=512)
def _sentences(section: NarrativeSection) -> tuple[Sentence, ...]:
    return tuple(_split_sentences(section))


def _split_sentences(section: NarrativeSection) -> Iterator[Sentence]:
    """Split a section into sentences, tracking （一）（二） sub-sections and numbered items.

    Lines are joined without a separator (publishers break lines anywhere); a line that starts
    a sub-section or a numbered item also starts a new sentence."""
    subsection: str | None = None
    heading_text = ""
    item: str | None = None
    item_at: int | None = None  # where the current item's heading starts in the buffer
    buffer = ""
    starts: list[tuple[int, Source | None]] = []
    raw_lines = section.text.split("\n")
    line_sources = section.line_sources or (None,) * len(raw_lines)

    def heading(buffer: str) -> str | None:
        # an item heading runs to its first 。, over as many printed lines as it wraps onto
        if item_at is None:
            return item
        head = buffer[item_at:].split("。")[0]
        return head if _CHAIN.search(head) else None

    for raw, line_source in zip(raw_lines, line_sources, strict=False):
        line = raw.strip()
        if not line:
            continue  # many extractions double-space their lines; a blank line ends nothing
        starts_block = bool(_SUBSECTION.match(line) or _ITEM.match(line))
        if starts_block and buffer:
            yield from _split(buffer, starts, section, subsection, heading(buffer), heading_text)
            buffer, starts = "", []
        if m := _SUBSECTION.match(line):
            subsection, item, item_at = m.group(1), None, None
            rest = line[m.end() :]
            heading_text = re.split(r"[。，,]", rest)[0][:40]
            if "。" not in rest and not FIGURE.search(normalise(rest)) and len(rest) < 40:
                continue  # a heading such as "（一）总体情况": not part of the next sentence
        elif m := _ITEM.match(line):
            item, item_at = None, len(buffer) + m.start(2)
        starts.append((len(buffer), line_source))
        buffer += line
    if buffer:
        yield from _split(buffer, starts, section, subsection, heading(buffer), heading_text)


def _split(
    text: str,
    starts: list[tuple[int, Source | None]],
    section: NarrativeSection,
    subsection: str | None,
    item: str | None,
    heading_text: str = "",
) -> Iterator[Sentence]:
    offset = 0
    # a 。 that closes a parenthesised breakdown ("（公务用车购置费 …，比上年减少2.96万元。）比上年
    # 增加46.49万元") does not end the sentence: the parenthesis does
    for part in re.split(r"(?<=[。！？])(?![）)])", text):
        begin = offset + len(part) - len(part.lstrip())
        offset += len(part)
        if not part.strip():
            continue
        # the lines this sentence spans, with offsets relative to the sentence
        lines: list[tuple[int, Source | None]] = []
        for start, source in starts:
            if start < offset:
                lines.append((max(0, start - begin), source))
        lines = [ln for ln in lines if ln[0] > 0] or lines[-1:]
        first = next((s for st, s in reversed(starts) if st <= begin), section.source)
        yield Sentence(
            _plain(part.strip()),
            section.number,
            subsection,
            item,
            section.source,
            ((0, first), *((st, s) for st, s in lines if st > 0)),
            heading_text if subsection else "",
        )


def extract(section: NarrativeSection) -> list[Claim]:
    """Every stated figure of a section. A section whose title names no single subject
    (其他重要事项) takes each sub-section's subject from its heading (（二）政府采购支出情况)."""
    scope = scope_of(section.title)
    out: list[Claim] = []
    for sent in sentences(section):
        own = scope_of(sent.heading) if scope == "other" and sent.heading else "other"
        out.extend(_claims(sent, own if own != "other" else scope))
    return out


def _claims(sent: Sentence, scope: str) -> Iterator[Claim]:
    text = normalise(sent.text)
    previous_end = 0
    previous_subject = ""
    previous: Claim | None = None
    context = ""
    for m in FIGURE.finditer(text):
        value = parse_amount(m.group("num").replace(" ", ""))
        if value is None or number_digits(value) > DIGITS_CEILING:
            continue  # a number of 25 digits is an account or an ID, never a stated amount
        # "17981.68 万 元" (江苏 2017: a text layer with a space between every character)
        unit = re.sub(r"\s", "", m.group("unit")).replace("(", "（").replace(")", "）")
        # a printed code note "（科目编码：2210202）" names nothing, and its colon ends no clause
        before = _CODE_NOTE.sub("", text[previous_end : m.start()])
        clause = re.split(r"[,;:，；：。]|(?<!收)、(?!支)", before)[-1]
        kind, direction, base = _kind(clause, unit)
        if (
            kind is ClaimKind.PERCENT
            and not clause.strip()
            and previous is not None
            and previous.kind in (ClaimKind.SHARE, ClaimKind.RATE, ClaimKind.COMPLETION)
            and re.fullmatch(r"\s*[、,，]\s*", before)
        ):
            # "分别占 74.30%、25.70%": a bare percentage continues the list before it
            kind, direction, base = previous.kind, previous.direction, previous.base
        subject = _subject(clause, direction, base) or (
            previous_subject if kind is not ClaimKind.AMOUNT else ""
        )
        if kind in (ClaimKind.AMOUNT, ClaimKind.CHANGE) and subject:
            previous_subject = subject
            if not context and not GENERIC.match(subject):
                context = BUDGET.sub("", subject)
        previous = Claim(
            kind=kind,
            value=value,
            unit=unit,
            subject=subject,
            section=sent.section,
            sentence=sent.text,
            start=m.start(),
            end=m.end(),
            direction=direction,
            base=base,
            context=context,
            scope=scope,
            item=sent.item,
            subsection=sent.subsection,
            source=sent.source_at(m.start()),
        )
        yield previous
        previous_end = m.end()


def _kind(clause: str, unit: str) -> tuple[ClaimKind, str | None, str | None]:
    if unit in ("个", "人次", "辆", "台", "台（套）", "批次", "次"):
        return ClaimKind.COUNT, None, None
    d = DIRECTION.search(clause)
    if unit == "%":
        if d:
            return ClaimKind.RATE, d.group(1), None
        if s := SHARE.search(clause):
            return ClaimKind.SHARE, None, re.sub(r"\s+", "", s.group("base"))
        if c := COMPLETION.search(clause):
            return ClaimKind.COMPLETION, None, re.sub(r"\s+", "", c.group("base"))
        return ClaimKind.PERCENT, None, None
    if d:
        return ClaimKind.CHANGE, d.group(1), None
    return ClaimKind.AMOUNT, None, None


def _subject(clause: str, direction: str | None, base: str | None) -> str:
    s = clause
    if direction:
        s = DIRECTION.sub("", s)
    s = _YEAR.sub("", s)
    s = re.sub(r"与上一?年度?相比|与\d{4}年度?相比|比上年|较上年|同比", "", s)
    s = re.sub(r"\s+", "", s).replace("收、支", "收支")
    # "较2015决算数" (年 left out) is 较上年决算数 too
    s = re.sub(r"^(?:比|较|与)(?:\d{4}|上年|年初)?(?:决算数|预算数?|年初预算数?)?", "", s)
    s = re.sub(r"^\d{1,2}[.．、]|^[（(]\d{1,2}[）)]", "", s)
    # a sub-section's numeral and a printed classification code are not the subject's name:
    # "（一）2140101交通运输支出（类）…", "（一）〔2011501〕工商行政管理事务—行政运行支出"
    s = _NUMBERING.sub("", s)
    s = _LEAD.sub("", s)
    s = _TAIL.sub("", s)
    return re.sub(r"[“”\"‘’]", "", s)


def document_claims(sections: tuple[NarrativeSection, ...]) -> list[Claim]:
    out: list[Claim] = []
    for section in sections:
        out.extend(extract(section))
    return out
