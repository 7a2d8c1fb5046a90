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
OCR_SETTINGS = replace(
    DEFAULT_SETTINGS, collinear=2.5, join_gap=8.0, snap=3.0, touch=5.0, cover_slack=3.0
)


@dataclass(slots=True)
class OcrChar(Char):
    """A character read by OCR: its box is estimated along its word, its confidence is the
    word's (the recogniser scores a whole word)."""

    confidence: float = 1.0


def _weight(ch: str) -> float:
    wide = unicodedata.east_asian_width(ch) in ("W", "F")
    return 1.0 if wide else 0.55


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
    joined = join(rulings, OCR_SETTINGS)
    frames = pdf_grid.frames(joined, OCR_SETTINGS)
    found = [pdf_grid.layout(frame, OCR_SETTINGS) for frame in frames]
    return [t for t in found if t is not None]


def _fill(
    table: Layout, runs: list[_Run], file: str, page_no: int, place: _Place, settings: PdfSettings
) -> tuple[Grid, list[_Run]]:
    """Each character to the cell holding its centre; the runs outside the table returned."""
    inside: dict[tuple[int, int], list[Char]] = {}
    outside: list[_Run] = []
    for run in runs:
        piece: list[Char] = []
        for c in run.chars:
            cell = table.cell_at((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2)
            if cell is None:
                piece.append(c)
            else:
                inside.setdefault(cell, []).append(c)
        if piece:
            outside.append(_run_of(piece))
    rows = [[GridCell("") for _ in range(table.n_cols)] for _ in range(table.n_rows)]
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for (i, j), chars in inside.items():
        source = Source(
            file=file,
            page=page_no,
            bbox=place.page_box(chars_bbox(chars)),
            confidence=chars_confidence(chars),
        )
        rows[i][j] = GridCell(cell_text(chars, settings), source)
        end = table.span(i, j)
        if end != (i, j):
            spans[i, j] = end
    return Grid(page_no, table.ys[0], rows, table.xs, spans), outside


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
    for table in ruled_tables(scan.lines, scale, offset):
        grid, rest = _fill(table, runs, file, page_no, place, settings)
        if any(c.text for r in grid.rows for c in r):
            grids.append(grid)
            runs = rest
    lines = _lines(runs, page_no, settings)
    for ln in lines:
        ln.bbox = place.page_box(ln.bbox)
        ln.confidence = chars_confidence(ln.chars)
    return lines, grids
