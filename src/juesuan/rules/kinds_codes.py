"""Rule kinds on classification codes: known codes, official names of the year, parents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from juesuan.model.codes import CodeEntry, NameStatus
from juesuan.model.layout import SPECS, Classification
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
    """Every code is in the reference list for the report's year. The list is incomplete (see
    model/data/SOURCES.md), so a code it lacks is said at the declared severity (a notice): it
    may be new or one we lack as well as a wrong code, and its name is then not checked."""
    year = report.year
    for tid in rule.params["tables"]:
        table = report.table(tid)
        kind = SPECS[table.id].classification
        if kind is None or table.status not in READABLE:
            continue
        codes = ctx.codes.for_kind(kind)
        for row in _classified_rows(table):
            if row.code and codes.known(row.code, year):
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
                # a 类 row printed by name only (tables 01/04) whose name the list lacks
                yield Finding(
                    rule.id,
                    rule.severity,
                    f"{table.label}“{row.label}”行：名称不在 juesuan 的参考{kind_name(kind)}中，"
                    "未能识别其科目",
                    loc,
                )
                continue
            parent = parent_code(row.code)
            if row.code in codes:
                listed = "、".join(e.years for e in sorted(codes.names(row.code), key=_start))
                why = f"（参考表收录该科目的年度为{listed}）"
            elif parent is not None and not codes.lists_children(parent, year):
                level = "款以下的项" if len(row.code) == 7 else "类以下的款"
                why = f"（参考表未收录该{level}）"
            else:
                why = "（可能为参考表未收录的科目，也可能编码有误）"
            yield Finding(
                rule.id, rule.severity, render(rule, fields) + why + "，未能核对名称", loc
            )


def _start(e: CodeEntry) -> int:
    return e.valid_from


def kind_name(kind: Any) -> str:
    return "支出功能分类科目" if kind.value == "function" else "部门预算支出经济分类科目"


# this many rows (and a quarter of a table) printed with another code's name: a numbering of the
# table's own, not slips
_OWN_NUMBERING_ROWS = 5


def run_code_name(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """The printed name is the official name of that code for that year, where the list has the
    code that year (else code_known says so and nothing is said of the name): the code's name in
    another year is a notice (older or newer name); another code's name is the declared severity
    when the list's row for the code is printed in a published report, a warning when it is only
    recalled; any other wording is a warning."""
    year = report.year
    for tid in rule.params["tables"]:
        table = report.table(tid)
        kind = SPECS[table.id].classification
        if kind is None or table.status not in READABLE:
            continue
        codes = ctx.codes.for_kind(kind)
        rows = [r for r in _classified_rows(table) if r.code and r.label]
        checks = [codes.check_name(r.code or "", r.label, year) for r in rows]
        wrong = [c for c in checks if c.status is NameStatus.OTHER_CODE]
        if len(wrong) >= _OWN_NUMBERING_ROWS and len(wrong) * 4 >= len(checks):
            # 上海 2024 单位预算 numbers its own list of items (30202 咨询费, 30203 水费 …): a
            # table numbered apart from the official list, said once, not row by row
            first = rows[checks.index(wrong[0])]
            yield Finding(
                rule.id,
                Severity.WARNING,
                f"{table.label}有 {len(wrong)} 个科目的编码与 {year or ''} 年规范名称对不上"
                f"（如 {first.code} 印为“{first.label}”），似按自己的编号列示，未逐项核对",
                Location(table.id.value, first.key, first.label, None, first.source),
            )
            continue
        for row, check in zip(rows, checks, strict=True):
            if check.status in (NameStatus.OFFICIAL, NameStatus.UNKNOWN_CODE):
                continue
            entry = check.official
            if entry is None:  # every other status rests on the year's row
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
            severity, why = Severity.WARNING, ""
            if check.status is NameStatus.OTHER_YEAR:
                named = check.matches[0]
                age = "旧" if year is None or named.valid_from < entry.valid_from else "新"
                severity = Severity.NOTICE
                why = f"（“{row.label}”为该科目{named.years}的名称，是{age}名称）"
            elif check.status is NameStatus.OTHER_CODE:
                other = check.matches[0].code
                why = f"（“{row.label}”是科目 {other} 的名称）"
                if entry.confirmed:
                    severity = rule.severity
                else:
                    # our row for the code was recalled, not read from a report: the mismatch
                    # may be ours
                    why += "（参考表该科目名称尚未经公开报告核实）"
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
        economic = SPECS[table.id].classification is Classification.ECONOMIC
        for row in table.rows:
            parent = parent_code(row.code) if row.code else None
            if parent is None or table.row(parent) is not None or len(parent) not in lengths:
                continue
            if economic and row.code and len(row.code) == 7:
                continue  # the economic classification has 类 and 款: a 7-digit code is local
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
