"""Spreadsheets: .xlsx (openpyxl) and legacy .xls (xlrd 2), one sheet per table as published.

Each worksheet becomes a boundary, the sheet name (as a title paragraph when no row of the sheet
names a table), and one grid of all its non-empty rows; rows at the top or bottom that only
hold the title, the unit (金额单位：元), the department, the year or a note are lifted out of the
grid by :func:`juesuan.readers.assembly.assemble_document`, which builds the report as for Word.
Merged cells keep their text at the top-left position; the other positions are empty.

Numbers: a text cell is read as printed. A numeric cell is turned into a ``Decimal`` with the
decimals of its number format (``#,##0.00`` → 2 places, ``0`` → none); with the General format
an integral number has no decimals and any other keeps its shortest exact digits. A float never
reaches the model: it goes through ``repr`` into ``Decimal`` and is quantised there.

Provenance: ``Source(file="path#Sheet", line=row)`` with the 1-based row number of the sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from juesuan.errors import InputError
from juesuan.limits import Limits, resolve
from juesuan.model.layout import identify_title
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.readers.assembly import assemble_document
from juesuan.readers.blocks import Block, Boundary, Paragraph, TableBlock
from juesuan.readers.layout import GridCell

_DECIMALS = re.compile(r"\.([0#?]+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def format_decimals(number_format: str | None) -> int | None:
    """Decimals a number format prints: ``#,##0.00`` → 2, ``0`` → 0, General → None."""
    if not number_format or number_format.strip().lower() in ("general", "@"):
        return None
    section = _QUOTED.sub("", number_format.split(";")[0])
    if "%" in section or "E+" in section.upper() or "E-" in section.upper():
        return None
    m = _DECIMALS.search(section)
    if m:
        return len(m.group(1))
    return 0 if re.search(r"[0#]", section) else None


def number_text(value: float | int | Decimal, number_format: str | None) -> str:
    """A numeric cell as the text it prints (without separators), exact, via Decimal."""
    if isinstance(value, bool):
        return str(value)
    places = format_decimals(number_format)
    try:
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                return ""
            d = Decimal(repr(value))
        else:
            d = Decimal(value)
        if places is not None:
            d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        elif d == d.to_integral_value():
            d = d.quantize(Decimal(1))
    except InvalidOperation:
        return str(value)
    return f"{d:f}"


def _cell_text(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return number_text(value, number_format)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _sheet_blocks(name: str, rows: list[list[GridCell]], file: str) -> list[Block]:
    blocks: list[Block] = [Boundary()]
    named = any(identify_title(c.text) for r in rows[:8] for c in r if c.text.strip())
    if not named and identify_title(name):
        blocks.append(Paragraph(name, Source(file=file)))
    if rows:
        blocks.append(TableBlock(rows, rows[0][0].source if rows[0] else None))
    return blocks


def read_xlsx(data: bytes, path: Path) -> Report:
    return assemble_document(xlsx_blocks(data, path), path, medium="workbook")


def xlsx_blocks(data: bytes, path: Path) -> list[Block]:
    import io
    import zipfile

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(path, "reading .xlsx needs openpyxl (run make)") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, EOFError):
        raise InputError(path, "not a readable Excel .xlsx file (damaged or truncated)") from None
    except InputError:  # the wall-clock limit, raised while the library worked
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken package
        raise InputError(path, f"not a readable Excel .xlsx file ({type(exc).__name__})") from None
    blocks: list[Block] = []
    for sheet in book.worksheets:
        file = f"{path}#{sheet.title}"
        rows: list[list[GridCell]] = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                value = getattr(cell, "value", None)
                fmt = getattr(cell, "number_format", None)
                line = getattr(cell, "row", None)
                cells.append(GridCell(_cell_text(value, fmt), Source(file=file, line=line)))
            if any(c.text for c in cells):
                rows.append(cells)
        blocks.extend(_sheet_blocks(sheet.title, rows, file))
    return blocks


def read_xls(data: bytes, path: Path, *, limits: Limits | None = None) -> Report:
    return assemble_document(xls_blocks(data, path, limits), path, medium="workbook")


def xls_blocks(data: bytes, path: Path, limits: Limits | None = None) -> list[Block]:
    try:
        import xlrd
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(path, "reading .xls needs xlrd (run make)") from None
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except InputError:  # the wall-clock limit, raised while the library worked
        raise
    except Exception as exc:  # xlrd.XLRDError, struct errors on a truncated file …
        raise InputError(path, f"not a readable Excel .xls file ({exc})") from None
    lim = resolve(limits)
    blocks: list[Block] = []
    for sheet in book.sheets():
        file = f"{path}#{sheet.name}"
        if sheet.nrows * sheet.ncols > lim.sheet_cells:
            raise lim.exceeded(
                path, "sheet_cells", f"sheet {sheet.name}: {sheet.nrows * sheet.ncols:,} cells"
            )
        hidden: set[tuple[int, int]] = set()
        for rlo, rhi, clo, chi in sheet.merged_cells:
            hidden.update((r, c) for r in range(rlo, rhi) for c in range(clo, chi))
            hidden.discard((rlo, clo))
        rows: list[list[GridCell]] = []
        for r in range(sheet.nrows):
            source = Source(file=file, line=r + 1)
            cells = []
            for c in range(sheet.ncols):
                text = "" if (r, c) in hidden else _xls_text(book, sheet.cell(r, c))
                cells.append(GridCell(text, source))
            if any(c.text for c in cells):
                rows.append(cells)
        blocks.extend(_sheet_blocks(sheet.name, rows, file))
    return blocks


def _xls_text(book: object, cell: object) -> str:
    import xlrd

    ctype = getattr(cell, "ctype", xlrd.XL_CELL_EMPTY)
    value = getattr(cell, "value", None)
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if ctype == xlrd.XL_CELL_NUMBER and isinstance(value, float):
        fmt = None
        xf_index = getattr(cell, "xf_index", None)
        if xf_index is not None:
            xf = book.xf_list[xf_index]  # type: ignore[attr-defined]
            found = book.format_map.get(xf.format_key)  # type: ignore[attr-defined]
            fmt = found.format_str if found is not None else None
        return number_text(value, fmt)
    return str(value).strip()
