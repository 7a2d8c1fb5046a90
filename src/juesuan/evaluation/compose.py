"""``juesuan build``: the 绩效自评表 of the package, generated from the indicators the source file
gives (``[[performance.form]]``, see ``docs/source-example.toml``).

Each form's 执行率 is computed from its 全年执行数 and 全年预算数, the 预算执行率 points and every
score the source leaves out come from the scoring method (:mod:`juesuan.evaluation.scoring`),
the 一级指标 are printed with the weight their indicators carry (产出指标（50分）), and the 总分 and
等级 are the sum and its band: what is printed adds up by construction. Any problem in the source
is an :class:`~juesuan.errors.InputError` naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.evaluation.arithmetic import HUNDRED, ZERO, quantize
from juesuan.evaluation.measures import parse_measure
from juesuan.evaluation.model import (
    ColumnRole,
    EvaluationForm,
    FormKind,
    FundCell,
    FundColumn,
    FundRow,
    Goal,
    Indicator,
)
from juesuan.evaluation.scoring import Method, fmt, rate_points, score_indicator
from juesuan.evaluation.vocabulary import vocabulary
from juesuan.model.amount import Unit

KINDS = {"project": FormKind.PROJECT, "department": FormKind.DEPARTMENT}
SOURCES = {"fiscal": "财政拨款", "carryover": "上年结转资金", "other": "其他资金"}


@dataclass(frozen=True)
class Funds:
    """年初预算数, 全年预算数, 全年执行数 of a form (or of one fund source), in 万元."""

    initial: Decimal | None = None
    budget: Decimal | None = None
    actual: Decimal | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal | None = None  # None: the method's
    reason: str = ""


@dataclass(frozen=True)
class FormSpec:
    """One ``[[performance.form]]`` of the source file."""

    kind: FormKind
    name: str
    department: str
    implementer: str
    total: Funds
    sources: Mapping[str, Funds] = field(default_factory=dict)  # by SOURCES key
    rate_weight: Decimal | None = None
    rate_score: Decimal | None = None
    goal: str = ""
    achieved: str = ""
    indicators: tuple[IndicatorSpec, ...] = ()


class _Keys:
    """One TOML table of the source: every key consumed, else it is unknown."""

    def __init__(self, path: Path, data: Any, prefix: str) -> None:
        if not isinstance(data, dict):
            raise InputError(path, f"{prefix.rstrip('.')}: expected a table")
        self.path, self.data, self.prefix, self.used = path, data, prefix, set[str]()

    def fail(self, name: str, reason: str) -> InputError:
        return InputError(self.path, f"{self.prefix}{name}: {reason}")

    def text(self, name: str, default: str = "") -> str:
        self.used.add(name)
        v = self.data.get(name, default)
        if not isinstance(v, str):
            raise self.fail(name, "expected a string")
        return v.strip()

    def number(self, name: str, required: bool = False) -> Decimal | None:
        self.used.add(name)
        if name not in self.data:
            if required:
                raise self.fail(name, "missing (required)")
            return None
        v = self.data[name]
        if isinstance(v, bool) or not isinstance(v, int | Decimal):
            raise self.fail(name, "expected a number")
        if Decimal(v) < 0:
            raise self.fail(name, "must not be negative")
        return Decimal(v)

    def done(self) -> None:
        for k in self.data:
            if k not in self.used:
                raise self.fail(k, "unknown key")


def _wan(value: Decimal | None, unit: Unit) -> Decimal | None:
    if value is None:
        return None
    return value if unit is Unit.WAN_YUAN else quantize(value / Decimal(10000), 2)


def _funds(t: _Keys, unit: Unit, required: bool) -> Funds:
    return Funds(
        _wan(t.number("initial_budget"), unit),
        _wan(t.number("budget", required), unit),
        _wan(t.number("actual", required), unit),
    )


def parse_forms(raw: Any, path: Path, unit: Unit) -> tuple[FormSpec, ...]:
    """The ``[[performance.form]]`` entries of a source file (amounts in ``unit``)."""
    if not isinstance(raw, list):
        raise InputError(
            path, "performance.form: expected an array of tables ([[performance.form]])"
        )
    out: list[FormSpec] = []
    for i, entry in enumerate(raw):
        t = _Keys(path, entry, f"performance.form[{i}].")
        kind_key = t.text("kind", "project")
        if kind_key not in KINDS:
            raise t.fail("kind", f"expected {' or '.join(KINDS)}, got {kind_key!r}")
        kind = KINDS[kind_key]
        name = t.text("name")
        if kind is FormKind.PROJECT and not name:
            raise t.fail("name", "missing (required for a project form: 项目名称)")
        total = _funds(t, unit, required=True)
        t.used.add("sources")
        sources: dict[str, Funds] = {}
        raw_sources = entry.get("sources", {})
        st = _Keys(path, raw_sources, f"performance.form[{i}].sources.")
        for key in raw_sources:
            if key not in SOURCES or (key == "carryover" and kind is FormKind.DEPARTMENT):
                raise st.fail(key, f"unknown fund source (known: {', '.join(SOURCES)})")
            st.used.add(key)
            sources[key] = _funds(_Keys(path, raw_sources[key], f"{st.prefix}{key}."), unit, False)
        for what in ("budget", "actual"):
            parts = [getattr(f, what) for f in sources.values() if getattr(f, what) is not None]
            if parts and sum(parts, ZERO) != getattr(total, what):
                raise st.fail(
                    what,
                    f"the sources' {what} add up to {sum(parts, ZERO)}, "
                    f"not the form's {getattr(total, what)}",
                )
        t.used.add("indicator")
        indicators = []
        for j, item in enumerate(entry.get("indicator", [])):
            it = _Keys(path, item, f"performance.form[{i}].indicator[{j}].")
            weight = it.number("weight", required=True)
            assert weight is not None
            score = it.number("score")
            if score is not None and score > weight:
                raise it.fail("score", f"{score} exceeds the weight {weight}")
            spec = IndicatorSpec(
                it.text("level1"),
                it.text("level2"),
                it.text("name"),
                it.text("target"),
                it.text("actual"),
                weight,
                score,
                it.text("reason"),
            )
            if not spec.level1 or not spec.name:
                raise it.fail("name" if spec.level1 else "level1", "missing (required)")
            it.done()
            indicators.append(spec)
        if not indicators:
            raise t.fail(
                "indicator", "a form needs its indicators ([[performance.form.indicator]])"
            )
        out.append(
            FormSpec(
                kind,
                name,
                t.text("department"),
                t.text("implementer"),
                total,
                sources,
                t.number("rate_weight"),
                t.number("rate_score"),
                t.text("goal"),
                t.text("achieved"),
                tuple(indicators),
            )
        )
        t.done()
    return tuple(out)


# --- the forms --------------------------------------------------------------------------------

COLUMNS = (
    FundColumn("年初预算数", ColumnRole.INITIAL),
    FundColumn("全年预算数（A）", ColumnRole.BUDGET, marker="A"),
    FundColumn("全年执行数（B）", ColumnRole.ACTUAL, marker="B"),
    FundColumn("分值", ColumnRole.WEIGHT),
    FundColumn("执行率（B/A）", ColumnRole.RATE, formula="B/A", percent=True),
    FundColumn("得分", ColumnRole.SCORE),
)


def _money(x: Decimal | None) -> FundCell:
    return FundCell("" if x is None else f"{x:,f}", x)


def _rate(f: Funds) -> FundCell:
    if f.budget is None or f.actual is None or f.budget <= 0:
        return FundCell("—")
    rate = quantize(f.actual / f.budget * HUNDRED, 2)
    return FundCell(f"{rate:f}%", rate)


def _row(
    label: str, f: Funds, weight: Decimal | None = None, score: Decimal | None = None
) -> FundRow:
    dash = FundCell("—")
    return FundRow(
        label,
        (
            _money(f.initial),
            _money(f.budget),
            _money(f.actual),
            FundCell(fmt(weight), weight) if weight is not None else dash,
            _rate(f),
            FundCell(fmt(score), score) if score is not None else dash,
        ),
    )


def _level1(name: str, weight: Decimal) -> str:
    """产出指标 → 产出指标（50分）, unless the source already prints a weight."""
    return name if "分" in name else f"{name}（{fmt(weight)}分）"


def build_form(
    spec: FormSpec, unit_name: str, year: int, method: Method
) -> tuple[EvaluationForm, list[str]]:
    """The printed form of a source entry, and what the build should warn about."""
    warnings: list[str] = []
    vocab = vocabulary()
    who = spec.name or unit_name
    total = spec.total
    rate_weight = spec.rate_weight if spec.rate_weight is not None else method.rate_weight
    rate_score = spec.rate_score
    if rate_score is None and total.budget and total.actual is not None:
        rate_score, _how = rate_points(total.actual / total.budget * HUNDRED, rate_weight, method)
    rows = [_row("年度资金总额", total, rate_weight, rate_score)]
    fiscal_label = "其中：当年财政拨款" if spec.kind is FormKind.PROJECT else "其中：财政拨款"
    sources = dict(spec.sources) or {"fiscal": total}
    for key, label in SOURCES.items():
        if key == "carryover" and spec.kind is FormKind.DEPARTMENT:
            continue
        shown = fiscal_label if key == "fiscal" else label
        rows.append(_row(shown, sources.get(key, Funds())))
    by_level: dict[str, Decimal] = {}
    for ind in spec.indicators:
        by_level[ind.level1] = by_level.get(ind.level1, ZERO) + ind.weight
    indicators = []
    for ind in spec.indicators:
        base = Indicator(
            _level1(ind.level1, by_level[ind.level1]),
            ind.level2,
            ind.name,
            parse_measure(ind.target),
            parse_measure(ind.actual),
            ind.weight,
            ind.score,
            ind.reason,
        )
        scored = score_indicator(base, method, vocab)
        score = ind.score if ind.score is not None else scored.expected
        if score is None:
            raise InputError(
                None,
                f"performance form “{who}”, indicator “{ind.name}”: the method cannot score it "
                "(qualitative, partly met): give its score",
            )
        indicators.append(
            Indicator(
                base.level1,
                base.level2,
                base.name,
                base.target,
                base.actual,
                ind.weight,
                score,
                ind.reason,
            )
        )
    weights = sum((i.weight for i in spec.indicators), ZERO) + rate_weight
    if weights != 100:
        warnings.append(f"绩效自评表“{who}”各项分值合计 {fmt(weights)}（通常为 100）")
    scores = [i.score for i in indicators if i.score is not None]
    total_score = sum(scores, ZERO) + (rate_score or ZERO)
    band = method.grade(total_score)
    title = (
        f"{who}{'项目支出绩效自评表' if spec.kind is FormKind.PROJECT else '部门整体绩效自评表'}"
    )
    form = EvaluationForm(
        kind=spec.kind,
        title=title,
        project=spec.name if spec.kind is FormKind.PROJECT else "",
        department=spec.department or unit_name,
        implementer=(spec.implementer or unit_name) if spec.kind is FormKind.PROJECT else "",
        unit="万元",
        columns=COLUMNS,
        funds=tuple(rows),
        goals=(Goal(spec.goal, spec.achieved),) if spec.goal or spec.achieved else (),
        indicators=tuple(indicators),
        total_weight=weights,
        total_score=total_score,
        grade=band.names[0] if band is not None else "",
    )
    return form, warnings


def build_forms(
    specs: tuple[FormSpec, ...], unit_name: str, year: int, method: Method
) -> tuple[tuple[EvaluationForm, ...], list[str]]:
    forms, warnings = [], []
    for spec in specs:
        form, said = build_form(spec, unit_name, year, method)
        forms.append(form)
        warnings.extend(said)
    return tuple(forms), warnings
