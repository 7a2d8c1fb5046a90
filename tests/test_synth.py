"""The synthetic report generator: its reports are consistent under the built-in rules, in 元
exactly and in 万元 up to rounding, and any single changed figure breaks them."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.model.amount import Unit
from juesuan.model.layout import FINAL_TABLES, TableId
from juesuan.model.report import Report
from juesuan.model.tables import Cell, TableStatus
from juesuan.rules.declarations import Rule, builtin_rules
from juesuan.rules.engine import evaluate
from juesuan.rules.finding import Finding, Severity
from tests.synth import generate_large, generate_report, to_wan_yuan

RULES: list[Rule] = builtin_rules()
ONE_YUAN = Decimal("1.00")


def _show(findings: list[Finding]) -> str:
    return "\n".join(
        f"[{f.severity}] {f.rule_id} {f.location.describe()}: {f.message}" for f in findings
    )


def _serious(findings: list[Finding], *levels: Severity) -> list[Finding]:
    return [f for f in findings if f.severity in levels]


def _mutate(report: Report, table_id: str, row_key: str, column: str) -> Report:
    table = report.table(table_id)
    rows = []
    for row in table.rows:
        if row.key == row_key:
            old = row.value(column) or Decimal("0.00")
            row = replace(row, cells={**row.cells, column: Cell(old + ONE_YUAN)})
        rows.append(row)
    return report.with_table(replace(table, rows=tuple(rows)))


# (a) consistent in 元 -----------------------------------------------------------------------


@pytest.mark.parametrize("with_funds", [False, True])
@pytest.mark.parametrize("seed", [0, 1, 2, 7, 42, 2021, 99991])
def test_yuan_report_has_no_error_or_warning(seed: int, with_funds: bool) -> None:
    report = generate_report(seed, with_funds=with_funds)
    findings = evaluate(report, RULES)
    bad = _serious(findings, Severity.ERROR, Severity.WARNING)
    assert not bad, _show(bad)


def test_yuan_report_shape() -> None:
    report = generate_report(5)
    assert report.year == 2021
    assert set(report.tables) == set(FINAL_TABLES)
    for table in report.tables.values():
        assert table.unit is Unit.YUAN
        for row in table.rows:
            for cell in row.cells.values():
                if cell.value is not None:
                    assert cell.value >= 0
                    assert cell.value.as_tuple().exponent == -2
    for tid in (TableId.T08, TableId.T09):
        table = report.table(tid)
        assert table.status is TableStatus.EMPTY
        assert table.note and "本表无数据" in table.note
        assert [r.key for r in table.rows] == ["合计"]
        assert all(c.is_blank for c in table.rows[0].cells.values())
    t04 = report.table(TableId.T04)
    for row in t04.rows:
        assert row.value("政府性基金预算财政拨款") is None
        assert row.value("国有资本经营预算财政拨款") is None
    with_funds = generate_report(5, with_funds=True)
    assert with_funds.table(TableId.T08).status is TableStatus.PRESENT
    assert with_funds.table(TableId.T09).status is TableStatus.PRESENT


def test_large_report_is_consistent() -> None:
    report = generate_large(300, seed=3)
    t03 = report.table(TableId.T03)
    assert len(t03.coded_rows()) >= 200
    bad = _serious(evaluate(report, RULES), Severity.ERROR, Severity.WARNING)
    assert not bad, _show(bad)


# (b) consistent up to rounding in 万元 -------------------------------------------------------


@given(st.integers(0, 10**6), st.booleans())
@settings(max_examples=60, deadline=None)
def test_wan_yuan_report_has_no_error(seed: int, with_funds: bool) -> None:
    report = to_wan_yuan(generate_report(seed, with_funds=with_funds))
    assert all(t.unit is Unit.WAN_YUAN for t in report.tables.values())
    errors = _serious(evaluate(report, RULES), Severity.ERROR)
    assert not errors, _show(errors)


def test_to_wan_yuan_rounds_each_cell_half_up_and_keeps_blanks() -> None:
    yuan = generate_report(11)
    wan = to_wan_yuan(yuan)
    for tid, table in yuan.tables.items():
        other = wan.table(tid)
        for row, row_w in zip(table.rows, other.rows, strict=True):
            for column, cell in row.cells.items():
                converted = row_w.cells[column].value
                if cell.value is None:
                    assert converted is None
                else:
                    assert converted is not None
                    assert converted.as_tuple().exponent == -2
                    assert abs(converted * 10000 - cell.value) <= Decimal(50)
    assert generate_report(11, unit=Unit.WAN_YUAN) == wan


# (c) deterministic ---------------------------------------------------------------------------


def test_deterministic_for_a_seed() -> None:
    assert generate_report(123, with_funds=True) == generate_report(123, with_funds=True)
    assert generate_report(123) != generate_report(124)
    assert generate_large(200, seed=1) == generate_large(200, seed=1)


# (d) any changed figure is an error ----------------------------------------------------------


def _first_item(report: Report, table_id: str) -> str:
    return next(r.key for r in report.table(table_id).rows if r.code and len(r.code) == 7)


def _first_class(report: Report, table_id: str) -> str:
    return next(r.key for r in report.table(table_id).rows if r.code and len(r.code) == 3)


CELLS = [
    ("01", lambda r: "本年收入合计", "决算数"),
    ("01", lambda r: "年末结转和结余", "决算数"),
    ("01", lambda r: _first_class(r, "01"), "决算数"),
    ("02", lambda r: _first_item(r, "02"), "事业收入"),
    ("03", lambda r: "合计", "基本支出"),
    ("03", lambda r: _first_item(r, "03"), "项目支出"),
    ("04", lambda r: "年初/一般公共预算财政拨款", "决算数"),
    ("04", lambda r: _first_class(r, "04"), "一般公共预算财政拨款"),
    ("04", lambda r: "年末财政拨款结转和结余", "政府性基金预算财政拨款"),
    ("05", lambda r: _first_item(r, "05"), "基本支出"),
    ("06", lambda r: "30101", "决算数"),
    ("06", lambda r: "人员经费合计", "决算数"),
    ("07", lambda r: "三公经费", "预算数/公务接待费"),
    ("07", lambda r: "三公经费", "决算数/公务用车购置费"),
    ("08", lambda r: _first_item(r, "08"), "年初结转和结余"),
    ("09", lambda r: "合计", "本年收入"),
]


@pytest.mark.parametrize(("table_id", "row_of", "column"), CELLS)
def test_one_yuan_off_is_an_error(table_id: str, row_of: object, column: str) -> None:
    report = generate_report(8, with_funds=True)
    assert callable(row_of)
    row_key = row_of(report)
    assert report.table(table_id).row(row_key) is not None
    mutated = _mutate(report, table_id, row_key, column)
    errors = _serious(evaluate(mutated, RULES), Severity.ERROR)
    assert errors, f"{table_id} {row_key} {column} +1.00 went unnoticed"


def test_every_printed_cell_is_checked() -> None:
    """Changing any printed figure of a consistent report by 1.00 元 breaks an error rule."""
    report = generate_report(31, n_items=6, with_funds=True)
    unnoticed = []
    for tid, table in report.tables.items():
        for row in table.rows:
            for column, cell in row.cells.items():
                if cell.value is None:
                    continue
                mutated = _mutate(report, tid, row.key, column)
                if not _serious(evaluate(mutated, RULES), Severity.ERROR):
                    unnoticed.append(f"{tid} {row.key} {column}")
    assert not unnoticed, unnoticed
