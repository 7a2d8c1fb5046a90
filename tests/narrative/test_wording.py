"""The wording checks (narrative/wording.py) on inline sentences: each failure named after it,
with a passing twin, and the phrasings that look alike but are right."""

from __future__ import annotations

from dataclasses import replace

import pytest

from juesuan.model.report import NarrativeSection, Report
from juesuan.model.tables import Table
from juesuan.narrative.review import review
from juesuan.narrative.wording import other_unit, parse_vocabulary, vocabulary
from juesuan.rules.declarations import narrative_rules
from juesuan.rules.finding import Finding, Severity

TITLES = {
    "一": "收入支出决算总体情况说明",
    "四": "财政拨款收入支出决算总体情况说明",
    "五": "一般公共预算财政拨款支出决算情况说明",
    "六": "一般公共预算财政拨款基本支出决算情况说明",
    "七": "一般公共预算财政拨款“三公”经费支出决算情况说明",
    "十三": "预算绩效情况说明",
}
WORDING = {
    "N.residue",
    "N.direction",
    "N.placeholder",
    "N.missing_percent",
    "N.figure_unit",
    "N.zero_list",
    "N.unit_name",
    "N.stray_heading",
    "N.typo",
}


def narrate(report: Report, *sections: tuple[str, str]) -> Report:
    return replace(
        report,
        sections=tuple(NarrativeSection(n, TITLES[n], text) for n, text in sections),
        parts=(),
    )


def found(report: Report, rule_id: str) -> list[Finding]:
    return [f for f in review(report, narrative_rules()).findings if f.rule_id == rule_id]


def severities(report: Report, rule_id: str) -> list[Severity]:
    return [f.severity for f in found(report, rule_id)]


def wording_findings(report: Report) -> list[Finding]:
    return [f for f in review(report, narrative_rules()).findings if f.rule_id in WORDING]


CHANGE = "与2020年度相比，一般公共预算财政拨款支出增加8.98万元，增长{rate}。"
SANGONG = "2021年度“三公”经费财政拨款支出决算数比2020年度减少0.15万元，{words}27.78%。"

# rule id → (section, passing text, failing text, severity of the failure)
CASES: dict[str, tuple[str, str, str, Severity]] = {
    "N.missing_percent": (
        "五",
        CHANGE.format(rate="4.32%"),
        CHANGE.format(rate="4.32"),
        Severity.ERROR,
    ),
    "N.figure_unit": (
        "五",
        "事业运行（项）财政拨款支出10.02万元，较上年决算数增加10.02万元。",
        "事业运行（项）财政拨款支出10.02，较上年决算数增加10.02万元。",
        Severity.WARNING,
    ),
    "N.residue": (
        "七",
        SANGONG.format(words="下降"),
        SANGONG.format(words="下降（增长）"),
        Severity.ERROR,
    ),
    "N.direction": (
        "七",
        "2021年度“三公”经费一般公共预算拨款13.34万元，同比减少47.43%。",
        "2021年度“三公”经费一般公共预算拨款13.34万元，同比增长减少47.43%。",
        Severity.ERROR,
    ),
    "N.placeholder": (
        "四",
        "本年支出470.91万元，事业基金弥补收支差额0万元，结余分配0万元。",
        "本年支出470.91万元，事业基金弥补收支差额/万元，结余分配/万元。",
        Severity.WARNING,
    ),
    "N.zero_list": (
        "六",
        "（一）人员经费0.00万元。（二）公用经费9.07万元，主要包括：办公费、印刷费、水费。",
        "（一）人员经费0.00万元，主要包括：基本工资、津贴补贴、奖金。",
        Severity.WARNING,
    ),
    "N.typo": (
        "四",
        "政府性基金预算财政拨款收入与上年同期相比，增加144.81%。",
        "政府性基金预算财政拨款收入与上年同期相比，增加144.81%，。",
        Severity.WARNING,
    ),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_wording_rule_passes_and_fails(rule_id: str, seed002: Report) -> None:
    section, good, bad, severity = CASES[rule_id]
    assert severities(narrate(seed002, (section, good)), rule_id) == [], good
    assert severities(narrate(seed002, (section, bad)), rule_id) == [severity], bad


def test_declared_severities() -> None:
    rules = {r.id: r.severity for r in narrative_rules()}
    assert rules["N.residue"] is Severity.ERROR
    assert rules["N.missing_percent"] is Severity.ERROR
    for soft in ("N.figure_unit", "N.zero_list", "N.unit_name", "N.stray_heading", "N.typo"):
        assert rules[soft] is Severity.WARNING, soft


# --- a figure without its unit ---------------------------------------------------------------


def test_rate_without_percent_quotes_the_sentence(seed002: Report) -> None:
    report = narrate(
        seed002,
        ("五", "一般公共预算财政拨款支出增加\n1193.20 万元，增长 13.95。主要原因：项目支出增加。"),
    )
    [f] = found(report, "N.missing_percent")
    assert f.found == "增长 13.95" and "增长 13.95。" in (f.location.quote or "")


def test_a_rate_word_without_a_change_before_it_is_a_missing_unit(seed002: Report) -> None:
    """ "增长 13.95" with no amount before it may be 13.95 万元 as well as 13.95%: a warning."""
    report = narrate(seed002, ("五", "一般公共预算财政拨款支出9746.50万元，较上年增长 13.95。"))
    assert severities(report, "N.missing_percent") == []
    assert severities(report, "N.figure_unit") == [Severity.WARNING]


def test_rate_word_after_a_change_is_its_rate(seed002: Report) -> None:
    text = "法院（款）案件执行（项）支出950万元，与上年相比减少100 万元，减少 9.52，主要原因是压减了经费。"
    assert severities(narrate(seed002, ("五", text)), "N.missing_percent") == [Severity.ERROR]


def test_wan_throughout_a_sentence_is_one_finding(seed002: Report) -> None:
    text = "项目总预算1410.00万，其中支持品牌集聚340.00万，支持商业服务能力提升80.00万元。"
    [f] = found(narrate(seed002, ("五", text)), "N.figure_unit")
    assert f.found == "1410.00万、340.00万"


def test_wan_for_wanyuan(seed002: Report) -> None:
    bad = "其中：国内公务接待支出0.39万（含外宾接待支出0.00万元）。"
    good = "其中：国内公务接待支出0.39万元（含外宾接待支出0.00万元）。"
    assert severities(narrate(seed002, ("七", bad)), "N.figure_unit") == [Severity.WARNING]
    assert severities(narrate(seed002, ("七", good)), "N.figure_unit") == []


@pytest.mark.parametrize(
    "text",
    [
        "2024年度收入总计217.02万元，与2023年度相比增加8.98万元，增长4.32%。",  # years
        "（一）2010450一般公共服务支出(类)发展与改革事务(款)事业运行（项）财政拨款支出10.02万元。",  # codes
        "社会保障和就业支出（科目编码：2080501）84.65万元，较上年增加1.20万元。",
        "2015本年收入488.62万元，比2014年决算数增加48.70万元，增长11.08%。",
        "年末公务用车保有量 20 辆，较上年增加2辆，支出2.00万元。",  # counts with their own units
        "主要原因是增加文明奖以及2015年比2014年增加0.3的年终奖，共计12.00万元。",
        "收、支总计各增加8.98、8.98万元，各增长4.32%、4.32%。",  # a list sharing its unit
        "较2014年决算数4490.97万元减少3001.97万元，下降66. 85%。",  # a space inside the number
        "较2016年决算数增加0.52万元，增长4.5 %。",  # a space before %
        "第3季度支出12.50万元，较上年增长20倍。",
        "截至2024.12.31，本年支出合计9759.38万元。",  # a date
        "3.2 一般公共预算财政拨款支出 9746.50 万元。",  # a section number
        "覆盖家庭9.3万户，支出12.50万元。",  # 万 with a counted unit
    ],
)
def test_figures_with_their_units_are_not_flagged(seed002: Report, text: str) -> None:
    report = narrate(seed002, ("五", text))
    assert severities(report, "N.figure_unit") == [], text
    assert severities(report, "N.missing_percent") == [], text


# --- template residue ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words", ["下降（增长）", "增长(下降)", "增加（减少）", "减少/增加", "持平（增长）"]
)
def test_both_alternatives_of_a_template(seed002: Report, words: str) -> None:
    report = narrate(seed002, ("七", SANGONG.format(words=words)))
    assert severities(report, "N.residue") == [Severity.ERROR], words


def test_alternatives_before_zero_are_a_warning(seed002: Report) -> None:
    """ "增加（减少）0万元，增长（减少）0%": nothing stated is wrong, the template is unedited."""
    text = "其中：因公出国（境）经费0万元，较上年增加（减少）0万元，增长（减少）0%，增加（减少）的主要原因是未安排出国任务。"
    [f] = found(narrate(seed002, ("七", text)), "N.residue")
    assert f.severity is Severity.WARNING and f.found == "增加（减少）、增长（减少）"


@pytest.mark.parametrize("words", ["增长减少", "增加减少", "减少增加", "下降 增长", "上升降低"])
def test_contradictory_direction_words(seed002: Report, words: str) -> None:
    report = narrate(seed002, ("七", SANGONG.format(words=words)))
    assert severities(report, "N.direction") == [Severity.ERROR], words


@pytest.mark.parametrize(
    "text",
    [
        "收入增减变化的主要原因是项目增加、人员减少。",
        "增加（增长）的主要原因是项目增加。",  # the same direction twice is no contradiction
        "人员经费减少，增加0.15万元的原因是项目增加。",
        "“三公”经费增长/下降的主要原因见下文。",  # no figure follows the slash
    ],
)
def test_direction_words_that_are_not_residue(seed002: Report, text: str) -> None:
    report = narrate(seed002, ("七", text))
    assert severities(report, "N.residue") == [] and severities(report, "N.direction") == []


INSTRUCTION = "无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明："
SAID = "说明：焦作市劳动保障信息中心本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"


def test_template_instruction_in_a_table_note(seed002: Report) -> None:
    table = seed002.table("08")
    noted = replace(
        table, note=f"注：本表反映部门本年度政府性基金预算财政拨款收入支出情况。{INSTRUCTION}{SAID}"
    )
    plain = replace(table, note=f"注：本表反映部门本年度政府性基金预算财政拨款收入支出情况。{SAID}")

    def with_note(t: Table) -> Report:
        return replace(narrate(seed002), tables={**seed002.tables, t.id: t})

    [f] = found(with_note(noted), "N.residue")
    assert f.severity is Severity.ERROR and "仍保留该表格式" in (f.location.quote or "")
    assert found(with_note(plain), "N.residue") == []


def test_template_instruction_in_a_part_is_reported_once(seed002: Report) -> None:
    """The text of a part and the table note often print the same lines: one finding."""
    text = f"政府性基金预算财政拨款收入支出决算表\n单位：万元\n{INSTRUCTION}\n{SAID}"
    table = replace(seed002.table("08"), note=f"{INSTRUCTION}{SAID}")
    report = replace(
        narrate(seed002),
        parts=(NarrativeSection("第二部分", "部门决算表", text),),
        tables={**seed002.tables, table.id: table},
    )
    assert severities(report, "N.residue") == [Severity.ERROR]


@pytest.mark.parametrize(
    "text",
    [
        "（此处填写本部门机构设置情况）",
        "请根据实际情况填写主要原因。",
        "以下为示例：某某单位2024年度收入100万元。",
    ],
)
def test_other_instructions(seed002: Report, text: str) -> None:
    assert severities(narrate(seed002, ("一", text)), "N.residue") == [Severity.ERROR], text


def test_a_fill_in_marker_is_a_warning(seed002: Report) -> None:
    """``juesuan build`` marks a reason the source did not give as 【请填写原因】: a visible gap
    of a draft, not an instruction passed off as the report's text."""
    text = "决算数小于年初预算数的主要原因是【请填写原因】。"
    assert severities(narrate(seed002, ("五", text)), "N.residue") == [Severity.WARNING]


def test_real_explanations_are_not_instructions(seed002: Report) -> None:
    text = (
        "本表反映部门本年度政府性基金预算财政拨款收入支出情况。"
        "我单位根据实际情况修改完善了内控制度，并按规定在门户网站公开。"
        "填报单位：焦作市劳动保障信息中心。"
    )
    assert severities(narrate(seed002, ("一", text)), "N.residue") == []


@pytest.mark.parametrize(
    "text",
    [
        "单价（台/元）1200元，设备购置数量3台，支出0.36万元。",  # a ratio unit
        "人均经费（人/万元）为1.20万元。",
        "“财政核拨//”为不适用，本年支出12.00万元。",
    ],
)
def test_slashes_that_are_no_placeholder(seed002: Report, text: str) -> None:
    assert severities(narrate(seed002, ("四", text)), "N.placeholder") == [], text


# --- a composition listed for nothing --------------------------------------------------------


def test_list_naming_items_stated_as_zero(seed002: Report) -> None:
    six = "（二）公用经费161.63万元，主要包括：办公费、印刷费、因公出国（境）费用、公务接待费、专用材料费。"
    seven = "（一）因公出国（境）费0.00万元。（三）公务接待费0.00万元。"
    report = narrate(seed002, ("六", six), ("七", seven))
    [f] = found(report, "N.zero_list")
    assert f.severity is Severity.WARNING
    assert "因公出国（境）费0.00万元" in f.message and "公务接待费0.00万元" in f.message
    spent = narrate(seed002, ("六", six), ("七", seven.replace("0.00", "1.20")))
    assert found(spent, "N.zero_list") == []


def test_list_with_figures_is_no_template(seed002: Report) -> None:
    text = "（一）人员经费0.00万元，其中：基本工资0.00万元、津贴补贴0.00万元、奖金0.00万元。"
    assert severities(narrate(seed002, ("六", text)), "N.zero_list") == []


# --- the unit a heading names ----------------------------------------------------------------

UNIT = "上海市普陀区规划和自然资源局"


@pytest.mark.parametrize(
    "name",
    [
        "上海市规划和自然资源局",  # the municipal bureau: 普陀区 dropped between kept levels
        "上海市普陀区财政局",  # another unit altogether
    ],
)
def test_other_unit(name: str) -> None:
    assert other_unit(name, UNIT)


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        (UNIT, UNIT),
        ("上海市普陀区 规划和自然资源局", UNIT),
        ("普陀区规划和自然资源局", UNIT),  # words dropped from the start
        ("上海市普陀区规划与自然资源局", UNIT),  # 与 for 和: a wording slip, the same unit
        ("平潭综合实验区台湾工作部", "平潭综合实验区党工委管委会台湾工作部"),  # an organ dropped
        ("西安市卫生健康委员会", "西安市卫生健康委员会（汇总）"),
        ("中共上海市普陀区委社会工作部", "上海市普陀区委社会工作部"),
        ("本部门", UNIT),  # no unit's name
        ("财政拨款收入支出", UNIT),
    ],
)
def test_same_unit(name: str, unit: str) -> None:
    assert not other_unit(name, unit)


def test_member_units_of_a_consolidated_report() -> None:
    """A 汇总 report prints its member units' names; a higher level's name is still wrong."""
    unit = "西安市卫生健康委员会（汇总）"
    assert not other_unit("西安市中心医院", unit, consolidated=True)
    assert other_unit("西安市中心医院", unit)
    assert other_unit("陕西省卫生健康委员会", "陕西省西安市卫生健康委员会", consolidated=True)


def test_figures_in_yuan(seed002: Report) -> None:
    """A report in 元 states its rates after changes in 元 the same way."""
    text = "2021年度收支总计2,170,200.00元，与2020年度相比增加89,800.00元，增长4.32。"
    assert severities(narrate(seed002, ("一", text)), "N.missing_percent") == [Severity.ERROR]
    plain = "本年支出合计2,170,200.00元，其中基本支出1,612,200.00，项目支出558,000.00元。"
    [f] = found(narrate(seed002, ("一", plain)), "N.figure_unit")
    assert "“元”" in f.message


def _with_heading(seed002: Report, heading: str) -> Report:
    part = NarrativeSection("第二部分", "部门决算表", f"{heading}\n收入支出决算总表\n单位：万元")
    return replace(narrate(seed002), parts=(part,), unit_name=UNIT)


def test_heading_naming_another_unit(seed002: Report) -> None:
    [f] = found(_with_heading(seed002, "上海市规划和自然资源局 2024 年度部门决算表"), "N.unit_name")
    assert (
        f.severity is Severity.WARNING
        and f.location.quote == "上海市规划和自然资源局 2024 年度部门决算表"
    )
    assert found(_with_heading(seed002, f"{UNIT} 2024 年度部门决算表"), "N.unit_name") == []
    assert found(_with_heading(seed002, "2024年度上海市规划和自然资源局部门决算"), "N.unit_name")
    # a sentence that names the unit is no heading
    sentence = "纳入上海市规划和自然资源局 2024 年度部门决算编"
    assert found(_with_heading(seed002, sentence), "N.unit_name") == []


# --- a heading run into the text -------------------------------------------------------------

RUN_IN = (
    "2、履职效果情况。\n从社会效益看，进一步解决了群众看病难看病贵的问题，\n"
    "现在的关键就是主动作为、狠抓\n落实，一天当作两天干，让蓝图成为现实。三、服务对象满意度\n"
    "情况。服务对象满意度为85%以上。\n发现的问题及原因：预算编制不精准。"
)


def test_heading_run_into_the_text(seed002: Report) -> None:
    [f] = found(narrate(seed002, ("十三", RUN_IN)), "N.stray_heading")
    assert f.severity is Severity.WARNING
    assert f.location.quote == "三、服务对象满意度情况。服务对象满意度为85%以上。"


def test_heading_on_its_own_line_is_not_stray(seed002: Report) -> None:
    text = RUN_IN.replace("成为现实。三、", "成为现实。\n三、")
    assert found(narrate(seed002, ("十三", text)), "N.stray_heading") == []


def test_flattened_text_is_not_judged(seed002: Report) -> None:
    """A crawled page flattened onto one line runs every heading into the text."""
    flat = RUN_IN.replace("\n", "")
    assert found(narrate(seed002, ("十三", flat)), "N.stray_heading") == []


def test_inline_enumeration_with_figures_is_not_a_heading(seed002: Report) -> None:
    text = "主要用于：\n人员经费。一、基本工资12.00万元。二、津贴补贴3.00万元。\n其他。"
    assert found(narrate(seed002, ("六", text)), "N.stray_heading") == []


# --- typos the document proves ---------------------------------------------------------------


def test_confused_word_proven_by_the_document(seed002: Report) -> None:
    five = "决算数小于年初预算数的主要原因是：预算资金转移支付区县，相关支出不在本报表反应。"
    proof = ("一", "本表反映部门本年度的总收支和年末结转结余情况。")
    [f] = found(narrate(seed002, proof, ("五", five)), "N.typo")
    assert f.severity is Severity.WARNING and f.location.quote == "相关支出不在本报表反应。"
    unproven = narrate(replace(seed002, tables={}), ("五", five))  # no 本表反映 in table notes
    assert found(unproven, "N.typo") == []  # nothing proves which word was meant


def test_a_word_that_is_right_in_its_frame(seed002: Report) -> None:
    text = "本表反映疫苗接种情况，全年监测疑似预防接种异常反应12例，支出1.00万元。"
    assert found(narrate(seed002, ("十三", text)), "N.typo") == []


def test_persons_counted_as_hospitals(seed002: Report) -> None:
    text = "引进高层次人才744人，培养全科医院300人次，评选示范基地3个。组织全科医生转岗培训320人。"
    [f] = found(narrate(seed002, ("十三", text)), "N.typo")
    assert f.location.quote == "培养全科医院300人次，"
    built = "建成全科医院3所，培养全科医生300人次。"  # hospitals counted as hospitals
    assert found(narrate(seed002, ("十三", built)), "N.typo") == []


@pytest.mark.parametrize(
    "text",
    [
        "资金较上一度增加1133.95万元。",  # wording slips that change no figure
        "主要原因是是项目增加，用于用于办公。",
        "2016度政府性基金支出54.00万元，政府采购支出支出12.00万元。",
        "“三公”经费支出……具体如下：",
    ],
)
def test_slips_that_change_nothing_are_left_alone(seed002: Report, text: str) -> None:
    assert found(narrate(seed002, ("五", text)), "N.typo") == []


# --- the vocabulary --------------------------------------------------------------------------


def test_vocabulary_is_data() -> None:
    vocab = vocabulary()
    assert vocab.instructions and vocab.typos and "局" in vocab.unit_endings
    assert vocab.unit_endings[0] == max(vocab.unit_endings, key=len)  # longest first
    mine = parse_vocabulary(
        {"instructions": ["此处略"], "typo": [{"wrong": "帐户", "right": "账户", "why": "x"}]}
    )
    assert mine.instructions[0].pattern == "此处略" and mine.typos[0].after is None


def test_seed_reports_have_no_wording_error(seed002: Report) -> None:
    errors = [f for f in wording_findings(seed002) if f.severity is Severity.ERROR]
    assert errors == []
