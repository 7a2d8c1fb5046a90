"""The build source file: the example loads; every bad key gives one line naming it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.compose.source import load_source, parse_source
from juesuan.errors import InputError
from juesuan.model.report import UnitKind

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "juesuan" / "examples"
SOURCE = EXAMPLES / "jiaozuo-2021.toml"
DOC = Path(__file__).resolve().parents[2] / "docs" / "source-example.toml"
TABLES = EXAMPLES / "jiaozuo-2021.txt"

MINIMAL = f"""
[unit]
name = "测试单位"
year = 2021
kind = "行政单位"

[tables]
file = "{TABLES.as_posix()}"

[operating_costs]
amount = 12.5
"""


def _err(text: str, tmp_path: Path) -> str:
    with pytest.raises(InputError) as info:
        parse_source(text, tmp_path / "s.toml")
    line = str(info.value)
    assert "\n" not in line
    return info.value.reason


def test_example_loads() -> None:
    s = load_source(SOURCE)
    assert s.unit.name == "焦作市劳动保障信息中心"
    assert s.unit.kind is UnitKind.PUBLIC_INSTITUTION
    assert s.unit.staff.authorized == 8
    assert s.tables == EXAMPLES / "jiaozuo-2021.txt"
    assert s.prior is not None and s.prior.year == 2020
    assert s.prior.totals["收入总计"] == Decimal("2080400.00")  # 208.04 万元 in 元
    assert [b.code for b in s.budget] == ["2050803", "208", "210"]
    assert s.budget[1].amount == Decimal("1932900.00")
    assert s.procurement.total == Decimal("54600.00")
    assert s.operating_costs.amount is None
    assert s.performance.score == Decimal(93)


def test_documented_example_loads() -> None:
    s = load_source(DOC)
    assert s.unit.year == 2021


def test_amounts_are_decimal_never_float(tmp_path: Path) -> None:
    s = parse_source(MINIMAL, tmp_path / "s.toml")
    assert s.operating_costs.amount == Decimal("125000.00")
    assert isinstance(s.operating_costs.amount, Decimal)
    s = parse_source(MINIMAL + '\n[narrative]\nunit = "元"\n', tmp_path / "s.toml")
    assert s.operating_costs.amount == Decimal("12.50")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ('[unit\nname = "x"\n', "not valid TOML"),
        ("\n[procurement]\ngods = 1\n", "procurement.gods: unknown key"),
        ("\ncolour = 1\n", "colour: unknown key"),
        ('\n[procurement]\ngoods = "5.46"\n', "procurement.goods: expected a number, got a string"),
        ("\n[sangong]\nabroad_groups = 1.5\n", "sangong.abroad_groups: expected an integer"),
        ("\n[sangong]\nabroad_groups = -1\n", "sangong.abroad_groups: must not be negative"),
        ('\n[prior]\nyear = 2019\n[prior.totals]\n"收入总计" = 1\n', "prior.year: 2019"),
        ('\n[prior]\n[prior.totals]\n"总收入" = 1\n', "prior.totals.总收入: unknown key"),
        ("\n[prior]\nyear = 2020\n", "prior.totals: give last year's report"),
        ('\n[reasons]\ntotl = "x"\n', "reasons.totl: unknown key"),
        ("\n[reasons]\ntotal = 1\n", "reasons.total: expected a string"),
        ('\n[[budget]]\ncode = "20801"\n', "budget[0].amount: missing"),
        ('\n[[budget]]\ncode = "2080"\namount = 1\n', "budget[0].code: expected a 类/款/项 code"),
        ("\n[procurement]\ngoods = 1\nsme = 2\n", "procurement.sme: exceeds the total"),
        ('\n[narrative]\nunit = "千元"\n', "narrative.unit: expected 元 or 万元"),
        ('\n[narrative]\ntemplates = "nowhere"\n', "narrative.templates: no such folder"),
        ("\n[assets.vehicles]\nbus = 1\n", "assets.vehicles.bus: unknown key"),
    ],
)
def test_bad_keys_name_the_key(change: str, expected: str, tmp_path: Path) -> None:
    text = change if change.startswith("[unit") else MINIMAL + change
    assert expected in _err(text, tmp_path)


def test_missing_and_wrong_unit_keys(tmp_path: Path) -> None:
    no_tables = MINIMAL.replace(f'[tables]\nfile = "{TABLES.as_posix()}"\n', "")
    assert _err(no_tables, tmp_path) == "tables: missing table (required)"
    assert "tables.file: no such file" in _err(
        MINIMAL.replace("jiaozuo-2021.txt", "x.txt"), tmp_path
    )
    assert _err(MINIMAL.replace('kind = "行政单位"', 'kind = "公司"'), tmp_path).startswith(
        "unit.kind: expected one of"
    )
    assert _err(MINIMAL.replace("year = 2021", 'year = "2021"'), tmp_path) == (
        "unit.year: expected an integer, got a string"
    )
    assert (
        _err(MINIMAL.replace('name = "测试单位"\n', ""), tmp_path)
        == "unit.name: missing (required)"
    )
    # an administrative unit must report 机关运行经费
    no_costs = MINIMAL.replace("[operating_costs]\namount = 12.5\n", "")
    assert _err(no_costs, tmp_path).startswith("operating_costs.amount: required")


def test_missing_file_and_encoding(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_source(tmp_path / "none.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes("name = '测试'".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_source(bad)
