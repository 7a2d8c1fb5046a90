"""Every narrative rule with a passing and a failing sentence, on seed 002's real tables; and the
acceptance cases on both seeds."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from juesuan.api import audit
from juesuan.model import edit
from juesuan.model.report import NarrativeSection, Report
from juesuan.narrative.checks import REQUIRED_SCOPES
from juesuan.narrative.review import review
from juesuan.rules.declarations import narrative_rules
from juesuan.rules.finding import Severity

TITLES = {
    "一": "收入支出决算总体情况说明",
    "二": "收入决算情况说明",
    "三": "支出决算情况说明",
    "四": "财政拨款收入支出决算总体情况说明",
    "五": "一般公共预算财政拨款支出决算情况说明",
    "六": "一般公共预算财政拨款基本支出决算情况说明",
    "七": "一般公共预算财政拨款“三公”经费支出决算情况说明",
    "十一": "政府采购支出情况说明",
    "十三": "预算绩效情况说明",
}
RULES = {r.id: r for r in narrative_rules()}


def narrate(report: Report, *sections: tuple[str, str]) -> Report:
    return replace(
        report,
        sections=tuple(NarrativeSection(n, TITLES[n], text) for n, text in sections),
        parts=(),
    )


def hits(report: Report, rule_id: str, prior: Report | None = None) -> list[Severity]:
    found = review(report, narrative_rules(), prior=prior).findings
    return [f.severity for f in found if f.rule_id == rule_id]


FIVE_2 = "（二）结构情况\n2021 年度一般公共预算财政拨款支出 217.00 万元，主要用于以下方面：教育（类）支出 0.41 万元，占 0.19%；社会保障和就业（类）支出 210.33 万元，占 96.93%；{label}（类）支出 6.26 万元，占 {share}%。"
FIVE_3 = "（三）具体情况\n2021 年度一般公共预算财政拨款支出年初预算为 {total} 万元，支出决算为 217.00 万元，完成年初预算的 {rate}%。其中：\n1. 教育支出（类）进修及培训（款）培训支出（项）。年初预算为 0.41 万元，支出决算为 0.41 万元，完成年初预算的 100.00%。\n2. 社会保障和就业支出（类）人力资源和社会保障管理事务（款）信息化建设（项）。年初预算为 50.32 万元，支出决算为 50.32 万元，完成年初预算的 100.00%。\n3. 社会保障和就业支出（类）人力资源和社会保障管理事务（款）{item}（项）。年初预算为 160.00 万元，支出决算为 166.27 万元，完成年初预算的 103.92%。"

# rule id → (section, passing text, failing text)
CASES: dict[str, tuple[str, str, str]] = {
    "N.unit": (
        "一",
        "2021 年度收、支总计均为 217.02 万元。",
        "2021 年度收、支总计均为 217.02 万万元。",
    ),
    "N.year": (
        "一",
        "主要原因是 2021 年较 2020 年度增加了项目。",
        "主要原因是 2021 年较 2010 年度增加了项目。",
    ),
    "N.placeholder": (
        "一",
        "2021 年度收、支总计均为 217.02 万元。",
        "2021 年度收、支总计均为 XX 万元。",
    ),
    "N.amount": ("二", "2021 年度收入合计 217.00 万元。", "2021 年度收入合计 218.00 万元。"),
    "N.misnamed": (
        "六",
        "2021 年度一般公共预算财政拨款基本支出 161.22 万元。其中：人员经费 152.15 万元。",
        "2021 年度一般公共预算财政拨款基本支出 161.22 万元。其中：人员经费 161.22 万元。",
    ),
    "N.share": (
        "五",
        FIVE_2.format(label="卫生健康", share="2.88"),
        FIVE_2.format(label="卫生健康", share="2.89"),
    ),
    "N.change": (
        "一",
        "2021 年度收、支总计均为 217.02 万元。与 2020 年度相比，收、支总计各增加 8.98 万元，增长 4.32%。",
        "2021 年度收、支总计均为 217.02 万元。与 2020 年度相比，收、支总计各增加 8.98 万元，增长 4.50%。",
    ),
    "N.direction": (
        "一",
        "2021 年度收、支总计均为 217.02 万元。与 2020 年度相比，收、支总计各增加 8.98 万元，增长 4.32%。",
        "2021 年度收、支总计均为 217.02 万元。与 2020 年度相比，收、支总计各增加 8.98 万元，下降 4.32%。",
    ),
    "N.zero_base": (
        "七",
        "（一）总体情况\n2021 年度“三公”经费财政拨款支出预算为 0.20 万元，支出决算为 0.00 万元，完成预算的 0.00%。",
        "（一）总体情况\n2021 年度“三公”经费财政拨款支出预算为 0.00 万元，支出决算为 0.20 万元，完成预算的 100.00%。",
    ),
    "N.completion": (
        "五",
        FIVE_3.format(total="217.00", rate="100.00", item="其他人力资源和社会保障管理事务支出"),
        FIVE_3.format(total="217.00", rate="99.00", item="其他人力资源和社会保障管理事务支出"),
    ),
    "N.boilerplate": (
        "七",
        "（一）总体情况\n2021 年度“三公”经费财政拨款支出预算为 0.20 万元，支出决算为 0.00 万元，完成预算的 0.00%。决算数小于预算数的主要原因是没有发生。",
        "（一）总体情况\n2021 年度“三公”经费财政拨款支出预算为 0.20 万元，支出决算为 0.00 万元，完成预算的 0.00%。决算数大于预算数的主要原因是没有发生。",
    ),
    "N.label": (
        "五",
        FIVE_2.format(label="卫生健康", share="2.88"),
        FIVE_2.format(label="医疗卫生和计划生育", share="2.88"),
    ),
    "N.items": (
        "六",
        "2021 年度一般公共预算财政拨款基本支出 161.22 万元。其中：人员经费 152.15 万元；公用经费 9.07 万元。",
        "2021 年度一般公共预算财政拨款基本支出 160.22 万元，其中：人员经费 152.15 万元；公用经费 9.07 万元。",
    ),
    "N.budget_total": (
        "五",
        FIVE_3.format(total="210.73", rate="102.98", item="其他人力资源和社会保障管理事务支出"),
        FIVE_3.format(total="217.00", rate="100.00", item="其他人力资源和社会保障管理事务支出"),
    ),
    "N.procurement": (
        "十一",
        "2021 年度政府采购支出总额 5.46 万元，其中：政府采购货物支出 5.46 万元、政府采购工程支出 0.00 万元、政府采购服务支出 0.00 万元。",
        "2021 年度政府采购支出总额 5.46 万元，其中：政府采购货物支出 5.00 万元、政府采购工程支出 0.00 万元、政府采购服务支出 0.00 万元。",
    ),
    "N.unverified": (
        "二",
        "2021 年度收入合计 217.00 万元。",
        "2021 年度收入合计 217.00 万元，其中：网络租金 38.00 万元。",
    ),
}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_narrative_rule_passes_and_fails(rule_id: str, seed002: Report) -> None:
    section, good, bad = CASES[rule_id]
    expected = RULES[rule_id].severity
    assert expected not in hits(narrate(seed002, (section, good)), rule_id), good
    assert expected in hits(narrate(seed002, (section, bad)), rule_id), bad


def test_same_quantity_across_parts(seed002: Report) -> None:
    base = narrate(seed002, ("十三", "项目资金执行情况分析。制卡费用为24.02万元。"))
    same = replace(base, parts=(NarrativeSection("第六部分", "附件", "制卡费用为 24.02 万元。"),))
    other = replace(base, parts=(NarrativeSection("第六部分", "附件", "制卡费用为 20 万元。"),))
    assert hits(same, "N.same_quantity") == []
    assert hits(other, "N.same_quantity") == [Severity.ERROR]


def test_prior_carry_over(seed002: Report) -> None:
    report = narrate(seed002)
    continued = edit.set_cell(seed002, "01", "年末结转和结余", "决算数", Decimal("153.34"))
    assert hits(report, "N.prior", prior=continued) == []
    assert hits(report, "N.prior", prior=seed002) == [Severity.ERROR]  # 169.84 ≠ 153.34
    assert hits(report, "N.prior") == []  # no prior given: nothing to compare


def test_right_figures_that_look_wrong(seed002: Report) -> None:
    report = narrate(
        seed002,
        (
            "六",
            "2021 年度一般公共预算财政拨款基本支出 161.22 万元。其中：人员经费 152.15 万元，主要包括：基本工资、津贴补贴；公用经费 9.07 万元。",
        ),
        (
            "二",
            "2021 年度收入合计 217.00 万元，其中：财政拨款收入 217.00 万元，占 100.00%；其他收入 0.00 万元，占 0.00%。",
        ),
    )
    bad = [f for f in review(report, narrative_rules()).findings if f.severity is Severity.ERROR]
    assert bad == []


def test_seed002_acceptance(seed002_path: object) -> None:
    result = audit(str(seed002_path))
    errors = {
        (f.rule_id, f.location.section) for f in result.findings if f.severity is Severity.ERROR
    }
    assert ("N.unit", "一") in errors  # 217.02 万万元
    assert ("N.unit", "五") in errors  # 193.29 元
    assert ("N.year", "四") in errors  # 2021 年较 2010 年度
    assert ("N.share", "五") in errors  # 2.89% where the tables give 2.88%
    labels = [f for f in result.findings if f.rule_id == "N.label"]
    assert len(labels) == 3 and all(f.location.quote for f in labels)
    assert ("N.misnamed", "十三") in errors  # 人员经费 161.22 is 基本支出
    # right figures are not flagged: 152.15 + 9.07 = 161.22, 96.93%, 4.32%
    flagged = {f.found for f in result.findings if f.severity is Severity.ERROR}
    assert not flagged & {"152.15 万元", "9.07 万元", "96.93%", "4.32%", "8.98 万元"}
    assert {c.status for c in result.claims} == {"verified", "wrong", "unverified"}


def test_seed000_inconsistencies_without_tables(seed000: Report) -> None:
    result = audit(seed000)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    rules = {f.rule_id for f in errors}
    assert {"N.same_quantity", "N.budget_total", "N.boilerplate"} <= rules
    # 预算 0 and 决算 0 "完成预算的 0%" is a convention to point out, not an error
    zero = [f.severity for f in result.findings if f.rule_id == "N.zero_base"]
    assert zero and set(zero) == {Severity.WARNING}
    same = next(f for f in errors if f.rule_id == "N.same_quantity")
    assert "20 万元" in same.message and "24.02" in same.message
    notices = [f for f in result.findings if f.rule_id == "N.items"]
    assert [f.severity for f in notices] == [Severity.NOTICE]  # 50.49 against 50.47


def test_required_sections(seed002: Report, seed000: Report) -> None:
    assert hits(seed002, "N.sections") == []
    assert hits(seed000, "N.sections") == []  # its own numbering (三公 is 九) covers all
    missing = narrate(seed002, ("一", "2021 年度收、支总计均为 217.02 万元。"))
    assert len(hits(missing, "N.sections")) == len(REQUIRED_SCOPES) - 1
    assert hits(narrate(seed002), "N.sections") == [Severity.WARNING]  # no 情况说明 at all


@pytest.mark.parametrize(
    ("shares", "wrong"),
    [("74.30%、25.70%", 0), ("74.30%、26.70%", 1), ("25.70%、74.30%", 2)],
)
def test_respective_shares(seed002: Report, shares: str, wrong: int) -> None:
    text = (
        f"2021年度本年支出合计217.00万元，基本支出161.22万元、项目支出55.78万元，分别占{shares}。"
    )
    assert hits(narrate(seed002, ("三", text)), "N.share").count(Severity.ERROR) == wrong


@pytest.mark.parametrize(
    "text",
    [
        "2021年度收入总计217.02万元，其中：本年收入合计217.00万元，使用非财政拨款结余0.00万元，年初结转和结余0.02万元。2021年度支出总计217.02万元，其中：本年支出合计217.00万元，结余分配0.00万元，年末结转和结余0.02万元。",
        "2021年度收、支总计各是217.02、217.02万元。与2020年度相比，收、支总计各增加8.98、8.98万元，各增长4.32%、4.32%。",
        "2021年度收支总计217.02万元，较上年增加8.98万元，增长4.32%，主要原因是项目增加。",
    ],
)
def test_regional_phrasings_of_section_one(seed002: Report, text: str) -> None:
    """Phrasings of other regions (official.md §5.2) with right figures give no error."""
    report = narrate(seed002, ("一", text))
    assert [
        f for f in review(report, narrative_rules()).findings if f.severity is Severity.ERROR
    ] == []


def test_plain_class_names_in_the_structure_section(seed002: Report) -> None:
    lead = "（二）结构情况\n2021年度一般公共预算财政拨款支出217.00万元，主要用于以下方面："
    right = lead + "教育支出0.41万元，占0.19%；卫生健康支出6.26万元，占2.88%。"
    wrong = lead + "教育支出0.41万元，占0.19%；卫生健康支出6.30万元，占2.90%。"
    assert hits(narrate(seed002, ("五", right)), "N.amount") == []
    assert hits(narrate(seed002, ("五", wrong)), "N.amount") == [Severity.ERROR]


def test_zero_base_conventions_are_warnings(seed002: Report) -> None:
    """0/0 and the "增长100%" of a new item are conventions a reviewer should see, not errors
    (ERRORS.md soft); a real rate against a zero 年初预算 stays an error even when the
    sentence also gives the 全年预算 it was computed from (003 说明五（三）)."""
    zero = (
        "2021 年度“三公”经费财政拨款支出预算为 0.00 万元，支出决算为 0.00 万元，完成预算的 0.00%。"
    )
    assert hits(narrate(seed002, ("七", zero)), "N.zero_base") == [Severity.WARNING]
    new = (
        "2021 年度一般公共预算财政拨款支出 217.02 万元，与上年相比增加 217.02 万元，增长 100.00%。"
    )
    assert hits(narrate(seed002, ("五", new)), "N.zero_base") == [Severity.WARNING]
    both = (
        "（三）一般公共预算财政拨款支出决算具体情况\n一般公共预算财政拨款支出年初预算为0万元，全年预算为"
        "224.00万元，支出决算为217.02万元，完成年初预算的96.88%。决算数小于预算数的主要原因：人员变动。"
    )
    found = review(narrate(seed002, ("五", both)), narrative_rules()).findings
    assert [
        (f.rule_id, f.severity) for f in found if f.rule_id in ("N.zero_base", "N.boilerplate")
    ] == [("N.zero_base", Severity.ERROR)]


def test_every_topic_has_one_rule_and_every_rule_a_check() -> None:
    from juesuan.narrative.checks import topics

    declared = [str(r.params["topic"]) for r in narrative_rules()]
    assert sorted(declared) == sorted(set(declared))
    assert set(declared) == topics()


def test_claims_carry_status_and_link(seed002: Report) -> None:
    """The pass returns every claim with its status; a verified amount names what it was
    compared with, a wrong one the rule that reported it."""
    result = audit(seed002)
    verified = [c for c in result.claims if c.status == "verified" and c.kind == "amount"]
    assert verified and all(c.link for c in verified)
    wrong = [c for c in result.claims if c.status == "wrong"]
    assert wrong and all(c.rules for c in wrong)
    assert any("N.unit" in c.rules and "万万元" in c.text for c in wrong)


def test_sme_awards_within_all_procurement(seed002: Report) -> None:
    """003: 21.07 awarded to SMEs in the reserved projects and 21.07 in the other projects of a
    procurement of 21.07 in all; a sub-section heading gives the subject under 其他重要事项."""
    text = (
        "（二）政府采购支出情况\n2021年度政府采购金额为21.07万元，其中：货物采购金额21.07万元。"
        "在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额21.07万元；"
        "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额{other}万元。"
    )
    section = NarrativeSection("十一", "其他重要事项的情况说明", text.format(other="21.07"))
    found = review(replace(seed002, sections=(section,), parts=()), narrative_rules()).findings
    assert [f.severity for f in found if f.rule_id == "N.procurement"] == [Severity.WARNING]
    section = NarrativeSection("十一", "其他重要事项的情况说明", text.format(other="0.00"))
    found = review(replace(seed002, sections=(section,), parts=()), narrative_rules()).findings
    assert [f.severity for f in found if f.rule_id == "N.procurement"] == []


def test_two_lists_in_one_sentence_are_two_groups(seed002: Report) -> None:
    # 西安 预算 1155: "收入 …，其中：…；支出 …，其中：…" — the second total is not a part of the first
    text = (
        "本部门当年预算收入9,216.51万元，其中：一般公共预算拨款9,216.51万元；"
        "本部门当年预算支出9,216.51万元，其中：基本支出8,000.00万元，项目支出1,216.51万元。"
    )
    assert hits(narrate(seed002, ("五", text)), "N.items") == []
    over = text.replace("项目支出1,216.51万元", "项目支出2,216.51万元")
    assert hits(narrate(seed002, ("五", over)), "N.items") == [Severity.ERROR]


def test_a_procurement_total_whose_name_holds_a_parts_word(seed002: Report) -> None:
    # 北京 1239: "副中心工程办政府采购预算总额" is the total, not the 工程 part
    text = (
        "2026年副中心工程办政府采购预算总额123.81万元，其中：政府采购货物预算0万元，"
        "政府采购工程预算0万元，政府采购服务预算123.81万元。"
    )
    assert hits(narrate(seed002, ("十一", text)), "N.procurement") == []
    wrong = text.replace("服务预算123.81", "服务预算120.81")
    assert hits(narrate(seed002, ("十一", wrong)), "N.procurement") == [Severity.ERROR]


def test_an_amount_one_last_digit_off_is_a_rounding_notice(seed002: Report) -> None:
    """本年收入合计 is 2,170,014.34 元 (217.0014 万元): 217.01 is one unit of the last printed
    digit off, as a figure cut instead of rounded or restated from rounded parts (a notice);
    216.99 is further off than that, and so is 218.00 (errors)."""

    def severities(stated: str) -> list[Severity]:
        text = f"2021 年度收入合计 {stated} 万元。"
        return hits(narrate(seed002, ("二", text)), "N.amount")

    assert severities("217.00") == []
    assert severities("217.01") == [Severity.NOTICE]
    assert severities("216.99") == [Severity.ERROR]
    assert severities("218.00") == [Severity.ERROR]


def test_a_sentence_printed_twice_in_a_section_is_not_its_figures_twice(seed002: Report) -> None:
    """西安 2022 prints its 收支 sentence under 总体情况 and again under 财政拨款 in one section:
    the listed part equals the total, it does not add up to twice it."""
    sentence = "2021 年度收入合计 217.00 万元，其中财政拨款收入 217.00 万元。"
    report = narrate(seed002, ("二", f"（一）总体情况\n{sentence}\n（二）财政拨款\n{sentence}"))
    assert hits(report, "N.items") == []


def test_a_list_after_a_sentences_own_list_details_its_total(seed002: Report) -> None:
    """西安 2021: "支出 25,859.6 万元，其中：工资福利支出 2,079.07 万元，…原因是…；…。其中：…":
    the second 其中 details the sentence's total, not the first item of its list."""
    text = (
        "2021 年度本年支出合计 217.00 万元，其中：基本支出 161.22 万元，较上年增加 1.00 万元，"
        "原因是人员增加；项目支出 55.78 万元。其中：人员经费 150.00 万元、公用经费 11.22 万元、"
        "项目支出 55.78 万元。"
    )
    assert hits(narrate(seed002, ("三", text)), "N.items") == []
    over = text.replace("人员经费 150.00", "人员经费 190.00")
    assert hits(narrate(seed002, ("三", over)), "N.items") == [Severity.ERROR]
