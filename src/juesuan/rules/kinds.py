"""The kinds of rule the engine knows. A rule file picks a kind and gives its parameters.

Each kind is a plain function ``(rule, report, context) -> Iterable[Finding]`` plus a
declaration of its parameters (checked when a rule file is loaded) and of the fields its message
template may use. Rounding: a break the printed precision explains is a NOTICE; beyond it, the
rule's declared severity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from juesuan.model.amount import Unit, format_amount
from juesuan.model.layout import SPECS
from juesuan.model.report import Report
from juesuan.model.tables import Level
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, Location
from juesuan.rules.kind_base import (
    AMOUNT_FIELDS,
    READABLE,
    Context,
    Kind,
    amount_finding,
    readable,
    render,
    row_name,
    terms,
)
from juesuan.rules.refs import Ref, column_for, parse_ref
from juesuan.rules.rounding import ZERO, Outcome, Term, compare_sum, exceeds, term

# --- kinds -----------------------------------------------------------------------------------


def run_sum(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """``total = Σ parts`` (or ``total ≤ Σ parts`` with relation = "le") over named cells; with
    ``columns``, once per column for every reference that names no column."""
    total_ref = parse_ref(rule.params["total"])
    part_refs = [parse_ref(p) for p in rule.params["parts"]]
    if not readable(report, total_ref.table, *(r.table for r in part_refs)):
        return
    columns: list[str | None] = rule.params.get("columns") or [None]
    for column in columns:
        total = (
            total_ref if column is None or total_ref.column else replace(total_ref, column=column)
        )
        parts = [r if column is None or r.column else replace(r, column=column) for r in part_refs]
        f = _sum_one(rule, report, total, parts)
        if f:
            yield f


def _sum_one(rule: Rule, report: Report, total_ref: Ref, part_refs: list[Ref]) -> Finding | None:
    table = report.table(total_ref.table)
    row = table.row(total_ref.row)
    if row is None:
        return None  # a required cell that is not printed: the rule does not run
    require_all = rule.params.get("require", "total") == "all"
    parts: list[Term] = []
    for ref in part_refs:
        found = terms(ref, report.table(ref.table))
        if not found and require_all:
            return None
        parts.extend(found)
    column = column_for(total_ref, row)
    printed = row.value(column)
    total = term(printed, table.unit)
    if rule.params.get("relation", "eq") == "le":
        right = Term(
            sum((p.sign * p.yuan for p in parts), ZERO), sum((p.tolerance for p in parts), ZERO)
        )
        comparison = exceeds(total, right)
        if comparison.outcome is not Outcome.BREAK:
            return None
    else:
        comparison = compare_sum(total, parts)
    return amount_finding(rule, comparison, table, row, total_ref.row, column, printed)


def run_row_sum(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """In every row of one table: column ``total`` = Σ columns ``parts`` (``-`` subtracts)."""
    table = report.table(rule.params["table"])
    if table.status not in READABLE:
        return
    total_col = rule.params["total"]
    parts = [(p.lstrip("-"), -1 if p.startswith("-") else 1) for p in rule.params["parts"]]
    side = rule.params.get("side")
    skip = tuple(rule.params.get("skip", ()))
    for row in table.rows:
        if side is not None and row.side != side:
            continue
        if not row.cells or (skip and row.key.startswith(skip)):
            continue
        printed = row.value(total_col)
        comparison = compare_sum(
            term(printed, table.unit), (term(row.value(c), table.unit, s) for c, s in parts)
        )
        f = amount_finding(rule, comparison, table, row, row.key, total_col, printed)
        if f:
            yield f


def run_tree(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Each column: 类 = Σ its 款, 款 = Σ its 项, 合计 = Σ 类. A 类 or 款 printed without
    children is not a break."""
    table = report.table(rule.params["table"])
    if table.status not in READABLE:
        return
    spec = SPECS[table.id]
    columns = rule.params.get("columns") or [
        c for s in spec.sides if s.classified for c in s.columns
    ]
    total_key = rule.params.get("total_row", spec.total_row)
    total_row = table.row(total_key) if total_key else None
    classes = [r for r in table.rows if r.code and r.level is Level.CLASS]
    for column in columns:
        for row in table.rows:
            if not row.code:
                continue
            kids = table.children(row.code)
            if not kids:
                continue
            printed = row.value(column)
            comparison = compare_sum(
                term(printed, table.unit), (term(k.value(column), table.unit) for k in kids)
            )
            f = amount_finding(rule, comparison, table, row, row.key, column, printed)
            if f:
                yield f
        if total_row is not None and classes:
            printed = total_row.value(column)
            comparison = compare_sum(
                term(printed, table.unit), (term(k.value(column), table.unit) for k in classes)
            )
            f = amount_finding(rule, comparison, table, total_row, total_row.key, column, printed)
            if f:
                yield f


def run_match(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Code by code: ``left[code].column = right[code].column`` (or ≤ with relation = "le").
    A code printed on one side only compares against zero."""
    left = report.table(rule.params["left"])
    right = report.table(rule.params["right"])
    if left.status not in READABLE or right.status not in READABLE:
        return
    level = Level(rule.params["level"]) if "level" in rule.params else None
    relation = rule.params.get("relation", "eq")
    pairs: list[list[str]] = rule.params["columns"]
    codes: dict[str, None] = {}
    for t in (left, right):
        for r in t.rows:
            if r.code and (level is None or r.level is level):
                codes.setdefault(r.code)
    for code in codes:
        lrow, rrow = left.row(code), right.row(code)
        for lcol, rcol in pairs:
            printed = lrow.value(lcol) if lrow else None
            lterm = term(printed, left.unit)
            rterm = term(rrow.value(rcol) if rrow else None, right.unit)
            if relation == "le":
                comparison = exceeds(lterm, rterm)
                if comparison.outcome is not Outcome.BREAK:
                    continue
            else:
                comparison = compare_sum(lterm, [rterm])
            name = row_name(lrow or rrow, code)
            f = amount_finding(
                rule,
                comparison,
                left,
                lrow,
                code,
                lcol,
                printed,
                {"row": name, "other_table": right.label, "other_column": rcol},
            )
            if f:
                yield f


def run_nonnegative(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """No negative amounts (the templates allow none in the public tables)."""
    for tid in rule.params["tables"]:
        table = report.table(tid)
        for row in table.rows:
            for column, cell in row.cells.items():
                if cell.value is not None and cell.value < 0:
                    unit = table.unit or Unit.YUAN
                    fields = {
                        "table": table.label,
                        "row": row_name(row, row.key),
                        "column": column,
                        "found": f"{format_amount(cell.value)}{unit.value}",
                    }
                    yield Finding(
                        rule.id,
                        rule.severity,
                        render(rule, fields),
                        Location(table.id.value, row.key, row.label, column, cell.source),
                        found=fields["found"],
                    )


from juesuan.rules.kinds_codes import (  # noqa: E402  (the registry below names them)
    run_code_known,
    run_code_name,
    run_code_parent,
    run_same_codes,
)
from juesuan.rules.kinds_complete import (  # noqa: E402
    run_empty_note,
    run_fund_empty,
    run_narrative,
    run_performance,
    run_present,
    run_unread,
)

NARRATIVE_FIELDS = (
    "section",
    "sentence",
    "stated",
    "expected",
    "problem",
    "named",
    "quantity",
    "other",
    "label",
)

PERFORMANCE_FIELDS = (
    "form",
    "item",
    "stated",
    "expected",
    "problem",
    "reason",
    "sentence",
    "section",
)

KINDS: dict[str, Kind] = {
    "sum": Kind(
        run_sum,
        {"total": str, "parts": list},
        {"relation": str, "require": str, "columns": list},
        AMOUNT_FIELDS,
        run_sum.__doc__ or "",
    ),
    "row_sum": Kind(
        run_row_sum,
        {"table": str, "total": str, "parts": list},
        {"side": str, "skip": list},
        AMOUNT_FIELDS,
        run_row_sum.__doc__ or "",
    ),
    "tree": Kind(
        run_tree,
        {"table": str},
        {"columns": list, "total_row": str},
        AMOUNT_FIELDS,
        run_tree.__doc__ or "",
    ),
    "match": Kind(
        run_match,
        {"left": str, "right": str, "columns": list},
        {"level": str, "relation": str},
        (*AMOUNT_FIELDS, "other_table", "other_column"),
        run_match.__doc__ or "",
    ),
    "nonnegative": Kind(
        run_nonnegative,
        {"tables": list},
        {},
        ("table", "row", "column", "found"),
        run_nonnegative.__doc__ or "",
    ),
    "same_codes": Kind(
        run_same_codes,
        {"left": str, "right": str},
        {},
        ("table", "other_table", "row"),
        run_same_codes.__doc__ or "",
    ),
    "code_known": Kind(
        run_code_known,
        {"tables": list},
        {},
        ("table", "code", "name", "year", "row"),
        run_code_known.__doc__ or "",
    ),
    "code_name": Kind(
        run_code_name,
        {"tables": list},
        {},
        ("table", "code", "name", "official", "year", "row"),
        run_code_name.__doc__ or "",
    ),
    "code_parent": Kind(
        run_code_parent,
        {"tables": list},
        {},
        ("table", "code", "parent", "row"),
        run_code_parent.__doc__ or "",
    ),
    "present": Kind(
        run_present, {"tables": list}, {}, ("table", "title"), run_present.__doc__ or ""
    ),
    "unread": Kind(
        run_unread, {}, {}, ("table", "row", "column", "text"), run_unread.__doc__ or ""
    ),
    "empty_note": Kind(
        run_empty_note, {"tables": list}, {}, ("table",), run_empty_note.__doc__ or ""
    ),
    "narrative": Kind(
        run_narrative, {"topic": str}, {}, NARRATIVE_FIELDS, run_narrative.__doc__ or ""
    ),
    "performance": Kind(
        run_performance, {"topic": str}, {}, PERFORMANCE_FIELDS, run_performance.__doc__ or ""
    ),
    "fund_empty": Kind(
        run_fund_empty,
        {"table": str, "column": str},
        {},
        ("table", "fund", "state", "t04_state"),
        run_fund_empty.__doc__ or "",
    ),
}
