"""Test material for the office readers: a report printed the way publishers lay it out, then
written as DOCX (python-docx tables with merged header cells), HTML (rowspan/colspan headers,
numbers split across ``<span>``s) and XLSX (one sheet per table, merged headers, numbers as
real numbers with a ``#,##0.00`` format or as text).

:func:`printed` turns a :class:`Report` into a :class:`PrintedDoc`: for every table its title,
the lines printed above it (公开0N表, 金额单位, 部门, 年度), a multi-row header of merged cells,
the data rows as printed texts, and its note; then the 情况说明 narrative. The layouts follow
seed 002 (the published 2021 template): 项目 over 功能分类科目编码|科目名称, 本年支出 over
小计|基本支出|项目支出, 收入|支出 over the two sides of tables 01/04 with 行次, the three groups
of table 06, the three-level 三公 header of table 07.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from juesuan.model.amount import Unit, format_amount
from juesuan.model.layout import (
    EXPENDITURE,
    FINAL_TABLES,
    INCOME,
    PERSONNEL_CLASSES,
    SANGONG_COLUMNS,
    SPECS,
    TableId,
)
from juesuan.model.report import Report
from juesuan.model.tables import Row, Table, TableStatus


@dataclass(frozen=True)
class Span:
    """A header cell at (row, col) of the header, covering rows × cols positions."""

    text: str
    row: int
    col: int
    rows: int = 1
    cols: int = 1


@dataclass
class PrintedTable:
    table_id: TableId
    title: str
    above: list[str]  # 公开0N表, 金额单位：元, 部门：…, 2021年度
    header: list[Span]
    header_rows: int
    body: list[list[str]]  # data rows, every one ``width`` long
    width: int
    money: set[int] = field(default_factory=set)  # body columns holding money
    notes: list[str] = field(default_factory=list)
    has_body: bool = True

    def grid(self) -> list[list[str]]:
        """Header (merged text at the first position) and body, as the text format prints."""
        rows = [[""] * self.width for _ in range(self.header_rows)]
        for s in self.header:
            rows[s.row][s.col] = s.text
        return rows + self.body


@dataclass
class PrintedDoc:
    front: list[str]
    tables: list[PrintedTable]
    back: list[str]
    unit: Unit


def money(value: Decimal | None) -> str:
    return "" if value is None else format_amount(value)


def printed_label(row: Row) -> str:
    """The label as printed: table 04's 年初/年末 fund rows print the fund name only."""
    return row.label.split("/", 1)[1] if row.label.startswith(("年初/", "年末/")) else row.label


# --- layouts ---------------------------------------------------------------------------------

# (group or None, printed leaf, column key)
_Col = tuple[str | None, str, str]


def _classified_columns(table: Table) -> list[_Col]:
    tid = table.id
    keys = table.printed_columns or SPECS[tid].sides[0].columns
    out: list[_Col] = []
    for key in keys:
        if tid is TableId.T05:
            out.append(("本年支出", "小计" if key == "合计" else key, key))
        elif "/" in key:
            group, leaf = key.split("/", 1)
            out.append((group, "小计" if leaf == "合计" else leaf, key))
        else:
            out.append((None, key, key))
    return out


def _group_spans(columns: Sequence[_Col], first: int, top: int) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(columns):
        group, leaf, _ = columns[i]
        if group is None:
            spans.append(Span(leaf, top, first + i, rows=2))
            i += 1
            continue
        j = i
        while j < len(columns) and columns[j][0] == group:
            spans.append(Span(columns[j][1], top + 1, first + j))
            j += 1
        spans.append(Span(group, top, first + i, cols=j - i))
        i = j
    return spans


def _classified(table: Table) -> tuple[list[Span], int, list[list[str]], int, set[int]]:
    columns = _classified_columns(table)
    width = 2 + len(columns)
    header = [
        Span("项目", 0, 0, cols=2),
        Span("功能分类科目编码", 1, 0),
        Span("科目名称", 1, 1),
        *_group_spans(columns, 2, 0),
        Span("栏次", 2, 0, cols=2),
        *(Span(str(i + 1), 2, 2 + i) for i in range(len(columns))),
    ]
    body = []
    for row in table.rows:
        head = [row.code, printed_label(row)] if row.code else [printed_label(row), ""]
        body.append(head + [money(row.value(key)) for _, _, key in columns])
    return header, 3, body, width, set(range(2, width))


def _two_sided(table: Table) -> tuple[list[Span], int, list[list[str]], int, set[int]]:
    spec = SPECS[table.id]
    inc_cols = spec.side(INCOME).columns
    exp_cols = spec.side(EXPENDITURE).columns
    inc_names = ["金额" if c == "决算数" else c for c in inc_cols]
    exp_names = ["金额" if c == "决算数" else c for c in exp_cols]
    split = 2 + len(inc_cols)
    width = split + 2 + len(exp_cols)
    header = [
        Span("收 入", 0, 0, cols=split),
        Span("支 出", 0, split, cols=width - split),
        Span("项目", 1, 0),
        Span("行次", 1, 1),
        *(Span(n, 1, 2 + i) for i, n in enumerate(inc_names)),
        Span("项目", 1, split),
        Span("行次", 1, split + 1),
        *(Span(n, 1, split + 2 + i) for i, n in enumerate(exp_names)),
    ]
    income = [r for r in table.rows if r.side == INCOME]
    spending = [r for r in table.rows if r.side == EXPENDITURE]
    n = max(len(income), len(spending))
    body = []
    for i in range(n):
        line: list[str] = []
        for rows, cols, offset in ((income, inc_cols, 0), (spending, exp_cols, n)):
            if i < len(rows):
                r = rows[i]
                line += [printed_label(r), str(offset + i + 1), *(money(r.value(c)) for c in cols)]
            else:
                line += ["", str(offset + i + 1), *([""] * len(cols))]
        body.append(line)
    return header, 2, body, width, set(range(2, split)) | set(range(split + 2, width))


def _groups(table: Table) -> tuple[list[Span], int, list[list[str]], int, set[int]]:
    coded = [r for r in table.rows if r.code]
    personnel = sorted((r for r in coded if r.code[:3] in PERSONNEL_CLASSES), key=_code)  # type: ignore[index]
    public = sorted((r for r in coded if r.code[:3] not in PERSONNEL_CLASSES), key=_code)  # type: ignore[index]
    middle = [r for r in public if r.code.startswith("302")]  # type: ignore[union-attr]
    right = [r for r in public if not r.code.startswith("302")]  # type: ignore[union-attr]
    header = [
        Span("人员经费", 0, 0, cols=3),
        Span("公用经费", 0, 3, cols=6),
        *(
            Span(t, 1, g * 3 + i)
            for g in range(3)
            for i, t in enumerate(("科目编码", "科目名称", "决算数"))
        ),
    ]
    body = []
    for i in range(max(len(personnel), len(middle), len(right))):
        line: list[str] = []
        for group in (personnel, middle, right):
            if i < len(group):
                r = group[i]
                line += [r.code or "", r.label, money(r.value("决算数"))]
            else:
                line += ["", "", ""]
        body.append(line)
    fixed = {r.key: r for r in table.rows if not r.code}
    if "人员经费合计" in fixed or "公用经费合计" in fixed:
        line = [""] * 9
        if (people := fixed.get("人员经费合计")) is not None:
            line[0], line[2] = people.label, money(people.value("决算数"))
        if (public_total := fixed.get("公用经费合计")) is not None:
            line[3], line[8] = public_total.label, money(public_total.value("决算数"))
        body.append(line)
    if (total := fixed.get("合计")) is not None:
        body.append([total.label, "", money(total.value("决算数"))] + [""] * 6)
    return header, 2, body, 9, {2, 5, 8}


def _code(row: Row) -> str:
    return row.code or ""


def _sangong(table: Table) -> tuple[list[Span], int, list[list[str]], int, set[int]]:
    header: list[Span] = []
    for g, part in enumerate(("预算数", "决算数")):
        c = g * 6
        header += [
            Span(part, 0, c, cols=6),
            Span("合计", 1, c, rows=2),
            Span("因公出国（境）费", 1, c + 1, rows=2),
            Span("公务用车购置及运行费", 1, c + 2, cols=3),
            Span("小计", 2, c + 2),
            Span("公务用车购置费", 2, c + 3),
            Span("公务用车运行费", 2, c + 4),
            Span("公务接待费", 1, c + 5, rows=2),
        ]
    body = [[str(i + 1) for i in range(12)]]
    for row in table.rows:
        body.append([money(row.value(c)) for c in SANGONG_COLUMNS])
    return header, 3, body, 12, set(range(12))


def printed_table(report: Report, table: Table) -> PrintedTable:
    unit = table.unit or Unit.YUAN
    above = [
        table.spec.label,
        f"金额单位：{unit.value}",
        f"部门：{report.unit_name or ''}",
        f"{report.year}年度",
    ]
    notes = [table.note] if table.note else []
    if table.status is TableStatus.TITLE_ONLY:
        return PrintedTable(table.id, table.title, above, [], 0, [], 0, set(), notes, False)
    tid = table.id
    if tid in (TableId.T01, TableId.T04):
        parts = _two_sided(table)
    elif tid is TableId.T06:
        parts = _groups(table)
    elif tid is TableId.T07:
        parts = _sangong(table)
    else:
        parts = _classified(table)
    header, header_rows, body, width, money_cols = parts
    return PrintedTable(
        tid, table.title, above, header, header_rows, body, width, money_cols, notes
    )


def printed(report: Report) -> PrintedDoc:
    year = report.year
    front = [f"{year} 年度", f"{report.unit_name}部门决算", f"第二部分 {year} 年度部门决算表"]
    tables = [
        printed_table(report, report.table(t))
        for t in FINAL_TABLES
        if report.table(t).status is not TableStatus.ABSENT
    ]
    back: list[str] = []
    if report.sections:
        back.append(f"第三部分 {year} 年度部门决算情况说明")
        for s in report.sections:
            back.append(f"{s.number}、{s.title}")
            back.extend(s.text.split("\n") if s.text else [])
        back.append("第四部分 名词解释")
    units = {t.unit for t in report.tables.values() if t.unit is not None}
    return PrintedDoc(front, tables, back, units.pop() if len(units) == 1 else Unit.YUAN)


# --- DOCX ------------------------------------------------------------------------------------


def write_docx(doc: PrintedDoc, path: Path) -> Path:
    import docx

    document = docx.Document()
    for text in doc.front:
        document.add_paragraph(text)
    for t in doc.tables:
        document.add_paragraph(t.title)
        for text in t.above:
            document.add_paragraph(text)
        if t.has_body:
            grid = t.grid()
            table = document.add_table(rows=len(grid), cols=t.width)
            table.style = "Table Grid"
            for row, texts in zip(table.rows, grid, strict=True):
                for cell, text in zip(row.cells, texts, strict=True):
                    if text:
                        cell.text = text
            for s in t.header:
                if s.rows > 1 or s.cols > 1:
                    a = table.cell(s.row, s.col)
                    a.merge(table.cell(s.row + s.rows - 1, s.col + s.cols - 1))
        for text in t.notes:
            document.add_paragraph(text)
        document.add_paragraph("")
    for text in doc.back:
        document.add_paragraph(text)
    document.save(str(path))
    return path


# --- HTML ------------------------------------------------------------------------------------


def split_number(text: str) -> str:
    """``2,170,014.34`` → ``2,170,<span>014</span>.34`` (as some web editors print it)."""
    if len(text) < 4 or not any(ch.isdigit() for ch in text):
        return html.escape(text)
    cut = len(text) // 2
    return f"{html.escape(text[:cut])}<span>{html.escape(text[cut:-2])}</span>{text[-2:]}"


def write_html(doc: PrintedDoc, path: Path, *, encoding: str = "utf-8") -> Path:
    charset = "gb2312" if encoding.lower() in ("gb18030", "gbk", "gb2312") else encoding
    out = [
        "<!DOCTYPE html>",
        "<html><head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        "<title>部门决算公开</title>",
        "<style>td{border:1px solid #000}</style>",
        "</head><body>",
        '<div class="content">',
    ]
    for text in doc.front:
        out.append(f"<p>{html.escape(text)}</p>")
    for t in doc.tables:
        out.append(f'<p style="text-align:center"><strong>{html.escape(t.title)}</strong></p>')
        for text in t.above:
            out.append(f"<p><span>{html.escape(text)}</span></p>")
        if t.has_body:
            out.append('<table border="1" cellspacing="0">')
            for r in range(t.header_rows):
                cells = []
                for s in sorted((s for s in t.header if s.row == r), key=lambda s: s.col):
                    span = (f' rowspan="{s.rows}"' if s.rows > 1 else "") + (
                        f' colspan="{s.cols}"' if s.cols > 1 else ""
                    )
                    cells.append(f"<th{span}>{html.escape(s.text)}</th>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            covered = {
                (s.row + dr, s.col + dc)
                for s in t.header
                for dr in range(s.rows)
                for dc in range(s.cols)
            }
            # header positions no span covers are printed as empty cells
            assert all((r, c) in covered for r in range(t.header_rows) for c in range(t.width)), (
                f"header of {t.table_id} leaves gaps"
            )
            for row in t.body:
                cells = []
                for c, text in enumerate(row):
                    inner = split_number(text) if c in t.money and text else html.escape(text)
                    cells.append(f"<td>{inner}</td>")
                out.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
            out.append("</table>")
        for text in t.notes:
            out.append(f"<p>{html.escape(text)}</p>")
    for text in doc.back:
        out.append(f"<p>{html.escape(text)}</p>")
    out.append("</div></body></html>")
    path.write_bytes("\n".join(out).encode(encoding))
    return path


# --- XLSX ------------------------------------------------------------------------------------


def write_xlsx(doc: PrintedDoc, path: Path, *, numbers_as_text: bool = False) -> Path:
    """One sheet per table: title row and the lines above merged across the table, the header
    with merged cells, the data (money as numbers with ``#,##0.00``, or as text), the note."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for t in doc.tables:
        sheet = book.create_sheet(t.title[:31].replace("“", "").replace("”", ""))
        width = max(t.width, 4)
        r = 1
        sheet.cell(r, 1, t.title)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
        # 公开0N表 and the unit on one row, the department and year on the next
        sheet.cell(r, 1, t.above[0])
        sheet.cell(r, width, t.above[1])
        r += 1
        sheet.cell(r, 1, t.above[2])
        sheet.cell(r, width, t.above[3])
        r += 1
        if t.has_body:
            top = r
            for s in t.header:
                sheet.cell(top + s.row, 1 + s.col, s.text)
            for s in t.header:
                if s.rows > 1 or s.cols > 1:
                    sheet.merge_cells(
                        start_row=top + s.row,
                        start_column=1 + s.col,
                        end_row=top + s.row + s.rows - 1,
                        end_column=s.col + s.cols,
                    )
            r = top + t.header_rows
            for row in t.body:
                for c, text in enumerate(row):
                    if not text:
                        continue
                    cell = sheet.cell(r, 1 + c)
                    if c in t.money and "." in text:
                        if numbers_as_text:
                            cell.value = text
                        else:
                            cell.value = Decimal(text.replace(",", ""))
                            cell.number_format = "#,##0.00"
                    elif numbers_as_text and text.isdigit():
                        cell.value = int(text)  # codes, 行次, 栏次 as numbers
                    else:
                        cell.value = text
                r += 1
        for text in t.notes:
            sheet.cell(r, 1, text)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            r += 1
    book.save(str(path))
    return path


def soffice() -> str | None:
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(exe: str, src: Path, target: str) -> Path:
    """``soffice --convert-to`` in a private profile; the converted file beside ``src``."""
    import subprocess

    profile = src.parent / f".lo-profile-{src.stem}"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(src.parent / "converted"),
            str(src),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    out = src.parent / "converted" / f"{src.stem}.{target}"
    assert out.exists(), f"LibreOffice did not write {out}"
    return out


# --- comparisons -----------------------------------------------------------------------------


def cell_map(table: Table) -> dict[str, tuple[str | None, str | None, dict[str, str | None]]]:
    """Row key → (code, side, column → printed value). ``str(Decimal)`` keeps the exponent, so
    ``0.00`` ≠ ``0`` and blank (None) ≠ ``0.00``."""
    return {
        r.key: (
            r.code,
            r.side,
            {k: None if c.value is None else str(c.value) for k, c in r.cells.items()},
        )
        for r in table.rows
    }


def assert_same_tables(source: Report, got: Report) -> int:
    """Every table: same status, unit, title, note, rows, labels and cells. Returns the number
    of cells compared."""
    cells = 0
    for tid in FINAL_TABLES:
        a, b = source.table(tid), got.table(tid)
        assert (a.status, a.unit, a.title, a.note) == (b.status, b.unit, b.title, b.note), tid
        assert cell_map(a) == cell_map(b), tid
        if tid is not TableId.T07:  # the 三公 row has no printed label
            labels_a = {r.key: printed_label(r) for r in a.rows}
            assert labels_a == {r.key: r.label for r in b.rows}, tid
        if tid is not TableId.T06:  # table 06 is read row by row across its three groups
            assert [r.key for r in a.rows] == [r.key for r in b.rows], tid
        for row in b.rows:
            for cell in row.cells.values():
                assert cell.value is None or isinstance(cell.value, Decimal)
        cells += sum(len(r.cells) for r in b.rows)
    assert (source.unit_name, source.year) == (got.unit_name, got.year)
    return cells


def finding_keys(findings: Sequence[object]) -> list[tuple[str, str | None, str | None, str]]:
    out = []
    for f in findings:
        loc = f.location  # type: ignore[attr-defined]
        out.append((f.rule_id, loc.table, loc.row, f.severity.value))  # type: ignore[attr-defined]
    return sorted(out)
