"""A table's classification tree: each coded row under the code printed above it."""

from __future__ import annotations

from decimal import Decimal

from juesuan.model.layout import TableId
from juesuan.model.tables import Cell, Row, Table, TableStatus


def _row(code: str, label: str, value: str, key: str | None = None) -> Row:
    return Row(key or code, label, {"本年预算数": Cell(Decimal(value))}, code=code)


def _keys(rows: list[Row]) -> list[str]:
    return [r.key for r in rows]


def test_a_sub_item_without_its_item_row_is_under_the_class() -> None:
    # 西安 2020 (1163) 表8: "3010201 津贴补贴" under "301 工资福利支出", no 30102 row printed;
    # every code twice, once for each 政府经济科目
    table = Table(
        TableId.B06,
        TableStatus.PRESENT,
        rows=(
            _row("301", "工资福利支出", "2000.00"),
            _row("30101", "基本工资", "1242.25", "30101|50101"),
            _row("30101", "基本工资", "347.14", "30101|50501"),
            _row("3010201", "津贴补贴", "410.61"),
            _row("302", "商品和服务支出", "50.00"),
            _row("30201", "办公费", "30.00"),
            _row("3020101", "办公用品", "10.00"),
            _row("3020102", "印刷", "20.00"),
        ),
    )
    assert _keys(table.children("301")) == ["30101|50101", "30101|50501", "3010201"]
    # where the item row is printed, its sub-items are under it, not under the class
    assert _keys(table.children("302")) == ["30201"]
    assert _keys(table.children("30201")) == ["3020101", "3020102"]
    assert sum(r.value("本年预算数") or 0 for r in table.children("301")) == Decimal("2000.00")
