"""Every classification row of the corpus's transcribed 部门决算 tables is in the reference lists.

For each report with a cell-exact transcription (``../shared/corpus/final-accounts/truth``:
001–003 上海市普陀区 2024, 101 西安市卫生健康委员会 2022), every (code, label) row of its tables
is known for the report's year with that name, or with a documented older name; the 类 rows that
tables 01/04 print by name resolve to their class. So ``juesuan check`` gives those rows no
C.code_known finding and no C.code_name error. Skipped when the corpus is not beside the
repository.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from juesuan.model.codes import NameStatus, normalize_name, reference_codes
from juesuan.model.layout import SPECS, TableId
from juesuan.model.report import Report
from juesuan.model.tables import Row, Table, TableStatus
from juesuan.rules.declarations import builtin_rules
from juesuan.rules.engine import evaluate
from juesuan.rules.finding import Severity
from tests.conftest import REPO

TRUTH = REPO.parent / "shared" / "corpus" / "final-accounts" / "truth"
DOCUMENTS = ("001", "002", "003", "101")
CODES = reference_codes()
RULES = [r for r in builtin_rules() if r.id in ("C.code_known", "C.code_name")]
_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


def _truth(doc: str) -> dict[str, Any]:
    path = TRUTH / f"{doc}.json"
    if not path.exists():
        pytest.skip("../shared/corpus is not beside the repository")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _tables(data: dict[str, Any]) -> list[tuple[TableId, list[dict[str, Any]]]]:
    """(standard table, rows); 101 numbers its tables its own way (``std`` gives the standard)."""
    return [(TableId(f"{t.get('std', t['no']):02d}"), t["rows"]) for t in data["tables"]]


def _coded(data: dict[str, Any]) -> list[tuple[TableId, str, str]]:
    return [
        (tid, row["code"], row["label"])
        for tid, rows in _tables(data)
        for row in rows
        if row.get("code") and row.get("label")
    ]


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_coded_row_is_known_with_its_name(doc: str) -> None:
    data = _truth(doc)
    year = int(data["year"])
    rows = _coded(data)
    assert rows, f"{doc}: no coded rows in the transcription"
    for tid, code, label in rows:
        codes = CODES.for_kind(SPECS[tid].classification)  # type: ignore[arg-type]
        check = codes.check_name(code, label, year)
        assert check.status in (NameStatus.OFFICIAL, NameStatus.OTHER_YEAR), (
            f"{doc} {tid.value} {code} {label}: {check.status.value}"
            f" (list: {[e.name + ' ' + e.years for e in codes.names(code)]})"
        )
        if check.status is NameStatus.OTHER_YEAR:  # an older name must be an older row
            assert all(e.valid_from < check.official.valid_from for e in check.matches)  # type: ignore[union-attr]


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_class_rows_printed_by_name_resolve(doc: str) -> None:
    """Tables 01 and 04 print the 类 without codes (``八、社会保障和就业支出``)."""
    data = _truth(doc)
    year = int(data["year"])
    for tid, rows in _tables(data):
        if tid not in (TableId.T01, TableId.T04):
            continue
        for row in rows:
            label = row.get("label") or ""
            if row.get("side") != "支出" or not _ORDINAL.match(label):
                continue
            code = CODES.function.class_by_name(label, year)
            entry = CODES.function.lookup(code, year) if code else None
            assert entry is not None, f"{doc} {tid.value} {label}"
            assert normalize_name(entry.name) == normalize_name(label), (label, entry)


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_check_raises_no_code_finding_on_the_transcribed_rows(doc: str) -> None:
    """The two rules themselves, on a report holding the transcribed coded rows."""
    data = _truth(doc)
    tables: dict[TableId, Table] = {}
    for tid, code, label in _coded(data):
        rows = (
            (*tables[tid].rows, Row(code, label, {}, code))
            if tid in tables
            else (Row(code, label, {}, code),)
        )
        tables[tid] = Table(tid, TableStatus.PRESENT, rows=rows)
    report = Report(year=int(data["year"]), tables=tables)
    found = evaluate(report, RULES)
    known = [f.message for f in found if f.rule_id == "C.code_known"]
    errors = [f.message for f in found if f.severity is Severity.ERROR]
    assert known == [] and errors == []
    # a documented older name may be a notice; nothing is a warning
    assert [f.message for f in found if f.severity is Severity.WARNING] == []
