"""指标值 and 实际完成值: the operator, figure and unit of each printed form, and whether a target
is met, for every operator, zero and missing targets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.evaluation.measures import attainment, parse_measure
from juesuan.evaluation.model import Operator

D = Decimal


@pytest.mark.parametrize(
    ("text", "operator", "value", "unit"),
    [
        (">=99%", Operator.GE, "99", "%"),
        ("≥32.95万张", Operator.GE, "32.95", "万张"),
        ("≧60万人次", Operator.GE, "60", "万人次"),
        ("≤30 万元", Operator.LE, "30", "万元"),
        ("<=100 百分比", Operator.LE, "100", "%"),
        ("=100 百分比", Operator.EQ, "100", "%"),
        ("=24小时", Operator.EQ, "24", "小时"),
        (">1000人", Operator.GT, "1000", "人"),
        ("不少于100个", Operator.GE, "100", "个"),
        ("不超过30万", Operator.LE, "30", "万"),
        ("95%以上", Operator.GE, "95", "%"),
        ("12个月以内", Operator.LE, "12", "个月"),
        ("28个", None, "28", "个"),
        ("1,678,648.28万元", None, "1678648.28", "万元"),
        ("93.47", None, "93.47", ""),
    ],
)
def test_quantitative_measures(text: str, operator: Operator | None, value: str, unit: str) -> None:
    m = parse_measure(text)
    assert (m.operator, m.value, m.unit) == (operator, D(value), unit)
    assert m.quantitative and m.text == text


@pytest.mark.parametrize(
    "text",
    [
        "达到国家标准",
        "每生每年4000元",
        "1月1日-12月31日",
        "12月底前",
        "2022.1.1-2022.12.30",
        "全年",
        "",
    ],
)
def test_qualitative_measures_have_no_figure(text: str) -> None:
    assert parse_measure(text).value is None


def _att(
    target: str, actual: str, default: Operator = Operator.GE
) -> tuple[bool | None, str | None]:
    a = attainment(parse_measure(target), parse_measure(actual), default)
    return a.met, None if a.ratio is None else f"{a.ratio:.4f}"


def test_higher_is_better() -> None:
    assert _att("≥800人", "800人") == (True, "1.0000")
    assert _att("≥800人", "744人") == (False, "0.9300")
    assert _att(">95%", ">95%") == (True, "1.0000")  # "more than 95%" is more than 95%
    assert _att("大于95%", "大于93%") == (False, "0.9789")


def test_lower_is_better() -> None:
    assert _att("≤3843.67万元", "4262.96") == (False, "0.9016")
    assert _att("<=100%", "93.47") == (True, "1.0000")
    # a target printed without an operator is read by the indicator's kind (成本: lower)
    assert _att("240万元", "229.19万元", Operator.LE) == (True, "1.0000")
    assert _att("240万元", "229.19万元", Operator.GE) == (False, "0.9550")


def test_equal_targets_by_closeness() -> None:
    assert _att("=6期", "6") == (True, "1.0000")
    assert _att("=100 百分比", "90") == (False, "0.9000")
    assert _att("=5 百分比", "100") == (False, "0.0000")  # far off: not below 0


def test_zero_targets() -> None:
    assert _att("≤0次", "0") == (True, "1.0000")
    assert _att("≤0%", "2%") == (False, "0.0000")
    assert _att("=0 百分比", "100") == (False, "0.0000")
    assert _att("≥0个", "3个") == (True, "1.0000")


def test_missing_or_incomparable_figures_are_not_judged() -> None:
    assert _att("", "100%") == (None, None)
    assert _att("≥95%", "") == (None, None)
    assert _att("≥95%", "满意") == (None, None)
    assert _att("≥800万人次", "2484万人") == (None, None)  # 人次 and 人 are not one unit


def test_units_scaled_by_wan() -> None:
    assert _att("≥1.2万人", "4000人") == (False, "0.3333")
    assert _att("≥32.95万张", "385100张") == (True, "1.0000")
