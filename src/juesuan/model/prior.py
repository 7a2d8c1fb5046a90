"""Last year's report of the same unit: who counts as the same unit, and which of several
reports is the one a cross-year check may compare with (pure, no I/O).

Names are compared as a person would: full-width forms, spaces, quotes, brackets and the
（汇总）/（本级） marks do not make two units different; a report of another unit or of another
year is never taken for last year's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from juesuan.model.report import Report

_MARKS = re.compile(r"[（(](?:汇总|本级|部门|单位|合并)[)）]")
_PUNCT = re.compile(r"[\s“”\"'‘’·・]")


def unit_key(name: str | None) -> str:
    """The unit's name as compared across years (汇总/本级 marks and spacing dropped)."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKC", name)
    s = _MARKS.sub("", s)
    return _PUNCT.sub("", s).replace("(", "（").replace(")", "）")


def same_unit(a: Report, b: Report) -> bool:
    ka, kb = unit_key(a.unit_name), unit_key(b.unit_name)
    return bool(ka) and ka == kb


def is_prior(report: Report, candidate: Report) -> bool:
    """Is ``candidate`` the same unit's report of the year before?"""
    return (
        report.year is not None
        and candidate.year == report.year - 1
        and same_unit(report, candidate)
    )


def prior_problem(report: Report, candidate: Report) -> str | None:
    """Why ``candidate`` cannot be last year's report of ``report`` (None when it can)."""
    if report.year is None or candidate.year is None:
        return "the year of one of the two reports is not known"
    if candidate.year != report.year - 1:
        return (
            f"the prior report is of {candidate.year}, not {report.year - 1}"
            f" (the report is of {report.year})"
        )
    if not same_unit(report, candidate):
        return (
            f"the prior report is of another unit ({candidate.unit_name or '?'},"
            f" not {report.unit_name or '?'})"
        )
    return None


def find_prior(report: Report, candidates: Iterable[Report]) -> Report | None:
    """The same unit's report of the year before among ``candidates``, or None."""
    return next((c for c in candidates if is_prior(report, c)), None)
