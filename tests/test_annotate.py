"""``annotate_pdf`` draws a box in the severity's colour around the cell of each finding."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from juesuan.annotate import COLOURS, annotate_pdf
from juesuan.api import check
from juesuan.readers import read
from juesuan.rules.finding import Severity

PDF = Path(__file__).resolve().parent / "data" / "pdfs" / "seed002-docx.pdf"


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
    summary = doc[len(doc) - 1].get_textpage().get_text_range()
    assert "校验结果摘要" in summary and "T03.row" in summary
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
