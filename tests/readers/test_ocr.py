"""OCR of scanned pages (juesuan.readers.ocr, ocr_page, pdf_ocr, image): two pages of a test
PDF (table 02 continued across them) rendered to pixels at 200 dpi and put back as an
image-only PDF read the same as the text layer, with the network blocked; every figure keeps
its page box and confidence; a rerun reads from the page cache; a PNG, a Word document and an
HTML page holding the same picture read it too (from the cache: one OCR of two pages in all).

The volume (the real corpus at 150 and 200 dpi, clean and degraded) is bench/ocr.py's.
"""

from __future__ import annotations

import base64
import io
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from juesuan import api
from juesuan.errors import InputError
from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.readers import ocr, read

PDFS = Path(__file__).resolve().parents[1] / "data" / "pdfs"
SOURCE = PDFS / "synth7-wan-xlsx.pdf"
PAGES = (3, 4)  # 收入决算表 and its continuation
DPI = 200

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the OCR extra is not installed")


def _render(number: int) -> Any:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(SOURCE))
    try:
        return doc[number - 1].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        doc.close()


def _image_pdf(path: Path) -> Path:
    """The pages as pixels only, the way a scanner makes a PDF (no text layer)."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(SOURCE))
    new = pdfium.PdfDocument.new()
    for number in PAGES:
        width, height = src[number - 1].get_width(), src[number - 1].get_height()
        page = new.new_page(width, height)
        image = pdfium.PdfImage.new(new)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(_render(number)))
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)
        page.gen_content()
    new.save(str(path))
    return path


def _png(path: Path) -> Path:
    _render(PAGES[0]).save(path, dpi=(DPI, DPI))
    return path


class _NoNetwork(Exception):
    pass


@pytest.fixture(scope="module")
def offline() -> Iterator[None]:
    """Every socket connection refused: a model or file fetched at run time fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise _NoNetwork(f"network use during OCR: {args!r}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", refuse)
        mp.setattr(socket.socket, "connect_ex", refuse)
        mp.setattr(socket, "create_connection", refuse)
        mp.setattr(socket, "getaddrinfo", refuse)
        yield


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _image_pdf(tmp_path_factory.mktemp("scan") / "scan.pdf")


@pytest.fixture(scope="module")
def scanned(scan_pdf: Path, cache: Path, offline: None) -> Report:
    calls: list[tuple[int, int]] = []
    report = api.load(scan_pdf, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    return report


@pytest.fixture(scope="module")
def text_layer() -> Report:
    return read(SOURCE)


def _values(report: Report, tid: TableId) -> dict[tuple[str, str], str]:
    return {
        (row.key, column): format(cell.value, "f")
        for row in report.table(tid).rows
        for column, cell in row.cells.items()
        if cell.value is not None
    }


@needs_ocr
@pytest.mark.slow
def test_a_scanned_table_reads_as_its_text_layer(scanned: Report, text_layer: Report) -> None:
    ocr_values = _values(scanned, TableId.T02)
    assert len(ocr_values) > 40
    assert ocr_values == _values(text_layer, TableId.T02)
    assert scanned.table(TableId.T02).unit == text_layer.table(TableId.T02).unit
    assert any("OCR" in note for note in scanned.reader_notes)


@needs_ocr
@pytest.mark.slow
def test_every_ocr_figure_keeps_its_page_box_and_confidence(
    scanned: Report, text_layer: Report
) -> None:
    printed = {
        (row.key, column): cell.source
        for row in text_layer.table(TableId.T02).rows
        for column, cell in row.cells.items()
    }
    for row in scanned.table(TableId.T02).rows:
        for column, cell in row.cells.items():
            if cell.value is None:
                continue
            source, original = cell.source, printed[row.key, column]
            assert source is not None and original is not None
            assert source.confidence is not None and 0.5 < source.confidence <= 1.0
            assert source.page is not None and original.page is not None
            assert PAGES[source.page - 1] == original.page
            assert source.bbox is not None and original.bbox is not None
            # the box OCR drew is where the text layer has the figure (a few points of margin)
            assert all(abs(a - b) < 6 for a, b in zip(source.bbox, original.bbox, strict=True))


def _rule_view(findings: list[Any], table: str) -> list[tuple[Any, ...]]:
    return sorted(
        (f.rule_id, f.severity.value, f.location.row, f.location.column, f.found, f.expected)
        for f in findings
        if f.location.table == table
    )


@needs_ocr
@pytest.mark.slow
def test_check_runs_the_rules_on_the_ocr_tables(
    scan_pdf: Path, scanned: Report, text_layer: Report
) -> None:
    """``check`` of the image-only PDF (read again from the page cache) gives table 02 the
    findings the text layer gets (its rounding notices), pointing at OCR'd figures."""
    result = api.check(scan_pdf)
    assert result.report.table(TableId.T02).rows
    found = _rule_view(result.findings, "02")
    assert found  # the rounding notices of its sums: the rules ran on the OCR'd cells
    assert found == _rule_view(api.check(text_layer).findings, "02")
    assert not [f for f in result.findings if f.location.table == "02" and f.severity == "error"]
    sources = [f.location.source for f in result.findings if f.location.table == "02"]
    assert any(s is not None and s.confidence is not None for s in sources)


def _tampered_scan(path: Path, text_layer: Report) -> Path:
    """Page 3 as pixels, with the figure of one leaf row's 本年收入合计 pasted over by another
    row's figure (a misprint in the scanned report): the sums over it no longer hold."""
    import pypdfium2 as pdfium
    from PIL import Image

    table = text_layer.table(TableId.T02)
    column = "本年收入合计"
    target, donor = table.row("2010599"), table.row("2012899")
    assert target is not None and donor is not None
    t_box = target.cells[column].source.bbox  # type: ignore[union-attr]
    d_box = donor.cells[column].source.bbox  # type: ignore[union-attr]
    assert t_box is not None and d_box is not None
    scale = DPI / 72
    pixels = _render(PAGES[0])

    def px(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        return (
            int(box[0] * scale) - 2,
            int(box[1] * scale) - 2,
            int(box[2] * scale) + 3,
            int(box[3] * scale) + 3,
        )

    tx0, ty0, tx1, ty1 = px(t_box)
    figure = pixels.crop(px(d_box))
    pixels.paste(Image.new("RGB", (tx1 - tx0, ty1 - ty0), "white"), (tx0, ty0))
    pixels.paste(figure, (tx1 - figure.width, ty0))  # right-aligned, as the column prints
    src = pdfium.PdfDocument(str(SOURCE))
    width, height = src[PAGES[0] - 1].get_width(), src[PAGES[0] - 1].get_height()
    new = pdfium.PdfDocument.new()
    page = new.new_page(width, height)
    image = pdfium.PdfImage.new(new)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(pixels))
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    new.save(str(path))
    return path


@needs_ocr
@pytest.mark.slow
def test_check_of_a_scan_finds_a_broken_sum(
    tmp_path: Path, cache: Path, text_layer: Report, offline: None
) -> None:
    """A misprinted figure on an image-only page breaks the sums over it, and the findings
    point at the OCR'd figure on the page."""
    table = text_layer.table(TableId.T02)
    donor = table.row("2012899")
    assert donor is not None
    result = api.check(_tampered_scan(tmp_path / "tampered.pdf", text_layer))
    read_as = result.report.table(TableId.T02).row("2010599")
    assert read_as is not None
    cell = read_as.cells["本年收入合计"]
    assert cell.value == donor.cells["本年收入合计"].value  # the pixels are what is read
    assert cell.source is not None and cell.source.confidence is not None
    errors = [
        f
        for f in result.findings
        if f.location.table == "02" and f.severity == "error" and f.location.column
    ]
    assert {f.rule_id for f in errors} >= {"T02.row", "T02.tree"}, _rule_view(errors, "02")
    assert any(f.location.row == "2010599" for f in errors)


@needs_ocr
@pytest.mark.slow
def test_a_rerun_reads_from_the_page_cache(
    scan_pdf: Path, scanned: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_ocr(*args: object) -> None:
        raise AssertionError("OCR ran again for a cached page")

    monkeypatch.setattr(ocr, "_words", no_ocr)
    again = api.load(scan_pdf)
    assert _values(again, TableId.T02) == _values(scanned, TableId.T02)


@needs_ocr
@pytest.mark.slow
def test_a_png_given_directly(tmp_path: Path, scanned: Report, offline: None) -> None:
    report = api.load(_png(tmp_path / "page.png"))
    values = _values(report, TableId.T02)
    assert values and values.items() <= _values(scanned, TableId.T02).items()
    assert report.table(TableId.T02).rows[0].cells  # the figures of the page's rows


def _docx_with_picture(path: Path, png: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("2021年度某单位部门决算")
    document.add_paragraph("图为本单位收入决算表：")
    document.add_picture(str(png))
    document.save(str(path))
    return path


@needs_ocr
@pytest.mark.slow
def test_a_table_pictured_in_a_word_document(
    tmp_path: Path, scanned: Report, offline: None
) -> None:
    path = _docx_with_picture(tmp_path / "report.docx", _png(tmp_path / "page.png"))
    report = api.load(path)
    values = _values(report, TableId.T02)
    assert values and values.items() <= _values(scanned, TableId.T02).items()
    cell = next(c for r in report.table(TableId.T02).rows for c in r.cells.values() if c.value)
    assert cell.source is not None and cell.source.confidence is not None
    assert cell.source.page is None  # a Word document has no pages; the line of the picture
    assert any("图片" in note for note in report.reader_notes)


@needs_ocr
@pytest.mark.slow
def test_an_image_embedded_in_an_html_page(tmp_path: Path, scanned: Report, offline: None) -> None:
    data = base64.b64encode(_png(tmp_path / "page.png").read_bytes()).decode()
    page = tmp_path / "report.html"
    page.write_text(
        "<html><body><p>2021年度某单位部门决算</p>"
        f'<img src="data:image/png;base64,{data}"><img src="http://example.invalid/x.png">'
        "</body></html>",
        encoding="utf-8",
    )
    report = api.load(page)
    assert _values(report, TableId.T02).items() <= _values(scanned, TableId.T02).items()
    assert _values(report, TableId.T02)


@needs_ocr
def test_never_leaves_a_scan_unread(scan_pdf: Path) -> None:
    with pytest.raises(InputError) as info:
        api.load(scan_pdf, ocr="never")
    assert "--ocr never" in info.value.one_line()


def test_without_the_extra_a_scan_says_how_to_enable_ocr(
    scan_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(InputError) as info:
        api.load(scan_pdf)
    line = info.value.one_line()
    assert "make ocr" in line and "\n" not in line
    with pytest.raises(InputError, match="make ocr"):
        api.load(_png(scan_pdf.parent / "page.png"))


def test_an_unknown_mode_is_one_line(scan_pdf: Path) -> None:
    with pytest.raises(InputError, match="auto, always or never"):
        api.load(scan_pdf, ocr="sometimes")


def test_a_text_layer_pdf_is_not_ocr_read(text_layer: Report) -> None:
    """auto uses the text layer where there is one: no figure carries a confidence."""
    assert all(
        c.source is None or c.source.confidence is None
        for t in text_layer.tables.values()
        for r in t.rows
        for c in r.cells.values()
    )
    assert not any("OCR" in n for n in text_layer.reader_notes)


def test_the_page_box_maps_back_through_the_straightening() -> None:
    """A box found on the straightened image lands on the printed page as rotated back."""
    import math

    from juesuan.readers.ocr_page import _Place

    angle = math.radians(1.0)
    cos, sin = math.cos(angle), math.sin(angle)
    # straightened = R · original (about the origin, no border): a point's way there and back
    matrix = (cos, sin, 0.0, -sin, cos, 0.0)
    scan = ocr.Scan(1000, 1000, 1.0, matrix, (), ())
    place = _Place(scan, 0.5, (10.0, 20.0))
    x, y = 400.0, 300.0  # a pixel of the original image
    sx, sy = cos * x + sin * y, -sin * x + cos * y  # where straightening put it
    fx, fy = place.frame(sx, sy)
    box = place.page_box((fx, fy, fx, fy))
    assert box[0] == pytest.approx(10 + x * 0.5, abs=0.01)
    assert box[1] == pytest.approx(20 + y * 0.5, abs=0.01)


def test_the_cache_round_trips_a_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.readers import ocr_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    word = ocr.Word("2,170,014.34", 0.98, ((1.0, 2.0), (30.0, 2.0), (30.0, 9.0), (1.0, 9.0)))
    scan = ocr.Scan(40, 20, 0.5, (1.0, 0.0, 0.0, 0.0, 1.0, 0.0), (word,), ((0, 1, 40, 1),))
    ocr_cache.store("ab" * 32, scan)
    ocr_cache.store_lines("ef" * 32, scan.lines)
    assert (tmp_path / "juesuan" / "ocr" / "ab").is_dir()
    back = ocr_cache.load("ab" * 32)
    assert back is not None and back.words == scan.words and back.angle == scan.angle
    assert ocr_cache.load_lines("ef" * 32) == scan.lines
    assert ocr_cache.load("cd" * 32) is None and ocr_cache.load_lines("cd" * 32) is None
    (tmp_path / "juesuan" / "ocr" / "ab" / f"{'ab' * 32}.json").write_text("{not json")
    assert ocr_cache.load("ab" * 32) is None  # a damaged entry is read again, not an error


def test_image_formats_are_recognised_by_content() -> None:
    from juesuan.readers import choose

    png = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (4, 4), "white").save(png, "PNG")
    assert choose(png.getvalue(), Path("x.bin")) == ("image", "read_image")
    assert choose(b"\xff\xd8\xff\xe0" + b"0" * 20, Path("scan.jpg"))[0] == "image"
    assert choose(b"II*\x00" + b"0" * 20, Path("scan.tif"))[0] == "image"


@needs_ocr
@pytest.mark.slow
def test_audit_reads_an_image_only_narrative_page(
    tmp_path: Path, cache: Path, offline: None
) -> None:
    """Seed 002's cover and the first page of its 情况说明 as pixels: the audit finds the doubled
    万 in the OCR'd text (the same finding the text layer gives)."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(PDFS / "seed002-docx.pdf"))
    new = pdfium.PdfDocument.new()
    for index in (0, 10):
        page = src[index]
        width, height = page.get_width(), page.get_height()
        pixels = page.render(scale=DPI / 72).to_pil().convert("RGB")
        target = new.new_page(width, height)
        image = pdfium.PdfImage.new(new)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(pixels))
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        target.insert_obj(image)
        target.gen_content()
    path = tmp_path / "narrative.pdf"
    new.save(str(path))
    result = api.audit(path)
    doubled = [f for f in result.findings if f.rule_id == "N.unit" and "万万元" in f.message]
    assert doubled, [f.message[:60] for f in result.findings][:20]
    source = doubled[0].location.source
    assert source is not None and source.page == 2 and source.confidence is not None


@pytest.mark.parametrize("command", ["import", "check", "audit", "annotate"])
def test_the_command_line_takes_the_ocr_mode(command: str, scan_pdf: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from juesuan.cli import app

    args = [command, str(scan_pdf), "--ocr", "never"]
    if command in ("import", "annotate"):
        args += ["-o", str(tmp_path / "out")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "--ocr never" in result.output and result.output.count("\n") == 1
    wrong = CliRunner().invoke(app, [command, str(scan_pdf), "--ocr", "sometimes"])
    assert wrong.exit_code == 2 and "sometimes" in wrong.output


def _table_as_picture(path: Path) -> Path:
    """Page 3 with its ruled table replaced by a picture of it: the title and unit stay text,
    the table is only pixels (a table pasted into a Word document as an image)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from juesuan.readers.pdf_page import page_layout

    pixels = _render(PAGES[0])
    doc = pdfium.PdfDocument(str(SOURCE))
    keep = [i for i in range(len(doc)) if i != PAGES[0] - 1]
    for i in reversed(keep):
        doc.del_page(i)
    page = doc[0]
    height = page.get_height()
    layout, _ = page_layout(page, str(path), 1).tables[0]
    x0, top, x1, bottom = layout.xs[0] - 2, layout.ys[0] - 2, layout.xs[-1] + 2, layout.ys[-1] + 2
    for obj in list(page.get_objects(max_depth=1)):
        if obj.type not in (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH):
            continue
        left, low, right, high = obj.get_bounds()
        cx, cy = (left + right) / 2, height - (low + high) / 2
        if x0 <= cx <= x1 and top <= cy <= bottom:
            page.remove_obj(obj)
    scale = DPI / 72
    crop = pixels.crop((int(x0 * scale), int(top * scale), int(x1 * scale), int(bottom * scale)))
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(crop))
    image.set_matrix(pdfium.PdfMatrix().scale(x1 - x0, bottom - top).translate(x0, height - bottom))
    page.insert_obj(image)
    page.gen_content()
    doc.save(str(path))
    return path


@needs_ocr
@pytest.mark.slow
def test_a_table_pictured_on_a_text_page(
    tmp_path: Path, cache: Path, text_layer: Report, offline: None
) -> None:
    path = _table_as_picture(tmp_path / "picture.pdf")
    assert not api.load(path, ocr="never").table(TableId.T02).rows  # the text layer has no table
    report = api.load(path)
    values = _values(report, TableId.T02)
    assert values and values.items() <= _values(text_layer, TableId.T02).items()
    assert report.table(TableId.T02).title == text_layer.table(TableId.T02).title  # from text
    for row in report.table(TableId.T02).rows:
        for column, cell in row.cells.items():
            original = text_layer.table(TableId.T02).row(row.key)
            if cell.value is None or original is None:
                continue
            source, printed = cell.source, original.cells[column].source
            assert source is not None and source.confidence is not None
            assert source.bbox is not None and printed is not None and printed.bbox is not None
            assert all(abs(a - b) < 6 for a, b in zip(source.bbox, printed.bbox, strict=True))


def _grid_scan(words: list[tuple[str, float, float, float, float]]) -> ocr.Scan:
    """A scan of a ruled 3-column table (pixels = points): columns at x 100/300/500/700, rows
    at y 100/150/200, and the given words (text, x0, y0, x1, y1)."""
    lines: list[tuple[int, int, int, int]] = [(x, 100, x, 200) for x in (100, 300, 500, 700)]
    lines += [(100, y, 700, y) for y in (100, 150, 200)]
    found = tuple(
        ocr.Word(text, 0.99, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))
        for text, x0, y0, x1, y1 in words
    )
    return ocr.Scan(800, 300, 0.0, (1.0, 0.0, 0.0, 0.0, 1.0, 0.0), found, tuple(lines))


def test_a_word_drawn_across_a_ruling_is_cut_there() -> None:
    """The detector read a figure printed hard against its border and the next cell's label
    as one word (101's 收入支出决算总表): each part goes to its own cell."""
    from juesuan.readers.ocr_page import page_items

    scan = _grid_scan(
        [
            ("项目", 110, 110, 150, 140),
            ("2,940.05一般公共服务支出", 210, 160, 480, 190),
            ("合计", 510, 110, 550, 140),
        ]
    )
    lines, grids = page_items(scan, "scan.png", 1, scale=1.0)
    assert not lines
    (grid,) = grids
    assert [c.text for c in grid.rows[1]] == ["2,940.05", "一般公共服务支出", ""]
    assert [c.text for c in grid.rows[0]] == ["项目", "", "合计"]
    assert all(c.source is not None and c.source.confidence == 0.99 for c in grid.rows[1][:2])


def test_gridlines_of_a_bar_chart_are_not_a_table() -> None:
    """A boxed chart: its border and gridlines run the whole width, but the only other
    verticals are the edges of bars, a bar wide apart: no table (1156's charts were one)."""
    from juesuan.readers.ocr_page import ruled_tables

    lines = [(100, y, 700, y) for y in range(100, 401, 50)]  # box top/bottom and gridlines
    lines += [(100, 100, 100, 400), (700, 100, 700, 400)]  # the box's sides
    for left in (200, 350, 500):  # three bars, 20 px wide, up to the second gridline
        lines += [(left, 300, left, 400), (left + 20, 300, left + 20, 400)]
    assert ruled_tables(lines, 1.0) == []
    # the same frame with column rulings through every row is a table
    table = [(100, y, 700, y) for y in range(100, 401, 50)]
    table += [(x, 100, x, 400) for x in (100, 250, 400, 550, 700)]
    (found,) = ruled_tables(table, 1.0)
    assert (found.n_rows, found.n_cols) == (6, 4)


def test_a_figure_overrunning_its_ruling_by_less_than_a_digit_stays_whole() -> None:
    """The detector's box of a figure printed hard against its right border ends a little past
    the ruling: an estimate's error, not a word across two cells (101's 450.96 lost its 6)."""
    from juesuan.readers.ocr_page import page_items

    scan = _grid_scan(
        [
            ("项目", 110, 110, 150, 140),
            ("450.96", 420, 160, 505, 190),
            ("39907", 508, 160, 560, 190),
        ]
    )
    _, (grid,) = page_items(scan, "scan.png", 1, scale=1.0)
    assert [c.text for c in grid.rows[1]] == ["", "450.96", "39907"]


def test_strokes_hanging_from_a_border_are_not_columns() -> None:
    """Short verticals under the bottom border (the strokes of a blurred note line under the
    table) touch one ruling only: they bound no cell and make no column."""
    from juesuan.readers.ocr_page import ruled_tables

    lines = [(x, 100, x, 200) for x in (100, 300, 500, 700)]
    lines += [(100, y, 700, y) for y in (100, 150, 200)]
    plain = ruled_tables(lines, 1.0)
    stubs = [*lines, (150, 199, 150, 230), (420, 198, 420, 232)]
    (found,) = ruled_tables(stubs, 1.0)
    assert found.xs == plain[0].xs and found.ys == plain[0].ys


def test_strokes_of_blurred_characters_are_not_rulings() -> None:
    """On a blurred scan the line detector finds the strokes of characters inside a cell; they
    lie inside the words the recogniser boxed and make no column (001's 06 table at 150 dpi
    degraded had two sliver columns of them and lost its figures)."""
    from juesuan.readers.ocr_page import page_items

    words = [("项目", 110, 110, 150, 140), ("一般公共服务", 310, 160, 480, 190)]
    plain = _grid_scan(words)
    strokes = [(350, 155, 350, 195), (420, 156, 420, 196), (330, 175, 470, 175)]
    scan = ocr.Scan(800, 300, 0.0, plain.matrix, plain.words, (*plain.lines, *strokes))
    _, (grid,) = page_items(scan, "scan.png", 1, scale=1.0)
    assert grid.xs == [100.0, 300.0, 500.0, 700.0]
    assert [c.text for c in grid.rows[1]] == ["", "一般公共服务", ""]


def test_two_figures_read_as_one_word_are_cut_at_the_ruling_and_flagged() -> None:
    """Nothing tells where one figure ends and the next begins (no space, no label): the cut is
    the estimate's, so both cells say their figures may be the OCR's."""
    from juesuan.readers.ocr_page import DOUBTFUL, page_items

    scan = _grid_scan([("项目", 110, 110, 150, 140), ("1,234.565,678.90", 200, 160, 400, 190)])
    _, (grid,) = page_items(scan, "scan.png", 1, scale=1.0)
    first, second = grid.rows[1][0], grid.rows[1][1]
    assert first.text + second.text == "1,234.565,678.90" and first.text and second.text
    assert first.source is not None and first.source.confidence == DOUBTFUL
    assert second.source is not None and second.source.confidence == DOUBTFUL
    # with a space between them the cut is sure
    scan = _grid_scan([("项目", 110, 110, 150, 140), ("1,234.56 5,678.90", 200, 160, 400, 190)])
    _, (grid,) = page_items(scan, "scan.png", 1, scale=1.0)
    assert [c.text for c in grid.rows[1][:2]] == ["1,234.56", "5,678.90"]
    assert all(c.source is not None and c.source.confidence == 0.99 for c in grid.rows[1][:2])
