"""Last year's report of the same unit: who counts as the same unit, and which of several
reports is the one a cross-year check may compare with (pure, no I/O).

Names are compared as a person would: full-width forms, spaces, quotes, brackets and the
（汇总）/（本级） marks do not make two units different; a report of another unit or of another
year is never taken for last year's. Comparing a report with itself, with a report of the same
year or of a later year would turn every stated change into a false error, so
:func:`prior_problem` says why such a report is not last year's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

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


def same_file(a: Report, b: Report) -> bool:
    """Were the two reports read from one file (or are they one object)?"""
    if a is b:
        return True
    if not a.source_file or not b.source_file:
        return False
    return Path(a.source_file).resolve() == Path(b.source_file).resolve()


def prior_problem(report: Report, candidate: Report) -> str | None:
    """Why ``candidate`` cannot be last year's report of ``report`` (None when it can)."""
    if same_file(report, candidate):
        return "it is the report itself, not last year's report"
    if not unit_key(candidate.unit_name) or not unit_key(report.unit_name):
        return "the unit of one of the two reports is not known, so they cannot be matched"
    if not same_unit(report, candidate):
        return (
            f"it is of another unit ({candidate.unit_name},"
            f" not {report.unit_name})"
        )
    if report.year is None:
        return "the year of the report is not known, so last year's cannot be told"
    if candidate.year is None:
        return f"its year is not known (last year's report must be of {report.year - 1})"
    if candidate.year != report.year - 1:
        if candidate.year == report.year:
            qualifier = ", the same year as the report"
        elif candidate.year > report.year:
            qualifier = f", a later year than the report's {report.year}"
        else:
            qualifier = ""
        return f"it is of {candidate.year}{qualifier}, not {report.year - 1}"
    return None


def find_prior(report: Report, candidates: Iterable[Report]) -> Report | None:
    """The same unit's report of the year before among ``candidates``, or None."""
    return next(
        (c for c in candidates if is_prior(report, c) and not same_file(report, c)), None
    )
