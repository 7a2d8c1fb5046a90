"""The real errors of the corpus (``../shared/corpus/final-accounts/ERRORS.md``), one test per
row on its real document, and the "Not errors" of every document: no error that ERRORS.md does
not list. Skipped when the corpus is not beside the repository.

Rows the audit does not find yet are strict expected failures, each with the reason: when one
starts to pass, the test says so and the row moves to the found ones.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from bench.corpus_key import FINAL, compare_errors, known_errors, matches

pytestmark = pytest.mark.skipif(not FINAL.is_dir(), reason="corpus not beside the repository")

# rows not found yet, and why (the mechanism each needs)
NOT_YET = {
    "F101-17": "an attached report's title and year against the text",
}

ROWS = [
    pytest.param(
        k,
        id=k.id,
        marks=[pytest.mark.xfail(strict=True, reason=NOT_YET[k.id])] if k.id in NOT_YET else [],
    )
    for k in (known_errors() if FINAL.is_dir() else [])
]


@cache
def _documents() -> dict[str, Any]:
    from juesuan.api import load
    from juesuan.errors import InputError

    out = {}
    for path in sorted(FINAL.iterdir()):
        if path.suffix not in (".pdf", ".txt"):
            continue
        try:
            out[path.name.split("_")[0]] = load(path)
        except InputError:
            continue
    return out


@cache
def _findings(doc: str) -> tuple[Any, ...]:
    from juesuan.api import audit
    from juesuan.model.prior import find_prior

    docs = _documents()
    report = docs[doc]
    prior = find_prior(report, docs.values())
    return tuple(audit(report, prior=prior).findings)


@pytest.mark.parametrize("known", ROWS)
def test_real_error_is_found(known: Any) -> None:
    wanted = ("error",) if known.level == "must" else ("error", "warning")
    found = [f.severity.value for f in _findings(known.doc) if matches(known, f)]
    assert any(s in wanted for s in found), (
        f"{known.id} ({known.level}) not found as {'/'.join(wanted)}: found {found or 'nothing'}"
    )


DOCS = sorted({k.doc for k in known_errors()} | {"007", "008", "011"}) if FINAL.is_dir() else []


@pytest.mark.parametrize("doc", DOCS)
def test_no_error_that_errors_md_does_not_list(doc: str) -> None:
    """What ERRORS.md lists under "Not errors" (rounding, 口径, figures not provable) and
    everything else it does not list is never reported as an error."""
    if doc not in _documents():
        pytest.skip(f"{doc} is not read")
    result = compare_errors(doc, list(_findings(doc)), known_errors())
    assert [f"[{f.rule_id}] {f.message[:120]}" for f in result.unlisted_errors] == []
