"""Narrative arithmetic: pure functions on ``Decimal`` (never float).

Conventions (``../shared/domain/official.md`` §5.3):

- Amounts are printed in 万元 with 2 decimals, rounded half-up from 元 (:func:`wan`).
- Shares (占 %) are computed from the exact 元 figures of this year's data (so they add up to
  100 as closely as rounding allows: 基本 74.30% + 项目 25.70%), rounded half-up to 2 decimals.
- Completion rates (完成年初预算的 %) divide the two printed 万元 figures the sentence states
  (the 年初预算 is known in 万元 only): 6.26 / 6.18 → 101.29%.
- Changes against last year compare the **printed** 万元 figures (last year's figures are
  the published, printed ones): Δ = 万元(this year) − 万元(last year); the rate is
  Δ / 万元(last year). The direction words follow the sign of Δ; Δ = 0 is 持平. Against a zero
  base there is no rate.
- A completion rate against a 年初预算 of 0 does not exist either.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from juesuan.model.amount import in_wan, percent_of

__all__ = [
    "Change",
    "Deviation",
    "Direction",
    "change",
    "completion",
    "deviation",
    "fmt_pct",
    "fmt_wan",
    "pct",
    "share",
    "wan",
]

ZERO = Decimal("0.00")


def wan(yuan: Decimal | None) -> Decimal:
    """元 → 万元 with 2 decimals, half-up; a blank (None) counts as 0.00."""
    if yuan is None:
        return ZERO
    return in_wan(yuan, 2)


def fmt_wan(yuan: Decimal | None) -> str:
    """The printed 万元 figure of an amount in 元: ``2170184.18`` → ``"217.02"``."""
    return f"{wan(yuan):f}"


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent, 2 decimals half-up; None when whole is 0 (no rate exists)."""
    return percent_of(part, whole, 2)


def fmt_pct(value: Decimal) -> str:
    return f"{value:f}"


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """占 %: exact 元 figures; None when the whole is 0 or blank."""
    return pct(part or Decimal(0), whole or Decimal(0))


def completion(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """完成年初预算的 %: printed 决算 / printed 年初预算 (both given in 元, compared in 万元);
    None for a 年初预算 of 0.00 万元."""
    return pct(wan(actual), wan(budget))


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"


@dataclass(frozen=True)
class Change:
    """This year against last year, as the narrative states it (all in printed 万元)."""

    current: Decimal  # 万元, printed
    prior: Decimal  # 万元, printed
    delta: Decimal  # |Δ| in 万元 (the direction says the sign)
    rate: Decimal | None  # |Δ| / prior in %, None against a zero base
    direction: Direction

    @property
    def verb(self) -> str:
        """增加 / 减少 / 持平."""
        return {Direction.UP: "增加", Direction.DOWN: "减少", Direction.FLAT: "持平"}[
            self.direction
        ]

    @property
    def rate_word(self) -> str:
        """增长 / 下降 / 持平."""
        return {Direction.UP: "增长", Direction.DOWN: "下降", Direction.FLAT: "持平"}[
            self.direction
        ]

    @property
    def flat(self) -> bool:
        return self.direction is Direction.FLAT

    @property
    def zero_base(self) -> bool:
        return self.rate is None

    @property
    def delta_text(self) -> str:
        return f"{self.delta:f}"

    @property
    def rate_text(self) -> str:
        return "" if self.rate is None else f"{self.rate:f}"

    @property
    def current_text(self) -> str:
        return f"{self.current:f}"

    @property
    def prior_text(self) -> str:
        return f"{self.prior:f}"

    def phrase(self, each: bool = False) -> str:
        """``增加8.98万元，增长4.32%`` / ``减少…，下降…%`` / ``持平`` / zero base:
        ``增加5.00万元（上年为零，不计算增长率）``. ``each`` writes 各 before the verb."""
        if self.flat:
            return "持平"
        head = f"{'各' if each else ''}{self.verb}{self.delta_text}万元"
        if self.rate is None:
            return f"{head}（上年数为零，不计算增长率）"
        return f"{head}，{self.rate_word}{self.rate_text}%"


def change(current_yuan: Decimal | None, prior_yuan: Decimal | None) -> Change:
    """Compare this year's figure with last year's (both in 元) on their printed 万元 values."""
    cur, pri = wan(current_yuan), wan(prior_yuan)
    diff = cur - pri
    direction = Direction.UP if diff > 0 else Direction.DOWN if diff < 0 else Direction.FLAT
    rate = pct(abs(diff), pri) if direction is not Direction.FLAT else None
    if direction is Direction.FLAT and pri != 0:
        rate = ZERO
    return Change(cur, pri, abs(diff), rate, direction)


@dataclass(frozen=True)
class Deviation:
    """决算 against 年初预算 (budget in 元, actual in 元)."""

    budget: Decimal  # 万元, printed
    actual: Decimal  # 万元, printed
    rate: Decimal | None  # 完成率 %, None for a zero budget

    @property
    def comparison(self) -> str:
        """大于 / 小于 / 等于 (on the printed figures, so the words agree with what is shown)."""
        if self.actual > self.budget:
            return "大于"
        if self.actual < self.budget:
            return "小于"
        return "等于"

    @property
    def differs(self) -> bool:
        return self.actual != self.budget

    @property
    def gap(self) -> Decimal:
        """|决算 − 年初预算| in printed 万元."""
        return abs(self.actual - self.budget)

    @property
    def gap_rate(self) -> Decimal | None:
        """|决算 − 年初预算| / 年初预算 in %, None for a zero budget."""
        return pct(self.gap, self.budget)

    @property
    def budget_text(self) -> str:
        return f"{self.budget:f}"

    @property
    def actual_text(self) -> str:
        return f"{self.actual:f}"

    @property
    def rate_text(self) -> str:
        return "" if self.rate is None else f"{self.rate:f}"


def deviation(actual_yuan: Decimal | None, budget_yuan: Decimal | None) -> Deviation:
    return Deviation(wan(budget_yuan), wan(actual_yuan), completion(actual_yuan, budget_yuan))


def needs_reason(
    delta: Decimal, rate: Decimal | None, threshold_amount: Decimal, threshold_percent: Decimal
) -> bool:
    """A change or deviation needs a stated reason when it is not zero and reaches both the
    amount threshold (万元) and the percentage threshold (a change against a zero base always
    reaches the percentage threshold)."""
    if delta == 0:
        return False
    if delta < threshold_amount:
        return False
    return rate is None or rate >= threshold_percent
