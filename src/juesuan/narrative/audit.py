"""The narrative audit's shared pieces: a check's result (``Hit``), the claims of one report with
their links (``Audit``, computed once and shared by all checks), and the arithmetic of stated
figures. Rounding is as in the tables: a stated figure with d decimals stands for ± half a unit
of its last digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.model.amount import (
    WAN,
    half_unit,
    percent,
    printed_places,
    ratio_bounds,
    rounds_to,
    wan_text,
)
from juesuan.model.codes import Codes
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.narrative.claims import (
    Claim,
    ClaimKind,
    extract,
)
from juesuan.narrative.link import (
    Quantity,
    link,
)
from juesuan.rules.finding import Severity

ZERO = Decimal(0)


@dataclass(frozen=True)
class Hit:
    """One problem a check found: the claim or sentence, and the message fields. ``fields``
    may carry "rule": the topic (rule) it belongs to when a check serves several rules."""

    section: str
    sentence: str
    fields: dict[str, str]
    source: Source | None = None
    severity: Severity | None = None  # None: the rule's declared severity
    claim: Claim | None = None  # the stated figure it is about (None: a sentence or the text)


@dataclass
class Audit:
    """Claims of one report with their links, computed once and shared by all checks."""

    report: Report
    codes: Codes
    prior: Report | None
    claims: list[Claim]
    part_claims: list[Claim]
    budget: Report | None = None  # the 预算 of a 决算's year (audit --budget)
    links: dict[int, Quantity | None] = field(default_factory=dict)
    # claims a check compared and found right (id → the quantity or figure it agreed with)
    verified: dict[int, str] = field(default_factory=dict)

    def verify(self, claim: Claim, against: str) -> None:
        """Record that a check compared ``claim`` with ``against`` and found it right."""
        self.verified.setdefault(id(claim), against)

    def linked(self, claim: Claim) -> Quantity | None:
        key = id(claim)
        if key not in self.links:
            self.links[key] = (
                link(claim, self.report, self.codes) if claim.kind is ClaimKind.AMOUNT else None
            )
        return self.links[key]

    def by_sentence(self) -> dict[tuple[str, str], list[Claim]]:
        """The claims of each sentence of each section; a sentence a section prints twice
        (西安 repeats its 收支 sentence under 总体情况 and 财政拨款) is one sentence, not a
        list of its figures twice."""
        out: dict[tuple[str, str], list[Claim]] = {}
        seen: set[tuple[str, str, int, int]] = set()
        for c in self.claims:
            if (c.section, c.sentence, c.start, c.end) in seen:
                continue
            seen.add((c.section, c.sentence, c.start, c.end))
            out.setdefault((c.section, c.sentence), []).append(c)
        return out


def build_audit(
    report: Report, codes: Codes, prior: Report | None, budget: Report | None = None
) -> Audit:
    claims = [c for s in report.sections for c in extract(s)]
    others = [p for p in report.parts if "情况说明" not in p.title and "决算表" not in p.title]
    part_claims = [c for p in others for c in extract(p)]
    return Audit(report, codes, prior, claims, part_claims, budget=budget)


# --- arithmetic -----------------------------------------------------------------------------


def yuan(claim: Claim) -> tuple[Decimal, Decimal]:
    """A stated amount in 元 and its half-width. 万万元 and a stray 元 in a 万元 sentence are
    read as 万元 here (the unit check reports them)."""
    value = claim.value
    if claim.unit == "元" and "万元" not in claim.sentence:
        return value, ZERO
    if claim.unit == "亿元":
        return value * WAN * WAN, half_unit(value) * WAN * WAN
    return value * WAN, half_unit(value) * WAN


# The arithmetic of stated figures is the model's (one module for rules, audit, build, charts).
wan = wan_text
pct = percent
places = printed_places
ratio_interval = ratio_bounds
pct_ok = rounds_to


def matches(claim: Claim, q: Quantity) -> bool:
    v, h = yuan(claim)
    return abs(v - q.yuan) <= h + q.tolerance


def hit(claim: Claim, severity: Severity | None = None, **fields: str) -> Hit:
    base = {"section": claim.section, "sentence": claim.sentence, "stated": claim.text}
    return Hit(claim.section, claim.sentence, {**base, **fields}, claim.source, severity, claim)


# --- checks ---------------------------------------------------------------------------------
