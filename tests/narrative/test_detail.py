"""What the narrative says about single items: the 人员经费 items it names against table 06, a
项's purpose against table 05 and against the other items, a printed code against its name
(sentences from real reports, on seed 002's real tables)."""

from __future__ import annotations

from juesuan.model import edit
from juesuan.model.report import Report
from juesuan.rules.finding import Severity
from tests.narrative.test_audit import hits, narrate

SIX = (
    "2021 年度一般公共预算财政拨款基本支出 161.22 万元。其中：人员经费 152.15 万元，主要包括："
    "基本工资、津贴补贴、住房公积金；公用经费 9.07 万元，主要包括：办公费、差旅费。"
)


def test_an_item_named_that_table_06_leaves_blank(seed002: Report) -> None:
    # 001: 人员经费 "主要包括…个人农业生产补贴" while 30310 is blank in table 06
    assert hits(narrate(seed002, ("六", SIX)), "N.composition") == []  # 0.00 is printed
    blank = edit.set_cell(seed002, "06", "30113", "决算数", None)
    assert hits(narrate(blank, ("六", SIX)), "N.composition") == [Severity.WARNING]


FIVE = (
    "（三）一般公共预算财政拨款支出决算具体情况\n"
    "1、社会保障和就业支出（类）人力资源和社会保障管理事务（款）信息化建设（项）。\n"
    "主要用于：{purpose}。年初预算为 50.32 万元，支出决算为 50.32 万元。\n"
    "2、卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）。\n"
    "主要用于：事业单位医疗保险支出。年初预算为 3.48 万元，支出决算为 3.48 万元。\n"
    "3、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）。\n"
    "主要用于：{copied}。年初预算为 7.42 万元，支出决算为 7.42 万元。"
)


def test_purpose_against_table_05_and_other_items(seed002: Report) -> None:
    right = FIVE.format(purpose="金保工程等信息化建设项目支出", copied="养老保险缴费支出")
    assert hits(narrate(seed002, ("五", right)), "N.purpose") == []
    # 2080108 信息化建设 is wholly 项目支出 in seed 002's table 05 (001: 一般行政管理事务)
    basic = FIVE.format(purpose="信息系统运行维护等基本支出", copied="养老保险缴费支出")
    assert hits(narrate(seed002, ("五", basic)), "N.purpose") == [Severity.WARNING]
    # 003: 住房公积金's purpose copied from 事业单位医疗, an item of another 类
    copied = FIVE.format(purpose="金保工程等信息化建设项目支出", copied="事业单位医疗保险支出")
    assert hits(narrate(seed002, ("五", copied)), "N.purpose") == [Severity.WARNING]


def test_printed_code_against_its_name(seed002: Report) -> None:
    # 018: 〔2101001〕 is 行政运行 in every 款; 一般行政管理事务 is …02
    wrong = "（十三）〔2080101〕人力资源和社会保障管理事务—一般行政管理事务42.66万元。"
    assert hits(narrate(seed002, ("五", wrong)), "N.item_code") == [Severity.WARNING]
    right = "（十三）〔2080102〕人力资源和社会保障管理事务—一般行政管理事务42.66万元。"
    assert hits(narrate(seed002, ("五", right)), "N.item_code") == []
