"""指标值 and 实际完成值: reading a printed measure and telling whether a target was met.

A measure is quantitative when its text is an operator (or an operator word: 不低于, 不超过,
以上, 以内 …), a figure and a short unit, and nothing else: ">=99%", "≤30 万元", "=100 百分比",
"≥32.95万张", "95%以上", "28个". Anything else ("达到国家标准", "每生每年4000元", "1月1日-12月31日")
is qualitative: its figure, if any, is not what the indicator measures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from juesuan.evaluation.model import Measure, Operator

ZERO = Decimal(0)

# Operator words before the figure, longest first (a region's wording is data-like, but these
# are the words of the official templates and of the forms seen; add here, not in the checks).
_PREFIX: tuple[tuple[str, Operator], ...] = (
    (">=", Operator.GE),
    ("=>", Operator.GE),
    ("≥", Operator.GE),
    ("≧", Operator.GE),
    ("⩾", Operator.GE),
    ("大于等于", Operator.GE),
    ("大于或等于", Operator.GE),
    ("不低于", Operator.GE),
    ("不少于", Operator.GE),
    ("不小于", Operator.GE),
    ("至少", Operator.GE),
    ("达到", Operator.GE),
    ("<=", Operator.LE),
    ("=<", Operator.LE),
    ("≤", Operator.LE),
    ("≦", Operator.LE),
    ("⩽", Operator.LE),
    ("小于等于", Operator.LE),
    ("小于或等于", Operator.LE),
    ("不超过", Operator.LE),
    ("不高于", Operator.LE),
    ("不多于", Operator.LE),
    ("不大于", Operator.LE),
    ("控制在", Operator.LE),
    ("＞", Operator.GT),
    (">", Operator.GT),
    ("大于", Operator.GT),
    ("高于", Operator.GT),
    ("超过", Operator.GT),
    ("＜", Operator.LT),
    ("<", Operator.LT),
    ("小于", Operator.LT),
    ("低于", Operator.LT),
    ("＝", Operator.EQ),
    ("==", Operator.EQ),
    ("=", Operator.EQ),
    ("等于", Operator.EQ),
)
_SUFFIX: tuple[tuple[str, Operator], ...] = (
    ("及以上", Operator.GE),
    ("以上", Operator.GE),
    ("及以下", Operator.LE),
    ("以下", Operator.LE),
    ("以内", Operator.LE),
)
_FIGURE = re.compile(
    r"^(?P<num>[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?)"
    r"(?P<unit>%|‰|㎡|[a-zA-Z²³/]{1,4}|[\u4e00-\u9fff（）()/²]{1,6})?$"
)
# Units that are not a quantity of the indicator (a date, a standard per person).
_NOT_UNITS = re.compile(r"^(?:月\d|日|号|年\d|元/|每)|/人|月底|底前|前$|之前|以前|之内")


def _clean(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("％", "%").replace("≧", "≥").replace("≦", "≤")
    return re.sub(r"\s+", "", s)


def parse_measure(text: str) -> Measure:
    """The operator, figure and unit of a printed 指标值 or 实际完成值 (see the module doc)."""
    printed = text.strip()
    s = _clean(printed)
    if not s:
        return Measure(printed)
    operator: Operator | None = None
    for word, op in _PREFIX:
        if s.startswith(word):
            operator, s = op, s[len(word) :]
            break
    for word, op in _SUFFIX:
        if s.endswith(word) and operator is None:
            operator, s = op, s[: -len(word)]
            break
    m = _FIGURE.match(s)
    if m is None:
        return Measure(printed, operator)
    unit = m.group("unit") or ""
    if unit and _NOT_UNITS.search(unit):
        return Measure(printed, operator)
    unit = "%" if unit == "百分比" else unit
    value = Decimal(m.group("num").replace(",", "").lstrip("+"))
    return Measure(printed, operator, value, unit)


# 万 and 亿 scale a unit ("万人次" is 10000 "人次"); "%" and "百分比" are one unit.
_SCALE = (("亿", Decimal(100000000)), ("万", Decimal(10000)), ("千", Decimal(1000)))


def _base(unit: str) -> tuple[str, Decimal]:
    for prefix, factor in _SCALE:
        if unit.startswith(prefix) and len(unit) > 1:
            return unit[len(prefix) :], factor
    return unit, Decimal(1)


def comparable(target: Measure, actual: Measure) -> tuple[Decimal, Decimal] | None:
    """(target, actual) in one unit, or None when they cannot be compared: either is not a
    figure, or their units differ (an actual printed without a unit is in the target's)."""
    if target.value is None or actual.value is None:
        return None
    if not actual.unit or not target.unit or actual.unit == target.unit:
        return target.value, actual.value
    (tu, tf), (au, af) = _base(target.unit), _base(actual.unit)
    if tu != au:
        return None
    return target.value * tf, actual.value * af


@dataclass(frozen=True, slots=True)
class Attainment:
    """Whether an indicator met its target and how far: ``ratio`` is the share of the target
    achieved in the indicator's direction (实际/目标 for ≥, 目标/实际 for ≤), capped at 1."""

    met: bool | None  # None: cannot tell (qualitative, or figures that do not compare)
    operator: Operator | None = None
    ratio: Decimal | None = None
    target: Decimal | None = None
    actual: Decimal | None = None


def attainment(target: Measure, actual: Measure, default: Operator) -> Attainment:
    """Compare a target and an actual figure; ``default`` is the operator of a target printed
    without one (≤ for a 成本指标, ≥ otherwise: the vocabulary decides)."""
    pair = comparable(target, actual)
    if pair is None:
        return Attainment(None)
    t, a = pair
    op = target.operator or default
    # an actual printed as ">95%" against ">95%" says it is more than the target
    met = {
        Operator.GE: a >= t,
        Operator.GT: a > t or (actual.operator is Operator.GT and a == t),
        Operator.LE: a <= t,
        Operator.LT: a < t or (actual.operator is Operator.LT and a == t),
        Operator.EQ: a == t,
    }[op]
    ratio: Decimal | None
    if met:
        ratio = Decimal(1)
    elif op in (Operator.GE, Operator.GT):
        ratio = max(ZERO, a / t) if t > 0 else None
    elif op in (Operator.LE, Operator.LT):
        ratio = t / a if a > 0 and t >= 0 else None
    else:
        ratio = max(ZERO, 1 - abs(a - t) / abs(t)) if t != 0 else ZERO
    if ratio is not None:
        ratio = min(ratio, Decimal(1))
    return Attainment(met, op, ratio, t, a)
