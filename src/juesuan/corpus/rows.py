"""A report and its audit as rows of the dataset's resources (:mod:`juesuan.corpus.schema`).

Pure: every row is a list of JSON values in its resource's column order; money is a string
(``"2170014.34"``) so that the printed precision survives until DuckDB reads it as DECIMAL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Context, Decimal
from typing import Any

from juesuan.corpus.completeness import ItemResult
from juesuan.model.amount import Unit
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.model.tables import code_level
from juesuan.narrative.claims import Claim, extract
from juesuan.narrative.review import ClaimResult
from juesuan.rules.finding import Finding

Row = list[Any]
_CENT = Decimal("0.01")
# 金额 units a stated figure can carry, in 元 (万万元 is the doubled-万 misprint: no value)
_YUAN_PER = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100_000_000)}


def money(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _yuan(value: Decimal | None, per: Decimal | None) -> str | None:
    if value is None or per is None:
        return None
    return money((value * per).quantize(_CENT, context=Context(prec=80)))


def _decimals(value: Decimal | None) -> int | None:
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _where(source: Source | None) -> list[Any]:
    """page, line."""
    if source is None:
        return [None, None]
    return [source.page, source.line]


def _box(source: Source | None) -> list[Any]:
    if source is None or source.bbox is None:
        return [None, None, None, None]
    return [round(v, 2) for v in source.bbox]


def cell_rows(sha: str, report: Report) -> list[Row]:
    """Every cell of the nine tables (blank ones too), with its page and box or line."""
    out: list[Row] = []
    for table_id, table in sorted(report.tables.items()):
        unit = table.unit
        per = unit.in_yuan if isinstance(unit, Unit) else None
        for row in table.rows:
            level = code_level(row.code) if row.code else None
            for column, cell in row.cells.items():
                source = cell.source or row.source
                out.append(
                    [
                        sha,
                        table_id.value,
                        table.title or table.label,
                        unit.value if unit is not None else None,
                        row.key,
                        row.label,
                        row.code,
                        level.value if level is not None else None,
                        row.side,
                        column,
                        money(cell.value),
                        _decimals(cell.value),
                        _yuan(cell.value, per),
                        *_where(source),
                        *_box(source),
                    ]
                )
    return out


def printed_cell_rows(sha: str, report: Report) -> list[Row]:
    """The cells of the tables printed beside the nine (budget tables, 绩效自评表 …) as text."""
    out: list[Row] = []
    for t_index, table in enumerate(report.extra_tables, start=1):
        page = table.source.page if table.source is not None else None
        unit = table.unit.value if table.unit is not None else None
        for r_index, cells in enumerate(table.rows, start=1):
            for c_index, text in enumerate(cells, start=1):
                if text.strip():
                    out.append([sha, t_index, table.title, unit, r_index, c_index, text, page])
    return out


def _aligned(report: Report, judged: Sequence[ClaimResult]) -> list[Claim | None]:
    """The extracted claim behind each judged one (the audit extracts the sections' claims in
    this same order), for what the judgement does not carry: the subject and the value."""
    extracted = [c for s in report.sections for c in extract(s)]
    if len(extracted) != len(judged):
        return [None] * len(judged)
    return [
        c if (c.section, c.sentence, c.start, c.end) == (j.section, j.sentence, j.start, j.end)
        else None
        for c, j in zip(extracted, judged, strict=True)
    ]


def claim_rows(sha: str, report: Report, judged: Sequence[ClaimResult]) -> list[Row]:
    out: list[Row] = []
    aligned = _aligned(report, judged)
    for ordinal, (j, c) in enumerate(zip(judged, aligned, strict=True), start=1):
        value = c.value if c is not None else None
        unit = c.unit if c is not None else None
        per = _YUAN_PER.get(unit or "") if j.kind in ("amount", "change") else None
        out.append(
            [
                sha,
                ordinal,
                j.section,
                c.subject if c is not None else None,
                j.text,
                j.kind,
                money(value),
                _decimals(value),
                unit,
                _yuan(value, per),
                j.status.value,
                j.link,
                ",".join(j.rules) or None,
                j.sentence,
                *_where(j.source),
            ]
        )
    return out


def finding_rows(sha: str, findings: Iterable[Finding]) -> list[Row]:
    out: list[Row] = []
    for f in findings:
        loc = f.location
        out.append(
            [
                sha,
                f.rule_id,
                f.severity.value,
                f.message,
                loc.table,
                loc.row,
                loc.row_label,
                loc.column,
                loc.section,
                loc.quote,
                f.expected,
                f.found,
                f.difference,
                f.tolerance,
                *_where(loc.source),
                *_box(loc.source),
            ]
        )
    return out


def completeness_rows(sha: str, results: Iterable[ItemResult]) -> list[Row]:
    return [[sha, r.item.id, r.item.name, r.present, r.item.basis] for r in results]
