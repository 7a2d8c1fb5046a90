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
centred over several columns goes to the first of them (:mod:`juesuan.readers.pdf_borderless`).

Then the document is read in order: a title line (identified by its words) opens a table, the
unit and note lines around it are attached, and a grid with no title before it continues the
previous table (a table broken across pages). Each grid goes through
:func:`juesuan.readers.layout.assemble`, so every number keeps its page and box
(``x0, top, x1, bottom`` in PDF points from the top-left corner of the page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.model.amount import Unit, parse_unit
from juesuan.model.codes import Codes, reference_codes
from juesuan.model.layout import TableId, identify_title
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.model.tables import Table, TableStatus
from juesuan.readers.document import EMPTY_WORDS as _EMPTY_WORDS
from juesuan.readers.document import NOTE as _NOTE
from juesuan.readers.document import find_year as _find_year
from juesuan.readers.document import finish_report, keep_better, settle_table
from juesuan.readers.layout import GridCell, assemble
from juesuan.readers.narrative import PART, split_sections
from juesuan.readers.pdf_borderless import BorderlessTables
from juesuan.readers.pdf_page import SPACES, Grid, Line, read_page, same_frame, snap
from juesuan.readers.pdf_settings import PdfSettings, resolve


@dataclass
class _Pending:
    table_id: TableId
    title: str
    source: Source
    unit: Unit | None = None
    notes: list[str] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)

    def rows(self) -> list[list[GridCell]]:
        """The rows of all fragments (a table broken across pages), each cell at the column
        of the union of the fragments' column boundaries where it starts."""
        if len(self.grids) == 1:
            return self.grids[0].rows
        xs = snap([x for g in self.grids for x in g.xs])
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


def read_pdf(
    data: bytes,
    path: Path,
    codes: Codes | None = None,
    *,
    settings: PdfSettings | Mapping[str, Any] | None = None,
) -> Report:
    """Read a PDF report; ``settings`` changes the reader's tolerances (:class:`PdfSettings`).

    Pages are read one at a time and closed; their lines stream through the borderless-table
    finder, which keeps characters only for the table block it is building."""
    tolerances = resolve(settings)
    doc = _open(data, path)
    file = str(path)
    items: list[Line | Grid] = []
    borderless = BorderlessTables(file, tolerances)
    total_chars = 0
    try:
        for index in range(len(doc)):
            try:
                page = doc[index]
            except Exception:
                raise InputError(path, f"damaged PDF: page {index + 1} cannot be read") from None
            try:
                lines, grids, n_chars = read_page(page, file, index + 1, tolerances)
            finally:
                page.close()
            total_chars += n_chars
            on_page: list[tuple[float, Line | Grid]] = [(ln.bbox[1], ln) for ln in lines]
            on_page += [(g.top, g) for g in grids]
            on_page.sort(key=lambda t: t[0])
            for _, it in on_page:
                items.extend(borderless.feed(it))
    finally:
        doc.close()
    if total_chars == 0:
        raise InputError(path, "no text layer: scanned pages need OCR")
    items.extend(borderless.close())
    return _report(items, path, codes or reference_codes())


def _report(items: list[Line | Grid], path: Path, codes: Codes) -> Report:
    file = str(path)
    texts = [it.text for it in items if isinstance(it, Line)]
    texts += [c.text for it in items if isinstance(it, Grid) for r in it.rows for c in r]
    year = _find_year(texts)
    pending: list[_Pending] = []
    current: _Pending | None = None
    last_with_grid: _Pending | None = None
    for it in items:
        if isinstance(it, Grid):
            target = current if current is not None else last_with_grid
            if target is None:
                continue
            if target.grids and target is not current and not same_frame(target.grids[-1], it):
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
        if isinstance(it, Line)
    ]
    if not tables and not split_sections(lines):
        raise InputError(path, "no 部门决算 content found (no table titles, no 情况说明 sections)")
    return finish_report(tables, notes, lines, file=file, year=year)


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
        title=SPACES.sub("", p.title) if len(p.title) < 40 else p.title,
        unit=p.unit,
        note=note,
        codes=codes,
        year=year,
        source=p.source,
    )
    return settle_table(assembly.table, assembly.notes, p.unit, note)
