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

    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
