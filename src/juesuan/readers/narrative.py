"""Split the 情况说明 part of a document into its numbered sections (一 … 十三, or the region's
own numbering), keeping where each section starts. Shared by every reader."""

from __future__ import annotations

import re
from collections.abc import Sequence

from juesuan.model.report import NarrativeSection
from juesuan.model.source import Source

PART = re.compile(r"^第[一二三四五六七八九十]+部分")
SECTION = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")


def split_sections(lines: Sequence[tuple[str, Source | None]]) -> list[NarrativeSection]:
    """``lines`` are the document's lines in reading order with their sources. The body is the
    last part heading that says 情况说明 (an earlier one is the table of contents)."""
    start = None
    for i, (line, _) in enumerate(lines):
        s = line.strip()
        if PART.match(s) and "情况说明" in s:
            start = i
    if start is None:
        return []
    out: list[NarrativeSection] = []
    head: tuple[str, str, Source | None] | None = None
    body: list[str] = []
    for line, source in lines[start + 1 :]:
        s = line.strip()
        if PART.match(s):
            break
        m = SECTION.match(s)
        if m and len(s) < 60:
            if head:
                out.append(NarrativeSection(head[0], head[1], "\n".join(body), head[2]))
            head, body = (m.group(1), m.group(2), source), []
        elif s and head:
            body.append(s)
    if head:
        out.append(NarrativeSection(head[0], head[1], "\n".join(body), head[2]))
    return out
