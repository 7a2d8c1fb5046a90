"""What the text says around its figures (sentences from real reports, on seed 002)."""

from __future__ import annotations

from juesuan.model.report import Report
from juesuan.rules.finding import Severity
from tests.narrative.test_audit import hits, narrate


def test_disclosed_misclassification(seed002: Report) -> None:
    # 101 五.1: the report admits the 56 万元 are booked under the wrong 项
    text = "决算数大于年初预算数的主要原因是：某中心对该功能科目使用错误，实际应使用卫生健康支出（类）公共卫生（款）应急救治机构（项）。"
    assert hits(narrate(seed002, ("五", text)), "N.disclosed") == [Severity.WARNING]
    plain = "决算数大于年初预算数的主要原因是：年中追加了人员经费。"
    assert hits(narrate(seed002, ("五", plain)), "N.disclosed") == []


def test_reason_for_a_change_not_stated(seed002: Report) -> None:
    # 101 九: the reason is given, the change and last year's figure are not
    alone = "（二）培训费支出情况说明。\n2021年度培训费预算 0.41 万元，支出决算 0.41 万元，完成预算的100%。决算数较上年减少的主要原因是：培训减少。"
    assert hits(narrate(seed002, ("七", alone)), "N.reason_only") == [Severity.WARNING]
    stated = "（二）培训费支出情况说明。\n2021年度培训费支出决算 0.41 万元，比上年减少 0.10 万元。决算数较上年减少的主要原因是：培训减少。"
    assert hits(narrate(seed002, ("七", stated)), "N.reason_only") == []


def test_one_rate_for_two_items(seed002: Report) -> None:
    # 015: 购置费 was 0 and cannot have fallen 5.53%
    one = "与2020年27.10万元相比，公务用车购置费和运行费分别下降5.53 %。"
    assert hits(narrate(seed002, ("七", one)), "N.respective") == [Severity.WARNING]
    two = "与2020年相比，公务用车购置费和运行费分别下降5.53%、6.10%。"
    assert hits(narrate(seed002, ("七", two)), "N.respective") == []


def test_growth_of_100_percent_with_nothing_to_compute_it(seed002: Report) -> None:
    # 018: 出国 was 0 last year; "增长100 %" is the zero-base convention
    text = "与2020年相比, 因公出国（境）经费支出增长100 %，主要是学习考察。"
    assert hits(narrate(seed002, ("七", text)), "N.hundred") == [Severity.WARNING]
    doubled = "因公出国（境）费支出 0.20 万元，比上年增加 0.10 万元，增长100%。"
    assert hits(narrate(seed002, ("七", doubled)), "N.hundred") == []


def test_one_last_year_figure_for_income_and_spending(seed002: Report) -> None:
    # 006: 本年收入 and 本年支出 both "比2014年决算数5386.23万元"
    text = (
        "（一）2021本年收入54124.66万元，比2020年决算数5386.23万元增加48738.43万元。\n"
        "（二）2021本年支出29616.23万元，比2020年决算数5386.23万元增加24230万元。"
    )
    assert hits(narrate(seed002, ("一", text)), "N.same_base") == [Severity.WARNING]
    other = text.replace(
        "比2020年决算数5386.23万元增加24230万元", "比2020年决算数5385.00万元增加24231.23万元"
    )
    assert hits(narrate(seed002, ("一", other)), "N.same_base") == []
