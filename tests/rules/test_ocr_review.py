"""Findings on figures read by OCR: the low-confidence figure a broken sum rests on is named,
and a one-digit misreading that two broken sums pin down is offered as a suggestion, never
applied (juesuan.rules.ocr_review). Built on seed 002, whose tables add up."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from juesuan import api
from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.rules.finding import Severity
from juesuan.rules.ocr_review import LOW_CONFIDENCE


def _as_ocr(report: Report, confidence: float = 0.999) -> Report:
    """Every figure of the report as if read by OCR with this confidence."""
    for table in report.tables.values():
        rows = []
        for row in table.rows:
            cells = {
                k: replace(c, source=replace(c.source or Source(), confidence=confidence))
                for k, c in row.cells.items()
            }
            rows.append(replace(row, cells=cells))
        report = report.with_table(replace(table, rows=tuple(rows)))
    return report


def _misread(
    report: Report, confidence: float, digits_wrong: int = 1
) -> tuple[Report, str, Decimal, Decimal]:
    """Table 05's first 项 row with a 基本支出 of three digits or more, its tens digit misread
    (and its hundreds digit too with ``digits_wrong=2``)."""
    table = report.table(TableId.T05)
    for i, row in enumerate(table.rows):
        value = row.value("基本支出")
        if row.code and len(row.code) == 7 and value is not None and value >= 100:
            digits = format(value, "f")
            tens = digits.index(".") - 2
            wrong = digits[:tens] + str((int(digits[tens]) + 3) % 10) + digits[tens + 1 :]
            if digits_wrong == 2:
                hundreds = tens - 1
                wrong = wrong[:hundreds] + str((int(wrong[hundreds]) + 1) % 10) + wrong[tens:]
            cell = row.cells["基本支出"]
            assert cell.source is not None
            cells = dict(row.cells)
            cells["基本支出"] = replace(
                cell, value=Decimal(wrong), source=replace(cell.source, confidence=confidence)
            )
            rows = list(table.rows)
            rows[i] = replace(row, cells=cells)
            changed = report.with_table(replace(table, rows=tuple(rows)))
            return changed, row.key, value, Decimal(wrong)
    raise AssertionError("no 项 row to misread")


def _breaks(result: api.CheckResult, row: str) -> list:  # type: ignore[type-arg]
    return [
        f
        for f in result.findings
        if f.severity in (Severity.ERROR, Severity.WARNING)
        and f.location.table == "05"
        and f.location.row in (row, row[:5])
    ]


def test_a_text_layer_report_has_no_ocr_notes(seed002: Report) -> None:
    assert all(f.ocr is None for f in api.check(seed002).findings)


def test_a_low_confidence_figure_under_a_broken_sum_is_named(seed002: Report) -> None:
    report, key, _, _ = _misread(_as_ocr(seed002), confidence=0.62)
    result = api.check(report)
    broken = _breaks(result, key)
    assert broken, "the misread figure breaks its row and its 款"
    for f in broken:
        assert f.ocr is not None
        assert any(c.location.row == key and c.confidence == 0.62 for c in f.ocr.cells)
        assert "识别" in f.ocr.note and "0.62" in f.ocr.note
    # the printed page may really be wrong: every finding keeps its severity
    plain, *_ = _misread(seed002, confidence=0.62)
    severities = {(f.rule_id, f.location.row, f.location.column): f.severity for f in broken}
    assert severities == {
        (f.rule_id, f.location.row, f.location.column): f.severity
        for f in _breaks(api.check(plain), key)
    }


def test_two_sums_breaking_by_one_amount_pin_down_the_digit(seed002: Report) -> None:
    report, key, printed, wrong = _misread(_as_ocr(seed002), confidence=0.97)
    assert LOW_CONFIDENCE <= 0.97  # confident, yet wrong: only the arithmetic can tell
    result = api.check(report)
    suggested = [f for f in _breaks(result, key) if f.ocr and f.ocr.suggestion]
    assert len(suggested) >= 2, [f.message for f in _breaks(result, key)]
    for f in suggested:
        assert f.ocr is not None and f.ocr.suggestion is not None
        assert f.ocr.suggestion.replace(",", "").startswith(format(printed, "f"))
        assert "未自动更正" in f.ocr.note
    # never applied: the report keeps the figure as read
    assert result.report.table(TableId.T05).row(key).value("基本支出") == wrong  # type: ignore[union-attr]


def test_no_suggestion_when_no_single_digit_explains_the_breaks(seed002: Report) -> None:
    """Two digits misread: the sums still break by one amount, but no one-digit correction
    makes them hold, so nothing is suggested; the unsure figure is still named."""
    report, key, _, _ = _misread(_as_ocr(seed002), confidence=0.62, digits_wrong=2)
    broken = _breaks(api.check(report), key)
    assert broken
    assert all(f.ocr is not None and f.ocr.suggestion is None for f in broken)
    assert all(f.ocr is not None and f.ocr.cells for f in broken)


def test_a_sum_rests_on_a_figure_the_reader_missed(seed002: Report) -> None:
    """A figure lost by the reader (its cell left out) breaks the sums over it, and those
    findings rest on it: bench/ocr.py counts such a cell as caught, not silent."""
    from juesuan.model.codes import reference_codes
    from juesuan.rules.declarations import rule_set
    from juesuan.rules.kind_base import Context
    from juesuan.rules.ocr_review import ARITHMETIC, rests_on

    report, key, _, _ = _misread(_as_ocr(seed002), 0.999)
    table = report.table(TableId.T05)
    index = next(i for i, r in enumerate(table.rows) if r.key == key)
    row = table.rows[index]
    cells = {k: c for k, c in row.cells.items() if k != "基本支出"}
    rows = list(table.rows)
    rows[index] = replace(row, cells=cells)
    missing = report.with_table(replace(table, rows=tuple(rows)))
    rules = {r.id: r for r in rule_set(()) if r.kind in ARITHMETIC}
    broken = _breaks(api.check(missing), key)
    assert broken
    ctx = Context(codes=reference_codes())
    cell_key = (TableId.T05, index, "基本支出")
    assert all(rests_on(missing, rules[f.rule_id], f, cell_key, ctx) for f in broken)
