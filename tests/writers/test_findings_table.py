"""Findings as CSV and XLSX: one row per finding, every field as the finding prints it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from juesuan.api import audit, finding_key, format_csv, format_xlsx
from juesuan.writers.findings_table import COLUMNS


def test_csv_has_a_row_per_finding_with_its_key(seed002_path: Path) -> None:
    result = audit(seed002_path)
    text = format_csv(result)
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == [c.header for c in COLUMNS]
    assert len(rows) == len(result.findings) + 1
    for f, row in zip(result.findings, rows[1:], strict=True):  # in the findings' order
        assert row[-1] == finding_key(f)
        assert row[1] == f.rule_id and row[2] == f.message
        assert row[12] == (f.expected or "") and row[13] == (f.found or "")


def test_xlsx_keeps_amounts_and_codes_as_printed_text(seed002_path: Path) -> None:
    result = audit(seed002_path)
    sheet = load_workbook(io.BytesIO(format_xlsx(result))).active
    assert sheet.max_row == len(result.findings) + 1
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    coded = [r for r in rows if r[5] and str(r[5]).isdigit()]
    assert coded and all(isinstance(r[5], str) for r in coded)  # 21011 stays "21011"
    assert sheet.auto_filter.ref is not None
