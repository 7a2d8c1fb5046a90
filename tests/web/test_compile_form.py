"""The compile form writes back a source the build reads: every field of the form is a key of
the build source, values are exact decimals, and a bad value is an error by field, not a
broken file."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from juesuan.compose.source import parse_source
from juesuan.web import compile_form as cf

from .conftest import EXAMPLE


def example() -> dict:
    text = (resources.files("juesuan.examples") / "jiaozuo-2021.toml").read_text("utf-8")
    return cf.start_from(cf.parse(text))


def _source(doc: dict, tmp_path: Path):
    path = tmp_path / "source.toml"
    path.write_text(cf.source_text(doc, str(EXAMPLE)), encoding="utf-8")
    return parse_source(path.read_text(encoding="utf-8"), path)


def test_the_example_round_trips_to_the_same_source(tmp_path: Path) -> None:
    doc = example()
    assert "tables" not in doc and "year" not in doc["prior"]
    assert cf.parse(cf.dumps(doc)) == doc
    source = _source(doc, tmp_path)
    assert source.unit.name == "焦作市劳动保障信息中心"
    assert source.prior is not None and source.prior.year == 2020
    assert source.prior.totals["收入总计"] == Decimal("2080400.00")
    assert source.budget[1].amount == Decimal("1932900.00")


def test_every_field_of_the_form_is_a_key_the_build_takes(tmp_path: Path) -> None:
    """A source with every field of the form filled is read by the build without an
    'unknown key' (the form and the source file cannot drift apart)."""
    form: dict[str, str] = {}
    for group in cf.form_groups():
        for f in group.fields:
            form[f.path] = {
                "int": "1",
                "amount": "1.5",
                "number": "2",
                "text": "某单位",
                "textarea": "原因",
                "choice": f.choices[0] if f.choices else "",
            }[f.kind]
    form["unit.year"] = "2021"
    form["unit.kind"] = "行政单位"
    form["budget.0.code"], form["budget.0.amount"] = "208", "193.29"
    form["procurement.sme"] = form["procurement.small_micro"] = "0"
    doc, errors = cf.apply_form(example(), form)
    assert errors == {}
    source = _source(doc, tmp_path)
    assert source.operating_costs.amount == Decimal("15000.00")
    assert len(source.budget) == 1
    assert source.reasons["sangong"] == "原因"
    assert source.assets.vehicles["other"] == 1


def test_a_bad_value_is_an_error_of_its_field_and_keeps_the_old_value() -> None:
    doc, errors = cf.apply_form(
        example(),
        {"prior.totals.收入总计": "两百万", "unit.staff.actual": "8.5", "unit.kind": "公司"},
    )
    assert set(errors) == {"prior.totals.收入总计", "unit.staff.actual", "unit.kind"}
    assert doc["prior"]["totals"]["收入总计"] == Decimal("208.04")
    assert doc["unit"]["kind"] == "事业单位"


@pytest.mark.parametrize("text", ["1e999999", "NaN", "Infinity", "0.0000001", "1" * 30])
def test_amounts_are_finite_decimals_of_sensible_size(text: str) -> None:
    _, errors = cf.apply_form(example(), {"procurement.goods": text})
    assert "procurement.goods" in errors


def test_amounts_keep_their_digits() -> None:
    doc, errors = cf.apply_form(example(), {"procurement.goods": "1,234.10"})
    assert not errors
    assert doc["procurement"]["goods"] == Decimal("1234.10")
    assert "goods = 1234.10" in cf.dumps(doc)


def test_emptying_every_prior_total_drops_the_comparison(tmp_path: Path) -> None:
    blank = {f"prior.totals.{k}": "" for k in example()["prior"]["totals"]}
    doc, errors = cf.apply_form(example(), blank)
    assert not errors and "prior" not in doc
    assert _source(doc, tmp_path).prior is None


def test_budget_rows_come_from_the_form() -> None:
    form = {
        "budget.0.code": "2050803",
        "budget.0.amount": "0.41",
        "budget.1.code": "",
        "budget.1.amount": "",
        "budget.2.code": "210",
        "budget.2.amount": "",
    }
    doc, errors = cf.apply_form(example(), form)
    assert doc["budget"] == [{"code": "2050803", "amount": Decimal("0.41")}]
    assert errors == {"budget.2.amount": "请填写年初预算数"}


def test_strings_with_quotes_and_newlines_survive() -> None:
    nasty = '他说"是"\\n并非换行\n第二行\t制表 \x01'
    doc, _ = cf.apply_form(example(), {"unit.duties": nasty})
    assert cf.parse(cf.dumps(doc))["unit"]["duties"] == nasty.strip()


def test_file_keys_never_come_from_a_source_the_server_keeps() -> None:
    doc = cf.parse(
        '[unit]\nname = "x"\n[tables]\nfile = "/etc/passwd"\n'
        '[narrative]\ntemplates = "../../x"\n[prior]\nfile = "/etc/shadow"\n'
        '[prior.totals]\n"收入总计" = 1\n'
    )
    kept = cf.start_from(doc)
    text = cf.source_text(kept, "/data/blobs/ab/abc.xlsx")
    assert "/etc" not in text and "../" not in text
    assert cf.parse(text)["tables"] == {"file": "/data/blobs/ab/abc.xlsx"}
