"""Rule kinds on classification codes: known codes, official names of the year, parents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from juesuan.model.codes import normalize_name
from juesuan.model.layout import SPECS
from juesuan.model.report import Report
from juesuan.model.tables import Row, Table, parent_code
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, Location, Severity
from juesuan.rules.kind_base import (
    READABLE,
    Context,
    render,
    row_name,
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
            fields = {"table": here.label, "other_table": there.label, "row": row_name(row, code)}
            yield Finding(
                rule.id,
                rule.severity,
                render(rule, fields),
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
                "row": row_name(row, row.key),
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
                    rule.id, rule.severity, render(rule, fields) + f"（该科目在{year}年无效）", loc
                )
                continue
            parent = parent_code(row.code)
            listed = parent is None or codes.lists_children(parent, year)
            if listed:
                yield Finding(rule.id, rule.severity, render(rule, fields), loc)
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
                "row": row_name(row, row.key),
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
                render(rule, fields) + why,
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
                "row": row_name(row, row.key),
            }
            yield Finding(
                rule.id,
                rule.severity,
                render(rule, fields),
                Location(table.id.value, row.key, row.label, None, row.source),
            )
