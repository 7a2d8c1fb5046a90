"""Cross-year checks from the two narratives (no tables): small inline 情况说明 of two years of
one unit, each failure named after the sentence that shows it."""

from __future__ import annotations

import pytest

from juesuan.model.report import NarrativeSection, Report
from juesuan.narrative.across_years import item_code, same_name
from juesuan.narrative.claims import extract
from juesuan.narrative.review import review
from juesuan.rules.declarations import narrative_rules
from juesuan.rules.finding import Finding, Severity

UNIT = "平潭县某某局"
TITLES = {
    "四": "2016年决算收支总体情况",
    "五": "公共财政拨款支出决算情况",
    "六": "政府性基金支出决算情况",
    "七": "“三公”经费公共财政拨款支出决算情况",
    "八": "机关运行经费支出情况",
    "九": "其他重要事项说明",
}


def year(y: int, *sections: tuple[str, str], unit: str = UNIT) -> Report:
    return Report(
        unit_name=unit,
        year=y,
        sections=tuple(NarrativeSection(n, TITLES[n], text) for n, text in sections),
    )


def findings(report: Report, prior: Report | None) -> list[Finding]:
    found = review(report, narrative_rules(), prior=prior).findings
    return [f for f in found if f.rule_id in ("N.prior_stated", "N.prior_restated")]


def severities(report: Report, prior: Report | None, rule: str) -> list[Severity]:
    return [f.severity for f in findings(report, prior) if f.rule_id == rule]


LAST_FOUR = "2015年本部门年初结转和结余55.87万元，本年收入488.62万元，本年支出470.91万元，年末结转和结余73.58万元。"
LAST_SANGONG = "2015年“三公”经费公共财政拨款支出20.21万元。（二）公务用车购置及运行费18.83万元。公务用车运行费18.83万元。（三）公务接待费1.37万元。"


# --- 年初 = last year's 年末 -------------------------------------------------------------------


def test_opening_balance_continues_last_years_closing() -> None:
    last = year(2015, ("四", LAST_FOUR))
    good = year(2016, ("四", "2016年本部门年初结转和结余73.58万元，本年收入709.71万元。"))
    bad = year(2016, ("四", "2016年区某某局年初结转和结余25.00万元，本年收入709.71万元。"))
    assert findings(good, last) == []
    (f,) = findings(bad, last)
    assert f.rule_id == "N.prior_stated" and f.severity is Severity.ERROR
    assert "73.58万元" in f.message and "年初结转和结余25.00万元" in (f.location.quote or "")
    assert findings(bad, None) == []  # no prior: nothing to compare


def test_opening_balance_within_rounding_is_not_an_error() -> None:
    last = year(2015, ("四", "2015年年末结转和结余346.6万元。"))
    this = year(2016, ("四", "2016年年初结转和结余346.64万元。"))
    assert findings(this, last) == []


# --- a stated change or rate against last year's stated figure ------------------------------


def test_rate_in_the_wrong_direction_is_an_error() -> None:
    """017 七（三）: 1.51 against 005's 1.37 is an increase of 10.22%, stated as a decrease."""
    last = year(2015, ("七", LAST_SANGONG))
    this = year(
        2016,
        (
            "七",
            "2016年“三公”经费公共财政拨款支出16.55万元，同比下降18.11%。（三）公务接待费1.51万元。主要用于接待。与2015年相比, 公务接待费支出下降10.22%，主要是规范公务接待。",
        ),
    )
    (f,) = findings(this, last)
    assert f.severity is Severity.ERROR and "方向相反" in f.message
    assert "公务接待费支出下降10.22%" in (f.location.quote or "")
    right = year(2016, ("七", "（三）公务接待费1.51万元。与2015年相比，公务接待费支出增长10.22%。"))
    assert findings(right, last) == []


def test_rates_within_rounding_of_last_years_figures_hold() -> None:
    """012 八: −39.00% on 40.75 against 018's 66.81 gives −39.006%, within rounding."""
    last = year(
        2016,
        ("七", "2016年“三公”经费公共财政拨款支出66.81万元。（一）因公出国（境）费5.55万元。（三）公务接待费13.63万元。"),
    )
    this = year(
        2017,
        (
            "七",
            "2017年度“三公”经费一般公共预算拨款40.75万元，同比下降39.00%。（一）因公出国（境）费9.74万元。与2016年相比, 因公出国（境）经费支出增长75.43%。（三）公务接待费6.48万元。与2016年相比, 公务接待费支出下降52.44%。",
        ),
    )
    assert findings(this, last) == []
    wrong = year(2017, ("七", "2017年度“三公”经费一般公共预算拨款40.75万元，同比下降37.00%。"))
    (f,) = findings(wrong, last)
    assert f.severity is Severity.ERROR and "应为" in f.message and "39.01%" in f.message


def test_change_against_last_years_figure_of_the_same_name() -> None:
    last = year(2015, ("四", LAST_FOUR))
    good = year(2016, ("四", "（一）2016本年收入709.71万元，比2015年决算数增加221.09万元，增长45.25％。"))
    bad = year(2016, ("四", "（一）2016本年收入709.71万元，比2015年决算数增加201.09万元，增长41.18％。"))
    assert findings(good, last) == []
    (f,) = findings(bad, last)  # the change only: its rate follows from it (N.change's part)
    assert f.severity is Severity.ERROR and "增加221.09万元" in (f.expected or "")
    down = year(2016, ("四", "（一）2016本年收入709.71万元，比2015年决算数减少221.09万元。"))
    (f,) = findings(down, last)
    assert "方向相反" in f.message


def test_last_year_stating_a_figure_twice_agrees_with_either() -> None:
    """005 states 本年收入 488.62 and 488.32: 017's implied 488.62 is right."""
    last = year(2015, ("四", LAST_FOUR + "（一）2015本年收入488.32万元，具体情况如下："))
    this = year(2016, ("四", "（一）2016本年收入709.71万元，比2015年决算数增加221.09万元。"))
    assert findings(this, last) == []


def test_names_of_one_quantity_in_two_years() -> None:
    """公共财政拨款 (2016) is 一般公共预算拨款 (2017); 2017年收入 is 本年收入."""
    last = year(
        2016,
        ("四", "2016年本年收入3,379.46万元，本年支出3,260.27万元。"),
        ("五", "2016年公共财政拨款支出 3,222.64 万元，比2015年决算数增加 729.83 万元。"),
    )
    this = year(
        2017,
        ("四", "（一）2017年收入4,109.67万元，比2016年决算数增加730.21万元，增长21.61％。"),
        ("五", "2017年一般公共预算拨款支出4,077.69万元，比上年决算数增加855.05万元，增长26.53%。"),
    )
    assert findings(this, last) == []
    wrong = year(2017, ("五", "2017年一般公共预算拨款支出4,077.69万元，比上年决算数增加955.05万元。"))
    assert severities(wrong, last, "N.prior_stated") == [Severity.ERROR]


def test_other_quantities_are_not_compared() -> None:
    """017's 机关运行经费 −29.25% has no 2015 figure: 005's 公用支出 is another item."""
    last = year(2015, ("四", "（二）2015本年支出470.91万元。1. 基本支出382.49万元。其中，人员支出310.59万元，公用支出71.90万元。"))
    this = year(2016, ("八", "2016年机关运行经费支出22.04万元，主要用于办公费。比2015年下降29.25%。"))
    assert findings(this, last) == []
    assert not same_name(
        extract(NarrativeSection("八", TITLES["八"], "2016年机关运行经费支出22.04万元。"))[0],
        extract(NarrativeSection("四", TITLES["四"], "公用支出71.90万元。"))[0],
    )


def test_operating_costs_in_another_section_are_the_same_quantity() -> None:
    last = year(2016, ("八", "2016年机关运行经费支出135.71万元，比2015年增长4.13%。"))
    this = year(2017, ("九", "（一）机关运行经费 2017年度机关运行经费支出273.09万元，比上年决算数增长101.23%。"))
    assert findings(this, last) == []
    wrong = year(2017, ("九", "（一）机关运行经费 2017年度机关运行经费支出273.09万元，比上年决算数下降101.23%。"))
    assert severities(wrong, last, "N.prior_stated") == [Severity.ERROR]


def test_a_change_against_the_budget_is_not_against_last_year() -> None:
    last = year(2015, ("四", LAST_FOUR))
    this = year(2016, ("四", "（一）2016本年收入709.71万元，比年初预算增加9.71万元。"))
    assert findings(this, last) == []


def test_last_years_figure_stated_in_this_years_text() -> None:
    last = year(2015, ("四", LAST_FOUR))
    good = year(2016, ("四", "（一）2016本年收入709.71万元，比2015年决算数488.62万元增加221.09万元。"))
    bad = year(2016, ("四", "（一）2016本年收入709.71万元，比2015年决算数468.62万元增加241.09万元。"))
    assert findings(good, last) == []
    assert severities(bad, last, "N.prior_stated") == [Severity.ERROR]


def test_rate_on_a_base_last_year_states_as_zero_is_a_warning() -> None:
    last = year(2015, ("七", "（一）因公出国（境）费0万元。"))
    this = year(2016, ("七", "（一）因公出国（境）费5.55万元。与2015年相比, 因公出国（境）经费支出增长100 %。"))
    assert severities(this, last, "N.prior_stated") == [Severity.WARNING]


# --- 项 lines against last year's lines of the same code ------------------------------------

LAST_FIVE = (
    "2016年公共财政拨款支出 3,000.00 万元，具体情况如下：（一）〔2011501〕行政运行中人员经费2494.47 万元，较2015年决算数增加 572.78 万元。"
    "（二）〔2011501〕行政运行中公用经费142.02 万元，较2015年决算数增加 8.39 万元。"
    "（三）〔2011502〕工商行政管理事务—一般行政管理事务209.48 万元，较2015年决算数增加33.92 万元。"
    "（四）〔2100402〕公共卫生—卫生监督机构11.10万元，较2015年决算数减少7.11万元。"
    "（五）〔2101001〕食品和药品监督管理事务—一般行政管理事务42.66万元，较2015年决算数增加33.26万元。"
    "（六）〔2101016〕食品和药品监督管理事务—食品安全事务支出100.27万元，较2015年决算数减少21.1万元。"
)


def test_item_base_matching_last_years_line_of_its_code() -> None:
    last = year(2016, ("五", LAST_FIVE))
    this = year(
        2017,
        (
            "五",
            "2017年一般公共预算拨款支出3,300.00万元，比上年决算数增加300.00万元。（一）〔2011501〕工商行政管理事务—行政运行支出2936.49万元，较上年决算数增加300万元，增长11.38%。（二）〔2011502〕工商行政管理事务—一般行政管理事务支出181.74万元，较上年决算数减少27.74万元，下降13.24%。",
        ),
    )
    assert findings(this, last) == []  # 2011501 is two lines last year: 2,494.47 + 142.02


def test_item_base_differing_from_last_years_line_is_a_warning() -> None:
    """012 五（十一）: 331.97 − 34.46 = 297.51, while 018 prints 11.10 for 2100402."""
    last = year(2016, ("五", LAST_FIVE))
    this = year(
        2017,
        ("五", "（十一）〔2100402〕公共卫生—卫生监督机构支出331.97万元，较上年决算数增加34.46万元，增长11.58%。"),
    )
    (f,) = findings(this, last)
    assert f.rule_id == "N.prior_restated" and f.severity is Severity.WARNING
    assert "297.51万元" in f.message and "11.10" in f.message and "2100402" in f.message


def test_a_line_last_year_printed_under_another_code_is_found_by_name() -> None:
    """018 prints 一般行政管理事务 under 2101001; 012 under 2101002: the same line."""
    last = year(2016, ("五", LAST_FIVE))
    this = year(
        2017,
        ("五", "（十二）〔2101002〕食品和药品监督管理事务—一般行政管理事务支出49.66万元，较上年决算数增加7万元，增长16.41%。"),
    )
    assert findings(this, last) == []


@pytest.mark.parametrize(("total", "flagged"), [("3,000.00", 1), ("3,500.00", 0)])
def test_a_line_last_year_lacks(total: str, flagged: int) -> None:
    """A line last year does not list was 0 when its lines add up to its total (a complete
    listing); of a partial listing nothing is known."""
    last = year(2016, ("五", LAST_FIVE.replace("3,000.00", total)))
    this = year(
        2017,
        ("五", "（十六）〔2210201〕住房改革支出—住房公积金211.77万元，较上年决算数增加4.79万元，增长2.31%。"),
    )
    assert len(findings(this, last)) == flagged


def test_a_new_line_with_a_zero_base_holds() -> None:
    last = year(2016, ("五", LAST_FIVE))
    this = year(2017, ("五", "（三）〔2010107〕人大事务—人大代表履职能力提升15.16万元，较上年决算数增加15.16万元。"))
    assert findings(this, last) == []


def test_item_codes_at_the_head_of_a_line() -> None:
    assert item_code("（一）〔2011501〕工商行政管理事务—行政运行支出2329.91万元") == "2011501"
    assert item_code("（一）2010101人大事务—行政运行542.64万元") == "2010101"
    assert item_code("（一）2017年收入4,109.67万元") is None
    assert item_code("（一）2015本年收入488.32万元") is None


def test_a_balance_said_to_be_adjusted_is_a_warning() -> None:
    last = year(2015, ("四", LAST_FOUR))
    this = year(2016, ("四", "2016年本部门年初结转和结余70.00万元（上年年末数经审计调整），本年收入709.71万元。"))
    assert severities(this, last, "N.prior_stated") == [Severity.WARNING]
