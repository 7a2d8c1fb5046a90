"""What every rule kind shares: the evaluation context, the kind declaration and the helpers
that turn a comparison into a finding (see :mod:`juesuan.rules.kinds`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.model.amount import Unit, amount_text
from juesuan.model.amount import printed_places as decimals
from juesuan.model.codes import Codes, normalize_name
from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.model.tables import Row, Table, TableStatus
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, Location, Severity
from juesuan.rules.refs import Ref, column_for, parse_ref, resolve_rows
from juesuan.rules.rounding import Comparison, Outcome, Term, term

_TABLE_IDS = frozenset(t.value for t in TableId)
READABLE = (TableStatus.PRESENT, TableStatus.EMPTY)
AMOUNT_FIELDS = ("table", "row", "column", "expected", "found", "diff", "tolerance")


@dataclass(frozen=True)
class Context:
    codes: Codes
    prior: Report | None = None  # last year's report, for the across-years rules
    budget: Report | None = None  # the 预算 of a 决算's year, for the 决算 ↔ 预算 rules
    # work shared by rules of one evaluation (the narrative's claims are extracted once)
    cache: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    run: Callable[[Rule, Report, Context], Iterable[Finding]]
    required: Mapping[str, type]
    optional: Mapping[str, type]
    fields: tuple[str, ...]  # names a message template may use
    doc: str

    def validate(self, params: Mapping[str, Any], where: str) -> None:
        for key in self.required:
            if key not in params:
                raise ValueError(f"{where}: missing parameter {key!r}")
        for key, value in params.items():
            expected = self.required.get(key) or self.optional.get(key)
            if expected is None:
                raise ValueError(f"{where}: unknown parameter {key!r}")
            if not isinstance(value, expected):
                raise ValueError(f"{where}: parameter {key!r} must be {expected.__name__}")
        for key in ("table", "tables"):
            named = params.get(key)
            for tid in named if isinstance(named, list) else [named] if named else []:
                if str(tid) not in _TABLE_IDS:  # checked now, not when the rule first runs
                    raise ValueError(f"{where}: parameter {key!r}: unknown table {tid!r}")
        for key in ("total", "left", "right"):
            if isinstance(params.get(key), str) and ":" in params[key]:
                parse_ref(params[key])
        for ref in params.get("parts", []):
            if ":" in ref:
                wrap(parse_ref, where, ref)
        if isinstance(params.get("absent"), str):
            wrap(parse_ref, where, params["absent"])
        for ref in params.get("needs", []) if isinstance(params.get("needs"), list) else []:
            wrap(parse_ref, where, ref)
        for whole, breakdown in (params.get("instead") or {}).items():
            if not isinstance(breakdown, list):
                raise ValueError(f"{where}: instead.{whole} must be a list")
            for ref in (whole, *breakdown):
                if ":" in ref:
                    wrap(parse_ref, where, ref)


def wrap(fn: Callable[[str], Any], where: str, arg: str) -> Any:
    try:
        return fn(arg)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


# --- shared helpers ------------------------------------------------------------------------


def printed_places(value: Decimal | None, unit: Unit) -> int:
    """Decimals a finding prints an amount with: as the cell, at least 2."""
    return 2 if value is None else max(2, decimals(value))


money = amount_text


def row_name(row: Row | None, key: str) -> str:
    if row is None:
        return key
    if row.code and row.label and normalize_name(row.label) != row.code:
        return f"{row.code} {row.label}"
    return row.label or key


def render(rule: Rule, fields: Mapping[str, Any]) -> str:
    return rule.message.format_map(fields)


def amount_finding(
    rule: Rule,
    comparison: Comparison,
    table: Table,
    row: Row | None,
    row_key: str,
    column: str,
    printed: Decimal | None,
    extra: Mapping[str, Any] | None = None,
) -> Finding | None:
    if comparison.outcome is Outcome.EXACT:
        return None
    unit = table.unit or Unit.YUAN
    places = printed_places(printed, unit)
    fields = {
        "table": table.label,
        "row": row_name(row, row_key),
        "column": column,
        "expected": money(comparison.expected, unit, places),
        "found": money(comparison.found, unit, places),
        "diff": money(comparison.difference, unit, places),
        "tolerance": money(comparison.tolerance, unit, max(places, 3)),
        **(extra or {}),
    }
    message = render(rule, fields)
    if comparison.outcome is Outcome.ROUNDING:
        severity = Severity.NOTICE
        message += f"（差额在四舍五入误差 ±{fields['tolerance']} 以内，属尾数差异）"
    else:
        severity = rule.severity
    source = row.cell(column).source if row is not None else None
    return Finding(
        rule_id=rule.id,
        severity=severity,
        message=message,
        location=Location(
            table=table.id.value,
            row=row_key,
            row_label=row.label if row is not None else None,
            column=column,
            source=source or (row.source if row is not None else None),
        ),
        expected=fields["expected"],
        found=fields["found"],
        difference=fields["diff"],
        tolerance=fields["tolerance"],
    )


def terms(ref: Ref, table: Table) -> list[Term]:
    out = []
    for row in resolve_rows(ref, table):
        out.append(term(row.value(column_for(ref, row)), table.unit, ref.sign))
    return out


def readable(report: Report, *ids: TableId) -> bool:
    return all(report.table(i).status in READABLE for i in ids)
