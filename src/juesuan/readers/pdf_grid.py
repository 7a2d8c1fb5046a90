"""Ruled tables: rulings that meet form a frame; a frame's rulings give the row and column
boundaries, and a cell whose border is not drawn is merged with its neighbour.

The result keeps the elementary layout the shared assembler expects: one row per row band, one
column per column band, and a merged cell's text at its top-left position.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from juesuan.readers.pdf_rulings import Ruling
from juesuan.readers.pdf_settings import PdfSettings


def snap(values: list[float], tolerance: float) -> list[float]:
    """Sorted positions, each closer than ``tolerance`` to the previous one dropped."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def frames(rulings: list[Ruling], settings: PdfSettings) -> list[list[Ruling]]:
    """Rulings that meet (within ``touch``) form one table frame; a frame needs two rulings
    each way."""
    parent = list(range(len(rulings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = settings.touch
    hs = [i for i, r in enumerate(rulings) if r.horizontal]
    vs = [i for i, r in enumerate(rulings) if not r.horizontal]
    vs.sort(key=lambda i: rulings[i].pos)
    vpos = [rulings[i].pos for i in vs]
    for i in hs:
        h = rulings[i]
        lo = bisect.bisect_left(vpos, h.start - tol)
        hi = bisect.bisect_right(vpos, h.end + tol)
        for j in vs[lo:hi]:
            v = rulings[j]
            if v.start - tol <= h.pos <= v.end + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[Ruling]] = {}
    for i, r in enumerate(rulings):
        groups.setdefault(find(i), []).append(r)
    return [
        g
        for g in groups.values()
        if sum(r.horizontal for r in g) >= 2 and sum(not r.horizontal for r in g) >= 2
    ]


@dataclass(slots=True)
class Layout:
    """A frame's boundaries and its merged cells: ``anchor[i][j]`` is the (row, column) of the
    top-left elementary cell of the merged cell that covers elementary cell (i, j)."""

    xs: list[float]
    ys: list[float]
    anchor: list[list[tuple[int, int]]]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The anchor of the merged cell holding point (x, y), or None outside the frame."""
        xs, ys = self.xs, self.ys
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            return None
        j = min(max(bisect.bisect_right(xs, x) - 1, 0), len(xs) - 2)
        i = min(max(bisect.bisect_right(ys, y) - 1, 0), len(ys) - 2)
        return self.anchor[i][j]

    def index_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The elementary cell (row, column) holding point (x, y), or None outside."""
        xs, ys = self.xs, self.ys
        if not (xs[0] <= x <= xs[-1] and ys[0] <= y <= ys[-1]):
            return None
        j = min(max(bisect.bisect_right(xs, x) - 1, 0), len(xs) - 2)
        i = min(max(bisect.bisect_right(ys, y) - 1, 0), len(ys) - 2)
        return i, j

    def span(self, i: int, j: int) -> tuple[int, int]:
        """The last row and column of the merged cell anchored at (i, j)."""
        i1, j1 = i, j
        while i1 + 1 < self.n_rows and self.anchor[i1 + 1][j] == (i, j):
            i1 += 1
        while j1 + 1 < self.n_cols and self.anchor[i][j1 + 1] == (i, j):
            j1 += 1
        return i1, j1

    def cell_box(self, i: int, j: int) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of the merged cell anchored at (i, j)."""
        i1, j1 = self.span(i, j)
        return self.xs[j], self.ys[i], self.xs[j1 + 1], self.ys[i1 + 1]


def _boundary_index(values: list[float], pos: float, tol: float) -> int | None:
    k = bisect.bisect_left(values, pos - tol)
    best = None
    while k < len(values) and values[k] <= pos + tol:
        if best is None or abs(values[k] - pos) < abs(values[best] - pos):
            best = k
        k += 1
    return best


def _open_bands(
    frame: list[Ruling], ys: list[float], xs: list[float], settings: PdfSettings
) -> list[Ruling]:
    """The outer row borders a frame's column borders imply but nobody drew: where every
    column border runs ``open_band`` or more past the first (last) row border, to the same
    point, there is one more row up (down) to there."""
    verticals = [r for r in frame if not r.horizontal]
    added: list[Ruling] = []
    top = max(r.start for r in verticals)
    if ys[0] - top >= settings.open_band and min(r.start for r in verticals) >= top - settings.snap:
        added.append(Ruling(True, top, xs[0], xs[-1]))
    bottom = min(r.end for r in verticals)
    if (
        bottom - ys[-1] >= settings.open_band
        and max(r.end for r in verticals) <= bottom + settings.snap
    ):
        added.append(Ruling(True, bottom, xs[0], xs[-1]))
    return added


def layout(frame: list[Ruling], settings: PdfSettings) -> Layout | None:
    """Boundaries and merged cells of one frame, or None if it is not a table (too few
    columns: a box around text)."""
    ys = snap([r.pos for r in frame if r.horizontal], settings.snap)
    xs = snap([r.pos for r in frame if not r.horizontal], settings.snap)
    if len(ys) < 2 or len(xs) < settings.min_frame_columns + 1:
        return None
    frame = frame + _open_bands(frame, ys, xs, settings)
    ys = snap([r.pos for r in frame if r.horizontal], settings.snap)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    # the drawn pieces of each boundary
    at_x: list[list[tuple[float, float]]] = [[] for _ in xs]
    at_y: list[list[tuple[float, float]]] = [[] for _ in ys]
    for r in frame:
        values, target = (ys, at_y) if r.horizontal else (xs, at_x)
        k = _boundary_index(values, r.pos, settings.snap)
        if k is not None:
            target[k].append((r.start, r.end))
    slack = settings.cover_slack

    def drawn(pieces: list[tuple[float, float]], at: float) -> bool:
        return any(a - slack <= at <= b + slack for a, b in pieces)

    parent = list(range(n_rows * n_cols))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i in range(n_rows):
        ymid = (ys[i] + ys[i + 1]) / 2
        for j in range(n_cols):
            xmid = (xs[j] + xs[j + 1]) / 2
            if j + 1 < n_cols and not drawn(at_x[j + 1], ymid):
                parent[find(i * n_cols + j + 1)] = find(i * n_cols + j)
            if i + 1 < n_rows and not drawn(at_y[i + 1], xmid):
                parent[find((i + 1) * n_cols + j)] = find(i * n_cols + j)
    first: dict[int, int] = {}
    for k in range(n_rows * n_cols):
        root = find(k)
        first[root] = min(first.get(root, k), k)
    anchor = [
        [divmod(first[find(i * n_cols + j)], n_cols) for j in range(n_cols)] for i in range(n_rows)
    ]
    return Layout(xs, ys, anchor)
