"""Findings on figures read from images (OCR): which may be the recogniser's, not the report's.

A report read by OCR carries each figure's confidence (``Source.confidence``). After the rules
have run, every arithmetic finding (a sum, a row sum, a tree, a match between tables) that rests
on a figure read with low confidence says so (识别存疑), naming the figure; and where one figure,
changed in a single digit, makes two broken sums hold at once (both break by the same amount),
the corrected figure is offered as a suggestion. Nothing is ever corrected: the report stays as
read and the finding keeps its severity, because the printed page may really be wrong.

Which figures a finding rests on is found by asking the rule itself: the figure is changed and
the rule evaluated again; if the finding changes, it rests on that figure. So every arithmetic
kind, present and future, is covered without a second description of what it reads. Pure: no
I/O, the report is never modified (changed copies are made for the questions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal

from juesuan.model.amount import Unit, format_amount
from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.model.tables import BLANK, Cell, Row
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, Location, OcrCell, OcrDoubt, Severity
from juesuan.rules.kind_base import Context

# Below this the recogniser is unsure of a figure (calibrated with bench/ocr.py: clean scans
# read digits at 0.99 and above; the misread digits of degraded scans mostly score below it).
LOW_CONFIDENCE = 0.95
# The kinds whose findings compare figures (the others check codes, presence and the text).
ARITHMETIC = frozenset(("sum", "row_sum", "tree", "match"))

CellKey = tuple[TableId, int, str]  # table, row index, column
FindingKey = tuple[str, str | None, str | None, str | None]
_AMOUNT = re.compile(r"^(-?[\d,]+(?:\.\d+)?)(万元|元)$")
_TABLES = re.compile(r"\b(0[1-9])\b")


def has_ocr_cells(report: Report) -> bool:
    return any(
        c.source is not None and c.source.confidence is not None
        for t in report.tables.values()
        for r in t.rows
        for c in r.cells.values()
    )


def confidence_of(cell: Cell) -> float:
    """The OCR confidence of a cell's figure; 1 for a figure from a text layer."""
    conf = cell.source.confidence if cell.source is not None else None
    return 1.0 if conf is None else conf


def _ocr_cells(report: Report) -> Iterator[tuple[CellKey, Row, Cell]]:
    for tid, table in sorted(report.tables.items()):
        for i, row in enumerate(table.rows):
            for column, cell in row.cells.items():
                source = cell.source
                if cell.value is not None and source is not None and source.confidence is not None:
                    yield (tid, i, column), row, cell


def _key(f: Finding) -> FindingKey:
    return (f.rule_id, f.location.table, f.location.row, f.location.column)


def _yuan(text: str | None) -> Decimal | None:
    m = _AMOUNT.match((text or "").strip())
    if not m:
        return None
    return Decimal(m.group(1).replace(",", "")) * Unit(m.group(2)).in_yuan


def _with_value(report: Report, key: CellKey, value: Decimal) -> Report:
    tid, index, column = key
    table = report.tables[tid]
    row = table.rows[index]
    cells = dict(row.cells)
    cells[column] = replace(cells.get(column, BLANK), value=value)
    rows = list(table.rows)
    rows[index] = replace(row, cells=cells)
    return report.with_table(replace(table, rows=tuple(rows)))


def _run(rule: Rule, report: Report, ctx: Context) -> dict[FindingKey, Finding]:
    from juesuan.rules.kinds import KINDS

    fresh = Context(codes=ctx.codes, prior=ctx.prior)
    return {_key(f): f for f in KINDS[rule.kind].run(rule, report, fresh)}


def _reads(rule: Rule) -> set[str] | None:
    """The tables a rule names (None: it does not say, so any)."""
    found: set[str] = set()
    for value in rule.params.values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                found.update(_TABLES.findall(text.split(":")[0]))
    return found or None


def _where(report: Report, key: CellKey, row: Row, cell: Cell) -> tuple[Location, str]:
    tid, _, column = key
    unit = report.tables[tid].unit or Unit.YUAN
    assert cell.value is not None
    location = Location(tid.value, row.key, row.label, column, cell.source)
    places = max(0, -int(cell.value.as_tuple().exponent))
    return location, f"{format_amount(cell.value, places)}{unit.value}"


def _describe(location: Location) -> str:
    label = location.row_label if location.row_label and location.row_label != location.row else ""
    row = f"{location.row}{' ' + label if label else ''}"
    return f"公开{location.table}表“{row}”行“{location.column}”列"


def _one_digit(printed: Decimal, other: Decimal) -> bool:
    """The two figures differ in exactly one printed digit (same length, same places)."""
    if other < 0:
        return False
    a, b = format(printed, "f"), format(other.quantize(printed), "f")
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def review(
    report: Report, rules: Iterable[Rule], findings: list[Finding], ctx: Context
) -> list[Finding]:
    """The findings, those resting on OCR'd figures with an :class:`OcrDoubt` (see the module
    docstring)."""
    by_id = {r.id: r for r in rules if r.kind in ARITHMETIC}
    amount = [
        f
        for f in findings
        if f.rule_id in by_id
        and f.location.column
        and f.found is not None
        and f.severity is not Severity.INFO
    ]
    if not amount:
        return findings
    cells = list(_ocr_cells(report))
    low = [(k, r, c) for k, r, c in cells if confidence_of(c) < LOW_CONFIDENCE]
    doubts: dict[FindingKey, list[OcrCell]] = {}
    for rule_id in sorted({f.rule_id for f in amount}):
        rule = by_id[rule_id]
        mine = {_key(f): f for f in amount if f.rule_id == rule_id}
        tables = _reads(rule)
        for key, row, cell in low:
            if tables is not None and key[0].value not in tables:
                continue
            assert cell.value is not None
            after = _run(rule, _with_value(report, key, cell.value + 1000), ctx)
            for fkey, f in mine.items():
                g = after.get(fkey)
                if g is None or (g.found, g.expected) != (f.found, f.expected):
                    location, read = _where(report, key, row, cell)
                    confidence = cell.source.confidence if cell.source else None
                    doubts.setdefault(fkey, []).append(OcrCell(location, read, confidence or 0.0))
    suggestions = _suggestions(report, by_id, amount, cells, ctx)
    out = []
    for f in findings:
        fkey = _key(f)
        doubt = _doubt(doubts.get(fkey, []), suggestions.get(fkey))
        out.append(replace(f, ocr=doubt) if doubt is not None else f)
    return out


def _doubt(low: list[OcrCell], suggestion: tuple[OcrCell, str, str] | None) -> OcrDoubt | None:
    if suggestion is not None:
        cell, corrected, other = suggestion
        note = (
            f"{_describe(cell.location)}识别为 {cell.read}（置信度 {cell.confidence:.2f}），"
            f"若为 {corrected}，本条与 [{other}] 两处差额同时消除：可能是识别错误，"
            "建议核对原件（未自动更正）"
        )
        return OcrDoubt(note, (cell, *[c for c in low if c.location != cell.location]), corrected)
    if not low:
        return None
    named = "、".join(
        f"{_describe(c.location)} {c.read}（置信度 {c.confidence:.2f}）" for c in low[:3]
    )
    more = f"等 {len(low)} 个数字" if len(low) > 3 else ""
    note = f"本条涉及OCR识别置信度较低的数字：{named}{more}，差异可能来自识别而非报告，请核对原件"
    return OcrDoubt(note, tuple(low))


def _suggestions(
    report: Report,
    by_id: dict[str, Rule],
    amount: list[Finding],
    cells: list[tuple[CellKey, Row, Cell]],
    ctx: Context,
) -> dict[FindingKey, tuple[OcrCell, str, str]]:
    """For two sums broken beyond rounding by the same amount: the one OCR'd figure whose
    one-digit correction makes both hold, when exactly one does."""
    breaks = [
        (f, d)
        for f in amount
        if f.severity in (Severity.ERROR, Severity.WARNING)
        and (d := _yuan(f.difference)) is not None
        and d != 0
    ]
    out: dict[FindingKey, tuple[OcrCell, str, str]] = {}
    for i, (f1, d1) in enumerate(breaks):
        for f2, d2 in breaks[i + 1 :]:
            if abs(d1) != abs(d2) or _key(f1) == _key(f2):
                continue
            fixes = []
            for key, row, cell in cells:
                assert cell.value is not None
                unit = report.tables[key[0]].unit or Unit.YUAN
                step = abs(d1) / unit.in_yuan
                for value in (cell.value - step, cell.value + step):
                    if not _one_digit(cell.value, value):
                        continue
                    changed = _with_value(report, key, value.quantize(cell.value))
                    if all(
                        (g := _run(by_id[f.rule_id], changed, ctx).get(_key(f))) is None
                        or g.severity is Severity.NOTICE
                        for f in (f1, f2)
                    ):
                        fixes.append((key, row, cell, value.quantize(cell.value)))
            if len(fixes) != 1:
                continue  # none, or several figures would do: the rules do not pin it down
            key, row, cell, value = fixes[0]
            location, read = _where(report, key, row, cell)
            corrected = _where(report, key, row, replace(cell, value=value))[1]
            confidence = cell.source.confidence if cell.source else None
            ocr_cell = OcrCell(location, read, confidence or 0.0)
            out.setdefault(_key(f1), (ocr_cell, corrected, f2.rule_id))
            out.setdefault(_key(f2), (ocr_cell, corrected, f1.rule_id))
    return out


def rests_on(report: Report, rule: Rule, finding: Finding, key: CellKey, ctx: Context) -> bool:
    """Whether ``finding`` (of ``rule``) changes when the figure at ``key`` does (a blank or
    absent cell given a figure: a sum that a figure the reader missed breaks rests on it)."""
    tid, index, column = key
    cell = report.tables[tid].rows[index].cells.get(column, BLANK)
    value = cell.value if cell.value is not None else Decimal(0)
    after = _run(rule, _with_value(report, key, value + 1000), ctx).get(_key(finding))
    return after is None or (after.found, after.expected) != (finding.found, finding.expected)
