"""A page printed turned (/Rotate, its content drawn turned the other way, as scanners and
print-to-PDF make landscape tables) reads as it is shown: the same cells as the upright copy."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest

from juesuan.readers import read

PDF = Path(__file__).resolve().parents[1] / "data" / "pdfs" / "seed002-docx.pdf"


def _turned(src: Path, dst: Path, degrees: int) -> Path:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(src))
    for i in range(len(out)):
        page = out[i]
        w, h = page.get_width(), page.get_height()
        # the content turned so that the page's /Rotate shows it upright again
        if degrees == 90:
            m = raw.FS_MATRIX(0, 1, -1, 0, h, 0)
        elif degrees == 270:
            m = raw.FS_MATRIX(0, -1, 1, 0, 0, w)
        else:
            m = raw.FS_MATRIX(-1, 0, 0, -1, w, h)
        raw.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(m), None)
        if degrees in (90, 270):
            page.set_mediabox(0, 0, h, w)
        page.set_rotation(degrees)
        page.gen_content()
    out.save(dst)
    return dst


def _cells(path: Path) -> dict[str, list[tuple[str, dict[str, str]]]]:
    report = read(path)
    return {
        t.value: [(r.key, {k: str(c.value) for k, c in r.cells.items()}) for r in tb.rows]
        for t, tb in report.tables.items()
    }


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_turned_pages_read_like_the_upright_ones(tmp_path: Path, degrees: int) -> None:
    turned = _turned(PDF, tmp_path / f"turned{degrees}.pdf", degrees)
    upright = _cells(PDF)
    assert sum(len(rows) for rows in upright.values()) > 100
    assert _cells(turned) == upright
    assert read(turned).unit_name == read(PDF).unit_name
