"""Headings of a 部门决算 text: 第X部分 parts, 一、… 十X、 sections, （一） sub-sections, 1. items,
and 目录 (table of contents) entries; and the splitting of a line that holds several of them.

Published text does not keep headings on lines of their own: a crawled page flattens the whole
body onto one line ("…如下: 一、 部门主要职责平潭综合实验区…二、部门预算单位基本情况…"), a DOCX
paragraph runs a heading into its text. A numeral with 、 is a heading only where a title follows
it (a title ends at one of the vocabulary's title endings, ``model/data/sections.toml``, before
any sentence punctuation), and not where it is part of running text: "第三、四季度", a list
"一、二、三类", a quoted title "“三、…”". Whether a heading opens a section (sections only go
up) is decided by :mod:`juesuan.readers.narrative`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from juesuan.model.sections import title_endings

_NUMERALS = "一二三四五六七八九十"
NUMERAL = f"[{_NUMERALS}]"
PART = re.compile(rf"^第{NUMERAL}+部分")
SECTION = re.compile(rf"^({NUMERAL}+)、\s*(.+)$")
_SECTION_AT = re.compile(rf"({NUMERAL}{{1,3}})\s*、\s*")
_PART_AT = re.compile(rf"第({NUMERAL}{{1,3}})部分\s*")
_SUB_AT = re.compile(rf"[（(]\s*{NUMERAL}{{1,3}}\s*[）)]")
# "1. 财政拨款收入" / "2、财政事务", not "1.5 万元"
_ITEM_AT = re.compile(r"(?<![\d.．])\d{1,2}\s*[.．、](?![\d.．])\s*(?=[\u4e00-\u9fff（(〔“])")
# dotted leaders of a 目录 entry, with the page number after them
LEADERS = re.compile(r"(?:[.．·•…]\s?){4,}|…{2,}")
_LEADER_TAIL = re.compile(r"\s*(?:(?:[.．·•…]\s?){3,}|…{2,})\s*\d{0,3}")
TOC_MARK = re.compile(r"^目\s{0,3}录\s*$")
_TOC_AT = re.compile(rf"目\s{{0,3}}录(?=\s*(?:{NUMERAL}、|第{NUMERAL}部分|1[.．、]))")
# An attachment list naming the tables (附件： 1.收支决算总表 2.收入决算表 …): the annex ends the
# narrative, and it says the tables are published elsewhere.
# Two table names close together make a list (not "附表：2017年度部门决算表", a 目录 entry).
ANNEX = re.compile(
    r"(?:附件|附表)\s*[:：]\s*"
    r"(?=(?:.{0,60}?(?:决算表|决算总表|情况表|统计表|明细表|\.xlsx?|\.docx?)){2})",
    re.IGNORECASE,
)
_SENTENCE_PUNCT = "，。；：,;:！？!?"
_YEAR_START = re.compile(r"^20\d{2}\s*年")
# "一、二、三类", "二、三级预算单位": the next numeral of a list, or a numeral counting something
_LIST = re.compile(rf"^{NUMERAL}{{1,3}}\s*(?:[、，,]|[级类季个批次项层档种等倍成名位人])")
# characters after which a numeral with 、 is running text, not a heading
_NOT_AFTER = frozenset("第、" + _NUMERALS + "“‘《〈「『\"'（(【〔[")
# characters after a title ending that carry the title on (政府采购支出、国有资产占用情况说明;
# 其他需要说明的情况; 政府采购情况表)
_CONTINUES = frozenset('、及和与的表”’"》')
_TITLE_MAX = 40
# a sentence goes on after its full stop: "一、加强党的建设。落实基层党建责任制，…" is a list item
_SENTENCE_INSIDE = re.compile(r"[。；;！？!?]\s*\S")
# a whole line this short that starts with 一、 is a heading even without a title ending
# (十四、财政专项支出、专项转移支付支出的部门（单位）)
LINE_HEADING_MAX = 60

_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    """一 … 九十九 → 1 … 99 (section numbers)."""
    if "十" not in text:
        return _DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_DIGITS.get(tens, 1) if tens else 1) * 10 + _DIGITS.get(ones, 0)


def title_end(rest: str, limit: int = _TITLE_MAX) -> int | None:
    """Where the section title that starts ``rest`` ends: after the first title ending (情况说明,
    职责 …) that the title does not go on from, within ``limit`` characters and before any
    sentence punctuation. None when ``rest`` does not start with a title."""
    if not rest or _LIST.match(rest) or (rest[0].isdigit() and not _YEAR_START.match(rest)):
        return None  # "一、二、三类", "三、4 个": a list or a count, not a title
    stop = min(len(rest), limit)
    for i, ch in enumerate(rest[:stop]):
        if ch in _SENTENCE_PUNCT:
            stop = i
            break
    for m in title_endings().finditer(rest, 0, stop):
        following = rest[m.end() : m.end() + 1]
        if following and following in _CONTINUES:
            continue
        return m.end()
    return None


@dataclass(frozen=True, slots=True)
class Heading:
    """A 一、 section heading read from a whole line."""

    number: str  # 一 … 十三
    title: str

    @property
    def value(self) -> int:
        return chinese_number(self.number)


def section_heading(line: str) -> Heading | None:
    """The section heading a line is, if it is one: a numeral with 、 and a title that either
    ends the line (after the title, only a 目录 entry's leaders and page number) or is all of a
    short line."""
    s = line.strip()
    m = _SECTION_AT.match(s)
    if not m:
        return None
    rest = s[m.end() :]
    if not rest or _LIST.match(rest):
        return None
    end = title_end(rest)
    if end is not None:
        tail = rest[end:]
        if not tail.strip() or _LEADER_TAIL.fullmatch(tail):
            return Heading(m.group(1), rest[:end])
    if len(s) < LINE_HEADING_MAX and not _SENTENCE_INSIDE.search(rest):
        return Heading(m.group(1), rest)
    return None


def is_heading_line(line: str) -> bool:
    """A part, section or sub-section heading line (without deciding whether it opens one)."""
    s = line.strip()
    return bool(PART.match(s) or _SUB_AT.match(s) or section_heading(s))


def wraps_onto(head: str, following: str) -> bool:
    """Does a heading go on onto the next line? PDFs wrap long headings ("第三部分…部门决算情况" /
    "说明", "九、…培训费支出决" / "算情况说明"): the next line is a short end of a title that the
    heading lacks."""
    nxt = following.strip()
    if not nxt or len(nxt) > 8 or "\t" in nxt or is_heading_line(nxt):
        return False
    if any(ch in _SENTENCE_PUNCT or ch.isdigit() for ch in nxt):
        return False
    joined = head.rstrip() + nxt
    endings = title_endings()
    if not any(m.end() == len(joined) for m in endings.finditer(joined, max(0, len(head) - 4))):
        return False
    complete = any(m.end() == len(head.rstrip()) for m in endings.finditer(head.rstrip()))
    return not complete or bool(re.fullmatch(r"(?:的)?(?:情况)?(?:说明|表)", nxt))


def _boundary_before(text: str, i: int) -> bool:
    """Is position ``i`` the start of a clause (start, after a space or sentence punctuation)?"""
    if i == 0:
        return True
    before = text[:i].rstrip()
    return not before or text[i - 1].isspace() or before[-1] in "。；：:;！？!?）)"


def split_line(text: str) -> list[str]:
    """One printed line as the lines it holds: cut before each heading (part, section, 目录,
    sub-section and item after the end of a sentence), after a section title that runs into its
    text, and before an attachment list (kept whole). A line of a table (tabs) is never cut."""
    if "\t" in text or len(text) < 4:
        return [text]
    annex = ANNEX.search(text)
    head_end = annex.start() if annex else len(text)
    cuts: set[int] = set()
    if annex:
        cuts.add(annex.start())
    for m in _SECTION_AT.finditer(text, 0, head_end):
        i = m.start()
        if i > 0 and text[i - 1] in _NOT_AFTER:
            continue
        end = title_end(text[m.end() : head_end])
        if end is None:
            continue
        cuts.add(i)
        after = m.end() + end
        tail = _LEADER_TAIL.match(text, after)
        cuts.add(tail.end() if tail else after)
    for m in _PART_AT.finditer(text, 0, head_end):
        if _boundary_before(text, m.start()):
            cuts.add(m.start())
    for m in _TOC_AT.finditer(text, 0, head_end):
        cuts.update((m.start(), m.end()))
    for pattern in (_SUB_AT, _ITEM_AT):
        for m in pattern.finditer(text, 0, head_end):
            i = m.start()
            before = text[:i].rstrip()
            # also after a space ("…88.42万元 （二）", "减少52.76% 3、农村综合改革"), but not
            # after a number and a space ("合计 12 3、" is no item)
            spaced = i > 0 and text[i - 1].isspace()
            if before and (before[-1] in "。；：:;！？!?" or (spaced and not before[-1].isdigit())):
                cuts.add(i)
    pieces = []
    last = 0
    for cut in sorted(c for c in cuts if 0 < c < len(text)):
        pieces.append(text[last:cut])
        last = cut
    pieces.append(text[last:])
    out = [p.strip() for p in pieces if p.strip()]
    return out or [text]
