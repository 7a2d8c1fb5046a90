"""The findings as a table a reviewer filters: CSV and XLSX, one row per finding, Chinese
headers, every field of the finding and its location (what ``--format json`` holds, flat).

The ``标识`` column is the finding's stable key (:func:`juesuan.rules.baseline.finding_key`), the
one a baseline file (出错说明) matches on, so a reviewer's spreadsheet can be joined with it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from juesuan.api import CheckResult
from juesuan.rules.baseline import finding_key
from juesuan.rules.finding import Finding


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # characters, for the XLSX


COLUMNS = (
    Column("级别", 6),
    Column("规则", 16),
    Column("说明", 80),
    Column("位置", 36),
    Column("表", 5),
    Column("行", 12),
    Column("行名称", 24),
    Column("列", 16),
    Column("情况说明节", 8),
    Column("页", 5),
    Column("文件行", 7),
    Column("原句", 60),
    Column("应为", 16),
    Column("实为", 16),
    Column("相差", 14),
    Column("允许误差", 12),
    Column("已说明原因", 30),
    Column("标识", 30),
)


def finding_row(f: Finding) -> list[str]:
    """The cells of one finding, in :data:`COLUMNS` order (text as printed, never recomputed)."""
    loc = f.location
    src = loc.source
    return [
        f.severity.chinese,
        f.rule_id,
        f.message,
        loc.describe(),
        loc.table or "",
        loc.row or "",
        loc.row_label or "",
        loc.column or "",
        loc.section or "",
        str(src.page) if src is not None and src.page is not None else "",
        str(src.line) if src is not None and src.line is not None else "",
        loc.quote or "",
        f.expected or "",
        f.found or "",
        f.difference or "",
        f.tolerance or "",
        f.explanation or "",
        finding_key(f),
    ]


def findings_csv(result: CheckResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for f in result.findings:
        writer.writerow(finding_row(f))
    # the byte-order mark makes Excel read the file as UTF-8 (else the Chinese is garbled)
    return "\ufeff" + out.getvalue()


def findings_xlsx(result: CheckResult) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("审核结果")
    head = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for i, col in enumerate(COLUMNS):
        sheet.set_column(i, i, col.width, wrap)
        sheet.write_string(0, i, col.header, head)
    for r, f in enumerate(result.findings, start=1):
        for c, text in enumerate(finding_row(f)):
            # write_string: a cell's text (an amount as printed, a row code) stays text
            sheet.write_string(r, c, text)
    sheet.freeze_panes(1, 0)
    if result.findings:
        sheet.autofilter(0, 0, len(result.findings), len(COLUMNS) - 1)
    book.close()
    return buf.getvalue()
