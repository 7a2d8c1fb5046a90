"""The nine tables of a 部门决算 disclosure: their titles, sides, columns and fixed rows.

Keys are the official Chinese terms, so a cell reads as ``T03["208"]["基本支出"]``, not "row 5,
column 3". A row of a classification table is keyed by its code; a fixed row (本年收入合计,
年初结转和结余 …) by its official label. Two-sided tables (01, 04) have a 收入 and a 支出 side;
row keys are unique across both sides (the two 总计 rows are 收入总计 and 支出总计).

The vocabulary (titles and their variants, column and row aliases, 三公 item words) is data in
``model/data/tables.toml``, so a reader recognises a table by its words, never by a fixed
position, and a region's wording is a data edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class TableId(StrEnum):
    """公开01表 … 公开09表 in the numbering of the current (2019+) template."""

    T01 = "01"
    T02 = "02"
    T03 = "03"
    T04 = "04"
    T05 = "05"
    T06 = "06"
    T07 = "07"
    T08 = "08"
    T09 = "09"


class Classification(StrEnum):
    FUNCTION = "function"  # 支出功能分类科目
    ECONOMIC = "economic"  # 部门预算支出经济分类科目


INCOME = "收入"
EXPENDITURE = "支出"

# Column keys (the official column names).
FINAL = "决算数"
TOTAL = "合计"


@dataclass(frozen=True)
class FixedRow:
    """A row with a fixed meaning, and the printed labels that mean it."""

    key: str
    side: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Side:
    """One side of a table: its value columns (key, printed aliases)."""

    name: str | None
    columns: tuple[str, ...]
    column_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Does this side list classification rows (function classes or codes)?
    classified: bool = False


@dataclass(frozen=True)
class TableSpec:
    id: TableId
    title: str
    # Words that identify the title in any region's wording; the first matching spec wins, so
    # more specific titles come first in :data:`TITLE_ORDER`.
    title_patterns: tuple[str, ...]
    sides: tuple[Side, ...]
    fixed_rows: tuple[FixedRow, ...] = ()
    classification: Classification | None = None
    total_row: str | None = None  # the 合计 row of a classification table

    @property
    def label(self) -> str:
        return f"公开{self.id.value}表"

    def side(self, name: str | None) -> Side:
        for s in self.sides:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def columns(self) -> tuple[str, ...]:
        seen: list[str] = []
        for s in self.sides:
            seen.extend(c for c in s.columns if c not in seen)
        return tuple(seen)

    def fixed_row(self, key: str) -> FixedRow | None:
        for r in self.fixed_rows:
            if r.key == key:
                return r
        return None


# 类 rows of 01/04 are function classes; their key is the class code.

# Economic classification: which 类 make up 人员经费 and 公用经费 (seed 002 arithmetic;
# 309/311/312/313 go to 公用经费 when printed in a 基本支出 table).
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "307", "309", "310", "311", "312", "313", "399")


def _load() -> dict[str, Any]:
    import tomllib
    from importlib import resources

    text = (resources.files("juesuan.model") / "data" / "tables.toml").read_text("utf-8")
    return tomllib.loads(text)


def _spec(entry: dict[str, Any]) -> TableSpec:
    tid = TableId(entry["id"])
    sides = tuple(
        Side(
            side.get("name"),
            tuple(side["columns"]),
            {k: tuple(v) for k, v in side.get("aliases", {}).items()},
            classified=bool(side.get("classified", False)),
        )
        for side in entry["side"]
    )
    rows = tuple(
        FixedRow(r["key"], r.get("side"), tuple(r.get("aliases", ())))
        for r in entry.get("rows", ())
    )
    classification = entry.get("classification")
    return TableSpec(
        tid,
        entry["title"],
        tuple(entry["title_patterns"]),
        sides,
        rows,
        Classification(classification) if classification else None,
        entry.get("total_row"),
    )


_DATA = _load()
SPECS: dict[TableId, TableSpec] = {spec.id: spec for spec in (_spec(e) for e in _DATA["table"])}
# Order in which titles are tried: specific before general ("财政拨款收入支出决算总表" contains
# "收入支出决算总表"; "一般公共预算财政拨款基本支出决算表" contains "一般公共预算财政拨款支出决算表"
# only after removing 基本).
TITLE_ORDER = tuple(TableId(t) for t in _DATA["title_order"])
LABEL_HEADERS: tuple[str, ...] = tuple(_DATA["label_headers"])
GENERIC_ALIASES: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _DATA["generic_aliases"].items()
}
# Words in a 三公 header cell → the item it is (first match wins).
SANGONG_ITEM_WORDS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(e["words"]), e["item"]) for e in _DATA["sangong_items"]
)
SANGONG_COLUMNS = SPECS[TableId.T07].sides[0].columns[:12]
# Printed beside the 三公 in some regions' table (财政拨款“三公”经费及会议费、培训费支出决算表).
BESIDE_SANGONG_COLUMNS = SPECS[TableId.T07].sides[0].columns[12:]


def identify_title(text: str) -> TableId | None:
    """Which table a title names (by its words, not by a 公开0N表 label or an ordinal)."""
    compact = "".join(text.split())
    if "决算" not in compact or not compact.endswith(("表", "表）", "表)")):
        return None
    for table_id in TITLE_ORDER:
        spec = SPECS[table_id]
        if any(p in compact for p in spec.title_patterns):
            return table_id
    return None
