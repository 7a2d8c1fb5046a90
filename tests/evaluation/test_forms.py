"""Reading 绩效自评表 from the document assembly's extra tables: seed 002's 部门（单位）整体绩效
自评表 completely (its money block, goals, 26 indicators with rows the text form prints out of
step, 总分), a form printed over two tables, a budget's 绩效目标表 (targets only: not a 自评表),
and a 财政 evaluation's 项目支出情况表."""

from __future__ import annotations

from decimal import Decimal

from juesuan.evaluation.forms import read_forms
from juesuan.evaluation.model import ColumnRole, FormKind, Operator
from juesuan.evaluation.review import review_performance
from juesuan.evaluation.scoring import score_form
from juesuan.model.report import Report
from juesuan.model.tables import ExtraTable
from juesuan.rules.declarations import performance_rules
from juesuan.rules.finding import Severity

D = Decimal


def test_seed002_department_form_imports_completely(seed002: Report) -> None:
    (form,) = seed002.performance.forms
    assert form.kind is FormKind.DEPARTMENT
    assert form.department == "焦作市劳动保障信息中心"
    assert [r.label for r in form.funds] == ["部门预算总额", "财政性资金", "其他资金"]
    assert [r.group for r in form.funds] == ["", "资金来源", "资金来源"]
    assert (form.budget, form.actual, form.rate_weight, form.rate_score) == (
        D("217"),
        D("217"),
        D("10"),
        D("10.0"),
    )
    assert len(form.goals) == 2 and form.goals[0].achieved == "100%"
    assert len(form.indicators) == 26
    levels = {(i.level1, i.level2) for i in form.indicators}
    assert ("投入管理指标 (30分)", "预算和财务管理") in levels
    assert ("效益指标 (35分)", "满意度") in levels
    # rows the text form printed without their empty 一级/二级 cells are read in their columns
    public = next(i for i in form.indicators if i.name == "预决算信息公开性")
    assert (public.target.operator, public.target.value, public.weight, public.score) == (
        Operator.EQ,
        D("100"),
        D("1.5"),
        D("1.5"),
    )
    satisfied = next(i for i in form.indicators if i.name == "社会公众满意度")
    assert satisfied.actual.value == D("99") and satisfied.reason.startswith("社保卡服务大厅")
    assert form.total_score == D("93.0")


def test_seed002_recomputed_beside_the_stated_total(seed002: Report) -> None:
    """The 总分 93.0 is the sum of the stated scores; under the documented method it is 96.4,
    and each score the method contradicts is a warning with its reason (or none given)."""
    scored = score_form(seed002.performance.forms[0])
    assert (scored.stated_total, scored.stated_sum, scored.recomputed_total) == (
        D("93.0"),
        D("93.0"),
        D("96.40"),
    )
    findings = review_performance(seed002, performance_rules()).findings
    warnings = {f.location.row: f.message for f in findings if f.severity is Severity.WARNING}
    assert set(warnings) == {
        "服务对象满意度",
        "社会效益",
        "重点工作2计划完成率",
        "年度工作目标2实现率",
        "社会公众满意度",
    }
    assert "未说明偏差原因" in warnings["服务对象满意度"]
    assert "偏差原因仅写“无”" in warnings["重点工作2计划完成率"]
    assert "9.9" in warnings["社会公众满意度"] and "热情周到" in warnings["社会公众满意度"]
    # the form's 年初数 do not add up: 0 for the whole, 205.37 for its 财政性资金
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert [(f.rule_id, f.location.row) for f in errors] == [("P.sum", "部门预算总额")]


def test_a_form_over_two_tables_is_one_form() -> None:
    head = ExtraTable(
        "西安市级2022年病媒生物防制项目绩效自评表", (("项目名称", "", "病媒生物防制"),)
    )
    body = ExtraTable(
        "",
        (
            (
                "项目资金（万元）",
                "年初预算数",
                "全年预算数（A）",
                "全年执行数（B）",
                "分值",
                "执行率（B/A）",
                "得分",
            ),
            ("年度资金总额", "240", "229.19", "229.19", "10", "100.00%", "10"),
            ("绩效指标", "一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"),
            ("", "产出指标", "消杀覆盖区县数量", "≥16个", "16个", "90", "90"),
            ("总分", "", "", "", "", "100", "100"),
        ),
    )
    other = ExtraTable("政府采购情况表", (("项目", "金额"), ("货物", "5.46")))
    (form,) = read_forms((head, body, other))
    assert form.project == "病媒生物防制" and form.unit == "万元"
    assert (form.budget, form.actual) == (D("229.19"), D("229.19"))
    assert [c.formula for c in form.columns if c.role is ColumnRole.RATE] == ["B/A"]
    assert [(i.name, i.weight, i.score) for i in form.indicators] == [
        ("消杀覆盖区县数量", D(90), D(90))
    ]
    assert (form.total_weight, form.total_score) == (D(100), D(100))


def test_a_budget_target_table_is_not_a_self_evaluation() -> None:
    """项目支出绩效目标表 (a 预算's) open like a form but state targets only."""
    targets = ExtraTable(
        "",
        (
            (
                "项目名称",
                "项目总额",
                "绩效目标",
                "一级指标",
                "二级指标",
                "三级指标",
                "绩效指标性质",
                "本年绩效指标值",
            ),
            (
                "公车购置",
                "18.69",
                "圆满完成公车购置工作，判卷评分",
                "成本指标",
                "经济成本指标",
                "车辆购置税",
                "≤",
                "0.89",
            ),
        ),
    )
    assert read_forms((targets,)) == ()


def test_a_project_list_with_groups() -> None:
    table = ExtraTable(
        "项目支出情况表",
        (
            ("序号", "项目名称", "预算批复", "实际执行", "执行率", "指标结余"),
            ("", "合计", "13,237.00", "12,679.21", "95.79%", "557.79"),
            ("一", "破产改制企业资金缺口弥补", "6,000.00", "5,974.00", "99.57%", "26.00"),
            ("1", "弥补破产改制企业资金缺口", "5,000.00", "4,974.00", "99.48%", "26.00"),
            ("2", "处置僵尸企业启动资金", "1,000.00", "1,000.00", "100.00%", "-"),
            ("二", "困难企业、职工帮扶资金", "7,237.00", "6,705.21", "92.65%", "531.79"),
        ),
        source=None,
    )
    (form,) = read_forms((table,))
    assert form.kind is FormKind.PROJECT_LIST
    assert [r.seq for r in form.funds] == ["", "一", "1", "2", "二"]
    report = Report(extra_tables=(table,))
    assert [f.rule_id for f in review_performance(report, performance_rules()).findings] == []
    broken = ExtraTable(
        table.title,
        (
            *table.rows[:3],
            ("1", "弥补破产改制企业资金缺口", "5,000.00", "4,874.00", "97.48%", "126.00"),
            *table.rows[4:],
        ),
    )
    found = review_performance(Report(extra_tables=(broken,)), performance_rules()).findings
    assert [(f.rule_id, f.location.row) for f in found] == [("P.sum", "破产改制企业资金缺口弥补")]
