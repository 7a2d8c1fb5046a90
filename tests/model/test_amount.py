from decimal import Decimal

import pytest

from juesuan.model.amount import Amount, Unit, format_amount, half_unit, parse_amount, parse_unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2,170,014.34", "2170014.34"),
        ("0.00", "0.00"),
        ("16.50", "16.50"),
        ("217.02", "217.02"),
        ("１２３.４５", "123.45"),  # full-width digits
        ("66. 85", "66.85"),  # a stray space inside the number
        ("1,234", "1234"),
        ("-3.20", "-3.20"),
        ("(3.20)", "-3.20"),
        ("0.1234", "0.1234"),
    ],
)
def test_parse_amount_keeps_printed_precision(text: str, expected: str) -> None:
    value = parse_amount(text)
    assert value is not None
    assert str(value) == expected


@pytest.mark.parametrize("text", ["", "  ", "合计", "2,17a", "—"])
def test_parse_amount_rejects_non_numbers(text: str) -> None:
    assert parse_amount(text) is None


def test_blank_and_printed_zero_differ() -> None:
    assert parse_amount("") is None
    assert parse_amount("0.00") == Decimal("0.00")


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("金额单位：元", Unit.YUAN),
        ("单位：万元", Unit.WAN_YUAN),
        ("金额单位: 万元", Unit.WAN_YUAN),
        ("部门：焦作市劳动保障信息中心", None),
    ],
)
def test_parse_unit(line: str, unit: Unit | None) -> None:
    assert parse_unit(line) is unit


def test_half_unit_follows_printed_digits() -> None:
    assert half_unit(Decimal("12.30")) == Decimal("0.005")
    assert half_unit(Decimal("12.3")) == Decimal("0.05")
    assert half_unit(Decimal("0.1234")) == Decimal("0.00005")


def test_amount_conversion_rounds_half_up() -> None:
    assert Amount(Decimal("2170014.34"), Unit.YUAN).to(Unit.WAN_YUAN).value == Decimal("217.00")
    assert Amount(Decimal("2170184.18"), Unit.YUAN).to(Unit.WAN_YUAN).value == Decimal("217.02")
    assert Amount(Decimal("125.00"), Unit.YUAN).to(Unit.WAN_YUAN).value == Decimal("0.01")
    assert Amount(Decimal("12.30"), Unit.WAN_YUAN).tolerance_yuan == Decimal("50.000")
    assert Amount(Decimal("12.30"), Unit.YUAN).tolerance_yuan == 0


def test_format_amount() -> None:
    assert format_amount(Decimal("2170014.34")) == "2,170,014.34"
    assert format_amount(Decimal("0.5"), 2) == "0.50"


def test_one_arithmetic_for_rules_audit_build_and_charts() -> None:
    from juesuan.model.amount import (
        in_wan,
        interval,
        percent,
        percent_of,
        printed_places,
        ratio_bounds,
        rounds_to,
        wan_text,
        within_bounds,
    )

    # a 万元 figure printed as 12.30 stands for 122,950–123,050 元; 元 figures are exact
    assert interval(Decimal("12.30"), Unit.WAN_YUAN) == (Decimal("123000.00"), Decimal("50.000"))
    assert interval(Decimal("12.30"), Unit.YUAN) == (Decimal("12.30"), Decimal(0))
    assert interval(None, Unit.WAN_YUAN) == (Decimal(0), Decimal(0))
    assert in_wan(Decimal("2170184.18")) == Decimal("217.02")
    assert str(in_wan(Decimal("-0.4"))) == "0.00"  # never -0.00
    assert wan_text(Decimal("21701841.80")) == "2,170.18万元"
    assert percent(Decimal("0.0288"), 2) == Decimal("2.88")
    assert percent(Decimal("0.028850"), 2) == Decimal("2.89")  # half-up, not to even
    assert percent_of(Decimal(1), Decimal(0)) is None
    assert printed_places(Decimal("66.85")) == 2 and printed_places(Decimal("217")) == 0
    assert rounds_to(Decimal("2.88"), Decimal("0.02884")) and not rounds_to(
        Decimal("2.89"), Decimal("0.02884")
    )
    # 150.40 / (199.86 − 150.40) with both figures rounded: 304.10% is possible
    bounds = ratio_bounds(
        (Decimal("150.40"), Decimal("0.005")), (Decimal("49.46"), Decimal("0.01"))
    )
    assert bounds is not None and within_bounds(Decimal("304.10"), bounds)
    assert not within_bounds(Decimal("310.10"), bounds)
    assert ratio_bounds((Decimal(1), Decimal(0)), (Decimal("0.004"), Decimal("0.005"))) is None
