"""Acceptance: change each printed number of seed 002's tables by 1.00, one at a time; at least
one ERROR must name the changed table and its row, or a row whose sum the cell belongs to."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.model import edit
from juesuan.model.layout import FINAL_TABLES, SPECS, TableId
from juesuan.model.report import Report
from juesuan.model.tables import Row, Table, parent_code
from juesuan.rules.declarations import builtin_rules
from juesuan.rules.engine import evaluate
from juesuan.rules.finding import Severity

RULES = builtin_rules()

# Rows that are sums of other rows of the same table (a break may be reported on them).
_SUM_ROWS = {
    TableId.T01: {"收入": {"本年收入合计", "收入总计"}, "支出": {"本年支出合计", "支出总计"}},
    TableId.T04: {
        "收入": {"本年收入合计", "年初财政拨款结转和结余", "收入总计"},
        "支出": {"本年支出合计", "支出总计", "年末财政拨款结转和结余"},
    },
}


def _owners(table: Table, row: Row) -> set[str]:
    """The row itself and every row that sums it."""
    owners = {row.key}
    code = row.code
    while code and (code := parent_code(code) or ""):
        owners.add(code)
    if row.code:
        owners.add(SPECS[table.id].total_row or "合计")
        if table.id is TableId.T06:
            owners |= {"人员经费合计", "公用经费合计", "合计"}
    if table.id in _SUM_ROWS and row.side:
        owners |= _SUM_ROWS[table.id][row.side]
    if table.id is TableId.T06 and not row.code:
        owners.add("合计")
    return owners


def _cells(report: Report) -> list[tuple[str, str, str]]:
    out = []
    for tid in FINAL_TABLES:
        for row in report.table(tid).rows:
            for column, cell in row.cells.items():
                if cell.value is not None:
                    out.append((tid.value, row.key, column))
    return out


def test_seed002_has_no_error(seed002: Report) -> None:
    errors = [f for f in evaluate(seed002, RULES) if f.severity is Severity.ERROR]
    assert errors == []


def test_every_number_is_covered(seed002: Report) -> None:
    # 01: 12 + 3 filled classes + 4 totals; all nine tables contribute printed numbers
    cells = _cells(seed002)
    assert len(cells) > 250
    assert {t for t, _, _ in cells} == {"01", "02", "03", "04", "05", "06", "07"}


@pytest.mark.parametrize("delta", [Decimal("1.00"), Decimal("-1.00")])
def test_each_number_changed_by_one_is_an_error(seed002: Report, delta: Decimal) -> None:
    missed = []
    for table_id, row_key, column in _cells(seed002):
        changed = edit.add_to_cell(seed002, table_id, row_key, column, delta)
        table = changed.table(table_id)
        row = table.row(row_key)
        assert row is not None
        owners = _owners(table, row)
        errors = [f for f in evaluate(changed, RULES) if f.severity is Severity.ERROR]
        if not any(f.location.table == table_id and f.location.row in owners for f in errors):
            missed.append((table_id, row_key, column, [f.rule_id for f in errors]))
    assert missed == []
