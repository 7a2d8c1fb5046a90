"""PDF with a text layer: tables rebuilt from character positions and ruling lines.

Engine: pypdfium2 only (measured in ``bench/import.py``: a few milliseconds per page, against
~100 ms for pdfplumber's ``extract_words`` and ~150 ms for its ``extract_tables``). For each
page, one at a time and closed after use:

1. characters with their boxes (``FPDFText_GetLooseCharBox``) and the page's ruling lines (thin
   path objects: horizontal and vertical strokes or filled bars);
2. rulings that touch form a grid; its column and row boundaries are the rulings' positions,
   and a cell whose border is missing is merged with its neighbour (a merged header cell keeps
   its words at its top-left position, as the shared assembler expects);
3. characters inside a grid go to their cell (wrapped labels and headers join up; justified
   spacing becomes spaces that the assembler ignores); all other characters form text lines.

A table title with no ruled grid after it (Word tables with their borders removed, three-line
tables, other typesetting) falls back on the text lines: rows are the printed lines (a wrapped
label or header line joins the row above), columns are the runs of x covered by the words of the
data rows, bounded just right of right-aligned numbers and just left of left-aligned labels; a
column empty in every data row shows by two header words falling in one column; a header word
centred over several columns goes to the first of them (see :func:`_place_header`).

Then the document is read in order: a title line (identified by its words) opens a table, the
unit and note lines around it are attached, and a grid with no title before it continues the
previous table (a table broken across pages). Each grid goes through
:func:`juesuan.readers.layout.assemble`, so every number keeps its page and box
(``x0, top, x1, bottom`` in PDF points from the top-left corner of the page).
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.model.amount import Unit, parse_amount, parse_unit
from juesuan.model.codes import Codes, reference_codes
from juesuan.model.layout import SPECS, TableId, identify_title
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.model.tables import Table, TableStatus
from juesuan.readers.document import EMPTY_WORDS as _EMPTY_WORDS
from juesuan.readers.document import NOTE as _NOTE
from juesuan.readers.document import find_year as _find_year
from juesuan.readers.document import finish_report, keep_better
from juesuan.readers.layout import GridCell, assemble
from juesuan.readers.narrative import PART, split_sections

BBox = tuple[float, float, float, float]

_RULE_THICKNESS = 2.5  # a path thinner than this (points) is a ruling line
_SNAP = 2.0  # rulings closer than this are the same boundary


@dataclass(slots=True)
class _Char:
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
class _Line:
    text: str
    page: int
    bbox: BBox
    chars: list[_Char] = field(default_factory=list, repr=False, compare=False)


@dataclass
class _Grid:
    page: int
    top: float
    rows: list[list[GridCell]]
    xs: list[float]


@dataclass
class _Pending:
    table_id: TableId
    title: str
    source: Source
    unit: Unit | None = None
    notes: list[str] = field(default_factory=list)
    grids: list[_Grid] = field(default_factory=list)

    def rows(self) -> list[list[GridCell]]:
        """The rows of all fragments (a table broken across pages), each cell at the column
        of the union of the fragments' column boundaries where it starts."""
        if len(self.grids) == 1:
            return self.grids[0].rows
        xs = _snap([x for g in self.grids for x in g.xs])
        out: list[list[GridCell]] = []
        for g in self.grids:
            for row in g.rows:
                new = [GridCell("") for _ in range(len(xs) - 1)]
                for j, cell in enumerate(row):
                    if cell.text:
                        k = min(range(len(xs) - 1), key=lambda k: abs(xs[k] - g.xs[j]))
                        new[k] = cell
                out.append(new)
        return out


# --- opening ---------------------------------------------------------------------------------


def _open(data: bytes, path: Path) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not data.lstrip()[:1024].find(b"%PDF") >= 0:
        raise InputError(path, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise InputError(path, "truncated PDF (the file ends before its %%EOF end marker)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = raw.FPDF_GetLastError()
        if code == raw.FPDF_ERR_PASSWORD:
            raise InputError(path, "encrypted PDF: a password is needed to open it") from None
        if code == raw.FPDF_ERR_SECURITY:
            raise InputError(path, "encrypted PDF: unsupported security handler") from None
        if code == raw.FPDF_ERR_FORMAT:
            raise InputError(
                path, "damaged or truncated PDF (cannot parse its structure)"
            ) from None
        raise InputError(path, f"cannot open PDF: {exc}") from None
    if len(doc) == 0:
        doc.close()
        raise InputError(path, "damaged or truncated PDF (no pages)")
    return doc


# --- one page ---------------------------------------------------------------------------------


def _chars(textpage: Any, height: float) -> list[_Char]:
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
    out: list[_Char] = []
    for i, ch in enumerate(text):
        if ch.isspace() or ch == "\x00" or ch == "\ufffe":
            continue
        if not get_box(handle, i, ref):
            continue
        out.append(_Char(ch, rect.left, height - rect.top, rect.right, height - rect.bottom))
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


def _snap(values: list[float]) -> list[float]:
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


def _cell_text(chars: list[_Char]) -> str:
    """Characters of one cell in reading order; wrapped lines join without a space, a gap wider
    than a third of the character height becomes a space."""
    chars.sort(key=lambda c: (c.top + c.bottom) / 2)
    lines: list[list[_Char]] = []
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
        prev: _Char | None = None
        for c in line:
            if prev is not None and c.x0 - prev.x1 > (c.bottom - c.top) / 3:
                buf.append(" ")
            buf.append(c.text)
            prev = c
        parts.append("".join(buf))
    return "".join(parts)


def _bbox(chars: list[_Char]) -> BBox:
    return (
        round(min(c.x0 for c in chars), 2),
        round(min(c.top for c in chars), 2),
        round(max(c.x1 for c in chars), 2),
        round(max(c.bottom for c in chars), 2),
    )


def _grid(
    frame: list[_Rule], chars: list[_Char], file: str, page_no: int
) -> tuple[_Grid, list[_Char]] | None:
    """Cells of one ruled table; returns the grid and the characters outside it."""
    hrules = [r for r in frame if r.horizontal]
    vrules = [r for r in frame if not r.horizontal]
    ys = _snap([r.pos for r in hrules])
    xs = _snap([r.pos for r in vrules])
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
    inside: dict[int, list[_Char]] = {}
    outside: list[_Char] = []
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
        source = Source(file=file, page=page_no, bbox=_bbox(cell_chars))
        rows[i][j] = GridCell(_cell_text(cell_chars), source)
    return _Grid(page_no, y_lo, rows, xs), outside


def _lines(chars: list[_Char], page_no: int) -> list[_Line]:
    """Text outside tables, one entry per printed line (wide gaps become spaces)."""
    chars = sorted(chars, key=lambda c: (c.top + c.bottom) / 2)
    groups: list[list[_Char]] = []
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
    return [_Line(_cell_text(g), page_no, _bbox(g), g) for g in groups]


def _read_page(page: Any, file: str, page_no: int) -> tuple[list[_Line], list[_Grid], int]:
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, height)
    finally:
        textpage.close()
    n_chars = len(chars)
    grids: list[_Grid] = []
    if chars:
        for frame in _components(_rules(page, height)):
            found = _grid(frame, chars, file, page_no)
            if found is not None:
                grid, chars = found
                if any(c.text for r in grid.rows for c in r):
                    grids.append(grid)
    return _lines(chars, page_no), grids, n_chars


def _same_frame(a: _Grid, b: _Grid) -> bool:
    """Does ``b`` continue ``a`` (same left and right edge)?"""
    return abs(a.xs[0] - b.xs[0]) <= 3 * _SNAP and abs(a.xs[-1] - b.xs[-1]) <= 3 * _SNAP


# --- tables without ruling lines ------------------------------------------------------------
#
# A table title followed by text lines and no ruled grid (Word tables with their borders
# removed, three-line tables, reports typeset by other software): rows come from the printed
# lines, columns from the horizontal positions of the words.

_META = re.compile(r"^(?:公开\s*\d+\s*表|部门[:：]|编制单位|单位[:：]|\d{4}\s*年度?$)")
_LINE_NUMBER = re.compile(r"^[-—\s]*(?:\d+|第\s*\d+\s*页.*)[-—\s]*$")


@dataclass(slots=True)
class _Word:
    chars: list[_Char]
    x0: float
    x1: float
    text: str
    number: bool  # a printed amount or integer

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


def _words(line: _Line) -> list[_Word]:
    """The line's characters split at gaps wider than about two thirds of their height."""
    chars = sorted(line.chars, key=lambda c: c.x0)
    if not chars:
        return []
    heights = sorted(c.bottom - c.top for c in chars)
    gap = max(0.7 * heights[len(heights) // 2], 3.0)
    groups: list[list[_Char]] = [[chars[0]]]
    for c in chars[1:]:
        if c.x0 - max(x.x1 for x in groups[-1][-3:]) > gap:
            groups.append([c])
        else:
            groups[-1].append(c)
    out = []
    for g in groups:
        text = _cell_text(list(g))
        out.append(_Word(g, min(c.x0 for c in g), max(c.x1 for c in g), text, _is_amount(text)))
    return out


def _is_amount(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and parse_amount(text) is not None


def _is_meta(line: _Line) -> bool:
    text = _SPACES.sub("", line.text)
    return bool(_META.match(text)) or ("单位" in text and parse_unit(text) is not None)


def _number_row(words: list[_Word]) -> bool:
    """栏次 1 2 3 … (column numbers)."""
    texts = [_SPACES.sub("", w.text) for w in words]
    if not texts:
        return False
    if texts[0] in ("栏次", "行次", "档次"):
        return True
    return len(texts) >= 2 and all(t.isdigit() and len(t) <= 2 for t in texts)


def _borderless(items: list[_Line | _Grid], file: str) -> list[_Line | _Grid]:
    """Replace the lines of a table printed without ruling lines by grids. A block starts at
    the first line with two or more words (after the unit and 部门 lines) that follows a table
    title with no ruled grid, runs across pages and ends at a note, a title, a part heading, a
    ruled grid or a paragraph."""
    out: list[_Line | _Grid] = []
    block: list[_Line] = []
    after_title = False

    def flush() -> None:
        if block:
            out.extend(_block_grids(block, file))
            block.clear()

    for it in items:
        if isinstance(it, _Grid):
            if block and all(ln.page == it.page for ln in block):
                out.extend(block)  # header text printed above a ruled grid: keep as lines
                block.clear()
            flush()
            after_title = False
            out.append(it)
            continue
        line = it.text.strip()
        title = len(line) < 60 and identify_title(line) is not None
        if title or PART.match(line) or _NOTE.match(line):
            flush()
            after_title = title
            out.append(it)
            continue
        if block:
            words = _words(it)
            width = block[0].bbox[2] - block[0].bbox[0]
            last = block[-1]
            paragraph = len(words) == 1 and (it.bbox[2] - it.bbox[0]) > 0.6 * width
            page_number = _LINE_NUMBER.match(line) and len(words) == 1 and it.page == last.page
            if paragraph:
                flush()
                after_title = False
                out.append(it)
            elif not page_number:
                block.append(it)
            continue
        if after_title:
            if _is_meta(it):
                out.append(it)
                continue
            if len(_words(it)) >= 2:
                block.append(it)
                continue
            after_title = False
        out.append(it)
    flush()
    return out


def _block_grids(block: list[_Line], file: str) -> list[_Line | _Grid]:
    lines = [(ln, _words(ln)) for ln in block]
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
    xs = _boundaries(cols, data_words, [w for _, ws in lines for w in ws])
    xs = _split_for_headers(xs, [ws for _, ws in lines[:first_data]])
    n = len(xs) - 1

    def col(x: float) -> int:
        return min(max(bisect.bisect_right(xs, x) - 1, 0), n - 1)

    text_cols = {col(w.center) for w in data_words if not w.number}
    # logical rows: a header line whose words all sit under words of the line above continues
    # it (a wrapped header cell); in the data part, a line of text only in text columns
    # continues the row above (a wrapped label)
    rows: list[tuple[_Line, list[_Word]]] = []
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
    placed = _place_header(xs, [ws for _, ws in rows[:n_head] if not _number_row(ws)])
    out: list[_Line | _Grid] = []
    for ln, ws in rows:
        cells: list[list[_Char]] = [[] for _ in range(n)]
        for w in ws:
            cells[placed.get(id(w), col(w.center))].extend(w.chars)
        grid_row = [
            GridCell(_cell_text(list(c)), Source(file=file, page=ln.page, bbox=_bbox(c)))
            if c
            else GridCell("")
            for c in cells
        ]
        last = out[-1] if out else None
        if isinstance(last, _Grid) and last.page == ln.page:
            last.rows.append(grid_row)
        else:
            out.append(_Grid(ln.page, ln.bbox[1], [grid_row], xs))
    return out


def _boundaries(cols: list[list[float]], data: list[_Word], every: list[_Word]) -> list[float]:
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
        return len(vals) >= 2 and max(vals) - min(vals) <= 1.5

    xs = [left]
    for k in range(len(cols) - 1):
        gap = cols[k + 1][0] - cols[k][1]
        # a column of numbers in a single row: right-aligned, as numbers are printed
        lone = len(members[k]) == 1 and members[k][0].number
        r_al = lone or (aligned(members[k], "r") and not aligned(members[k], "l"))
        l_al = aligned(members[k + 1], "l") and not aligned(members[k + 1], "r")
        if r_al and not l_al:
            xs.append(cols[k][1] + min(gap / 2, 6.0))
        elif l_al and not r_al:
            xs.append(cols[k + 1][0] - min(gap / 2, 6.0))
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


def _place_header(xs: list[float], header: list[list[_Word]]) -> dict[int, int]:
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
            if f < 0.3 and free(j - 1):  # centred on the boundary to the left: even span
                lo, fixed = j - 1, True
            elif f > 0.7 and free(j + 1):
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


# --- the document ----------------------------------------------------------------------------


def read_pdf(data: bytes, path: Path, codes: Codes | None = None) -> Report:
    doc = _open(data, path)
    file = str(path)
    items: list[tuple[int, float, _Line | _Grid]] = []
    total_chars = 0
    try:
        for index in range(len(doc)):
            try:
                page = doc[index]
            except Exception:
                raise InputError(path, f"damaged PDF: page {index + 1} cannot be read") from None
            try:
                lines, grids, n_chars = _read_page(page, file, index + 1)
            finally:
                page.close()
            total_chars += n_chars
            items.extend((index, ln.bbox[1], ln) for ln in lines)
            items.extend((index, g.top, g) for g in grids)
    finally:
        doc.close()
    if total_chars == 0:
        raise InputError(path, "no text layer: scanned pages need OCR")
    items.sort(key=lambda t: (t[0], t[1]))
    return _report(_borderless([it for _, _, it in items], file), path, codes or reference_codes())


def _report(items: list[_Line | _Grid], path: Path, codes: Codes) -> Report:
    file = str(path)
    texts = [it.text for it in items if isinstance(it, _Line)]
    texts += [c.text for it in items if isinstance(it, _Grid) for r in it.rows for c in r]
    year = _find_year(texts)
    pending: list[_Pending] = []
    current: _Pending | None = None
    last_with_grid: _Pending | None = None
    for it in items:
        if isinstance(it, _Grid):
            target = current if current is not None else last_with_grid
            if target is None:
                continue
            if target.grids and target is not current and not _same_frame(target.grids[-1], it):
                continue
            target.grids.append(it)
            last_with_grid = target
            current = None if target.notes else target
            continue
        line = it.text.strip()
        tid = identify_title(line) if len(line) < 60 else None
        if tid is not None:
            current = _Pending(tid, line, Source(file=file, page=it.page, bbox=it.bbox))
            pending.append(current)
            continue
        if PART.match(line):
            current = last_with_grid = None
            continue
        holder = current or last_with_grid
        if holder is None:
            continue
        if "单位" in line and (u := parse_unit(line)) is not None and holder.unit is None:
            holder.unit = u
        elif _NOTE.match(line):
            holder.notes.append(line)
            if holder is last_with_grid:
                current = None
    tables: dict[TableId, Table] = {}
    notes: list[str] = []
    for p in pending:
        table, table_notes = _table(p, codes, year)
        if keep_better(tables, table) and table.status in (TableStatus.PRESENT, TableStatus.EMPTY):
            notes.extend(table_notes)
    lines = [
        (it.text, Source(file=file, page=it.page, bbox=it.bbox))
        for it in items
        if isinstance(it, _Line)
    ]
    if not tables and not split_sections(lines):
        raise InputError(path, "no 部门决算 content found (no table titles, no 情况说明 sections)")
    return finish_report(tables, notes, lines, file=file, year=year)


_SPACES = re.compile(r"\s+")


def _table(p: _Pending, codes: Codes, year: int | None) -> tuple[Table, list[str]]:
    note = " ".join(p.notes) or None
    rows = p.rows()
    if not rows:
        empty_note = note if note and any(w in note for w in _EMPTY_WORDS) else None
        return Table(
            p.table_id, TableStatus.TITLE_ONLY, p.title, p.unit, (), empty_note, p.source
        ), []
    assembly = assemble(
        p.table_id,
        rows,
        title=_SPACES.sub("", p.title) if len(p.title) < 40 else p.title,
        unit=p.unit,
        note=note,
        codes=codes,
        year=year,
        source=p.source,
    )
    table = assembly.table
    notes = list(assembly.notes)
    if p.unit is None:
        notes.append(f"{SPECS[p.table_id].label}未注明金额单位，按“元”处理")
        table = replace(table, unit=Unit.YUAN)
    if table.status is TableStatus.EMPTY and note and not any(w in note for w in _EMPTY_WORDS):
        table = replace(table, note=None)
    return table, notes
