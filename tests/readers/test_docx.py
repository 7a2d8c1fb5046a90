"""DOCX/DOC reader: Word tables with merged header cells and the paragraphs around them."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.api import check
from juesuan.errors import InputError
from juesuan.model.amount import Unit
from juesuan.model.report import Report
from juesuan.readers import read
from juesuan.readers.blocks import Paragraph, TableBlock
from juesuan.readers.docx import docx_blocks
from tests.readers.fixtures_office import (
    assert_same_tables,
    convert,
    finding_keys,
    printed,
    soffice,
    write_docx,
)
from tests.synth import generate_report


def test_seed002_round_trip(seed002: Report, tmp_path: Path) -> None:
    path = write_docx(printed(seed002), tmp_path / "seed002.docx")
    got = read(path)
    assert assert_same_tables(seed002, got) > 500
    assert finding_keys(check(path).findings) == finding_keys(check(seed002).findings)
    assert [(s.number, s.title, s.text) for s in got.sections] == [
        (s.number, s.title, s.text) for s in seed002.sections
    ]
    value = got.table("06").row("30106").value("决算数")  # type: ignore[union-attr]
    assert value == Decimal("944.59")


@pytest.mark.parametrize("unit", [Unit.YUAN, Unit.WAN_YUAN])
def test_synthetic_round_trip(unit: Unit, tmp_path: Path) -> None:
    report = generate_report(7, unit=unit, with_funds=unit is Unit.YUAN)
    path = write_docx(printed(report), tmp_path / "synth.docx")
    got = read(path)
    assert_same_tables(report, got)
    assert {t.unit for t in got.tables.values()} == {unit}
    assert finding_keys(check(path).findings) == finding_keys(check(report).findings)


def test_merged_header_is_one_text_then_empty_positions(seed002: Report, tmp_path: Path) -> None:
    path = write_docx(printed(seed002), tmp_path / "seed002.docx")
    tables = [b for b in docx_blocks(path.read_bytes(), path) if isinstance(b, TableBlock)]
    t02 = [[c.text for c in row] for row in tables[1].rows]
    # 项目 spans two columns; 本年收入合计 … span two rows
    assert t02[0][:4] == ["项目", "", "本年收入合计", "财政拨款收入"]
    assert t02[1][:4] == ["功能分类科目编码", "科目名称", "", ""]
    t07 = [[c.text for c in row] for row in tables[6].rows]
    assert t07[0][:7] == ["预算数", "", "", "", "", "", "决算数"]
    assert t07[1][:6] == ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"]
    assert t07[2][:6] == ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]


def test_source_line_counts_paragraphs_and_rows(seed002: Report, tmp_path: Path) -> None:
    path = write_docx(printed(seed002), tmp_path / "seed002.docx")
    blocks = docx_blocks(path.read_bytes(), path)
    got = read(path)
    row = got.table("01").row("本年收入合计")
    assert row is not None and row.source is not None
    assert row.source.file == str(path)
    # 3 front paragraphs, title + 4 lines above, 2 header rows, 9th income row
    assert row.source.line == 3 + 5 + 2 + 9
    assert row.cell("决算数").source == row.source
    lines = [b.source.line or 0 for b in blocks if isinstance(b, Paragraph) and b.source]
    assert lines == sorted(lines)


def test_truncated_docx_is_one_line_input_error(seed002: Report, tmp_path: Path) -> None:
    good = write_docx(printed(seed002), tmp_path / "good.docx")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[:5000])
    with pytest.raises(InputError) as info:
        read(bad)
    message = str(info.value)
    assert str(bad) in message and "\n" not in message and ".docx" in message


def test_docx_without_report_is_input_error(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("会议通知")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "名称"
    path = tmp_path / "notice.docx"
    document.save(str(path))
    with pytest.raises(InputError, match="no 部门决算 content"):
        read(path)


def test_doc_without_libreoffice_is_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError, match=r"legacy \.doc needs LibreOffice"):
        read(path)


@pytest.mark.slow
def test_legacy_doc_through_libreoffice(seed002: Report, tmp_path: Path) -> None:
    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice is not installed")
    docx_path = write_docx(printed(seed002), tmp_path / "seed.docx")
    doc = convert(exe, docx_path, "doc")
    got = read(doc)
    assert_same_tables(seed002, got)
    assert finding_keys(check(got).findings) == finding_keys(check(seed002).findings)
    source = got.table("03").row("208").cell("基本支出").source  # type: ignore[union-attr]
    assert source is not None and source.file == str(doc)


def test_importing_juesuan_loads_no_office_library() -> None:
    code = (
        "import sys, juesuan, juesuan.api, juesuan.readers, juesuan.readers.docx, "
        "juesuan.readers.html, juesuan.readers.xlsx\n"
        "heavy = [m for m in ('docx', 'openpyxl', 'lxml', 'xlrd', 'charset_normalizer') "
        "if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_title_unit_and_note_inside_the_table(tmp_path: Path) -> None:
    """Some publishers put the title, the unit and the note into merged rows of the table."""
    import docx

    rows = [
        ["支出决算表", "", "", ""],
        ["部门：示例单位", "", "", "金额单位：万元"],
        ["项目", "", "本年支出合计", "基本支出"],
        ["功能分类科目编码", "科目名称", "", ""],
        ["合计", "", "12.30", "12.30"],
        ["208", "社会保障和就业支出", "12.30", "12.30"],
        ["注：本表反映部门本年度各项支出情况。", "", "", ""],
    ]
    document = docx.Document()
    document.add_paragraph("2021年度部门决算")
    document.add_paragraph(
        "详见下面这一段很长的说明文字，它提到支出决算表" + "。" * 80 + "支出决算表"
    )
    table = document.add_table(rows=len(rows), cols=4)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    table.cell(0, 0).merge(table.cell(0, 3))
    table.cell(1, 0).merge(table.cell(1, 2))
    table.cell(2, 0).merge(table.cell(2, 1))
    table.cell(2, 2).merge(table.cell(3, 2))
    table.cell(2, 3).merge(table.cell(3, 3))
    table.cell(6, 0).merge(table.cell(6, 3))
    path = tmp_path / "inside.docx"
    document.save(str(path))
    report = read(path)
    t03 = report.table("03")
    assert report.unit_name == "示例单位" and report.year == 2021
    assert t03.unit is Unit.WAN_YUAN and t03.title == "支出决算表"
    assert t03.note == "注：本表反映部门本年度各项支出情况。"
    row = t03.row("208")
    assert row is not None and str(row.value("本年支出合计")) == "12.30"
