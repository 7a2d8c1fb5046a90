"""The printed layout and 公开表.xlsx (fast: no charts, no PDF)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.model.layout import FINAL_TABLES, TableId
from juesuan.model.report import Report
from juesuan.readers.text import read_text
from juesuan.writers import EMPTY_NOTE, printed_table, printed_tables
from juesuan.writers.xlsx import number_format, write_tables_xlsx
from tests.writers.roundtrip import cell_differences, printed_decimal, xlsx_as_text

D = Decimal


def test_grids_are_rectangular_and_spans_cover_none(seed002: Report) -> None:
    for t in printed_tables(seed002):
        covered = set()
        for i, row in enumerate(t.grid):
            assert len(row) == t.width
            for j, cell in enumerate(row):
                if cell is None:
                    continue
                for a in range(i, i + cell.rowspan):
                    for b in range(j, j + cell.colspan):
                        if (a, b) != (i, j):
                            covered.add((a, b))
        nones = {(i, j) for i, row in enumerate(t.grid) for j, c in enumerate(row) if c is None}
        assert nones == covered, t.id


def test_two_sided_table_01_layout(seed002: Report) -> None:
    t = printed_table(seed002, TableId.T01)
    head = [[c.text if c else None for c in row] for row in t.grid[: t.header_rows]]
    assert head[0][0] == "收入" and head[0][3] == "支出"
    assert head[1] == ["项目", "行次", "金额", "项目", "行次", "金额"]
    assert head[2][0] == "栏次"
    body = t.grid[t.header_rows :]
    assert [c.text for c in body[0] if c] == [
        "一、一般公共预算财政拨款收入",
        "1",
        "2,170,014.34",
        "一、一般公共服务支出",
        "31",
        "",
    ]
    last = [c.text for c in body[-1] if c]
    assert last[0] == "总 计" or last[0].replace(" ", "") == "总计"
    assert last[2] == "2,170,184.18" and last[5] == "2,170,184.18"
    # 本年收入合计 and 本年支出合计 on the same line
    line = next(r for r in body if r[0] and r[0].text == "本年收入合计")
    assert line[3] is not None and line[3].text == "本年支出合计"


def test_headers_merge_like_the_template(seed002: Report) -> None:
    t03 = printed_table(seed002, TableId.T03)
    assert (t03.grid[0][0].text, t03.grid[0][0].colspan) == ("项目", 2)  # type: ignore[union-attr]
    assert t03.grid[1][0].text == "功能分类科目编码"  # type: ignore[union-attr]
    assert t03.grid[0][2].rowspan == 2  # type: ignore[union-attr]  # 本年支出合计
    t05 = printed_table(seed002, TableId.T05)
    assert (t05.grid[0][2].text, t05.grid[0][2].colspan) == ("本年支出", 3)  # type: ignore[union-attr]
    assert [c.text for c in t05.grid[1][2:] if c] == ["小计", "基本支出", "项目支出"]
    t07 = printed_table(seed002, TableId.T07)
    top = [(c.text, c.colspan) for c in t07.grid[0] if c]
    assert top == [("预算数", 6), ("决算数", 6)]
    assert [c.text for c in t07.grid[2] if c][:3] == ["小计", "公务用车购置费", "公务用车运行费"]
    t06 = printed_table(seed002, TableId.T06)
    assert [(c.text, c.colspan) for c in t06.grid[0] if c] == [("人员经费", 3), ("公用经费", 6)]
    bottom = [c.text for c in t06.grid[-1] if c]
    assert bottom == ["人员经费合计", "1,521,517.54", "公用经费合计", "90,700.00"]


def test_empty_tables_say_no_data(seed002: Report) -> None:
    assert any("本表无数据" in n for n in printed_table(seed002, TableId.T08).notes)
    assert not printed_table(seed002, TableId.T01).empty
    absent = Report(unit_name="某单位", year=2021)
    t = printed_table(absent, TableId.T02)
    assert t.empty and EMPTY_NOTE in t.notes


def test_number_format_keeps_printed_decimals() -> None:
    assert number_format(D("12.30")) == "#,##0.00"
    assert number_format(D("12")) == "#,##0"
    assert number_format(None) == "#,##0.00"


@pytest.fixture(scope="module")
def xlsx(seed002: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tables_xlsx(seed002, tmp_path_factory.mktemp("xlsx") / "公开表.xlsx")


def test_xlsx_reads_back_through_the_project_assembler(seed002: Report, xlsx: Path) -> None:
    """The sheets, seen as the seeds' text form, give back every cell exactly."""
    back = read_text(xlsx_as_text(xlsx).encode("utf-8"), Path("公开表.txt"))
    assert cell_differences(seed002, back) == []
    assert back.unit_name == seed002.unit_name and back.year == seed002.year
    assert {t: back.table(t).status for t in FINAL_TABLES} == {
        t: seed002.table(t).status for t in FINAL_TABLES
    }


def test_xlsx_cells_numbers_merges_and_formats(seed002: Report, xlsx: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)
    assert len(wb.worksheets) == 10  # the nine tables and the example's 部门整体绩效自评表
    ws = wb.worksheets[0]
    assert ws["A1"].value == "收入支出决算总表" and ws["A2"].value == "公开01表"
    assert ws["A5"].value == "金额单位：元"
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A6:C6", "D6:F6"} <= merged  # 收入 | 支出
    numbers = [c for row in ws.iter_rows() for c in row if isinstance(c.value, int | float)]
    assert numbers and all(c.number_format == "#,##0.00" for c in numbers)
    # every model figure of 01 appears as a number with its printed precision
    printed = [printed_decimal(c.value, c.number_format) for c in numbers]
    expected = [
        c.value for r in seed002.table("01").rows for c in r.cells.values() if c.value is not None
    ]
    assert sorted(map(str, printed)) == sorted(map(str, expected))
    # blank stays blank (None), printed 0.00 is the number 0
    row8 = next(r for r in ws.iter_rows() if r[0].value == "二、政府性基金预算财政拨款收入")
    assert row8[2].value is None
    row4 = next(r for r in ws.iter_rows() if r[0].value == "四、上级补助收入")
    assert row4[2].value == 0 and row4[2].number_format == "#,##0.00"
    ws3 = wb.worksheets[2]
    merged3 = {str(m) for m in ws3.merged_cells.ranges}
    assert {"A6:B6", "C6:C7"} <= merged3  # 项目 over 编码/名称; 本年支出合计 down two rows
    ws7 = wb.worksheets[6]
    merged7 = {str(m) for m in ws7.merged_cells.ranges}
    assert {"A6:F6", "G6:L6", "C7:E7", "A7:A8"} <= merged7
    ws8 = wb.worksheets[7]
    assert any("本表无数据" in str(c.value) for row in ws8.iter_rows() for c in row if c.value)


def test_xlsx_reads_back_with_the_project_reader(seed002: Report, xlsx: Path) -> None:
    pytest.importorskip("juesuan.readers.xlsx")
    from juesuan.readers import read

    assert cell_differences(seed002, read(xlsx)) == []
