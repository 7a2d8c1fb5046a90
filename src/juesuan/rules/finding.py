"""Findings: plain, sortable, serialisable values (bad data is a value, never an exception)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from juesuan.model.source import Source


class Severity(StrEnum):
    ERROR = "error"  # cannot be explained by rounding: the report is wrong
    WARNING = "warning"  # suspicious, or a soft expectation that real reports sometimes break
    NOTICE = "notice"  # a rounding-level break or a harmless variant: worth evening out
    INFO = "info"  # what the reader could not read, unverified figures

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def chinese(self) -> str:
        return _CHINESE[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2, Severity.INFO: 3}
_CHINESE = {
    Severity.ERROR: "错误",
    Severity.WARNING: "警告",
    Severity.NOTICE: "提示",
    Severity.INFO: "信息",
}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: semantic (table, row, column) and physical (page, box, line)."""

    table: str | None = None  # "01" … "09", or None for the whole report
    row: str | None = None  # row key: a code, or an official label such as 本年收入合计
    row_label: str | None = None  # the row as printed
    column: str | None = None
    source: Source | None = None
    section: str | None = (
        None  # 情况说明 section ("五") or part ("第五部分") of a narrative finding
    )
    quote: str | None = None  # the sentence a narrative finding is about, as printed

    def describe(self) -> str:
        parts = []
        if self.section:
            parts.append(
                f"情况说明“{self.section}”" if not self.section.startswith("第") else self.section
            )
        if self.table:
            parts.append(f"公开{self.table}表")
        if self.row:
            label = self.row_label if self.row_label and self.row_label != self.row else None
            parts.append(f"“{self.row}{' ' + label if label else ''}”行")
        if self.column:
            parts.append(f"“{self.column}”列")
        if self.source is not None and self.source.short():
            parts.append(f"（{self.source.short()}）")
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class OcrCell:
    """A figure read from an image (OCR) that a finding rests on, with the recogniser's
    confidence in it."""

    location: Location
    read: str  # as read, with its unit
    confidence: float


@dataclass(frozen=True, slots=True)
class OcrDoubt:
    """Why a finding may be the OCR's rather than the report's (识别存疑): the low-confidence
    figures it rests on, and the one-digit correction that two broken sums agree on, offered as
    a suggestion and never applied."""

    note: str  # one Chinese sentence, shown with the finding
    cells: tuple[OcrCell, ...] = ()
    suggestion: str | None = None  # the corrected figure, with its unit


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of one rule. Amount fields are strings as printed, with their unit."""

    rule_id: str
    severity: Severity
    message: str
    location: Location
    expected: str | None = None
    found: str | None = None
    difference: str | None = None
    tolerance: str | None = None
    # the unit's reason when a baseline explains this finding (出错说明): it no longer counts
    explanation: str | None = None
    # figures read by OCR that may explain the finding (see juesuan.rules.ocr_review)
    ocr: OcrDoubt | None = None

    @property
    def counts_as_error(self) -> bool:
        return self.severity is Severity.ERROR and not self.explanation

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (
            self.severity.rank,
            loc.table or "",
            self.rule_id,
            loc.row or "",
            loc.column or "",
            self.message,
        )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
