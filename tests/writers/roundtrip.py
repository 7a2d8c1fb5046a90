"""Helpers: compare two reports cell by cell; turn an XLSX written by us back into the seeds'
text form (lines, tab-separated table rows) so the project's own table assembler reads it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from juesuan.model.layout import FINAL_TABLES
from juesuan.model.report import Report


def cell_differences(expected: Report, actual: Report) -> list[str]:
    """Every cell of ``expected`` must be in ``actual`` with the same value and precision."""
    out: list[str] = []
    for tid in FINAL_TABLES:
        want, got = expected.table(tid), actual.table(tid)
        for row in want.rows:
            other = got.row(row.key)
            if other is None:
                out.append(f"{tid.value} row {row.key} missing")
                continue
            for column, cell in row.cells.items():
                value = other.value(column)
                if (cell.value is None) != (value is None) or (
                    cell.value is not None and str(cell.value) != str(value)
                ):
                    out.append(f"{tid.value} {row.key}/{column}: {cell.value} != {value}")
    return out


def printed_decimal(value: float, number_format: str) -> Decimal:
    places = len(number_format.split(".")[1]) if "." in number_format else 0
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def xlsx_as_text(path: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    lines: list[str] = []
    for ws in wb.worksheets:
        full_width = {
            m.min_row
            for m in ws.merged_cells.ranges
            if m.min_col == 1 and m.max_col == ws.max_column and m.min_row == m.max_row
        }
        for row in ws.iter_rows():
            texts = []
            for c in row:
                v = c.value
                if v is None:
                    texts.append("")
                elif isinstance(v, int | float):
                    texts.append(f"{printed_decimal(v, c.number_format):,f}")
                else:
                    texts.append(str(v))
            if row[0].row in full_width or not any(texts):
                lines.append(texts[0])
            else:
                lines.append("\t".join(texts))
        lines.append("")
    return "\n".join(lines)
