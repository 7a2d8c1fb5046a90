"""Evaluate a rule set over a report: pure, deterministic, no global state."""

from __future__ import annotations

from collections.abc import Iterable

from juesuan.model.codes import Codes, reference_codes
from juesuan.model.report import Report
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, sort_findings
from juesuan.rules.kind_base import Context
from juesuan.rules.kinds import KINDS
from juesuan.rules.ocr_review import has_ocr_cells, review


def evaluate(
    report: Report,
    rules: Iterable[Rule],
    codes: Codes | None = None,
    prior: Report | None = None,
    budget: Report | None = None,
) -> list[Finding]:
    ctx = Context(codes=codes or reference_codes(), prior=prior, budget=budget)
    findings: list[Finding] = []
    active = list(rules)
    for rule in active:
        findings.extend(KINDS[rule.kind].run(rule, report, ctx))
    if has_ocr_cells(report):  # figures read from images: say which findings may be the OCR's
        findings = review(report, active, findings, ctx)
    return sort_findings(findings)
