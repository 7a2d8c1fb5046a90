"""The cross-year rows of ERRORS.md on the real documents (pairs 005→017 and 018→012: the same
unit in consecutive years, crawled narratives without tables). Skipped without the corpus."""

from __future__ import annotations

from functools import cache

import pytest
from bench.corpus_key import FINAL, KnownError, known_errors, matches

from juesuan import api
from juesuan.rules.finding import Finding, Severity

if not (FINAL / "ERRORS.md").exists():
    pytest.skip("../shared/corpus is not beside the repository", allow_module_level=True)


def _file(doc: str) -> str:
    (path,) = FINAL.glob(f"{doc}_*.txt")
    return str(path)


@cache
def _audit(doc: str, prior: str) -> tuple[Finding, ...]:
    return tuple(api.audit(_file(doc), prior=_file(prior)).findings)


def _row(row_id: str) -> KnownError:
    return next(k for k in known_errors() if k.id == row_id)


@pytest.mark.parametrize(
    ("row_id", "doc", "prior", "severity"),
    [
        ("F012-01", "012", "018", Severity.ERROR),  # 年初 25.00 against 018's 年末 346.64
        ("F017-01", "017", "005", Severity.ERROR),  # 接待 1.51 against 1.37 "下降 10.22%"
        ("F012-02", "012", "018", Severity.WARNING),  # 2016 bases of 项 lines reclassified
    ],
)
def test_cross_year_row_is_found(row_id: str, doc: str, prior: str, severity: Severity) -> None:
    known = _row(row_id)
    found = [f for f in _audit(doc, prior) if matches(known, f)]
    assert any(f.severity is severity for f in found), [f.message for f in found]


@pytest.mark.parametrize(("doc", "prior"), [("017", "005"), ("012", "018")])
def test_cross_year_pairs_that_agree_are_not_errors(doc: str, prior: str) -> None:
    """ERRORS.md "Not errors": 017's 2015 本年收入 488.62, 本年支出 470.91, 三公 −18.11% and
    运行费 −20.13% against 005; 012's 三公 −39.00% (66.81 within rounding), 出国 +75.43%,
    接待 −52.44%, 机关运行经费 +101.23%, 基金 and the 本年收支 against 018."""
    errors = [
        f
        for f in _audit(doc, prior)
        if f.rule_id.startswith("N.prior") and f.severity is Severity.ERROR
    ]
    listed = [k for k in known_errors() if k.doc == doc]
    unlisted = [f.message for f in errors if not any(matches(k, f) for k in listed)]
    assert unlisted == []
