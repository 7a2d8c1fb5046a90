"""Rule kinds on completeness: the tables are printed, empty ones carry a note, funds agree
with their tables, nothing printed was left unread; and the declaration of narrative rules."""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.model.layout import SPECS, TableId, required_budget_tables
from juesuan.model.report import Report
from juesuan.model.tables import EMPTY_NOTE_WORDS, TableStatus
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, Location, Severity
from juesuan.rules.kind_base import (
    READABLE,
    Context,
    render,
)


def run_present(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Each of the nine tables is in the document (an empty one with its note counts). A file
    that holds only the 情况说明 (a crawled page whose tables were attachments) is audited as a
    narrative: its tables are "not in this file", said once, not nine missing tables. With
    ``generation``, a 预算's tables: those its template generation requires."""
    ids = rule.params["tables"]
    if rule.params.get("generation"):
        # a 预算: the tables its template generation must print (model/data/budget_tables.toml)
        ids = [t.value for t in required_budget_tables(report.year)]
    tables = [report.table(tid) for tid in ids]
    # a 预算's 说明 names its tables in a 目录 without printing them (北京 prints the 情况说明
    # and the 预算表 as two files): said once, as for a file without tables
    gone = (TableStatus.ABSENT, TableStatus.TITLE_ONLY) if rule.params.get("generation") else ()
    if all(t.status is TableStatus.ABSENT or t.status in gone for t in tables):
        others = sorted(
            {SPECS[t.id].label for t in report.tables.values() if t.status in READABLE}
            | {SPECS[e.kind].label for e in report.extra_tables if e.kind is not None}
        )
        if report.sections:
            message = (
                "本文件只有情况说明文字，公开表不在本文件中（可能另以附件或图片发布），未核对表格"
            )
            yield Finding(rule.id, Severity.INFO, message, Location())
        elif others and rule.params.get("generation"):
            message = f"本文件只有{'、'.join(others)}，其他预算表不在本文件中"
            yield Finding(rule.id, Severity.INFO, message, Location())
        else:
            message = (
                "本文件中既未读到公开表，也未读到情况说明正文（可能以图片或附件发布）："
                "无可核对的内容"
            )
            yield Finding(rule.id, Severity.WARNING, message, Location())
        return
    for table in tables:
        fields = {"table": table.label, "title": SPECS[table.id].title}
        loc = Location(table.id.value, source=table.source)
        if table.status is TableStatus.ABSENT:
            yield Finding(rule.id, rule.severity, render(rule, fields) + "（文中未见该表）", loc)
        elif table.status is TableStatus.TITLE_ONLY:
            if table.note and any(w in table.note for w in EMPTY_NOTE_WORDS):
                continue  # an empty table presented by its title and the note saying why
            if table.note:
                yield Finding(
                    rule.id,
                    Severity.WARNING,
                    render(rule, fields) + f"（仅有标题和说明“{table.note}”，未见表格本身）",
                    loc,
                )
            else:
                yield Finding(
                    rule.id,
                    Severity.INFO,
                    render(rule, fields)
                    + "（仅有标题，未读到表格内容；表格可能为图片，需 OCR；表内及表间关系未核对）",
                    loc,
                )


def run_unread(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """A value cell whose printed text is not an amount was not read: it is reported, never
    treated as blank in silence (a report with unread cells does not pass unremarked)."""
    for cell in report.unread_cells:
        table = report.table(cell.table)
        row = table.row(cell.row)
        fields = {
            "table": table.label,
            "row": f"{row.code} {row.label}" if row is not None and row.code else cell.row,
            "column": cell.column,
            "text": cell.text,
        }
        yield Finding(
            rule.id,
            rule.severity,
            render(rule, fields),
            Location(cell.table.value, cell.row, None, cell.column, cell.source),
            found=cell.text,
        )


def run_empty_note(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """An empty table carries a note saying why (财预〔2016〕143号: 空表应列出并说明)."""
    for tid in rule.params["tables"]:
        table = report.table(tid)
        if table.status is TableStatus.EMPTY and not table.note:
            yield Finding(
                rule.id,
                rule.severity,
                render(rule, {"table": table.label}),
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
        render(rule, fields),
        Location(fund_table.id.value, source=fund_table.source),
    )


def run_narrative(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Declared here so narrative rules load and validate like the others; they are run by the
    narrative pass (:func:`juesuan.narrative.review.review`), which knows each claim."""
    return iter(())


def run_performance(rule: Rule, report: Report, ctx: Context) -> Iterator[Finding]:
    """Declared here so 绩效自评 rules load and validate like the others; they are run by the
    performance pass (:func:`juesuan.evaluation.review.review_performance`), which reads the
    forms and recomputes their scores."""
    return iter(())
