"""A 预算's 说明 in the wordings of its regions, on a generated consistent budget
(tests/budget_synth.py): each fund's spending and its 基本/项目 split stated in the 财政拨款
section (重庆), one fund's part of the 政府采购 lines after "其中…拨款" (重庆), and shares of
本年支出 when the stated 支出预算 also holds the 年终结转结余 (北京)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from juesuan.model.report import NarrativeSection, Report
from juesuan.narrative.review import review
from juesuan.rules.declarations import narrative_rules
from juesuan.rules.finding import Finding
from tests.budget_synth import generate_budget


@pytest.fixture(scope="module")
def budget() -> Report:
    return generate_budget(2025)


def findings(budget: Report, title: str, text: str, number: str = "三") -> list[Finding]:
    """The findings on the budget with ``text`` as its one 说明 section."""
    report = replace(budget, sections=(NarrativeSection(number, title, text),))
    return list(review(report, narrative_rules()).findings)


def errors(budget: Report, title: str, text: str) -> list[str]:
    return [f.rule_id for f in findings(budget, title, text) if f.severity.value == "error"]


def severities(budget: Report, title: str, text: str, rule: str, number: str = "三") -> list[str]:
    return [f.severity.value for f in findings(budget, title, text, number) if f.rule_id == rule]


FISCAL = (
    "2025年一般公共预算财政拨款支出79.00万元，其中：基本支出65.00万元，项目支出14.00万元。"
    "2025年政府性基金预算支出5.00万元。"
)


def test_each_funds_spending_in_the_fiscal_section(budget: Report) -> None:
    # B05: 合计 79.00 = 基本 65.00 + 项目 14.00 (the 财政拨款 total is 84.00, all funds)
    assert errors(budget, "财政拨款情况说明", FISCAL) == []
    assert errors(budget, "财政拨款情况说明", FISCAL.replace("65.00", "66.00")) != []
    assert errors(budget, "财政拨款情况说明", FISCAL.replace("79.00", "84.00")) != []


PROCUREMENT = (
    "（二）政府采购情况\n政府采购预算总额3.00万元：政府采购货物预算2.00万元、政府采购服务预算1.00万元；"
    "其中一般公共预算拨款政府采购2.50万元、政府采购货物预算1.50万元、政府采购服务预算1.00万元。"
)


def test_one_funds_part_of_the_procurement_lines_is_not_the_total(budget: Report) -> None:
    assert errors(budget, "其他重要事项的情况说明", PROCUREMENT) == []
    wrong = PROCUREMENT.replace("政府采购货物预算2.00万元", "政府采购货物预算2.50万元")
    assert errors(budget, "其他重要事项的情况说明", wrong) != []


def test_shares_of_this_years_spending_are_not_of_a_total_with_the_carry_over(
    budget: Report,
) -> None:
    # 北京 1034: 支出预算 134,133.33 holds 年终结转结余 2,227.42; 基本 70,692.09 is 53.59% of
    # 本年支出 131,905.91, not 52.70% of 134,133.33 (a 说明 published without its tables)
    alone = replace(budget, tables={})
    text = (
        "2026年支出预算134133.33万元。基本支出预算70692.09万元，占本年支出预算53.59%。"
        "项目支出预算61213.81万元，占本年支出预算46.41%。年终结转结余资金2227.42万元。"
    )
    assert errors(alone, "支出预算情况说明", text) == []
    stated = "本年支出预算131905.90万元。基本支出预算70692.09万元，占本年支出预算54.59%。"
    assert errors(alone, "支出预算情况说明", stated) == ["N.share"]


SANGONG = (
    "2025年“三公”经费2.00万元，比上年减少0.70万元，主要原因是一是将用于支付公务接待的"
    "服务费0.20万元调整为会议费；二是压减开支。其中：公务用车运行费1.50万元，比上年减少"
    "0.10万元，主要原因是将公务接待费0.20万元调整为会议费；公务接待费0.50万元，比上年减少0.10万元。"
)


def test_a_figure_in_a_reason_is_neither_the_item_nor_a_part(budget: Report) -> None:
    # 广州 1108: "主要原因是…将用于支付因公出国（境）工作的国内服务费3.2万元…"
    assert errors(budget, "“三公”经费预算情况说明", SANGONG) == []
    wrong = SANGONG.replace("公务接待费0.50万元", "公务接待费0.90万元")
    assert errors(budget, "“三公”经费预算情况说明", wrong) != []


def test_the_parts_of_a_budget_are_not_compared_by_name(budget: Report) -> None:
    # 西安 1173: 第二部分 gives each unit's budget ("具体为：人员经费…") one after another
    parts = (
        NarrativeSection("第二部分", "单位预算", "具体为：人员经费100.00万元，公用经费10.00万元。"),
        NarrativeSection("第二部分", "单位预算", "具体为：人员经费675.90万元，公用经费0.00万元。"),
    )
    report = replace(budget, sections=(), parts=parts)
    found = review(report, narrative_rules()).findings
    assert not any(f.rule_id == "N.same_quantity" for f in found)


def test_spending_from_an_income_is_not_the_income(budget: Report) -> None:
    # 西安 1170: "…其中一般公共预算拨款支出 105364.27 万元、事业收入支出 226.50 万元" is what
    # the 事业收入 pays for, not the 事业收入 (243.00) of the 收支总表
    text = "2025年本部门预算收入90.00万元，其中事业收入6.00万元；预算支出90.00万元，其中事业收入支出5.50万元。"
    assert errors(budget, "收支预算总体情况", text) == []
    assert errors(budget, "收支预算总体情况", text.replace("事业收入6.00", "事业收入5.50")) != []


def test_a_funds_spending_in_the_overall_section_is_that_funds(budget: Report) -> None:
    # 西安 1176: "预算支出 94386.49 万元，其中一般公共预算支出 93664.78 万元" in 收支预算总体情况
    text = "2025年本部门预算支出90.00万元，其中一般公共预算支出79.00万元。"
    assert errors(budget, "收支预算总体情况", text) == []
    assert errors(budget, "收支预算总体情况", text.replace("79.00", "78.00")) != []


def test_a_figure_another_table_prints_for_the_same_quantity_is_a_warning(
    budget: Report,
) -> None:
    # 重庆 2026 (1092): the 收支总表's 一般公共预算拨款收入 counts the 上年结转 (126,727,300),
    # the 财政拨款收支总表's does not (125,727,300); the 说明 follows the 收支总表
    from juesuan.model import edit

    chongqing = edit.set_cell(
        budget, "B01", "一般公共预算拨款收入", "本年预算数", Decimal("780000.00")
    )
    text = "2025年一般公共预算财政拨款收入78.00万元。"
    assert severities(chongqing, "财政拨款情况说明", text, "N.amount") == ["warning"]
    assert severities(chongqing, "财政拨款情况说明", text, "N.misnamed") == []
    wrong = text.replace("78.00", "78.50")
    assert severities(chongqing, "财政拨款情况说明", wrong, "N.amount") == ["error"]


def test_the_years_work_states_many_projects_under_one_name(budget: Report) -> None:
    # 西安 1164, 二、2022年部门工作任务: "完成投资63.5亿元" of one programme, "完成投资12亿元以上"
    # of another
    text = (
        "分类指导乡村振兴示范镇建设，完成投资63.5亿元。持续打造11个示范片区，完成投资12亿元以上。"
    )
    assert severities(budget, "2025年部门工作任务", text, "N.same_quantity", "二") == []
    # the same two sentences about the year's budget are one quantity stated twice
    assert severities(budget, "其他需要说明的情况", text, "N.same_quantity", "二") != []


def test_a_total_stated_on_the_other_kou_jing_is_a_warning(budget: Report) -> None:
    # 西安 1157: "当年预算收入 344,447.70 万元，其中…上年结转 13,102.70 万元" is the 收入总计;
    # the 本年收入合计 its words name is 328,082.50
    text = "2025年本部门当年预算收入90.00万元。"
    assert severities(budget, "收支预算总体情况", text, "N.amount") == ["warning"]
    assert severities(budget, "收支预算总体情况", text, "N.misnamed") == []
    # the figure of another total (the 财政拨款收支总表's 收入总计) is under a wrong name
    other = text.replace("90.00", "84.00")
    assert severities(budget, "收支预算总体情况", other, "N.misnamed") == ["error"]


def test_a_subsection_on_the_fiscal_funds_states_their_totals(budget: Report) -> None:
    # 西安 2020 (1163): 五's （二）财政拨款收支情况 says "支出预算总计 181807.13 万元", the
    # 财政拨款 one, after （一）'s 支出预算总计 182157.13 of all funds
    text = (
        "（一）收支预算总体情况\n本部门收入预算总计90.00万元，支出预算总计90.00万元。\n"
        "（二）财政拨款收支情况\n本部门财政拨款收入预算总计84.00万元。支出预算总计84.00万元。"
    )
    title = "2025年部门预算收支说明"
    assert severities(budget, title, text, "N.same_quantity") == []
    plain = text.replace("（二）财政拨款收支情况", "（二）其他情况")
    assert severities(budget, title, plain, "N.same_quantity") == ["error"]
