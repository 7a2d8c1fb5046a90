"""Test PDFs drawn directly with pdfium, one per way real producers draw ruled tables that broke
the reader (each named after the failure, all from a consistent generated report):

- ``segmented``: borders are stroked lines, and the vertical border of a tall header cell is
  one short segment per text line that touches no horizontal rule (ONLYOFFICE, report 001);
- ``gapped``: borders are filled bars that stop ~1 pt short of every crossing, with a small
  square drawn in the gap, also where a merged cell has no border (Word 2010, report 002);
- ``filled``: shaded header cells and white body cells drawn as filled rectangles, every
  border drawn twice (a stroke and a bar a fraction of a point apart) and again as one long
  overlapping line, and white (invisible) borders across merged cells (Excel exports);
- ``boxed``: every cell drawn as its own stroked box over a white fill, table 04 in a 5-pt
  font (report 101's producer).

The text of each page goes through the same blocks as the DOCX/XLSX writers of
``make_pdfs.py``: lines, and tables as grids with merged header cells.
"""

from __future__ import annotations

import ctypes
import io
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from make_pdfs import _AMOUNT, _blocks, _header_rows, _merges

FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PAGE_W, PAGE_H = 842.0, 595.0
MARGIN = 40.0
LEAD = 1.35  # line height / font size


class _Font:
    """The CJK font subset to the document's characters, with advance widths for layout."""

    def __init__(self, doc: Any, text: str) -> None:
        from fontTools import subset  # type: ignore[import-untyped]
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        font = TTFont(FONT_FILE, fontNumber=0)
        options = subset.Options()
        options.notdef_outline = True
        sub = subset.Subsetter(options)
        sub.populate(text=text + "0123456789.,-")
        sub.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        data = buf.getvalue()
        self.cmap = font.getBestCmap()
        self.hmtx = font["hmtx"]
        self.upm = font["head"].unitsPerEm
        self._buf = ctypes.create_string_buffer(data, len(data))
        self.handle = raw.FPDFText_LoadFont(
            doc.raw,
            ctypes.cast(self._buf, ctypes.POINTER(ctypes.c_uint8)),
            len(data),
            raw.FPDF_FONT_TRUETYPE,
            True,
        )

    def width(self, text: str, size: float) -> float:
        total = 0
        for ch in text:
            glyph = self.cmap.get(ord(ch))
            total += self.hmtx[glyph][0] if glyph else self.upm
        return total * size / self.upm


class _Canvas:
    def __init__(self, doc: Any, font: _Font) -> None:
        self.doc, self.font = doc, font
        self.keep: list[Any] = []
        self.page: Any = None
        self.y = 0.0  # top-based position of the next thing to print

    def new_page(self) -> None:
        self.finish_page()
        self.page = raw.FPDFPage_New(self.doc.raw, len(self.doc), PAGE_W, PAGE_H)
        self.y = MARGIN

    def finish_page(self) -> None:
        if self.page is not None:
            raw.FPDFPage_GenerateContent(self.page)
            raw.FPDF_ClosePage(self.page)
            self.page = None

    def text(self, s: str, x: float, baseline_top: float, size: float) -> None:
        obj = raw.FPDFPageObj_CreateTextObj(self.doc.raw, self.font.handle, ctypes.c_float(size))
        data = (s + "\0").encode("utf-16-le")
        buf = ctypes.create_string_buffer(data, len(data))
        self.keep.append(buf)
        raw.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, PAGE_H - baseline_top)
        raw.FPDFPage_InsertObject(self.page, obj)

    def path(
        self,
        points: list[tuple[float, float]],
        *,
        stroke: float | None = None,
        fill: tuple[int, int, int] | None = None,
        colour: tuple[int, int, int] = (0, 0, 0),
        close: bool = False,
    ) -> None:
        """A path through top-based points, stroked ``stroke`` wide and/or filled."""
        (x, y), rest = points[0], points[1:]
        obj = raw.FPDFPageObj_CreateNewPath(x, PAGE_H - y)
        for x, y in rest:
            raw.FPDFPath_LineTo(obj, x, PAGE_H - y)
        if close:
            raw.FPDFPath_Close(obj)
        if stroke is not None:
            raw.FPDFPageObj_SetStrokeWidth(obj, ctypes.c_float(stroke))
            raw.FPDFPageObj_SetStrokeColor(obj, *colour, 255)
        if fill is not None:
            raw.FPDFPageObj_SetFillColor(obj, *fill, 255)
        mode = raw.FPDF_FILLMODE_WINDING if fill is not None else raw.FPDF_FILLMODE_NONE
        raw.FPDFPath_SetDrawMode(obj, mode, stroke is not None)
        raw.FPDFPage_InsertObject(self.page, obj)

    def bar(self, x0: float, top: float, x1: float, bottom: float, colour: tuple[int, ...]) -> None:
        rgb = (colour[0], colour[1], colour[2])
        self.path([(x0, top), (x1, top), (x1, bottom), (x0, bottom)], fill=rgb, close=True)


def _wrap(font: _Font, text: str, width: float, size: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if line and font.width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line or not lines else lines


# --- one table ---------------------------------------------------------------------------------


def _table(canvas: _Canvas, grid: list[list[str]], style: str) -> None:
    font = canvas.font
    n_cols = max(len(r) for r in grid)
    grid = [r + [""] * (n_cols - len(r)) for r in grid]
    size = 5.0 if style == "boxed" and len(grid[0]) == 9 and grid[0][0] == "收入" else 8.0
    n_head = _header_rows(grid)
    merges = _merges(grid)
    span = {(a, b): (c, d) for a, b, c, d in merges}
    covered = {(i, j) for a, b, c, d in merges for i in range(a, c + 1) for j in range(b, d + 1)}
    covered -= set(span)
    # column widths: numbers fit on one line, names wrap at about twelve characters
    widths = []
    for j in range(n_cols):
        texts = [grid[i][j] for i in range(len(grid)) if (i, j) not in covered and i >= n_head]
        need = max((font.width(t, size) for t in texts), default=0.0)
        widths.append(min(max(need + 8, 4 * size), 12 * size + 8))
    scale = min(1.0, (PAGE_W - 2 * MARGIN) / sum(widths))
    widths = [w * scale for w in widths]
    xs = [MARGIN]
    for w in widths:
        xs.append(xs[-1] + w)
    line_h = size * LEAD

    def lines_of(i: int, j: int) -> list[str]:
        _c, d = span.get((i, j), (i, j))
        return _wrap(font, grid[i][j], xs[d + 1] - xs[j] - 6, size) if grid[i][j] else []

    heights = [line_h + 6] * len(grid)
    for i in range(len(grid)):
        for j in range(n_cols):
            if (i, j) not in covered and (i, j) not in span:
                heights[i] = max(heights[i], len(lines_of(i, j)) * line_h + 6)
    for (a, b), (c, _) in span.items():
        need = len(lines_of(a, b)) * line_h + 6
        have = sum(heights[a : c + 1])
        if need > have:
            heights[c] += need - have
    # rows onto pages; a table continued on the next page keeps its frame (no header)
    start = 0
    while start < len(grid):
        end = start
        used = 0.0
        while end < len(grid) and canvas.y + used + heights[end] <= PAGE_H - MARGIN:
            used += heights[end]
            end += 1
        if end == start:
            canvas.new_page()
            continue
        while end < len(grid) and any(a < end <= c for (a, _), (c, _) in span.items()):
            end -= 1  # never break inside a merged header cell
        ys = [canvas.y]
        for i in range(start, end):
            ys.append(ys[-1] + heights[i])
        rows = range(start, end)
        _draw_frame(canvas, style, xs, ys, rows, span, covered, n_head)
        for i in rows:
            for j in range(n_cols):
                if (i, j) in covered or not grid[i][j]:
                    continue
                c, d = span.get((i, j), (i, j))
                c = min(c, end - 1)
                top, bottom = ys[i - start], ys[c + 1 - start]
                text_lines = lines_of(i, j)
                block = len(text_lines) * line_h
                y = (top + bottom - block) / 2 + size * 0.95
                for t in text_lines:
                    w = font.width(t, size)
                    if i < n_head:
                        x = (xs[j] + xs[d + 1] - w) / 2
                    elif _AMOUNT.match(t):
                        x = xs[d + 1] - 3 - w
                    else:
                        x = xs[j] + 3
                    canvas.text(t, x, y, size)
                    y += line_h
        canvas.y = ys[-1] + 6
        start = end
        if start < len(grid):
            canvas.new_page()


def _draw_frame(
    canvas: _Canvas,
    style: str,
    xs: list[float],
    ys: list[float],
    rows: range,
    span: dict[tuple[int, int], tuple[int, int]],
    covered: set[tuple[int, int]],
    n_head: int,
) -> None:
    """The borders of rows ``rows`` (``ys`` their boundaries, top-based), drawn as ``style``
    draws them: an edge is drawn where the cells on its two sides are different cells."""
    start = rows.start
    n_cols = len(xs) - 1

    def owner(i: int, j: int) -> tuple[int, int]:
        for (a, b), (c, d) in span.items():
            if a <= i <= c and b <= j <= d:
                return a, b
        return i, j

    # elementary edges: vertical (i, k) between columns k-1 and k of row i; horizontal (k, j)
    vertical = {
        (i, k)
        for i in rows
        for k in range(n_cols + 1)
        if k in (0, n_cols) or owner(i, k - 1) != owner(i, k)
    }
    horizontal = {
        (k, j)
        for k in range(rows.start, rows.stop + 1)
        for j in range(n_cols)
        if k in (rows.start, rows.stop) or owner(k - 1, j) != owner(k, j)
    }

    def y(i: int) -> float:
        return ys[i - start]

    black = (0, 0, 0)
    if style == "filled":
        for i in rows:
            for j in range(n_cols):
                if (i, j) in covered:
                    continue
                c, d = span.get((i, j), (i, j))
                shade = (216, 216, 216) if i < n_head else (255, 255, 255)
                canvas.bar(xs[j], y(i), xs[d + 1], y(min(c, rows.stop - 1) + 1), shade)
    if style == "boxed":
        canvas.bar(xs[0], y(start), xs[-1], y(rows.stop), (255, 255, 255))
        for i in rows:
            for j in range(n_cols):
                if (i, j) in covered:
                    continue
                c, d = span.get((i, j), (i, j))
                x0, x1, t, b = xs[j], xs[d + 1], y(i), y(min(c, rows.stop - 1) + 1)
                canvas.path([(x0, t), (x1, t), (x1, b), (x0, b)], stroke=0.74, close=True)
        return
    if style == "segmented":
        step = 8.0 * LEAD  # one segment per text line of the header
        for i, k in sorted(vertical):
            t, b = y(i), y(i + 1)
            pieces = [t]
            while i < n_head and pieces[-1] + step < b - 2:
                pieces.append(pieces[-1] + step)
            pieces.append(b)
            for p, q in itertools.pairwise(pieces):
                canvas.path([(xs[k], p), (xs[k], q)], stroke=0.75)
        for k, j in sorted(horizontal):
            canvas.path([(xs[j], y(k)), (xs[j + 1], y(k))], stroke=0.75)
        return
    if style == "gapped":
        w = 0.96
        for i, k in sorted(vertical):
            canvas.bar(xs[k] - w / 2, y(i) + w / 2, xs[k] + w / 2, y(i + 1) - w / 2, black)
        for k, j in sorted(horizontal):
            canvas.bar(xs[j] + w / 2, y(k) - w / 2, xs[j + 1] - w / 2, y(k) + w / 2, black)
        for k in range(rows.start, rows.stop + 1):  # the crossing squares, every one
            for x in xs:
                canvas.bar(x - w / 2, y(k) - w / 2, x + w / 2, y(k) + w / 2, black)
        return
    # filled: every edge twice (a stroke and a bar 0.3 pt off), the outer frame once more as
    # long lines over the pieces, and white lines across merged cells
    for i, k in sorted(vertical):
        canvas.path([(xs[k], y(i)), (xs[k], y(i + 1))], stroke=0.5)
        canvas.bar(xs[k] - 0.18, y(i), xs[k] + 0.78, y(i + 1), black)
    for k, j in sorted(horizontal):
        canvas.path([(xs[j], y(k)), (xs[j + 1], y(k))], stroke=0.5)
        canvas.bar(xs[j], y(k) - 0.18, xs[j + 1], y(k) + 0.78, black)
    for x in (xs[0], xs[-1]):
        canvas.path([(x, y(start)), (x, y(rows.stop))], stroke=0.5)
    for yy in (y(start), y(rows.stop)):
        canvas.path([(xs[0], yy), (xs[-1], yy)], stroke=0.5)
    white = (255, 255, 255)
    for (a, b), (c, d) in span.items():
        if a in rows:
            for k in range(b + 1, d + 1):
                canvas.path(
                    [(xs[k], y(a)), (xs[k], y(min(c, rows.stop - 1) + 1))], stroke=0.5, colour=white
                )
            for k in range(a + 1, min(c, rows.stop - 1) + 1):
                canvas.path([(xs[b], y(k)), (xs[d + 1], y(k))], stroke=0.5, colour=white)


def to_drawn_pdf(text: str, path: Path, style: str) -> None:
    """Typeset ``text`` (the seeds' text form) on landscape A4 pages, tables drawn ``style``."""
    doc = pdfium.PdfDocument.new()
    canvas = _Canvas(doc, _Font(doc, text))
    canvas.new_page()
    size = 10.0
    titles: Callable[[str], object]
    from juesuan.model.layout import identify_title

    titles = identify_title
    for kind, item in _blocks(text):
        if kind == "line":
            assert isinstance(item, str)
            lines = _wrap(canvas.font, item, PAGE_W - 2 * MARGIN, size)
            big = titles(item) is not None and len(item) < 30
            for line in lines:
                if canvas.y + size * 2 > PAGE_H - MARGIN or (big and canvas.y > PAGE_H / 2):
                    canvas.new_page()
                s = 13.0 if big else size
                x = (PAGE_W - canvas.font.width(line, s)) / 2 if big else MARGIN
                canvas.text(line, x, canvas.y + s, s)
                canvas.y += s * 1.6
            continue
        assert isinstance(item, list)
        _table(canvas, item, style)
    canvas.finish_page()
    doc.save(str(path))
    doc.close()
