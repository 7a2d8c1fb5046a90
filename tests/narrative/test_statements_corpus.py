"""The rows of ERRORS.md that the text's own arithmetic finds, on the real corpus documents:
each found by the rule meant to find it, at the severity the key asks (must: an error; soft: a
warning or an error); and no error of these rules that the key does not list. Skipped when
``../shared/corpus`` is not beside the repository."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from bench.corpus_key import FINAL, KnownError, known_errors, matches

RULES = {
    "N.balance",
    "N.parts",
    "N.fiscal",
    "N.counts",
    "N.project",
    "N.listed_shares",
    "N.same_quantity",
}

# ERRORS.md row → the rule that must report it
ROWS = {
    "F004-02": "N.fiscal",
    "F005-01": "N.same_quantity",
    "F010-02": "N.fiscal",
    "F010-03": "N.parts",
    "F012-03": "N.counts",
    "F013-01": "N.parts",
    "F013-02": "N.parts",
    "F013-03": "N.parts",
    "F016-04": "N.counts",
    "F016-05": "N.counts",
    "F018-01": "N.counts",
    "F018-03": "N.same_quantity",
    "F101-01": "N.counts",
    "F101-02": "N.project",
    "F101-03": "N.project",
    "F101-04": "N.project",
    "F101-05": "N.same_quantity",
    "F101-07": "N.listed_shares",
    "F101-12": "N.counts",
}

pytestmark = pytest.mark.skipif(
    not FINAL.is_dir(), reason="../shared/corpus is not beside the repository"
)


def _path(doc: str) -> Path:
    return next(p for p in sorted(FINAL.glob(f"{doc}_*")) if p.suffix in (".txt", ".pdf"))


@cache
def _findings(doc: str) -> list[Any]:
    from juesuan import api

    return list(api.audit(api.load(_path(doc))).findings)


@cache
def _keys() -> dict[str, KnownError]:
    return {k.id: k for k in known_errors()}


@pytest.mark.parametrize("row", sorted(ROWS))
def test_row_is_found_by_its_rule(row: str) -> None:
    known = _keys()[row]
    severities = {
        f.severity.value
        for f in _findings(known.doc)
        if f.rule_id == ROWS[row] and matches(known, f)
    }
    wanted = {"error"} if known.level == "must" else {"error", "warning"}
    assert severities & wanted, f"{row} ({known.level}) found as {severities or 'nothing'}"


DOCS = (
    sorted({p.name[:3] for p in FINAL.glob("*_*") if p.suffix in (".txt", ".pdf")})
    if FINAL.is_dir()
    else []
)


@pytest.mark.parametrize("doc", DOCS)
def test_no_unlisted_error_from_these_rules(doc: str) -> None:
    """004 (公务接待费 26.59 in 三公 against 0.35 in 商品和服务支出: another 口径), 007 (2014年度
    公务接待费 is last year's), 016 (实际支出 of different 绩效 items) and every rounding-level
    sum are not errors."""
    keys = [k for k in known_errors() if k.doc == doc]
    unlisted = [
        f.message
        for f in _findings(doc)
        if f.rule_id in RULES
        and f.severity.value == "error"
        and not any(matches(k, f) for k in keys)
    ]
    assert unlisted == []
