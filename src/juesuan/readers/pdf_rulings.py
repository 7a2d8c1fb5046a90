"""Ruling lines of a PDF page as producers really draw them, joined into the lines a reader sees.

What the page's drawing holds (paths, also inside form XObjects, in page space):

- a border as a stroked line (ONLYOFFICE, WPS, pdfTeX), as a thin filled bar (Word, Excel), or
  both at once (some Excel exports); as the sides of one stroked box per cell (101's producer);
  as a polyline or a whole grid in one path;
- the ~1 pt square at each crossing left out of both lines and drawn as a dot (Word 2010), and
  a tall cell's border drawn as one short segment per text line (ONLYOFFICE);
- shaded cell backgrounds (filled rectangles, white or grey) and white "borders" where a cell
  has none: neither is a ruling.

:func:`page_segments` turns the drawing into axis-aligned segments (fills, dots and invisible
lines left out); :func:`join` merges collinear segments across small gaps and duplicates into
rulings. Annotations (and their appearance streams) are not page content and never read.
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass
from typing import Any

from juesuan.readers.pdf_settings import PdfSettings

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(slots=True)
class Ruling:
    """A horizontal or vertical line segment in top-based page coordinates (points)."""

    horizontal: bool
    pos: float  # y (from the top) of a horizontal ruling, x of a vertical one
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


class _Reader:
    """ctypes buffers reused for every object of a page (fewer allocations per call)."""

    def __init__(self, raw: Any, height: float, settings: PdfSettings) -> None:
        self.raw = raw
        self.height = height
        self.s = settings
        self.f = [ctypes.c_float() for _ in range(4)]
        self.fref = [ctypes.byref(v) for v in self.f]
        self.u = [ctypes.c_uint() for _ in range(4)]
        self.uref = [ctypes.byref(v) for v in self.u]
        self.mode = ctypes.c_int()
        self.stroke = ctypes.c_int()
        self.matrix = raw.FS_MATRIX()
        self.out: list[Ruling] = []
        # image objects met on the way, (x0, top, x1, bottom): what OCR may read (pdf_ocr)
        self.images: list[tuple[float, float, float, float]] = []

    def visible(self, obj: Any, stroke: bool) -> bool:
        get = self.raw.FPDFPageObj_GetStrokeColor if stroke else self.raw.FPDFPageObj_GetFillColor
        if not get(obj, *self.uref):
            return True
        r, g, b, a = (v.value for v in self.u)
        level = self.s.invisible_level
        return a > 0 and not (r >= level and g >= level and b >= level)

    def add(self, horizontal: bool, pos: float, start: float, end: float) -> None:
        if end - start > self.s.ruling_max_width:
            self.out.append(Ruling(horizontal, pos, start, end))

    def bbox_line(self, left: float, bottom: float, right: float, top: float) -> None:
        """A thin object (its bounds, already in page space) is one ruling along its length."""
        h = self.height
        if top - bottom <= self.s.ruling_max_width:
            self.add(True, h - (top + bottom) / 2, left, right)
        else:
            self.add(False, (left + right) / 2, h - top, h - bottom)

    def walk(self, container: Any, count: int, get: Any, parent: Matrix) -> None:
        """Every path of ``container`` (a page or a form XObject), forms entered. Thin paths,
        nearly all of a table's drawing, are read from their bounds in one tight loop (this
        runs for tens of thousands of objects on a long report)."""
        raw, s, out = self.raw, self.s, self.out
        get_type, get_bounds = raw.FPDFPageObj_GetType, raw.FPDFPageObj_GetBounds
        get_mode = raw.FPDFPath_GetDrawMode
        stroke_colour, fill_colour = raw.FPDFPageObj_GetStrokeColor, raw.FPDFPageObj_GetFillColor
        path_kind, form_kind = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
        image_kind = raw.FPDF_PAGEOBJ_IMAGE
        fl, fb, fr, ft = self.f
        rl, rb, rr, rt = self.fref
        ur, ug, ub, ua = self.u
        cr, cg, cb, ca = self.uref
        mode, stroke = self.mode, self.stroke
        mode_ref, stroke_ref = ctypes.byref(mode), ctypes.byref(stroke)
        widest, level, height = s.ruling_max_width, s.invisible_level, self.height
        identity = parent == _IDENTITY
        for i in range(count):
            obj = get(container, i)
            kind = get_type(obj)
            if kind == form_kind:
                raw.FPDFPageObj_GetMatrix(obj, self.matrix)
                m = self.matrix
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
                self.walk(
                    obj,
                    raw.FPDFFormObj_CountObjects(obj),
                    raw.FPDFFormObj_GetObject,
                    _mul(own, parent),
                )
                continue
            if kind != path_kind:
                if kind == image_kind and get_bounds(obj, rl, rb, rr, rt):
                    self.image(fl.value, fb.value, fr.value, ft.value, parent)
                continue
            if not get_bounds(obj, rl, rb, rr, rt):
                continue
            left, bottom, right, top = fl.value, fb.value, fr.value, ft.value
            if not identity:
                (x0, y0), (x1, y1) = _apply(parent, left, bottom), _apply(parent, right, top)
                left, right, bottom, top = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            w, h = right - left, top - bottom
            if w <= widest and h <= widest:
                continue  # a dot: Word's crossing square, bridged when the lines are joined
            get_mode(obj, mode_ref, stroke_ref)
            stroked, filled = stroke.value != 0, mode.value != 0
            if not stroked and not filled:
                continue  # a clipping path or an invisible one
            if w > widest and h > widest:
                self.path(obj, parent, w, h, stroked)
                continue
            # a thin path: one ruling along its length, unless painted invisibly
            if (stroke_colour if stroked else fill_colour)(obj, cr, cg, cb, ca) and (
                ua.value == 0 or (ur.value >= level and ug.value >= level and ub.value >= level)
            ):
                continue
            if h <= widest:
                out.append(Ruling(True, height - (top + bottom) / 2, left, right))
            else:
                out.append(Ruling(False, (left + right) / 2, height - top, height - bottom))

    def image(self, left: float, bottom: float, right: float, top: float, parent: Matrix) -> None:
        (x0, y0), (x1, y1) = _apply(parent, left, bottom), _apply(parent, right, top)
        h = self.height
        self.images.append((min(x0, x1), h - max(y0, y1), max(x0, x1), h - min(y0, y1)))

    def path(self, obj: Any, parent: Matrix, w: float, h: float, stroked: bool) -> None:
        """A path wide both ways: a box, a polyline or a grid in one path (its straight
        pieces), or a filled area (a shaded background: none)."""
        raw, s = self.raw, self.s
        n = raw.FPDFPath_CountSegments(obj)
        if not stroked and n <= 5:
            return  # one filled rectangle: a shaded background, not a border
        if w < s.box_min_size and h < s.box_min_size:
            return  # a check box or a bullet
        if not self.visible(obj, stroked):
            return
        raw.FPDFPageObj_GetMatrix(obj, self.matrix)
        m = self.matrix
        full = _mul((m.a, m.b, m.c, m.d, m.e, m.f), parent)
        self.segments(obj, n, full, stroked)

    def segments(self, obj: Any, n: int, m: Matrix, stroked: bool) -> None:
        """A stroked path gives its axis-aligned straight pieces; a filled one gives its
        subpaths that are thin bars (a whole grid filled as one path), not its areas."""
        raw = self.raw
        x, y = ctypes.c_float(), ctypes.c_float()
        xr, yr = ctypes.byref(x), ctypes.byref(y)
        if stroked and n == 5 and self.box(obj, m, xr, yr, x, y):
            return
        points: list[tuple[int, float, float, bool]] = []
        for k in range(n):
            seg = raw.FPDFPath_GetPathSegment(obj, k)
            raw.FPDFPathSegment_GetPoint(seg, xr, yr)
            px, py = _apply(m, x.value, y.value)
            kind = raw.FPDFPathSegment_GetType(seg)
            points.append((kind, px, py, bool(raw.FPDFPathSegment_GetClose(seg))))
        subpaths: list[list[tuple[int, float, float, bool]]] = []
        for p in points:
            if p[0] == raw.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([p])
            else:
                subpaths[-1].append(p)
        h = self.height
        for sub in subpaths:
            if not stroked:
                xs = [p[1] for p in sub]
                ys = [p[2] for p in sub]
                if min(max(xs) - min(xs), max(ys) - min(ys)) <= self.s.ruling_max_width:
                    self.bbox_line(min(xs), min(ys), max(xs), max(ys))
                continue
            start = sub[0]
            prev = start
            for p in [*sub[1:], *([start] if sub[-1][3] else [])]:
                if p[0] != raw.FPDF_SEGMENT_BEZIERTO:
                    self.stroked_piece(prev[1], prev[2], p[1], p[2], h)
                prev = p

    def box(self, obj: Any, m: Matrix, xr: Any, yr: Any, x: Any, y: Any) -> bool:
        """A stroked rectangle (``re``: five points, the last back on the first, every side
        axis-aligned) gives its four sides, read from its points alone; anything else is left
        to the general reading (False)."""
        raw = self.raw
        get_segment, get_point = raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint
        pts = []
        for k in range(5):
            get_point(get_segment(obj, k), xr, yr)
            pts.append(_apply(m, x.value, y.value))
        if abs(pts[4][0] - pts[0][0]) > 0.01 or abs(pts[4][1] - pts[0][1]) > 0.01:
            return False
        half = self.s.collinear / 2
        sides = list(itertools.pairwise(pts))
        if not all(abs(a[0] - b[0]) <= half or abs(a[1] - b[1]) <= half for a, b in sides):
            return False
        for a, b in sides:
            self.stroked_piece(a[0], a[1], b[0], b[1], self.height)
        return True

    def stroked_piece(self, x0: float, y0: float, x1: float, y1: float, h: float) -> None:
        if abs(y1 - y0) <= self.s.collinear / 2:
            self.add(True, h - (y0 + y1) / 2, min(x0, x1), max(x0, x1))
        elif abs(x1 - x0) <= self.s.collinear / 2:
            self.add(False, (x0 + x1) / 2, h - max(y0, y1), h - min(y0, y1))


def page_segments(
    page: Any,
    height: float,
    settings: PdfSettings,
    images: list[tuple[float, float, float, float]] | None = None,
) -> list[Ruling]:
    """The page's drawn line segments, horizontal and vertical, before joining; the boxes of
    its images (top-based) are added to ``images`` when given (one walk for both)."""
    import pypdfium2.raw as raw

    reader = _Reader(raw, height, settings)
    handle = page.raw if hasattr(page, "raw") else page
    reader.walk(handle, raw.FPDFPage_CountObjects(handle), raw.FPDFPage_GetObject, _IDENTITY)
    if images is not None:
        images.extend(reader.images)
    return reader.out


def join(segments: list[Ruling], settings: PdfSettings) -> list[Ruling]:
    """Collinear segments (positions within ``collinear``) whose gaps are at most ``join_gap``
    become one ruling; duplicates and overlaps merge. The position of a joined ruling is the
    length-weighted mean of its pieces."""
    out: list[Ruling] = []
    for horizontal in (True, False):
        segs = sorted((s for s in segments if s.horizontal is horizontal), key=lambda s: s.pos)
        lines: list[list[Ruling]] = []
        for s in segs:
            if lines and s.pos - lines[-1][-1].pos <= settings.collinear:
                lines[-1].append(s)
            else:
                lines.append([s])
        for line in lines:
            line.sort(key=lambda s: s.start)
            run: list[Ruling] = []
            end = -1e9
            for s in line:
                if run and s.start > end + settings.join_gap:
                    out.append(_merged(horizontal, run, end))
                    run = []
                if not run:
                    end = s.end
                run.append(s)
                end = max(end, s.end)
            if run:
                out.append(_merged(horizontal, run, end))
    return out


def _merged(horizontal: bool, run: list[Ruling], end: float) -> Ruling:
    weight = sum(max(s.length, 0.1) for s in run)
    pos = sum(s.pos * max(s.length, 0.1) for s in run) / weight
    return Ruling(horizontal, pos, run[0].start, end)


def page_rulings(page: Any, height: float, settings: PdfSettings) -> list[Ruling]:
    """The page's rulings as a reader sees them: segments joined across small gaps."""
    return join(page_segments(page, height, settings), settings)
