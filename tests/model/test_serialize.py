from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import jsonschema
import pytest

from juesuan.model.report import Report
from juesuan.model.serialize import (
    SCHEMA_VERSION,
    dumps,
    json_schema,
    report_from_json,
    report_to_json,
)


def test_round_trip_is_lossless(seed002: Report) -> None:
    doc = json.loads(dumps(seed002))
    back = report_from_json(doc)
    assert back == seed002
    # printed precision survives: 0.00 stays "0.00", blank stays null
    t01 = doc["report"]["tables"]["01"]["rows"]
    row = next(r for r in t01 if r["key"] == "上级补助收入")
    assert row["cells"]["决算数"]["value"] == "0.00"
    row = next(r for r in t01 if r["key"] == "政府性基金预算财政拨款收入")
    assert row["cells"]["决算数"]["value"] is None


def test_schema_validates_examples(seed002: Report, seed000: Report) -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for report in (seed002, seed000):
        jsonschema.validate(report_to_json(report), schema)


def test_schema_rejects_float_money(seed002: Report) -> None:
    doc = report_to_json(seed002)
    doc["report"]["tables"]["01"]["rows"][0]["cells"]["决算数"]["value"] = 2170014.34
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, json_schema())
    with pytest.raises(ValueError, match="money must be a string"):
        report_from_json(doc)


def test_shipped_schema_is_current() -> None:
    shipped = json.loads(
        (resources.files("juesuan.model") / "data" / "report.schema.json").read_text("utf-8")
    )
    assert shipped == json_schema(), "run `make schema` to regenerate the shipped schema"


def test_version_and_unknown_keys_are_refused(seed002: Report) -> None:
    doc = report_to_json(seed002)
    assert doc["schema_version"] == SCHEMA_VERSION
    doc["report"]["surprise"] = 1
    with pytest.raises(ValueError, match="unknown keys"):
        report_from_json(doc)


def test_decimal_values_come_back_as_decimal(seed002: Report) -> None:
    back = report_from_json(json.loads(dumps(seed002)))
    row = back.table("01").row("本年收入合计")
    assert row is not None and row.value("决算数") == Decimal("2170030.84")
    assert isinstance(row.value("决算数"), Decimal)
