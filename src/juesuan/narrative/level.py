""" "持平" (no change against last year) held against what the rest of the text implies about
last year: a stated change of a quantity gives that quantity's last-year value (this year's
table value minus the change), and a total is never less than the parts it contains (data:
``model/data/lexicon.toml`` ``[[at_least]]``), so last year's total is bounded below.

001 说明四: "财政拨款收入支出总计持平", while 说明五 implies a last-year 一般公共预算财政拨款支出 of
2,940.05 + 63.14 = 3,003.19, more than this year's 财政拨款收入支出总计 of 2,961.68: it fell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from juesuan.model.lexicon import at_least
from juesuan.narrative.audit import Audit, Hit, wan, yuan
from juesuan.narrative.claims import GENERIC, Claim, ClaimKind, normalise, scope_of, sentences
from juesuan.narrative.link import Quantity, link
from juesuan.narrative.rates import is_up

_LEVEL = re.compile(r"([^，,。；;：:]{2,40}?)(?:决算数?)?(?:基本)?持平")


def _implied(a: Audit) -> dict[str, tuple[Decimal, Decimal, Claim]]:
    """Last year's value of each quantity a stated change names (ref → value, tolerance, the
    change), from this year's table value."""
    out: dict[str, tuple[Decimal, Decimal, Claim]] = {}
    for c in a.claims:
        if c.kind is not ClaimKind.CHANGE or not c.subject or GENERIC.match(c.subject):
            continue
        up = is_up(c.direction)
        if up is None:
            continue
        q = link(replace(c, kind=ClaimKind.AMOUNT), a.report, a.codes)
        if q is None:
            continue
        delta, h = yuan(c)
        last = q.yuan - delta if up else q.yuan + delta
        out.setdefault(_ref(q), (last, h + q.tolerance, c))
    return out


def _ref(q: Quantity) -> str:
    return ":".join(x for x in (q.table, q.row, q.column) if x)


def _lower_bounds(ref: str) -> list[str]:
    """Every quantity ``ref`` contains, transitively."""
    parts = at_least()
    seen: list[str] = []
    todo = [ref]
    while todo:
        whole = todo.pop()
        for part in parts.get(whole, ()):
            if part not in seen:
                seen.append(part)
                todo.append(part)
    return seen


def check_level(a: Audit) -> Iterator[Hit]:
    """A quantity said to be 持平 with last year whose last-year value the text itself puts
    above (or below) this year's."""
    implied = _implied(a)
    if not implied:
        return
    for section in a.report.sections:
        for sent in sentences(section):
            for m in _LEVEL.finditer(normalise(sent.text)):
                subject = re.sub(r"^(?:与|较|比)?\d{4}年度?(?:相比)?", "", m.group(1))
                probe = Claim(
                    ClaimKind.AMOUNT,
                    Decimal(0),
                    "万元",
                    subject,
                    section.number,
                    "",
                    0,
                    0,
                    scope=scope_of(section.title),
                )
                this = link(probe, a.report, a.codes)
                if this is None:
                    continue
                hit = _contradiction(a, this, implied)
                if hit is None:
                    continue
                last, basis = hit
                fields = {
                    "section": section.number,
                    "sentence": sent.text,
                    "stated": f"{subject}持平",
                    "expected": f"较上年减少（上年至少 {wan(last)}）"
                    if last > this.yuan
                    else "较上年增加",
                    "problem": f"本年{this.name}为 {wan(this.yuan)}，而{basis}",
                }
                yield Hit(section.number, sent.text, fields, sent.source)


def _contradiction(
    a: Audit, this: Quantity, implied: dict[str, tuple[Decimal, Decimal, Claim]]
) -> tuple[Decimal, str] | None:
    ref = _ref(this)
    if ref in implied:
        last, tol, change = implied[ref]
        if abs(last - this.yuan) > tol + this.tolerance:
            return last, f"文中“{change.text}”的增减表明上年为 {wan(last)}"
        return None
    for part in _lower_bounds(ref):
        if part not in implied:
            continue
        last, tol, change = implied[part]
        if last - tol > this.yuan + this.tolerance:
            return last, (
                f"情况说明“{change.section}”所述{change.subject}{change.direction}{change.text}"
                f"表明其上年为 {wan(last)}，其所属的总数上年至少为此数"
            )
    return None
