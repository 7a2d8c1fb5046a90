"""Rounding semantics: exact in 元, intervals in 万元 (a break rounding explains is a notice)."""

from decimal import Decimal

import pytest

from juesuan.model.amount import Unit
from juesuan.rules.rounding import Outcome, compare_sum, exceeds, term

D = Decimal


@pytest.mark.parametrize(
    ("unit", "total", "parts", "outcome"),
    [
        # the same 0.01 break: an error in 元 …
        (Unit.YUAN, "100.01", ["30.00", "30.00", "40.00"], Outcome.BREAK),
        # … and a rounding break in 万元 with three parts (tolerance 4 × 0.005 = 0.02)
        (Unit.WAN_YUAN, "100.01", ["30.00", "30.00", "40.00"], Outcome.ROUNDING),
        # 0.05 with three parts in 万元 is beyond rounding
        (Unit.WAN_YUAN, "100.05", ["30.00", "30.00", "40.00"], Outcome.BREAK),
        # exactly at the edge of the intervals still meets
        (Unit.WAN_YUAN, "100.02", ["30.00", "30.00", "40.00"], Outcome.ROUNDING),
        (Unit.WAN_YUAN, "100.03", ["30.00", "30.00", "40.00"], Outcome.BREAK),
        # nine 人员经费 items adding to 50.49 against a printed 50.47 (seed 000): within 10 × 0.005
        (
            Unit.WAN_YUAN,
            "50.47",
            ["17.05", "12.66", "2.07", "1.18", "4.50", "3.67", "2.54", "1.31", "5.51"],
            Outcome.ROUNDING,
        ),
        (Unit.WAN_YUAN, "161.22", ["152.15", "9.07"], Outcome.EXACT),
        (Unit.YUAN, "2170030.84", ["2170014.34", "16.50"], Outcome.EXACT),
        # 4-decimal 万元 figures have a tighter interval
        (Unit.WAN_YUAN, "1.0002", ["0.5000", "0.5000"], Outcome.BREAK),
    ],
)
def test_sum_outcomes(unit: Unit, total: str, parts: list[str], outcome: Outcome) -> None:
    result = compare_sum(term(D(total), unit), [term(D(p), unit) for p in parts])
    assert result.outcome is outcome


def test_blank_is_exact_zero() -> None:
    result = compare_sum(term(D("0.00"), Unit.WAN_YUAN), [term(None, Unit.WAN_YUAN)])
    assert result.outcome is Outcome.EXACT
    assert result.tolerance == D("50.000")  # only the printed total carries an interval


def test_subtraction_in_sums() -> None:
    # 年末 = 年初 + 本年收入 − 本年支出
    result = compare_sum(
        term(D("10.00"), Unit.YUAN),
        [term(D("5.00"), Unit.YUAN), term(D("20.00"), Unit.YUAN), term(D("15.00"), Unit.YUAN, -1)],
    )
    assert result.outcome is Outcome.EXACT


def test_at_most_with_rounding() -> None:
    assert exceeds(term(D("10.01"), Unit.WAN_YUAN), term(D("10.00"), Unit.WAN_YUAN)).outcome is (
        Outcome.ROUNDING
    )
    assert (
        exceeds(term(D("10.02"), Unit.YUAN), term(D("10.00"), Unit.YUAN)).outcome is Outcome.BREAK
    )
    assert exceeds(term(D("9.00"), Unit.YUAN), term(D("10.00"), Unit.YUAN)).outcome is Outcome.EXACT


def test_mixed_units_compare_in_yuan() -> None:
    result = compare_sum(term(D("217.00"), Unit.WAN_YUAN), [term(D("2170014.34"), Unit.YUAN)])
    assert result.outcome is Outcome.ROUNDING
