"""The data of each page, from what the API returned: one function per view, plain values for
the templates (which only lay them out). Nothing here computes a figure: amounts are printed
with :func:`juesuan.model.amount.format_amount`, counts come from the result, and a box on a
page image is the finding's own ``Source.bbox`` (PDF points from the page's top-left) drawn
in an SVG whose coordinate system is the page's, so not even a scale is applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from juesuan.model.amount import format_amount
from juesuan.model.layout import TableId
from juesuan.model.tables import Row, Table, TableStatus
from juesuan.rules.finding import Finding, Severity

if TYPE_CHECKING:
    from juesuan.api import AuditResult
    from juesuan.web.store import Blob, ReviewRow
    from juesuan.writers.findings_html import MarkedNarrative

GROUPS = (
    ("error", "错误"),
    ("warning", "警告"),
    ("notice", "提示"),
    ("info", "未核实与未读取"),
)
STATUS_ZH = {
    TableStatus.PRESENT: "有数据",
    TableStatus.EMPTY: "空表",
    TableStatus.TITLE_ONLY: "仅有标题（未读到表格内容）",
    TableStatus.ABSENT: "本文件中没有",
}


@dataclass(frozen=True)
class FindingView:
    index: int  # position in the result's findings: the anchor ``f{index}``
    key: str  # the baseline key (explanations are stored by it)
    severity: str
    severity_zh: str
    rule_id: str
    message: str
    where: str
    explanation: str | None
    expected: str | None
    found: str | None
    difference: str | None
    tolerance: str | None
    page: int | None = None  # boxed on this page image
    cell: str | None = None  # anchor in the tables view
    sentence: str | None = None  # anchor in the narrative view

    @property
    def target(self) -> tuple[str, str] | None:
        """(view, anchor) of the place the finding is about, the page image first."""
        if self.page is not None:
            return "pages", f"box-{self.index}"
        if self.cell is not None:
            return "tables", self.cell
        if self.sentence is not None:
            return "text", self.sentence
        return None


@dataclass(frozen=True)
class FindingGroup:
    key: str
    title: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class Box:
    index: int
    severity: str
    path: str  # SVG path in page points
    title: str


@dataclass(frozen=True)
class PageView:
    number: int
    width: float
    height: float
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class CellView:
    anchor: str
    text: str
    mark: str | None  # the worst severity of the findings on it, or "explained"
    findings: tuple[int, ...]


@dataclass(frozen=True)
class RowView:
    anchor: str
    code: str
    label: str
    cells: tuple[CellView, ...]
    mark: str | None


@dataclass(frozen=True)
class BlockView:
    side: str | None  # 收入 / 支出 for the two-sided tables 01 and 04
    columns: tuple[str, ...]
    rows: tuple[RowView, ...]


@dataclass(frozen=True)
class TableView:
    id: str
    anchor: str
    label: str
    title: str
    status: str
    unit: str
    note: str | None
    blocks: tuple[BlockView, ...]
    findings: tuple[int, ...]  # findings about the table as a whole


@dataclass(frozen=True)
class ReviewView:
    title: str
    unit_name: str | None
    year: int | None
    kind: str | None
    counts: Mapping[str, int]
    explained: int
    notes: tuple[str, ...]
    prior_file: str | None
    groups: tuple[FindingGroup, ...]
    explained_findings: tuple[FindingView, ...]
    pages: tuple[PageView, ...]
    tables: tuple[TableView, ...]
    narrative: MarkedNarrative
    findings: tuple[FindingView, ...] = field(default=())
    # the findings (not info) about each sentence of the narrative view, by its anchor
    by_sentence: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


def _worst(findings: Iterable[Finding]) -> str | None:
    live = [f for f in findings if not f.explanation]
    if live:
        return min(live, key=lambda f: f.severity.rank).severity.value
    return "explained" if any(True for _ in findings) else None


def _columns(table: Table, cols: tuple[str, ...], rows: list[Row]) -> tuple[str, ...]:
    """The columns the document printed, else those its rows hold, in the template's order."""
    printed = tuple(c for c in table.printed_columns if c in cols)
    used = {c for r in rows for c in r.cells}
    return printed or tuple(c for c in cols if c in used) or cols


def _table_view(
    table: Table,
    on: Mapping[tuple[str, str | None, str | None], list[int]],
    findings: list[Finding],
) -> tuple[TableView, dict[tuple[str, str | None, str | None], str]]:
    """The table, and the anchor of each (table, row, column) and (table, row, None) in it."""
    tid = table.id.value
    anchors: dict[tuple[str, str | None, str | None], str] = {(tid, None, None): f"t{tid}"}
    sides = table.spec.sides
    blocks = []
    n = 0
    for side in sides:
        of_side = [r for r in table.rows if len(sides) == 1 or r.side == side.name]
        cols = _columns(table, side.columns, of_side)
        rows = []
        for row in of_side:
            n += 1
            ra = f"t{tid}r{n}"
            anchors.setdefault((tid, row.key, None), ra)
            cells = []
            for c, col in enumerate(cols):
                ca = f"{ra}c{c}"
                anchors.setdefault((tid, row.key, col), ca)
                idx = tuple(on.get((tid, row.key, col), ()))
                value = row.cell(col).value
                cells.append(
                    CellView(
                        ca,
                        "" if value is None else format_amount(value),
                        _worst(findings[i] for i in idx),
                        idx,
                    )
                )
            row_idx = on.get((tid, row.key, None), [])
            rows.append(
                RowView(
                    ra,
                    row.code or "",
                    row.label or row.key,
                    tuple(cells),
                    _worst(findings[i] for i in row_idx),
                )
            )
        blocks.append(BlockView(side.name if len(sides) > 1 else None, cols, tuple(rows)))
    view = TableView(
        tid,
        f"t{tid}",
        table.label,
        table.title or table.spec.title,
        STATUS_ZH[table.status],
        table.unit.value if table.unit is not None else "",
        table.note,
        tuple(blocks),
        tuple(on.get((tid, None, None), ())),
    )
    return view, anchors


def review_view(
    result: AuditResult,
    blob: Blob | None,
    narrative: MarkedNarrative,
    key: Any,
) -> ReviewView:
    """The review page of one audit: the findings grouped (explained apart), the page images
    with their boxes (a PDF), the nine tables with the cells findings point to, the narrative
    with each figure marked. ``key`` is :func:`juesuan.api.finding_key`."""
    findings = list(result.findings)
    r = result.report
    # findings by the table, row and column they point to
    on: dict[tuple[str, str | None, str | None], list[int]] = {}
    for i, f in enumerate(findings):
        loc = f.location
        if loc.table:
            on.setdefault((loc.table, loc.row, loc.column if loc.row else None), []).append(i)
    tables, anchors = [], {}
    for tid in TableId:
        table = r.table(tid)
        if table.status is TableStatus.ABSENT and not on.get((tid.value, None, None)):
            continue
        view, found = _table_view(table, on, findings)
        tables.append(view)
        anchors.update(found)
    sizes = blob.pages if blob is not None and blob.pages else ()
    boxes: dict[int, list[Box]] = {}
    views = []
    for i, f in enumerate(findings):
        loc, src = f.location, f.location.source
        page = None
        if (
            src is not None
            and src.page is not None
            and src.bbox is not None
            and 1 <= src.page <= len(sizes)
        ):
            page = src.page
            x0, top, x1, bottom = src.bbox
            boxes.setdefault(page, []).append(
                Box(
                    i,
                    "explained" if f.explanation else f.severity.value,
                    f"M{x0:g} {top:g}H{x1:g}V{bottom:g}H{x0:g}Z",
                    f"[{f.rule_id}] {f.message}",
                )
            )
        cell = None
        if loc.table:
            cell = (
                anchors.get((loc.table, loc.row, loc.column))
                or anchors.get((loc.table, loc.row, None))
                or anchors.get((loc.table, None, None))
            )
        views.append(
            FindingView(
                i,
                key(f),
                f.severity.value,
                f.severity.chinese,
                f.rule_id,
                f.message,
                loc.describe(),
                f.explanation,
                f.expected,
                f.found,
                f.difference,
                f.tolerance,
                page,
                cell,
                narrative.finding_anchor.get(i),
            )
        )
    groups = tuple(
        FindingGroup(sev, title, tuple(v for v in views if v.severity == sev and not v.explanation))
        for sev, title in GROUPS
    )
    explained = tuple(v for v in views if v.explanation)
    pages = tuple(
        PageView(n, w, h, tuple(boxes.get(n, ()))) for n, (w, h) in enumerate(sizes, start=1)
    )
    counts = {s.value: n for s, n in result.counts.items()}
    by_sentence: dict[str, list[int]] = {}
    for i, anchor in sorted(narrative.finding_anchor.items()):
        if findings[i].severity is not Severity.INFO:
            by_sentence.setdefault(anchor, []).append(i)
    title = f"{r.unit_name or '（未识别单位）'} {r.year or ''}年度"
    return ReviewView(
        title=title,
        unit_name=r.unit_name,
        year=r.year,
        kind=r.kind.value if r.kind is not None else None,
        counts=counts,
        explained=len(explained),
        notes=tuple(r.reader_notes),
        prior_file=result.prior_file,
        groups=groups,
        explained_findings=explained,
        pages=pages,
        tables=tuple(tables),
        narrative=narrative,
        findings=tuple(views),
        by_sentence={a: tuple(v) for a, v in by_sentence.items()},
    )


# --- the corpus summary ---------------------------------------------------------------------


@dataclass(frozen=True)
class DocView:
    review: str
    name: str
    status: str
    error: str | None
    unit_name: str | None
    year: int | None
    kind: str | None
    counts: Mapping[str, int]
    seconds: float | None


@dataclass(frozen=True)
class CorpusView:
    years: tuple[int | None, ...]
    units: tuple[tuple[str, Mapping[int | None, tuple[DocView, ...]]], ...]
    documents: tuple[DocView, ...]
    failed: tuple[DocView, ...]
    pending: int


def doc_view(row: ReviewRow, blob: Blob | None) -> DocView:
    s = row.summary or {}
    return DocView(
        row.id,
        blob.name if blob is not None else row.report[:12],
        row.status,
        row.error,
        s.get("unit_name"),
        s.get("year"),
        s.get("kind"),
        s.get("counts") or {},
        row.seconds,
    )


def corpus_view(docs: list[DocView]) -> CorpusView:
    """Documents by unit and year (the reviewer's table of a district's departments), with the
    documents that could not be read and why."""
    done = [d for d in docs if d.status == "done"]
    years = sorted({d.year for d in done}, key=lambda y: (y is None, y or 0))
    by_unit: dict[str, dict[int | None, list[DocView]]] = {}
    for d in done:
        by_unit.setdefault(d.unit_name or "（未识别单位）", {}).setdefault(d.year, []).append(d)
    units = tuple(
        (unit, {y: tuple(v) for y, v in cells.items()}) for unit, cells in sorted(by_unit.items())
    )
    return CorpusView(
        tuple(years),
        units,
        tuple(done),
        tuple(d for d in docs if d.status == "failed"),
        sum(1 for d in docs if d.status in ("queued", "running")),
    )


def severity_rank(severity: str) -> int:
    return Severity(severity).rank


# --- the compile preview --------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[tuple[str, bool], ...]  # (text, is the 【请填写原因】 marker)


@dataclass(frozen=True)
class SectionText:
    number: str
    title: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class CheckLine:
    severity: str
    severity_zh: str
    rule_id: str
    message: str


@dataclass(frozen=True)
class PreviewView:
    error: str | None
    title: str = ""
    overview: tuple[SectionText, ...] = ()
    sections: tuple[SectionText, ...] = ()
    checks: tuple[CheckLine, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


def _paragraphs(text: str, marker: str) -> tuple[Paragraph, ...]:
    out = []
    for line in (p.strip() for p in text.split("\n")):
        if not line:
            continue
        pieces = line.split(marker)
        parts: list[tuple[str, bool]] = []
        for i, piece in enumerate(pieces):
            if i:
                parts.append((marker, True))
            if piece:
                parts.append((piece, False))
        out.append(Paragraph(tuple(parts)))
    return tuple(out)


def preview_view(prepared: Any, error: str | None) -> PreviewView:
    """The generated package as the compile page shows it: 概况 and 情况说明 with each missing
    reason's marker visible, the check of the tables, the build's warnings."""
    if prepared is None:
        return PreviewView(error or "无法生成")
    marker = prepared.source.narrative.marker
    d = prepared.disclosure

    def texts(sections: Iterable[Any]) -> tuple[SectionText, ...]:
        return tuple(SectionText(s.number, s.title, _paragraphs(s.text, marker)) for s in sections)

    checks = tuple(
        CheckLine(f.severity.value, f.severity.chinese, f.rule_id, f.message)
        for f in prepared.check.findings
        if f.severity is not Severity.INFO
    )
    return PreviewView(
        None,
        d.title,
        texts(d.overview),
        texts(d.explanations),
        checks,
        {s.value: n for s, n in prepared.check.counts.items()},
        tuple(prepared.warnings),
        tuple(d.missing_reasons),
    )
