"""决算公开.docx with python-docx: 封面, 第一部分 概况, 第二部分 the nine tables (landscape pages,
merged headers repeated on every page), 第三部分 情况说明 with 图1–图4, 第四部分 名词解释.

Fonts are set on the styles (w:eastAsia 宋体 for text, 黑体 for headings), as Word templates of
official reports do; LibreOffice renders them as Noto through templates/fonts.conf. Table
cells are filled through ``table.rows[i].cells`` (one row lookup per row), not
``table.cell(i, j)``, which walks the whole grid each call.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from juesuan.model.disclosure import Disclosure, Figure
from juesuan.writers import PrintedTable, printed_tables
from juesuan.writers.evaluation_tables import printed_forms
from juesuan.writers.fonts import DOCX_BODY, DOCX_HEADING
from juesuan.writers.html import chinese_number, paragraphs, place_figures

LATIN = "Times New Roman"


def _set_fonts(
    style: Any, east_asia: str, size: float | None = None, bold: bool | None = None
) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style.font
    font.name = LATIN
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    # theme fonts would override the names
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), LATIN)
    rfonts.set(qn("w:hAnsi"), LATIN)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _styles(doc: Any) -> dict[str, Any]:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, DOCX_BODY, 12)
    normal.paragraph_format.first_line_indent = Pt(24)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.3
    for name, size in (("Title", 26), ("Heading 1", 18), ("Heading 2", 15), ("Heading 3", 13)):
        s = styles[name]
        _set_fonts(s, DOCX_HEADING, size, True)
        s.paragraph_format.first_line_indent = Pt(0)
        s.paragraph_format.space_before = Pt(8)
        s.paragraph_format.space_after = Pt(4)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def paragraph_style(
        name: str, east_asia: str, size: float, align: Any, bold: bool = False
    ) -> Any:
        s = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        _set_fonts(s, east_asia, size, bold)
        pf = s.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = 1.0
        pf.alignment = align
        return s

    left, center, right = (
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.RIGHT,
    )
    return {
        "table_title": styles["Heading 2"],
        "cell_left": paragraph_style("表格文字", DOCX_BODY, 8, left),
        "cell_center": paragraph_style("表格文字居中", DOCX_BODY, 8, center),
        "cell_right": paragraph_style("表格数字", DOCX_BODY, 8, right),
        "header": paragraph_style("表头", DOCX_HEADING, 8, center, True),
        "meta_left": paragraph_style("表头信息", DOCX_BODY, 9, left),
        "meta_center": paragraph_style("表头信息居中", DOCX_BODY, 9, center),
        "meta_right": paragraph_style("表头信息居右", DOCX_BODY, 9, right),
        "note": paragraph_style("表注", DOCX_BODY, 9, left),
        "caption": paragraph_style("图题", DOCX_HEADING, 10, center),
        "cover_unit": paragraph_style("封面单位", DOCX_HEADING, 20, center, True),
        "toc": paragraph_style("目录", DOCX_BODY, 12, left),
    }


def _footer(section: Any) -> None:
    """第 x 页 共 y 页 with PAGE/NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = 0

    def field(instr: str) -> None:
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), instr)
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        p._p.append(fld)

    p.add_run("第 ")
    field("PAGE")
    p.add_run(" 页 共 ")
    field("NUMPAGES")
    p.add_run(" 页")


def _landscape(section: Any, on: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if on else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if on else (Mm(210), Mm(297))
    margin = Mm(15) if on else Mm(25)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = Mm(15) if on else Mm(25)


def _column_widths(table: PrintedTable, total_mm: float) -> list[float]:
    weights = [4.0] * table.width
    for i, row in enumerate(table.grid):
        for j, cell in enumerate(row):
            if cell is None or cell.colspan > 1:
                continue
            w = sum(2 if ord(ch) > 0x2E80 else 1.1 for ch in cell.text)
            if i < table.header_rows:
                w = min(w + 1, 12)  # a header may wrap onto two or three lines
            elif cell.number:
                w = max(w, 13)  # room for 2,170,014.34 in a blank column too
            weights[j] = max(weights[j], min(w, 36))
    scale = total_mm / sum(weights)
    return [w * scale for w in weights]


def _add_table(doc: Any, st: dict[str, Any], table: PrintedTable, width_mm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    doc.add_paragraph(table.title, style=st["table_title"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(table.label, style=st["meta_right"])
    doc.add_paragraph(table.unit_name_line, style=st["meta_left"])
    doc.add_paragraph(table.year_line, style=st["meta_center"])
    doc.add_paragraph(table.unit_line, style=st["meta_right"])
    t = doc.add_table(rows=len(table.grid), cols=table.width)
    t.style = doc.styles["Table Grid"]
    t.autofit = False
    widths = [Mm(w) for w in _column_widths(table, width_mm)]
    for j, w in enumerate(widths):
        t.columns[j].width = w
    rows = t.rows
    merges: list[tuple[int, int, int, int]] = []
    for i, grid_row in enumerate(table.grid):
        row = rows[i]
        if i < table.header_rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        cells = row.cells
        for j, pc in enumerate(grid_row):
            # LibreOffice sizes columns by each cell's w:tcW, Word by w:gridCol: set both
            cells[j].width = widths[j]
            if pc is None:
                continue
            p = cells[j].paragraphs[0]
            if pc.header:
                p.style = st["header"]
            elif pc.number:
                p.style = st["cell_right"]
            elif pc.align == "center":
                p.style = st["cell_center"]
            else:
                p.style = st["cell_left"]
            if pc.text:
                p.add_run(pc.text)
            if pc.rowspan > 1 or pc.colspan > 1:
                merges.append((i, j, i + pc.rowspan - 1, j + pc.colspan - 1))
    for i, j, i2, j2 in merges:
        rows[i].cells[j].merge(rows[i2].cells[j2])
    for note in table.notes:
        doc.add_paragraph(note, style=st["note"])


def write_docx(disclosure: Disclosure, path: Path, figures: Sequence[Figure]) -> Path:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    path = Path(path)
    report = disclosure.report
    unit_name = report.unit_name or ""
    year = report.year or ""
    doc: Any = docx.Document()
    # Word's core properties hold at most 255 characters (python-docx raises beyond)
    doc.core_properties.title = disclosure.title[:255]
    doc.core_properties.author = unit_name[:255]
    st = _styles(doc)
    section = doc.sections[0]
    _landscape(section, False)
    _footer(section)

    # 封面 and 目录
    for _ in range(6):
        doc.add_paragraph("")
    doc.add_paragraph(unit_name, style=st["cover_unit"])
    doc.add_paragraph(f"{year}年度部门决算", style="Title")
    doc.add_paragraph("")
    doc.add_paragraph("目　录", style=st["cover_unit"])
    tables = printed_tables(report)
    toc = [f"第一部分　{unit_name}概况", f"第二部分　{year}年度部门决算表"]
    toc += [f"　　{chinese_number(i)}、{t.title}" for i, t in enumerate(tables, start=1)]
    toc += [f"第三部分　{year}年度部门决算情况说明", "第四部分　名词解释"]
    for line in toc:
        doc.add_paragraph(line, style=st["toc"])

    # 第一部分
    doc.add_page_break()
    doc.add_heading(f"第一部分　{unit_name}概况", level=1)
    for s in disclosure.overview:
        doc.add_heading(f"{s.number}、{s.title}", level=3)
        for p in paragraphs(s.text):
            doc.add_paragraph(p)

    # 第二部分: landscape
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _landscape(section, True)
    doc.add_heading(f"第二部分　{year}年度部门决算表", level=1)
    width = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    for n, table in enumerate(tables):
        if n:
            doc.add_page_break()
        _add_table(doc, st, table, width)

    # 第三部分: portrait again
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _landscape(section, False)
    doc.add_heading(f"第三部分　{year}年度部门决算情况说明", level=1)
    after, left = place_figures(disclosure.explanations, figures)

    def add_figure(f: Figure) -> None:
        doc.add_picture(str(f.path), width=Mm(150))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraphs[-1].paragraph_format.first_line_indent = 0
        doc.add_paragraph(f"{f.id}：{f.title}", style=st["caption"])

    for i, s in enumerate(disclosure.explanations):
        doc.add_heading(f"{s.number}、{s.title}", level=3)
        for p in paragraphs(s.text):
            doc.add_paragraph(p)
        for f in after.get(i, []):
            add_figure(f)
    for f in left:
        add_figure(f)

    # 第四部分
    doc.add_page_break()
    doc.add_heading("第四部分　名词解释", level=1)
    for i, (term, text) in enumerate(disclosure.glossary, start=1):
        entry = doc.add_paragraph()
        entry.add_run(f"{chinese_number(i)}、{term}").bold = True
        entry.add_run(f"：{text}")

    # 附件: the 绩效自评表 the build generated
    forms = printed_forms(report)
    if forms:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        _landscape(section, True)
        doc.add_heading("附件　绩效自评表", level=1)
        width = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
        for n, form in enumerate(forms):
            if n:
                doc.add_page_break()
            _add_table(doc, st, form, width)
    doc.save(str(path))
    return path
