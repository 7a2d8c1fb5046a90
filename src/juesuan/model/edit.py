"""Pure edits of a report (new objects, nothing mutated): for tests, mutation benchmarks and the
build step that fills tables."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.model.tables import Cell, Row, Table, TableStatus


def _table(report: Report, table_id: TableId | str) -> Table:
    return report.table(TableId(table_id))


def _replace_row(report: Report, table: Table, key: str, new: Row | None) -> Report:
    rows = []
    found = False
    for r in table.rows:
        if r.key == key:
            found = True
            if new is not None:
                rows.append(new)
        else:
            rows.append(r)
    if not found:
        raise KeyError(f"table {table.id.value} has no row {key!r}")
    return report.with_table(replace(table, rows=tuple(rows)))


def set_cell(
    report: Report, table_id: TableId | str, row: str, column: str, value: Decimal | None
) -> Report:
    table = _table(report, table_id)
    old = table.row(row)
    if old is None:
        raise KeyError(f"table {table.id.value} has no row {row!r}")
    cells = dict(old.cells)
    cells[column] = Cell(value, old.cell(column).source)
    return _replace_row(report, table, row, replace(old, cells=cells))


def add_to_cell(
    report: Report, table_id: TableId | str, row: str, column: str, delta: Decimal
) -> Report:
    table = _table(report, table_id)
    old = table.row(row)
    if old is None:
        raise KeyError(f"table {table.id.value} has no row {row!r}")
    current = old.value(column)
    base = current if current is not None else Decimal("0.00")
    return set_cell(report, table_id, row, column, base + delta)


def remove_row(report: Report, table_id: TableId | str, row: str) -> Report:
    return _replace_row(report, _table(report, table_id), row, None)


def add_row(report: Report, table_id: TableId | str, row: Row) -> Report:
    table = _table(report, table_id)
    status = TableStatus.PRESENT if table.status is TableStatus.EMPTY else table.status
    return report.with_table(replace(table, rows=(*table.rows, row), status=status))


def relabel(report: Report, table_id: TableId | str, row: str, label: str) -> Report:
    table = _table(report, table_id)
    old = table.row(row)
    if old is None:
        raise KeyError(f"table {table.id.value} has no row {row!r}")
    return _replace_row(report, table, row, replace(old, label=label))


def recode(report: Report, table_id: TableId | str, row: str, code: str) -> Report:
    table = _table(report, table_id)
    old = table.row(row)
    if old is None:
        raise KeyError(f"table {table.id.value} has no row {row!r}")
    return _replace_row(report, table, row, replace(old, key=code, code=code))


def set_table(report: Report, table_id: TableId | str, **changes: object) -> Report:
    return report.with_table(replace(_table(report, table_id), **changes))  # type: ignore[arg-type]
