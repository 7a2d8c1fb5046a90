"""Money: ``decimal.Decimal`` with the printed precision kept in its exponent, and a unit.

A figure printed as ``12.30`` in a 万元 table is ``Decimal("12.30")`` in :data:`Unit.WAN_YUAN`:
the exponent (-2) says two decimals were printed, so the true value lies within
``[12.295, 12.305]`` 万元. Figures in 元 come straight from the ledger and are exact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from enum import StrEnum


class Unit(StrEnum):
    """金额单位 (the unit a table or sentence states)."""

    YUAN = "元"
    WAN_YUAN = "万元"

    @property
    def in_yuan(self) -> Decimal:
        """How many 元 one of this unit is."""
        return _SCALE[self]

    @property
    def is_rounded(self) -> bool:
        """万元 figures are rounded from 元, each cell independently; 元 figures are exact."""
        return self is Unit.WAN_YUAN


_SCALE = {Unit.YUAN: Decimal(1), Unit.WAN_YUAN: Decimal(10000)}


def parse_unit(text: str) -> Unit | None:
    """Find the unit in a line such as ``金额单位：元`` or ``单位：万元``."""
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if "万元" in compact:
        return Unit.WAN_YUAN
    if re.search(r"单位[:：]?元", compact) or compact == "元":
        return Unit.YUAN
    return None


_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")


def parse_amount(text: str) -> Decimal | None:
    """Parse a printed amount, keeping its printed precision.

    Accepts thousands separators used inconsistently, spaces inside the number, full-width
    digits, a leading minus or parentheses for negatives. Returns ``None`` for text that is not
    a number (a blank cell is not a number either: the caller keeps blank and 0.00 apart).
    """
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    s = re.sub(r"[\s,，]", "", s)
    if s.startswith("−") or s.startswith("-"):
        negative, s = (not negative), s[1:]
    if not _NUMBER.match(s):
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return None
    return -value if negative else value


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last printed digit: ``12.30`` → ``0.005``."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


# Wide enough for any figure at all: quantising a 26-digit amount to 2 places in the default
# 28-digit context raised InvalidOperation while a finding was being written.
_WIDE = Context(prec=80)


def format_amount(value: Decimal, places: int | None = None) -> str:
    """``2170014.34`` → ``2,170,014.34`` (the way the tables print it)."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), context=_WIDE)
    return f"{value:,f}"


@dataclass(frozen=True, slots=True)
class Amount:
    """A printed money figure: its value (with printed precision) and its unit."""

    value: Decimal
    unit: Unit

    @property
    def in_yuan(self) -> Decimal:
        return self.value * self.unit.in_yuan

    @property
    def tolerance_yuan(self) -> Decimal:
        """Half-width of the interval the printed figure stands for, in 元 (0 for exact 元)."""
        if not self.unit.is_rounded:
            return Decimal(0)
        return half_unit(self.value) * self.unit.in_yuan

    def to(self, unit: Unit, places: int = 2) -> Amount:
        """Convert and round half-up to ``places`` decimals, as the 决算 software does."""
        converted = self.in_yuan / unit.in_yuan
        return Amount(round_half_up(converted, places), unit)

    def __str__(self) -> str:
        return f"{format_amount(self.value)}{self.unit.value}"


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round as published reports do (四舍五入), not banker's rounding."""
    from decimal import ROUND_HALF_UP

    # the wide context: an overlong figure the readers let through never raises mid-audit
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)


# --- the one place for the arithmetic of printed figures -------------------------------------
# Used by the rules (rounding intervals), the narrative audit (stated figures), the build
# (the narrative's computed figures) and the charts, so that 万元, percentages and rounding are
# done one way everywhere.

WAN = Unit.WAN_YUAN.in_yuan
HUNDRED = Decimal(100)


def printed_places(value: Decimal) -> int:
    """Decimals printed: ``12.30`` → 2, ``217`` → 0."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def to_yuan(value: Decimal, unit: Unit | None) -> Decimal:
    return value * (unit or Unit.YUAN).in_yuan


def interval(value: Decimal | None, unit: Unit | None) -> tuple[Decimal, Decimal]:
    """A printed figure in 元 and the half-width of what it stands for: exact in 元, ± half a
    unit of the last printed digit in 万元. A blank cell is an exact 0 (nothing was rounded)."""
    if value is None:
        return Decimal(0), Decimal(0)
    unit = unit or Unit.YUAN
    half = half_unit(value) * unit.in_yuan if unit.is_rounded else Decimal(0)
    return value * unit.in_yuan, half


def in_wan(yuan: Decimal, places: int = 2) -> Decimal:
    """元 → 万元 rounded half-up as the 决算 software prints it (never ``-0.00``)."""
    return round_half_up(yuan / WAN, places) + 0


def wan_text(yuan: Decimal, places: int = 2) -> str:
    """``2170184.18`` 元 → ``"217.02万元"`` (with thousands separators)."""
    return f"{in_wan(yuan, places):,f}万元"


def percent(ratio: Decimal, places: int = 2) -> Decimal:
    """A ratio as the percentage printed with ``places`` decimals, half-up."""
    return round_half_up(ratio * HUNDRED, places) + 0


def percent_of(part: Decimal, whole: Decimal, places: int = 2) -> Decimal | None:
    """part / whole in percent; None when the whole is 0 (no rate exists)."""
    if whole == 0:
        return None
    return percent(part / whole, places)


def rounds_to(stated: Decimal, ratio: Decimal) -> bool:
    """Is a stated percentage the ratio rounded to the decimals it prints?"""
    return percent(ratio, printed_places(stated)) == stated


def ratio_bounds(
    num: tuple[Decimal, Decimal], den: tuple[Decimal, Decimal]
) -> tuple[Decimal, Decimal] | None:
    """[min, max] of num/den over their rounding intervals ((value, half-width) each); None
    when the denominator may be 0 or less."""
    lo_d, hi_d = den[0] - den[1], den[0] + den[1]
    if lo_d <= 0:
        return None
    lo_n, hi_n = max(Decimal(0), num[0] - num[1]), num[0] + num[1]
    return lo_n / hi_d, hi_n / lo_d


def within_bounds(stated: Decimal, bounds: tuple[Decimal, Decimal]) -> bool:
    """Is a stated percentage the rounding of some ratio in ``bounds``?"""
    p = printed_places(stated)
    return percent(bounds[0], p) <= stated <= percent(bounds[1], p)


def amount_text(yuan: Decimal, unit: Unit, places: int) -> str:
    """An amount in 元 printed in ``unit`` with ``places`` decimals and the unit's name."""
    return f"{format_amount(yuan / unit.in_yuan, places)}{unit.value}"
