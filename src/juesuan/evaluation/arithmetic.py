"""Rounding-aware arithmetic of the 绩效 figures.

The forms drop trailing zeros ("56" for 56.00, "7013.6" for 7,013.60) but their figures are
amounts to the cent, so an amount stands for ± half a cent unless it prints more decimals; a
rate stands for ± half a unit of its last meaningful decimal ("11.2500" is 11.25 padded, so two
decimals); a rate is right when some values within its inputs' rounding give it, rounded or cut
to its decimals (forms truncate as often as they round).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal

from juesuan.model.amount import format_amount, half_unit

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.005")


def places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def tolerance(amount: Decimal) -> Decimal:
    """Half a unit of an amount's printed precision, at most half a cent."""
    return half_unit(amount) if places(amount) >= 2 else CENT


def rate_places(rate: Decimal) -> int:
    """The decimals a printed rate means: its printed ones, trailing zeros beyond two dropped."""
    d = places(rate)
    significant = len(f"{rate:f}".split(".")[1].rstrip("0")) if d else 0
    return max(min(d, 2), significant)


_WIDE = Context(prec=80)  # any figure the readers let through quantises without raising


def quantize(x: Decimal, d: int, how: str = ROUND_HALF_UP) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-d), rounding=how, context=_WIDE)


def ratio_range(
    num: Decimal, den: Decimal, num_tol: Decimal, den_tol: Decimal
) -> tuple[Decimal, Decimal] | None:
    """[min, max] of num/den over the rounding of both (None when den may be 0)."""
    if den - den_tol <= 0:
        return None
    lo_n, hi_n = max(ZERO, num - num_tol), num + num_tol
    return lo_n / (den + den_tol), hi_n / (den - den_tol)


def rate_agrees(printed: Decimal, low: Decimal, high: Decimal) -> bool:
    """Is a printed percentage some ratio in [low, high] (fractions) rounded or cut?"""
    d = rate_places(printed)
    target = quantize(printed, d)
    lo, hi = low * HUNDRED, high * HUNDRED
    if quantize(lo, d) <= target <= quantize(hi, d):
        return True
    return quantize(lo, d, ROUND_DOWN) <= target <= quantize(hi, d, ROUND_DOWN)


def percent(x: Decimal, d: int = 2) -> str:
    return f"{quantize(x * HUNDRED, d):f}%"


def money(x: Decimal) -> str:
    return format_amount(x)
