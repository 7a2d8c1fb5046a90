"""公开表.xlsx: one sheet per table in the official layout (xlsxwriter).

Each sheet: the title, 公开0N表, 部门, 年度 and 金额单位 lines (one merged row each, so any reader
sees them as lines), the merged multi-row header with its 栏次 row, the body, then the notes.
Money is written as numbers with ``#,##0.00`` (the cell's printed decimals); a blank cell stays
blank and a printed 0.00 stays 0.00. Codes, 行次 and 栏次 are text, so 2050803 is never a number.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.model.report import Report
from juesuan.writers import PrintedTable, printed_tables
from juesuan.writers.evaluation_tables import printed_forms

BODY_FONT = "宋体"
HEAD_FONT = "黑体"


def number_format(value: Decimal | None) -> str:
    """``#,##0.00`` for a figure printed with two decimals (``#,##0`` for none, and so on)."""
    places = 2
    if value is not None:
        exponent = value.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * places if places else "")


def write_tables_xlsx(report: Report, path: Path) -> Path:
    import xlsxwriter

    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    # Deterministic file: fixed document properties (xlsxwriter stamps the time otherwise).
    from datetime import datetime

    workbook.set_properties(
        {
            "title": f"{report.unit_name or ''}{report.year or ''}年度部门决算公开表",
            "created": datetime(2000, 1, 1),
        }
    )
    formats = _Formats(workbook)
    for table in printed_tables(report):
        _write_sheet(workbook, formats, table)
    for form in printed_forms(report):  # the 绩效自评表 a build generated, one sheet each
        _write_sheet(workbook, formats, form)
    workbook.close()
    return path


class _Formats:
    """xlsxwriter formats are workbook objects; create each once."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        base = {"font_name": BODY_FONT, "font_size": 10, "valign": "vcenter"}
        self.title = workbook.add_format(
            {**base, "font_name": HEAD_FONT, "font_size": 16, "bold": True, "align": "center"}
        )
        self.label = workbook.add_format({**base, "align": "right"})
        self.line_left = workbook.add_format({**base, "align": "left"})
        self.line_center = workbook.add_format({**base, "align": "center"})
        self.line_right = workbook.add_format({**base, "align": "right"})
        self.note = workbook.add_format({**base, "align": "left", "text_wrap": True})
        self.header = workbook.add_format(
            {
                **base,
                "font_name": HEAD_FONT,
                "bold": True,
                "align": "center",
                "text_wrap": True,
                "border": 1,
                "bg_color": "#F2F2F2",
            }
        )
        self.cell: dict[str, Any] = {}
        for align in ("left", "center", "right"):
            self.cell[align] = workbook.add_format(
                {**base, "align": align, "border": 1, "text_wrap": True}
            )
        self.money: dict[str, Any] = {}

    def number(self, fmt: str) -> Any:
        if fmt not in self.money:
            self.money[fmt] = self.workbook.add_format(
                {
                    "font_name": BODY_FONT,
                    "font_size": 10,
                    "valign": "vcenter",
                    "align": "right",
                    "border": 1,
                    "num_format": fmt,
                }
            )
        return self.money[fmt]


def _column_widths(table: PrintedTable) -> list[float]:
    widths = [6.0] * table.width
    for row in table.grid:
        for col, cell in enumerate(row):
            if cell is None or cell.colspan > 1 or cell.header:
                continue
            text = cell.text
            # CJK characters are about two columns wide
            w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + (4 if cell.number else 2)
            widths[col] = max(widths[col], min(w, 40))
    for row in table.grid:
        for col, cell in enumerate(row):
            if cell is not None and cell.header and cell.colspan == 1:
                widths[col] = max(widths[col], min(len(cell.text) * 2 + 2, 16))
    return widths


def _write_sheet(workbook: Any, f: _Formats, table: PrintedTable) -> None:
    ws = workbook.add_worksheet(f"{table.label} {table.title}"[:31])
    last = max(table.width - 1, 0)
    for col, width in enumerate(_column_widths(table)):
        ws.set_column(col, col, width)

    def line(row: int, text: str, fmt: Any) -> None:
        if last > 0:
            ws.merge_range(row, 0, row, last, text, fmt)
        else:
            ws.write_string(row, 0, text, fmt)

    line(0, table.title, f.title)
    ws.set_row(0, 28)
    line(1, table.label, f.label)
    line(2, table.unit_name_line, f.line_left)
    line(3, table.year_line, f.line_center)
    line(4, table.unit_line, f.line_right)
    top = 5
    for r, cells in enumerate(table.grid):
        row = top + r
        for c, cell in enumerate(cells):
            if cell is None:
                continue
            if cell.header:
                fmt = f.header
            elif cell.number:
                fmt = f.number(number_format(cell.value))
            else:
                fmt = f.cell[cell.align]
            last_row, last_col = row + cell.rowspan - 1, c + cell.colspan - 1
            merged = last_row > row or last_col > c
            if cell.number:
                if merged:
                    ws.merge_range(row, c, last_row, last_col, None, fmt)
                if cell.value is None:
                    ws.write_blank(row, c, None, fmt)
                else:
                    # float only at the write call: xlsx stores IEEE doubles
                    ws.write_number(row, c, float(cell.value), fmt)
            elif merged:
                ws.merge_range(row, c, last_row, last_col, cell.text, fmt)
            elif cell.text:
                ws.write_string(row, c, cell.text, fmt)
            else:
                ws.write_blank(row, c, None, fmt)
    body_end = top + len(table.grid)
    for i, note in enumerate(table.notes):
        row = body_end + 1 + i
        line(row, note, f.note)
        ws.set_row(row, 15 * max(1, len(note) // 60 + 1))
    header_end = top + table.header_rows - 1
    ws.repeat_rows(top, header_end)
    ws.freeze_panes(header_end + 1, 0)
    ws.ignore_errors({"number_stored_as_text": f"A1:{_col_name(last)}{body_end + 1}"})
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()


def _col_name(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name
