"""Rates as a person reads them: the base a share or completion rate is of, last year's figure
derived within rounding or stated, the head of a 其中 list (sentences from real reports, on seed
002's real tables)."""

from __future__ import annotations

from juesuan.model.report import Report
from juesuan.rules.finding import Severity
from tests.narrative.test_audit import hits, narrate


def test_rate_within_the_rounding_of_a_derived_base(seed002: Report) -> None:
    # 014: 150.40 / (199.86 − 150.40) = 304.08%, but a base in [49.455, 49.465] gives 304.10%
    ok = "2021 年度一般公共预算财政拨款支出 199.86 万元，比上年决算数增加 150.40 万元，增长 304.10%。"
    assert hits(narrate(seed002, ("五", ok)), "N.change") == []
    wrong = "2021 年度一般公共预算财政拨款支出 199.86 万元，比上年决算数增加 150.40 万元，增长 310.10%。"
    assert hits(narrate(seed002, ("五", wrong)), "N.change") == [Severity.ERROR]


def test_last_years_figure_stated_in_the_sentence(seed002: Report) -> None:
    # 006: 3,001.97 / 4,490.97 = 66.8446% → 66.84, not 66.85 (the base is printed, not derived)
    text = "2021 年度政府性基金支出 1489 万元，比 2020 年决算数 4490.97 万元减少 3001.97 万元，下降 66.85%。"
    assert hits(narrate(seed002, ("五", text)), "N.change") == [Severity.ERROR]
    right = text.replace("66.85%", "66.84%")
    assert hits(narrate(seed002, ("五", right)), "N.change") == []
    # and the change must be the difference of the two figures
    off = "2021 年度政府性基金支出 1489 万元，比 2020 年决算数 4490.97 万元减少 3000.00 万元，下降 66.80%。"
    assert hits(narrate(seed002, ("五", off)), "N.change") == [Severity.ERROR]


def test_change_of_the_head_of_a_list(seed002: Report) -> None:
    # 010: the change and rate printed after the 其中 list are the head's (45.98), not 30.50's
    text = (
        "包括：海洋管理事务 45.98 万元，其中机关服务 15.48 万元，其他海洋管理事务支出 30.50 万元，"
        "较 2020 决算数增加 33.97 万元，上升 282.85%。"
    )
    assert hits(narrate(seed002, ("五", text)), "N.change") == []
    assert hits(narrate(seed002, ("五", text)), "N.zero_base") == []


def test_shares_of_the_whole_the_sentence_opens_with(seed002: Report) -> None:
    # 002: the 三公 items' shares are of the 三公 total the sentence opens with (seed 002's
    # 预算数: 0.20 = 0 + 0.10 + 0.10), not of the first item's 0.00
    text = (
        "“三公”经费财政拨款支出预算中，因公出国（境）费预算 0.00 万元，占 0.00%；"
        "公务用车购置及运行费预算 0.10 万元，占 50.00%；公务接待费预算 0.10 万元，占 50.00%。"
    )
    assert hits(narrate(seed002, ("七", text)), "N.share") == []
    wrong = text.replace("占 50.00%；公务接待费", "占 60.00%；公务接待费")
    assert hits(narrate(seed002, ("七", wrong)), "N.share") == [Severity.ERROR]


def test_item_completion_rate_against_table_07s_budget(seed002: Report) -> None:
    # 001: an item's budget is not stated; table 07 prints it (seed 002: 因公出国 预算 0.00)
    text = (
        "“三公”经费财政拨款支出年初预算为 0.20 万元，支出决算为 0.10 万元，完成预算的 50.00%，"
        "其中：因公出国（境）费决算为 0.00 万元，完成预算的 0%。"
    )
    zero = hits(narrate(seed002, ("七", text)), "N.zero_base")
    assert zero == [Severity.WARNING]  # 0 of a zero budget: a convention to point out
    assert hits(narrate(seed002, ("七", text)), "N.completion") == []


def test_a_rate_of_another_item_is_not_the_changes(seed002: Report) -> None:
    # 018: 购置费 increased while 运行费 fell: two items, no contradiction
    text = "与2020年相比，公务用车购置费增加0.89万元，公务用车运行费下降20.25%，主要是车辆调拨。"
    assert hits(narrate(seed002, ("七", text)), "N.direction") == []
    same = "与2020年相比，公务用车运行费增加0.89万元，下降20.25%。"
    assert hits(narrate(seed002, ("七", same)), "N.direction") == [Severity.ERROR]


def test_earlier_years_compared_in_a_reason_are_history(seed002: Report) -> None:
    history = "主要原因是增加文明奖，以及2019年比2018年增加0.3的年终奖。"
    assert hits(narrate(seed002, ("四", history)), "N.year") == []
    residue = "主要原因是 2021 年较 2010 年度增加了社会保障和就业支出。"
    assert hits(narrate(seed002, ("四", residue)), "N.year") == [Severity.ERROR]


def test_level_against_what_the_text_implies_of_last_year(seed002: Report) -> None:
    """001: a total said to be 持平 while another section's change puts last year's part above
    this year's total (seed 002: 财政拨款收入总计 217.02; 一般公共预算财政拨款支出 217.02)."""
    from dataclasses import replace

    from juesuan.model.report import NarrativeSection
    from juesuan.narrative.review import review
    from juesuan.rules.declarations import narrative_rules

    def found(change: str) -> list[Severity]:
        sections = (
            NarrativeSection(
                "四",
                "财政拨款收入支出决算总体情况说明",
                "与2020年度相比，财政拨款收入支出总计持平。",
            ),
            NarrativeSection(
                "五",
                "一般公共预算财政拨款支出决算情况说明",
                f"一般公共预算财政拨款支出217.02万元。与2020年度相比，一般公共预算财政拨款支出{change}。",
            ),
        )
        report = replace(seed002, sections=sections, parts=())
        return [
            f.severity for f in review(report, narrative_rules()).findings if f.rule_id == "N.level"
        ]

    assert found("减少63.14万元，下降22.54%") == [Severity.ERROR]  # last year's part: 280.16
    assert found("增加8.98万元，增长4.32%") == []  # last year's part 208.04: the total may be level


def test_last_years_budget_stated_as_the_base(seed002: Report) -> None:
    # 北京 预算 1033: 57,334.09 / 1,506,121.45 = 3.8067% → 3.81 (the base is last year's 年初预算)
    text = (
        "2026年支出预算1448787.35万元，比2025年年初预算数1506121.45万元减少57334.09万元，"
        "下降3.81%。"
    )
    assert hits(narrate(seed002, ("三", text)), "N.change") == []
    wrong = text.replace("下降3.81%", "下降3.67%")
    assert hits(narrate(seed002, ("三", wrong)), "N.change") == [Severity.ERROR]
    # 1036: "比2025年初预算数20,292.85万元减少464.27万元，下降2.29%" (464.27 / 20,292.85)
    short = "一般公共预算支出19,828.57万元比2025年初预算数20,292.85万元减少464.27万元，下降2.29%。"
    assert hits(narrate(seed002, ("三", short)), "N.change") == []
    # and last year's 执行数: "比2025年预算收入执行数483,923.17万元增加11,913.03万元，增长2.46%"
    done = "国有资本经营预算收入495,836.20万元，比2025年预算收入执行数483,923.17万元增加11,913.03万元，增长2.46%。"
    assert hits(narrate(seed002, ("三", done)), "N.change") == []


def test_zero_change_said_unchanged_is_no_boilerplate(seed002: Report) -> None:
    # 广州 预算 1097: the clause itself says 持平
    said = (
        "其中：因公出国（境）费40万元，比上年增加0万元，增长0%，主要原因是与上年持平，无增减变化。"
    )
    assert hits(narrate(seed002, ("七", said)), "N.boilerplate") == []
    unsaid = "其中：因公出国（境）费40万元，比上年增加0万元，主要原因是出访任务增加。"
    assert hits(narrate(seed002, ("七", unsaid)), "N.boilerplate") == [Severity.ERROR]
    # 广州 预算 1100: "公务用车购置费0万元，比上年增加0万元" gives no reason for a change: worded
    # as one, it contradicts nothing (a warning: write 持平), where a reason for it does (an error)
    bare = "其中：公务用车购置费0万元，比上年增加0万元；公务用车运行维护费6.54万元。"
    assert hits(narrate(seed002, ("七", bare)), "N.boilerplate") == [Severity.WARNING]


def test_a_change_after_a_parenthesis_is_of_the_figure_it_details(seed002: Report) -> None:
    # 广州 1097: 46.49 / (567.72 − 46.49) = 8.92% → 8.9 (not of 337.17 inside the parenthesis)
    text = (
        "公务用车购置及运行维护费567.72万元（公务用车购置费230.55万元，比上年增加49.45万元；"
        "公务用车运行维护费337.17万元，比上年减少2.96万元。）比上年增加46.49万元，增长8.9%。"
    )
    assert hits(narrate(seed002, ("七", text)), "N.change") == []
    wrong = text.replace("增长8.9%", "增长18.9%")
    assert hits(narrate(seed002, ("七", wrong)), "N.change") == [Severity.ERROR]
