"""PDF reader: every cell of the test PDFs exact, the same findings as on the source data,
provenance (page and box) on every number, and one clear line for bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from juesuan.api import check
from juesuan.errors import InputError
from juesuan.model.report import Report
from juesuan.model.serialize import report_from_json
from juesuan.readers import read

PDFS = Path(__file__).resolve().parents[1] / "data" / "pdfs"
NAMES = sorted(p.stem for p in PDFS.glob("*.pdf"))


def _truth(name: str) -> Report:
    return report_from_json(json.loads((PDFS / f"{name}.truth.json").read_text("utf-8")))


@pytest.fixture(scope="module", params=NAMES)
def pair(request: pytest.FixtureRequest) -> tuple[str, Report, Report]:
    name = request.param
    return name, _truth(name), read(PDFS / f"{name}.pdf")


def test_test_pdfs_exist() -> None:
    assert len(NAMES) >= 5


def test_every_cell_exact(pair: tuple[str, Report, Report]) -> None:
    name, truth, got = pair
    wrong = []
    total = 0
    for tid, table in truth.tables.items():
        mine = got.table(tid)
        assert (mine.status, mine.unit) == (table.status, table.unit), (name, tid)
        assert {r.key for r in mine.rows} == {r.key for r in table.rows}, (name, tid)
        for row in table.rows:
            other = mine.row(row.key)
            assert other is not None
            for column, cell in row.cells.items():
                total += 1
                value = other.value(column)
                if value != cell.value or str(value) != str(cell.value):
                    wrong.append((tid, row.key, column, cell.value, value))
    assert total > 300
    assert not wrong, wrong[:10]


def test_labels_notes_and_sections(pair: tuple[str, Report, Report]) -> None:
    _, truth, got = pair
    from juesuan.model.codes import normalize_name

    for tid, table in truth.tables.items():
        mine = got.table(tid)
        assert (mine.note or None) == (table.note or None), tid
        for row in table.rows:
            other = mine.row(row.key)
            assert other is not None
            assert normalize_name(other.label) == normalize_name(row.label), (tid, row.key)
    assert [(s.number, s.title) for s in got.sections] == [
        (s.number, s.title) for s in truth.sections
    ]
    assert all(s.source is not None and s.source.page for s in got.sections)
    assert (got.unit_name, got.year) == (truth.unit_name, truth.year)
    assert got.reader_notes == truth.reader_notes


def test_same_findings_as_source(pair: tuple[str, Report, Report]) -> None:
    _, truth, got = pair

    def key(f: object) -> tuple[object, ...]:
        loc = f.location  # type: ignore[attr-defined]
        return (f.rule_id, f.severity, loc.table, loc.row, loc.column)  # type: ignore[attr-defined]

    assert sorted(map(key, check(got).findings)) == sorted(map(key, check(truth).findings))


def test_every_number_has_page_and_box(pair: tuple[str, Report, Report]) -> None:
    _, _, got = pair
    for table in got.tables.values():
        for row in table.rows:
            for cell in row.cells.values():
                if cell.value is not None:
                    src = cell.source
                    assert src is not None and src.page and src.bbox
                    x0, top, x1, bottom = src.bbox
                    assert 0 <= x0 < x1 and 0 <= top < bottom


def test_findings_show_the_page() -> None:
    result = check(PDFS / "seed002-docx.pdf")
    assert result.findings
    assert all(
        f.location.source and f.location.source.page for f in result.findings if f.location.table
    )


def test_table_continued_on_next_page_without_title() -> None:
    got = read(PDFS / "synth11-split-docx.pdf")
    pages = {
        c.source.page
        for r in got.table("02").rows
        for c in r.cells.values()
        if c.source is not None
    }
    assert len(pages) >= 2


def test_importing_juesuan_does_not_import_pdf_engines() -> None:
    import subprocess
    import sys

    code = (
        "import sys, juesuan, juesuan.readers, juesuan.api; "
        "print('pdfplumber' in sys.modules or 'pypdfium2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_reading_a_text_pdf_without_images_does_not_load_the_ocr_stack() -> None:
    """OpenCV and onnxruntime cost ~60 MB: a 1,000-page text PDF must stay under 150 MB."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from juesuan.readers import read; "
        f"read(Path({str(PDFS / 'seed002-docx.pdf')!r})); "
        "print(sorted(m for m in ('cv2', 'onnxruntime', 'rapidocr', 'img2table') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- bad input --------------------------------------------------------------------------------


def _encrypted_pdf() -> bytes:
    """A minimal PDF with a Standard security handler whose user password is not empty."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -4 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\n"
        % (len(objs) + 1, b"ab" * 16, b"ab" * 16)
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _image_only_pdf() -> bytes:
    """A page rendered to pixels and put back as an image: no text layer."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(PDFS / "synth7-wan-xlsx.pdf"))
    bitmap = src[0].render(scale=0.5)
    doc = pdfium.PdfDocument.new()
    page = doc.new_page(595, 842)
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("encrypted", "encrypted PDF"),
        ("image", "no text layer: scanned pages need OCR"),
        ("truncated", "truncated"),
        ("not_pdf", "not a PDF"),
        ("empty", "empty file"),
        ("garbage_pdf", "PDF"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, kind: str, reason: str) -> None:
    good = (PDFS / "synth7-wan-xlsx.pdf").read_bytes()
    data = {
        "encrypted": _encrypted_pdf,
        "image": _image_only_pdf,
        "truncated": lambda: good[: len(good) // 2],
        "not_pdf": lambda: "这不是PDF文件\n".encode() * 20,
        "empty": lambda: b"",
        "garbage_pdf": lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8,
    }[kind]()
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read(path, ocr="never")  # a scan with OCR allowed is read (tests/readers/test_ocr.py)
    line = info.value.one_line()
    assert reason in line
    assert "\n" not in line


# --- tables without ruling lines ------------------------------------------------------------

BORDERLESS = ("seed002-noborder-docx", "synth5-wan-threeline-docx")


@pytest.mark.parametrize("name", BORDERLESS)
def test_borderless_pdfs_have_no_ruled_grid(name: str) -> None:
    """The borderless layouts really go through the fallback: no page has a ruled frame (the
    three-line tables have horizontal rules only). Their cells are checked, like every test
    PDF, by test_every_cell_exact and test_same_findings_as_source."""
    import pypdfium2 as pdfium

    from juesuan.readers.pdf_grid import frames as find_frames
    from juesuan.readers.pdf_rulings import page_rulings
    from juesuan.readers.pdf_settings import DEFAULT_SETTINGS

    doc = pdfium.PdfDocument(str(PDFS / f"{name}.pdf"))
    try:
        frames = 0
        for i in range(len(doc)):
            page = doc[i]
            rulings = page_rulings(page, page.get_height(), DEFAULT_SETTINGS)
            frames += len(find_frames(rulings, DEFAULT_SETTINGS))
            page.close()
    finally:
        doc.close()
    assert frames == 0
    assert name in NAMES


def test_borderless_table_continued_on_next_page() -> None:
    got = read(PDFS / "seed002-noborder-docx.pdf")
    pages = {c.source.page for r in got.table("02").rows for c in r.cells.values() if c.source}
    assert len(pages) >= 2
    # a wrapped label (two printed lines in one cell) is one row with its whole name
    row = got.table("02").row("208")
    assert row is not None and row.label == "社会保障和就业支出"


def _word(text: str, x0: float, x1: float) -> object:
    from juesuan.readers.pdf_borderless import _Word
    from juesuan.readers.pdf_page import Char

    return _Word([Char(text, x0, 0, x1, 8)], x0, x1, text, False)


def test_header_words_go_to_the_first_column_they_span() -> None:
    """Centred over three columns → the first; centred on a boundary → the first of two; a
    group header printed in its own first column keeps the empty columns after it."""
    from juesuan.readers.pdf_borderless import _place_header

    xs = [0.0, 100, 200, 300, 400, 500]
    w = _word
    # 项目 over 0-1, 本年支出 over 2-4 (centred on column 3)
    top = [w("项目", 90, 110), w("本年支出", 330, 370)]
    below = [w("编码", 40, 60), w("名称", 140, 160), w("小计", 240, 260)]
    below += [w("基本支出", 330, 370), w("项目支出", 430, 470)]
    placed = _place_header(xs, [top, below])  # type: ignore[list-item]
    assert [placed[id(x)] for x in top] == [0, 2]
    assert [placed[id(x)] for x in below] == [0, 1, 2, 3, 4]
    # 预算数 printed in column 0 over 0-2, 决算数 in column 3 over 3-4: no spreading to the left
    xs6 = [0.0, 100, 200, 300, 400, 500, 600]
    top = [w("预算数", 40, 60), w("决算数", 340, 360)]
    below = [w(t, 100 * k + 40, 100 * k + 60) for k, t in enumerate("合甲乙合甲乙")]
    placed = _place_header(xs6, [top, below])  # type: ignore[list-item]
    assert [placed[id(x)] for x in top] == [0, 3]
