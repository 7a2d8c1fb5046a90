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
