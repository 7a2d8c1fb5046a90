"""Every budget rule (rules/builtin/budget_*.toml): a passing and a failing case, starting from
a consistent generated 部门预算 (tests/budget_synth.py) and changing only the cells the rule
reads; and the region-specific forms of the identities (a part printed instead of its
breakdown, a subtotal not printed, a column a region does not print, rounding in 万元 and in
whole 元)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from juesuan.model import edit
from juesuan.model.amount import Unit
from juesuan.model.layout import TableId
from juesuan.model.report import Report, UnreadCell
from juesuan.model.tables import Cell, Row, TableStatus
from juesuan.rules.declarations import budget_rules
from juesuan.rules.engine import evaluate
from juesuan.rules.finding import Severity
from tests.budget_synth import generate_budget

D = Decimal
ONE = D("1.00")
Edit = Callable[[Report], Report]


def add(table: str, row: str, column: str, delta: Decimal = ONE) -> Edit:
    return lambda r: edit.add_to_cell(r, table, row, column, delta)


def put(table: str, row: str, column: str, value: str | None) -> Edit:
    return lambda r: edit.set_cell(r, table, row, column, None if value is None else D(value))


def drop(table: str, row: str) -> Edit:
    return lambda r: edit.remove_row(r, table, row)


def both(*edits: Edit) -> Edit:
    def run(r: Report) -> Report:
        for e in edits:
            r = e(r)
        return r

    return run


def drop_column(table: str, column: str) -> Edit:
    """The table as a region that does not print this column prints it."""

    def run(r: Report) -> Report:
        t = r.table(table)
        rows = tuple(
            replace(row, cells={k: v for k, v in row.cells.items() if k != column})
            for row in t.rows
        )
        return r.with_table(replace(t, rows=rows))

    return run


def new_row(table: str, key: str, label: str, code: str | None = None, **cells: str) -> Edit:
    row = Row(key, label, {k.replace("__", "/"): Cell(D(v)) for k, v in cells.items()}, code)

    def run(r: Report) -> Report:
        r = edit.add_row(r, table, row)
        return edit.set_table(r, table, status=TableStatus.PRESENT)

    return run


def same(r: Report) -> Report:
    return r


def every_row(table: str, column: str, value: Callable[[Row], Decimal | None]) -> Edit:
    """The column printed on every row, as a region that prints it does."""

    def run(r: Report) -> Report:
        for row in r.table(table).rows:
            r = edit.set_cell(r, table, row.key, column, value(row))
        return r

    return run


def _basic(row: Row) -> Decimal | None:
    return row.value("基本支出")


def basic_and_project(r: Report) -> Report:
    """收支总表 支出 printed by 基本支出 and 项目支出 (上海's 市级单位预算): from the 支出总表."""
    b03 = r.table("B03")
    for row in r.table("B01").rows:
        if row.side != "支出":
            continue
        source = b03.row(row.code or "合计") if row.key != "年终结转结余" else None
        for column in ("基本支出", "项目支出"):
            value = source.value(column) if source is not None else D("0.00")
            r = edit.set_cell(r, "B01", row.key, column, value)
    return r


def unread(r: Report) -> Report:
    return replace(r, unread_cells=(UnreadCell(TableId.B03, "2010101", "基本支出", "5O0,000.00"),))


N = "本年预算数"
G = "一般公共预算"
# rule id → (edit that keeps it passing, edit that breaks it, severity expected when broken)
CASES: dict[str, tuple[Edit, Edit, Severity]] = {
    "B01.inc_total": (same, add("B01", "事业收入", N), Severity.ERROR),
    "B01.fiscal": (same, add("B01", "一般公共预算拨款收入", N), Severity.ERROR),
    "B01.inc_grand": (same, add("B01", "上年结转结余", N), Severity.ERROR),
    "B01.inc_grand_sources": (
        drop("B01", "本年收入合计"),
        both(drop("B01", "本年收入合计"), add("B01", "事业收入", N)),
        Severity.ERROR,
    ),
    "B01.exp_total": (same, add("B01", "201", N), Severity.ERROR),
    "B01.exp_grand": (same, add("B01", "年终结转结余", N), Severity.ERROR),
    "B01.exp_grand_classes": (
        drop("B01", "本年支出合计"),
        both(drop("B01", "本年支出合计"), add("B01", "201", N)),
        Severity.ERROR,
    ),
    "B01.balance": (same, add("B01", "收入总计", N), Severity.ERROR),
    "B01.row": (
        basic_and_project,
        both(basic_and_project, add("B01", "201", "项目支出")),
        Severity.ERROR,
    ),
    "B01.change": (
        put("B01", "201", "增减", "70000.00"),
        put("B01", "201", "增减", "70001.00"),
        Severity.ERROR,
    ),
    "B02.row": (same, add("B02", "2010101", N), Severity.ERROR),
    "B02.income": (
        put("B02", "合计", "本年收入", "880000.00"),
        put("B02", "合计", "本年收入", "880001.00"),
        Severity.ERROR,
    ),
    "B02.fiscal": (same, add("B02", "2010101", "一般公共预算拨款收入"), Severity.ERROR),
    "B02.tree": (same, add("B02", "2010101", N), Severity.ERROR),
    "B03.row": (same, add("B03", "2010101", "基本支出"), Severity.ERROR),
    "B03.basic": (
        every_row("B03", "基本支出/人员经费", _basic),
        both(
            every_row("B03", "基本支出/人员经费", _basic),
            add("B03", "2010150", "基本支出/公用经费"),
        ),
        Severity.ERROR,
    ),
    "B03.tree": (same, add("B03", "2010101", "基本支出"), Severity.ERROR),
    "B04.inc_total": (same, add("B04", "政府性基金预算拨款收入", N), Severity.ERROR),
    "B04.opening": (same, add("B04", "上年结转/一般公共预算拨款收入", N), Severity.ERROR),
    "B04.inc_grand": (same, add("B04", "上年结转结余", N), Severity.ERROR),
    "B04.inc_grand_funds": (
        drop("B04", "本年收入合计"),
        both(drop("B04", "本年收入合计"), add("B04", "一般公共预算拨款收入", N)),
        Severity.ERROR,
    ),
    "B04.exp_total": (same, add("B04", "201", N), Severity.ERROR),
    "B04.exp_grand": (same, add("B04", "年终结转结余", N), Severity.ERROR),
    "B04.exp_grand_classes": (
        drop("B04", "本年支出合计"),
        both(drop("B04", "本年支出合计"), add("B04", "201", N)),
        Severity.ERROR,
    ),
    "B04.balance": (same, add("B04", "收入总计", N), Severity.ERROR),
    "B04.row": (same, add("B04", "201", G), Severity.ERROR),
    "B05.row": (same, add("B05", "2010101", "项目支出"), Severity.ERROR),
    "B05.basic": (same, add("B05", "2010101", "人员经费"), Severity.ERROR),
    "B05.change": (same, add("B05", "2010101", "增减"), Severity.ERROR),
    "B05.tree": (same, add("B05", "2010101", "人员经费"), Severity.ERROR),
    "B06.row": (same, add("B06", "30101", "人员经费"), Severity.ERROR),
    "B06.tree": (same, add("B06", "30101", N), Severity.ERROR),
    "B06.parts": (same, add("B06", "人员经费合计", N), Severity.ERROR),
    "B07.total": (same, add("B07", "三公经费", "本年预算数/公务接待费"), Severity.ERROR),
    "B07.vehicle": (same, add("B07", "三公经费", "本年预算数/公务用车运行费"), Severity.ERROR),
    "B07.grand": (same, add("B07", "三公经费", "本年预算数/会议费"), Severity.ERROR),
    "B07.prior_total": (same, add("B07", "三公经费", "上年预算数/公务接待费"), Severity.ERROR),
    "B07.prior_vehicle": (
        same,
        add("B07", "三公经费", "上年预算数/公务用车运行费"),
        Severity.ERROR,
    ),
    "B07.change": (same, add("B07", "三公经费", "增减/合计"), Severity.ERROR),
    "B08.row": (same, add("B08", "2120801", "项目支出"), Severity.ERROR),
    "B08.tree": (same, add("B08", "2120801", N), Severity.ERROR),
    "B09.row": (
        same,
        new_row(
            "B09",
            "2230101",
            "国有企业资本金注入",
            "2230101",
            本年预算数="10.00",
            基本支出="0.00",
            项目支出="9.00",
        ),
        Severity.ERROR,
    ),
    "B09.tree": (
        same,
        both(
            new_row("B09", "223", "国有资本经营预算支出", "223", 本年预算数="10.00"),
            new_row("B09", "22301", "解决历史遗留问题及改革成本支出", "22301", 本年预算数="9.00"),
        ),
        Severity.ERROR,
    ),
    "B10.tree": (same, add("B10", "2010101", N), Severity.ERROR),
    "B11.tree": (same, add("B11", "30101", N), Severity.ERROR),
    "B13.tree": (same, add("B13", "30201", N), Severity.ERROR),
    "B14.total": (same, add("B14", "货物", N), Severity.ERROR),
    "B15.tree": (same, add("B15", "30101", N), Severity.ERROR),
    "B18.row": (same, add("B18", "2010101", "人员经费"), Severity.ERROR),
    "B18.tree": (same, add("B18", "2010101", N), Severity.ERROR),
    "XB01.income": (same, add("B02", "合计", N), Severity.ERROR),
    "XB01.expenditure": (same, add("B03", "合计", N), Severity.ERROR),
    "XB01.class": (same, add("B01", "201", N), Severity.ERROR),
    "XB02.class": (same, add("B02", "201", N), Severity.WARNING),
    "XB04.income": (same, add("B04", "收入总计", N, D("100000.00")), Severity.ERROR),
    "XB04.general": (same, add("B04", "201", G), Severity.ERROR),
    "XB04.gpb_total": (same, add("B05", "合计", N), Severity.ERROR),
    "XB04.gpb_total_grand": (
        drop("B04", "本年支出合计"),
        both(drop("B04", "本年支出合计"), add("B05", "合计", N)),
        Severity.ERROR,
    ),
    "XB04.fund": (same, add("B08", "合计", N), Severity.ERROR),
    "XB04.capital": (
        put("B04", "本年支出合计", "国有资本经营预算", "0.00"),
        both(
            put("B04", "本年支出合计", "国有资本经营预算", "0.00"),
            put("B09", "合计", N, "1.00"),
        ),
        Severity.ERROR,
    ),
    "XB05.basic": (same, add("B06", "合计", N), Severity.ERROR),
    "XB05.basic_parts": (
        drop_column("B05", "基本支出"),
        both(drop_column("B05", "基本支出"), add("B06", "合计", N)),
        Severity.ERROR,
    ),
    "XB05.within_all": (same, add("B05", "2010101", N, D("100000.00")), Severity.WARNING),
    "CB.tables_present": (
        same,
        lambda r: edit.set_table(r, "B08", status=TableStatus.ABSENT, rows=()),
        Severity.WARNING,
    ),
    "CB.empty_note": (same, lambda r: edit.set_table(r, "B09", note=None), Severity.NOTICE),
    "CB.unread": (same, unread, Severity.WARNING),
    "CB.code_known": (same, lambda r: edit.recode(r, "B03", "2010150", "2019998"), Severity.NOTICE),
    "CB.code_name": (
        same,
        lambda r: edit.relabel(r, "B03", "2010101", "一般行政管理事务"),
        Severity.ERROR,
    ),
    "CB.code_parent": (same, drop("B03", "20101"), Severity.WARNING),
}

RULES = {r.id: r for r in budget_rules()}


def test_every_budget_rule_has_cases() -> None:
    assert sorted(RULES) == sorted(CASES), "add a passing and a failing case for each rule"


def test_the_generated_budget_breaks_no_rule() -> None:
    assert evaluate(generate_budget(), list(RULES.values())) == []


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_budget_rule_passes_and_fails(rule_id: str) -> None:
    rule = RULES[rule_id]
    passing, failing, severity = CASES[rule_id]
    budget = generate_budget()
    ok = [
        f
        for f in evaluate(passing(budget), [rule])
        if f.severity in (Severity.ERROR, Severity.WARNING)
    ]
    assert ok == [], f"{rule_id} should pass: {[f.message for f in ok]}"
    broken = evaluate(failing(budget), [rule])
    assert any(f.severity is severity for f in broken), (
        f"{rule_id} should report a {severity.value}: "
        f"{[(f.severity.value, f.message) for f in broken]}"
    )


# --- the forms the regions print -----------------------------------------------------------


def _errors(report: Report) -> list[str]:
    return [
        f.rule_id for f in evaluate(report, list(RULES.values())) if f.severity is Severity.ERROR
    ]


def test_the_funds_printed_without_their_total_still_sum() -> None:
    """北京 prints 一般公共预算拨款收入 … without a 财政拨款收入 line: the funds are the parts."""
    budget = drop("B01", "财政拨款收入")(generate_budget())
    assert _errors(budget) == []
    assert "B01.inc_total" in _errors(add("B01", "一般公共预算拨款收入", N)(budget))


def test_a_column_the_region_does_not_print_is_not_a_break() -> None:
    """北京's 财政拨款收支总表 prints one 预算数 column: no fund columns, no fund identities."""
    budget = generate_budget()
    for column in (G, "政府性基金预算"):
        budget = drop_column("B04", column)(budget)
    assert _errors(budget) == []


def test_rounding_in_wan_yuan_is_a_notice() -> None:
    """A 万元 table whose 项 miss their 类 by 0.01 prints figures rounded cell by cell."""
    budget = edit.set_table(generate_budget(), "B05", unit=Unit.WAN_YUAN)
    for row in budget.table(TableId.B05).rows:
        budget = edit.set_cell(
            budget, "B05", row.key, N, (row.value(N) or D(0)) / D(10000)
        )  # the figures as 万元 with many decimals …
    rounded = budget
    for row in budget.table(TableId.B05).rows:
        value = row.value(N)
        assert value is not None
        rounded = edit.set_cell(rounded, "B05", row.key, N, value.quantize(D("0.01")))
    rounded = edit.add_to_cell(rounded, "B05", "201", N, D("0.01"))  # … a 0.01 rounding break
    tree = [f for f in evaluate(rounded, [RULES["B05.tree"]]) if f.location.column == N]
    assert tree and all(f.severity is Severity.NOTICE for f in tree)


def test_whole_yuan_figures_stand_for_half_a_yuan() -> None:
    """上海 prints whole 元 (22,118,861) for a total whose parts print 角分: a notice."""
    budget = put("B03", "合计", "基本支出", "710000.34")(generate_budget())
    budget = put("B03", "2010101", "基本支出", "500000.34")(budget)
    budget = put("B03", "201", "基本支出", "560000")(budget)  # printed to the 元
    budget = put("B03", "20101", "基本支出", "560000")(budget)
    found = evaluate(budget, [RULES["B03.tree"]])
    assert found and all(f.severity is Severity.NOTICE for f in found), [f.message for f in found]


def test_a_table_numbered_apart_from_the_official_list_is_one_warning() -> None:
    # 上海 1001 (2024 单位预算): 30202 咨询费, 30203 水费, 30204 电费 … — the table's own
    # numbering of its items, said once as a warning, not eight errors
    report = generate_budget(2025)
    for code, name in (
        ("30101", "津贴补贴"),
        ("30201", "印刷费"),
        ("30211", "办公费"),
        ("30217", "咨询费"),
        ("30231", "水费"),
    ):
        report = edit.relabel(report, "B06", code, name)
    rule = next(r for r in budget_rules() if r.id == "CB.code_name")
    found = evaluate(report, [rule])
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "似按自己的编号列示" in found[0].message
    one = edit.relabel(generate_budget(2025), "B06", "30201", "印刷费")
    assert [f.severity for f in evaluate(one, [rule])] == [Severity.ERROR]
