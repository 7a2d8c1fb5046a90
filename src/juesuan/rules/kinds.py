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
from juesuan.model.tables import Level, Table
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
from juesuan.rules.refs import Ref, column_for, parse_ref, resolve_rows
from juesuan.rules.rounding import ZERO, Outcome, Term, compare_sum, exceeds, term

# --- kinds -----------------------------------------------------------------------------------


def run_sum(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """``total = Σ parts`` (or ``total ≤ Σ parts`` with relation = "le") over named cells; with
    ``columns``, once per column for every reference that names no column. ``instead``: a part
    whose row is printed stands for the parts it lists; ``absent``: the rule runs only where
    that row is not printed (a 预算 that prints no 本年收入合计 sums its sources into 收入总计);
    ``needs``: the rule runs only where these rows are printed."""
    total_ref = parse_ref(rule.params["total"])
    part_refs = [parse_ref(p) for p in rule.params["parts"]]
    if not readable(report, total_ref.table, *(r.table for r in part_refs)):
        return
    absent = rule.params.get("absent")
    if absent is not None and _printed_row(report, parse_ref(absent)):
        return  # the rule states the sum for tables that do not print this row
    if not all(_printed_row(report, parse_ref(n)) for n in rule.params.get("needs", ())):
        return  # a part the identity needs is not printed (another rule states that form)
    if rule.params.get("when_printed") and not all(
        printed_column(report.table(r.table), r.column)
        for r in (total_ref, *part_refs)
        if r.column is not None
    ):
        return  # a column named in the identity is not printed by this region's table
    part_refs = _instead(report, part_refs, rule.params.get("instead") or {})
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
    require = rule.params.get("require", "total")
    parts: list[Term] = []
    for ref in part_refs:
        found = terms(ref, report.table(ref.table))
        if not found and require == "all":
            return None
        parts.extend(found)
    if require == "any" and not parts:
        return None  # "any": the sum is stated only where some part is printed
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


def _printed_row(report: Report, ref: Ref) -> bool:
    """Is the referenced row printed (and, when the reference names a column, that column)?"""
    table = report.table(ref.table)
    if not resolve_rows(ref, table):
        return False
    return ref.column is None or printed_column(table, ref.column)


def _instead(report: Report, parts: list[Ref], instead: dict[str, list[str]]) -> list[Ref]:
    """``instead``: a part whose row is printed stands for the parts it lists (its breakdown):
    a 预算 收支总表 prints 财政拨款收入 and under it 一般公共预算资金 …, or only the funds."""
    drop: set[Ref] = set()
    for whole, breakdown in instead.items():
        if _printed_row(report, parse_ref(whole)):
            drop |= {parse_ref(p) for p in breakdown}
    return [p for p in parts if p not in drop]


def printed_column(table: Table, column: str) -> bool:
    """Does the table print this column (its header named it)?"""
    return any(column in r.cells for r in table.rows)


def run_row_sum(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """In every row of one table: column ``total`` = Σ columns ``parts`` (``-`` subtracts).
    With ``when_printed``, only where the table prints the total column, on the rows that
    print it (a 预算 table prints the columns of its region); ``instead``: a part column the
    table prints stands for the columns it lists."""
    table = report.table(rule.params["table"])
    if table.status not in READABLE:
        return
    total_col = rule.params["total"]
    if rule.params.get("when_printed") and not printed_column(table, total_col):
        return
    names = list(rule.params["parts"])
    for whole, breakdown in (rule.params.get("instead") or {}).items():
        if printed_column(table, whole):
            names = [p for p in names if p.lstrip("-") not in breakdown]
    parts = [(p.lstrip("-"), -1 if p.startswith("-") else 1) for p in names]
    if rule.params.get("when_printed") and not any(printed_column(table, c) for c, _ in parts):
        return  # the table prints the total but none of its parts (one 金额 column)
    side = rule.params.get("side")
    skip = tuple(rule.params.get("skip", ()))
    for row in table.rows:
        if side is not None and row.side != side:
            continue
        if not row.cells or (skip and row.key.startswith(skip)):
            continue
        printed = row.value(total_col)
        if printed is None and rule.params.get("when_printed"):
            continue  # the column is printed, but not on this row (the other side's rows)
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
    both = rule.params.get("require") == "both"
    codes: dict[str, None] = {}
    for t in (left, right):
        for r in t.rows:
            if r.code and (level is None or r.level is level):
                codes.setdefault(r.code)
    for code in codes:
        lrow, rrow = left.row(code), right.row(code)
        if both and (lrow is None or rrow is None):
            continue  # "both": a code compared only where both tables print it
        for lcol, rcol in pairs:
            if both and not (printed_column(left, lcol) and printed_column(right, rcol)):
                continue
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
        {
            "relation": str,
            "require": str,
            "columns": list,
            "instead": dict,
            "absent": str,
            "needs": list,
            "when_printed": bool,
        },
        AMOUNT_FIELDS,
        run_sum.__doc__ or "",
    ),
    "row_sum": Kind(
        run_row_sum,
        {"table": str, "total": str, "parts": list},
        {"side": str, "skip": list, "when_printed": bool, "instead": dict},
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
        {"level": str, "relation": str, "require": str},
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
        run_present,
        {"tables": list},
        {"generation": bool},
        ("table", "title"),
        run_present.__doc__ or "",
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
