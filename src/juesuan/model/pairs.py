"""A 决算 and the 预算 of the same unit and year, a 预算 and last year's 预算: which document a
cross-document check may compare with (pure, no I/O).

The 决算 restates that year's 年初预算 (the 三公 预算数 of table 07, the 年初预算 its 情况说明
states for the 一般公共预算 total and for each 项); the 预算 published that spring is where those
figures come from. A 预算 prints last year's budget beside this year's (上年预算数, 2025年预算数
in a 2026 budget), which last year's published 预算 states as its 本年预算数. Comparing with
another unit's or another year's document would turn every figure into a false error, so
:func:`budget_problem` says why a document is not the one to compare with.
"""

from __future__ import annotations

from collections.abc import Iterable

from juesuan.model.prior import same_file, same_unit, unit_key
from juesuan.model.report import Report


def budget_problem(report: Report, candidate: Report) -> str | None:
    """Why ``candidate`` is not the published 预算 of the 决算 ``report`` (None when it is)."""
    if candidate.kind is None or not candidate.kind.is_budget:
        kind = candidate.kind.value if candidate.kind is not None else "of unknown kind"
        return f"it is not a 预算 (it is {kind})"
    if same_file(report, candidate):
        return "it is the report itself"
    if not unit_key(candidate.unit_name) or not unit_key(report.unit_name):
        return "the unit of one of the two documents is not known, so they cannot be matched"
    if not same_unit(report, candidate):
        return f"it is of another unit ({candidate.unit_name}, not {report.unit_name})"
    if report.year is None or candidate.year is None:
        return "the year of one of the two documents is not known"
    if candidate.year != report.year:
        return f"it is the 预算 of {candidate.year}, not of {report.year}"
    return None


def is_budget_of(report: Report, candidate: Report) -> bool:
    """Is ``candidate`` the same unit's 预算 of the 决算's year?"""
    return budget_problem(report, candidate) is None


def find_budget(report: Report, candidates: Iterable[Report]) -> Report | None:
    """The same unit's 预算 of the report's year among ``candidates`` (a 部门预算 before a
    单位预算 of the same unit: the 决算 of a department restates the department's budget)."""
    found = [c for c in candidates if is_budget_of(report, c)]
    found.sort(key=lambda c: (c.kind is None or c.kind.value != "部门预算", c.source_file or ""))
    return found[0] if found else None
