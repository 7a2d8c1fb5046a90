"""PDF tables printed without ruling lines (Word tables without borders, three-line tables):
rows from the printed lines, columns from the words' positions. See :mod:`juesuan.readers.pdf`."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from juesuan.model.amount import parse_amount, parse_unit
from juesuan.model.layout import identify_title
from juesuan.model.source import Source
from juesuan.readers.document import NOTE as _NOTE
from juesuan.readers.layout import GridCell
from juesuan.readers.narrative import PART
from juesuan.readers.pdf_page import (
    SPACES,
    Char,
    Grid,
    Line,
    cell_text,
    chars_bbox,
    chars_confidence,
)
from juesuan.readers.pdf_settings import DEFAULT_SETTINGS, PdfSettings

_META = re.compile(r"^(?:公开\s*\d+\s*表|部门[:：]|编制单位|单位[:：]|\d{4}\s*年度?$)")
_LINE_NUMBER = re.compile(r"^[-—\s]*(?:\d+|第\s*\d+\s*页.*)[-—\s]*$")


@dataclass(slots=True)
class _Word:
    chars: list[Char]
    x0: float
    x1: float
    text: str
    number: bool  # a printed amount or integer

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def _words(line: Line, settings: PdfSettings = DEFAULT_SETTINGS) -> list[_Word]:
    """The line's characters split at gaps wider than ``word_gap`` of their median height."""
    chars = sorted(line.chars, key=lambda c: c.x0)
    if not chars:
        return []
    heights = sorted(c.bottom - c.top for c in chars)
    gap = max(settings.word_gap * heights[len(heights) // 2], settings.word_gap_min)
    groups: list[list[Char]] = [[chars[0]]]
    for c in chars[1:]:
        if c.x0 - max(x.x1 for x in groups[-1][-3:]) > gap:
            groups.append([c])
        else:
            groups[-1].append(c)
    out = []
    for g in groups:
        text = cell_text(list(g), settings)
        out.append(_Word(g, min(c.x0 for c in g), max(c.x1 for c in g), text, _is_amount(text)))
    return out


def _is_amount(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and parse_amount(text) is not None


def _is_meta(line: Line) -> bool:
    text = SPACES.sub("", line.text)
    return bool(_META.match(text)) or ("单位" in text and parse_unit(text) is not None)


def _number_row(words: list[_Word]) -> bool:
    """栏次 1 2 3 … (column numbers)."""
    texts = [SPACES.sub("", w.text) for w in words]
    if not texts:
        return False
    if texts[0] in ("栏次", "行次", "档次"):
        return True
    return len(texts) >= 2 and all(t.isdigit() and len(t) <= 2 for t in texts)


def rebuild_borderless(
    items: list[Line | Grid], file: str, settings: PdfSettings = DEFAULT_SETTINGS
) -> list[Line | Grid]:
    """Replace the lines of tables printed without ruling lines by grids (all at once; the
    reader streams page by page through :class:`BorderlessTables`)."""
    tables = BorderlessTables(file, settings)
    out = [x for it in items for x in tables.feed(it)]
    return out + tables.close()


class BorderlessTables:
    """Tables printed without ruling lines, found while the document streams by in reading
    order. A block starts at the first line with two or more words (after the unit and 部门
    lines) that follows a table title with no ruled grid, runs across pages and ends at a note,
    a title, a part heading, a ruled grid or a paragraph. Only the lines of the open block keep
    their characters; every line handed on drops them, so memory stays flat however long the
    document is."""

    def __init__(self, file: str, settings: PdfSettings = DEFAULT_SETTINGS) -> None:
        self.file = file
        self.settings = settings
        self.block: list[Line] = []
        self.words: dict[int, list[_Word]] = {}  # of the block's lines, split once
        self.after_title = False

    def _flush(self) -> list[Line | Grid]:
        if not self.block:
            return []
        out = _block_grids(self.block, self.file, self.settings, self.words)
        self.block = []
        self.words = {}
        return out

    def close(self) -> list[Line | Grid]:
        return self._flush()

    def feed(self, it: Line | Grid) -> list[Line | Grid]:
        """The items that are final once ``it`` has been seen, in reading order."""
        s = self.settings
        if isinstance(it, Grid):
            out: list[Line | Grid] = []
            if self.block and all(ln.page == it.page for ln in self.block):
                out.extend(map(_bare, self.block))  # header text above a ruled grid: lines
                self.block = []
                self.words = {}
            out.extend(self._flush())
            self.after_title = False
            out.append(it)
            return out
        line = it.text.strip()
        title = len(line) < 60 and identify_title(line) is not None
        if title or PART.match(line) or _NOTE.match(line):
            out = self._flush()
            self.after_title = title
            out.append(_bare(it))
            return out
        if self.block:
            words = _words(it, s)
            width = self.block[0].bbox[2] - self.block[0].bbox[0]
            last = self.block[-1]
            paragraph = len(words) == 1 and (it.bbox[2] - it.bbox[0]) > s.paragraph_width * width
            page_number = _LINE_NUMBER.match(line) and len(words) == 1 and it.page == last.page
            if paragraph:
                out = self._flush()
                self.after_title = False
                out.append(_bare(it))
                return out
            if not page_number:
                self.block.append(it)
                self.words[id(it)] = words  # the line lives in the block: its id is unique
            return []
        if self.after_title:
            if _is_meta(it):
                return [_bare(it)]
            words = _words(it, s)
            if len(words) >= 2:
                self.words[id(it)] = words
                self.block.append(it)
                return []
            self.after_title = False
        return [_bare(it)]


def _bare(line: Line) -> Line:
    """The line without its characters (what the document assembly needs)."""
    return Line(line.text, line.page, line.bbox, confidence=line.confidence) if line.chars else line


def _block_grids(
    block: list[Line], file: str, settings: PdfSettings, words: dict[int, list[_Word]] | None = None
) -> list[Line | Grid]:
    known = words or {}
    lines = [(ln, known.get(id(ln)) or _words(ln, settings)) for ln in block]
    first_data = next(
        (i for i, (_, ws) in enumerate(lines) if any(w.number for w in ws) and not _number_row(ws)),
        len(lines),
    )
    # columns: runs of x covered by the words of the data lines
    spans = sorted((w.x0, w.x1) for _, ws in lines[first_data:] for w in ws)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    data_words = [w for _, ws in lines[first_data:] for w in ws]
    xs = _boundaries(cols, data_words, [w for _, ws in lines for w in ws], settings)
    xs = _split_for_headers(xs, [ws for _, ws in lines[:first_data]])
    n = len(xs) - 1

    def col(x: float) -> int:
        return min(max(bisect.bisect_right(xs, x) - 1, 0), n - 1)

    text_cols = {col(w.center) for w in data_words if not w.number}
    # logical rows: a header line whose words all sit under words of the line above continues
    # it (a wrapped header cell); in the data part, a line of text only in text columns
    # continues the row above (a wrapped label)
    rows: list[tuple[Line, list[_Word]]] = []
    n_head = 0
    for i, (ln, ws) in enumerate(lines):
        if rows and rows[-1][0].page == ln.page and ws:
            above = {col(w.center): w for w in rows[-1][1]}
            head = i < first_data and not _number_row(ws) and not _number_row(rows[-1][1])
            if head and i - 1 < first_data and all(col(w.center) in above for w in ws):
                for w in ws:
                    above[col(w.center)].chars.extend(w.chars)
                continue
            if (
                i > first_data
                and not any(w.number for w in ws)
                and all(col(w.center) in text_cols for w in ws)
            ):
                rows[-1][1].extend(ws)
                continue
        rows.append((ln, list(ws)))
        n_head += i < first_data
    placed = _place_header(
        xs, [ws for _, ws in rows[:n_head] if not _number_row(ws)], settings.header_edge
    )
    out: list[Line | Grid] = []
    for ln, ws in rows:
        cells: list[list[Char]] = [[] for _ in range(n)]
        for w in ws:
            cells[placed.get(id(w), col(w.center))].extend(w.chars)
        grid_row = [
            GridCell(
                cell_text(list(c), settings),
                Source(
                    file=file, page=ln.page, bbox=chars_bbox(c), confidence=chars_confidence(c)
                ),
            )
            if c
            else GridCell("")
            for c in cells
        ]
        last = out[-1] if out else None
        if isinstance(last, Grid) and last.page == ln.page:
            last.rows.append(grid_row)
        else:
            out.append(Grid(ln.page, ln.bbox[1], [grid_row], xs))
    return out


def _boundaries(
    cols: list[list[float]],
    data: list[_Word],
    every: list[_Word],
    settings: PdfSettings = DEFAULT_SETTINGS,
) -> list[float]:
    """Column boundaries between runs of words: just right of a right-aligned column (numbers),
    just left of a left-aligned one (labels), else half way."""
    left = min((w.x0 for w in every), default=0.0) - 1
    right = max((w.x1 for w in every), default=1.0) + 1
    if not cols:
        return [left, right]
    members: list[list[_Word]] = [[] for _ in cols]
    starts = [c[0] for c in cols]
    for w in data:
        members[max(bisect.bisect_right(starts, w.x0) - 1, 0)].append(w)

    def aligned(ws: list[_Word], edge: str) -> bool:
        vals = [w.x1 if edge == "r" else w.x0 for w in ws]
        return len(vals) >= 2 and max(vals) - min(vals) <= settings.align_tolerance

    xs = [left]
    for k in range(len(cols) - 1):
        gap = cols[k + 1][0] - cols[k][1]
        # a column of numbers in a single row: right-aligned, as numbers are printed
        lone = len(members[k]) == 1 and members[k][0].number
        r_al = lone or (aligned(members[k], "r") and not aligned(members[k], "l"))
        l_al = aligned(members[k + 1], "l") and not aligned(members[k + 1], "r")
        if r_al and not l_al:
            xs.append(cols[k][1] + min(gap / 2, settings.boundary_offset))
        elif l_al and not r_al:
            xs.append(cols[k + 1][0] - min(gap / 2, settings.boundary_offset))
        else:
            xs.append((cols[k][1] + cols[k + 1][0]) / 2)
    xs.append(right)
    return xs


def _split_for_headers(xs: list[float], header: list[list[_Word]]) -> list[float]:
    """A column with no value in any data row shows only by its header words: where two words
    of one header line fall in one column, the column splits between them."""
    xs = list(xs)
    for ws in header:
        by_col: dict[int, list[_Word]] = {}
        for w in ws:
            j = min(max(bisect.bisect_right(xs, w.center) - 1, 0), len(xs) - 2)
            by_col.setdefault(j, []).append(w)
        for group in by_col.values():
            group.sort(key=lambda w: w.x0)
            for a, b in itertools.pairwise(group):
                xs.append((a.x1 + b.x0) / 2)
        xs.sort()
    return xs


def _place_header(
    xs: list[float], header: list[list[_Word]], edge: float = DEFAULT_SETTINGS.header_edge
) -> dict[int, int]:
    """The column of each header word. A word centred over several columns (empty on its
    line, with words below them) goes to the first of them, as the assembler expects of a
    merged cell; a word centred in one column stays there when the word before it on the
    line can own the empty columns in between (the assembler's reading of a group header
    printed in its first column)."""
    n = len(xs) - 1

    def col(x: float) -> int:
        return min(max(bisect.bisect_right(xs, x) - 1, 0), n - 1)

    occupied = [{col(w.center) for w in ws} for ws in header]
    placed: dict[int, int] = {}
    for r, ws in enumerate(header):
        deeper: set[int] = set().union(*occupied[r + 1 :]) if r + 1 < len(occupied) else set()
        own = occupied[r]
        taken: set[int] = set()

        def free(
            k: int, own: set[int] = own, taken: set[int] = taken, deep: set[int] = deeper
        ) -> bool:
            return 0 <= k < n and k not in own and k not in taken and k in deep

        prev: tuple[int, bool] | None = None  # (last column, span fixed by its position)
        for w in sorted(ws, key=lambda w: w.x0):
            j = col(w.center)
            f = (w.center - xs[j]) / max(xs[j + 1] - xs[j], 1e-6)
            lo, hi = j, j
            fixed = False
            if f < edge and free(j - 1):  # centred on the boundary to the left: even span
                lo, fixed = j - 1, True
            elif f > 1 - edge and free(j + 1):
                hi, fixed = j + 1, True
            claim = (
                not fixed
                and prev is not None
                and not prev[1]
                and prev[0] in deeper
                and all(free(k) for k in range(prev[0] + 1, j))
            )
            if not claim:
                while free(lo - 1) and free(hi + 1):
                    lo, hi, fixed = lo - 1, hi + 1, True
            taken.update(range(lo, hi + 1))
            placed[id(w)] = lo
            prev = (hi, fixed)
    return placed
