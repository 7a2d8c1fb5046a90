"""What the text says against itself: every check of statements.py and tallies.py with a
passing and a failing text, on reports without tables (as the crawled 情况说明 are), and the
false alarms they must not raise (rounding, another year's figure, another 口径)."""

from __future__ import annotations

import pytest

from juesuan.model.report import NarrativeSection, Report
from juesuan.model.tables import ExtraTable
from juesuan.narrative.review import review
from juesuan.rules.declarations import narrative_rules
from juesuan.rules.finding import Severity

TITLES = {
    "二": "部门预算单位基本情况",
    "四": "2016年决算收支总体情况",
    "五": "公共财政拨款支出决算情况",
    "六": "政府性基金支出决算情况",
    "七": "“三公”经费公共财政拨款支出决算情况",
    "九": "其他重要事项说明",
    "十": "政府采购支出、国有资产占用情况说明",
    "十一": "政府采购支出情况说明",
    "十三": "预算绩效情况说明",
}


def told(*sections: tuple[str, str], tables: tuple[ExtraTable, ...] = ()) -> Report:
    """A report of 2016 that has only its 情况说明 (the tables were attachments)."""
    return Report(
        unit_name="测试单位",
        year=2016,
        sections=tuple(NarrativeSection(n, TITLES[n], text) for n, text in sections),
        extra_tables=tables,
    )


def found(report: Report, rule_id: str) -> list[Severity]:
    return [f.severity for f in review(report, narrative_rules()).findings if f.rule_id == rule_id]


BALANCE = (
    "2016年本部门年初结转和结余55.87万元，本年收入488.62万元，本年支出470.91万元，"
    "事业基金弥补收支差额0万元，结余分配0万元，年末结转和结余{closing}万元。"
)
INCOME = (
    "（一）2016本年收入1085.50万元，具体情况如下：\n1. 财政拨款收入{fiscal}万元，其中政府性基金54.00万元；\n"
    "2. 事业收入0万元；\n3. 经营收入0万元；\n4. 上级补助收入0万元；\n5. 附属单位上缴收入0万元；\n"
    "6. 其他收入0万元。"
)
FUND = (
    "2017年度政府性基金支出32.03万元，比上年决算数增加5.03万元，增长18.63%，具体情况如下：\n"
    "（一）其他国有土地使用权出让收入安排的支出（项级科目）{first}万元，较2016年决算数增加30.05万元。\n"
    "（二）用于其他社会公益事业的彩票公益金支出（项级科目）2万元，较2016年决算数减少25万元，下降92.59%。"
)
CLASSES = (
    "2016年公共财政拨款支出{total}万元，具体情况如下(按项级科目分类统计)：\n"
    "（一）一般公共服务支出（科目编码201）531.03万元。\n（二）国防支出（科目编码203）3万元。\n"
    "（三）农林水支出（科目编码213）244.85万元。"
)
FLEET = (
    "（二）公务用车购置及运行费47.63万元。\n公务用车运行费46.74万元，主要用于公务用车燃油、维修、保险等方面支出，"
    "年末公务用车保有量 {held} 辆。"
)
OWNED = (
    "（二）国有资产占用情况2016年末，本部门共有车辆16辆，其中：一般公务用车1辆、一般执法执勤用车15辆、"
    "特种专业技术用车0辆,其他用车0辆。"
)
TRIPS = (
    "（一）因公出国（境）费5.55万元。\n2016年本单位组织出国团组{groups}个，参加其他单位出国团组4个；"
    "全年因公出国（境）累计4人次。"
)
PROJECT = (
    "（三）项目绩效自评结果。\n本部门在部门决算中反映病媒生物防制项目等2个一级项目的绩效自评结果。具体见下：\n"
    "1.本级病媒生物防制项目绩效自评综述：全年预算数229.19万元，执行数229.19万元，完成预算的{rate}%。\n"
    "2.本级考试考务费项目绩效自评综述：全年预算数364.97万元，执行数364.97万元，完成预算的100%。"
)
SHARES = (
    "（一）2016年度政府采购支出总额共272,067.69万元，其中：政府采购货物支出189,972.86万元、"
    "政府采购工程支出8,619.1万元、政府采购服务支出73,475.73万元。\n"
    "（二）政府采购授予中小企业合同金额{sme}万元，占政府采购支出合同总额的9%；"
    "货物采购授予中小企业合同金额占政府采购货物支出合同的4.07%，工程采购授予中小企业合同金额占政府采购"
    "工程支出合同的23.65%，服务采购授予中小企业合同金额占政府采购服务支出合同的20.02%。"
)

# rule id → (passing sections, failing sections)
CASES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "N.balance": (
        (("四", BALANCE.format(closing="73.58")),),
        (("四", BALANCE.format(closing="73.28")),),
    ),
    "N.parts": (
        (("四", INCOME.format(fiscal="1085.50")),),
        (("四", INCOME.format(fiscal="1031.50")),),
    ),
    "N.fiscal": (
        (
            ("四", BALANCE.format(closing="73.58")),
            ("五", "2016年公共财政拨款支出470.91万元。"),
            ("六", "2016年度政府性基金支出0万元。"),
        ),
        (
            ("四", BALANCE.format(closing="73.58")),
            ("五", "2016年公共财政拨款支出480.91万元。"),
            ("六", "2016年度政府性基金支出0万元。"),
        ),
    ),
    "N.counts": (
        (("七", FLEET.format(held=16)), ("十", OWNED)),
        (("七", FLEET.format(held=20)), ("十", OWNED)),
    ),
    "N.project": ((("十三", PROJECT.format(rate="100")),), (("十三", PROJECT.format(rate="35")),)),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes_and_fails(rule_id: str) -> None:
    good, bad = CASES[rule_id]
    assert found(told(*good), rule_id) == [], good
    assert Severity.ERROR in found(told(*bad), rule_id), bad


def test_listed_shares_must_give_the_stated_part() -> None:
    # 4.07% × 189,972.86 + 23.65% × 8,619.1 + 20.02% × 73,475.73 ≈ 24,480 (24,466.5–24,493.8)
    assert found(told(("十一", SHARES.format(sme="24,480.00"))), "N.listed_shares") == []
    wrong = found(told(("十一", SHARES.format(sme="24,498.01"))), "N.listed_shares")
    assert wrong == [Severity.WARNING]  # the bases may be contract totals, not spending


# --- the balance and restated totals ------------------------------------------------------------


def test_balance_within_rounding_is_no_error() -> None:
    # 11.39 + 289.89 − 297.70 = 3.58 against 3.57: six terms of ±0.005
    text = (
        "2017年本部门年初结转和结余11.39万元，本年收入289.89万元，本年支出297.70万元，"
        "事业基金弥补收支差额0.00万元，结余分配0.00万元，年末结转和结余3.57万元。"
    )
    assert found(told(("四", text)), "N.balance") == []


def test_a_restated_total_that_breaks_the_balance_is_an_error() -> None:
    """四 states 本年收入 488.62 (which the balance needs), 四（一） restates it as 488.32."""
    text = (
        BALANCE.format(closing="73.58")
        + "\n（一）2016本年收入488.32万元，具体情况如下：\n1. 财政拨款收入488.32万元。"
    )
    assert found(told(("四", text)), "N.same_quantity") == [Severity.ERROR]


def test_a_total_printed_twice_one_cent_apart_is_a_warning() -> None:
    text = (
        "2016年本部门年初结转和结余227.44万元，本年收入3,379.46万元，本年支出3,260.27万元，"
        "年末结转和结余346.64万元。\n（二）2016本年支出 3260.28 万元，具体情况如下："
    )
    assert found(told(("四", text)), "N.same_quantity") == [Severity.WARNING]


def test_last_years_figure_and_another_kou_jing_are_other_quantities() -> None:
    last_year = "（三）公务接待费1.95万元。\n主要用于接待。\n2014年度公务接待费1.29万元。"
    assert found(told(("七", last_year)), "N.same_quantity") == []
    listed_item = (
        "2016年一般公共财政拨款支出77.69万元，主要支出项目包括：\n"
        "（一）商品和服务支出77.69万元，其中办公费9.36万元，公务接待费0.35万元。"
    )
    sangong = "2016年“三公”经费公共财政拨款支出26.59万元。\n（三）公务接待费26.59万元。"
    assert found(told(("五", listed_item), ("七", sangong)), "N.same_quantity") == []
    items = (
        "（二）项目绩效目标完成情况1、专项业务经费 预算下达100万元，实际下达100万元，实际支出23.3225万元，\n"
        "2、宣传推介材料 预算下达20万元，实际下达20万元，实际支出9.49万元"
    )
    assert found(told(("九", items)), "N.same_quantity") == []


def test_details_of_each_numbered_item_are_that_items() -> None:
    """西安 2021: each 项 of 五 is followed by "具体为：人员经费 …" of that 项."""
    items = (
        "2016年一般公共预算支出3,488.40万元，其中：\n"
        "（1）进修及培训（20508）102.32万元，较上年增加102.32万元。具体为：人员经费0.00万元，"
        "公用经费28.32万元，专项业务经费74.00万元。\n"
        "（2）民政管理事务（20802）3,386.08万元，较上年减少24.49万元。具体为：人员经费1,541.50万元，"
        "公用经费105.58万元，专项业务经费1,739.00万元。"
    )
    assert found(told(("五", items)), "N.same_quantity") == []
    # the same figures not said to detail an item are one quantity stated twice
    plain = items.replace("具体为：", "")
    assert found(told(("五", plain)), "N.same_quantity") != []


def test_a_numbered_topic_qualifies_its_list() -> None:
    """西安 2021: the 行政运行 of 人员经费 and the 行政运行 of 公用经费 are two quantities."""
    topics = (
        "从人员经费、公用经费、专项业务经费来看，其中：\n"
        "（1）人员经费：①行政运行（2013201）1641.18万元，较上年增加309.87万元；"
        "②住房公积金（2210201）192.99万元。\n"
        "（2）公用经费：①行政运行（2013201）124.00万元，较上年减少55.42万元；"
        "②培训支出（2050803）2万元。"
    )
    assert found(told(("五", topics)), "N.same_quantity") == []
    untitled = topics.replace("人员经费：", "").replace("公用经费：", "")
    assert found(told(("五", untitled)), "N.same_quantity") != []


# --- a total and its parts -------------------------------------------------------------------------


def test_parts_over_the_total_are_an_error_even_with_an_integer_part() -> None:
    """30.05 + 2 = 32.05 against 32.03: "2" in a report of 2-decimal figures is 2.00."""
    assert found(told(("六", FUND.format(first="30.05"))), "N.parts") == [Severity.ERROR]
    assert found(told(("六", FUND.format(first="30.03"))), "N.parts") == []


def test_a_short_class_list_is_a_warning() -> None:
    """A class may be left out of the list: 531.03 + 3 + 244.85 = 778.88 against 779.11."""
    assert found(told(("五", CLASSES.format(total="778.88"))), "N.parts") == []
    assert found(told(("五", CLASSES.format(total="779.11"))), "N.parts") == [Severity.WARNING]
    # a list of the main items only leaves much unexplained: a selection, not a slip
    assert found(told(("五", CLASSES.format(total="1,779.11"))), "N.parts") == []


def test_lists_that_are_not_partitions_are_left_alone() -> None:
    both = "2016年度收、支总计均为217.02万元，具体情况如下：\n（一）收入总计217.02万元。\n（二）支出总计217.02万元。"
    reasons = (
        "（一）2016本年收入100.00万元，比2015年决算数增加30.00万元。主要原因如下：\n"
        "1. 新增设备购置20.00万元。\n2. 新增培训费5.00万元。"
    )
    assert found(told(("四", both)), "N.parts") == []
    assert found(told(("四", reasons)), "N.parts") == []


def _class(n: str, total: str, parts: str) -> str:
    return f"（{n}）某类支出（科目编码201）{total}万元（其中按照项级科目统计，{parts}），总体较2016年增加1万元。"


def test_one_class_itemised_short_among_full_ones_is_a_warning() -> None:
    full = [
        _class("一", "531.03", "行政运行的金额为495.15万元；财政事务的金额为35.88万元"),
        _class("二", "3", "其他国防支出的金额为3万元"),
        _class("三", "8.59", "文化行政运行的支出金额为8.59万元"),
        _class("四", "47.38", "住房公积金的金额为37.89万元；提租补贴的金额为9.49万元"),
    ]
    short = _class("五", "244.85", "农业行政运行的金额为36.53万元；水土保持的支出金额为11万元")
    assert found(told(("五", "\n".join([*full, short]))), "N.parts") == [Severity.WARNING]
    # where itemising only some 项 is the report's habit, a short list says nothing
    habit = [*full[:2], short, _class("六", "100", "行政运行的金额为10万元")]
    assert found(told(("五", "\n".join(habit))), "N.parts") == []


# --- 财政拨款支出 within the year's 收支 ------------------------------------------------------------


OVERALL = (
    "2015年区台湾工作部年初结转和结余149.57万元，本年收入1349.39万元，本年支出1004.16万元，"
    "事业基金弥补收支差额 0万元，结余分配0万元，年末结转和结余494.80万元。\n"
    "（一）2015本年收入1349.39万元，具体情况如下：\n1. 财政拨款收入1300.69万元，其中政府性基金0万元。\n"
    "2. 其他收入48.70万元。"
)


def test_fiscal_spending_below_what_the_income_allows_is_a_warning() -> None:
    """1,004.16 − 48.70 − 149.57 = 805.89 must be paid from 财政拨款: 372.33 cannot be all."""
    fund = ("六", "2015年度政府性基金支出 0 万元。")
    low = told(
        ("四", OVERALL), ("五", "2015年一般公共财政拨款支出372.33万元，主要支出项目包括："), fund
    )
    assert found(low, "N.fiscal") == [Severity.WARNING]
    right = told(("四", OVERALL), ("五", "2015年一般公共财政拨款支出955.46万元。"), fund)
    assert found(right, "N.fiscal") == []
    unknown = told(
        ("四", OVERALL), ("五", "2015年一般公共财政拨款支出372.33万元。"), ("六", "无。")
    )
    assert found(unknown, "N.fiscal") == []  # the 基金 spending is not stated: no floor


def test_last_years_fiscal_spending_within_last_years_total() -> None:
    """Bases implied by the changes: 927.36 + 13.00 of 基金 > 927.36 of 本年支出."""
    overall = (
        "（二）2016本年支出1088.58万元，比2015年决算数增加161.22万元，上升17.38%，具体情况如下：\n"
        "1. 基本支出827.75万元；\n2. 项目支出260.83万元。"
    )
    gpb = "2016年公共财政拨款支出1023.52万元，比2015年决算数增加{delta}万元。"
    fund = "（一）2016度政府性基金支出54.00万元，用于彩票公益金支出54.00万元。\n比2015年决算数增加41万元，增长315%。"
    wrong = told(("四", overall), ("五", gpb.format(delta="96.16")), ("六", fund))
    assert found(wrong, "N.fiscal") == [Severity.WARNING]
    right = told(("四", overall), ("五", gpb.format(delta="109.16")), ("六", fund))
    assert found(right, "N.fiscal") == []


# --- counts --------------------------------------------------------------------------------------


def test_vehicles_held_fewer_than_the_general_cars_owned_is_a_warning() -> None:
    owned = "（三）国有资产占用使用情况截至2016年12月31日，本部门共有车辆3辆，其中：一般公务用车3辆、一般执法执勤用车0辆。"
    assert found(told(("七", FLEET.format(held=1)), ("九", owned)), "N.counts") == [
        Severity.WARNING
    ]
    assert found(told(("七", FLEET.format(held=3)), ("九", owned)), "N.counts") == []


def test_groups_and_guests_need_people() -> None:
    assert found(told(("七", TRIPS.format(groups=4))), "N.counts") == [Severity.WARNING]
    assert found(told(("七", TRIPS.format(groups=0))), "N.counts") == []
    guests = "（三）公务接待费1.37万元。主要用于接待，累计接待{n}批次、接待总人数140人。"
    assert found(told(("七", guests.format(n=11))), "N.counts") == []
    assert found(told(("七", guests.format(n=150))), "N.counts") == [Severity.WARNING]
    listed = "主要用于接待上级部门调研，列明公务接待{n}批次、26人次，其中：接待外宾0批次、0人次。"
    assert found(told(("七", listed.format(n=2))), "N.counts") == []
    assert found(told(("七", listed.format(n=30))), "N.counts") == [Severity.WARNING]


def test_a_count_stated_twice() -> None:
    units = "从决算单位构成看，本部门包括3个机关行政处（科）室及3个下属单位，详见下表。"
    later = "（四）项目支出概况\n目前本部门包括3个内设处室及{n}个下属单位。"
    assert found(told(("二", units), ("九", later.format(n=3))), "N.counts") == []
    assert found(told(("二", units), ("九", later.format(n=1))), "N.counts") == [Severity.WARNING]


def test_a_count_settled_by_its_numbered_list_is_an_error() -> None:
    first = "（一）预算绩效管理工作开展情况。\n本部门在部门决算中反映核酸检测项目等3个一级项目的绩效自评结果，涉及预算资金594.16万元。"
    listed = PROJECT.format(rate="100")  # 2 listed, and "等2个一级项目"
    report = told(("十三", first + "\n" + listed))
    assert found(report, "N.counts") == [Severity.ERROR]


def test_one_thing_counted_in_two_units() -> None:
    text = "2022年度全力做好常态化疫情防控覆盖区县16个，推进健康西安建设覆盖区县16{unit}，培养全科医生300人次。"
    assert found(told(("十三", text.format(unit="个"))), "N.counts") == []
    assert found(told(("十三", text.format(unit="人"))), "N.counts") == [Severity.WARNING]


# --- 项目绩效自评综述 and its 自评表 --------------------------------------------------------------------


def _form(name: str, budget: str, actual: str) -> tuple[ExtraTable, ExtraTable]:
    """A 项目支出绩效自评表 as the PDF reader keeps it: the titled part and its figures."""
    head = ExtraTable(
        f"西安市级2022年{name}项目绩效自评表", (("项目名称主管部门项目资金（万元）", "", ""),)
    )
    figures = ExtraTable(
        "",
        (
            ("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率B/A"),
            ("240", budget, actual, "10", "100.0"),
        ),
    )
    return head, figures


def test_a_summary_against_its_own_form() -> None:
    text = PROJECT.format(rate="100")
    same = (*_form("病媒生物防制", "229.19", "229.19"), *_form("考试考务费", "364.97", "364.97"))
    assert found(told(("十三", text), tables=same), "N.project") == []
    other = (*_form("病媒生物防制", "229.19", "212.00"), *_form("考试考务费", "364.97", "364.97"))
    assert found(told(("十三", text), tables=other), "N.project") == [Severity.ERROR]


def test_forms_of_one_name_pair_by_their_figures() -> None:
    text = (
        "（三）项目绩效自评结果。\n1.甲单位疫情防控经费项目绩效自评综述：全年预算数1033万元，执行数1033万元，完成预算的100%。\n"
        "2.乙单位疫情防控经费项目绩效自评综述：全年预算数1395万元，执行数1392.2万元，完成预算的99.8%。"
    )
    # the first summary's form does not name its project as the summary does
    forms = (*_form("防控", "1,033.00", "1,033.00"), *_form("疫情防控经费", "1,395.00", "1,392.20"))
    assert found(told(("十三", text), tables=forms), "N.project") == []


def test_the_listed_budgets_against_the_stated_total() -> None:
    head = "（三）项目绩效自评结果。\n本部门在部门决算中反映病媒生物防制项目等2个一级项目的绩效自评结果，涉及预算资金{x}万元。具体见下：\n"
    listed = "\n".join(PROJECT.format(rate="100").split("\n")[2:])
    assert found(told(("十三", head.format(x="594.16") + listed)), "N.project") == []
    assert found(told(("十三", head.format(x="590.16") + listed)), "N.project") == [
        Severity.WARNING
    ]


def test_forms_copied_from_another_project_are_one_finding() -> None:
    """Two forms that print the figures of a third project (copied from its form)."""
    text = (
        "（三）项目绩效自评结果。\n1.第一医院医用光学仪器项目绩效自评综述：全年预算数512万元，执行数512万元，完成预算的100%。\n"
        "2.第一医院公共卫生事业发展资金项目绩效自评综述：全年预算数400万元，执行数400万元，完成预算的100%。\n"
        "3.第一医院迁建项目（设备购置）绩效自评综述：全年预算数7614.74万元，执行数7614.74万元，完成预算的100%。"
    )
    forms = (
        *_form("医用光学仪器", "7614.74", "7614.74"),
        *_form("公共卫生事业发展资金", "7614.74", "7614.74"),
        *_form("第一医院迁建项目（设备购置）", "7614.74", "7614.74"),
    )
    report = told(("十三", text), tables=forms)
    findings = [f for f in review(report, narrative_rules()).findings if f.rule_id == "N.project"]
    assert [f.severity for f in findings] == [Severity.ERROR]
    assert "512" in (findings[0].location.quote or "") and "400万元" in findings[0].message


def test_groups_received_are_not_groups_sent() -> None:
    text = "（一）因公出国（境）费5.55万元。全年安排因公出国（境）团组1个、累计2人次；接待来访团组10个。"
    assert found(told(("七", text)), "N.counts") == []


def test_no_floor_when_the_stated_balance_does_not_hold() -> None:
    """A broken balance is N.balance's; the resources it states are then not all there is."""
    broken = OVERALL.replace("年末结转和结余494.80万元", "年末结转和结余594.80万元")
    report = told(
        ("四", broken),
        ("五", "2015年一般公共财政拨款支出372.33万元。"),
        ("六", "2015年度政府性基金支出 0 万元。"),
    )
    assert found(report, "N.fiscal") == []
    assert found(report, "N.balance") == [Severity.ERROR]
