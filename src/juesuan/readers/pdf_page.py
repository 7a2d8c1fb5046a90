"""PDF pages one at a time: characters with their boxes, the page's rulings (joined as
:mod:`juesuan.readers.pdf_rulings` does), the ruled grids they form
(:mod:`juesuan.readers.pdf_grid`) with the text of each cell, and the text lines outside them.
See :mod:`juesuan.readers.pdf`."""

from __future__ import annotations

import bisect
import ctypes
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from juesuan.model.source import Source
from juesuan.readers import pdf_grid
from juesuan.readers.guard import without_surrogates
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
    confidence: float | None = None  # read by OCR: its lowest character confidence


@dataclass
class Grid:
    """One table fragment as rows of cells at their printed positions. ``spans`` maps the
    (row, column) of each merged cell that holds text to its last (row, column): a ruled grid
    knows how far a header cell such as 公务接待费 reaches (tables without rulings: empty)."""

    page: int
    top: float
    rows: list[list[GridCell]]
    xs: list[float]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


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
    # the boxes of the page's images (x0, top, x1, bottom), found with the rulings (pages
    # with text only): what OCR may read (juesuan.readers.pdf_ocr)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)


# --- one page ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    """Consecutive characters of the text layer printed as one piece: the same line box (tops
    and bottoms within ``run_tolerance``), left to right, no gap that would read as a space.
    The reader places and orders runs instead of single characters (a page has a few hundred
    runs, thousands of characters); a run that straddles a cell border is split back into
    characters."""

    chars: list[Char]
    x0: float
    top: float
    x1: float
    bottom: float
    lo: float  # smallest and largest character centre (x)
    hi: float

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)


def _run_of(chars: list[Char]) -> _Run:
    centres = [(c.x0 + c.x1) / 2 for c in chars]
    return _Run(
        chars,
        chars[0].x0,
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
        min(centres),
        max(centres),
    )


def _char(code: int) -> str:
    """A character code from the text layer; 0 and codes outside Unicode print as a space and
    U+FFFD."""
    if not code:
        return " "
    return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"


def _runs(
    textpage: Any, height: float, settings: PdfSettings, turn: Rotation | None = None
) -> tuple[list[_Run], int]:
    """The page's characters (whitespace left out) with their loose boxes, grouped into runs;
    and how many there are."""
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return [], 0
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # surrogate pairs or generated characters: fall back to one by one
        text = "".join(_char(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(n))
    text = without_surrogates(text)  # a font whose map points at lone surrogates
    rect = raw.FS_RECTF()
    ref = ctypes.byref(rect)
    get_box = raw.FPDFText_GetLooseCharBox
    handle = textpage.raw
    ratio, tol = settings.space_gap, settings.run_tolerance
    runs: list[_Run] = []
    append = runs.append
    count = 0
    # the open run: its characters and extent, and the previous character's box
    chars: list[Char] = []
    r_x0 = r_x1 = r_top = r_bottom = lo = hi = 0.0
    p_x0 = p_x1 = p_top = p_bottom = 0.0
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "\x00" or ch == "\ufffe":
            continue
        if not get_box(handle, i, ref):
            continue
        x0, x1 = rect.left, rect.right
        top, bottom = height - rect.top, height - rect.bottom
        if turn is not None:
            x0, top, x1, bottom = turn.box(x0, top, x1, bottom)
        c = Char(ch, x0, top, x1, bottom)
        count += 1
        centre = (x0 + x1) / 2
        if (
            chars
            and -tol <= top - p_top <= tol
            and -tol <= bottom - p_bottom <= tol
            and x0 >= p_x0
            and x0 - p_x1 <= (bottom - top) * ratio
        ):
            chars.append(c)
            if x1 > r_x1:
                r_x1 = x1
            if top < r_top:
                r_top = top
            if bottom > r_bottom:
                r_bottom = bottom
            if centre < lo:
                lo = centre
            elif centre > hi:
                hi = centre
        else:
            if chars:
                append(_Run(chars, r_x0, r_top, r_x1, r_bottom, lo, hi))
            chars = [c]
            r_x0, r_x1, r_top, r_bottom, lo, hi = x0, x1, top, bottom, centre, centre
        p_x0, p_x1, p_top, p_bottom = x0, x1, top, bottom
    if chars:
        append(_Run(chars, r_x0, r_top, r_x1, r_bottom, lo, hi))
    return _without_overprints(runs, settings.overprint), count


def _without_overprints(runs: list[_Run], within: float) -> list[_Run]:
    """The runs without those printed again over an equal run (bold made by printing a title
    or a whole table two to six times over itself, a fraction of a point apart)."""
    seen: dict[str, list[_Run]] = {}
    out: list[_Run] = []
    for r in runs:
        text = r.text
        same = seen.setdefault(text, [])
        if any(abs(o.x0 - r.x0) <= within and abs(o.top - r.top) <= within for o in same):
            continue
        same.append(r)
        out.append(r)
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


def _runs_text(runs: list[_Run], settings: PdfSettings) -> str:
    """What :func:`cell_text` gives for the runs' characters, computed run by run; where runs
    of one line overlap (overprinted text) it falls back to the characters."""
    if len(runs) == 1:
        return runs[0].text
    ordered = sorted(runs, key=lambda r: r.top + r.bottom)
    lines: list[list[_Run]] = []
    bottom = 0.0
    overlap = settings.wrap_overlap
    for r in ordered:
        if lines and (r.top + r.bottom) / 2 <= bottom - overlap:
            lines[-1].append(r)
            bottom = max(bottom, r.bottom)
        else:
            lines.append([r])
            bottom = r.bottom
    parts: list[str] = []
    ratio = settings.space_gap
    for line in lines:
        line.sort(key=lambda r: r.x0)
        for a, b in itertools.pairwise(line):
            if b.x0 <= a.chars[-1].x0:  # interleaved: order the characters themselves
                return cell_text([c for r in runs for c in r.chars], settings)
        prev: Char | None = None
        for r in line:
            first = r.chars[0]
            if prev is not None and first.x0 - prev.x1 > (first.bottom - first.top) * ratio:
                parts.append(" ")
            parts.append(r.text)
            prev = r.chars[-1]
    return "".join(parts)


def chars_bbox(chars: list[Char]) -> BBox:
    return (
        round(min(c.x0 for c in chars), 2),
        round(min(c.top for c in chars), 2),
        round(max(c.x1 for c in chars), 2),
        round(max(c.bottom for c in chars), 2),
    )


def chars_confidence(chars: list[Char]) -> float | None:
    """The lowest OCR confidence of the characters (:class:`~juesuan.readers.ocr_page.OcrChar`
    carries one); None for characters of a text layer."""
    found = [conf for c in chars if (conf := getattr(c, "confidence", None)) is not None]
    return min(found) if found else None


def _runs_bbox(runs: list[_Run]) -> BBox:
    return (
        round(min(r.x0 for r in runs), 2),
        round(min(r.top for r in runs), 2),
        round(max(r.x1 for r in runs), 2),
        round(max(r.bottom for r in runs), 2),
    )


def _wordlike(ch: str) -> bool:
    return ch.isalpha() and not ch.isdigit()


_Cell = tuple[int, int]


def _split_at_borders(
    run: _Run, table: Layout, overruns: list[tuple[_Cell, _Cell, _Run]]
) -> list[tuple[_Cell | None, _Run]]:
    """A run across a cell border, split where the cells change. A piece that carries a word
    on past a border with no figure in it is noted in ``overruns`` (the cell the word started
    in, the cell it ran into, the piece): :func:`_fill` gives it back when it landed beside a
    figure."""
    pieces: list[tuple[_Cell | None, list[Char]]] = []
    for c in run.chars:
        cell = table.cell_at((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2)
        if pieces and pieces[-1][0] == cell:
            pieces[-1][1].append(c)
        else:
            pieces.append((cell, [c]))
    out = [(where, _run_of(chars)) for where, chars in pieces]
    for (start, head), (into, tail) in itertools.pairwise(out):
        if (
            start is not None
            and into is not None
            and _wordlike(head.chars[-1].text)
            and _wordlike(tail.chars[0].text)
            and not any(c.text.isdigit() for c in tail.chars)
        ):
            overruns.append((start, into, tail))
    return out


def _give_back(inside: dict[_Cell, list[_Run]], overruns: list[tuple[_Cell, _Cell, _Run]]) -> None:
    """A label longer than its cell, clipped in print (西安's 其他社会保障和就业支|出 over the 合计
    column), runs into the cell beside it; where that cell holds a figure, the overrun goes
    back to the label, or the figure would read as text that is not an amount. Header words
    that fill their cells up to a shared border (公用经费支出|专项业务经费支出) stay apart."""
    for start, into, tail in overruns:
        others = [r for r in inside.get(into, ()) if r is not tail]
        if any(c.text.isdigit() for r in others for c in r.chars):
            inside[into] = others
            inside.setdefault(start, []).append(tail)


def _fill(
    table: Layout, runs: list[_Run], file: str, page_no: int, settings: PdfSettings
) -> tuple[Grid, list[_Run]]:
    """The grid of one ruled table (each character goes to the cell holding its centre);
    returns it and the runs outside it."""
    inside: dict[tuple[int, int], list[_Run]] = {}
    outside: list[_Run] = []
    overruns: list[tuple[_Cell, _Cell, _Run]] = []
    anchor, xs, ys = table.anchor, table.xs, table.ys
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    last_col, last_row = len(xs) - 2, len(ys) - 2
    right = bisect.bisect_right
    for r in runs:
        y = (r.top + r.bottom) / 2
        lo, hi = r.lo, r.hi
        if hi < x_lo or lo > x_hi or y < y_lo or y > y_hi:  # wholly outside the frame
            outside.append(r)
            continue
        if x_lo <= lo and hi <= x_hi:
            j = min(max(right(xs, lo) - 1, 0), last_col)
            if j == min(max(right(xs, hi) - 1, 0), last_col):  # the whole run in one cell
                i = min(max(right(ys, y) - 1, 0), last_row)
                inside.setdefault(anchor[i][j], []).append(r)
                continue
        for where, piece in _split_at_borders(r, table, overruns):
            (outside if where is None else inside.setdefault(where, [])).append(piece)
    _give_back(inside, overruns)
    rows = [[GridCell("") for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for (i, j), cell_runs in inside.items():
        source = Source(file=file, page=page_no, bbox=_runs_bbox(cell_runs))
        rows[i][j] = GridCell(_runs_text(cell_runs, settings), source)
        end = table.span(i, j)
        if end != (i, j):
            spans[i, j] = end
    return Grid(page_no, table.ys[0], rows, table.xs, spans), outside


def _lines(runs: list[_Run], page_no: int, settings: PdfSettings) -> list[Line]:
    """Text outside tables, one entry per printed line (wide gaps become spaces)."""
    runs = sorted(runs, key=lambda r: r.top + r.bottom)
    groups: list[list[_Run]] = []
    top = bottom = 0.0
    for r in runs:
        mid = (r.top + r.bottom) / 2
        if groups and top <= mid <= bottom:
            groups[-1].append(r)
            top, bottom = min(top, r.top), max(bottom, r.bottom)
            continue
        groups.append([r])
        top, bottom = r.top, r.bottom
    return [
        Line(_runs_text(g, settings), page_no, _runs_bbox(g), [c for r in g for c in r.chars])
        for g in groups
    ]


@dataclass(frozen=True, slots=True)
class Rotation:
    """A page shown turned by /Rotate: boxes read in the unturned page (top-based) are moved
    to where they are shown. ``width`` and ``height`` are the unturned page's."""

    degrees: int
    width: float
    height: float

    @classmethod
    def of(cls, page: Any) -> Rotation | None:
        degrees = page.get_rotation() % 360
        if degrees not in (90, 180, 270):
            return None
        left, bottom, right, top = page.get_mediabox()
        return cls(degrees, right - left, top - bottom)

    def box(
        self, x0: float, top: float, x1: float, bottom: float
    ) -> tuple[float, float, float, float]:
        w, h = self.width, self.height
        if self.degrees == 90:
            return h - bottom, x0, h - top, x1
        if self.degrees == 180:
            return w - x1, h - bottom, w - x0, h - top
        return top, w - x1, bottom, w - x0

    def ruling(self, r: Ruling) -> Ruling:
        w, h = self.width, self.height
        if self.degrees == 90:
            if r.horizontal:
                return Ruling(False, h - r.pos, r.start, r.end)
            return Ruling(True, r.pos, h - r.end, h - r.start)
        if self.degrees == 180:
            if r.horizontal:
                return Ruling(True, h - r.pos, w - r.end, w - r.start)
            return Ruling(False, w - r.pos, h - r.end, h - r.start)
        if r.horizontal:
            return Ruling(False, r.pos, w - r.end, w - r.start)
        return Ruling(True, w - r.pos, r.start, r.end)


def page_layout(
    page: Any, file: str, page_no: int, settings: PdfSettings = DEFAULT_SETTINGS
) -> PageLayout:
    """Everything the reader finds on one page, in the page's displayed orientation (a page
    printed with /Rotate reads as it is shown)."""
    width, height = page.get_width(), page.get_height()
    turn = Rotation.of(page)
    base = turn.height if turn is not None else height
    textpage = page.get_textpage()
    try:
        runs, n_chars = _runs(textpage, base, settings, turn)
    finally:
        textpage.close()
    segments: list[Ruling] = []
    rulings: list[Ruling] = []
    tables: list[tuple[Layout, Grid]] = []
    images: list[tuple[float, float, float, float]] = []
    if runs:
        segments = page_segments(page, base, settings, images)
        if turn is not None:
            segments = [turn.ruling(r) for r in segments]
            images = [turn.box(*b) for b in images]
        rulings = join(segments, settings)
        for frame in pdf_grid.frames(rulings, settings):
            table = pdf_grid.layout(frame, settings)
            if table is None:
                continue
            grid, rest = _fill(table, runs, file, page_no, settings)
            if any(c.text for r in grid.rows for c in r):
                tables.append((table, grid))
                runs = rest
    lines = _lines(runs, page_no, settings)
    return PageLayout(page_no, width, height, segments, rulings, tables, lines, n_chars, images)


def read_page(
    page: Any, file: str, page_no: int, settings: PdfSettings = DEFAULT_SETTINGS
) -> tuple[list[Line], list[Grid], int]:
    found = page_layout(page, file, page_no, settings)
    return found.lines, [g for _, g in found.tables], found.n_chars


def same_frame(a: Grid, b: Grid, settings: PdfSettings = DEFAULT_SETTINGS) -> bool:
    """Does ``b`` continue ``a`` (same left and right edge)?"""
    tol = settings.same_frame
    return abs(a.xs[0] - b.xs[0]) <= tol and abs(a.xs[-1] - b.xs[-1]) <= tol
