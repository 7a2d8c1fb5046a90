"""Build the test PDFs of ``tests/data/pdfs/`` and their true cell values.

Every PDF starts as a document in the seeds' text form (tables as tab-separated lines under their
titles): seed 002 itself, or a consistent report from :mod:`tests.synth` rendered in the
printed layout of seed 002. The true values are what the text reader reads from that text
(``NAME.truth.json``, written with :func:`juesuan.model.serialize.dumps`). The text then becomes
an XLSX (xlsxwriter) or a DOCX (python-docx), and LibreOffice prints it to PDF.

Layouts:

- ``seed002-docx``: the whole seed-002 report (cover, table of contents, nine tables, narrative)
  as Word paragraphs and "Table Grid" tables; 元; wrapped labels and headers.
- ``synth7-wan-xlsx``: a generated report in 万元, one sheet per table, merged header cells.
- ``synth11-split-docx``: a generated report in 元 with government funds, 类|款|项 printed in
  three code columns, justified labels ("因 公 出 国 （境） 费", "合 计"), and tables 02/03
  long enough to continue on the next page without their title or header.
- ``seed002-noborder-docx``: seed 002 as Word tables with every border removed (no ruling line
  at all): header words centred over the columns they span, numbers right-aligned.
- ``synth5-wan-threeline-docx``: a generated report in 万元 with government funds as three-line
  tables (rules only above and below the header and below the last row), centred headers.

Four more are drawn directly with pdfium (``draw_pdfs.py``), each named after a way real
producers draw ruled tables that once broke the reader: ``synth3-segmented-header-borders``
(ONLYOFFICE), ``synth4-frame-split-by-gaps`` (Word 2010), ``synth6-fills-duplicate-lines``
(shaded cells, doubled and white borders) and ``synth8-cell-boxes-small-font`` (one box per cell,
table 04 in a 5-pt font).

Run ``python tests/data/make_pdfs.py [NAME …]`` (needs ``soffice`` for the DOCX/XLSX ones); the
PDFs are committed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from juesuan.model.amount import Unit
from juesuan.model.layout import EXPENDITURE, FINAL_TABLES, INCOME, SANGONG_ITEMS, TableId
from juesuan.model.report import Report
from juesuan.model.serialize import dumps
from juesuan.model.tables import Row, Table
from juesuan.readers.text import read_text

HERE = Path(__file__).resolve().parent
OUT = HERE / "pdfs"
REPO = HERE.parents[1]
SEED = REPO / "src" / "juesuan" / "examples" / "jiaozuo-2021.txt"
FONT = "Noto Sans CJK SC"

# --- a Report in the printed layout of seed 002 ---------------------------------------------

_CLASS_HEADERS = {
    TableId.T02: [
        [
            "项目",
            "",
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ],
        ["功能分类科目编码", "科目名称", "", "", "", "", "", "", ""],
        ["栏次", "", "1", "2", "3", "4", "5", "6", "7"],
    ],
    TableId.T03: [
        [
            "项目",
            "",
            "本年支出合计",
            "基本支出",
            "项目支出",
            "上缴上级支出",
            "经营支出",
            "对附属单位补助支出",
        ],
        ["功能分类科目编码", "科目名称", "", "", "", "", "", ""],
        ["栏次", "", "1", "2", "3", "4", "5", "6"],
    ],
    TableId.T05: [
        ["项目", "", "本年支出", "", ""],
        ["功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"],
        ["栏次", "", "1", "2", "3"],
    ],
}
_FUND_HEADER = [
    ["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
    ["功能分类科目编码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""],
    ["栏次", "", "1", "2", "3", "4", "5", "6"],
]
_T07_HEADER = [
    ["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""],
    ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"] * 2,
    ["", "", "小计", "公务用车购置费", "公务用车运行费", ""] * 2,
    [str(i) for i in range(1, 13)],
]
_T07_ITEMS = SANGONG_ITEMS


def _money(row: Row | None, column: str) -> str:
    if row is None:
        return ""
    value = row.value(column)
    return "" if value is None else f"{value:,}"


def _spaced(text: str) -> str:
    """Justified spacing as some publishers print it: 因 公 出 国 （境） 费."""
    return " ".join(re.findall(r"（[^）]*）|.", text))


def _classified_grid(table: Table, header: list[list[str]], split: bool) -> list[list[str]]:
    columns = table.spec.sides[0].columns
    rows: list[list[str]] = []
    if split:
        rows.append(["项目", "", "", "", *header[0][2:]])
        rows.append(["功能分类科目编码", "", "", "科目名称", *header[1][2:]])
        rows.append(["类", "款", "项", "", *[""] * (len(header[0]) - 2)])
        rows.append(["栏次", "", "", "", *header[2][2:]])
    else:
        rows.extend([list(h) for h in header])
    for row in table.rows:
        values = [_money(row, c) for c in columns]
        if row.code:
            code = [row.code[:3], row.code[3:5], row.code[5:7]] if split else [row.code]
            rows.append([*code, row.label, *values])
        else:
            label = _spaced("合计") if split else "合计"
            rows.append([label, *([""] * (3 if split else 1)), *values])
    return rows


def _two_sided_grid(table: Table) -> list[list[str]]:
    income = [r for r in table.rows if r.side == INCOME]
    spend = [r for r in table.rows if r.side == EXPENDITURE]
    t01 = table.id is TableId.T01
    in_head = [r for r in income if not r.key.startswith(("本年收入合计",))]
    split_in = next(i for i, r in enumerate(income) if r.key == "本年收入合计")
    split_out = next(i for i, r in enumerate(spend) if r.key == "本年支出合计")
    top_in, tail_in = income[:split_in], income[split_in:]
    top_out, tail_out = spend[:split_out], spend[split_out:]
    del in_head
    n_top = max(len(top_in), len(top_out))
    n_tail = max(len(tail_in), len(tail_out))
    left: list[Row | None] = [*top_in, *[None] * (n_top - len(top_in)), *tail_in]
    left += [None] * (n_tail - len(tail_in))
    right: list[Row | None] = [*top_out, *[None] * (n_top - len(top_out)), *tail_out]
    right += [None] * (n_tail - len(tail_out))
    out_cols = table.spec.side(EXPENDITURE).columns
    if t01:
        rows = [
            ["收入", "", "", "支出", "", ""],
            ["项目", "行次", "金额", "项目", "行次", "金额"],
        ]
    else:
        rows = [
            ["收入", "", "", "支出", "", "", "", "", ""],
            [
                "项目",
                "行次",
                "金额",
                "项目",
                "行次",
                "合计",
                "一般公共预算财政拨款",
                "政府性基金预算财政拨款",
                "国有资本经营预算财政拨款",
            ],
        ]
    n = len(left)

    def label(r: Row | None) -> str:
        if r is None:
            return ""
        if r.key in ("收入总计", "支出总计"):
            return "总计"
        return r.label.split("/")[-1]

    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        rows.append(
            [
                label(a),
                str(i + 1),
                _money(a, "决算数"),
                label(b),
                str(n + i + 1),
                *[_money(b, c) for c in out_cols],
            ]
        )
    return rows


def _t06_grid(table: Table) -> list[list[str]]:
    coded = [r for r in table.rows if r.code]
    personnel = [r for r in coded if r.code and r.code[:3] in ("301", "303")]
    public = [r for r in coded if r not in personnel]
    half = (len(public) + 1) // 2
    groups = [personnel, public[:half], public[half:]]
    height = max(len(g) for g in groups)
    rows = [
        ["人员经费", "", "", "公用经费", "", "", "", "", ""],
        ["科目编码", "科目名称", "决算数"] * 3,
    ]
    for i in range(height):
        line: list[str] = []
        for g in groups:
            r = g[i] if i < len(g) else None
            line += [r.code or "", r.label, _money(r, "决算数")] if r else ["", "", ""]
        rows.append(line)
    total = {r.key: r for r in table.rows if not r.code}
    rows.append(
        [
            "人员经费合计",
            "",
            _money(total.get("人员经费合计"), "决算数"),
            "公用经费合计",
            "",
            "",
            "",
            "",
            _money(total.get("公用经费合计"), "决算数"),
        ]
    )
    rows.append(["合计", "", _money(total.get("合计"), "决算数"), *[""] * 6])
    return rows


def _t07_grid(table: Table, justify: bool) -> list[list[str]]:
    header = [list(r) for r in _T07_HEADER]
    if justify:
        header[1] = [_spaced(t) if t.startswith("因公") else t for t in header[1]]
    row = table.rows[0] if table.rows else None
    values = [_money(row, f"{part}/{item}") for part in ("预算数", "决算数") for item in _T07_ITEMS]
    return [*header, values]


_NOTES = {
    TableId.T01: "注：本表反映部门本年度的总收支和年末结转结余情况。",
    TableId.T02: "注：本表反映部门本年度取得的各项收入情况。",
    TableId.T03: "注：本表反映部门本年度各项支出情况。",
    TableId.T04: "注：本表反映部门本年度财政拨款的总收支和年末结转结余情况。",
    TableId.T05: "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    TableId.T06: "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    TableId.T07: "注：本表反映部门本年度“三公”经费支出预决算情况。",
}


def report_text(report: Report, *, split: bool = False, justify: bool = False) -> str:
    """The report in the seeds' text form, laid out as seed 002 prints its tables."""
    unit = "万元" if report.table(TableId.T02).unit is Unit.WAN_YUAN else "元"
    year = report.year or 2021
    name = report.unit_name or "示例单位"
    out = [f"{year}年度", f"{name}部门决算", "", "目 录", "", f"第二部分 {year}年度部门决算表"]
    out += [
        f"{'一二三四五六七八九'[i]}、{t.spec.title}"
        for i, t in enumerate(report.table(tid) for tid in FINAL_TABLES)
    ]
    out += ["", f"第二部分 {year}年度部门决算表", ""]
    for tid in FINAL_TABLES:
        table = report.table(tid)
        if tid in _CLASS_HEADERS:
            grid = _classified_grid(table, _CLASS_HEADERS[tid], split)
        elif tid in (TableId.T08, TableId.T09):
            grid = _classified_grid(table, _FUND_HEADER, split)
        elif tid in (TableId.T01, TableId.T04):
            grid = _two_sided_grid(table)
        elif tid is TableId.T06:
            grid = _t06_grid(table)
        else:
            grid = _t07_grid(table, justify)
        out += [
            table.spec.title,
            f"公开{tid.value}表",
            f"部门：{name}",
            f"{year}年度　　　　金额单位：{unit}",
        ]
        out += ["\t".join(r) for r in grid]
        note = table.note or _NOTES.get(tid)
        out += [note or "", ""]
    out += [
        f"第三部分 {year}年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        f"{year}年度收、支总计均为{_money(report.table(TableId.T01).row('收入总计'), '决算数')}"
        f"{unit}。",
        "二、关于收入决算情况说明",
        "本年收入合计见公开02表。",
        "三、支出决算情况说明",
        "本年支出合计见公开03表。",
        "",
    ]
    return "\n".join(out)


# --- writers ---------------------------------------------------------------------------------


def _blocks(text: str) -> list[tuple[str, list[list[str]] | str]]:
    """("table", grid) for runs of tab-separated lines, ("line", text) otherwise."""
    blocks: list[tuple[str, list[list[str]] | str]] = []
    grid: list[list[str]] = []
    for line in text.split("\n"):
        if "\t" in line:
            grid.append(line.split("\t"))
            continue
        if grid:
            blocks.append(("table", grid))
            grid = []
        if line.strip():
            blocks.append(("line", line.strip()))
    if grid:
        blocks.append(("table", grid))
    return blocks


_AMOUNT = re.compile(r"^-?[\d,]+\.\d+$")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$|^\d{2}$")


def _header_rows(grid: Sequence[Sequence[str]]) -> int:
    for i, row in enumerate(grid):
        first = row[0].strip() if row else ""
        if (
            any(_AMOUNT.match(c.strip()) for c in row)
            or _CODE.match(first)
            or (re.sub(r"\s", "", first) in ("合计", "总计") and i > 0)
        ):
            return i
    return len(grid)


def _merges(grid: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Merged header cells: a header word spans the empty cells after it when the row below
    has words there, and the empty cells below it down to the last header row."""
    n_head = _header_rows(grid)
    width = max(len(r) for r in grid)
    g = [r + [""] * (width - len(r)) for r in grid]
    number_row = [
        all(c.strip().isdigit() or not c.strip() or c.strip() == "栏次" for c in r) for r in g
    ]
    last = max((i for i in range(n_head) if not number_row[i]), default=-1)
    merges = []
    taken: set[tuple[int, int]] = set()
    for r in range(last + 1):
        for c in range(width):
            if not g[r][c] or (r, c) in taken:
                continue
            c1 = c
            while (
                c1 + 1 < width
                and not g[r][c1 + 1]
                and r + 1 <= last
                and any(g[k][c1 + 1] for k in range(r + 1, last + 1))
            ):
                c1 += 1
            r1 = r
            while r1 + 1 <= last and all(not g[r1 + 1][k] for k in range(c, c1 + 1)):
                r1 += 1
            if c1 > c or r1 > r:
                merges.append((r, c, r1, c1))
                taken.update((i, j) for i in range(r, r1 + 1) for j in range(c, c1 + 1))
    return merges


def _width(grid: list[list[str]], col: int) -> float:
    """Column width in characters: wide enough for numbers, names wrap."""
    longest = max((len(r[col]) for r in grid if col < len(r)), default=4)
    has_name = any(len(r[col]) > 14 and not _AMOUNT.match(r[col]) for r in grid if col < len(r))
    return 20 if has_name else max(4, min(14, longest * 1.1 + 1))


def to_xlsx(text: str, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    base = {"font_name": FONT, "font_size": 9, "valign": "vcenter"}
    cell = wb.add_format({**base, "border": 1, "text_wrap": True})
    head = wb.add_format({**base, "border": 1, "text_wrap": True, "align": "center"})
    num = wb.add_format({**base, "border": 1, "align": "right"})
    plain = wb.add_format(base)
    title = wb.add_format({**base, "font_size": 14, "bold": True})
    from juesuan.model.layout import identify_title

    blocks = _blocks(text)
    # a title starts a sheet when a table follows it before the next title (not a TOC line)
    starts: set[int] = set()
    for i, (kind, item) in enumerate(blocks):
        if kind == "line" and isinstance(item, str) and identify_title(item) is not None:
            for k2, it2 in blocks[i + 1 :]:
                if k2 == "table":
                    starts.add(i)
                    break
                if isinstance(it2, str) and identify_title(it2) is not None:
                    break
    ws = wb.add_worksheet("目录")
    r = 0
    for n, (kind, item) in enumerate(blocks):
        if kind == "line":
            assert isinstance(item, str)
            if n in starts:
                ws = wb.add_worksheet(f"表{len(wb.worksheets()) + 1}")
                ws.set_landscape()
                ws.set_paper(9)
                ws.fit_to_pages(1, 0)
                r = 0
                ws.write(r, 0, item, title)
            else:
                ws.write(r, 0, item, plain)
            r += 1
            continue
        assert isinstance(item, list)
        grid = item
        width = max(len(g) for g in grid)
        widths = [_width(grid, c) for c in range(width)]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        n_head = _header_rows(grid)
        merged = {
            (a, b)
            for a, b, c, d in _merges(grid)
            for a, b in [(i, j) for i in range(a, c + 1) for j in range(b, d + 1)]
        }
        for a, b, c, d in _merges(grid):
            ws.merge_range(r + a, b, r + c, d, grid[a][b], head)
        for i, row in enumerate(grid):
            row = row + [""] * (width - len(row))
            lines = max(
                -(-len(t) * 17 // max(1, int(widths[j] * 10 - 5))) if t else 1
                for j, t in enumerate(row)
            )
            ws.set_row(r + i, 12 * max(1, lines) + 4)
            for j, t in enumerate(row):
                if (i, j) in merged:
                    continue
                fmt = head if i < n_head else (num if _AMOUNT.match(t) else cell)
                ws.write_string(r + i, j, t, fmt)
        r += len(grid) + 1
    wb.close()


def _borders(element: object, tag: str, sides: dict[str, bool]) -> None:
    """Set (or remove) the borders of a table (``w:tblBorders``) or a cell (``w:tcBorders``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement(tag)
    for side, on in sides.items():
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single" if on else "nil")
        if on:
            b.set(qn("w:sz"), "6")
            b.set(qn("w:color"), "000000")
        borders.append(b)
    element.append(borders)  # type: ignore[attr-defined]


def to_docx(text: str, path: Path, rules: str = "grid") -> None:
    """``rules``: "grid" (every cell ruled), "none" (no ruling lines at all) or "three" (a
    three-line table: rules above and below the header and below the last row). Borderless
    tables centre their header words and right-align the numbers, as publishers do."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(9)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(2)
    for kind, item in _blocks(text):
        if kind == "line":
            assert isinstance(item, str)
            p = doc.add_paragraph(item)
            if item.startswith("第") and "部分" in item[:5]:
                p.runs[0].bold = True
            continue
        assert isinstance(item, list)
        grid = item
        width = max(len(g) for g in grid)
        table = doc.add_table(rows=len(grid), cols=width)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        n_head = _header_rows(grid)
        if rules == "grid":
            table.style = "Table Grid"
        else:
            sides = ("top", "left", "bottom", "right", "insideH", "insideV")
            on = ("top", "bottom") if rules == "three" else ()
            _borders(table._tbl.tblPr, "w:tblBorders", {s: s in on for s in sides})
        for i, row in enumerate(grid):
            for j, t in enumerate(row):
                if t:
                    table.cell(i, j).text = t
                    if rules != "grid":
                        para = table.cell(i, j).paragraphs[0]
                        if i < n_head:
                            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                        elif _AMOUNT.match(t):
                            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for a, b, c, d in _merges(grid):
            table.cell(a, b).merge(table.cell(c, d))
            table.cell(a, b).text = grid[a][b]
            if rules != "grid":
                table.cell(a, b).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if rules == "three" and 0 < n_head < len(grid):
            for cell in table.rows[n_head - 1].cells:
                _borders(cell._tc.get_or_add_tcPr(), "w:tcBorders", {"bottom": True})
        for row in table.rows:  # rows do not break across pages
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    doc.save(str(path))


def soffice(src: Path, outdir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("soffice (LibreOffice) is needed to build the test PDFs")
    with tempfile.TemporaryDirectory(prefix="juesuan-lo-") as profile:
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return outdir / (src.stem + ".pdf")


def _truth(text: str, name: str) -> Report:
    """The values as the text reader reads them, without text-file line numbers."""
    from dataclasses import replace

    report = read_text(text.encode("utf-8"), Path(name + ".txt"))
    tables = {
        tid: replace(
            t,
            source=None,
            rows=tuple(
                replace(
                    r, source=None, cells={k: replace(c, source=None) for k, c in r.cells.items()}
                )
                for r in t.rows
            ),
        )
        for tid, t in report.tables.items()
    }
    sections = tuple(replace(s, source=None) for s in report.sections)
    return replace(report, tables=tables, sections=sections, source_file=None)


def layouts() -> dict[str, tuple[str, str]]:
    """name → (document text, writer)."""
    from tests.synth import generate_report

    seed = SEED.read_text(encoding="utf-8")
    wan = generate_report(7, unit=Unit.WAN_YUAN, n_items=10)
    split = generate_report(11, with_funds=True, n_items=36)
    wan5 = generate_report(5, unit=Unit.WAN_YUAN, with_funds=True, n_items=14)
    return {
        "seed002-docx": (seed, "docx"),
        "synth7-wan-xlsx": (report_text(wan), "xlsx"),
        "synth11-split-docx": (report_text(split, split=True, justify=True), "docx"),
        "seed002-noborder-docx": (seed, "docx-none"),
        "synth5-wan-threeline-docx": (report_text(wan5), "docx-three"),
        # drawn directly (draw_pdfs.py), one per way producers draw ruled tables
        "synth3-segmented-header-borders": (
            report_text(generate_report(3, unit=Unit.WAN_YUAN, n_items=16), split=True),
            "drawn-segmented",
        ),
        "synth4-frame-split-by-gaps": (
            report_text(
                generate_report(4, unit=Unit.WAN_YUAN, with_funds=True, n_items=14), split=True
            ),
            "drawn-gapped",
        ),
        "synth6-fills-duplicate-lines": (
            report_text(generate_report(6, n_items=12), justify=True),
            "drawn-filled",
        ),
        "synth8-cell-boxes-small-font": (
            report_text(generate_report(8, unit=Unit.WAN_YUAN, with_funds=True, n_items=12)),
            "drawn-boxed",
        ),
    }


def main(argv: Sequence[str] = ()) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = set(argv)
    with tempfile.TemporaryDirectory(prefix="juesuan-pdfs-") as tmp:
        work = Path(tmp)
        for name, (text, writer) in layouts().items():
            if wanted and name not in wanted:
                continue
            kind, _, rules = writer.partition("-")
            src = work / f"{name}.{kind}"
            if kind == "drawn":
                from draw_pdfs import to_drawn_pdf

                to_drawn_pdf(text, OUT / f"{name}.pdf", rules)
            else:
                if kind == "docx":
                    to_docx(text, src, rules or "grid")
                else:
                    to_xlsx(text, src)
                pdf = soffice(src, work)
                shutil.copyfile(pdf, OUT / f"{name}.pdf")
            truth = _truth(text, name)
            (OUT / f"{name}.truth.json").write_text(dumps(truth), encoding="utf-8")
            print(f"{name}: {os.path.getsize(OUT / f'{name}.pdf') // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
