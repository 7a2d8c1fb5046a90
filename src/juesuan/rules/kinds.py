"""The kinds of rule the engine knows. A rule file picks a kind and gives its parameters.

Each kind is a plain function ``(rule, report, context) -> Iterable[Finding]`` plus a
declaration of its parameters (checked when a rule file is loaded) and of the fields its message
template may use. Rounding: a break the printed precision explains is a NOTICE; beyond it, the
rule's declared severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from juesuan.model.amount import Unit, format_amount
from juesuan.model.codes import Codes, normalize_name
from juesuan.model.layout import SPECS, TableId
from juesuan.model.report import Report
from juesuan.model.tables import Level, Row, Table, TableStatus, parent_code
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, Location, Severity
from juesuan.rules.refs import Ref, column_for, parse_ref, resolve_rows
from juesuan.rules.rounding import ZERO, Comparison, Outcome, Term, compare_sum, exceeds, term

READABLE = (TableStatus.PRESENT, TableStatus.EMPTY)
AMOUNT_FIELDS = ("table", "row", "column", "expected", "found", "diff", "tolerance")


@dataclass(frozen=True)
class Context:
    codes: Codes
    prior: Report | None = None  # last year's report, for the across-years rules
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
        for key in ("total", "left", "right"):
            if isinstance(params.get(key), str) and ":" in params[key]:
                parse_ref(params[key])
        for ref in params.get("parts", []):
            if ":" in ref:
                _wrap(parse_ref, where, ref)


def _wrap(fn: Callable[[str], Any], where: str, arg: str) -> Any:
    try:
        return fn(arg)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


# --- shared helpers ------------------------------------------------------------------------


def _places(value: Decimal | None, unit: Unit) -> int:
    if value is None:
        return 2
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(2, -exponent)


def _money(yuan: Decimal, unit: Unit, places: int) -> str:
    return f"{format_amount(yuan / unit.in_yuan, places)}{unit.value}"


def _row_name(row: Row | None, key: str) -> str:
    if row is None:
        return key
    if row.code and row.label and normalize_name(row.label) != row.code:
        return f"{row.code} {row.label}"
    return row.label or key


def _render(rule: Rule, fields: Mapping[str, Any]) -> str:
    return rule.message.format_map(fields)


def _amount_finding(
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
    places = _places(printed, unit)
    fields = {
        "table": table.label,
        "row": _row_name(row, row_key),
        "column": column,
        "expected": _money(comparison.expected, unit, places),
        "found": _money(comparison.found, unit, places),
        "diff": _money(comparison.difference, unit, places),
        "tolerance": _money(comparison.tolerance, unit, max(places, 3)),
        **(extra or {}),
    }
    message = _render(rule, fields)
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


def _terms(ref: Ref, table: Table) -> list[Term]:
    out = []
    for row in resolve_rows(ref, table):
        out.append(term(row.value(column_for(ref, row)), table.unit, ref.sign))
    return out


def _readable(report: Report, *ids: TableId) -> bool:
    return all(report.table(i).status in READABLE for i in ids)


# --- kinds -----------------------------------------------------------------------------------


def run_sum(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """``total = Σ parts`` (or ``total ≤ Σ parts`` with relation = "le") over named cells; with
    ``columns``, once per column for every reference that names no column."""
    total_ref = parse_ref(rule.params["total"])
    part_refs = [parse_ref(p) for p in rule.params["parts"]]
    if not _readable(report, total_ref.table, *(r.table for r in part_refs)):
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
        found = _terms(ref, report.table(ref.table))
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
    return _amount_finding(rule, comparison, table, row, total_ref.row, column, printed)


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
        f = _amount_finding(rule, comparison, table, row, row.key, total_col, printed)
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
            f = _amount_finding(rule, comparison, table, row, row.key, column, printed)
            if f:
                yield f
        if total_row is not None and classes:
            printed = total_row.value(column)
            comparison = compare_sum(
                term(printed, table.unit), (term(k.value(column), table.unit) for k in classes)
            )
            f = _amount_finding(rule, comparison, table, total_row, total_row.key, column, printed)
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
            row_name = _row_name(lrow or rrow, code)
            f = _amount_finding(
                rule,
                comparison,
                left,
                lrow,
                code,
                lcol,
                printed,
                {"row": row_name, "other_table": right.label, "other_column": rcol},
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
                        "row": _row_name(row, row.key),
                        "column": column,
                        "found": f"{format_amount(cell.value)}{unit.value}",
                    }
                    yield Finding(
                        rule.id,
                        rule.severity,
                        _render(rule, fields),
                        Location(table.id.value, row.key, row.label, column, cell.source),
                        found=fields["found"],
                    )


def run_same_codes(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Two tables list the same classification codes."""
    left = report.table(rule.params["left"])
    right = report.table(rule.params["right"])
    if left.status not in READABLE or right.status not in READABLE:
        return
    lcodes = {r.code for r in left.rows if r.code}
    rcodes = {r.code for r in right.rows if r.code}
    for here, there, missing in ((left, right, lcodes - rcodes), (right, left, rcodes - lcodes)):
        for code in sorted(missing):
            row = here.row(code)
            if row is None or not any(c.value for c in row.cells.values()):
                continue  # an all-blank or zero row is not worth a finding
            fields = {"table": here.label, "other_table": there.label, "row": _row_name(row, code)}
            yield Finding(
                rule.id,
                rule.severity,
                _render(rule, fields),
                Location(here.id.value, code, row.label, None, row.source),
            )


def _classified_rows(table: Table) -> Iterator[Row]:
    spec = SPECS[table.id]
    classified = {s.name for s in spec.sides if s.classified}
    fixed = {r.key for r in spec.fixed_rows}
    for row in table.rows:
        if row.side in classified and row.key not in fixed:
            yield row


def run_code_known(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Every code exists in the classification of the report's year."""
    year = report.year
    for tid in rule.params["tables"]:
        table = report.table(tid)
        kind = SPECS[table.id].classification
        if kind is None or table.status not in READABLE:
            continue
        codes = ctx.codes.for_kind(kind)
        for row in _classified_rows(table):
            if row.code and codes.lookup(row.code, year) is not None:
                continue
            fields = {
                "table": table.label,
                "code": row.code or "",
                "name": row.label,
                "year": year or "",
                "row": _row_name(row, row.key),
            }
            loc = Location(table.id.value, row.key, row.label, None, row.source)
            if not row.code:
                yield Finding(
                    rule.id,
                    Severity.WARNING,
                    f"{table.label}“{row.label}”行：无法识别其科目（名称不在{kind_name(kind)}中）",
                    loc,
                )
                continue
            if row.code in codes:
                yield Finding(
                    rule.id, rule.severity, _render(rule, fields) + f"（该科目在{year}年无效）", loc
                )
                continue
            parent = parent_code(row.code)
            listed = parent is None or codes.lists_children(parent, year)
            if listed:
                yield Finding(rule.id, rule.severity, _render(rule, fields), loc)
            else:
                yield Finding(
                    rule.id,
                    Severity.NOTICE,
                    f"{table.label}科目 {row.code}“{row.label}”不在 juesuan 的参考科目表中"
                    "（参考表未收录该款以下的项），未能核对",
                    loc,
                )


def kind_name(kind: Any) -> str:
    return "支出功能分类科目" if kind.value == "function" else "部门预算支出经济分类科目"


def run_code_name(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """The printed name is the official name of that code for that year: another code's name
    is the declared severity, an older name a notice, an unknown wording a warning."""
    year = report.year
    for tid in rule.params["tables"]:
        table = report.table(tid)
        kind = SPECS[table.id].classification
        if kind is None or table.status not in READABLE:
            continue
        codes = ctx.codes.for_kind(kind)
        for row in _classified_rows(table):
            if not row.code or not row.label:
                continue
            entry = codes.lookup(row.code, year)
            if entry is None:
                continue  # code_known reports it
            printed = normalize_name(row.label)
            if printed == normalize_name(entry.name):
                continue
            loc = Location(table.id.value, row.key, row.label, None, row.source)
            fields = {
                "table": table.label,
                "code": row.code,
                "name": row.label,
                "official": entry.name,
                "year": year or "",
                "row": _row_name(row, row.key),
            }
            older = [e for e in codes.names(row.code) if normalize_name(e.name) == printed]
            others = [
                e for e in codes.by_name(row.label, year, len(row.code)) if e.code != row.code
            ]
            if older:
                severity, why = Severity.NOTICE, f"（“{row.label}”为该科目的旧名称）"
            elif others:
                severity, why = rule.severity, f"（“{row.label}”是科目 {others[0].code} 的名称）"
            else:
                severity, why = Severity.WARNING, ""
            yield Finding(
                rule.id,
                severity,
                _render(rule, fields) + why,
                loc,
                expected=entry.name,
                found=row.label,
            )


def run_code_parent(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """A child code's parent is printed too (项 under its 款, 款 under its 类), where the table
    prints that level at all: a layout that lists only 项 rows is a choice, not a gap."""
    for tid in rule.params["tables"]:
        table = report.table(tid)
        if table.status not in READABLE:
            continue
        lengths = {len(r.code) for r in table.rows if r.code}
        for row in table.rows:
            parent = parent_code(row.code) if row.code else None
            if parent is None or table.row(parent) is not None or len(parent) not in lengths:
                continue
            fields = {
                "table": table.label,
                "code": row.code,
                "parent": parent,
                "row": _row_name(row, row.key),
            }
            yield Finding(
                rule.id,
                rule.severity,
                _render(rule, fields),
                Location(table.id.value, row.key, row.label, None, row.source),
            )


def run_present(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Each of the nine tables is in the document (an empty one with its note counts)."""
    for tid in rule.params["tables"]:
        table = report.table(tid)
        fields = {"table": table.label, "title": SPECS[table.id].title}
        loc = Location(table.id.value, source=table.source)
        if table.status is TableStatus.ABSENT:
            yield Finding(rule.id, rule.severity, _render(rule, fields) + "（文中未见该表）", loc)
        elif table.status is TableStatus.TITLE_ONLY:
            if table.note:
                yield Finding(
                    rule.id,
                    Severity.WARNING,
                    _render(rule, fields) + f"（仅有标题和说明“{table.note}”，未见表格本身）",
                    loc,
                )
            else:
                yield Finding(
                    rule.id,
                    rule.severity,
                    _render(rule, fields) + "（仅有标题，未读到表格内容；表格可能为图片）",
                    loc,
                )


def run_empty_note(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """An empty table carries a note saying why (财预〔2016〕143号: 空表应列出并说明)."""
    for tid in rule.params["tables"]:
        table = report.table(tid)
        if table.status is TableStatus.EMPTY and not table.note:
            yield Finding(
                rule.id,
                rule.severity,
                _render(rule, {"table": table.label}),
                Location(table.id.value, source=table.source),
            )


def run_fund_empty(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """A fund with no money in table 04 ⇔ its own table (08/09) has no data."""
    t04 = report.table(TableId.T04)
    fund_table = report.table(rule.params["table"])
    if t04.status not in READABLE or fund_table.status not in READABLE:
        return
    column = rule.params["column"]
    money_in_04 = any(r.value(column) for r in t04.rows if r.side == "支出") or any(
        r.value("决算数") for r in t04.rows if r.key in (column, f"年初/{column}")
    )
    has_data = fund_table.has_data
    if money_in_04 == has_data:
        return
    fields = {
        "table": fund_table.label,
        "fund": column,
        "state": "有数据" if has_data else "无数据",
        "t04_state": "有" if money_in_04 else "无",
    }
    yield Finding(
        rule.id,
        rule.severity,
        _render(rule, fields),
        Location(fund_table.id.value, source=fund_table.source),
    )


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def run_narrative(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Narrative claims against the tables, themselves and last year (juesuan.narrative)."""
    from juesuan.narrative.audit import build_audit
    from juesuan.narrative.checks import all_hits

    if "narrative" not in ctx.cache:
        ctx.cache["narrative"] = all_hits(build_audit(report, ctx.codes, ctx.prior))
    for hit in ctx.cache["narrative"].get(rule.params["topic"], []):
        message = rule.message.format_map(_Fields(hit.fields))
        yield Finding(
            rule.id,
            hit.severity or rule.severity,
            message,
            Location(source=hit.source, section=hit.section, quote=hit.sentence),
            expected=hit.fields.get("expected"),
            found=hit.fields.get("stated"),
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
    "empty_note": Kind(
        run_empty_note, {"tables": list}, {}, ("table",), run_empty_note.__doc__ or ""
    ),
    "narrative": Kind(
        run_narrative, {"topic": str}, {}, NARRATIVE_FIELDS, run_narrative.__doc__ or ""
    ),
    "fund_empty": Kind(
        run_fund_empty,
        {"table": str, "column": str},
        {},
        ("table", "fund", "state", "t04_state"),
        run_fund_empty.__doc__ or "",
    ),
}
