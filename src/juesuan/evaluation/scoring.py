"""The scoring engine: every 得分 of a 绩效自评表 recomputed under a documented method, the 总分
and the 等级, each with the arithmetic that gives it.

The method's parameters are data (``evaluation/data/method.toml``): the 预算执行率 points
(proportional or in bands), how a quantitative indicator that missed its target scores for each
operator (≥ proportional, ≤ inverse, = by closeness, or all-or-nothing), what a qualitative
attainment earns, the grade bands and the tolerance a stated score is allowed. A region's variant
is a file of the same form (:func:`load_method`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.evaluation.funds import compact
from juesuan.evaluation.measures import Attainment, attainment
from juesuan.evaluation.model import EvaluationForm, FormKind, Indicator, Operator
from juesuan.evaluation.vocabulary import Vocabulary, vocabulary
from juesuan.model.amount import round_half_up

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_RULES = ("proportional", "inverse", "closeness", "all_or_nothing")


@dataclass(frozen=True)
class Band:
    min: Decimal  # percent
    share: Decimal


@dataclass(frozen=True)
class Grade:
    min: Decimal
    names: tuple[str, ...]


@dataclass(frozen=True)
class Method:
    """A scoring method's parameters (see ``data/method.toml``)."""

    name: str
    basis: str
    tolerance: Decimal
    rate_weight: Decimal
    rate_scoring: str  # proportional | bands
    rate_cap: Decimal
    rate_bands: tuple[Band, ...]
    ge: str
    le: str
    eq: str
    met: Decimal
    partial: Decimal | None  # None: the evaluator's score is kept
    unmet: Decimal | None
    grades: tuple[Grade, ...]
    origin: str = "builtin"

    def grade(self, total: Decimal) -> Grade | None:
        return next((g for g in self.grades if total >= g.min), None)


def _decimal(doc: dict[str, Any], key: str, where: str, default: Any = None) -> Decimal:
    value = doc.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise ValueError(f"{where}{key}: expected a number, got {value!r}")
    return Decimal(str(value))


def _share(doc: dict[str, Any], key: str, where: str) -> Decimal | None:
    value = doc.get(key, "stated")
    if value == "stated":
        return None
    return _decimal(doc, key, where)


def parse_method(doc: dict[str, Any], origin: str) -> Method:
    """A method from a parsed TOML document; ValueError names the bad key."""
    head, rate = doc.get("method", {}), doc.get("rate", {})
    quant, qual = doc.get("quantitative", {}), doc.get("qualitative", {})
    for key, value in quant.items():
        if value not in _RULES:
            raise ValueError(f"quantitative.{key}: expected one of {', '.join(_RULES)}")
    scoring = rate.get("scoring", "proportional")
    if scoring not in ("proportional", "bands"):
        raise ValueError("rate.scoring: expected proportional or bands")
    bands = tuple(
        Band(_decimal(b, "min", "rate.band."), _decimal(b, "share", "rate.band."))
        for b in rate.get("band", [])
    )
    if scoring == "bands" and not bands:
        raise ValueError("rate.scoring = bands needs [[rate.band]] entries")
    grades = tuple(
        Grade(_decimal(g, "min", "grade."), tuple(str(n) for n in g.get("names", [])))
        for g in doc.get("grade", [])
    )
    return Method(
        name=str(head.get("name", origin)),
        basis=str(head.get("basis", "")),
        tolerance=_decimal(head, "tolerance", "method.", Decimal("0.05")),
        rate_weight=_decimal(rate, "weight", "rate.", 10),
        rate_scoring=scoring,
        rate_cap=_decimal(rate, "cap", "rate.", 1),
        rate_bands=tuple(sorted(bands, key=lambda b: -b.min)),
        ge=str(quant.get("ge", "proportional")),
        le=str(quant.get("le", "inverse")),
        eq=str(quant.get("eq", "closeness")),
        met=_decimal(qual, "met", "qualitative.", 1),
        partial=_share(qual, "partial", "qualitative."),
        unmet=_share(qual, "unmet", "qualitative."),
        grades=tuple(sorted(grades, key=lambda g: -g.min)),
        origin=origin,
    )


def default_method() -> Method:
    text = (resources.files("juesuan.evaluation") / "data" / "method.toml").read_text("utf-8")
    return parse_method(tomllib.loads(text, parse_float=Decimal), "builtin")


def load_method(path: str | Path | None = None) -> Method:
    """The built-in method, or a region's own file; a bad file is an InputError naming it."""
    if path is None:
        return default_method()
    try:
        doc = tomllib.loads(Path(path).read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as exc:
        raise InputError(path, f"cannot read method file: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not a valid TOML method file: {exc}") from None
    try:
        return parse_method(doc, str(path))
    except ValueError as exc:
        raise InputError(path, str(exc)) from None


# --- scoring --------------------------------------------------------------------------------


def points(x: Decimal) -> Decimal:
    """Rounded to 0.01 half-up in the model's wide context (a figure of any size the readers
    let through never raises)."""
    return round_half_up(x, 2)


def fmt(x: Decimal | None) -> str:
    """A score as forms print it: 12.5, 9.98, 10 (no trailing zeros)."""
    if x is None:
        return "—"
    s = f"{points(x):f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


@dataclass(frozen=True)
class Scored:
    """One score as stated and as the method gives it."""

    item: str  # the indicator's name, or 预算执行率
    weight: Decimal | None
    stated: Decimal | None
    expected: Decimal | None  # None: the method leaves it to the evaluator
    met: bool | None
    explanation: str
    indicator: Indicator | None = None

    @property
    def recomputed(self) -> Decimal | None:
        """The score counted in the recomputed total: the method's, else the stated one."""
        return self.expected if self.expected is not None else self.stated

    def deviates(self, tolerance: Decimal) -> bool:
        if self.expected is None or self.stated is None:
            return False
        return abs(self.stated - self.expected) > tolerance


@dataclass(frozen=True)
class FormScore:
    """A form recomputed: 预算执行率 points, every indicator, the totals and the grade."""

    form: EvaluationForm
    method: Method
    rate: Scored | None
    indicators: tuple[Scored, ...]

    @property
    def scores(self) -> tuple[Scored, ...]:
        return ((self.rate,) if self.rate is not None else ()) + self.indicators

    @property
    def stated_sum(self) -> Decimal | None:
        """Σ of the stated 得分 (预算执行率 included)."""
        values = [s.stated for s in self.scores if s.stated is not None]
        return sum(values, ZERO) if values else None

    @property
    def recomputed_total(self) -> Decimal | None:
        values = [s.recomputed for s in self.scores if s.recomputed is not None]
        return points(sum(values, ZERO)) if values else None

    @property
    def stated_total(self) -> Decimal | None:
        return self.form.total_score

    @property
    def recomputed_grade(self) -> Grade | None:
        total = self.recomputed_total
        return self.method.grade(total) if total is not None else None


def rate_points(rate: Decimal, weight: Decimal, method: Method) -> tuple[Decimal, str]:
    """预算执行率 points for a rate in percent, and how they are found."""
    if method.rate_scoring == "bands":
        band = next((b for b in method.rate_bands if rate >= b.min), None)
        share = band.share if band is not None else ZERO
        where = f"执行率 {fmt(rate)}% 在 ≥{fmt(band.min)}% 档" if band else f"执行率 {fmt(rate)}%"
        return points(weight * share), f"{where}：{fmt(weight)} × {fmt(share)}"
    share = min(rate / HUNDRED, method.rate_cap)
    return points(weight * share), f"{fmt(weight)} × {fmt(min(rate, method.rate_cap * HUNDRED))}%"


def score_rate(form: EvaluationForm, method: Method) -> Scored | None:
    """预算执行率 of the whole: 全年执行数 ÷ 全年预算数, scored by the method."""
    budget, actual = form.budget, form.actual
    weight = form.rate_weight
    stated = form.rate_score
    if weight is None and stated is None:
        return None
    weight = weight if weight is not None else method.rate_weight
    if budget is None or actual is None or budget <= 0:
        return Scored(
            "预算执行率", weight, stated, None, None, "未列示预算数或执行数，按所评得分计"
        )
    rate = actual / budget * HUNDRED
    expected, how = rate_points(rate, weight, method)
    text = f"执行率 {fmt(actual)} ÷ {fmt(budget)} = {fmt(rate)}%：{how} = {fmt(expected)} 分"
    return Scored("预算执行率", weight, stated, expected, rate >= HUNDRED, text)


def default_operator(indicator: Indicator, vocab: Vocabulary) -> Operator:
    """The operator of a target printed without one: ≤ for what should be low (成本), else ≥."""
    where = f"{indicator.level1}{indicator.level2}"
    return Operator.LE if any(w in where for w in vocab.lower_is_better) else Operator.GE


def qualitative(indicator: Indicator, vocab: Vocabulary) -> tuple[bool | None, str]:
    """(met, how it reads) of an indicator whose figures do not compare."""
    target, actual = compact(indicator.target.text), compact(indicator.actual.text)
    if not actual:
        return None, "未填实际完成值"
    if target and actual == target:
        return True, "实际完成值与指标值一致"
    # "不满意" contains its target "满意": the words that deny or qualify come first
    for words, result, how in ((vocab.unmet, False, "未达成"), (vocab.partial, None, "部分达成")):
        word = next((w for w in words if w in actual and w not in target), None)
        if word is not None:
            return (result, f"{how}（“{word}”）") if result is not None else (None, how)
    if len(target) >= 2 and target in actual:
        return True, "实际完成值含指标值"
    word = next((w for w in vocab.met if w in actual), None)
    if word is not None:
        return True, f"达成（“{word}”）"
    return None, "定性指标，按所评得分计"


def _rule(op: Operator, method: Method) -> str:
    if op in (Operator.GE, Operator.GT):
        return method.ge
    if op in (Operator.LE, Operator.LT):
        return method.le
    return method.eq


def score_indicator(indicator: Indicator, method: Method, vocab: Vocabulary) -> Scored:
    weight, stated = indicator.weight, indicator.score
    name = indicator.name or indicator.level2 or indicator.level1
    if weight is None:
        return Scored(name, None, stated, None, None, "未列分值", indicator)
    att: Attainment = attainment(
        indicator.target, indicator.actual, default_operator(indicator, vocab)
    )
    if att.met is not None and att.operator is not None:
        t, a = indicator.target.text.strip(), indicator.actual.text.strip()
        if att.met:
            return Scored(
                name,
                weight,
                stated,
                weight,
                True,
                f"{t}，实际 {a}：达成，满分 {fmt(weight)} 分",
                indicator,
            )
        rule = _rule(att.operator, method)
        if rule == "all_or_nothing" or att.ratio is None:
            return Scored(
                name, weight, stated, ZERO, False, f"{t}，实际 {a}：未达成，0 分", indicator
            )
        expected = points(weight * att.ratio)
        how = {
            "proportional": f"{fmt(weight)} × {fmt(att.actual)} ÷ {fmt(att.target)}",
            "inverse": f"{fmt(weight)} × {fmt(att.target)} ÷ {fmt(att.actual)}",
            "closeness": f"{fmt(weight)} × (1 − |{fmt(att.actual)} − {fmt(att.target)}|"
            f" ÷ {fmt(att.target)})",
        }[rule]
        return Scored(
            name,
            weight,
            stated,
            expected,
            False,
            f"{t}，实际 {a}：未达成，{how} = {fmt(expected)} 分",
            indicator,
        )
    met, how = qualitative(indicator, vocab)
    share = method.met if met else (method.unmet if met is False else None)
    if share is None:
        return Scored(name, weight, stated, None, met, f"{how}，按所评得分计", indicator)
    expected = points(weight * share)
    return Scored(name, weight, stated, expected, met, f"{how}：{fmt(expected)} 分", indicator)


def score_form(form: EvaluationForm, method: Method | None = None) -> FormScore:
    """Every score of a form recomputed under ``method`` (the built-in one by default)."""
    method = method or default_method()
    vocab = vocabulary()
    if form.kind is FormKind.PROJECT_LIST:
        return FormScore(form, method, None, ())
    return FormScore(
        form,
        method,
        score_rate(form, method),
        tuple(score_indicator(i, method, vocab) for i in form.indicators),
    )
