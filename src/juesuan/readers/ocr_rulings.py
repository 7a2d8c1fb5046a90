"""The ruling lines of a page image (表格线): thin straight runs of ink, checked against the
pixels around them.

A ruling is a run of dark pixels a few pixels thick, with paper on both sides of it along most
of its length: text crosses or touches it only here and there. img2table's detector (the one
used before) works on an edge image from which it first blanks every text blob; on a blurred
scan a bold header's blobs swallow the rulings between its rows (101's 财政拨款收入支出决算总表 at
150 dpi degraded lost the four rulings of its header), and a row of bold header text blurred
into one bar was taken for a ruling through the middle of the row, so the header's cells and
the first row of figures were read as one. Here:

1. ink is what is clearly darker than the paper (a blurred ruling is mid-grey, not black);
2. an opening with a long thin kernel keeps the runs at least ``min_length`` long;
3. each run found is cut across into its rows of ink: the rows it fills (nearly as much as its
   fullest row), in groups of adjacent rows, each group one line (two close rulings blurred
   into one band are two groups, not one line between them; text touching a ruling along a
   part of it fills its rows far less);
4. a line stays only if the paper just beyond it is mostly clear on one side at least: the
   strokes of a row of text are ink above and below their longest horizontal stroke, while
   figures set hard against a column's border ink one side of it only.

Lines are found horizontally and, on the transposed image, vertically, in pixels of the given
image: ``x1, y1, x2, y2``.
"""

from __future__ import annotations

from typing import Any

from juesuan.readers.ocr import PixelBox

_PAPER_MARGIN = 30  # grey levels under the paper: a 25 % grey ruling, blurred, is ink (45 lost it)
_MIN_LENGTH = 0.018  # of the image's longer side: shorter runs are strokes of characters
_FILL = 0.6  # a row of a run belongs to its line when the run covers this share of it
_HALO = 0.45  # paper beyond a line is ink on this share of its length at most
_HALO_GAP = 2  # pixels between a line's last row of ink and the paper checked beyond it
_MAX_THICK = 0.006  # of the longer side: a thicker band of ink is a filled area, not a line


def lines(rgb: Any) -> tuple[PixelBox, ...]:
    """The horizontal and vertical ruling lines of an RGB (or grey) image."""
    import numpy as np

    gray = rgb if rgb.ndim == 2 else rgb.mean(axis=2)
    paper = float(np.percentile(gray, 75))
    ink = (gray < paper - _PAPER_MARGIN).astype(np.uint8)
    longer = max(ink.shape)
    min_length = max(12, round(_MIN_LENGTH * longer))
    max_thick = max(4, round(_MAX_THICK * longer))
    across = [(x1, y, x2, y) for y, x1, x2 in _runs(ink, min_length, max_thick)]
    transposed = np.ascontiguousarray(ink.T)
    down = [(x, y1, x, y2) for x, y1, y2 in _runs(transposed, min_length, max_thick)]
    return tuple(across + down)


def _runs(ink: Any, min_length: int, max_thick: int) -> list[tuple[int, int, int]]:
    """The horizontal lines of an ink mask, as (row, first column, last column)."""
    import cv2
    import numpy as np

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (min_length, 1))
    long_runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    # a ruling broken for a pixel or two (JPEG blocks, a faint print) is one run
    bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, min_length // 6), 1))
    long_runs = cv2.morphologyEx(long_runs, cv2.MORPH_CLOSE, bridge)
    count, _, stats, _ = cv2.connectedComponentsWithStats(long_runs, connectivity=8)
    height = ink.shape[0]
    found: list[tuple[int, int, int]] = []
    for x, y, w, h, _area in stats[1:count]:
        if w < min_length:
            continue
        band = long_runs[y : y + h, x : x + w]
        fill = band.sum(axis=1)
        # rows the run fills: relative to its fullest row, so that a ruling a little out of
        # level (or printed in two halves a pixel apart) is still one line of a few rows
        filled = fill >= _FILL * fill.max()
        for top, bottom in _groups(filled):
            y0, y1 = y + top, y + bottom
            if y1 - y0 + 1 > max_thick:
                continue  # a filled bar or a block of text, not a ruling
            above = ink[max(0, y0 - _HALO_GAP - 1), x : x + w] if y0 > _HALO_GAP else None
            below = ink[y1 + _HALO_GAP + 1, x : x + w] if y1 + _HALO_GAP + 1 < height else None
            clear = [
                side is None or float(np.count_nonzero(side)) <= _HALO * w
                for side in (above, below)
            ]
            # a figure set hard against its column's border inks one side, not both
            if any(clear):
                found.append((int(y0 + y1) // 2, int(x), int(x + w - 1)))
    return found


def _groups(filled: Any) -> list[tuple[int, int]]:
    """The runs of True in a boolean vector, as (first, last) indices."""
    out: list[tuple[int, int]] = []
    start = None
    for i, value in enumerate(filled.tolist()):
        if value and start is None:
            start = i
        elif not value and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(filled) - 1))
    return out
