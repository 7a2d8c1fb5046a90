"""The nine tables of a 部门决算 disclosure: their titles, sides, columns and fixed rows.

Keys are the official Chinese terms, so a cell reads as ``T03["208"]["基本支出"]``, not "row 5,
column 3". A row of a classification table is keyed by its code; a fixed row (本年收入合计,
年初结转和结余 …) by its official label. Two-sided tables (01, 04) have a 收入 and a 支出 side;
row keys are unique across both sides (the two 总计 rows are 收入总计 and 支出总计).

Layout variants (other titles, older row names, column orders) are data here (aliases), so a
reader recognises a table by its words, never by a fixed position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
_T01_INCOME_ROWS = (
    FixedRow("一般公共预算财政拨款收入", INCOME, ("一般公共预算财政拨款",)),
    FixedRow("政府性基金预算财政拨款收入", INCOME, ("政府性基金预算财政拨款",)),
    FixedRow("国有资本经营预算财政拨款收入", INCOME, ("国有资本经营预算财政拨款",)),
    FixedRow("上级补助收入", INCOME),
    FixedRow("事业收入", INCOME),
    FixedRow("经营收入", INCOME),
    FixedRow("附属单位上缴收入", INCOME),
    FixedRow("其他收入", INCOME),
    FixedRow("本年收入合计", INCOME),
    FixedRow(
        "使用非财政拨款结余", INCOME, ("用事业基金弥补收支差额", "使用非财政拨款结余（含专用结余）")
    ),
    FixedRow("年初结转和结余", INCOME),
    FixedRow("收入总计", INCOME, ("总计",)),
    FixedRow("本年支出合计", EXPENDITURE),
    FixedRow("结余分配", EXPENDITURE),
    FixedRow("年末结转和结余", EXPENDITURE),
    FixedRow("支出总计", EXPENDITURE, ("总计",)),
)

_FUNDS = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")

_T04_ROWS = (
    FixedRow("一般公共预算财政拨款", INCOME, ("一般公共预算财政拨款收入",)),
    FixedRow("政府性基金预算财政拨款", INCOME, ("政府性基金预算财政拨款收入",)),
    FixedRow("国有资本经营预算财政拨款", INCOME, ("国有资本经营预算财政拨款收入",)),
    FixedRow("本年收入合计", INCOME),
    FixedRow("年初财政拨款结转和结余", INCOME, ("年初结转和结余",)),
    *(FixedRow(f"年初/{fund}", INCOME) for fund in _FUNDS),
    FixedRow("收入总计", INCOME, ("总计",)),
    FixedRow("本年支出合计", EXPENDITURE),
    FixedRow("年末财政拨款结转和结余", EXPENDITURE, ("年末结转和结余",)),
    *(FixedRow(f"年末/{fund}", EXPENDITURE) for fund in _FUNDS),
    FixedRow("支出总计", EXPENDITURE, ("总计",)),
)

_FUND_COLUMNS = ("本年支出/合计", "本年支出/基本支出", "本年支出/项目支出")
_FUND_TABLE_SIDE = Side(
    None,
    ("年初结转和结余", "本年收入", *_FUND_COLUMNS, "年末结转和结余"),
    {
        "本年支出/合计": ("本年支出/小计", "本年支出", "小计"),
        "本年支出/基本支出": ("基本支出",),
        "本年支出/项目支出": ("项目支出",),
    },
    classified=True,
)

_SANGONG_ITEMS = (
    "合计",
    "因公出国（境）费",
    "公务用车购置及运行费",
    "公务用车购置费",
    "公务用车运行费",
    "公务接待费",
)
# Printed beside the 三公 in some regions' table (财政拨款“三公”经费及会议费、培训费支出决算表).
_BESIDE_SANGONG = ("会议费", "培训费")
SANGONG_COLUMNS = tuple(
    f"{part}/{item}" for part in ("预算数", "决算数") for item in _SANGONG_ITEMS
)
BESIDE_SANGONG_COLUMNS = tuple(
    f"{part}/{item}" for part in ("预算数", "决算数") for item in _BESIDE_SANGONG
)
# Words in a 三公 header cell → the item it is; the first match wins, so 购置及运行 (the
# subtotal of the two car items) comes before 购置 and 运行.
SANGONG_ITEM_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("会议",), "会议费"),
    (("培训",), "培训费"),
    (("出国", "出境"), "因公出国（境）费"),
    (("接待",), "公务接待费"),
    (("购置及运行", "购置和运行", "购置及运维"), "公务用车购置及运行费"),
    (("购置",), "公务用车购置费"),
    (("运行", "运维"), "公务用车运行费"),
)

# Economic classification: which 类 make up 人员经费 and 公用经费 (seed 002 arithmetic;
# 309/311/312/313 go to 公用经费 when printed in a 基本支出 table).
PERSONNEL_CLASSES = ("301", "303")
PUBLIC_CLASSES = ("302", "307", "309", "310", "311", "312", "313", "399")

SPECS: dict[TableId, TableSpec] = {
    TableId.T01: TableSpec(
        TableId.T01,
        "收入支出决算总表",
        ("收入支出决算总表", "部门收支决算总表", "收支决算总表"),
        (Side(INCOME, (FINAL,)), Side(EXPENDITURE, (FINAL,), classified=True)),
        _T01_INCOME_ROWS,
        Classification.FUNCTION,
    ),
    TableId.T02: TableSpec(
        TableId.T02,
        "收入决算表",
        ("收入决算表",),
        (
            Side(
                None,
                (
                    "本年收入合计",
                    "财政拨款收入",
                    "上级补助收入",
                    "事业收入",
                    "经营收入",
                    "附属单位上缴收入",
                    "其他收入",
                ),
                {"本年收入合计": ("合计", "收入合计")},
                classified=True,
            ),
        ),
        (FixedRow("合计"),),
        Classification.FUNCTION,
        total_row="合计",
    ),
    TableId.T03: TableSpec(
        TableId.T03,
        "支出决算表",
        ("支出决算表",),
        (
            Side(
                None,
                (
                    "本年支出合计",
                    "基本支出",
                    "项目支出",
                    "上缴上级支出",
                    "经营支出",
                    "对附属单位补助支出",
                ),
                {"本年支出合计": ("合计", "支出合计")},
                classified=True,
            ),
        ),
        (FixedRow("合计"),),
        Classification.FUNCTION,
        total_row="合计",
    ),
    TableId.T04: TableSpec(
        TableId.T04,
        "财政拨款收入支出决算总表",
        ("财政拨款收入支出决算总表", "财政拨款收支决算总表"),
        (
            Side(INCOME, (FINAL,)),
            Side(EXPENDITURE, (TOTAL, *_FUNDS), {TOTAL: ("小计",)}, classified=True),
        ),
        _T04_ROWS,
        Classification.FUNCTION,
    ),
    TableId.T05: TableSpec(
        TableId.T05,
        "一般公共预算财政拨款支出决算表",
        ("一般公共预算财政拨款支出决算表", "公共财政拨款支出决算表"),
        (
            Side(
                None,
                (TOTAL, "基本支出", "项目支出"),
                {TOTAL: ("小计", "本年支出")},
                classified=True,
            ),
        ),
        (FixedRow("合计"),),
        Classification.FUNCTION,
        total_row="合计",
    ),
    TableId.T06: TableSpec(
        TableId.T06,
        "一般公共预算财政拨款基本支出决算表",
        (
            "一般公共预算财政拨款基本支出决算",
            "公共财政拨款基本支出决算",
            "基本支出决算明细表",
            "基本支出决算表",
        ),
        (Side(None, (FINAL,), classified=True),),
        (
            FixedRow("人员经费合计", aliases=("人员经费",)),
            FixedRow("公用经费合计", aliases=("公用经费",)),
            FixedRow("合计", aliases=("基本支出合计", "总计")),
        ),
        Classification.ECONOMIC,
    ),
    TableId.T07: TableSpec(
        TableId.T07,
        "一般公共预算财政拨款“三公”经费支出决算表",
        ("三公",),
        (
            Side(
                None,
                SANGONG_COLUMNS + BESIDE_SANGONG_COLUMNS,
                {
                    f"{part}/公务用车购置及运行费": (f"{part}/小计",)
                    for part in ("预算数", "决算数")
                },
            ),
        ),
        (FixedRow("三公经费"),),
    ),
    TableId.T08: TableSpec(
        TableId.T08,
        "政府性基金预算财政拨款收入支出决算表",
        ("政府性基金预算财政拨款",),
        (_FUND_TABLE_SIDE,),
        (FixedRow("合计"),),
        Classification.FUNCTION,
        total_row="合计",
    ),
    TableId.T09: TableSpec(
        TableId.T09,
        "国有资本经营预算财政拨款收入支出决算表",
        ("国有资本经营预算财政拨款",),
        (_FUND_TABLE_SIDE,),
        (FixedRow("合计"),),
        Classification.FUNCTION,
        total_row="合计",
    ),
}

# Order in which titles are tried: specific before general ("财政拨款收入支出决算总表" contains
# "收入支出决算总表"; "一般公共预算财政拨款基本支出决算表" contains "一般公共预算财政拨款支出决算表"
# only after removing 基本).
TITLE_ORDER = (
    TableId.T07,
    TableId.T08,
    TableId.T09,
    TableId.T06,
    TableId.T04,
    TableId.T05,
    TableId.T01,
    TableId.T02,
    TableId.T03,
)


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
