"""The 绩效 text against itself, against the forms and the forms against the 决算 tables:

- ``text_rate``: a sentence's 执行率 = its 执行数 ÷ its 预算数 (the numbered 自评综述 are the
  narrative audit's N.project, not repeated here);
- ``text_same``: one project's 执行率 or 得分 (or one indicator's 得分) stated twice with
  different values;
- ``text_form``: a figure of the text against the form (or the 项目支出情况表 row) of the same
  project: 得分 against 总分, 执行率, 预算数 and 执行数 against the form's;
- ``text_score``: a stated 自评得分 that the stated 指标 weights and scores cannot give;
- ``text_target``: a target said to be met (完成, 超额完成) that its stated figures miss, or the
  reverse;
- ``grade``: a stated 评价等级 against the score it grades;
- ``tables``: a 部门整体 form's 财政拨款 执行数 against the 决算 tables: each row that names a
  功能分类 against that class's 财政拨款 spending, the 合计 against 公开04 本年支出合计.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from juesuan.evaluation.arithmetic import ZERO, money, percent, rate_agrees, ratio_range, tolerance
from juesuan.evaluation.funds import compact
from juesuan.evaluation.hits import Hit, form_hit, statement_hit
from juesuan.evaluation.measures import Attainment, attainment, parse_measure
from juesuan.evaluation.model import (
    ColumnRole,
    EvaluationForm,
    FormKind,
    FundRow,
    Operator,
    Statement,
    StatementKind,
    is_total_label,
)
from juesuan.evaluation.names import name_core, same_project, subsequence, title_core
from juesuan.evaluation.scoring import Method, fmt, rate_points
from juesuan.evaluation.vocabulary import vocabulary
from juesuan.model.amount import Unit, format_amount, half_unit
from juesuan.model.codes import normalize_name
from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.model.tables import TableStatus
from juesuan.rules.finding import Severity

_Key = tuple[str, str]


def _by_sentence(statements: Sequence[Statement]) -> dict[_Key, list[Statement]]:
    out: dict[_Key, list[Statement]] = {}
    for st in statements:
        out.setdefault((st.section, st.sentence), []).append(st)
    return out


def _text_tol(value: Decimal) -> Decimal:
    return half_unit(value)


def check_text_rates(statements: Sequence[Statement]) -> Iterator[Hit]:
    for group in _by_sentence(statements).values():
        if any(st.summary for st in group):
            continue
        for rate in (st for st in group if st.kind is StatementKind.RATE and st.value is not None):
            before = [st for st in group if st.start < rate.start]
            actual = next((st for st in reversed(before) if st.kind is StatementKind.ACTUAL), None)
            if actual is None or actual.value is None:
                continue
            budget = next(
                (
                    st
                    for st in reversed(before)
                    if st.kind is StatementKind.BUDGET and st.start < actual.start
                ),
                None,
            )
            if budget is None or budget.value is None or budget.value <= 0:
                continue
            b, x, stated = budget.value, actual.value, rate.value
            bounds = ratio_range(x, b, _text_tol(x), _text_tol(b))
            if stated is None or bounds is None or rate_agrees(stated, *bounds):
                continue
            yield statement_hit(
                "text_rate",
                rate,
                expected=percent(x / b),
                problem=f"{actual.subject} {actual.text} ÷ {budget.subject} {budget.text}"
                f" = {percent(x / b)}",
            )


def _agree(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= half_unit(a) + half_unit(b)


def check_text_same(statements: Sequence[Statement]) -> Iterator[Hit]:
    groups: dict[tuple[str, StatementKind, str], list[Statement]] = {}
    for st in statements:
        if (
            st.value is None
            or not st.project
            or st.kind not in (StatementKind.RATE, StatementKind.SCORE)
        ):
            continue
        if st.summary:
            continue  # each numbered 自评综述 is one project's (two may share a name)
        groups.setdefault((st.project, st.kind, st.indicator), []).append(st)
    for (project, kind, indicator), group in groups.items():
        first = group[0]
        reported: list[Decimal] = []
        for st in group[1:]:
            assert st.value is not None and first.value is not None
            if _agree(st.value, first.value) or any(_agree(st.value, r) for r in reported):
                continue
            reported.append(st.value)
            what = (
                f"“{indicator}”得分"
                if indicator
                else ("执行率" if kind is StatementKind.RATE else "自评得分")
            )
            yield statement_hit(
                "text_same",
                st,
                expected=first.text,
                problem=f"“{project}”的{what}称 {st.text}，"
                f"而前文称 {first.text}（{first.sentence}）",
            )


# --- the text against the forms ---------------------------------------------------------------


def _form_names(form: EvaluationForm) -> list[str]:
    names = (
        [name_core(form.project), title_core(form.title)]
        if form.title
        else [name_core(form.project)]
    )
    return [n for n in names if len(n) >= 4]


def _forms_of(project: str, forms: Sequence[EvaluationForm]) -> list[EvaluationForm]:
    if project == "整体":
        return [f for f in forms if f.kind is FormKind.DEPARTMENT]
    return [
        f
        for f in forms
        if f.kind in (FormKind.PROJECT, FormKind.SPECIAL_FUND)
        and any(same_project(project, n) for n in _form_names(f))
    ]


def _list_row(
    group: list[Statement], forms: Sequence[EvaluationForm]
) -> tuple[EvaluationForm, FundRow] | None:
    """The 项目支出情况表 row a sentence speaks of: its name's characters in the sentence's project
    name, in order, and the sentence's 预算数 its 全年预算数."""
    budget = next(
        (st for st in group if st.kind is StatementKind.BUDGET and st.value is not None), None
    )
    project = group[0].project
    if budget is None or budget.value is None or len(project) < 4:
        return None
    found = []
    for form in forms:
        if form.kind is not FormKind.PROJECT_LIST:
            continue
        for row in form.funds:
            core = name_core(row.label)
            value = form.value(row, ColumnRole.BUDGET)
            if len(core) < 4 or value is None or not _agree(value, budget.value):
                continue
            if same_project(core, project) or subsequence(core, project):
                found.append((form, row))
    return found[0] if len(found) == 1 else None


def _against(st: Statement, value: Decimal | None, what: str, where: str) -> Hit | None:
    if value is None or st.value is None:
        return None
    if abs(st.value - value) <= _text_tol(st.value) + tolerance(value):
        return None
    shown = (
        f"{format_amount(value)}万元"
        if st.kind in (StatementKind.BUDGET, StatementKind.ACTUAL)
        else fmt(value)
    )
    return statement_hit(
        "text_form",
        st,
        expected=shown,
        problem=f"“{st.project}”{what} {st.text}，而{where}为 {shown}",
    )


def check_text_forms(
    statements: Sequence[Statement], forms: Sequence[EvaluationForm]
) -> Iterator[Hit]:
    for group in _by_sentence(statements).values():
        if any(st.summary for st in group):
            continue  # a 自评综述 against its form is N.project's
        listed = _list_row(group, forms)
        for st in group:
            if st.value is None or not st.project or st.indicator:
                continue
            if listed is not None:
                form, row = listed
                where = f"{form.title or form.kind.value}“{row.label}”行"
                if st.kind is StatementKind.ACTUAL:
                    hit = _against(st, form.value(row, ColumnRole.ACTUAL), "执行数", where)
                    if hit is not None:
                        yield hit
                continue
            matched = _forms_of(st.project, forms)
            if len(matched) != 1:
                continue
            form = matched[0]
            where = f"{form.kind.value}（第{form.page}页）" if form.page else form.kind.value
            if st.kind is StatementKind.SCORE:
                hit = _against(st, form.total_score, "自评得分", f"{where}总分")
            elif st.kind is StatementKind.BUDGET and "预算" in st.subject:
                hit = _against(st, form.budget, "全年预算数", f"{where}全年预算数")
            elif st.kind is StatementKind.ACTUAL:
                hit = _against(st, form.actual, "执行数", f"{where}全年执行数")
            elif st.kind is StatementKind.RATE and form.budget and form.actual is not None:
                ok = ratio_range(
                    form.actual, form.budget, tolerance(form.actual), tolerance(form.budget)
                )
                hit = None
                if ok is not None and not rate_agrees(st.value, *ok):
                    hit = statement_hit(
                        "text_form",
                        st,
                        expected=percent(form.actual / form.budget),
                        problem=f"“{st.project}”执行率 {st.text}，而{where}全年执行数 "
                        f"{money(form.actual)} ÷ 全年预算数 {money(form.budget)} = "
                        f"{percent(form.actual / form.budget)}",
                    )
            else:
                hit = None
            if hit is not None:
                yield hit


def check_text_scores(statements: Sequence[Statement], method: Method) -> Iterator[Hit]:
    """A stated 自评得分 no higher than the stated 指标 weights (and the 预算执行率 points)
    allow."""
    by_project: dict[str, list[Statement]] = {}
    for st in statements:
        if st.project:
            by_project.setdefault(st.project, []).append(st)
    for project, group in by_project.items():
        weights: dict[str, Decimal] = {}
        for st in group:
            if st.kind is StatementKind.WEIGHT and st.value is not None:
                weights.setdefault(compact(st.subject), st.value)
        totals = [
            st
            for st in group
            if st.kind is StatementKind.SCORE and not st.indicator and st.value is not None
        ]
        if not weights or not totals:
            continue
        scores: dict[str, Decimal] = {}
        for st in group:
            if st.kind is StatementKind.SCORE and st.indicator and st.value is not None:
                scores.setdefault(compact(st.indicator), st.value)
        rate = next(
            (st for st in group if st.kind is StatementKind.RATE and st.value is not None), None
        )
        rate_max = method.rate_weight
        rate_text = f"预算执行率至多 {fmt(rate_max)} 分"
        if rate is not None and rate.value is not None:
            rate_max, how = rate_points(rate.value, method.rate_weight, method)
            rate_text = f"预算执行率 {rate.text}：{how} = {fmt(rate_max)} 分"
        most = sum(weights.values(), ZERO) + rate_max
        listed = "、".join(f"{k} {fmt(v)} 分" for k, v in weights.items())
        reported: set[Decimal] = set()
        for st in totals:
            assert st.value is not None
            if st.value <= most + half_unit(st.value) or st.value in reported:
                continue
            reported.add(st.value)
            got = f"，所述各项指标得分合计 {fmt(sum(scores.values(), ZERO))} 分" if scores else ""
            yield statement_hit(
                "text_score",
                st,
                expected=f"≤ {fmt(most)}",
                problem=f"“{project}”自评得分 {st.text}，"
                f"而所述指标分值为 {listed}{got}，加{rate_text}，"
                f"至多 {fmt(most)} 分",
            )


def check_text_grades(statements: Sequence[Statement], method: Method) -> Iterator[Hit]:
    for group in _by_sentence(statements).values():
        score = next(
            (st for st in group if st.kind is StatementKind.SCORE and not st.indicator), None
        )
        for st in group:
            if st.kind is not StatementKind.GRADE or score is None or score.value is None:
                continue
            band = method.grade(score.value)
            known = [g for g in method.grades if any(st.text.startswith(n) for n in g.names)]
            if band is None or not known or band in known:
                continue
            yield statement_hit(
                "grade",
                st,
                expected=band.names[0],
                problem=f"评价等级“{st.text}”，而得分 {score.text} 属于“{band.names[0]}”"
                f"（≥{fmt(band.min)} 分）",
            )


# --- a 部门整体 form against the 决算 tables ----------------------------------------------------

# 财政拨款 spending of a class: 一般公共预算 (公开05 合计) + 政府性基金 + 国有资本经营 (本年支出)
_SPENDING = ((TableId.T05, "合计"), (TableId.T08, "本年支出/合计"), (TableId.T09, "本年支出/合计"))


def _spending(report: Report, label: str) -> tuple[Decimal, Unit, list[str]] | None:
    """The 财政拨款 spending (in the tables' unit) of the classification the label names, and the
    codes it is; None when no row, or rows of different units, carry that name."""
    name = normalize_name(label)
    total, units, codes = ZERO, set(), []
    for tid, column in _SPENDING:
        table = report.table(tid)
        if table.status is not TableStatus.PRESENT or table.unit is None:
            continue
        rows = [r for r in table.coded_rows() if normalize_name(r.label) == name and r.code]
        # a 款 and its own 项 of one name (20599 / 2059999 其他教育支出) are one class: the 款
        rows = [
            r
            for r in rows
            if not any(o is not r and (r.code or "").startswith(o.code or "-") for o in rows)
        ]
        for row in rows:
            if (v := row.value(column)) is not None:
                total += v
                units.add(table.unit)
                codes.append(f"{row.code} {row.label}（{table.label}）")
    if not codes or len(units) != 1:
        return None
    return total, units.pop(), codes


def _in_wan(value: Decimal, unit: Unit) -> Decimal:
    return value if unit is Unit.WAN_YUAN else value / Decimal(10000)


@dataclass(frozen=True)
class _Compared:
    row: FundRow
    printed: str
    value: Decimal
    tables: Decimal  # in 万元
    where: list[str]
    agrees: bool
    total: bool


def _compare(report: Report, form: EvaluationForm) -> list[_Compared]:
    """Each 财政拨款 执行数 of a 部门整体 form that the 决算 tables also state."""
    vocab = vocabulary()
    t04 = report.table(TableId.T04)
    fiscal = form.column_index(ColumnRole.ACTUAL, "财政拨款")
    out: list[_Compared] = []
    for row in form.funds:
        if fiscal is not None:
            value = row.cells[fiscal].value if fiscal < len(row.cells) else None
        elif any(w in row.label for w in vocab.fiscal_rows):
            value = form.value(row, ColumnRole.ACTUAL)
        else:
            continue
        if value is None:
            continue
        total = is_total_label(row.label) or (fiscal is None and row is not form.total_row)
        if total:
            t = t04.row("本年支出合计")
            spent = t.value("合计") if t is not None else None
            if t04.status is not TableStatus.PRESENT or spent is None or t04.unit is None:
                continue
            expected, unit, where = spent, t04.unit, ["公开04表本年支出合计"]
        else:
            found = _spending(report, row.label)
            if found is None:
                continue
            expected, unit, where = found
        wan = _in_wan(expected, unit)
        tol = tolerance(value) + (half_unit(expected) if unit is Unit.WAN_YUAN else ZERO)
        printed = row.cells[fiscal].text if fiscal is not None else f"{value:f}"
        out.append(_Compared(row, printed, value, wan, where, abs(value - wan) <= tol, total))
    return out


def check_tables(report: Report, forms: Sequence[EvaluationForm]) -> Iterator[Hit]:
    """A form whose rows mostly agree with the tables is a breakdown by class: a row that does
    not is an error. When most disagree the form counts another 口径 (only some of the
    spending): each is a warning."""
    for form in forms:
        if form.kind is not FormKind.DEPARTMENT or form.unit != "万元":
            continue
        compared = _compare(report, form)
        rows = [c for c in compared if not c.total]
        other = sum(not c.agrees for c in rows) > sum(c.agrees for c in rows)
        for c in compared:
            if c.agrees:
                continue
            yield form_hit(
                "tables",
                form,
                c.row.label,
                c.row.source,
                Severity.WARNING if other else None,
                stated=c.printed,
                expected=f"{format_amount(c.tables)}万元",
                problem=f"财政拨款全年执行数 {c.value:f} 万元，而决算表中{'、'.join(c.where)}为"
                f" {format_amount(c.tables)} 万元，相差 {format_amount(c.value - c.tables)} 万元"
                + ("（本表多数行与决算表口径不同，请核实）" if other else ""),
            )


_CLAIM_MET = re.compile(r"超额完成|已完成|完成|达到|实现")
_CLAIM_UNMET = re.compile(r"未完成|未达到|未实现|没有完成|尚未")


def target_pairs(statements: Sequence[Statement]) -> list[tuple[Statement, Statement, Attainment]]:
    """Each target the text states with what it says was achieved, and whether that meets it."""
    out = []
    for group in _by_sentence(statements).values():
        for target in (st for st in group if st.kind is StatementKind.TARGET):
            achieved = next(
                (
                    st
                    for st in group
                    if st.kind is StatementKind.ACHIEVED and st.start > target.start
                ),
                None,
            )
            if achieved is None:
                continue
            att = attainment(parse_measure(target.text), parse_measure(achieved.text), Operator.GE)
            if att.met is not None:
                out.append((target, achieved, att))
    return out


def check_text_targets(statements: Sequence[Statement]) -> Iterator[Hit]:
    """A target said to be met (完成, 超额完成) whose stated figures miss it, or the reverse."""
    for target, achieved, att in target_pairs(statements):
        after = achieved.sentence[achieved.end :]
        after = re.split(r"[。；;]", after)[0]
        said_unmet = bool(_CLAIM_UNMET.search(after))
        said_met = bool(_CLAIM_MET.search(after)) and not said_unmet
        if (said_met and att.met is False) or (said_unmet and att.met is True):
            claim = "完成" if said_met else "未完成"
            fact = "达成" if att.met else "未达成"
            yield statement_hit(
                "text_target",
                achieved,
                expected=fact,
                problem=f"称{claim}，而{target.subject} {target.text}、"
                f"{achieved.subject} {achieved.text}，"
                f"按所述数字{fact}",
            )


def check_statements(
    report: Report, statements: Sequence[Statement], forms: Sequence[EvaluationForm], method: Method
) -> Iterator[Hit]:
    """Every check of the 绩效 text and of the forms against the tables."""
    yield from check_text_rates(statements)
    yield from check_text_same(statements)
    yield from check_text_forms(statements, forms)
    yield from check_text_scores(statements, method)
    yield from check_text_grades(statements, method)
    yield from check_text_targets(statements)
    yield from check_tables(report, forms)


# --- every rate of the text, recomputed (for the score view) ---------------------------------


@dataclass(frozen=True)
class StatedRate:
    """A sentence's 执行率 and the 预算数 and 执行数 it follows, with the rate they give."""

    rate: Statement
    budget: Statement
    actual: Statement
    computed: Decimal  # a fraction
    agrees: bool


def stated_rates(statements: Sequence[Statement]) -> list[StatedRate]:
    """Every rate stated after its own 预算数 and 执行数 (each 自评综述's 完成预算的 P%)."""
    out: list[StatedRate] = []
    for group in _by_sentence(statements).values():
        for rate in (st for st in group if st.kind is StatementKind.RATE and st.value is not None):
            before = [st for st in group if st.start < rate.start]
            actual = next((st for st in reversed(before) if st.kind is StatementKind.ACTUAL), None)
            budget = next(
                (
                    st
                    for st in reversed(before)
                    if st.kind is StatementKind.BUDGET
                    and actual is not None
                    and st.start < actual.start
                ),
                None,
            )
            if actual is None or budget is None or actual.value is None or budget.value is None:
                continue
            if budget.value <= 0:
                continue
            bounds = ratio_range(
                actual.value, budget.value, _text_tol(actual.value), _text_tol(budget.value)
            )
            agrees = (
                bounds is not None and rate.value is not None and rate_agrees(rate.value, *bounds)
            )
            out.append(StatedRate(rate, budget, actual, actual.value / budget.value, agrees))
    return out
