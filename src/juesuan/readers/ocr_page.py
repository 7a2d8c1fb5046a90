"""A scanned page as the PDF reader's own items: text lines and ruled grids with every cell's
page box and OCR confidence (see :mod:`juesuan.readers.ocr` for the scan itself).

The geometry is that of the text-layer path (:mod:`juesuan.readers.pdf_page`): each word the
detector boxed becomes a run of characters (their boxes shared out along the word by width, a
Chinese character twice a digit's), each character goes to the ruled cell holding its centre
(a word that straddles a ruling is split there), the characters of a cell are joined as a
cell's text is, and the words outside every table form printed lines. So the cells then go
through the same document assembly as a text-layer PDF: titles, headers, codes and numbers are
handled once.

Coordinates: the scan is in the pixels of the straightened image. Items are placed in PDF
points (``scale`` points per pixel, plus the image's ``offset`` on the page); every box a
source keeps is mapped back through the straightening rotation onto the page as printed, so
``annotate`` draws it where the figure is. A borderless table's cells (found later from the
characters' positions) keep the straightened positions, at most a few points off for a skew
of a degree.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from juesuan.model.source import Source
from juesuan.readers import pdf_grid
from juesuan.readers.layout import GridCell
from juesuan.readers.ocr import PixelBox, Scan, Word
from juesuan.readers.pdf_grid import Layout
from juesuan.readers.pdf_page import (
    BBox,
    Char,
    Grid,
    Line,
    _lines,
    _Run,
    _run_of,
    cell_text,
    chars_bbox,
    chars_confidence,
)
from juesuan.readers.pdf_rulings import Ruling, join
from juesuan.readers.pdf_settings import DEFAULT_SETTINGS, PdfSettings

# Ruling lines found in an image are a few pixels wide, a little uneven and broken where text
# touches them: the PDF reader's tolerances (made for vector lines) a few pixels wider.
_PAD = 0.12  # of a detected box's height: the padding on each side of its glyphs
_FULL = 0.8  # a border runs this share of the table's width or height at least
_APART = 0.5  # this share of a table's elementary cells are cells of their own at least
_INSIDE = 0.5  # a detected line this share of whose length lies inside a word is its stroke
_SPACE = 0.2  # of a character's height: a gap this wide between two characters is a space
_COLUMN_MIN = 18.0  # points: the median column holds two characters of a small font at least
DOUBTFUL = 0.5  # the confidence of a cell whose text the reader mended or whose place is a guess
# 1.234.567.89 / 864.099.38 / -12.345.00: thousands read as points (the last is the decimal point)
_POINTS_FOR_COMMAS = re.compile(r"-?\d{1,3}(?:\.\d{3})+\.\d{1,2}")
OCR_SETTINGS = replace(
    DEFAULT_SETTINGS, collinear=2.5, join_gap=8.0, snap=3.0, touch=5.0, cover_slack=3.0
)


@dataclass(slots=True)
class OcrChar(Char):
    """A character read by OCR: its box is estimated along its word, its confidence is the
    word's (the recogniser scores a whole word)."""

    confidence: float = 1.0


def _weight(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    return 0.3 if ch in ",.:;'" else 0.55


def _kind(ch: str) -> bool:
    """True for a wide (Chinese) character: where a figure meets a label."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _split_at_rulings(chars: list[Char], xs: list[float]) -> list[Char]:
    """A word the detector drew across a column ruling (a figure printed hard against its
    border and the next cell's label, read as one word) is cut at the ruling: at the change
    from digits to Chinese characters (or at a space) nearest to where the estimate puts the
    ruling, and the characters on each side are placed on their side; without either, at the
    estimate, and the characters are flagged. A ruling within a character of either
    end is the box estimate's error, not a crossing: the characters keep their places."""
    if len(chars) < 2:
        return chars
    x0, x1 = chars[0].x0, chars[-1].x1
    inside = [x for x in xs if x0 + 1 < x < x1 - 1]
    for border in inside:
        # the split index whose estimated position is nearest the ruling
        k = min(range(1, len(chars)), key=lambda i: abs(chars[i].x0 - border))
        near = [i for i in range(max(1, k - 3), min(len(chars), k + 4))]
        change = [i for i in near if _parts(chars[i - 1], chars[i])]
        guessed = not change
        if change:
            k = min(change, key=lambda i: abs(i - k))
        elif border < chars[0].x1 or border > chars[-1].x0:
            # the ruling within a character of the word's end: the estimate, not a crossing
            # (101's 450.96 lost its 6 to the next column); each centre decides its cell
            continue
        left, right = chars[:k], chars[k:]
        chars = _spread(left, left[0].x0, border - 0.5, guessed) + _spread(
            right, border + 0.5, x1, guessed
        )
    return chars


def _parts(a: Char, b: Char) -> bool:
    """Whether two neighbouring characters of a word can be where two cells meet: a figure
    meeting a label, or a space the recogniser read between them."""
    return _kind(a.text) != _kind(b.text) or b.x0 - a.x1 > _SPACE * (a.bottom - a.top)


def _spread(chars: list[Char], x0: float, x1: float, guessed: bool = False) -> list[Char]:
    """The characters shared out between x0 and x1; ``guessed``: the word was cut at a ruling
    between two digits or two Chinese characters (the recogniser read two cells as one word,
    with nothing to tell where one ends), so which cell each character is in is a guess and
    its confidence is :data:`DOUBTFUL`."""
    weights = [_weight(c.text) for c in chars]
    total = sum(weights) or 1.0
    out: list[Char] = []
    x = x0
    for c, w in zip(chars, weights, strict=True):
        step = (x1 - x0) * w / total
        confidence = getattr(c, "confidence", 1.0)
        if guessed:
            confidence = min(confidence, DOUBTFUL)
        out.append(OcrChar(c.text, x, c.top, x + step, c.bottom, confidence))
        x += step
    return out


class _Place:
    """Pixels of the straightened image → points on the page."""

    def __init__(self, scan: Scan, scale: float, offset: tuple[float, float]) -> None:
        a, b, c, d, e, f = scan.matrix
        det = a * e - b * d or 1.0
        # the inverse affine map: straightened pixels → original pixels
        self.inv = (
            *(e / det, -b / det, (b * f - c * e) / det),
            *(-d / det, a / det, (c * d - a * f) / det),
        )
        self.rotated = scan.angle != 0.0
        self.scale = scale
        self.dx, self.dy = offset

    def frame(self, x: float, y: float) -> tuple[float, float]:
        """Where the reader does its geometry: the straightened image, in points."""
        return self.dx + x * self.scale, self.dy + y * self.scale

    def page_box(self, box: BBox) -> BBox:
        """A box of the frame as a box on the printed page."""
        if not self.rotated:
            return box
        a, b, c, d, e, f = self.inv
        s = self.scale
        xs: list[float] = []
        ys: list[float] = []
        for fx, fy in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
            x, y = (fx - self.dx) / s, (fy - self.dy) / s
            xs.append(self.dx + (a * x + b * y + c) * s)
            ys.append(self.dy + (d * x + e * y + f) * s)
        return (round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2))


def _chars(word: Word, place: _Place) -> list[Char]:
    """The word's characters with boxes shared out along it by width (spaces take room)."""
    xs = [p[0] for p in word.quad]
    ys = [p[1] for p in word.quad]
    x0, top = place.frame(min(xs), min(ys))
    x1, bottom = place.frame(max(xs), max(ys))
    # the detector pads its boxes (PP-OCR's "unclip"): the glyphs start and end a little inside
    margin = min(_PAD * (bottom - top), (x1 - x0) / 4)
    x0, x1 = x0 + margin, x1 - margin
    text = unicodedata.normalize("NFC", word.text)
    weights = [_weight(ch) for ch in text]
    total = sum(weights) or 1.0
    out: list[Char] = []
    x = x0
    for ch, w in zip(text, weights, strict=True):
        step = (x1 - x0) * w / total
        if not ch.isspace():
            out.append(OcrChar(ch, x, top, x + step, bottom, word.confidence))
        x += step
    return out


def ruled_tables(
    lines: Iterable[PixelBox], scale: float, offset: tuple[float, float] = (0.0, 0.0)
) -> list[Layout]:
    """The tables the ruling lines of an image form, as the PDF reader forms them from a page's
    rulings (:mod:`juesuan.readers.pdf_grid`), in points of the straightened image."""
    dx, dy = offset
    rulings = []
    for x1, y1, x2, y2 in lines:
        if abs(y2 - y1) <= abs(x2 - x1):
            pos, a, b = (y1 + y2) / 2, min(x1, x2), max(x1, x2)
            rulings.append(Ruling(True, dy + pos * scale, dx + a * scale, dx + b * scale))
        else:
            pos, a, b = (x1 + x2) / 2, min(y1, y2), max(y1, y2)
            rulings.append(Ruling(False, dx + pos * scale, dy + a * scale, dy + b * scale))
    joined = _bounding(join(rulings, OCR_SETTINGS))
    frames = [f for f in pdf_grid.frames(joined, OCR_SETTINGS) if _framed(f)]
    found = [pdf_grid.layout(frame, OCR_SETTINGS) for frame in frames]
    return [t for t in found if t is not None and _table_like(t)]


def between_words(lines: Iterable[PixelBox], words: Iterable[Word]) -> list[PixelBox]:
    """The lines that run between the words: a ruling separates text, it does not lie inside
    it. A large or bold character's straight stroke (the 1 and 十 of a title, a note, a
    header: 101's 收入支出决算总表 at 200 dpi degraded gave 100 of them) is a thin run of ink
    like a ruling, and made slivers of columns; it lies inside the word the recogniser boxed
    (its padding taken off). A ruling may cross many words, where the recogniser read two
    cells as one (101's 财政拨款收入 上级补助收入, its figures below: the ruling between them
    lay in words for most of its length and was lost), but it lies inside none of them."""
    boxes = []
    for w in words:
        xs, ys = [p[0] for p in w.quad], [p[1] for p in w.quad]
        pad = _PAD * (max(ys) - min(ys))
        boxes.append((min(xs) + pad, min(ys) + pad, max(xs) - pad, max(ys) - pad))
    kept = []
    for line in lines:
        x1, y1, x2, y2 = line
        horizontal = abs(y2 - y1) <= abs(x2 - x1)
        pos = (y1 + y2) / 2 if horizontal else (x1 + x2) / 2
        a, b = (min(x1, x2), max(x1, x2)) if horizontal else (min(y1, y2), max(y1, y2))
        inside = 0.0
        for bx0, by0, bx1, by1 in boxes:
            lo_across, hi_across, lo, hi = (
                (by0, by1, bx0, bx1) if horizontal else (bx0, bx1, by0, by1)
            )
            if lo_across <= pos <= hi_across:
                inside = max(inside, min(b, hi) - max(a, lo))
        if inside < _INSIDE * max(b - a, 1):
            kept.append(line)
    return kept


def _bounding(rulings: list[Ruling]) -> list[Ruling]:
    """The rulings that bound a cell: each meets two rulings across it at least. The line
    detector also finds the strokes of large or blurred characters near a table (a blurred
    scan's note under 002's 三公 table gave two stubs hanging from its bottom border), which
    touch one border only; made columns of them, the table had slivers a stroke wide and was
    no table."""
    tol = OCR_SETTINGS.touch

    def meets(a: Ruling, b: Ruling) -> bool:
        return a.start - tol <= b.pos <= a.end + tol and b.start - tol <= a.pos <= b.end + tol

    kept = rulings
    while True:
        across = {
            True: [r for r in kept if r.horizontal],
            False: [r for r in kept if not r.horizontal],
        }
        fewer = [r for r in kept if sum(meets(r, o) for o in across[not r.horizontal]) >= 2]
        if len(fewer) == len(kept):
            return kept
        kept = fewer


def _table_like(table: Layout) -> bool:
    """Most of a table's cells are bordered on every side and its columns are wide enough for
    a few characters; the gridlines of a boxed bar chart cross only its bars' edges (nearly
    all its "cells" merge into a few), and the columns between bars are a bar wide."""
    n = table.n_rows * table.n_cols
    distinct = len({a for row in table.anchor for a in row})
    widths = sorted(b - a for a, b in itertools.pairwise(table.xs))
    return (
        table.n_rows >= 2
        and distinct >= _APART * n
        and widths[len(widths) // 2] >= _COLUMN_MIN
        and table.xs[-1] - table.xs[0] >= 5 * _COLUMN_MIN
    )


def _framed(frame: list[Ruling]) -> bool:
    """A table's frame: two rulings each way that run (nearly) its whole width and height —
    its outer border. A bar chart's gridlines cross only the edges of its bars, which stop
    short (1156's 支出按部门预算经济分类对比图 made a "table" of them)."""
    hs = [r for r in frame if r.horizontal]
    vs = [r for r in frame if not r.horizontal]
    width = max(r.end for r in hs) - min(r.start for r in hs)
    height = max(r.end for r in vs) - min(r.start for r in vs)
    return (
        sum(r.length >= _FULL * width for r in hs) >= 2
        and sum(r.length >= _FULL * height for r in vs) >= 2
    )


def _hold_ends(table: Layout, chars: list[Char], cells: list[tuple[int, int] | None]) -> None:
    """A word's first or last character placed just across a ruling from the rest stays with
    them: its box is an estimate, and a figure printed hard against its cell's border (101's
    296,030.91) lost its last digit to the next cell."""
    if len(chars) < 2 or len(set(cells)) == 1:
        return
    for end, inner in ((0, 1), (len(chars) - 1, len(chars) - 2)):
        if cells[end] == cells[inner] or cells[inner] is None:
            continue
        c = chars[end]
        centre, width = (c.x0 + c.x1) / 2, c.x1 - c.x0
        if any(abs(centre - x) <= width for x in table.xs):
            cells[end] = cells[inner]


def _fill(
    table: Layout, runs: list[_Run], file: str, page_no: int, place: _Place, settings: PdfSettings
) -> tuple[Grid, list[_Run]]:
    """Each character to the cell holding its centre; the runs outside the table returned."""
    inside: dict[tuple[int, int], list[Char]] = {}
    outside: list[_Run] = []
    for run in runs:
        piece: list[Char] = []
        chars = _split_at_rulings(run.chars, table.xs)
        cells = [table.cell_at((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2) for c in chars]
        _hold_ends(table, chars, cells)
        for c, cell in zip(chars, cells, strict=True):
            if cell is None:
                piece.append(c)
            else:
                inside.setdefault(cell, []).append(c)
        if piece:
            outside.append(_run_of(piece))
    rows = [[GridCell("") for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for (i, j), chars in inside.items():
        text, confidence = _mended(cell_text(chars, settings), chars_confidence(chars))
        source = Source(
            file=file, page=page_no, bbox=place.page_box(chars_bbox(chars)), confidence=confidence
        )
        rows[i][j] = GridCell(text, source)
        end = table.span(i, j)
        if end != (i, j):
            spans[i, j] = end
    return Grid(page_no, table.ys[0], rows, table.xs, spans), outside


def _mended(text: str, confidence: float | None) -> tuple[str, float | None]:
    """A cell's text with the recogniser's unambiguous slips undone, and then its confidence
    lowered to :data:`DOUBTFUL`, so that every finding on it says the figure may be the OCR's:

    - a figure with two decimal points or more whose groups are those of thousands
      (864.099.38: a blurred comma read as a point) has commas for all points but the last;
    - a label that begins with the enumeration comma (、一般公共预算财政拨款) lost its ordinal,
      a 一 being one stroke that blur thins to nothing: the ordinal does not name the row
      (names are compared without it), the rest does."""
    if _POINTS_FOR_COMMAS.fullmatch(text):
        head, _, tail = text.rpartition(".")
        return head.replace(".", ",") + "." + tail, _doubtful(confidence)
    if text.startswith(("、", "，")) and len(text) > 2:
        return text[1:].lstrip(), _doubtful(confidence)
    return text, confidence


def _doubtful(confidence: float | None) -> float | None:
    return None if confidence is None else min(confidence, DOUBTFUL)


def page_items(
    scan: Scan,
    file: str,
    page_no: int,
    *,
    scale: float,
    offset: tuple[float, float] = (0.0, 0.0),
    settings: PdfSettings = DEFAULT_SETTINGS,
) -> tuple[list[Line], list[Grid]]:
    """The lines and ruled grids of one scanned page (or of one image on a page)."""
    place = _Place(scan, scale, offset)
    runs = [_run_of(cs) for w in scan.words if (cs := _chars(w, place))]
    grids: list[Grid] = []
    for table in ruled_tables(between_words(scan.lines, scan.words), scale, offset):
        grid, rest = _fill(table, runs, file, page_no, place, settings)
        if any(c.text for r in grid.rows for c in r):
            grids.append(grid)
            runs = rest
    lines = _lines(runs, page_no, settings)
    for ln in lines:
        ln.bbox = place.page_box(ln.bbox)
        ln.confidence = chars_confidence(ln.chars)
    return lines, grids
