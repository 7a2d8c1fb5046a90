"""Ruled tables as real producers draw them. Each test PDF (``tests/data/draw_pdfs.py``) is named
after a way of drawing that once broke the reader; each test first checks that the PDF really
draws that way (so the test can fail), then that every cell reads exactly.

Every cell of these PDFs is also checked by ``test_pdf.py`` (cells, labels, notes, findings,
provenance), like every test PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.model.serialize import report_from_json
from juesuan.readers import read
from juesuan.readers.pdf import read_pdf
from juesuan.readers.pdf_grid import frames
from juesuan.readers.pdf_page import PageLayout, page_layout
from juesuan.readers.pdf_rulings import Ruling, join, page_segments
from juesuan.readers.pdf_settings import DEFAULT_SETTINGS, PdfSettings, resolve

PDFS = Path(__file__).resolve().parents[1] / "data" / "pdfs"
S = DEFAULT_SETTINGS


def _truth(name: str) -> Report:
    return report_from_json(json.loads((PDFS / f"{name}.truth.json").read_text("utf-8")))


def _wrong_cells(name: str, got: Report, tables: tuple[TableId, ...] = tuple(TableId)) -> list[Any]:
    truth = _truth(name)
    wrong = []
    for tid in tables:
        for row in truth.table(tid).rows:
            mine = got.table(tid).row(row.key)
            for column, cell in row.cells.items():
                value = mine.value(column) if mine is not None else "missing row"
                if str(value) != str(cell.value):
                    wrong.append((tid.value, row.key, column, cell.value, value))
    return wrong


def _page_of(name: str, title: str) -> tuple[Any, Any, int]:
    """The document and the page where the table titled ``title`` starts."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(PDFS / f"{name}.pdf"))
    for i in range(1, len(doc)):  # page 1 is the table of contents
        text = doc[i].get_textpage().get_text_range()
        if title in text and "公开" in text:
            return doc, doc[i], i + 1
    raise AssertionError(f"{title} not found in {name}")


def _layout(name: str, title: str) -> tuple[list[Ruling], PageLayout]:
    doc, page, number = _page_of(name, title)
    try:
        segments = page_segments(page, page.get_height(), S)
        return segments, page_layout(page, name, number, S)
    finally:
        doc.close()


def _touches(a: Ruling, b: Ruling, tol: float) -> bool:
    h, v = (a, b) if a.horizontal else (b, a)
    return h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol


def _header_names(layout: PageLayout) -> list[str]:
    (_, grid), *_ = layout.tables
    return [c.text.replace(" ", "") for r in grid.rows[:3] for c in r if c.text]


# --- the four layouts ---------------------------------------------------------------------------


def test_segmented_header_borders() -> None:
    """ONLYOFFICE (report 001): a tall header cell's vertical border is one short segment per
    text line; the middle ones touch no horizontal rule and used to be dropped, so neighbouring
    header cells merged ("合计 基本支出 项目支出科目名称") and the value columns were lost."""
    name = "synth3-segmented-header-borders"
    segments, layout = _layout(name, "收入决算表")
    horizontal = [s for s in segments if s.horizontal]
    floating = [
        s
        for s in segments
        if not s.horizontal and not any(_touches(s, h, S.touch) for h in horizontal)
    ]
    assert len(floating) >= 7  # one per value column of the header at least
    assert len(layout.tables) == 1
    names = _header_names(layout)
    for word in ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "其他收入"):
        assert word in names, names
    # the grid knows how far each merged header cell reaches: 本年收入合计 spans the three
    # header rows above 栏次, 项目 the four code and name columns
    (_, grid), *_ = layout.tables
    where = {
        grid.rows[i][j].text.replace(" ", ""): (i, j, *end) for (i, j), end in grid.spans.items()
    }
    assert where["本年收入合计"][0::2] == (0, 2) and where["项目"][1::2] == (0, 3)
    assert _wrong_cells(name, read(PDFS / f"{name}.pdf")) == []


def test_frame_split_by_gaps() -> None:
    """Word 2010 (report 002): every border stops ~1 pt short of each crossing, where a small
    square is drawn, also inside merged cells; the header band and the body became two
    grids and the whole table was lost."""
    name = "synth4-frame-split-by-gaps"
    segments, layout = _layout(name, "支出决算表")
    verticals = [s for s in segments if not s.horizontal]
    ys = sorted({round(s.pos, 1) for s in segments if s.horizontal})
    # no drawn vertical piece crosses a row boundary: the frame is all pieces
    assert all(not any(s.start + 0.5 < y < s.end - 0.5 for y in ys) for s in verticals)
    assert len(layout.tables) == 1  # one frame: header and body together
    (_, grid), *_ = layout.tables
    texts = [c.text.replace(" ", "") for r in grid.rows for c in r]
    assert "本年支出合计" in texts and "合计" in texts
    assert _wrong_cells(name, read(PDFS / f"{name}.pdf")) == []


def test_fills_and_overlapping_duplicate_lines() -> None:
    """Shaded header cells and white body cells are filled rectangles (not borders); every
    border is drawn twice a fraction of a point apart and the outer frame once more as long
    lines; white lines run across merged cells. The fills and white lines are no rulings and
    the duplicates are one."""
    name = "synth6-fills-duplicate-lines"
    segments, layout = _layout(name, "收入决算表")
    assert len(segments) >= 2 * len(layout.rulings)  # the duplicates were drawn
    for a in layout.rulings:  # ... and merged: no two rulings on top of each other
        for b in layout.rulings:
            if a is not b and a.horizontal is b.horizontal and abs(a.pos - b.pos) <= S.snap:
                assert a.end < b.start or b.end < a.start
    ((table, grid),) = layout.tables
    # 项目 spans the code and name columns: the white line between them is not a border
    assert grid.rows[0][0].text == "项目" and table.anchor[0][1] == (0, 0)
    assert _wrong_cells(name, read(PDFS / f"{name}.pdf")) == []


def test_cell_boxes_and_a_small_font() -> None:
    """Each cell drawn as its own box over a white fill, table 04 in a 5-pt font (report 101)."""
    name = "synth8-cell-boxes-small-font"
    _, layout = _layout(name, "财政拨款收入支出决算总表")
    assert len(layout.tables) == 1
    got = read(PDFS / f"{name}.pdf")
    assert _wrong_cells(name, got, (TableId.T04,)) == []
    assert _wrong_cells(name, got) == []


# --- joining segments ----------------------------------------------------------------------------


def _h(pos: float, start: float, end: float) -> Ruling:
    return Ruling(True, pos, start, end)


def _v(pos: float, start: float, end: float) -> Ruling:
    return Ruling(False, pos, start, end)


def test_collinear_segments_join_across_small_gaps_only() -> None:
    got = join([_v(10, 0, 20), _v(10.2, 21, 40), _v(10, 40, 60), _v(10, 70, 80)], S)
    assert [(round(r.start), round(r.end)) for r in got] == [(0, 60), (70, 80)]
    assert all(9.9 < r.pos < 10.3 for r in got)


def test_duplicate_and_overlapping_lines_merge() -> None:
    got = join([_h(5, 0, 100), _h(5.3, 0, 100), _h(5, 20, 50), _h(30, 0, 100)], S)
    assert sorted((round(r.pos), r.start, r.end) for r in got) == [(5, 0, 100), (30, 0, 100)]


def test_parallel_rulings_apart_stay_apart() -> None:
    got = join([_h(5, 0, 100), _h(8, 0, 100)], S)
    assert len(got) == 2


def test_a_box_around_text_is_no_table() -> None:
    box = [_h(0, 0, 100), _h(20, 0, 100), _v(0, 0, 20), _v(100, 0, 20)]
    (frame,) = frames(box, S)
    from juesuan.readers.pdf_grid import layout

    assert layout(frame, S) is None  # one column: a boxed note
    assert layout([*frame, _v(50, 0, 20)], S) is not None


def test_a_row_carried_to_the_next_page_under_no_ruling_is_a_row() -> None:
    """西安 2022 budgets: the page a table continues on prints its first row under the column
    borders with no ruling above it; that row is part of the grid, not a text line that ends
    the table (geometry of 1170's page 28, three columns)."""
    from juesuan.readers.pdf_grid import layout

    rows = [52.4, 69.0, 85.7]
    frame = [_h(y, 35.4, 808.4) for y in rows] + [_v(x, 36.0, 85.7) for x in (35.2, 55.6, 808.7)]
    got = layout(frame, S)
    assert got is not None and [round(y, 1) for y in got.ys] == [36.0, 52.4, 69.0, 85.7]
    # column borders that overshoot a drawn top border by less than a row add nothing
    short = [_h(y, 35.4, 808.4) for y in rows] + [_v(x, 50.0, 85.7) for x in (35.2, 55.6, 808.7)]
    assert [round(y, 1) for y in layout(short, S).ys] == rows  # type: ignore[union-attr]
    # nor does one column border running on alone (a rule beside the table)
    lone = [_h(y, 35.4, 808.4) for y in rows] + [
        _v(35.2, 36.0, 85.7),
        _v(55.6, 52.4, 85.7),
        _v(808.7, 52.4, 85.7),
    ]
    assert [round(y, 1) for y in layout(lone, S).ys] == rows  # type: ignore[union-attr]


def _chars(text: str, x0: float, top: float, width: float = 9.0) -> list[Any]:
    from juesuan.readers.pdf_page import Char

    return [
        Char(ch, x0 + i * width, top, x0 + (i + 1) * width, top + 9) for i, ch in enumerate(text)
    ]


def test_a_label_longer_than_its_cell_stays_whole() -> None:
    """西安 2022: 其他社会保障和就业支出 runs past its cell's right border (clipped in print); the
    overrun 出 went to the 合计 cell beside it, whose figure then read as text, not an amount."""
    from juesuan.readers.pdf_grid import layout
    from juesuan.readers.pdf_page import _fill, _run_of

    frame = [_h(y, 0, 300) for y in (0, 20)] + [_v(x, 0, 20) for x in (0, 90, 200, 300)]
    table = layout(frame, S)
    assert table is not None
    label = _run_of(_chars("其他社会保障和就业支出", 2.0, 5.0, 8.5))  # ends at 95.5
    figure = _run_of(_chars("1090.22", 160.0, 5.0, 5.0))
    grid, _ = _fill(table, [label, figure], "x.pdf", 1, S)
    assert [c.text for c in grid.rows[0]] == ["其他社会保障和就业支出", "1090.22", ""]
    # header words filling their cells up to a shared border stay apart (西安 2020)
    header = _run_of(_chars("公用经费支出", 36.0, 5.0) + _chars("专项业务经费支出", 91.0, 5.0))
    grid, _ = _fill(table, [header], "x.pdf", 1, S)
    assert [c.text for c in grid.rows[0]] == ["公用经费支出", "专项业务经费支出", ""]
    # figures printed without a gap across a border still split there
    joined = _run_of(_chars("合计", 70.0, 5.0) + _chars("12.00", 88.0, 5.0, 5.0))
    grid, _ = _fill(table, [joined], "x.pdf", 1, S)
    assert [c.text for c in grid.rows[0]] == ["合计", "12.00", ""]


def test_a_title_printed_three_times_over_itself_reads_once() -> None:
    """西安 2022 budgets make bold by printing the title, and some tables, three to six times a
    fraction of a point apart; the copies interleaved into 222000222222年年年部部部门门门."""
    from juesuan.readers.pdf_page import _run_of, _without_overprints

    title = "2022年部门综合预算收支总表"
    copies = [_run_of(_chars(title, 299.52 + dx, 60.0 + dx, 16.8)) for dx in (0.0, 0.15, 0.3)]
    other = _run_of(_chars(title, 299.52, 90.0, 16.8))  # the same words on another line
    zero = [_run_of(_chars("0.00", x, 120.0, 4.0)) for x in (100.0, 200.0)]  # two cells
    got = _without_overprints([*copies, other, *zero], S.overprint)
    assert got == [copies[0], other, *zero]


# --- settings ------------------------------------------------------------------------------------


def test_settings_resolve_and_validate() -> None:
    assert resolve(None) is DEFAULT_SETTINGS
    assert resolve({"join_gap": 0.0}).join_gap == 0.0
    custom = PdfSettings(snap=1.0)
    assert resolve(custom) is custom
    with pytest.raises(TypeError):
        resolve({"no_such_tolerance": 1})
    with pytest.raises(ValueError):
        PdfSettings(join_gap=-1)
    with pytest.raises(ValueError):
        PdfSettings(space_gap=3.0)


def test_settings_reach_the_page_reader() -> None:
    """Without joining across gaps the Word-style frame falls apart again: the tolerance is
    passed down, not a module constant."""
    name = "synth4-frame-split-by-gaps"
    data = (PDFS / f"{name}.pdf").read_bytes()
    strict = read_pdf(data, PDFS / f"{name}.pdf", settings={"join_gap": 0.0})
    assert _wrong_cells(name, strict, (TableId.T03,))
    default = read_pdf(data, PDFS / f"{name}.pdf")
    assert _wrong_cells(name, default, (TableId.T03,)) == []
