"""Tables, rows and cells of a report, keyed by meaning (see :mod:`juesuan.model.layout`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from juesuan.model.amount import Unit
from juesuan.model.layout import SPECS, TableId, TableSpec
from juesuan.model.source import Source


class Level(StrEnum):
    """Level of a classification code: 类 (3 digits), 款 (5), 项 (7)."""

    CLASS = "类"
    SECTION = "款"
    ITEM = "项"


def code_level(code: str) -> Level | None:
    return {3: Level.CLASS, 5: Level.SECTION, 7: Level.ITEM}.get(len(code))


def parent_code(code: str) -> str | None:
    """``2080108`` → ``20801`` → ``208`` → None."""
    return {7: code[:5], 5: code[:3]}.get(len(code))


# Words of a note that explain an empty table (本表无数据, 没有…收入, 未发生 …).
EMPTY_NOTE_WORDS = ("无数据", "没有", "无此", "未发生", "不涉及", "无相关", "空表")


class TableStatus(StrEnum):
    PRESENT = "present"  # printed with data rows
    EMPTY = "empty"  # printed without data (only a 合计 row, blank or zero), usually with a note
    TITLE_ONLY = "title_only"  # a title (and maybe a note) but no table body could be read
    ABSENT = "absent"  # not in the document at all


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed figure. ``value is None`` means the cell is blank (nothing printed), which is
    not the same as a printed ``0.00``."""

    value: Decimal | None
    source: Source | None = None

    @property
    def is_blank(self) -> bool:
        return self.value is None


BLANK = Cell(None)


@dataclass(frozen=True, slots=True)
class Row:
    """A table row. ``key`` is the code for classification rows, else the official label."""

    key: str
    label: str
    cells: Mapping[str, Cell]
    code: str | None = None
    side: str | None = None
    source: Source | None = None

    @property
    def level(self) -> Level | None:
        return code_level(self.code) if self.code else None

    def cell(self, column: str) -> Cell:
        return self.cells.get(column, BLANK)

    def value(self, column: str) -> Decimal | None:
        return self.cell(column).value


@dataclass(frozen=True)
class Table:
    """One of the nine tables as printed (or its absence)."""

    id: TableId
    status: TableStatus
    title: str = ""
    unit: Unit | None = None
    rows: tuple[Row, ...] = ()
    note: str | None = None
    source: Source | None = None
    # Columns the document printed (a subset, in printed order); empty means the spec's columns.
    printed_columns: tuple[str, ...] = field(default=())

    @property
    def spec(self) -> TableSpec:
        return SPECS[self.id]

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def has_data(self) -> bool:
        """True when some cell holds a non-zero figure."""
        return any(c.value for r in self.rows for c in r.cells.values())

    @cached_property
    def _index(self) -> dict[str, Row]:
        return {r.key: r for r in self.rows}

    def row(self, key: str) -> Row | None:
        return self._index.get(key)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def coded_rows(self, side: str | None = None) -> list[Row]:
        return [r for r in self.rows if r.code and (side is None or r.side == side)]

    def children(self, code: str) -> list[Row]:
        return self._children.get(code, [])

    @cached_property
    def _children(self) -> dict[str, list[Row]]:
        """Each code's rows under it: under the nearest code printed above it, so that
        "3010201 津贴补贴" printed under "301 工资福利支出" without a 30102 row (西安) is one of
        301's."""
        printed = {r.code for r in self.rows if r.code}
        out: dict[str, list[Row]] = {}
        for r in self.rows:
            if r.code:
                parent = parent_code(r.code)
                while parent is not None and parent not in printed:
                    parent = parent_code(parent)
                if parent is not None:
                    out.setdefault(parent, []).append(r)
        return out


@dataclass(frozen=True)
class ExtraTable:
    """A table printed outside the nine standard ones (项目支出绩效自评表, 政府采购情况表,
    部门决算相关信息统计表 …): kept with its title and printed cell texts."""

    title: str
    rows: tuple[tuple[str, ...], ...]
    unit: Unit | None = None
    source: Source | None = None
    # the kind of budget table it is when it is one kept as printed (B16 绩效目标表)
    kind: TableId | None = None
