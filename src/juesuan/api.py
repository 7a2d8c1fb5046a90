"""The Python API that the CLI (and later the web app and corpus runner) call. No printing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juesuan.model.report import Report
from juesuan.model.serialize import to_jsonable
from juesuan.model.tables import TableStatus
from juesuan.rules.declarations import Rule, rule_set
from juesuan.rules.engine import evaluate
from juesuan.rules.finding import Finding, Severity


def load(path: str | Path) -> Report:
    """Read a report from any supported file; raises :class:`juesuan.InputError`."""
    from juesuan.readers import read

    return read(path)


@dataclass(frozen=True)
class CheckResult:
    report: Report
    findings: list[Finding]

    @property
    def counts(self) -> dict[Severity, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in Severity}

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def tables_read(self) -> dict[str, str]:
        return {t.value: tb.status.value for t, tb in sorted(self.report.tables.items())}

    def summary(self) -> dict[str, Any]:
        r = self.report
        return {
            "file": r.source_file,
            "unit_name": r.unit_name,
            "year": r.year,
            "tables": self.tables_read(),
            "tables_with_data": sorted(
                t.value for t, tb in r.tables.items() if tb.status is TableStatus.PRESENT
            ),
            "counts": {s.value: n for s, n in self.counts.items()},
            "reader_notes": list(r.reader_notes),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "findings": [to_jsonable(f) for f in self.findings],
        }


def check(
    report: Report | str | Path,
    *,
    rules: Iterable[Rule] | None = None,
    rule_files: Iterable[str | Path] = (),
) -> CheckResult:
    """Validate a report (or a file) with the built-in rules plus any user rule files."""
    if not isinstance(report, Report):
        report = load(report)
    active = list(rules) if rules is not None else rule_set(rule_files)
    return CheckResult(report, evaluate(report, active))
