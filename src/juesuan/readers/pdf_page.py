"""PDF pages one at a time: characters with their boxes, ruling lines, the ruled grids they
form (cells with their text) and the text lines outside them. See :mod:`juesuan.readers.pdf`."""

from __future__ import annotations

import bisect
import ctypes
import re
from dataclasses import dataclass, field
from typing import Any

from juesuan.model.source import Source
from juesuan.readers.layout import GridCell

BBox = tuple[float, float, float, float]
SPACES = re.compile(r"\s+")

_RULE_THICKNESS = 2.5  # a path thinner than this (points) is a ruling line
_SNAP = 2.0  # rulings closer than this are the same boundary


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(slots=True)
class _Rule:
    horizontal: bool
    pos: float  # y (top-based) for a horizontal rule, x for a vertical one
    start: float
    end: float


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


def _rules(page: Any, height: float) -> list[_Rule]:
    import pypdfium2.raw as raw

    out: list[_Rule] = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if h <= _RULE_THICKNESS and w > _RULE_THICKNESS:
            out.append(_Rule(True, height - (top + bottom) / 2, left, right))
        elif w <= _RULE_THICKNESS and h > _RULE_THICKNESS:
            out.append(_Rule(False, (left + right) / 2, height - top, height - bottom))
        elif w > 8 and h > 8 and raw.FPDFPath_CountSegments(obj) <= 6:
            # a rectangle: its four sides (cell borders drawn as boxes)
            out.append(_Rule(True, height - top, left, right))
            out.append(_Rule(True, height - bottom, left, right))
            out.append(_Rule(False, left, height - top, height - bottom))
            out.append(_Rule(False, right, height - top, height - bottom))
    return out


def snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _SNAP:
            continue
        out.append(v)
    return out


def _components(rules: list[_Rule]) -> list[list[_Rule]]:
    """Rulings that touch (within a few points) form one table frame."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    hs = [i for i, r in enumerate(rules) if r.horizontal]
    vs = [i for i, r in enumerate(rules) if not r.horizontal]
    tol = 3.0
    for i in hs:
        h = rules[i]
        for j in vs:
            v = rules[j]
            if h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[_Rule]] = {}
    for i, r in enumerate(rules):
        groups.setdefault(find(i), []).append(r)
    return [
        g
        for g in groups.values()
        if sum(r.horizontal for r in g) >= 2 and sum(not r.horizontal for r in g) >= 2
    ]


def _covers(rules: list[_Rule], pos: float, at: float) -> bool:
    return any(abs(r.pos - pos) <= _SNAP and r.start - 1 <= at <= r.end + 1 for r in rules)


def cell_text(chars: list[Char]) -> str:
    """Characters of one cell in reading order; wrapped lines join without a space, a gap wider
    than a third of the character height becomes a space."""
    chars.sort(key=lambda c: (c.top + c.bottom) / 2)
    lines: list[list[Char]] = []
    for c in chars:
        mid = (c.top + c.bottom) / 2
        if lines and mid <= max(x.bottom for x in lines[-1]) - 1:
            lines[-1].append(c)
        else:
            lines.append([c])
    parts: list[str] = []
    for line in lines:
        line.sort(key=lambda c: c.x0)
        buf: list[str] = []
        prev: Char | None = None
        for c in line:
            if prev is not None and c.x0 - prev.x1 > (c.bottom - c.top) / 3:
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


def _grid(
    frame: list[_Rule], chars: list[Char], file: str, page_no: int
) -> tuple[Grid, list[Char]] | None:
    """Cells of one ruled table; returns the grid and the characters outside it."""
    hrules = [r for r in frame if r.horizontal]
    vrules = [r for r in frame if not r.horizontal]
    ys = snap([r.pos for r in hrules])
    xs = snap([r.pos for r in vrules])
    if len(ys) < 2 or len(xs) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # merge elementary cells whose shared border is not drawn
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n_rows):
        ymid = (ys[i] + ys[i + 1]) / 2
        for j in range(n_cols):
            xmid = (xs[j] + xs[j + 1]) / 2
            if j + 1 < n_cols and not _covers(vrules, xs[j + 1], ymid):
                parent[find(i * n_cols + j + 1)] = find(i * n_cols + j)
            if i + 1 < n_rows and not _covers(hrules, ys[i + 1], xmid):
                parent[find((i + 1) * n_cols + j)] = find(i * n_cols + j)
    # the top-left elementary cell of each merged cell
    anchor: dict[int, int] = {}
    for k in range(n_rows * n_cols):
        root = find(k)
        anchor[root] = min(anchor.get(root, k), k)
    inside: dict[int, list[Char]] = {}
    outside: list[Char] = []
    x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
    for c in chars:
        cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
        if not (x_lo <= cx <= x_hi and y_lo <= cy <= y_hi):
            outside.append(c)
            continue
        j = min(max(bisect.bisect_right(xs, cx) - 1, 0), n_cols - 1)
        i = min(max(bisect.bisect_right(ys, cy) - 1, 0), n_rows - 1)
        inside.setdefault(anchor[find(i * n_cols + j)], []).append(c)
    rows: list[list[GridCell]] = [[GridCell("") for _ in range(n_cols)] for _ in range(n_rows)]
    for k, cell_chars in inside.items():
        i, j = divmod(k, n_cols)
        source = Source(file=file, page=page_no, bbox=chars_bbox(cell_chars))
        rows[i][j] = GridCell(cell_text(cell_chars), source)
    return Grid(page_no, y_lo, rows, xs), outside


def _lines(chars: list[Char], page_no: int) -> list[Line]:
    """Text outside tables, one entry per printed line (wide gaps become spaces)."""
    chars = sorted(chars, key=lambda c: (c.top + c.bottom) / 2)
    groups: list[list[Char]] = []
    for c in chars:
        mid = (c.top + c.bottom) / 2
        if groups:
            g = groups[-1]
            top = min(x.top for x in g)
            bottom = max(x.bottom for x in g)
            if top <= mid <= bottom:
                g.append(c)
                continue
        groups.append([c])
    return [Line(cell_text(g), page_no, chars_bbox(g), g) for g in groups]


def read_page(page: Any, file: str, page_no: int) -> tuple[list[Line], list[Grid], int]:
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, height)
    finally:
        textpage.close()
    n_chars = len(chars)
    grids: list[Grid] = []
    if chars:
        for frame in _components(_rules(page, height)):
            found = _grid(frame, chars, file, page_no)
            if found is not None:
                grid, chars = found
                if any(c.text for r in grid.rows for c in r):
                    grids.append(grid)
    return _lines(chars, page_no), grids, n_chars


def same_frame(a: Grid, b: Grid) -> bool:
    """Does ``b`` continue ``a`` (same left and right edge)?"""
    return abs(a.xs[0] - b.xs[0]) <= 3 * _SNAP and abs(a.xs[-1] - b.xs[-1]) <= 3 * _SNAP


# --- tables without ruling lines ------------------------------------------------------------
#
# A table title followed by text lines and no ruled grid (Word tables with their borders
# removed, three-line tables, reports typeset by other software): rows come from the printed
# lines, columns from the horizontal positions of the words.
