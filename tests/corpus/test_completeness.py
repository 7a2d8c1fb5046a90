from __future__ import annotations

from dataclasses import replace

import pytest

from juesuan import api
from juesuan.corpus.completeness import assess, parse_items, requirements, score
from juesuan.model.layout import TableId
from juesuan.model.tables import Table, TableStatus
from tests.corpus.helpers import example_text


def _results(report: object) -> dict[str, bool | None]:
    return {r.item.id: r.present for r in assess(report)}  # type: ignore[arg-type]


def test_the_example_report_against_the_required_items() -> None:
    report = api.load(example_text())
    got = _results(report)
    assert all(got[f"T0{i}"] for i in range(1, 10))
    assert got["gpb_items"] and got["basic_sections"]
    assert got["sangong_text"] and got["procurement"] and got["assets"]
    assert got["empty_noted"]  # its 08 and 09 are empty, each with its note
    assert 0.5 < (score(assess(report)) or 0) <= 1


def test_a_missing_table_an_unexplained_empty_one_and_no_glossary_count() -> None:
    report = api.load(example_text())
    tables = dict(report.tables)
    tables[TableId.T07] = Table(TableId.T07, TableStatus.TITLE_ONLY, "三公")
    tables[TableId.T08] = replace(tables[TableId.T08], status=TableStatus.EMPTY, note=None)
    stripped = replace(report, tables=tables, parts=())
    got = _results(stripped)
    assert got["T07"] is False and got["sangong_items"] is False
    assert got["empty_noted"] is False
    assert got["glossary"] is False
    assert (score(assess(stripped)) or 0) < (score(assess(report)) or 0)


def test_no_empty_table_means_the_item_does_not_apply() -> None:
    report = api.load(example_text())
    tables = {t: tb for t, tb in report.tables.items() if tb.status is not TableStatus.EMPTY}
    assert _results(replace(report, tables=tables))["empty_noted"] is None


def test_every_shipped_item_has_a_basis() -> None:
    items = requirements()
    assert len(items) >= 20 and all(i.basis and i.name for i in items)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"id": "x", "kind": "colour", "name": "x"}, "unknown kind"),
        ({"id": "x", "kind": "table", "table": "10", "name": "x"}, "not 01…09"),
        ({"id": "x", "kind": "words", "name": "x"}, "lists its words"),
    ],
)
def test_a_malformed_item_is_refused(item: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_items({"item": [item]})
