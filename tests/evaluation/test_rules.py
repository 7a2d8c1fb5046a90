"""Every 绩效 rule (rules/builtin/performance.toml) with a passing and a failing case: a form or a
sentence printed inline, changed only where the rule looks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from juesuan.evaluation.model import Performance
from juesuan.evaluation.review import TOPICS, review_performance
from juesuan.evaluation.statements import read_statements
from juesuan.model.report import NarrativeSection, Report
from juesuan.model.tables import ExtraTable
from juesuan.rules.declarations import performance_rules
from juesuan.rules.finding import Severity
from tests.conftest import report_from_text

FORM = """西安市级2022年病媒生物防制项目绩效自评表
（2022年度）
项目名称\t\t2022年病媒生物防制
主管部门\t\t西安市卫生健康委员会\t\t\t\t实施单位\t\t西安市卫生健康委员会
项目资金（万元）\t\t\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率（B/A）\t\t得分
\t\t年度资金总额\t\t240\t229.19\t229.19\t10\t100.00%\t\t10.00
\t\t其中：当年财政拨款\t\t240\t229.19\t229.19\t—\t\t\t—
\t\t上年结转资金\t\t\t\t\t—\t\t\t—
\t\t其他资金\t\t\t\t\t—\t\t\t—
年度总体目标完成情况\t预期目标（年初设定）\t\t\t\t\t实际完成情况
\t将病媒生物密度控制在国家标准范围之内。\t\t\t\t\t将病媒生物密度控制在国家标准范围之内。
绩效指标\t一级指标\t二级指标\t三级指标\t\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施
\t产出指标（50分）\t数量指标\t消杀覆盖区县（开发区）数量\t\t16个\t16个\t12.5\t12.5
\t\t质量指标\t控制病媒生物密度\t\t国家标准范围之内\t国家标准范围之内\t12.5\t12.5
\t\t时效指标\t项目实施时效\t\t全年\t全年\t12.5\t12.5
\t\t成本指标\t全年项目经费支出\t\t240万元\t229.19万元\t12.5\t12.5
\t效益指标（30分）\t社会效益指标\t项目实施实现社会效益\t\t减少病媒生物传播疾病\t减少病媒生物传播疾病\t15\t15
\t\t可持续影响指标\t项目实施可持续影响\t\t长期\t长期\t15\t15
\t满意度指标（10分）\t服务对象满意度指标\t群众满意率\t\t≥90%\t≥90%\t10\t10
总分\t\t\t\t\t\t\t100\t100
"""

Make = Callable[[], Report]


def form(*changes: tuple[str, str]) -> Make:
    """The form above with some printed text changed."""

    def make() -> Report:
        text = FORM
        for old, new in changes:
            assert old in text, old
            text = text.replace(old, new, 1)
        return report_from_text(text, "form.txt")

    return make


def said(*sentences: str) -> Make:
    """A 情况说明 whose 预算绩效情况说明 says these sentences."""
    return lambda: Report(
        unit_name="测试单位",
        year=2022,
        sections=(NarrativeSection("十三", "预算绩效情况说明", "\n".join(sentences)),),
    )


def _department(seed002: Report, social_security: str, health: str = "6.26") -> Report:
    """Seed 002's tables with a 部门整体 form whose 财政拨款 rows name its classes."""
    rows = (
        ("部门（单位）名称", "", "焦作市劳动保障信息中心"),
        (
            "年度主要任务完成情况",
            "任务名称",
            "主要内容",
            "完成情况",
            "全年预算数（万元）",
            "",
            "",
            "全年执行数（万元）",
            "",
            "",
            "分值",
            "执行率",
            "得分",
        ),
        (
            "",
            "",
            "",
            "",
            "总额",
            "财政拨款",
            "其他资金",
            "总额",
            "财政拨款",
            "其他资金",
            "",
            "",
            "",
        ),
        (
            "",
            "社会保障和就业支出",
            "保障社保卡业务",
            "任务完成",
            social_security,
            social_security,
            "0",
            social_security,
            social_security,
            "0",
            "5",
            "100.00%",
            "5",
        ),
        (
            "",
            "卫生健康支出",
            "医疗缴费",
            "任务完成",
            health,
            health,
            "0",
            health,
            health,
            "0",
            "5",
            "100.00%",
            "5",
        ),
    )
    table = ExtraTable("焦作市劳动保障信息中心部门整体支出绩效自评表", rows)
    return replace(seed002, extra_tables=(table,), performance=Performance())


PROSE = (
    "2022 年度解决社保卡制卡经费绩效自评得分 {total} 分。",
    "（ 1）产出指标（40 分）",
    "质量指标为加强社保卡的发放覆盖，已完成，自评得分 20 分；"
    "成本指标为支出不超过预算安排，已完成，自评得分 20 分。",
    "（ 2）效益指标（40 分）",
    "满意度指标为群众满意度达到 100％，已完成，自评得分 20 分；"
    "社会效益指标为提升社会影响力，已完成，自评得分 20 分。",
)

# rule id → (report that passes, report that breaks it, severity when broken)
CASES: dict[str, tuple[Make, Make, Severity]] = {
    "P.total": (form(), form(("\t100\t100\n", "\t100\t99\n")), Severity.ERROR),
    "P.weights": (form(), form(("产出指标（50分）", "产出指标（40分）")), Severity.WARNING),
    "P.score_cap": (
        form(),
        form(("\t12.5\t12.5\n\t\t质量", "\t12.5\t13\n\t\t质量")),
        Severity.ERROR,
    ),
    "P.reason": (
        form(("\t12.5\t12.5\n\t效益", "\t12.5\t12\t进一步控制成本\n\t效益")),
        form(("\t12.5\t12.5\n\t效益", "\t12.5\t12\n\t效益")),
        Severity.WARNING,
    ),
    "P.score_rule": (
        form(("≥90%\t≥90%\t10\t10", "≥90%\t80%\t10\t8.89")),
        form(("≥90%\t≥90%\t10\t10", "≥90%\t80%\t10\t5")),
        Severity.WARNING,
    ),
    "P.rate_score": (
        form(),
        form(
            ("229.19\t229.19\t10\t100.00%\t\t10.00", "229.19\t200\t10\t87.26%\t\t10.00"),
            ("240\t229.19\t229.19\t—", "240\t229.19\t200\t—"),
        ),
        Severity.WARNING,
    ),
    "P.rate": (
        form(("执行率（B/A）", "执行率")),
        form(("执行率（B/A）", "执行率"), ("100.00%", "1000%")),
        Severity.ERROR,
    ),
    "P.formula": (form(), form(("100.00%", "1000%")), Severity.ERROR),
    "P.sum": (form(), form(("240\t229.19\t229.19\t—", "240\t200\t229.19\t—")), Severity.ERROR),
    "P.grade": (
        form(("总分\t\t\t\t\t\t\t100\t100\n", "总分\t\t\t\t\t\t\t100\t100\n评价等级\t优\n")),
        form(("总分\t\t\t\t\t\t\t100\t100\n", "总分\t\t\t\t\t\t\t100\t100\n评价等级\t良\n")),
        Severity.ERROR,
    ),
    "P.text_rate": (
        said("①破产改制企业资金缺口弥补预算6,000万元，实际支出5,974万元，预算执行率99.57%。"),
        said("①破产改制企业资金缺口弥补预算6,000万元，实际支出5,974万元，预算执行率98.57%。"),
        Severity.ERROR,
    ),
    "P.text_same": (
        said(
            "解决社保卡制卡经费项目绩效自评， 完成预算 100％。",
            "2022 年度解决社保卡制卡经费绩效执行率为 100%。",
        ),
        said(
            "解决社保卡制卡经费项目绩效自评， 完成预算 100％。",
            "2022 年度解决社保卡制卡经费绩效执行率为 95%。",
        ),
        Severity.ERROR,
    ),
    "P.text_score": (
        said(PROSE[0].format(total="89"), *PROSE[1:]),
        said(PROSE[0].format(total="99"), *PROSE[1:]),
        Severity.ERROR,
    ),
    "P.text_target": (
        said("电子社保卡目标任务数为 32.95 万张，签发 38.51 万张，超额完成目标任务。"),
        said("电子社保卡目标任务数为 32.95 万张，签发 30.51 万张，超额完成目标任务。"),
        Severity.ERROR,
    ),
}
SEED_CASES = ("P.tables", "P.text_form")  # need seed 002's tables and text (below)
RULES = {r.id: r for r in performance_rules()}


def found(report: Report, rule_id: str) -> list[Severity]:
    return [
        f.severity
        for f in review_performance(report, performance_rules()).findings
        if f.rule_id == rule_id
    ]


def test_every_rule_has_cases() -> None:
    assert sorted(RULES) == sorted([*CASES, *SEED_CASES])
    assert {str(r.params["topic"]) for r in RULES.values()} == TOPICS


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_passes_and_fails(rule_id: str) -> None:
    passing, failing, severity = CASES[rule_id]
    assert [s for s in found(passing(), rule_id) if s is not Severity.NOTICE] == []
    assert severity in found(failing(), rule_id)


def test_department_form_against_the_tables(seed002: Report) -> None:
    t05 = seed002.table("05").row("208")
    assert t05 is not None and t05.value("合计") is not None
    wan = f"{(t05.value('合计') / Decimal(10000)).quantize(Decimal('0.01'))}"  # type: ignore[operator]
    assert found(_department(seed002, wan), "P.tables") == []
    broken = _department(seed002, "200.33")
    assert found(broken, "P.tables") == [Severity.ERROR]
    msg = next(f.message for f in review_performance(broken, performance_rules()).findings)
    assert "208" in msg and "200.33" in msg
    # most rows another 口径 (only part of each class's spending): warnings, not errors
    partial = _department(seed002, "200.33", "3.00")
    assert found(partial, "P.tables") == [Severity.WARNING, Severity.WARNING]


def test_text_against_its_form(seed002: Report) -> None:
    assert found(seed002, "P.text_form") == []
    section = next(s for s in seed002.sections if s.number == "十三")
    changed = replace(section, text=section.text.replace("自评得分为 93 分", "自评得分为 95 分"))
    sections = tuple(changed if s is section else s for s in seed002.sections)
    material = Performance(seed002.performance.forms, read_statements(sections))
    report = replace(seed002, sections=sections, performance=material)
    assert found(report, "P.text_form") == [Severity.ERROR]


def test_a_rate_off_by_its_precision_is_a_notice() -> None:
    """83.50% for 701.17 ÷ 840 = 83.47% is a rate rounded to one decimal and padded."""
    report = form(
        ("229.19\t229.19\t10\t100.00%\t\t10.00", "840\t701.17\t10\t83.50%\t\t8.35"),
        ("240\t229.19\t229.19\t—", "240\t840\t701.17\t—"),
    )()
    assert found(report, "P.formula") == [Severity.NOTICE]
