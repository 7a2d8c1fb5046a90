"""Split the 情况说明 part of a document into its numbered sections (一 … 十三, or the region's
own numbering), keeping where each section starts. Shared by every reader."""

from __future__ import annotations

import re
from collections.abc import Sequence

from juesuan.model.report import NarrativeSection
from juesuan.model.source import Source

PART = re.compile(r"^第[一二三四五六七八九十]+部分")
SECTION = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")


_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    """一 … 九十九 → 1 … 99 (section numbers)."""
    if "十" not in text:
        return _DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_DIGITS.get(tens, 1) if tens else 1) * 10 + _DIGITS.get(ones, 0)


def split_sections(lines: Sequence[tuple[str, Source | None]]) -> list[NarrativeSection]:
    """``lines`` are the document's lines in reading order with their sources. The body is the
    last part heading that says 情况说明 (an earlier one is the table of contents). Section
    numbers only go up: a "一、自评结论" inside 十三 is the annex's own heading, not a section."""
    start = None
    for i, (line, _) in enumerate(lines):
        s = line.strip()
        if PART.match(s) and "情况说明" in s:
            start = i
    if start is None:
        start = _first_section_with_body(lines)
    if start is None:
        return []
    out: list[NarrativeSection] = []
    head: tuple[str, str, Source | None] | None = None
    body: list[str] = []
    sources: list[Source | None] = []
    for line, source in lines[start + 1 :]:
        s = line.strip()
        if PART.match(s):
            break
        m = SECTION.match(s)
        number = chinese_number(m.group(1)) if m else 0
        current = chinese_number(head[0]) if head else 0
        if m and len(s) < 60 and number > current:
            if head:
                out.append(_section(head, body, sources))
            head, body, sources = (m.group(1), m.group(2), source), [], []
        elif s and head:
            body.append(s)
            sources.append(source)
    if head:
        out.append(_section(head, body, sources))
    return out


def _section(
    head: tuple[str, str, Source | None], body: list[str], sources: list[Source | None]
) -> NarrativeSection:
    return NarrativeSection(head[0], head[1], "\n".join(body), head[2], tuple(sources))


_OVERALL = re.compile(r"^一、\s*(?:部门)?收(?:入)?支(?:出)?(?:决算)?总体情况")


def _first_section_with_body(lines: Sequence[tuple[str, Source | None]]) -> int | None:
    """Without a 第X部分 heading, the narrative starts at its section 一 (收入支出决算总体情况):
    the last such heading followed by text, not by the next heading (as in a table of
    contents). Returns the index just before it."""
    found = None
    texts = [line.strip() for line, _ in lines]
    for i, s in enumerate(texts):
        if not _OVERALL.match(s):
            continue
        following = next((t for t in texts[i + 1 :] if t), "")
        if following and not SECTION.match(following) and not PART.match(following):
            found = i - 1
    return found


def split_parts(lines: Sequence[tuple[str, Source | None]]) -> list[NarrativeSection]:
    """The document's parts (第一部分 … 第六部分) after the table of contents, as text: the
    annexes, glossary and overview that later checks read (a figure stated twice)."""
    heads = [i for i, (line, _) in enumerate(lines) if PART.match(line.strip())]
    out: list[NarrativeSection] = []
    for k, i in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        body = [line.strip() for line, _ in lines[i + 1 : end] if line.strip()]
        title = lines[i][0].strip()
        if not body:
            continue  # a table-of-contents entry
        number = PART.match(title)
        assert number is not None
        out = [p for p in out if p.number != number.group(0)]  # a part seen twice: TOC, then body
        out.append(
            NarrativeSection(
                number.group(0), title[number.end() :].strip(), "\n".join(body), lines[i][1]
            )
        )
    return out
