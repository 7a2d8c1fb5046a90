"""Synthetic, fully consistent 部门决算 reports, for tests and benchmarks.

:func:`generate_report` builds the nine tables of one department for one year in 元, with every
identity of the built-in rules holding exactly: within each table (row sums, 类 = Σ款 = Σ项,
合计 = Σ类, the 01/04 totals and balances, the 06 and 07 sums) and across tables (01 ↔ 02/03,
04 ↔ 01/05/08/09, 05 ↔ 06, 07 ↔ 06, the 06 ↔ 05 pairs 30108 ↔ 2080505, 30109 ↔ 2080506,
30110 + 30111 ↔ 21011, 30113 ↔ 2210201). Financial-appropriation figures never exceed all
spending (05 ≤ 03 per code and column; 04 carry-overs ≤ 01 carry-overs). Every code and name
is real for the year: they come from the shipped reference lists
(:func:`juesuan.model.codes.reference_codes`), and every 项 and 款 has its parents printed.

All money is computed in integer 分 and printed as :class:`~decimal.Decimal` with two
decimals; no float ever touches an amount. The generator is pure: the same arguments give
the same report.

:func:`to_wan_yuan` converts a report to 万元 the way the 决算 software does (each cell rounded
independently, half-up, to 2 decimals), which is what produces the harmless 0.01 万元 breaks
real reports are full of. :func:`generate_large` builds a report with about ``n_rows``
classification rows per table, for benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from juesuan.model.amount import Unit, round_half_up
from juesuan.model.codes import CodeList, reference_codes
from juesuan.model.layout import (
    EXPENDITURE,
    FINAL,
    INCOME,
    SANGONG_COLUMNS,
    SPECS,
    TOTAL,
    TableId,
)
from juesuan.model.report import Report, UnitKind
from juesuan.model.tables import BLANK, Cell, Row, Table, TableStatus

__all__ = ["generate_large", "generate_report", "to_wan_yuan"]

# --- columns -------------------------------------------------------------------------------

_T02_COLUMNS = SPECS[TableId.T02].sides[0].columns
_T03_COLUMNS = SPECS[TableId.T03].sides[0].columns
_T05_COLUMNS = SPECS[TableId.T05].sides[0].columns
_FUND_TABLE_COLUMNS = SPECS[TableId.T08].sides[0].columns
_T04_EXP_COLUMNS = SPECS[TableId.T04].side(EXPENDITURE).columns  # 合计 + the three funds
_GENERAL, _GOV_FUND, _CAPITAL = _T04_EXP_COLUMNS[1:]

_T01_SOURCES = ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")

# --- codes the cross-table hints pair up (X13) and the 三公 items (X12) -------------------

_PENSION, _ANNUITY, _MEDICAL_SECTION, _HOUSING = "2080505", "2080506", "21011", "2210201"
_MEDICAL_ITEMS = ("2101101", "2101102")  # 行政单位医疗, 事业单位医疗 (one is picked)
_ECON_PENSION, _ECON_ANNUITY, _ECON_HOUSING = "30108", "30109", "30113"
_ECON_MEDICAL = ("30110", "30111")
_ECON_ABROAD, _ECON_RECEPTION, _ECON_RUNNING, _ECON_PURCHASE = "30212", "30217", "30231", "31013"

_ECON_CLASSES = ("301", "302", "303", "307", "310", "399")
_PERSONNEL = ("301", "303")
_PUBLIC = ("302", "307", "310", "399")

# Relative weights of the 基本支出 that is not tied to an X13 code, by economic item. An item
# missing from the reference list is skipped; items not named here are printed as 0.00.
_ECON_WEIGHTS: dict[str, int] = {
    "30101": 200,
    "30102": 240,
    "30103": 80,
    "30106": 6,
    "30107": 110,
    "30112": 8,
    "30114": 4,
    "30199": 20,
    "30201": 18,
    "30202": 3,
    "30205": 2,
    "30206": 5,
    "30207": 3,
    "30209": 4,
    "30211": 9,
    "30213": 5,
    "30215": 2,
    "30216": 3,
    "30226": 6,
    "30228": 10,
    "30229": 8,
    "30239": 15,
    "30299": 10,
    "30301": 5,
    "30302": 20,
    "30305": 3,
    "30309": 4,
    "30399": 3,
    "31002": 5,
    "31007": 3,
    "39999": 1,
}
_SANGONG_WEIGHTS: dict[str, int] = {
    _ECON_ABROAD: 2,
    _ECON_RECEPTION: 2,
    _ECON_RUNNING: 6,
    _ECON_PURCHASE: 10,
}
_FALLBACK_ITEMS = ("30199", "30299", "30101")

# Classes a department's general-budget spending is drawn from (223 is state-capital spending,
# 230+ are transfers and debt service); 款 names that mark government-fund spending.
_GB_CLASSES = range(201, 230)
_CAPITAL_CLASS = "223"
_FUND_MARKS = ("安排的支出", "彩票", "基金支出")
_NOT_FUND_MARKS = ("教育费附加",)  # 20509 教育费附加安排的支出 is general-budget spending
_NOT_GB_MARKS = ("彩票", "基金", "国有土地使用权出让", "债券", "抗疫", "国有资本经营")

_EMPTY_FUND_NOTE = "注：本部门{year}年度没有{fund}收入、支出和结转结余，故本表无数据。"
_UNIT_NAMES = (
    "示例市教育局",
    "示例市民政局",
    "示例县卫生健康委员会",
    "示例市人力资源和社会保障局",
    "示例区农业农村局",
    "示例市自然资源和规划局",
    "示例县文化广电和旅游局",
)


# --- money ---------------------------------------------------------------------------------


def _d(fen: int) -> Decimal:
    """分 → 元 with two decimals printed (``12345`` → ``123.45``, ``0`` → ``0.00``)."""
    return Decimal(fen).scaleb(-2)


def _cell(fen: int | None) -> Cell:
    return BLANK if fen is None else Cell(_d(fen))


def _pct(value: int, percent: int) -> int:
    return value * percent // 100


def _magnitude(rng: random.Random, low_yuan: int, high_yuan: int) -> int:
    """An amount in 分, roughly log-uniform between the bounds (integers only)."""
    decades: list[int] = []
    d = low_yuan
    while d < high_yuan:
        decades.append(d)
        d *= 10
    lo = rng.choice(decades)
    hi = min(lo * 10, high_yuan)
    return rng.randint(lo * 100, hi * 100) + rng.randint(0, 99)


def _chance(rng: random.Random, percent: int) -> bool:
    return rng.randrange(100) < percent


def _allocate(rng: random.Random, total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Split ``total`` 分 exactly over the keys, in proportion to randomly jittered weights."""
    jittered = {k: w * rng.randint(50, 150) for k, w in weights.items() if w > 0}
    if not jittered:
        raise ValueError("nothing to allocate to")
    wsum = sum(jittered.values())
    out = {k: total * w // wsum for k, w in jittered.items()}
    biggest = max(jittered, key=lambda k: (jittered[k], k))
    out[biggest] += total - sum(out.values())
    return out


# --- reference codes -----------------------------------------------------------------------


def _valid_names(code_list: CodeList, year: int) -> dict[str, str]:
    """Every code valid in ``year`` with its official name for that year.

    :class:`~juesuan.model.codes.CodeList` offers look-ups only, so its index is read here.
    """
    out: dict[str, str] = {}
    for code in code_list.codes():
        entry = code_list.lookup(code, year)
        if entry is not None:
            out[code] = entry.name
    return out


@dataclass(frozen=True)
class _Codes:
    function: dict[str, str]  # code → name, valid in the year
    economic: dict[str, str]
    gb_items: tuple[str, ...]  # 项 codes fit for general-budget spending, parents valid
    gf_items: tuple[str, ...]  # 项 codes of government-fund spending
    cap_items: tuple[str, ...]  # 项 (or, if the list has none, 款) codes of 类 223
    gb_sections: tuple[str, ...]  # 款 fit for general-budget spending, listed without any 项


def _codes_for(year: int) -> _Codes:
    ref = reference_codes()
    function = _valid_names(ref.function, year)
    economic = _valid_names(ref.economic, year)
    gb: list[str] = []
    gf: list[str] = []
    cap: list[str] = []
    for code, name in function.items():
        if len(code) != 7 or code[:5] not in function or code[:3] not in function:
            continue
        section = function[code[:5]]
        cls = int(code[:3]) if code[:3].isdigit() else 0
        if code[:3] == _CAPITAL_CLASS:
            cap.append(code)
        elif (
            any(m in section for m in _FUND_MARKS)
            and not any(m in section for m in _NOT_FUND_MARKS)
            and cls in _GB_CLASSES
            and code[:3] != "209"  # 社会保险基金支出 is a budget of its own
        ):
            gf.append(code)
        elif cls in _GB_CLASSES and not any(m in name + section for m in _NOT_GB_MARKS):
            gb.append(code)
    if not cap:  # the list may stop at the 款 of 223: print those 款 without 项
        cap = [
            c
            for c in function
            if len(c) == 5 and c[:3] == _CAPITAL_CLASS and not ref.function.lists_children(c, year)
        ]
    if not gb:
        raise ValueError(f"the reference function list has no 项 codes valid in {year}")
    sections = [
        c
        for c, name in function.items()
        if len(c) == 5
        and c[:3] in function
        and int(c[:3]) in _GB_CLASSES
        and c[:3] != _CAPITAL_CLASS
        and not any(m in name for m in _NOT_GB_MARKS)
        and not ref.function.lists_children(c, year)
    ]
    return _Codes(function, economic, tuple(gb), tuple(gf), tuple(cap), tuple(sections))


def _x13_items(codes: _Codes, rng: random.Random) -> list[str]:
    """The function codes whose basic spending the X13 hints pair with 06 items."""
    medical = [c for c in _MEDICAL_ITEMS if c in codes.gb_items]
    picked = [_PENSION, _ANNUITY, *medical[: 1 + rng.randrange(len(medical) or 1)], _HOUSING]
    return [c for c in picked if c in codes.gb_items]


# --- one 项 of spending and income ------------------------------------------------------------


@dataclass
class _Fund:
    """One 项 of a fund table (08/09), in 分."""

    opening: int
    income: int
    basic: int
    project: int

    @property
    def spending(self) -> int:
        return self.basic + self.project

    @property
    def closing(self) -> int:
        return self.opening + self.income - self.spending

    def values(self) -> list[int]:
        return [self.opening, self.income, self.spending, self.basic, self.project, self.closing]


@dataclass
class _Item:
    code: str
    gb_basic: int = 0
    gb_project: int = 0
    gb_income: int = 0
    gov_fund: _Fund | None = None
    capital: _Fund | None = None
    nf_basic: int = 0
    nf_project: int = 0
    remitted: int = 0  # 上缴上级支出
    operating: int = 0  # 经营支出
    subsidies: int = 0  # 对附属单位补助支出
    nf_income: dict[str, int] = field(default_factory=dict)  # T02 column → 分

    @property
    def gb_total(self) -> int:
        return self.gb_basic + self.gb_project

    @property
    def in_t05(self) -> bool:
        return self.gb_total > 0

    def t02(self) -> list[int]:
        fiscal = self.gb_income + sum(f.income for f in (self.gov_fund, self.capital) if f)
        others = [self.nf_income.get(c, 0) for c in _T02_COLUMNS[2:]]
        return [fiscal + sum(others), fiscal, *others]

    def t03(self) -> list[int]:
        funds = [f for f in (self.gov_fund, self.capital) if f]
        basic = self.gb_basic + self.nf_basic + sum(f.basic for f in funds)
        project = self.gb_project + self.nf_project + sum(f.project for f in funds)
        parts = [basic, project, self.remitted, self.operating, self.subsidies]
        return [sum(parts), *parts]

    def t05(self) -> list[int]:
        return [self.gb_total, self.gb_basic, self.gb_project]


def _basic_share(rng: random.Random, code: str, name: str, x13: set[str]) -> int:
    if code in x13 or code.startswith(_MEDICAL_SECTION) or name in ("行政运行", "事业运行"):
        return 100
    if name in ("一般行政管理事务", "机关服务") or _chance(rng, 40):
        return 0
    return rng.randint(0, 100)


def _spending_item(
    rng: random.Random, code: str, name: str, x13: set[str], gb_percent: int
) -> _Item:
    item = _Item(code)
    small = code in x13 or code.startswith(_MEDICAL_SECTION)
    scale = _magnitude(rng, 20_000, 400_000) if small else _magnitude(rng, 10_000, 8_000_000)
    gb = small or _chance(rng, gb_percent)
    gb_total = _pct(scale, rng.randint(70, 100)) if gb else 0
    share = _basic_share(rng, code, name, x13)
    item.gb_basic = _pct(gb_total, share)
    item.gb_project = gb_total - item.gb_basic
    item.gb_income = gb_total + _pct(gb_total, rng.randint(-8, 8))
    nf_total = scale - gb_total
    item.nf_basic = _pct(nf_total, share)
    item.nf_project = nf_total - item.nf_basic
    for attr in ("remitted", "operating", "subsidies"):
        if _chance(rng, 8):
            setattr(item, attr, rng.randint(100_000, max(100_000, scale // 10)))
    nf_spend = nf_total + item.remitted + item.operating + item.subsidies
    for column, percent in (
        ("上级补助收入", 10),
        ("事业收入", 35),
        ("经营收入", 6),
        ("附属单位上缴收入", 5),
        ("其他收入", 30),
    ):
        if _chance(rng, percent):
            item.nf_income[column] = rng.randint(1_000, max(100_000, nf_spend))
    return item


def _fund(rng: random.Random) -> _Fund:
    scale = _magnitude(rng, 100_000, 20_000_000)
    opening = _pct(scale, rng.randint(0, 40)) if _chance(rng, 60) else 0
    income = _pct(scale, rng.randint(50, 100))
    spending = _pct(opening + income, rng.randint(60, 100))
    basic = _pct(spending, rng.randint(0, 15)) if _chance(rng, 30) else 0
    return _Fund(opening, income, basic, spending - basic)


# --- tables --------------------------------------------------------------------------------


def _aggregate(leaves: Mapping[str, Sequence[int]], width: int) -> dict[str, list[int]]:
    """Values of every leaf (a 项, or a 款 printed without 项) and of its parents, and of the
    合计 row (key "")."""
    out: dict[str, list[int]] = {"": [0] * width}
    for code, values in leaves.items():
        for key in dict.fromkeys((code, code[:5], code[:3], "")):
            acc = out.setdefault(key, [0] * width)
            for i, v in enumerate(values):
                acc[i] += v
    return out


def _classified_table(
    table_id: TableId,
    leaves: Mapping[str, Sequence[int]],
    columns: Sequence[str],
    names: Mapping[str, str],
    zero_blank: bool,
) -> tuple[Table, dict[str, list[int]]]:
    sums = _aggregate(leaves, len(columns))

    def cells(values: Sequence[int]) -> dict[str, Cell]:
        return {
            c: _cell(None if zero_blank and v == 0 else v)
            for c, v in zip(columns, values, strict=True)
        }

    rows = [Row(TOTAL, TOTAL, cells(sums[""]))]
    for code in sorted(k for k in sums if k):
        rows.append(Row(code, names[code], cells(sums[code]), code=code))
    return _table(table_id, rows), sums


def _table(
    table_id: TableId,
    rows: Iterable[Row],
    status: TableStatus = TableStatus.PRESENT,
    note: str | None = None,
) -> Table:
    return Table(table_id, status, SPECS[table_id].title, Unit.YUAN, tuple(rows), note)


def _empty_fund_table(table_id: TableId, year: int, fund: str) -> Table:
    row = Row(TOTAL, TOTAL, {c: BLANK for c in _FUND_TABLE_COLUMNS})
    note = _EMPTY_FUND_NOTE.format(year=year, fund=fund)
    return _table(table_id, [row], TableStatus.EMPTY, note)


def _fixed(key: str, side: str | None, value: int | None, column: str = FINAL) -> Row:
    return Row(key, key, {column: _cell(value)}, side=side)


def _economic_table(
    rng: random.Random, codes: _Codes, basic_total: int, tied: Mapping[str, int]
) -> tuple[Table, dict[str, int]]:
    """Table 06: the basic spending ``basic_total`` over economic items, with the items in
    ``tied`` fixed (X13 pairs). Returns the table and the value of every item."""
    econ = codes.economic
    items = [c for c in econ if len(c) == 5 and c[:3] in _ECON_CLASSES and c[:3] in econ]
    values = dict.fromkeys(items, 0)
    rest = basic_total
    for code, fen in tied.items():
        values[code] = values.get(code, 0) + fen
        rest -= fen
    weights = {c: w for c, w in _ECON_WEIGHTS.items() if c in values and _chance(rng, 85)}
    for code, w in _SANGONG_WEIGHTS.items():
        if code in values and _chance(rng, 70 if code != _ECON_PURCHASE else 25):
            weights[code] = w
    if not weights:
        weights = {c: 1 for c in _FALLBACK_ITEMS if c in values}
    if not weights and rest:
        weights = {items[0]: 1}
    if weights:
        for code, fen in _allocate(rng, rest, weights).items():
            values[code] += fen
    rows: list[Row] = []
    class_totals: dict[str, int] = {}
    for cls in _ECON_CLASSES:
        if cls not in econ:
            continue
        kids = [c for c in items if c[:3] == cls]
        class_totals[cls] = sum(values[c] for c in kids)
        rows.append(Row(cls, econ[cls], {FINAL: _cell(class_totals[cls])}, code=cls))
        rows.extend(Row(c, econ[c], {FINAL: _cell(values[c])}, code=c) for c in kids)
    personnel = sum(class_totals.get(c, 0) for c in _PERSONNEL)
    public = sum(class_totals.get(c, 0) for c in _PUBLIC)
    rows.append(_fixed("人员经费合计", None, personnel))
    rows.append(_fixed("公用经费合计", None, public))
    rows.append(_fixed(TOTAL, None, personnel + public))
    return _table(TableId.T06, rows), values


def _sangong_table(rng: random.Random, econ_values: Mapping[str, int]) -> Table:
    def item(code: str) -> int:
        if code in econ_values:
            return econ_values[code]
        return rng.randint(0, 3_000_000) if _chance(rng, 50) else 0

    final = [item(_ECON_ABROAD), item(_ECON_PURCHASE), item(_ECON_RUNNING), item(_ECON_RECEPTION)]
    budget = [
        v + _pct(v, rng.randint(0, 30)) + (rng.randint(0, 500_000) if _chance(rng, 40) else 0)
        for v in final
    ]
    values: list[int] = []
    for abroad, purchase, running, reception in (budget, final):
        vehicles = purchase + running
        values.extend(
            [abroad + vehicles + reception, abroad, vehicles, purchase, running, reception]
        )
    row = Row(
        "三公经费",
        "三公经费",
        {c: _cell(v) for c, v in zip(SANGONG_COLUMNS, values, strict=True)},
    )
    return _table(TableId.T07, [row])


# --- the report ----------------------------------------------------------------------------


def _build(
    rng: random.Random,
    year: int,
    codes: _Codes,
    gb_codes: Sequence[str],
    gb_percent: int,
    with_funds: bool,
) -> Report:
    names = codes.function
    x13 = {_PENSION, _ANNUITY, _HOUSING}
    items: dict[str, _Item] = {}
    for code in gb_codes:
        items[code] = _spending_item(rng, code, names[code], x13, gb_percent)
    if with_funds:
        for pool, attr in ((codes.gf_items, "gov_fund"), (codes.cap_items, "capital")):
            candidates = (
                [c for c in pool if c not in items]
                or [c for c in codes.gb_items if c not in items]
                or list(items)
            )
            for code in rng.sample(candidates, min(len(candidates), rng.randint(1, 2))):
                item = items.setdefault(code, _Item(code))
                setattr(item, attr, _fund(rng))
    zero_blank = _chance(rng, 50)

    # 02, 03, 05 (all in 分; leaves are 项, or 款 listed without 项)
    t02, s02 = _classified_table(
        TableId.T02, {c: i.t02() for c, i in items.items()}, _T02_COLUMNS, names, zero_blank
    )
    t03, s03 = _classified_table(
        TableId.T03, {c: i.t03() for c, i in items.items()}, _T03_COLUMNS, names, zero_blank
    )
    t05, s05 = _classified_table(
        TableId.T05,
        {c: i.t05() for c, i in items.items() if i.in_t05},
        _T05_COLUMNS,
        names,
        zero_blank,
    )

    # 08, 09
    fund_sums: dict[str, dict[str, list[int]]] = {}
    fund_tables: list[Table] = []
    for table_id, attr, fund_name in (
        (TableId.T08, "gov_fund", "政府性基金预算财政拨款"),
        (TableId.T09, "capital", "国有资本经营预算财政拨款"),
    ):
        leaves = {c: f.values() for c, i in items.items() if (f := getattr(i, attr)) is not None}
        if leaves:
            table, sums = _classified_table(table_id, leaves, _FUND_TABLE_COLUMNS, names, False)
            fund_sums[attr] = sums
        else:
            table = _empty_fund_table(table_id, year, fund_name)
            fund_sums[attr] = {"": [0] * len(_FUND_TABLE_COLUMNS)}
        fund_tables.append(table)
    gf_sums, cap_sums = fund_sums["gov_fund"], fund_sums["capital"]
    funds_printed = with_funds

    # the general budget's carry-over
    gb_income = sum(i.gb_income for i in items.values())
    gb_spending = s05[""][0]
    gb_delta = gb_income - gb_spending
    gb_opening = max(0, -gb_delta) + _pct(gb_spending, rng.randint(0, 15))
    gb_closing = gb_opening + gb_delta
    gf_total, cap_total = gf_sums[""], cap_sums[""]  # 年初, 本年收入, 本年支出…, 年末

    def fund_value(v: int) -> int | None:
        return v if funds_printed else None

    # 04
    t04_rows: list[Row] = [
        _fixed(_GENERAL, INCOME, gb_income),
        _fixed(_GOV_FUND, INCOME, fund_value(gf_total[1])),
        _fixed(_CAPITAL, INCOME, fund_value(cap_total[1])),
        _fixed("本年收入合计", INCOME, gb_income + gf_total[1] + cap_total[1]),
    ]
    openings = (gb_opening, gf_total[0], cap_total[0])
    t04_rows.append(_fixed("年初财政拨款结转和结余", INCOME, sum(openings)))
    t04_rows.extend(
        _fixed(f"年初/{fund}", INCOME, v if fund == _GENERAL else fund_value(v))
        for fund, v in zip((_GENERAL, _GOV_FUND, _CAPITAL), openings, strict=True)
    )
    fiscal_opening = sum(openings)
    fiscal_income = gb_income + gf_total[1] + cap_total[1]
    t04_rows.append(_fixed("收入总计", INCOME, fiscal_income + fiscal_opening))

    def exp_row(key: str, gb: int, gf: int, cap: int, code: str | None = None) -> Row:
        cells = {
            TOTAL: _cell(gb + gf + cap),
            _GENERAL: _cell(gb),
            _GOV_FUND: _cell(fund_value(gf)),
            _CAPITAL: _cell(fund_value(cap)),
        }
        return Row(key, names[code] if code else key, cells, code=code, side=EXPENDITURE)

    fiscal_classes = sorted(c for c in {*s05, *gf_sums, *cap_sums} if len(c) == 3)
    for cls in fiscal_classes:
        t04_rows.append(
            exp_row(
                cls,
                s05.get(cls, [0])[0],
                gf_sums.get(cls, [0, 0, 0])[2],
                cap_sums.get(cls, [0, 0, 0])[2],
                cls,
            )
        )
    closings = (gb_closing, gf_total[5], cap_total[5])
    spendings = (gb_spending, gf_total[2], cap_total[2])
    t04_rows.append(exp_row("本年支出合计", *spendings))
    t04_rows.append(exp_row("年末财政拨款结转和结余", *closings))
    grand_gb, grand_gf, grand_cap = (s + c for s, c in zip(spendings, closings, strict=True))
    t04_rows.append(exp_row("支出总计", grand_gb, grand_gf, grand_cap))
    t04 = _table(TableId.T04, t04_rows)

    # 01
    income_total = s02[""][0]
    spending_total = s03[""][0]
    nf_income = income_total - fiscal_income
    nf_spending = spending_total - sum(spendings)
    use_nf = _pct(nf_spending, rng.randint(1, 10)) if _chance(rng, 30) else 0
    allocation = _pct(nf_income, rng.randint(1, 5)) if _chance(rng, 20) else 0
    nf_opening = max(0, nf_spending + allocation - nf_income - use_nf) + _pct(
        spending_total, rng.randint(0, 10)
    )
    nf_closing = nf_opening + nf_income + use_nf - nf_spending - allocation
    opening_total = fiscal_opening + nf_opening
    closing_total = sum(closings) + nf_closing
    grand = income_total + use_nf + opening_total
    sources = dict(zip(_T02_COLUMNS[2:], s02[""][2:], strict=True))
    t01_rows: list[Row] = [
        _fixed("一般公共预算财政拨款收入", INCOME, gb_income),
        _fixed("政府性基金预算财政拨款收入", INCOME, fund_value(gf_total[1])),
        _fixed("国有资本经营预算财政拨款收入", INCOME, fund_value(cap_total[1])),
        *(_fixed(k, INCOME, sources[k]) for k in _T01_SOURCES),
        _fixed("本年收入合计", INCOME, income_total),
        _fixed("使用非财政拨款结余", INCOME, use_nf),
        _fixed("年初结转和结余", INCOME, opening_total),
        _fixed("收入总计", INCOME, grand),
    ]
    for cls in sorted(c for c in s03 if len(c) == 3):
        t01_rows.append(
            Row(cls, names[cls], {FINAL: _cell(s03[cls][0])}, code=cls, side=EXPENDITURE)
        )
    t01_rows.extend(
        [
            _fixed("本年支出合计", EXPENDITURE, spending_total),
            _fixed("结余分配", EXPENDITURE, allocation),
            _fixed("年末结转和结余", EXPENDITURE, closing_total),
            _fixed("支出总计", EXPENDITURE, spending_total + allocation + closing_total),
        ]
    )
    t01 = _table(TableId.T01, t01_rows)

    # 06, 07
    def basic(code: str) -> int:
        return s05.get(code, [0, 0, 0])[1]

    econ = codes.economic
    tied: dict[str, int] = {}
    for econ_code, fen in (
        (_ECON_PENSION, basic(_PENSION)),
        (_ECON_ANNUITY, basic(_ANNUITY)),
        (_ECON_HOUSING, basic(_HOUSING)),
    ):
        if econ_code in econ:
            tied[econ_code] = fen
    medical_items = [c for c in _ECON_MEDICAL if c in econ]
    medical = basic(_MEDICAL_SECTION)
    if medical_items:
        split = dict(zip(medical_items, [1] * len(medical_items), strict=True))
        if len(medical_items) == 2:
            split = {medical_items[0]: 3, medical_items[1]: 1}
        for code, fen in _allocate(rng, medical, split).items():
            tied[code] = fen
    t06, econ_values = _economic_table(rng, codes, s05[""][1], tied)
    t07 = _sangong_table(rng, econ_values)

    tables = {t.id: t for t in (t01, t02, t03, t04, t05, t06, t07, *fund_tables)}
    return Report(
        unit_name=rng.choice(_UNIT_NAMES),
        year=year,
        unit_kind=UnitKind.ADMINISTRATIVE,
        tables=dict(sorted(tables.items())),
    )


def generate_report(
    seed: int,
    *,
    year: int = 2021,
    n_items: int = 12,
    unit: Unit = Unit.YUAN,
    with_funds: bool = False,
) -> Report:
    """A consistent report of one department: ``n_items`` 项 of general-budget or other
    spending (the X13 codes 2080505, 2080506, 2101101/2101102 and 2210201 first, then random
    real codes), plus one or two 项 per fund when ``with_funds``. Without funds, tables 08/09
    are printed empty with their note and table 04's fund columns are blank.

    Built in 元; with ``unit=Unit.WAN_YUAN`` the 元 report is converted by :func:`to_wan_yuan`.
    """
    rng = random.Random(seed)
    codes = _codes_for(year)
    picked = _x13_items(codes, rng)[: max(0, n_items)]
    others = [c for c in codes.gb_items if c not in picked]
    picked += rng.sample(others, min(len(others), max(0, n_items - len(picked))))
    report = _build(rng, year, codes, picked, 80, with_funds)
    return to_wan_yuan(report) if unit is Unit.WAN_YUAN else report


def generate_large(n_rows: int, seed: int = 0) -> Report:
    """A consistent report (year 2021) with about ``n_rows`` classification rows (类, 款 and 项
    together) in each of tables 02, 03 and 05, for benchmarks: the X13 codes first, then 项
    codes taken class by class in turn, then the 款 the reference list gives without 项 (printed
    as leaves, which the rules allow). Every leaf carries general-budget spending, so 05 lists
    the same rows as 02/03.

    The shipped function list is finite: with the 2021 list (about 650 usable 项 and 110
    childless 款) the tables stop at about 870 rows each, whatever larger ``n_rows`` asks for.
    Count the rows on the result rather than trusting ``n_rows``."""
    rng = random.Random(seed)
    codes = _codes_for(2021)
    picked = _x13_items(codes, rng)
    by_class: dict[str, list[str]] = {}
    for code in (*codes.gb_items, *codes.gb_sections):
        if code not in picked:
            by_class.setdefault(code[:3], []).append(code)
    queues = [iter(v) for _, v in sorted(by_class.items())]
    rows = {p for c in picked for p in (c, c[:5], c[:3])}
    while len(rows) < n_rows and queues:
        for q in list(queues):
            nxt = next(q, None)
            if nxt is None:
                queues.remove(q)
                continue
            picked.append(nxt)
            rows.update((nxt, nxt[:5], nxt[:3]))
            if len(rows) >= n_rows:
                break
    return _build(rng, 2021, codes, picked, 100, False)


def to_wan_yuan(report: Report) -> Report:
    """The report as a 万元 publication prints it: every cell converted from 元 and rounded
    half-up to 2 decimals on its own (so printed parts need not add up to printed totals);
    blank cells stay blank. A table already in 万元 is left as it is."""
    tables: dict[TableId, Table] = {}
    for table_id, table in report.tables.items():
        if table.unit is Unit.WAN_YUAN:
            tables[table_id] = table
            continue
        scale = (table.unit or Unit.YUAN).in_yuan / Unit.WAN_YUAN.in_yuan
        rows = tuple(
            replace(
                row,
                cells={
                    column: cell
                    if cell.value is None
                    else replace(cell, value=round_half_up(cell.value * scale, 2))
                    for column, cell in row.cells.items()
                },
            )
            for row in table.rows
        )
        tables[table_id] = replace(table, rows=rows, unit=Unit.WAN_YUAN)
    return replace(report, tables=tables)
