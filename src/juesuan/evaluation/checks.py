"""The checks of a 绩效自评表 against itself, each reporting under a rule of
``rules/builtin/performance.toml`` (its topic is the rule's ``topic``):

- ``total``: 总分 = Σ 得分 (预算执行率 included); ``weights``: Σ 分值 = the 总分's 分值, and each
  一级指标's stated weight (产出指标（50分）) = Σ its indicators' 分值; ``score_cap``: 得分 ≤ 分值;
- ``reason``: an indicator recorded as met but scored below its 分值, or unmet but scored in full,
  without a stated reason; ``score_rule``: a stated score the method contradicts otherwise;
- ``rate_score``: 预算执行率 points against the 执行率 (the whole, and every row that scores);
- ``rate``: a printed 执行率 = 执行数 ÷ 预算数; ``formula``: every formula the header prints
  (③=①+②, ⑤=④/③, 执行率（B/A）); ``sum``: a 合计 against its rows, a 总额 against its fund
  sources, a 结余 against 预算 − 执行;
- ``grade``: the printed 评价等级 against the 总分.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from juesuan.evaluation.arithmetic import (
    HUNDRED,
    ZERO,
    money,
    percent,
    quantize,
    rate_agrees,
    ratio_range,
    tolerance,
)
from juesuan.evaluation.funds import MONEY_ROLES, compact
from juesuan.evaluation.hits import Hit, form_hit
from juesuan.evaluation.model import (
    ColumnRole,
    EvaluationForm,
    FormKind,
    FundColumn,
    FundRow,
    is_total_label,
)
from juesuan.evaluation.scoring import FormScore, Method, Scored, fmt, rate_points
from juesuan.evaluation.vocabulary import vocabulary
from juesuan.model.amount import half_unit
from juesuan.rules.finding import Severity


def _score_tolerance(values: list[Decimal]) -> Decimal:
    """Scores are exact unless they are rounded ratios (1.33): half a unit of those."""
    rounded = [half_unit(v) for v in values if v.as_tuple().exponent <= -2]  # type: ignore[operator]
    return sum(rounded, ZERO) if rounded else Decimal("0.001")


def check_total(s: FormScore) -> Iterator[Hit]:
    form = s.form
    total = form.total_score
    indicators = [x.stated for x in s.indicators if x.stated is not None]
    if total is None or not indicators:
        return
    rate = s.rate.stated if s.rate is not None else None
    parts = indicators + ([rate] if rate is not None else [])
    every = sum(parts, ZERO)
    tol = _score_tolerance(parts) + half_unit(total)
    if abs(every - total) <= tol:
        return
    only = sum(indicators, ZERO)
    where = form.total_source
    if rate is not None and abs(only - total) <= tol:
        weights = [x.weight for x in s.indicators if x.weight is not None]
        consistent = form.total_weight is None or form.total_weight == sum(weights, ZERO)
        yield form_hit(
            "total",
            form,
            "总分",
            where,
            None if not consistent else Severity.WARNING,
            stated=fmt(total),
            expected=fmt(every),
            problem=f"总分只计各项指标得分 {fmt(only)}，未计入预算执行率得分 {fmt(rate)}"
            + ("（总分的分值也未计入预算执行率）" if consistent else ""),
        )
        return
    rate_part = f"预算执行率 {fmt(rate)} + " if rate is not None else ""
    yield form_hit(
        "total",
        form,
        "总分",
        where,
        stated=fmt(total),
        expected=fmt(every),
        problem=f"{rate_part}各项指标 {fmt(only)} = {fmt(every)}，相差 {fmt(total - every)}",
    )


_STATED_WEIGHT = re.compile(r"[（(]?\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]?$")


def _level_weight(level1: str) -> Decimal | None:
    """The weight an 一级指标 prints in its name: 产出指标（50分）, 产出指标50分, 效益指标30."""
    m = _STATED_WEIGHT.search(compact(level1))
    return Decimal(m.group(1)) if m and re.search(r"[\u4e00-\u9fff]", level1) else None


def check_weights(s: FormScore) -> Iterator[Hit]:
    form = s.form
    weights = [x.weight for x in s.indicators if x.weight is not None]
    if not weights:
        return
    rate_weight = s.rate.weight if s.rate is not None else None
    total = sum(weights, ZERO)
    every = total + (rate_weight or ZERO)
    if form.total_weight is not None and form.total_weight not in (total, every):
        yield form_hit(
            "weights",
            form,
            "总分",
            form.total_source,
            stated=fmt(form.total_weight),
            expected=fmt(every),
            problem=f"总分的分值 {fmt(form.total_weight)}，而各项分值之和为 {fmt(every)}"
            + (f"（其中预算执行率 {fmt(rate_weight)}）" if rate_weight is not None else ""),
        )
    levels: dict[str, Decimal] = {}
    for x in s.indicators:
        if x.indicator is not None and x.weight is not None:
            key = x.indicator.level1
            levels[key] = levels.get(key, ZERO) + x.weight
    stated = {k: _level_weight(k) for k in levels}
    if not levels or any(v is None for v in stated.values()):
        return  # only when every 一级指标 states its weight can each be held to it
    for level, weight in levels.items():
        printed = stated[level]
        if printed is not None and printed != weight:
            yield form_hit(
                "weights",
                form,
                level,
                stated=fmt(printed),
                expected=fmt(weight),
                problem=f"一级指标“{level}”标明 {fmt(printed)} 分，"
                f"而其下各指标分值之和为 {fmt(weight)}",
            )


def check_scores(s: FormScore) -> Iterator[Hit]:
    """得分 ≤ 分值; met but deducted (or unmet but full) without a reason; other deviations."""
    vocab = vocabulary()
    tol = s.method.tolerance
    for x in s.indicators:
        ind = x.indicator
        if ind is None or x.weight is None or x.stated is None:
            continue
        source = ind.source
        if x.stated > x.weight:
            yield form_hit(
                "score_cap",
                s.form,
                x.item,
                source,
                stated=fmt(x.stated),
                expected=fmt(x.weight),
                problem=f"得分 {fmt(x.stated)} 超过分值 {fmt(x.weight)}",
            )
            continue
        reason = ind.reason.strip()
        given = bool(reason) and compact(reason) not in {compact(w) for w in vocab.no_reason}
        said = (
            f"偏差原因：{reason}"
            if given
            else ("偏差原因仅写“" + reason + "”" if reason else "未说明偏差原因")
        )
        deducted = x.weight - x.stated > tol
        if x.met is True and deducted and not given:
            yield form_hit(
                "reason",
                s.form,
                x.item,
                source,
                stated=fmt(x.stated),
                expected=fmt(x.weight),
                reason=said,
                problem=f"指标值 {ind.target.text}、实际完成值 {ind.actual.text}，已达成却只得"
                f" {fmt(x.stated)} 分（分值 {fmt(x.weight)}）",
            )
        elif x.met is False and x.stated == x.weight and not given and x.expected != x.weight:
            yield form_hit(
                "reason",
                s.form,
                x.item,
                source,
                stated=fmt(x.stated),
                expected=fmt(x.expected) if x.expected is not None else "",
                reason=said,
                problem=f"指标值 {ind.target.text}、实际完成值 {ind.actual.text}，未达成却得满分"
                f" {fmt(x.weight)}",
            )
        elif x.deviates(tol) and x.expected is not None:
            yield form_hit(
                "score_rule",
                s.form,
                x.item,
                source,
                stated=fmt(x.stated),
                expected=fmt(x.expected),
                reason=said,
                problem=f"{x.explanation}（{s.method.name}）",
            )


def _rows_rate_points(s: FormScore) -> Iterator[tuple[FundRow, Scored]]:
    """Every row of the money block that scores its own 预算执行率 (a 整体 form's tasks)."""
    form = s.form
    total = form.total_row
    for row in form.funds:
        if row is total:
            continue
        weight = form.value(row, ColumnRole.WEIGHT)
        score = form.value(row, ColumnRole.SCORE)
        rate = form.value(row, ColumnRole.RATE)
        budget, actual = form.value(row, ColumnRole.BUDGET), form.value(row, ColumnRole.ACTUAL)
        if weight is None or score is None:
            continue
        if budget is not None and actual is not None and budget > 0:
            rate = actual / budget * HUNDRED
        if rate is None:
            continue
        expected, how = rate_points(rate, weight, s.method)
        yield row, Scored(row.label, weight, score, expected, None, f"执行率 {fmt(rate)}%：{how}")


def check_rate_score(s: FormScore) -> Iterator[Hit]:
    form = s.form
    tol = s.method.tolerance
    if s.rate is not None and s.rate.deviates(tol):
        row = form.total_row
        label = row.label if row is not None else "预算执行率"
        yield form_hit(
            "rate_score",
            form,
            label,
            row.source if row is not None else None,
            stated=fmt(s.rate.stated),
            expected=fmt(s.rate.expected),
            problem=f"{s.rate.explanation}（{s.method.name}）",
            reason="",
        )
    for row, scored in _rows_rate_points(s):
        if scored.deviates(tol):
            done = " ".join(
                c.text
                for c, col in zip(row.cells, form.columns, strict=False)
                if col.role is ColumnRole.TEXT and c.text and len(c.text) <= 12
            )
            yield form_hit(
                "rate_score",
                form,
                row.label,
                row.source,
                stated=fmt(scored.stated),
                expected=fmt(scored.expected),
                problem=f"{scored.explanation} = {fmt(scored.expected)} 分",
                reason=f"（完成情况：{done}）" if done else "",
            )


# --- the money block ------------------------------------------------------------------------


def _cell(form: EvaluationForm, row: FundRow, index: int) -> Decimal | None:
    return row.cells[index].value if index < len(row.cells) else None


def _markers(form: EvaluationForm) -> dict[str, int]:
    return {c.marker: i for i, c in enumerate(form.columns) if c.marker}


_TOKEN = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫A-Z]|[+\-−×*/÷]")


def _evaluate(formula: str, values: dict[str, Decimal]) -> tuple[Decimal, Decimal] | None:
    """value and tolerance of "①+②", "④/③", "③-④" (left to right: forms print one operator)."""
    tokens = _TOKEN.findall(formula)
    if not tokens or tokens[0] not in values:
        return None
    value, tol = values[tokens[0]], tolerance(values[tokens[0]])
    for op, name in zip(tokens[1::2], tokens[2::2], strict=False):
        if name not in values:
            return None
        v, t = values[name], tolerance(values[name])
        if op in "+":
            value, tol = value + v, tol + t
        elif op in "-−":
            value, tol = value - v, tol + t
        elif op in "×*":
            value, tol = value * v, abs(value) * t + abs(v) * tol
        else:
            if v - t <= 0:
                return None
            lo = (value - tol) / (v + t)
            hi = (value + tol) / (v - t)
            value, tol = value / v, max(abs(hi - value / v), abs(value / v - lo))
    return value, tol


def formula_columns(form: EvaluationForm) -> list[tuple[int, FundColumn]]:
    return [(i, c) for i, c in enumerate(form.columns) if c.formula]


def check_formulas(form: EvaluationForm) -> Iterator[Hit]:
    markers = _markers(form)
    for i, col in formula_columns(form):
        for row in form.funds:
            printed = _cell(form, row, i)
            if printed is None:
                continue
            values = {m: v for m, j in markers.items() if (v := _cell(form, row, j)) is not None}
            result = _evaluate(col.formula, values)
            if result is None:
                continue
            value, tol = result
            severity = None
            if col.percent:
                ok = rate_agrees(printed, value - tol, value + tol) if value >= 0 else True
                severity = _precision(printed, value * HUNDRED)
                shown = percent(value)
                text = f"{printed:f}%" if not row.cells[i].text.endswith("%") else row.cells[i].text
            else:
                ok = abs(printed - value) <= tol + tolerance(printed)
                shown = money(quantize(value, 2))
                text = row.cells[i].text
            if not ok:
                yield form_hit(
                    "formula",
                    form,
                    row.label,
                    row.source,
                    severity,
                    stated=text,
                    expected=shown,
                    problem=f"“{col.name}”为 {text}，按表头公式 {col.formula} 计算应为 {shown}",
                )


def check_rates(form: EvaluationForm) -> Iterator[Hit]:
    """A printed 执行率 (in a column whose header prints no formula) = 执行数 ÷ 预算数."""
    for i, col in enumerate(form.columns):
        if col.role is not ColumnRole.RATE or col.formula:
            continue
        for row in form.funds:
            printed = _cell(form, row, i)
            budget = form.value(row, ColumnRole.BUDGET, col.fund)
            actual = form.value(row, ColumnRole.ACTUAL, col.fund)
            if printed is None or budget is None or actual is None or budget <= 0:
                continue
            bounds = ratio_range(actual, budget, tolerance(actual), tolerance(budget))
            if bounds is None or rate_agrees(printed, *bounds):
                continue
            yield form_hit(
                "rate",
                form,
                row.label,
                row.source,
                _precision(printed, actual / budget * HUNDRED),
                stated=row.cells[i].text,
                expected=percent(actual / budget),
                problem=f"执行数 {money(actual)} ÷ 预算数 {money(budget)} = "
                f"{percent(actual / budget)}",
            )


def _precision(printed: Decimal, computed: Decimal) -> Severity | None:
    """A printed rate within a tenth of a point of the computed one (83.50% for 83.47%: rounded
    to one decimal and padded) is a precision slip, a notice; beyond, the rule's severity."""
    return Severity.NOTICE if abs(printed - computed) < Decimal("0.1") else None


_SUBTOTAL = re.compile(r"小计$")
_CHINESE_SEQ = re.compile(r"^[一二三四五六七八九十]+$")


def _parts(form: EvaluationForm) -> list[tuple[FundRow, list[FundRow]]]:
    """Each total or subtotal row with the rows it adds up: the 合计 with the rows under it (or
    above it, when it is printed last), each 小计 with the rows after it up to the next 小计, and
    with a 序号 column each 一/二/三 group with its 1/2/3 rows."""
    rows = [r for r in form.funds if r.label]
    if len(rows) < 2:
        return []
    out: list[tuple[FundRow, list[FundRow]]] = []
    totals = [r for r in rows if is_total_label(r.label)]
    if len(totals) != 1:
        return []
    total = totals[0]
    others = [r for r in rows if r is not total]
    if any(_CHINESE_SEQ.match(r.seq) for r in others):
        groups = [r for r in others if _CHINESE_SEQ.match(r.seq)]
        out.append((total, groups))
        for g in groups:
            start = others.index(g) + 1
            children = []
            for r in others[start:]:
                if _CHINESE_SEQ.match(r.seq):
                    break
                children.append(r)
            if children:
                out.append((g, children))
        return out
    subtotals = [r for r in others if _SUBTOTAL.search(compact(r.label))]
    if subtotals:
        out.append((total, subtotals))
        for sub in subtotals:
            start = others.index(sub) + 1
            children = []
            for r in others[start:]:
                if r in subtotals:
                    break
                children.append(r)
            if children:
                out.append((sub, children))
        return out
    out.append((total, others))
    return out


def _sum_break(printed: Decimal, parts: list[Decimal]) -> Decimal | None:
    """The difference of a printed total from its parts, beyond their rounding (else None)."""
    total = sum(parts, ZERO)
    tol = sum((tolerance(p) for p in parts), ZERO) + tolerance(printed)
    return printed - total if abs(total - printed) > tol else None


def _sum_hit(
    form: EvaluationForm, row: FundRow, breaks: list[tuple[FundColumn, Decimal, Decimal]], what: str
) -> Hit:
    """One finding for a row whose columns do not add up (each column that breaks listed)."""
    listed = "；".join(
        f"{col.name} {money(printed)}，{what}之和为 {money(printed - diff)}（相差 {money(diff)}）"
        for col, printed, diff in breaks
    )
    _col, printed, diff = breaks[0]
    return form_hit(
        "sum",
        form,
        row.label,
        row.source,
        stated=money(printed),
        expected=money(printed - diff),
        problem=f"“{row.label}”与{what}不符：{listed}",
    )


def _has_money(form: EvaluationForm, row: FundRow) -> bool:
    return any(
        c.value is not None and col.role in MONEY_ROLES
        for c, col in zip(row.cells, form.columns, strict=False)
    )


def check_sums(form: EvaluationForm) -> Iterator[Hit]:
    money_cols = [
        (i, c) for i, c in enumerate(form.columns) if c.role in MONEY_ROLES and not c.formula
    ]
    for total, parts in _parts(form):
        names = "、".join(p.label for p in parts[:4]) + ("等" if len(parts) > 4 else "")
        breaks = []
        for i, col in money_cols:
            printed = _cell(form, total, i)
            values = [v for p in parts if (v := _cell(form, p, i)) is not None]
            if any(_cell(form, p, i) is None and _has_money(form, p) for p in parts):
                continue  # a part that prints other amounts but not this one: cannot tell
            if printed is not None and values and (diff := _sum_break(printed, values)) is not None:
                breaks.append((col, printed, diff))
        if breaks:
            yield _sum_hit(form, total, breaks, names)
    # 总额 = 财政拨款 + 其他资金 (columns split by fund source)
    for row in form.funds:
        breaks = []
        names = ""
        for role in MONEY_ROLES:
            whole = form.column_index(role)
            split = [j for j, c in enumerate(form.columns) if c.role is role and c.fund]
            if whole is None or len(split) < 2:
                continue
            printed = _cell(form, row, whole)
            values = [v for j in split if (v := _cell(form, row, j)) is not None]
            if printed is None or len(values) < 2:
                continue
            names = "、".join(form.columns[j].name.split(" / ")[-1] for j in split)
            if (diff := _sum_break(printed, values)) is not None:
                breaks.append((form.columns[whole], printed, diff))
        if breaks:
            yield _sum_hit(form, row, breaks, names)
    # 结余 = 预算 − 执行 where the header prints no formula for it
    b, a, r = (
        form.column_index(x) for x in (ColumnRole.BUDGET, ColumnRole.ACTUAL, ColumnRole.BALANCE)
    )
    if b is None or a is None or r is None or form.columns[r].formula:
        return
    for row in form.funds:
        budget, actual, balance = _cell(form, row, b), _cell(form, row, a), _cell(form, row, r)
        if budget is None or actual is None or balance is None:
            continue
        expected = budget - actual
        tol = tolerance(budget) + tolerance(actual) + tolerance(balance)
        if abs(balance - expected) > tol:
            yield form_hit(
                "sum",
                form,
                row.label,
                row.source,
                stated=money(balance),
                expected=money(expected),
                problem=f"“{row.label}”结余 {money(balance)}，"
                f"而预算 {money(budget)} − 执行 {money(actual)}"
                f" = {money(expected)}",
            )


def check_grade(s: FormScore, method: Method) -> Iterator[Hit]:
    form = s.form
    if not form.grade or form.total_score is None:
        return
    band = method.grade(form.total_score)
    if band is None or any(compact(form.grade).startswith(n) for n in band.names):
        return
    if not any(compact(form.grade).startswith(n) for g in method.grades for n in g.names):
        return  # a grade word the method does not know: not judged
    yield form_hit(
        "grade",
        form,
        "评价等级",
        form.total_source,
        stated=form.grade,
        expected=band.names[0],
        problem=f"总分 {fmt(form.total_score)} 属于“{band.names[0]}”（≥{fmt(band.min)} 分）",
    )


def check_form(s: FormScore) -> Iterator[Hit]:
    """Every check of one form against itself."""
    form = s.form
    yield from check_formulas(form)
    yield from check_rates(form)
    yield from check_sums(form)
    if form.kind is FormKind.PROJECT_LIST:
        return
    yield from check_total(s)
    yield from check_weights(s)
    yield from check_scores(s)
    yield from check_rate_score(s)
    yield from check_grade(s, s.method)
