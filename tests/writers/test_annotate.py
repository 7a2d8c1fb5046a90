"""``annotate_pdf`` draws a box in the severity's colour around the cell of each finding, as PDF
annotations: the marked PDF reads back exactly like the original."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from juesuan.api import check
from juesuan.readers import read
from juesuan.rules.finding import Severity
from juesuan.writers.annotate import COLOURS, annotate_pdf

PDF = Path(__file__).resolve().parents[1] / "data" / "pdfs" / "seed002-docx.pdf"


@pytest.mark.slow
def test_boxes_sit_on_the_cells(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    report = read(PDF)
    t03 = report.table("03")
    rows = []
    for row in t03.rows:
        if row.key == "2080108":
            cell = row.cells["本年支出合计"]
            assert cell.value is not None
            cell = replace(cell, value=cell.value + Decimal("100.00"))
            row = replace(row, cells={**row.cells, "本年支出合计": cell})
        rows.append(row)
    result = check(report.with_table(replace(t03, rows=tuple(rows))))
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert errors and all(f.location.source and f.location.source.bbox for f in errors)
    out = annotate_pdf(PDF, result.findings, tmp_path / "marked.pdf")

    doc = pdfium.PdfDocument(str(out))
    original = pdfium.PdfDocument(str(PDF))
    assert len(doc) == len(original) + 1
    summary = "".join(_annotation_texts(doc[len(doc) - 1]))
    assert "校验结果摘要" in summary and "T03.row" in summary
    comments = _annotation_texts(doc[errors[0].location.source.page - 1])  # type: ignore[union-attr]
    assert any(errors[0].rule_id in c and errors[0].message in c for c in comments)
    scale = 2.0
    for f in errors:
        src = f.location.source
        assert src is not None and src.page is not None and src.bbox is not None
        image = doc[src.page - 1].render(scale=scale).to_pil().convert("RGB")
        x0, top, x1, bottom = (v * scale for v in src.bbox)
        red = COLOURS[Severity.ERROR]

        def is_red(x: float, y: float, image: Any = image) -> bool:
            # the stroke is 1.5 pt wide, 1.5 pt outside the box: look a few pixels around
            for dx in range(-6, 7):
                for dy in range(-6, 7):
                    px = image.getpixel((int(x) + dx, int(y) + dy))
                    if px[0] > 180 and px[1] < 80 and px[2] < 80:
                        return True
            return False

        assert red[0] > 200
        mid_x, mid_y = (x0 + x1) / 2, (top + bottom) / 2
        assert is_red(mid_x, top - 3 * scale)  # top edge
        assert is_red(mid_x, bottom + 3 * scale)  # bottom edge
        assert is_red(x0 - 3 * scale, mid_y)  # left edge
        assert is_red(x1 + 3 * scale, mid_y)  # right edge
        # and the original has no red there
        orig = original[src.page - 1].render(scale=scale).to_pil().convert("RGB")
        assert orig.getpixel((int(mid_x), int(top - 3 * scale)))[1] > 100


def _annotation_texts(page: Any) -> list[str]:
    """The comments (``/Contents``) of a page's annotations."""
    import ctypes

    import pypdfium2.raw as raw

    out = []
    for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        n = raw.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
        buf = ctypes.create_string_buffer(n)
        raw.FPDFAnnot_GetStringValue(
            annot, b"Contents", ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), n
        )
        out.append(buf.raw[: n - 2].decode("utf-16-le"))
        raw.FPDFPage_CloseAnnot(annot)
    return out


def _with_error(report: Any) -> Any:
    """The report with one 本年支出合计 of table 03 off by 100.00 (a box on a table cell)."""
    t03 = report.table("03")
    rows = []
    for row in t03.rows:
        if row.key == "2080108":
            cell = row.cells["本年支出合计"]
            cell = replace(cell, value=cell.value + Decimal("100.00"))
            row = replace(row, cells={**row.cells, "本年支出合计": cell})
        rows.append(row)
    return report.with_table(replace(t03, rows=tuple(rows)))


@pytest.mark.slow
def test_annotated_pdf_reads_back_like_the_original(tmp_path: Path) -> None:
    """Boxes drawn into the page were taken for table borders (5 false errors on reading the
    marked PDF back); as annotations they are not page content: the same cells, boxes, notes,
    sections and findings, and the summary pages add no text."""
    from juesuan.api import audit
    from juesuan.model.serialize import dumps

    report = read(PDF)
    findings = [*audit(report).findings, *check(_with_error(report)).findings]
    boxed = {
        f.location.source.page for f in findings if f.location.source and f.location.source.bbox
    }
    assert len(boxed) >= 3  # boxes on table pages and on narrative pages
    out = annotate_pdf(PDF, findings, tmp_path / "marked.pdf")
    again = read(out)
    assert dumps(again).replace(str(out), "X") == dumps(report).replace(str(PDF), "X")

    def key(f: Any) -> tuple[Any, ...]:
        loc = f.location
        return (f.rule_id, f.severity, loc.table, loc.row, loc.column, f.message)

    assert sorted(map(key, audit(again).findings)) == sorted(map(key, audit(report).findings))


def test_annotations_leave_the_page_drawing_alone(tmp_path: Path) -> None:
    """The reader sees the same drawn segments and text on a marked page: annotation
    appearance streams are never read."""
    import pypdfium2 as pdfium

    from juesuan.readers.pdf_rulings import page_segments
    from juesuan.readers.pdf_settings import DEFAULT_SETTINGS

    report = read(PDF)
    findings = check(_with_error(report)).findings
    page_no = next(
        f.location.source.page for f in findings if f.location.source and f.location.source.bbox
    )
    out = annotate_pdf(PDF, findings, tmp_path / "marked.pdf")
    before, after = (
        pdfium.PdfDocument(str(PDF))[page_no - 1],
        pdfium.PdfDocument(str(out))[page_no - 1],
    )
    assert _annotation_texts(after) and not _annotation_texts(before)
    for a, b in ((before, after),):
        assert page_segments(a, a.get_height(), DEFAULT_SETTINGS) == page_segments(
            b, b.get_height(), DEFAULT_SETTINGS
        )
        assert a.get_textpage().get_text_range() == b.get_textpage().get_text_range()
