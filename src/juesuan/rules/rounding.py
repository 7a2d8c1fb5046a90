"""Rounding-aware comparison of printed figures (Calculations 1.1 style intervals).

Every printed figure stands for an interval: exact (width 0) in 元 printed to the 分,
``v ± half a unit of the last printed digit`` in 万元 (and in 元 printed to the 元).
``total = Σ parts`` holds when the intervals can meet. A break that the intervals explain is a
rounding break (a notice); only a break beyond them is real.
All arithmetic is in 元 so that tables in different units compare directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from juesuan.model.amount import Unit, half_unit, interval

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Term:
    """A printed figure in 元 with its half-width, and a sign for use in a sum."""

    yuan: Decimal
    tolerance: Decimal
    sign: int = 1


def term(value: Decimal | None, unit: Unit | None, sign: int = 1) -> Term:
    """A blank cell is an exact zero: nothing was printed, so nothing was rounded. A figure in
    元 printed without its 角分 (上海's 预算 tables print whole 元: 22,118,861 for a total whose
    parts print 22,118,861.34) stands for ± half a 元."""
    yuan, half = interval(value, unit)
    if value is not None and not (unit or Unit.YUAN).is_rounded:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            half = half_unit(value)
    return Term(yuan, half, sign)


class Outcome(Enum):
    EXACT = "exact"
    ROUNDING = "rounding"  # a break the rounding intervals explain
    BREAK = "break"  # a break beyond rounding


@dataclass(frozen=True, slots=True)
class Comparison:
    outcome: Outcome
    expected: Decimal  # Σ parts, in 元
    found: Decimal  # the total, in 元
    tolerance: Decimal  # in 元

    @property
    def difference(self) -> Decimal:
        return self.found - self.expected


def compare_sum(total: Term, parts: Iterable[Term]) -> Comparison:
    expected = ZERO
    tolerance = total.tolerance
    for p in parts:
        expected += p.sign * p.yuan
        tolerance += p.tolerance
    diff = abs(total.yuan - expected)
    if diff == 0:
        outcome = Outcome.EXACT
    elif diff <= tolerance:
        outcome = Outcome.ROUNDING
    else:
        outcome = Outcome.BREAK
    return Comparison(outcome, expected, total.yuan, tolerance)


def exceeds(left: Term, right: Term) -> Comparison:
    """``left ≤ right`` broken beyond rounding? (a ROUNDING outcome here is not worth a finding)."""
    tolerance = left.tolerance + right.tolerance
    over = left.yuan - right.yuan
    if over <= 0:
        outcome = Outcome.EXACT
    elif over <= tolerance:
        outcome = Outcome.ROUNDING
    else:
        outcome = Outcome.BREAK
    return Comparison(outcome, right.yuan, left.yuan, tolerance)
