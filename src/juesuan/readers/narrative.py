"""Split the 情况说明 part of a document into its numbered sections (一 … 十三, or the region's
own numbering), keeping where each section starts. Shared by every reader.

The lines are first put in order (:func:`narrative_lines`): a crawled page's header and site
frame are dropped, a line holding several headings (a whole body flattened onto one line, a
heading run into its text) is cut at them, a heading wrapped over two lines is joined, and the
目录 (table of contents) is left out. Then the body is found (the 情况说明 part, else its first
section with text) and cut into sections, whose numbers only go up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from juesuan.model.report import NarrativeSection
from juesuan.model.sections import scope_of
from juesuan.model.source import Source
from juesuan.readers.crawled import body_lines
from juesuan.readers.headings import (
    ANNEX,
    LEADERS,
    PART,
    SECTION,
    TOC_MARK,
    chinese_number,
    is_heading_line,
    section_heading,
    split_line,
    wraps_onto,
)

__all__ = [
    "PART",
    "SECTION",
    "chinese_number",
    "narrative_lines",
    "split_parts",
    "split_sections",
]

Line = tuple[str, Source | None]

# A part that holds the 情况说明 (第三部分 …部门决算情况说明; 第二部分 部门决算说明).
_NARRATIVE_PART = re.compile(r"情况说明|决算说明\s*$")
# Parts that are not the narrative: a section 一 there is the overview's or the tables'.
_OTHER_PART = re.compile(r"概况|决算表|名词解释|附件|附表")


def narrative_lines(lines: Sequence[Line]) -> list[Line]:
    """The document's lines in reading order as the narrative is split from them: without a
    crawler header and site frame, one heading per line, wrapped headings joined, and no 目录."""
    cut: list[Line] = []
    for text, source in body_lines(lines):
        cut.extend((piece, source) for piece in split_line(text))
    joined: list[Line] = []
    i = 0
    while i < len(cut):
        text, source = cut[i]
        s = text.strip()
        heading = PART.match(s) or section_heading(s)
        if heading and i + 1 < len(cut) and wraps_onto(s, cut[i + 1][0]):
            joined.append((s + cut[i + 1][0].strip(), source))
            i += 2
            continue
        joined.append((text, source))
        i += 1
    toc = _toc(joined)
    return [line for line, skip in zip(joined, toc, strict=True) if not skip]


def _toc(lines: Sequence[Line]) -> list[bool]:
    """Which lines belong to a 目录: headings with dotted leaders (and page numbers), and the
    run of headings after a 目录 line, up to where the numbering starts again (the body's
    第一部分 or 一、) or to the first line that is not a heading (a 目录 line above a table list
    is only its own line)."""
    texts = [text.strip() for text, _ in lines]
    skip = [bool(LEADERS.search(s)) and is_heading_line(s) for s in texts]
    for i, s in enumerate(texts):
        if TOC_MARK.match(s):
            for j in range(i, _toc_end(texts, i + 1)):
                skip[j] = True
    return skip


def _toc_end(texts: Sequence[str], start: int) -> int:
    """Where the 目录 that starts at ``start`` ends."""
    part = section = 0
    for j in range(start, len(texts)):
        s = texts[j]
        if not s or s.isdigit():
            continue  # blank lines and page numbers
        if m := re.match(r"^第([一二三四五六七八九十]+)部分", s):
            number = chinese_number(m.group(1))
            if number <= part:
                return j
            part, section = number, 0
        elif heading := section_heading(s):
            if heading.value <= section:
                return j
            section = heading.value
        elif not is_heading_line(s):
            return j
    return len(texts)


def split_sections(lines: Sequence[Line]) -> list[NarrativeSection]:
    """``lines`` are the document's lines in reading order with their sources. The body is the
    last part heading that says 情况说明 (an earlier one is the table of contents). Section
    numbers only go up: a "一、自评结论" inside 十三 is the annex's own heading, not a section.
    The narrative ends at the next part or at an attachment list naming the tables."""
    lines = narrative_lines(lines)
    start = _start(lines)
    if start is None:
        return []
    out: list[NarrativeSection] = []
    head: tuple[str, str, Source | None] | None = None
    body: list[str] = []
    sources: list[Source | None] = []
    for k, (line, source) in enumerate(lines[start + 1 :], start=start + 1):
        s = line.strip()
        current = chinese_number(head[0]) if head else 0
        if ANNEX.match(s) or (PART.match(s) and not _numbering_goes_on(lines, k, current)):
            break
        if PART.match(s):
            continue
        heading = section_heading(s)
        if heading and heading.value > current:
            if head:
                out.append(_section(head, body, sources))
            head, body, sources = (heading.number, heading.title, source), [], []
        elif s and head and not _PAGE_NUMBER.match(s):
            body.append(s)
            sources.append(source)
    if head:
        out.append(_section(head, body, sources))
    return out


# A page number printed between two lines of one sentence ("增长" / "4" / "13.11%"; "- 3 -";
# "—7—"): not part of the text
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$")


def _section(
    head: tuple[str, str, Source | None], body: list[str], sources: list[Source | None]
) -> NarrativeSection:
    return NarrativeSection(head[0], head[1], "\n".join(body), head[2], tuple(sources))


def _start(lines: Sequence[Line]) -> int | None:
    """The index just before the narrative's first section: the last part heading naming the
    情况说明, else the 收入支出决算总体情况 section that opens a narrative without part headings,
    else the first section 一 followed by text outside the overview and table parts."""
    start = None
    for i, (line, _) in enumerate(lines):
        s = line.strip()
        if PART.match(s) and _NARRATIVE_PART.search(s):
            start = i
    if start is None:
        start = _first_section_with_body(lines)
    if start is None:
        start = _first_section_one(lines)
    if start is None:
        start = _first_part_numbered_on(lines)
    return start


def _numbering_goes_on(lines: Sequence[Line], i: int, current: int) -> bool:
    """Does the part heading at ``i`` go on with the sections' numbering (第二部分 收支情况 then
    五、 after 四、): the parts then divide one narrative (西安's 部门综合预算), not end it."""
    for line, _ in lines[i + 1 :]:
        s = line.strip()
        if PART.match(s):
            return False
        if heading := section_heading(s):
            return current > 0 and heading.value == current + 1
    return False


def _first_part_numbered_on(lines: Sequence[Line]) -> int | None:
    """A document whose parts number their sections on from part to part (第一部分 部门概况 一…四,
    第二部分 收支情况 五…) has no part that is the 情况说明: the narrative is all of them from
    the first part's section 一 on. Returns the index of that first part heading."""
    texts = [line.strip() for line, _ in lines]
    for i, s in enumerate(texts):
        if not PART.match(s):
            continue
        first = next((section_heading(t) for t in texts[i + 1 :] if t), None)
        if first is None or first.value != 1:
            continue
        last = 0
        for k in range(i + 1, len(texts)):
            if PART.match(texts[k]):
                if not _numbering_goes_on(lines, k, last):
                    break
                return i
            if (h := section_heading(texts[k])) and h.value == last + 1:
                last = h.value
    return None


_OVERALL = re.compile(r"^一、\s*(?:部门)?收(?:入)?支(?:出)?(?:决算)?总体情况")


def _followed_by_text(texts: Sequence[str], i: int) -> bool:
    following = next((t for t in texts[i + 1 :] if t), "")
    return bool(following) and not SECTION.match(following) and not PART.match(following)


def _first_section_with_body(lines: Sequence[Line]) -> int | None:
    """Without a 第X部分 heading, the narrative starts at its section 一 (收入支出决算总体情况):
    the last such heading followed by text, not by the next heading (as in a table of
    contents). Returns the index just before it."""
    found = None
    texts = [line.strip() for line, _ in lines]
    for i, s in enumerate(texts):
        if _OVERALL.match(s) and _followed_by_text(texts, i):
            found = i - 1
    return found


def _first_section_one(lines: Sequence[Line]) -> int | None:
    """Older templates open the 情况说明 with the unit's duties (一、部门主要职责): the first
    section 一 followed by text, outside a part that is the overview or the tables, whose title
    the section vocabulary knows (not the first item of a numbered list)."""
    texts = [line.strip() for line, _ in lines]
    in_other_part = False
    for i, s in enumerate(texts):
        if PART.match(s):
            in_other_part = bool(_OTHER_PART.search(s))
            continue
        heading = section_heading(s)
        if (
            heading
            and heading.value == 1
            and not in_other_part
            and scope_of(heading.title) != "other"
            and _followed_by_text(texts, i)
        ):
            return i - 1
    return None


def split_parts(lines: Sequence[Line]) -> list[NarrativeSection]:
    """The document's parts (第一部分 … 第六部分) after the table of contents, as text: the
    annexes, glossary and overview that later checks read (a figure stated twice)."""
    lines = narrative_lines(lines)
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
