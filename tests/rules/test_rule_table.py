"""Every rule: declared once, documented, renders its message, and has a passing and a failing
case. The cases start from seed 002 (a real report whose tables are consistent in 元) and change
only the cells the rule reads."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from juesuan.model import edit
from juesuan.model.layout import FINAL_TABLES, TableId
from juesuan.model.report import Report, UnreadCell
from juesuan.model.tables import Cell, Row, TableStatus
from juesuan.rules.declarations import all_rules, builtin_rules, rules_markdown
from juesuan.rules.engine import evaluate
from juesuan.rules.finding import Severity
from juesuan.rules.kinds import KINDS
from tests.conftest import REPO

D = Decimal
ONE = D("1.00")
Edit = Callable[[Report], Report]


def add(table: str, row: str, column: str, delta: Decimal = ONE) -> Edit:
    return lambda r: edit.add_to_cell(r, table, row, column, delta)


def put(table: str, row: str, column: str, value: str) -> Edit:
    return lambda r: edit.set_cell(r, table, row, column, D(value))


def both(*edits: Edit) -> Edit:
    def run(r: Report) -> Report:
        for e in edits:
            r = e(r)
        return r

    return run


def new_row(table: str, key: str, label: str, **cells: str) -> Edit:
    row = Row(key, label, {k.replace("__", "/"): Cell(D(v)) for k, v in cells.items()}, key)
    return lambda r: edit.add_row(r, table, row)


def same(r: Report) -> Report:
    return r


G, F, C = "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"

# rule id → (edit that keeps it passing, edit that breaks it, severity expected when broken)
CASES: dict[str, tuple[Edit, Edit, Severity]] = {
    "T01.inc_total": (same, add("01", "其他收入", "决算数"), Severity.ERROR),
    "T01.inc_grand": (same, add("01", "年初结转和结余", "决算数"), Severity.ERROR),
    "T01.exp_total": (same, add("01", "205", "决算数"), Severity.ERROR),
    "T01.exp_grand": (same, add("01", "年末结转和结余", "决算数"), Severity.ERROR),
    "T01.balance": (same, add("01", "收入总计", "决算数"), Severity.ERROR),
    "T02.row": (same, add("02", "2050803", "财政拨款收入"), Severity.ERROR),
    "T02.tree": (
        same,
        both(add("02", "2050803", "本年收入合计"), add("02", "2050803", "财政拨款收入")),
        Severity.ERROR,
    ),
    "T03.row": (same, add("03", "2080108", "项目支出"), Severity.ERROR),
    "T03.tree": (
        same,
        both(add("03", "2080108", "本年支出合计"), add("03", "2080108", "项目支出")),
        Severity.ERROR,
    ),
    "T04.inc_total": (same, add("04", "本年收入合计", "决算数"), Severity.ERROR),
    "T04.opening": (same, add("04", "年初/一般公共预算财政拨款", "决算数"), Severity.ERROR),
    "T04.inc_grand": (same, add("04", "收入总计", "决算数"), Severity.ERROR),
    "T04.row": (same, add("04", "205", "合计"), Severity.ERROR),
    "T04.exp_total": (same, both(add("04", "205", "合计"), add("04", "205", G)), Severity.ERROR),
    "T04.exp_grand": (same, add("04", "支出总计", "合计"), Severity.ERROR),
    "T04.balance": (same, add("04", "收入总计", "决算数"), Severity.ERROR),
    "T04.fund_balance.general": (same, add("04", "年末财政拨款结转和结余", G), Severity.ERROR),
    "T04.fund_balance.fund": (same, put("04", "年末财政拨款结转和结余", F, "1.00"), Severity.ERROR),
    "T04.fund_balance.capital": (
        same,
        put("04", "年末财政拨款结转和结余", C, "1.00"),
        Severity.ERROR,
    ),
    "T05.row": (same, add("05", "2080108", "项目支出"), Severity.ERROR),
    "T05.tree": (
        same,
        both(add("05", "2080108", "合计"), add("05", "2080108", "项目支出")),
        Severity.ERROR,
    ),
    "T06.items": (same, add("06", "30101", "决算数"), Severity.ERROR),
    "T06.personnel": (same, add("06", "人员经费合计", "决算数"), Severity.ERROR),
    "T06.public": (same, add("06", "公用经费合计", "决算数"), Severity.ERROR),
    "T06.total": (
        lambda r: edit.add_row(r, "06", Row("合计", "合计", {"决算数": Cell(D("1612217.54"))})),
        lambda r: edit.add_row(r, "06", Row("合计", "合计", {"决算数": Cell(D("1612218.54"))})),
        Severity.ERROR,
    ),
    "T07.vehicles.budget": (same, add("07", "三公经费", "预算数/公务用车购置费"), Severity.ERROR),
    "T07.vehicles.final": (same, add("07", "三公经费", "决算数/公务用车购置费"), Severity.ERROR),
    "T07.total.budget": (same, add("07", "三公经费", "预算数/合计"), Severity.ERROR),
    "T07.total.final": (same, add("07", "三公经费", "决算数/合计"), Severity.ERROR),
    "T08.row": (same, put("08", "合计", "年初结转和结余", "1.00"), Severity.ERROR),
    "T08.spending": (same, put("08", "合计", "本年支出/基本支出", "1.00"), Severity.ERROR),
    "T08.tree": (
        same,
        new_row(
            "08",
            "212",
            "城乡社区支出",
            本年收入="1.00",
            本年支出__合计="1.00",
            本年支出__基本支出="1.00",
        ),
        Severity.ERROR,
    ),
    "T09.row": (same, put("09", "合计", "年初结转和结余", "1.00"), Severity.ERROR),
    "T09.spending": (same, put("09", "合计", "本年支出/项目支出", "1.00"), Severity.ERROR),
    "T09.tree": (
        same,
        new_row(
            "09",
            "223",
            "国有资本经营预算支出",
            本年收入="1.00",
            本年支出__合计="1.00",
            本年支出__项目支出="1.00",
        ),
        Severity.ERROR,
    ),
    "Tx.nonnegative": (same, put("01", "结余分配", "决算数", "-1.00"), Severity.WARNING),
    "X01": (same, add("02", "合计", "本年收入合计"), Severity.ERROR),
    "X02.fiscal": (same, add("01", "一般公共预算财政拨款收入", "决算数"), Severity.ERROR),
    "X02.superior": (same, add("01", "上级补助收入", "决算数"), Severity.ERROR),
    "X02.business": (same, add("01", "事业收入", "决算数"), Severity.ERROR),
    "X02.operating": (same, add("01", "经营收入", "决算数"), Severity.ERROR),
    "X02.affiliated": (same, add("01", "附属单位上缴收入", "决算数"), Severity.ERROR),
    "X02.other": (same, add("01", "其他收入", "决算数"), Severity.ERROR),
    "X03": (same, add("03", "合计", "本年支出合计"), Severity.ERROR),
    "X03.class": (same, add("03", "208", "本年支出合计"), Severity.ERROR),
    "X04": (same, add("04", "本年收入合计", "决算数"), Severity.ERROR),
    "X04.general": (same, add("04", G, "决算数"), Severity.ERROR),
    "X04.fund": (same, put("04", F, "决算数", "1.00"), Severity.ERROR),
    "X04.capital": (same, put("04", C, "决算数", "1.00"), Severity.ERROR),
    "X05": (same, add("05", "合计", "合计"), Severity.ERROR),
    "X05.class": (same, add("05", "208", "合计"), Severity.ERROR),
    "X06.spending": (same, put("08", "合计", "本年支出/合计", "1.00"), Severity.ERROR),
    "X06.income": (same, put("08", "合计", "本年收入", "1.00"), Severity.ERROR),
    "X06.opening": (same, put("08", "合计", "年初结转和结余", "1.00"), Severity.ERROR),
    "X06.closing": (same, put("08", "合计", "年末结转和结余", "1.00"), Severity.ERROR),
    "X07.spending": (same, put("09", "合计", "本年支出/合计", "1.00"), Severity.ERROR),
    "X07.income": (same, put("09", "合计", "本年收入", "1.00"), Severity.ERROR),
    "X07.opening": (same, put("09", "合计", "年初结转和结余", "1.00"), Severity.ERROR),
    "X07.closing": (same, put("09", "合计", "年末结转和结余", "1.00"), Severity.ERROR),
    "X08": (same, add("05", "合计", "基本支出"), Severity.ERROR),
    "X09": (same, add("05", "2050803", "基本支出"), Severity.WARNING),
    "X10.closing": (same, put("04", "年末财政拨款结转和结余", "合计", "200.00"), Severity.WARNING),
    "X10.opening": (
        same,
        put("04", "年初财政拨款结转和结余", "决算数", "200.00"),
        Severity.WARNING,
    ),
    "X11": (same, lambda r: edit.remove_row(r, "03", "2080599"), Severity.NOTICE),
    "X12.abroad": (same, put("06", "30212", "决算数", "5.00"), Severity.WARNING),
    "X12.reception": (same, put("06", "30217", "决算数", "5.00"), Severity.WARNING),
    "X12.vehicle_running": (same, put("06", "30231", "决算数", "5.00"), Severity.WARNING),
    "X12.vehicle_purchase": (same, put("06", "31013", "决算数", "5.00"), Severity.WARNING),
    "X13.pension": (put("06", "30108", "决算数", "74150.04"), same, Severity.WARNING),
    "X13.annuity": (
        same,
        new_row("05", "2080506", "机关事业单位职业年金缴费支出", 合计="5.00", 基本支出="5.00"),
        Severity.WARNING,
    ),
    "X13.medical": (put("05", "21011", "基本支出", "62538.50"), same, Severity.WARNING),
    "X13.housing": (
        same,
        new_row("05", "2210201", "住房公积金", 合计="5.00", 基本支出="5.00"),
        Severity.WARNING,
    ),
    "X14.fund": (same, put("08", "合计", "本年收入", "1.00"), Severity.WARNING),
    "X14.capital": (same, put("09", "合计", "本年收入", "1.00"), Severity.WARNING),
    "C.code_known": (same, lambda r: edit.recode(r, "02", "2080199", "2080177"), Severity.NOTICE),
    "C.code_name": (same, lambda r: edit.relabel(r, "02", "2050803", "信息化建设"), Severity.ERROR),
    "C.code_parent": (same, lambda r: edit.remove_row(r, "03", "20508"), Severity.WARNING),
    "C.tables_present": (
        same,
        lambda r: edit.set_table(r, "05", status=TableStatus.ABSENT, rows=()),
        Severity.ERROR,
    ),
    "Tx.empty_note": (same, lambda r: edit.set_table(r, "08", note=None), Severity.WARNING),
    "C.unread": (
        same,
        lambda r: replace(
            r, unread_cells=(UnreadCell(TableId.T05, "2080505", "合计", "2,170,O14.34"),)
        ),
        Severity.WARNING,
    ),
}

RULES = {r.id: r for r in builtin_rules()}


def test_every_rule_has_cases() -> None:
    assert sorted(RULES) == sorted(CASES), "add a passing and a failing case for each rule"


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes_and_fails(rule_id: str, seed002: Report) -> None:
    rule = RULES[rule_id]
    passing, failing, severity = CASES[rule_id]
    ok = [
        f
        for f in evaluate(passing(seed002), [rule])
        if f.severity in (Severity.ERROR, Severity.WARNING)
    ]
    assert ok == [], f"{rule_id} should pass: {[f.message for f in ok]}"
    broken = evaluate(failing(seed002), [rule])
    assert any(f.severity is severity for f in broken), (
        f"{rule_id} should report a {severity.value}: "
        f"{[(f.severity.value, f.message) for f in broken]}"
    )


@pytest.mark.parametrize("rule_id", sorted(r.id for r in all_rules()))
def test_message_template_uses_only_declared_fields(rule_id: str) -> None:
    rule = {r.id: r for r in all_rules()}[rule_id]
    fields = KINDS[rule.kind].fields
    used = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
    assert used <= set(fields), f"{rule_id} uses {used - set(fields)}"
    assert rule.message.format_map({f: "x" for f in fields})
    assert rule.basis, f"{rule_id} has no basis"


def test_rule_docs_are_current() -> None:
    doc = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert doc == rules_markdown(all_rules()), "run `make docs` to regenerate docs/rules.md"


def test_parent_rule_respects_single_level_layouts(seed002: Report) -> None:
    """A table that prints only 项 rows (no 类/款 subtotals) is a layout, not 16 missing parents;
    a missing 款 where the table prints 款 rows elsewhere is still reported."""
    rule = RULES["C.code_parent"]
    only_items = seed002
    for key in [r.key for r in seed002.table("03").rows if r.code and len(r.code) < 7]:
        only_items = edit.remove_row(only_items, "03", key)
    assert evaluate(only_items, [rule]) == []
    one_gap = edit.remove_row(seed002, "03", "20805")
    assert [f.location.row for f in evaluate(one_gap, [rule])] == ["2080505", "2080599"]


def test_fund_sub_rows_of_closing_balance_are_not_row_sums(seed002: Report) -> None:
    rule = RULES["T04.row"]
    row = Row(
        "年末/一般公共预算财政拨款", "一般公共预算财政拨款", {"合计": Cell(D("0.00"))}, side="支出"
    )
    assert evaluate(edit.add_row(seed002, "04", row), [rule]) == []


def test_present_narrative_only_file_is_one_notice_not_nine_errors(seed002: Report) -> None:
    """A crawled page holds the 情况说明 and its tables were attachments: one INFO saying the
    tables are not in this file, not nine missing-table errors."""
    rule = RULES["C.tables_present"]
    tables = {
        t: edit.set_table(seed002, t.value, status=TableStatus.ABSENT, rows=()).table(t)
        for t in FINAL_TABLES
    }
    narrative_only = replace(seed002, tables=tables)
    found = evaluate(narrative_only, [rule])
    assert [(f.severity, "公开表不在本文件中" in f.message) for f in found] == [
        (Severity.INFO, True)
    ]
    nothing = replace(narrative_only, sections=())
    found = evaluate(nothing, [rule])
    assert [(f.severity, "无可核对的内容" in f.message) for f in found] == [
        (Severity.WARNING, True)
    ]


def test_present_image_table_is_info_and_empty_note_is_enough(seed002: Report) -> None:
    rule = RULES["C.tables_present"]
    image = edit.set_table(seed002, "05", status=TableStatus.TITLE_ONLY, rows=(), note=None)
    assert [f.severity for f in evaluate(image, [rule])] == [Severity.INFO]
    noted = edit.set_table(
        seed002,
        "07",
        status=TableStatus.TITLE_ONLY,
        rows=(),
        note="说明：本单位没有三公经费，故本表无数据。",
    )
    assert evaluate(noted, [rule]) == []
