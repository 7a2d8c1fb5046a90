"""A synthetic, fully consistent 部门预算, for the budget rules' tests and the 决算 ↔ 预算 pairing.

:func:`generate_budget` builds the budget tables of one department for one year in 元 (two
decimals, exact): every identity of ``rules/builtin/budget_*.toml`` holds. The figures come
from a few 项 (行政运行, 一般行政管理事务, 事业运行, 养老保险缴费, 行政单位医疗, 住房公积金 and a
政府性基金 项 征地和拆迁补偿支出) with the year's official names; 上年预算数 and 增减 are printed
beside this year's, as 重庆 and 西安 print them. ``scale`` multiplies every figure (a budget of
another year: this year's 上年预算数 are the budget of the year before at scale 1).

Pure: the same arguments give the same report.
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.model.amount import Unit
from juesuan.model.codes import reference_codes
from juesuan.model.layout import TableId
from juesuan.model.report import DocumentKind, Report
from juesuan.model.tables import Cell, Row, Table, TableStatus

D = Decimal
ONE = Decimal(1)
UNIT_NAME = "某某市某某局"

# 项: (基本: 人员经费, 公用经费), 项目支出, fund (一般公共预算 "g", 政府性基金 "f", 事业收入 "s")
_ITEMS: dict[str, tuple[int, int, int, str]] = {
    "2010101": (440000, 60000, 0, "g"),
    "2010102": (0, 0, 140000, "g"),  # 20000 of it from last year's 一般公共预算 carry-over
    "2010150": (60000, 0, 0, "s"),
    "2080505": (80000, 0, 0, "g"),
    "2101101": (30000, 0, 0, "g"),
    "2120801": (0, 0, 50000, "f"),
    "2210201": (40000, 0, 0, "g"),
}
_CARRY = ("2010102", 20000)  # 上年结转 (一般公共预算) spent on this 项
_ECONOMIC = {  # 一般公共预算 basic spending by economic 款: 人员 (301) and 公用 (302)
    "30101": 300000,
    "30102": 140000,
    "30108": 80000,
    "30110": 30000,
    "30113": 40000,
    "30201": 30000,
    "30211": 10000,
    "30217": 5000,
    "30231": 15000,
}
# 三公: 出国, 购置, 运行, 接待, 会议, 培训 — this year and last year
_SANGONG = {
    "本年预算数": (0, 0, 15000, 5000, 3000, 2000),
    "上年预算数": (0, 0, 16000, 6000, 3000, 2000),
}
_PRIOR_SHARE = D("0.9")  # last year's budget of every line, against this year's


def _m(value: int | Decimal, scale: Decimal) -> Decimal:
    return (D(value) * scale).quantize(D("0.01"))


def _name(code: str, year: int) -> str:
    codes = reference_codes()
    entry = (codes.function if code.startswith("2") else codes.economic).lookup(code, year)
    assert entry is not None, code
    return entry.name


def _cells(**values: Decimal | None) -> dict[str, Cell]:
    return {k.replace("__", "/"): Cell(v) for k, v in values.items()}


def _tree(codes: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
    """Leaf 项 (or economic 款) rows and their parents summed, column by column."""
    out: dict[str, dict[str, Decimal]] = {}
    for code, values in codes.items():
        for parent in {code[:3], code[:5], code} if len(code) == 7 else {code[:3], code}:
            row = out.setdefault(parent, {})
            for col, v in values.items():
                row[col] = row.get(col, D("0.00")) + v
    return dict(sorted(out.items()))


def _classified(
    tid: TableId, year: int, rows: dict[str, dict[str, Decimal]], total: str = "合计"
) -> Table:
    tree = _tree(rows)
    out = [Row(c, _name(c, year), _cells(**v), c) for c, v in tree.items()]
    sums: dict[str, Decimal] = {}
    for c, v in tree.items():
        if len(c) == 3:
            for col, x in v.items():
                sums[col] = sums.get(col, D("0.00")) + x
    out.append(Row(total, total, _cells(**sums)))
    return Table(tid, TableStatus.PRESENT, unit=Unit.YUAN, rows=tuple(out))


def generate_budget(
    year: int = 2025, *, scale: Decimal = ONE, unit_name: str = UNIT_NAME
) -> Report:
    """The budget tables of one department (see the module docstring)."""
    m = lambda v: _m(v, scale)  # noqa: E731
    p = lambda v: _m(v, scale * _PRIOR_SHARE)  # noqa: E731  last year's budget
    carry_code, carry = _CARRY
    by_fund: dict[str, Decimal] = {"g": D(0), "f": D(0), "s": D(0)}
    for code, (staff, office, project, fund) in _ITEMS.items():
        extra = carry if code == carry_code else 0
        by_fund[fund] += m(staff + office + project - extra)
    carry_m = m(carry)
    fiscal = by_fund["g"] + by_fund["f"]
    income = fiscal + by_fund["s"]
    grand = income + carry_m
    gpb_spend = by_fund["g"] + carry_m

    # B02 / B03: every 项, all funds
    b02: dict[str, dict[str, Decimal]] = {}
    b03: dict[str, dict[str, Decimal]] = {}
    b05: dict[str, dict[str, Decimal]] = {}
    b08: dict[str, dict[str, Decimal]] = {}
    for code, (staff, office, project, fund) in _ITEMS.items():
        total = m(staff + office + project)
        extra = m(carry) if code == carry_code else D("0.00")
        own = total - extra
        b02[code] = {
            "本年预算数": total,
            "财政拨款收入": own if fund in "gf" else D("0.00"),
            "一般公共预算拨款收入": own if fund == "g" else D("0.00"),
            "政府性基金预算拨款收入": own if fund == "f" else D("0.00"),
            "事业收入": own if fund == "s" else D("0.00"),
            "上年结转结余": extra,
        }
        b03[code] = {"本年预算数": total, "基本支出": m(staff + office), "项目支出": m(project)}
        if fund == "g":
            now, before = total, p(staff + office + project)
            b05[code] = {
                "本年预算数": now,
                "基本支出": m(staff + office),
                "人员经费": m(staff),
                "公用经费": m(office),
                "项目支出": m(project),
                "上年预算数": before,
                "增减": now - before,
            }
        if fund == "f":
            b08[code] = {"本年预算数": total, "基本支出": D("0.00"), "项目支出": total}

    classes = _tree({c: {"v": v["本年预算数"]} for c, v in b03.items()})
    gpb_classes = _tree({c: {"v": v["本年预算数"]} for c, v in b05.items()})
    fund_classes = _tree({c: {"v": v["本年预算数"]} for c, v in b08.items()})
    prior_classes = _tree({c: {"v": p(sum(_ITEMS[c][:3]))} for c in b03})

    def fixed(key: str, side: str, now: Decimal | None, before: Decimal | None = None) -> Row:
        return Row(key, key, _cells(本年预算数=now, 上年预算数=before), None, side)

    b01_rows = [
        fixed("财政拨款收入", "收入", fiscal, p_total := p_sum(by_fund, "gf", scale)),
        fixed("一般公共预算拨款收入", "收入", by_fund["g"], p_sum(by_fund, "g", scale)),
        fixed("政府性基金预算拨款收入", "收入", by_fund["f"], p_sum(by_fund, "f", scale)),
        fixed("事业收入", "收入", by_fund["s"], p_sum(by_fund, "s", scale)),
        fixed("本年收入合计", "收入", income, p_total + p_sum(by_fund, "s", scale)),
        fixed("上年结转结余", "收入", carry_m, p(carry)),
        fixed("收入总计", "收入", grand, p_total + p_sum(by_fund, "s", scale) + p(carry)),
    ]
    for code, v in classes.items():
        if len(code) == 3:
            b01_rows.append(
                Row(
                    code,
                    _name(code, year),
                    _cells(本年预算数=v["v"], 上年预算数=prior_classes[code]["v"]),
                    code,
                    "支出",
                )
            )
    prior_total = sum((v["v"] for c, v in prior_classes.items() if len(c) == 3), D("0.00"))
    b01_rows += [
        fixed("本年支出合计", "支出", grand, prior_total),
        fixed("年终结转结余", "支出", D("0.00"), D("0.00")),
        fixed("支出总计", "支出", grand, prior_total),
    ]

    b04_rows = [
        fixed("一般公共预算拨款收入", "收入", by_fund["g"]),
        fixed("政府性基金预算拨款收入", "收入", by_fund["f"]),
        fixed("国有资本经营预算拨款收入", "收入", D("0.00")),
        fixed("本年收入合计", "收入", fiscal),
        fixed("上年结转结余", "收入", carry_m),
        fixed("上年结转/一般公共预算拨款收入", "收入", carry_m),
        fixed("上年结转/政府性基金预算拨款收入", "收入", D("0.00")),
        fixed("上年结转/国有资本经营预算拨款收入", "收入", D("0.00")),
        fixed("收入总计", "收入", fiscal + carry_m),
    ]
    for code in (c for c in classes if len(c) == 3):
        general = gpb_classes.get(code, {}).get("v", D("0.00"))
        fund = fund_classes.get(code, {}).get("v", D("0.00"))
        if general or fund:
            b04_rows.append(
                Row(
                    code,
                    _name(code, year),
                    _cells(本年预算数=general + fund, 一般公共预算=general, 政府性基金预算=fund),
                    code,
                    "支出",
                )
            )
    b04_rows += [
        Row(
            "本年支出合计",
            "本年支出合计",
            _cells(
                本年预算数=fiscal + carry_m, 一般公共预算=gpb_spend, 政府性基金预算=by_fund["f"]
            ),
            None,
            "支出",
        ),
        Row("年终结转结余", "年终结转结余", _cells(本年预算数=D("0.00")), None, "支出"),
        Row(
            "支出总计",
            "支出总计",
            _cells(
                本年预算数=fiscal + carry_m, 一般公共预算=gpb_spend, 政府性基金预算=by_fund["f"]
            ),
            None,
            "支出",
        ),
    ]

    econ = {
        c: {
            "本年预算数": m(v),
            "人员经费": m(v) if c.startswith("301") else D("0.00"),
            "公用经费": m(v) if c.startswith("302") else D("0.00"),
        }
        for c, v in _ECONOMIC.items()
    }
    b06 = _classified(TableId.B06, year, econ)
    staff_total = sum((m(v) for c, v in _ECONOMIC.items() if c.startswith("301")), D("0.00"))
    office_total = sum((m(v) for c, v in _ECONOMIC.items() if c.startswith("302")), D("0.00"))
    b06 = Table(
        TableId.B06,
        TableStatus.PRESENT,
        unit=Unit.YUAN,
        rows=(
            *b06.rows,
            Row("人员经费合计", "人员经费合计", _cells(本年预算数=staff_total)),
            Row("公用经费合计", "公用经费合计", _cells(本年预算数=office_total)),
        ),
    )
    operations = {
        c: {"本年预算数": v["本年预算数"]} for c, v in econ.items() if c.startswith("302")
    }

    sangong: dict[str, Decimal] = {}
    for part, (abroad, buy, run, reception, meeting, training) in _SANGONG.items():
        f = m if part == "本年预算数" else p
        vehicle = f(buy) + f(run)
        total = f(abroad) + vehicle + f(reception)
        sangong |= {
            f"{part}/因公出国（境）费": f(abroad),
            f"{part}/公务用车购置费": f(buy),
            f"{part}/公务用车运行费": f(run),
            f"{part}/公务用车购置及运行费": vehicle,
            f"{part}/公务接待费": f(reception),
            f"{part}/合计": total,
            f"{part}/会议费": f(meeting),
            f"{part}/培训费": f(training),
            f"{part}/总计": total + f(meeting) + f(training),
        }
    for key in [k for k in sangong if k.startswith("本年预算数/")]:
        item = key.split("/", 1)[1]
        sangong[f"增减/{item}"] = sangong[key] - sangong[f"上年预算数/{item}"]

    tables = {
        TableId.B01: Table(TableId.B01, TableStatus.PRESENT, unit=Unit.YUAN, rows=tuple(b01_rows)),
        TableId.B02: _classified(TableId.B02, year, b02),
        TableId.B03: _classified(TableId.B03, year, b03),
        TableId.B04: Table(TableId.B04, TableStatus.PRESENT, unit=Unit.YUAN, rows=tuple(b04_rows)),
        TableId.B05: _classified(TableId.B05, year, b05),
        TableId.B06: b06,
        TableId.B07: Table(
            TableId.B07,
            TableStatus.PRESENT,
            unit=Unit.YUAN,
            rows=(Row("三公经费", "“三公”经费", {k: Cell(v) for k, v in sangong.items()}),),
        ),
        TableId.B08: _classified(TableId.B08, year, b08),
        TableId.B09: Table(
            TableId.B09,
            TableStatus.EMPTY,
            unit=Unit.YUAN,
            rows=(Row("合计", "合计", _cells(本年预算数=None)),),
            note="注：本部门无国有资本经营预算财政拨款安排的支出，本表无数据。",
        ),
        TableId.B10: _classified(
            TableId.B10,
            year,
            {c: {"本年预算数": v["本年预算数"]} for c, v in {**b05, **b08}.items()},
        ),
        TableId.B11: _classified(TableId.B11, year, econ),
        TableId.B13: _classified(TableId.B13, year, operations),
        TableId.B15: _classified(TableId.B15, year, econ),
        TableId.B18: _classified(
            TableId.B18,
            year,
            {
                c: {
                    "本年预算数": v["基本支出"],
                    "人员经费": v["人员经费"],
                    "公用经费": v["公用经费"],
                }
                for c, v in b05.items()
                if v["基本支出"]
            },
        ),
        TableId.B14: Table(
            TableId.B14,
            TableStatus.PRESENT,
            unit=Unit.YUAN,
            rows=(
                Row("合计", "合计", _cells(本年预算数=m(30000))),
                Row("货物", "A-货物", _cells(本年预算数=m(20000))),
                Row("服务", "C-服务", _cells(本年预算数=m(10000))),
            ),
        ),
    }
    return Report(
        unit_name=unit_name,
        year=year,
        tables=tables,
        kind=DocumentKind.DEPARTMENT_BUDGET,
        source_file=f"{unit_name}{year}年部门预算.json",
    )


def p_sum(by_fund: dict[str, Decimal], funds: str, scale: Decimal) -> Decimal:
    """Last year's budget of the named funds (the lines of :data:`_ITEMS` at 90 %)."""
    total = D("0.00")
    for _code, (staff, office, project, fund) in _ITEMS.items():
        if fund in funds:
            total += _m(staff + office + project, scale * _PRIOR_SHARE)
    if "g" in funds:
        total -= _m(_CARRY[1], scale * _PRIOR_SHARE)
    return total
