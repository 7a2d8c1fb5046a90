"""PDF pages one at a time: characters with their boxes, the page's rulings (joined as
:mod:`juesuan.readers.pdf_rulings` does), the ruled grids they form
(:mod:`juesuan.readers.pdf_grid`) with the text of each cell, and the text lines outside them.
See :mod:`juesuan.readers.pdf`."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from typing import Any

from juesuan.model.source import Source
from juesuan.readers import pdf_grid
from juesuan.readers.layout import GridCell
from juesuan.readers.pdf_grid import Layout
from juesuan.readers.pdf_rulings import Ruling, join, page_segments
from juesuan.readers.pdf_settings import DEFAULT_SETTINGS, PdfSettings

BBox = tuple[float, float, float, float]
SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Line:
    text: str
    page: int
    bbox: BBox
    chars: list[Char] = field(default_factory=list, repr=False, compare=False)


@dataclass
class Grid:
    page: int
    top: float
    rows: list[list[GridCell]]
    xs: list[float]


@dataclass
class PageLayout:
    """What one page holds, step by step (what ``--debug-layout`` draws): the drawn segments,
    the rulings they join into, the ruled tables found (boundaries and merged cells) with
    their grids, and the text lines outside them."""

    page: int
    width: float
    height: float
    segments: list[Ruling]
    rulings: list[Ruling]
    tables: list[tuple[Layout, Grid]]
    lines: list[Line]
    n_chars: int


# --- one page ---------------------------------------------------------------------------------


def _chars(textpage: Any, height: float) -> list[Char]:
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # surrogate pairs or generated characters: fall back to one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(n))
    rect = raw.FS_RECTF()
    ref = ctypes.byref(rect)
    get_box = raw.FPDFText_GetLooseCharBox
    handle = textpage.raw
    out: list[Char] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "\x00" or ch == "\ufffe":
            continue
        if not get_box(handle, i, ref):
            continue
        out.append(Char(ch, rect.left, height - rect.top, rect.right, height - rect.bottom))
    return out


def snap(values: list[float], tolerance: float = DEFAULT_SETTINGS.snap) -> list[float]:
    return pdf_grid.snap(values, tolerance)


def cell_text(chars: list[Char], settings: PdfSettings = DEFAULT_SETTINGS) -> str:
    """Characters of one cell in reading order; wrapped lines join without a space, a gap wider
    than ``space_gap`` of the character height becomes a space."""
    chars.sort(key=lambda c: c.top + c.bottom)
    lines: list[list[Char]] = []
    bottom = 0.0
    overlap = settings.wrap_overlap
    for c in chars:
        mid = (c.top + c.bottom) / 2
        if lines and mid <= bottom - overlap:
            lines[-1].append(c)
            bottom = max(bottom, c.bottom)
        else:
            lines.append([c])
            bottom = c.bottom
    parts: list[str] = []
    ratio = settings.space_gap
    for line in lines:
        line.sort(key=lambda c: c.x0)
        buf: list[str] = []
        prev: Char | None = None
        for c in line:
            if prev is not None and c.x0 - prev.x1 > (c.bottom - c.top) * ratio:
                buf.append(" ")
            buf.append(c.text)
            prev = c
        parts.append("".join(buf))
    return "".join(parts)


def chars_bbox(chars: list[Char]) -> BBox:
    return (
        round(min(c.x0 for c in chars), 2),
        round(min(c.top for c in chars), 2),
        round(max(c.x1 for c in chars), 2),
        round(max(c.bottom for c in chars), 2),
    )


def _fill(
    table: Layout, chars: list[Char], file: str, page_no: int, settings: PdfSettings
) -> tuple[Grid, list[Char]]:
    """The grid of one ruled table; returns it and the characters outside it."""
    inside: dict[tuple[int, int], list[Char]] = {}
    outside: list[Char] = []
    cell_at = table.cell_at
    for c in chars:
        at = cell_at((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2)
        if at is None:
            outside.append(c)
        else:
            inside.setdefault(at, []).append(c)
    rows = [[GridCell("") for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    for (i, j), cell_chars in inside.items():
        source = Source(file=file, page=page_no, bbox=chars_bbox(cell_chars))
        rows[i][j] = GridCell(cell_text(cell_chars, settings), source)
    return Grid(page_no, table.ys[0], rows, table.xs), outside


def _lines(chars: list[Char], page_no: int, settings: PdfSettings) -> list[Line]:
    """Text outside tables, one entry per printed line (wide gaps become spaces)."""
    chars = sorted(chars, key=lambda c: c.top + c.bottom)
    groups: list[list[Char]] = []
    top = bottom = 0.0
    for c in chars:
        mid = (c.top + c.bottom) / 2
        if groups and top <= mid <= bottom:
            groups[-1].append(c)
            top, bottom = min(top, c.top), max(bottom, c.bottom)
            continue
        groups.append([c])
        top, bottom = c.top, c.bottom
    return [Line(cell_text(g, settings), page_no, chars_bbox(g), g) for g in groups]


def page_layout(
    page: Any, file: str, page_no: int, settings: PdfSettings = DEFAULT_SETTINGS
) -> PageLayout:
    """Everything the reader finds on one page."""
    width, height = page.get_width(), page.get_height()
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, height)
    finally:
        textpage.close()
    n_chars = len(chars)
    segments: list[Ruling] = []
    rulings: list[Ruling] = []
    tables: list[tuple[Layout, Grid]] = []
    if chars:
        segments = page_segments(page, height, settings)
        rulings = join(segments, settings)
        for frame in pdf_grid.frames(rulings, settings):
            table = pdf_grid.layout(frame, settings)
            if table is None:
                continue
            grid, rest = _fill(table, chars, file, page_no, settings)
            if any(c.text for r in grid.rows for c in r):
                tables.append((table, grid))
                chars = rest
    lines = _lines(chars, page_no, settings)
    return PageLayout(page_no, width, height, segments, rulings, tables, lines, n_chars)


def read_page(
    page: Any, file: str, page_no: int, settings: PdfSettings = DEFAULT_SETTINGS
) -> tuple[list[Line], list[Grid], int]:
    found = page_layout(page, file, page_no, settings)
    return found.lines, [g for _, g in found.tables], found.n_chars


def same_frame(a: Grid, b: Grid, settings: PdfSettings = DEFAULT_SETTINGS) -> bool:
    """Does ``b`` continue ``a`` (same left and right edge)?"""
    tol = settings.same_frame
    return abs(a.xs[0] - b.xs[0]) <= tol and abs(a.xs[-1] - b.xs[-1]) <= tol
