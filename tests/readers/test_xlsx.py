"""XLSX/XLS reader: one sheet per table, merged headers, numbers as numbers or text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.api import check
from juesuan.errors import InputError
from juesuan.model.amount import Unit
from juesuan.model.report import Report
from juesuan.readers import read
from juesuan.readers.xlsx import format_decimals, number_text
from tests.readers.fixtures_office import (
    assert_same_tables,
    convert,
    finding_keys,
    printed,
    soffice,
    write_xlsx,
)
from tests.synth import generate_report


def _round_trip(report: Report, path: Path, **kw: bool) -> Report:
    write_xlsx(printed(report), path, **kw)
    got = read(path)
    assert assert_same_tables(report, got) > 100
    assert finding_keys(check(path).findings) == finding_keys(check(report).findings)
    return got


def test_seed002_round_trip_numbers(seed002: Report, tmp_path: Path) -> None:
    got = _round_trip(seed002, tmp_path / "seed002.xlsx")
    assert check(got).findings  # the two known X13 warnings survive
    row = got.table("01").row("本年收入合计")
    assert row is not None and row.value("决算数") == Decimal("2170030.84")
    # blank stays blank, 0.00 stays 0.00
    assert got.table("01").row("政府性基金预算财政拨款收入").value("决算数") is None  # type: ignore[union-attr]
    zero = got.table("01").row("上级补助收入").value("决算数")  # type: ignore[union-attr]
    assert zero is not None and str(zero) == "0.00"


@pytest.mark.parametrize("seed", [1, 3])
def test_synthetic_yuan_round_trip(seed: int, tmp_path: Path) -> None:
    _round_trip(generate_report(seed, with_funds=True), tmp_path / f"s{seed}.xlsx")


@pytest.mark.parametrize("as_text", [False, True])
def test_synthetic_wan_yuan_round_trip(as_text: bool, tmp_path: Path) -> None:
    report = generate_report(4, unit=Unit.WAN_YUAN, with_funds=True)
    got = _round_trip(report, tmp_path / "wan.xlsx", numbers_as_text=as_text)
    assert {t.unit for t in got.tables.values()} == {Unit.WAN_YUAN}


def test_source_names_sheet_and_row(seed002: Report, tmp_path: Path) -> None:
    path = write_xlsx(printed(seed002), tmp_path / "seed.xlsx")
    row = read(path).table("02").row("2080108")
    assert row is not None
    source = row.cell("财政拨款收入").source
    assert source is not None and source.file == f"{path}#收入决算表"
    # title, 公开02表/unit, 部门/year, 3 header rows, 合计, 205, 20508, 2050803, 208, 20801, …
    assert source.line == 3 + 3 + 7


@pytest.mark.parametrize(
    ("fmt", "places"),
    [
        ("#,##0.00", 2),
        ("0.00_ ", 2),
        ("#,##0.00;[Red]-#,##0.00", 2),
        ("0", 0),
        ("#,##0", 0),
        ('"¥"#,##0.000', 3),
        ("General", None),
        (None, None),
        ("0.00%", None),
        ("@", None),
    ],
)
def test_format_decimals(fmt: str | None, places: int | None) -> None:
    assert format_decimals(fmt) == places


def test_number_text_is_exact_and_keeps_printed_precision() -> None:
    assert number_text(2170014.34, "#,##0.00") == "2170014.34"
    assert number_text(0.1 + 0.2, "0.00") == "0.30"
    assert number_text(0, "#,##0.00") == "0.00"
    assert number_text(12.3, "#,##0.00") == "12.30"
    assert number_text(2080108.0, "General") == "2080108"
    assert number_text(1.005, None) == "1.005"
    assert number_text(Decimal("5.5"), "0") == "6"


def test_truncated_xlsx_is_one_line_input_error(seed002: Report, tmp_path: Path) -> None:
    good = write_xlsx(printed(seed002), tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good.read_bytes()[:3000])
    with pytest.raises(InputError) as info:
        read(bad)
    message = str(info.value)
    assert str(bad) in message and "\n" not in message and "xlsx" in message


def test_workbook_without_report_is_input_error(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["名称", "数量"])
    book.active.append(["苹果", 3])
    path = tmp_path / "other.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="no 部门决算 content"):
        read(path)


@pytest.mark.slow
def test_legacy_xls_through_libreoffice(seed002: Report, tmp_path: Path) -> None:
    exe = soffice()
    if exe is None:
        pytest.skip("LibreOffice is not installed")
    xlsx = write_xlsx(printed(seed002), tmp_path / "seed.xlsx")
    xls = convert(exe, xlsx, "xls")
    got = read(xls)
    assert_same_tables(seed002, got)
    assert finding_keys(check(got).findings) == finding_keys(check(seed002).findings)
    source = got.table("02").row("2080108").cell("财政拨款收入").source  # type: ignore[union-attr]
    assert source is not None and source.file == f"{xls}#收入决算表" and source.line == 13


def test_truncated_xls_is_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError) as info:
        read(bad)
    assert str(bad) in str(info.value) and "\n" not in str(info.value)


def test_sheet_name_as_title_and_sheets_kept_apart(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "支出决算表"
    for row in (
        ["金额单位：元"],
        ["科目编码", "科目名称", "本年支出合计", "基本支出"],
        ["合计", None, 100.5, 100.5],
        ["208", "社会保障和就业支出", 100.5, 100.5],
    ):
        first.append(row)
    for r in (3, 4):
        for c in (3, 4):
            first.cell(r, c).number_format = "#,##0.00"
    other = book.create_sheet("封面")
    other.append(["2021年度部门决算"])
    other.append(["科目编码", "名称"])
    other.append(["999", "不属于任何表"])
    path = tmp_path / "named.xlsx"
    book.save(path)
    t03 = read(path).table("03")
    assert t03.title == "支出决算表" and t03.unit is Unit.YUAN
    assert [r.key for r in t03.rows] == ["合计", "208"]
    assert str(t03.row("208").value("基本支出")) == "100.50"  # type: ignore[union-attr]
