"""Writers: the published package (issue 4) — 决算公开.docx/.pdf, 公开表.xlsx, index.html,
report.json and the charts 图1–图4.

Every output lays the nine tables out the same way, so the layout is computed once here
(:func:`printed_table`): a dense grid of printed cells with row and column spans, in the order
of the official templates (merged multi-row headers, 行次/栏次, the two sides of 01/04, the three
side-by-side groups of 06). XLSX, HTML and DOCX only draw that grid. Heavy libraries are
imported inside the writer functions, so importing :mod:`juesuan` stays light.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from juesuan.model.amount import Unit, format_amount
from juesuan.model.disclosure import Disclosure
from juesuan.model.layout import (
    BESIDE_SANGONG_COLUMNS,
    EXPENDITURE,
    FINAL_TABLES,
    INCOME,
    PERSONNEL_CLASSES,
    SPECS,
    TableId,
)
from juesuan.model.report import Report
from juesuan.model.tables import Row, Table, TableStatus

__all__ = [
    "OUTPUT_NAMES",
    "PrintedCell",
    "PrintedTable",
    "printed_table",
    "printed_tables",
    "write_package",
]

OUTPUT_NAMES = {
    "docx": "决算公开.docx",
    "pdf": "决算公开.pdf",
    "xlsx": "公开表.xlsx",
    "html": "index.html",
    "json": "report.json",
    "figures": "figures",
}

EMPTY_NOTE = "说明：本表无数据。"


def write_package(disclosure: Disclosure, outdir: Path) -> dict[str, Path]:
    """Write the whole package into ``outdir`` (a staging directory the caller created and
    later moves into place). Returns the path of each output by kind (see OUTPUT_NAMES); the
    figures are also listed as ``图1.png``, ``图1.svg`` …"""
    from dataclasses import replace

    from juesuan.model.serialize import dumps
    from juesuan.writers.charts import make_charts
    from juesuan.writers.docx import write_docx
    from juesuan.writers.html import write_html
    from juesuan.writers.pdf import write_pdf
    from juesuan.writers.xlsx import write_tables_xlsx

    outdir = Path(outdir)
    paths: dict[str, Path] = {k: outdir / v for k, v in OUTPUT_NAMES.items()}
    paths["figures"].mkdir(parents=True, exist_ok=True)
    paths["json"].write_text(dumps(disclosure.report), encoding="utf-8")
    write_tables_xlsx(disclosure.report, paths["xlsx"])
    figures = make_charts(disclosure, paths["figures"])
    disclosure = replace(disclosure, figures=figures)
    html = write_html(disclosure, paths["html"], figures)
    write_pdf(html, paths["pdf"], outdir)
    write_docx(disclosure, paths["docx"], figures)
    for fig in figures:
        paths[f"{fig.id}.png"] = fig.path
        if fig.svg is not None:
            paths[f"{fig.id}.svg"] = fig.svg
    return paths


# --- the printed layout shared by all writers -----------------------------------------------


@dataclass(frozen=True, slots=True)
class PrintedCell:
    """One printed cell. A money cell has ``number=True``; its ``value`` is None when blank."""

    text: str = ""
    value: Decimal | None = None
    number: bool = False
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    align: str = "left"  # left | center | right


@dataclass(frozen=True)
class PrintedTable:
    """A table as printed: title lines, a dense grid (None = covered by a span), notes."""

    id: TableId | None  # None: a table outside the nine (a 绩效自评表)
    title: str
    label: str  # 公开01表
    unit_line: str  # 金额单位：元
    unit_name_line: str  # 部门：…
    year_line: str  # 2021年度
    grid: tuple[tuple[PrintedCell | None, ...], ...]
    header_rows: int  # rows of the grid that form the (repeated) header, 栏次 included
    notes: tuple[str, ...]
    empty: bool

    @property
    def width(self) -> int:
        return len(self.grid[0]) if self.grid else 0


def printed_tables(report: Report) -> list[PrintedTable]:
    return [printed_table(report, tid) for tid in FINAL_TABLES]


def report_unit(report: Report) -> Unit:
    for t in report.tables.values():
        if t.unit is not None:
            return t.unit
    return Unit.YUAN


def printed_table(report: Report, table_id: TableId) -> PrintedTable:
    table = report.table(table_id)
    spec = SPECS[table_id]
    builder = {
        TableId.T01: _two_sided,
        TableId.T04: _two_sided,
        TableId.T06: _groups,
        TableId.T07: _sangong,
    }.get(table_id, _classified)
    header, body = builder(table)
    grid = _dense(header + body)
    unit = table.unit or report_unit(report)
    empty = table.status is not TableStatus.PRESENT or not table.has_data
    notes = _split_note(table.note)
    if empty and not any("无数据" in n for n in notes):
        notes.append(EMPTY_NOTE)
    return PrintedTable(
        id=table_id,
        title=spec.title,
        label=spec.label,
        unit_line=f"金额单位：{unit.value}",
        unit_name_line=f"部门：{report.unit_name or ''}",
        year_line=f"{report.year or ''}年度",
        grid=grid,
        header_rows=len(header),
        notes=tuple(notes),
        empty=empty,
    )


_NOTE_SPLIT = re.compile(r"\s+(?=(?:注|说明|备注)\s*[:：0-9１-９])")


def _split_note(note: str | None) -> list[str]:
    if not note:
        return []
    return [part.strip() for part in _NOTE_SPLIT.split(note) if part.strip()]


# Printed header words of each column key (the official template's wording).
_HEADER_PATHS: dict[str, tuple[str, ...]] = {
    "本年支出/合计": ("本年支出", "小计"),
    "本年支出/基本支出": ("本年支出", "基本支出"),
    "本年支出/项目支出": ("本年支出", "项目支出"),
    "决算数": ("金额",),
}
_T05_PATHS = {
    "合计": ("本年支出", "小计"),
    "基本支出": ("本年支出", "基本支出"),
    "项目支出": ("本年支出", "项目支出"),
}


def _path(table_id: TableId, key: str) -> tuple[str, ...]:
    if table_id is TableId.T05 and key in _T05_PATHS:
        return _T05_PATHS[key]
    if table_id is TableId.T07:
        part, item = key.split("/")
        if item in ("公务用车购置费", "公务用车运行费"):
            return (part, "公务用车购置及运行费", item)
        if item == "公务用车购置及运行费":
            return (part, item, "小计")
        return (part, item)
    return _HEADER_PATHS.get(key, tuple(key.split("/")))


def _columns(table: Table, side: str | None = None) -> tuple[str, ...]:
    spec_cols = table.spec.side(side).columns
    # 会议费/培训费 are printed beside the 三公 only where the source has them
    spec_cols = tuple(
        c
        for c in spec_cols
        if c not in BESIDE_SANGONG_COLUMNS or any(c in r.cells for r in table.rows)
    )
    if table.printed_columns:
        cols = tuple(c for c in table.printed_columns if c in spec_cols)
        if cols:
            return cols
    return spec_cols


def _header(paths: list[tuple[str, ...]]) -> list[list[PrintedCell | None]]:
    """Header rows from each column's header words: equal prefixes merge across, a path
    shorter than the deepest one merges down."""
    depth = max(len(p) for p in paths)
    width = len(paths)
    rows: list[list[PrintedCell | None]] = [[None] * width for _ in range(depth)]
    for level in range(depth):
        col = 0
        while col < width:
            path = paths[col]
            if len(path) <= level:
                col += 1
                continue
            end = col + 1
            if len(path) > level + 1:
                while (
                    end < width
                    and len(paths[end]) > level + 1
                    and paths[end][: level + 1] == path[: level + 1]
                ):
                    end += 1
            rowspan = depth - level if len(path) == level + 1 else 1
            rows[level][col] = PrintedCell(
                path[level], rowspan=rowspan, colspan=end - col, header=True, align="center"
            )
            col = end
    return rows


def _num(value: Decimal | None) -> PrintedCell:
    text = "" if value is None else format_amount(value)
    return PrintedCell(text, value, number=True, align="right")


def _text(text: str, colspan: int = 1, align: str = "left") -> PrintedCell:
    return PrintedCell(text, colspan=colspan, align=align)


def _blank_row(width: int) -> list[PrintedCell | None]:
    return [_text("") for _ in range(width)]


def _colnum_row(cells: list[str], label_span: int = 2) -> list[PrintedCell | None]:
    out: list[PrintedCell | None] = []
    i = 0
    while i < len(cells):
        if cells[i] == "栏次":
            out.append(PrintedCell("栏次", colspan=label_span, header=True, align="center"))
            out.extend([None] * (label_span - 1))
            i += label_span
        else:
            out.append(PrintedCell(cells[i], header=True, align="center"))
            i += 1
    return out


def _classified(
    table: Table,
) -> tuple[list[list[PrintedCell | None]], list[list[PrintedCell | None]]]:
    cols = _columns(table)
    paths: list[tuple[str, ...]] = [("项目", "功能分类科目编码"), ("项目", "科目名称")]
    paths += [_path(table.id, c) for c in cols]
    header = _header(paths)
    header.append(_colnum_row(["栏次", "", *(str(i + 1) for i in range(len(cols)))]))
    rows = list(table.rows) or [Row(table.spec.total_row or "合计", "合计", {})]
    body: list[list[PrintedCell | None]] = []
    for row in rows:
        values = [_num(row.value(c)) for c in cols]
        if row.code:
            body.append([_text(row.code), _text(row.label), *values])
        else:
            body.append([_text(row.label or row.key, 2, "center"), None, *values])
    return header, body


def _side_rows(table: Table, side: str) -> tuple[list[Row], list[Row]]:
    """(rows above the 本年…合计 row, rows from it down) of one side."""
    rows = [r for r in table.rows if r.side == side]
    first = "本年收入合计" if side == INCOME else "本年支出合计"
    cut = next((i for i, r in enumerate(rows) if r.key == first), len(rows))
    return rows[:cut], rows[cut:]


def _two_sided(
    table: Table,
) -> tuple[list[list[PrintedCell | None]], list[list[PrintedCell | None]]]:
    in_cols = _columns(table, INCOME)
    out_cols = _columns(table, EXPENDITURE)
    paths: list[tuple[str, ...]] = [("收入", "项目"), ("收入", "行次")]
    paths += [("收入", *_path(table.id, c)) for c in in_cols]
    paths += [("支出", "项目"), ("支出", "行次")]
    paths += [("支出", *_path(table.id, c)) for c in out_cols]
    header = _header(paths)
    n_in, n_out = len(in_cols), len(out_cols)
    header.append(
        _colnum_row(
            [
                "栏次",
                "",
                *(str(i + 1) for i in range(n_in)),
                "栏次",
                "",
                *(str(n_in + i + 1) for i in range(n_out)),
            ]
        )
    )
    top_in, bottom_in = _side_rows(table, INCOME)
    top_out, bottom_out = _side_rows(table, EXPENDITURE)
    top = max(len(top_in), len(top_out))
    bottom = max(len(bottom_in), len(bottom_out))

    def pad(top_rows: list[Row], bottom_rows: list[Row]) -> list[Row | None]:
        padded_bottom: list[Row | None] = list(bottom_rows)
        if bottom_rows and len(bottom_rows) < bottom:
            # keep 总计 on the last line, blank lines above it
            padded_bottom = [
                *bottom_rows[:-1],
                *([None] * (bottom - len(bottom_rows))),
                bottom_rows[-1],
            ]
        padded_bottom += [None] * (bottom - len(padded_bottom))
        return [*top_rows, *([None] * (top - len(top_rows))), *padded_bottom]

    left, right = pad(top_in, bottom_in), pad(top_out, bottom_out)
    n = len(left)
    body: list[list[PrintedCell | None]] = []
    for i in range(n):
        line: list[PrintedCell | None] = []
        for side_rows, cols, offset in ((left, in_cols, 1), (right, out_cols, n + 1)):
            row = side_rows[i]
            line.append(_text(row.label if row else ""))
            line.append(_text(str(offset + i), align="center"))
            line.extend(_num(row.value(c)) if row else _num(None) for c in cols)
        body.append(line)
    return header, body


def _groups(table: Table) -> tuple[list[list[PrintedCell | None]], list[list[PrintedCell | None]]]:
    """Table 06: 人员经费 | 公用经费 | 公用经费, each group (科目编码, 科目名称, 决算数)."""
    paths: list[tuple[str, ...]] = []
    for group in ("人员经费", "公用经费", "公用经费"):
        paths += [(group, "科目编码"), (group, "科目名称"), (group, "决算数")]
    header = _header(paths)
    # The reader lists 06 row by row across the groups; print each 类 as one block (stable
    # sort keeps the printed order inside a 类).
    coded = sorted((r for r in table.rows if r.code), key=lambda r: (r.code or "")[:3])
    personnel = [r for r in coded if (r.code or "")[:3] in PERSONNEL_CLASSES]
    public = [r for r in coded if (r.code or "")[:3] not in PERSONNEL_CLASSES]
    starts = [i for i, r in enumerate(public) if len(r.code or "") == 3] or [0]
    cut = min((*starts, len(public)), key=lambda i: (max(i, len(public) - i), -i)) if public else 0
    groups = [personnel, public[:cut], public[cut:]]
    height = max(len(g) for g in groups)
    body: list[list[PrintedCell | None]] = []
    for i in range(height):
        line: list[PrintedCell | None] = []
        for g in groups:
            if i < len(g):
                r = g[i]
                line += [_text(r.code or ""), _text(r.label), _num(r.value("决算数"))]
            else:
                line += [_text(""), _text(""), _text("")]
        body.append(line)
    personnel_total = table.row("人员经费合计")
    public_total = table.row("公用经费合计")
    body.append(
        [
            _text("人员经费合计", 2, "center"),
            None,
            _num(personnel_total.value("决算数") if personnel_total else None),
            _text("公用经费合计", 5, "center"),
            None,
            None,
            None,
            None,
            _num(public_total.value("决算数") if public_total else None),
        ]
    )
    total = table.row("合计")
    if total is not None:
        body.append([_text("合计", 8, "center"), *([None] * 7), _num(total.value("决算数"))])
    return header, body


def _sangong(table: Table) -> tuple[list[list[PrintedCell | None]], list[list[PrintedCell | None]]]:
    cols = _columns(table)
    header = _header([_path(table.id, c) for c in cols])
    header.append(_colnum_row([str(i + 1) for i in range(len(cols))]))
    row = table.row("三公经费")
    body: list[list[PrintedCell | None]] = [[_num(row.value(c) if row else None) for c in cols]]
    return header, body


def _dense(rows: list[list[PrintedCell | None]]) -> tuple[tuple[PrintedCell | None, ...], ...]:
    """Check the grid is rectangular; a cell covered by another's span is None."""
    width = max(len(r) for r in rows)
    out = []
    for r in rows:
        if len(r) != width:
            raise ValueError(f"ragged printed row: {len(r)} != {width}")
        out.append(tuple(r))
    return tuple(out)
