"""Plain text as the seeds print it (tables as tab-separated lines under their titles) and as
crawlers save pages (header lines, then the body). The lines go to the shared document
assembly (:mod:`juesuan.readers.assembly`) like every other format: a table is found by its
title words, a table-of-contents line is not a table because no grid follows it, a text with a
narrative and no tables is read as such, and one with neither says what it holds.
"""

from __future__ import annotations

from pathlib import Path

from juesuan.errors import InputError
from juesuan.model.codes import Codes
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.readers.assembly import assemble_document
from juesuan.readers.blocks import Block, Paragraph, TableBlock
from juesuan.readers.layout import GridCell


def decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(path, "not a text file (damaged UTF-16)") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise InputError(path, "not a text file (unknown encoding or binary content)")


def text_blocks(text: str, file: str) -> list[Block]:
    """Lines as blocks: a run of tab-separated lines is one table grid (its rows keep their
    line numbers), every other line a paragraph."""
    blocks: list[Block] = []
    rows: list[list[GridCell]] = []
    first = 0
    for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if "\t" in raw:
            source = Source(file=file, line=n)
            if not rows:
                first = n
            rows.append([GridCell(c, source) for c in raw.rstrip("\n").split("\t")])
            continue
        if rows and raw.strip():
            blocks.append(TableBlock(rows, Source(file=file, line=first)))
            rows = []
        blocks.append(Paragraph(raw, Source(file=file, line=n)))
    if rows:
        blocks.append(TableBlock(rows, Source(file=file, line=first)))
    return blocks


def read_text(data: bytes, path: Path, codes: Codes | None = None) -> Report:
    return assemble_document(
        text_blocks(decode(data, path), str(path)), path, codes=codes, medium="text"
    )
