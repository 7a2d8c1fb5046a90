"""Word documents (.docx, and legacy .doc through LibreOffice), plus the document assembly that
the DOCX, HTML and XLSX readers share.

A document is reduced to a stream of blocks in reading order: paragraphs and table grids.
:func:`assemble_document` then does what :mod:`juesuan.readers.text` does with lines: a
paragraph that names a table (:func:`~juesuan.model.layout.identify_title`) opens it, the unit
line (金额单位：元) and the notes (注：/说明：) that follow belong to it, and the next table grid
is its body, given to :func:`juesuan.readers.layout.assemble`. A title, unit or note printed
*inside* the table (a merged first or last row, common in spreadsheets) is lifted out of the grid
first. The narrative is split with :func:`juesuan.readers.narrative.split_sections`.

Merged cells: python-docx repeats the same cell across a horizontal span and for the rows of a
vertical span. The grid keeps the text at the first (top-left) position and leaves the spanned
positions empty, which is how the text format prints a merged header.

Provenance (``Source``) for DOCX: ``file`` is the document path and ``line`` counts the blocks
of the document body from 1, one per paragraph (empty ones included) and one per table row —
the line number the cell would have in a plain-text export of the document that prints each
paragraph and each table row on one line. Every cell of a table row has that row's line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.errors import InputError
from juesuan.model.amount import Unit, parse_unit
from juesuan.model.codes import Codes, reference_codes
from juesuan.model.layout import TableId, identify_title
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.model.tables import Table, TableStatus
from juesuan.readers.document import (
    EMPTY_WORDS,
    NOTE,
    find_year,
    finish_report,
    keep_better,
    settle_table,
)
from juesuan.readers.layout import GridCell, assemble
from juesuan.readers.narrative import PART, split_sections

# --- the block stream shared by the DOCX, HTML and XLSX readers ------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A table as printed: rows of cells at their grid positions (merged spans expanded)."""

    rows: list[list[GridCell]]
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Boundary:
    """Nothing before it continues after it (a new worksheet)."""


Block = Paragraph | TableBlock | Boundary

# Same patterns as readers.text.
_UNIT_NAME = re.compile(r"^(?:部门|单位|编制单位|部门名称|单位名称)[:：]\s*(.+?)\s*$")
_LABEL_NO = re.compile(r"^(?:公开|附表)?\s*[0-9０-９]+(?:[-－][0-9０-９]+)?\s*表$|^公开\s*\d+\s*表")
_YEAR_ONLY = re.compile(r"^(?:20\d{2})\s*年度?$")
_TITLE_MAX = 80  # a longer paragraph ending in …决算表 is a sentence of the narrative


def _is_meta(text: str) -> bool:
    """Text printed around a table (title, unit, department, year, 公开0N表, note)."""
    s = text.strip()
    return bool(
        identify_title(s)
        or ("单位" in s and parse_unit(s) is not None)
        or NOTE.match(s)
        or _UNIT_NAME.match(s)
        or _YEAR_ONLY.match(s)
        or _LABEL_NO.match(re.sub(r"\s+", "", s))
    )


def _meta_row(row: Sequence[GridCell]) -> list[GridCell] | None:
    cells = [c for c in row if c.text.strip()]
    if cells and all(_is_meta(c.text) for c in cells):
        return cells
    return None


def _lift_meta(blocks: Iterable[Block]) -> list[Block]:
    """Rows at the top or bottom of a table that hold only a title, unit, note … become
    paragraphs before or after it."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, TableBlock):
            out.append(block)
            continue
        rows = [r for r in block.rows if any(c.text.strip() for c in r)]
        before: list[Paragraph] = []
        after: list[Paragraph] = []
        while rows and (cells := _meta_row(rows[0])) is not None:
            before.extend(Paragraph(c.text.strip(), c.source) for c in cells)
            rows.pop(0)
        while rows and (cells := _meta_row(rows[-1])) is not None:
            after[:0] = [Paragraph(c.text.strip(), c.source) for c in cells]
            rows.pop()
        out.extend(before)
        if rows:
            out.append(TableBlock(rows, block.source))
        out.extend(after)
    return out


@dataclass
class _Context:
    table_id: TableId
    title: str
    source: Source | None
    unit: Unit | None = None
    notes: list[str] = field(default_factory=list)
    grid: list[list[GridCell]] = field(default_factory=list)
    closed: bool = False  # narrative text came after the body: no continuation


def assemble_document(
    blocks: Iterable[Block], path: Path, *, codes: Codes | None = None, kind: str = "document"
) -> Report:
    """A report from a document's blocks in reading order (see the module docstring)."""
    codes = codes or reference_codes()
    items = _lift_meta(blocks)
    paragraphs = [b for b in items if isinstance(b, Paragraph)]
    texts = [p.text for p in paragraphs]
    year = find_year(texts)
    contexts: list[_Context] = []
    current: _Context | None = None
    for block in items:
        if isinstance(block, Boundary):
            current = None
        elif isinstance(block, Paragraph):
            s = block.text.strip()
            if not s:
                continue
            tid = identify_title(s) if len(s) <= _TITLE_MAX else None
            if tid is not None:
                current = _Context(tid, s, block.source)
                contexts.append(current)
            elif PART.match(s):
                current = None
            elif current is None:
                continue
            elif "单位" in s and current.unit is None and (u := parse_unit(s)) is not None:
                current.unit = u
            elif NOTE.match(s):
                current.notes.append(s)
            elif current.grid and not _is_meta(s):
                current.closed = True
        elif current is not None:
            if not current.grid:
                current.grid = list(block.rows)
            elif not current.closed:
                current.grid.extend(block.rows)  # a table continued in a second table
    if not contexts and not split_sections([(p.text, p.source) for p in paragraphs]):
        raise InputError(
            path,
            f"no 部门决算 content found in this {kind} (no table titles, no 情况说明 sections)",
        )
    tables: dict[TableId, Table] = {}
    notes: list[str] = []
    file = str(path)
    for ctx in contexts:
        table, table_notes = _build(ctx, codes, year, file)
        if keep_better(tables, table) and table.status in (TableStatus.PRESENT, TableStatus.EMPTY):
            notes.extend(table_notes)
    return finish_report(
        tables, notes, [(p.text, p.source) for p in paragraphs], file=file, year=year
    )


def _build(ctx: _Context, codes: Codes, year: int | None, file: str) -> tuple[Table, list[str]]:
    note = " ".join(ctx.notes) or None
    source = ctx.source or Source(file=file)
    tid = ctx.table_id
    if not any(c.text.strip() for r in ctx.grid for c in r):
        empty_note = note if note and any(w in note for w in EMPTY_WORDS) else None
        return Table(tid, TableStatus.TITLE_ONLY, ctx.title, ctx.unit, (), empty_note, source), []
    assembly = assemble(
        tid,
        ctx.grid,
        title=ctx.title,
        unit=ctx.unit,
        note=note,
        codes=codes,
        year=year,
        source=source,
    )
    return settle_table(assembly.table, assembly.notes, ctx.unit, note)


# --- DOCX ------------------------------------------------------------------------------------


def read_docx(data: bytes, path: Path) -> Report:
    return assemble_document(docx_blocks(data, path), path, kind="Word document")


def docx_blocks(data: bytes, path: Path) -> list[Block]:
    """Paragraphs and tables of the document body in order (see the module docstring)."""
    import io
    import zipfile

    try:
        import docx
        from docx.table import Table as DocxTable
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(path, "reading .docx needs python-docx (run make)") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        reason = "damaged or truncated" if isinstance(exc, zipfile.BadZipFile | EOFError) else exc
        raise InputError(path, f"not a readable Word .docx file ({reason})") from None
    except Exception as exc:  # lxml syntax errors and the like inside a damaged package
        raise InputError(path, f"not a readable Word .docx file ({type(exc).__name__})") from None
    file = str(path)
    blocks: list[Block] = []
    line = 0
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            rows: list[list[GridCell]] = []
            seen: dict[int, object] = {}  # id → element, kept alive so ids stay unique
            first = line + 1
            for row in item.rows:
                line += 1
                source = Source(file=file, line=line)
                cells = [GridCell("", source) for _ in range(_grid_before(row))]
                for cell in row.cells:
                    tc = cell._tc
                    if id(tc) in seen:
                        cells.append(GridCell("", source))
                        continue
                    seen[id(tc)] = tc
                    text = "".join(p.text for p in cell.paragraphs)
                    cells.append(GridCell(text.strip(), source))
                rows.append(cells)
            blocks.append(TableBlock(rows, Source(file=file, line=first)))
        else:
            line += 1
            blocks.append(Paragraph(item.text, Source(file=file, line=line)))
    return blocks


def _grid_before(row: object) -> int:
    n = getattr(row, "grid_cols_before", 0)
    return n if isinstance(n, int) else 0


# --- legacy .doc -----------------------------------------------------------------------------


def read_doc(data: bytes, path: Path) -> Report:
    """Convert with LibreOffice (headless, private profile) in a temporary directory, then read
    the .docx. Sources name the original .doc file."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise InputError(path, "legacy .doc needs LibreOffice (run make)")
    converted = convert_with_soffice(exe, data, path, "doc", "docx")
    return read_docx(converted, path)


def convert_with_soffice(exe: str, data: bytes, path: Path, suffix: str, target: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="juesuan-soffice-") as tmp:
        work = Path(tmp)
        src = work / f"input.{suffix}"
        src.write_bytes(data)
        out = work / "out"
        cmd = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(path, f"LibreOffice could not convert the file ({exc})") from None
        result = out / f"input.{target}"
        if not result.exists() or result.stat().st_size == 0:
            raise InputError(path, f"LibreOffice could not convert this .{suffix} file")
        return result.read_bytes()
