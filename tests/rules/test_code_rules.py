"""C.code_known and C.code_name on real-looking rows: a code or name our list lacks is never an
error; a name that is another code's, or unlike the official one, still is reported.

Each case is a row as a published report prints it (the year and table say where such rows were
seen); the report holds only that table, so that the two rules speak only of that row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.model.tables import Cell, Row, Table, TableStatus
from juesuan.rules.declarations import builtin_rules
from juesuan.rules.engine import evaluate
from juesuan.rules.finding import Finding, Severity

RULES = [r for r in builtin_rules() if r.id in ("C.code_known", "C.code_name")]


def report(year: int, table: str, *rows: tuple[str | None, str]) -> Report:
    """A report of ``year`` whose table ``table`` prints ``rows`` (code, name), 1.00 each."""
    tid = TableId(table)
    printed = tuple(
        Row(code or name, name, {"合计": Cell(Decimal("1.00"))}, code) for code, name in rows
    )
    return Report(year=year, tables={tid: Table(tid, TableStatus.PRESENT, rows=printed)})


def findings(r: Report) -> list[tuple[str, Severity, str]]:
    return [(f.rule_id, f.severity, f.message) for f in evaluate(r, RULES)]


def only(r: Report) -> Finding:
    found = evaluate(r, RULES)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def test_codes_the_list_gained_from_the_corpus_pass() -> None:
    """003 (上海市普陀区委社会工作部 2024) prints 20139 社会工作事务 and its 项: they were four
    notices before the harvest."""
    r = report(
        2024,
        "05",
        ("201", "一般公共服务支出"),
        ("20139", "社会工作事务"),
        ("2013901", "行政运行"),
        ("2013950", "事业运行"),
        ("2013999", "其他社会工作事务支出"),
    )
    assert findings(r) == []


def test_a_code_not_in_the_list_for_the_year_is_a_notice_and_its_name_is_not_judged() -> None:
    # 101 (西安市卫生健康委员会 2022) prints 39909 经常性赠与 in 公开06表; no other document does
    f = only(report(2022, "06", ("399", "其他支出"), ("39909", "经常性赠与")))
    assert (f.rule_id, f.severity) == ("C.code_known", Severity.NOTICE)
    assert "39909" in f.message and "未能核对名称" in f.message
    # a code under a 款 whose other 项 are listed: still only a notice (the list may lack it)
    f = only(
        report(2021, "02", ("2080199", "其他人力资源和社会保障管理事务支出"), ("2080177", "其他"))
    )
    assert (f.rule_id, f.severity) == ("C.code_known", Severity.NOTICE)


def test_a_code_the_list_has_in_other_years_only_is_a_notice_that_says_which() -> None:
    # 2013901 is printed from 2024 (after the 2023 reform); a 2023 report printing it
    f = only(report(2023, "03", ("2013901", "行政运行")))
    assert (f.rule_id, f.severity) == ("C.code_known", Severity.NOTICE)
    assert "2024年起" in f.message
    # the name a wrong-year code prints is not judged: nothing from C.code_name
    assert not [
        g
        for g in evaluate(report(2023, "03", ("2013901", "乱写")), RULES)
        if g.rule_id == "C.code_name"
    ]


def test_an_unrecognised_class_name_without_code_is_a_notice() -> None:
    # table 01 prints its 类 rows by name only (一、一般公共服务支出); the reader gives a row whose
    # name the list lacks no code
    row = Row("超长期特别国债安排的支出", "超长期特别国债安排的支出", {}, None, "支出")
    r = Report(
        year=2026, tables={TableId.T01: Table(TableId.T01, TableStatus.PRESENT, rows=(row,))}
    )
    f = only(r)
    assert (f.rule_id, f.severity) == ("C.code_known", Severity.NOTICE)


@pytest.mark.parametrize(
    ("year", "code", "printed", "word"),
    [
        # 江苏 2017–2019, 西安 2019 print 行政事业单位离退休; from 2020 行政事业单位养老支出
        (2024, "20805", "行政事业单位离退休", "旧名称"),
        # 2050302 is 中等职业教育 from 2022 (101); a 2020 report with that name has the newer name
        (2020, "2050302", "中等职业教育", "新名称"),
        # the old class name of 210 in a 2021 report
        (2021, "210", "医疗卫生与计划生育支出", "旧名称"),
    ],
)
def test_the_codes_name_of_another_year_is_a_notice(
    year: int, code: str, printed: str, word: str
) -> None:
    f = only(report(year, "05", (code, printed)))
    assert (f.rule_id, f.severity) == ("C.code_name", Severity.NOTICE)
    assert word in f.message and f.found == printed


def test_another_codes_name_is_an_error_where_our_row_is_printed_in_reports() -> None:
    # 2080505 and 2080506 are printed by every 2024 report: 职业年金 under the 养老保险 code
    f = only(report(2024, "05", ("2080505", "机关事业单位职业年金缴费支出")))
    assert (f.rule_id, f.severity) == ("C.code_name", Severity.ERROR)
    assert "2080506" in f.message and f.expected == "机关事业单位基本养老保险缴费支出"


def test_another_codes_name_is_a_warning_where_our_row_is_only_recalled() -> None:
    # 广州 2026 prints 2013812 药品事务; our recalled 2013812 食品安全监管 and 2013808 药品事务 are
    # likely misnumbered (SOURCES.md): the verdict must not rest on memory alone
    f = only(report(2025, "05", ("2013812", "药品事务")))
    assert (f.rule_id, f.severity) == ("C.code_name", Severity.WARNING)
    assert "2013808" in f.message and "尚未经公开报告核实" in f.message


def test_a_clearly_different_name_is_a_warning() -> None:
    # 西安 2022 budgets truncate names to the cell: 2080505 机关事业单位基本养老
    f = only(report(2022, "05", ("2080505", "机关事业单位基本养老")))
    assert (f.rule_id, f.severity) == ("C.code_name", Severity.WARNING)
    assert f.expected == "机关事业单位基本养老保险缴费支出"


def test_economic_rows_of_table_06() -> None:
    ok = report(2024, "06", ("302", "商品和服务支出"), ("30212", "因公出国(境)费用"))
    assert findings(ok) == []
    swapped = only(report(2024, "06", ("30213", "租赁费")))  # 30214's name
    assert (swapped.rule_id, swapped.severity) == ("C.code_name", Severity.ERROR)
