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

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class TableId(StrEnum):
    """公开01表 … 公开09表 in the numbering of the current (2019+) template; B01 … B20 are the
    kinds of table a 部门预算 prints, whatever number a region gives them (their meaning, titles
    and columns are data: ``model/data/budget_tables.toml``)."""

    T01 = "01"
    T02 = "02"
    T03 = "03"
    T04 = "04"
    T05 = "05"
    T06 = "06"
    T07 = "07"
    T08 = "08"
    T09 = "09"
    B01 = "B01"
    B02 = "B02"
    B03 = "B03"
    B04 = "B04"
    B05 = "B05"
    B06 = "B06"
    B07 = "B07"
    B08 = "B08"
    B09 = "B09"
    B10 = "B10"
    B11 = "B11"
    B12 = "B12"
    B13 = "B13"
    B14 = "B14"
    B15 = "B15"
    B16 = "B16"
    B17 = "B17"
    B18 = "B18"
    B19 = "B19"
    B20 = "B20"

    @property
    def is_budget(self) -> bool:
        """A 部门预算 table (B01 …), not one of the nine 决算 tables."""
        return self.value.startswith("B")


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
    # A row that opens a block whose sub-rows repeat other labels (上年结转 followed by
    # 一般公共预算资金 …): the sub-rows are the rows declared ``under`` it.
    opens: str | None = None
    under: str | None = None


@dataclass(frozen=True)
class Side:
    """One side of a table: its value columns (key, printed aliases)."""

    name: str | None
    columns: tuple[str, ...]
    column_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Does this side list classification rows (function classes or codes)?
    classified: bool = False
    # The words of the label header that name this side of a table printed in panes (a 预算
    # 收支总表 printing 支出功能分类科目 and 部门预算支出经济分类科目 side by side).
    header_words: tuple[str, ...] = ()
    # Which classification its class rows are named in (function classes by default).
    classes: Classification | None = None


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
    # How the assembler reads it: panes (收入 | 支出 …), classified, groups (table 06),
    # sangong, budget_sangong, listing (rows named by their label), text (kept as printed).
    layout: str = "classified"
    name: str = ""  # how a finding names the table ("收支总表"); 公开0N表 when empty
    # Words that, in a title, say it is not this table although a pattern matches.
    title_excludes: tuple[str, ...] = ()
    # Rows of a classification table printed without a code (a unit, a project) are kept,
    # named by their label, instead of dropped.
    keep_labels: bool = False

    @property
    def label(self) -> str:
        return self.name or f"公开{self.id.value}表"

    @property
    def is_budget(self) -> bool:
        return self.id.is_budget

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


def _load(name: str = "tables.toml") -> dict[str, Any]:
    import tomllib
    from importlib import resources

    text = (resources.files("juesuan.model") / "data" / name).read_text("utf-8")
    return tomllib.loads(text)


_DEFAULT_LAYOUT = {"01": "panes", "04": "panes", "06": "groups", "07": "sangong"}


def _spec(entry: dict[str, Any]) -> TableSpec:
    tid = TableId(entry["id"])
    sides = tuple(
        Side(
            side.get("name"),
            tuple(side["columns"]),
            {k: tuple(v) for k, v in side.get("aliases", {}).items()},
            classified=bool(side.get("classified", False)),
            header_words=tuple(side.get("header_words", ())),
            classes=Classification(side["classes"]) if "classes" in side else None,
        )
        for side in entry["side"]
    )
    rows = tuple(
        FixedRow(
            r["key"],
            r.get("side"),
            tuple(r.get("aliases", ())),
            opens=r.get("opens"),
            under=r.get("under"),
        )
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
        layout=entry.get("layout") or _DEFAULT_LAYOUT.get(tid.value, "classified"),
        name=entry.get("name", ""),
        title_excludes=tuple(entry.get("title_excludes", ())),
        keep_labels=bool(entry.get("keep_labels", False)),
    )


_DATA = _load()
_BUDGET = _load("budget_tables.toml")
SPECS: dict[TableId, TableSpec] = {
    spec.id: spec for spec in (_spec(e) for e in (*_DATA["table"], *_BUDGET["table"]))
}
# The nine tables of a 决算 and the kinds of table of a 预算, in their order.
FINAL_TABLES = tuple(t for t in TableId if not t.is_budget)
BUDGET_TABLES = tuple(t for t in TableId if t.is_budget)
# Order in which titles are tried: specific before general ("财政拨款收入支出决算总表" contains
# "收入支出决算总表"; "一般公共预算财政拨款基本支出决算表" contains "一般公共预算财政拨款支出决算表"
# only after removing 基本).
TITLE_ORDER = tuple(TableId(t) for t in _DATA["title_order"])
BUDGET_TITLE_ORDER = tuple(TableId(t) for t in _BUDGET["title_order"])
LABEL_HEADERS: tuple[str, ...] = tuple(_DATA["label_headers"])
BUDGET_LABEL_HEADERS: tuple[str, ...] = tuple(_BUDGET["label_headers"])
GENERIC_ALIASES: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _DATA["generic_aliases"].items()
}
# A budget's column words: every budget table names its 预算数 columns alike.
BUDGET_ALIASES: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in _BUDGET["generic_aliases"].items()
}
# Words in a 三公 header cell → the item it is (first match wins).
SANGONG_ITEM_WORDS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(e["words"]), e["item"]) for e in _DATA["sangong_items"]
)
BUDGET_SANGONG_ITEM_WORDS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(e["words"]), e["item"]) for e in _BUDGET["sangong_items"]
)
SANGONG_COLUMNS = SPECS[TableId.T07].sides[0].columns[:12]
# The six 三公 items in their printed order (合计 … 公务接待费), each under 预算数 and 决算数.
SANGONG_ITEMS = tuple(c.split("/", 1)[1] for c in SANGONG_COLUMNS[:6])
# Printed beside the 三公 in some regions' table (财政拨款“三公”经费及会议费、培训费支出决算表).
BESIDE_SANGONG_COLUMNS = SPECS[TableId.T07].sides[0].columns[12:]
# Words that make a line a sentence or a reference rather than a budget table's title.
_NOT_A_TITLE = tuple(_BUDGET["not_title_words"])


@dataclass(frozen=True)
class Generation:
    """The tables a 部门预算 of some years must print (财预〔2016〕143号 and later templates)."""

    first: int
    last: int | None
    required: tuple[TableId, ...]

    def covers(self, year: int | None) -> bool:
        return year is not None and year >= self.first and (self.last is None or year <= self.last)


GENERATIONS = tuple(
    Generation(int(g["from"]), g.get("to"), tuple(TableId(t) for t in g["required"]))
    for g in _BUDGET["generation"]
)


def required_budget_tables(year: int | None) -> tuple[TableId, ...]:
    """The tables a 预算 of ``year`` must print (the newest generation when the year is not
    known)."""
    for g in GENERATIONS:
        if g.covers(year):
            return g.required
    return GENERATIONS[-1].required


def identify_title(text: str) -> TableId | None:
    """Which table a title names (by its words, not by a 公开0N表 label or an ordinal): one of
    the nine 决算 tables when it says 决算, else one of the kinds of 预算 table."""
    compact = "".join(text.split())
    if not compact.endswith(("表", "表）", "表)")) and not re.search(
        r"表[（(][^）)]{1,16}[）)]$", compact
    ):
        return None
    if "决算" not in compact:
        return _budget_title(compact)
    if not compact.endswith(("表", "表）", "表)")):
        return None
    for table_id in TITLE_ORDER:
        spec = SPECS[table_id]
        if any(p in compact for p in spec.title_patterns):
            return table_id
    return None


def _budget_title(compact: str) -> TableId | None:
    """A 预算 table's title ("预算05表 一般公共预算支出表", "2026年部门收支总体情况表",
    "一般公共预算支出情况表（按功能分类科目）"); a sentence that names a table is not one."""
    if any(w in compact for w in _NOT_A_TITLE) or len(compact) > 70:
        return None
    for table_id in BUDGET_TITLE_ORDER:
        spec = SPECS[table_id]
        if any(p in compact for p in spec.title_patterns) and not any(
            x in compact for x in spec.title_excludes
        ):
            return table_id
    return None
