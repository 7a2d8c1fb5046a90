"""A whole 部门决算 report: who, which year, the nine tables, the narrative."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from juesuan.evaluation.model import Performance
from juesuan.model.layout import TableId
from juesuan.model.source import Source
from juesuan.model.tables import ExtraTable, Table, TableStatus


class DocumentKind(StrEnum):
    """What a published document is: the tool checks 决算 reports; a 预算 or a 绩效 evaluation
    given to it is said to be one, not read as a 决算 with nine missing tables."""

    DEPARTMENT_FINAL = "部门决算"
    UNIT_FINAL = "单位决算"
    DEPARTMENT_BUDGET = "部门预算"
    UNIT_BUDGET = "单位预算"
    PERFORMANCE = "绩效评价"
    OTHER = "其他"

    @property
    def is_final(self) -> bool:
        return self in (DocumentKind.DEPARTMENT_FINAL, DocumentKind.UNIT_FINAL)

    @property
    def is_budget(self) -> bool:
        return self in (DocumentKind.DEPARTMENT_BUDGET, DocumentKind.UNIT_BUDGET)


class UnitKind(StrEnum):
    """Kind of budget unit: it decides whether 机关运行经费 is reported."""

    ADMINISTRATIVE = "行政单位"
    CIVIL_SERVICE_MANAGED = "参照公务员法管理的事业单位"
    PUBLIC_INSTITUTION = "事业单位"
    OTHER = "其他"


@dataclass(frozen=True, slots=True)
class NarrativeSection:
    """A section of the 情况说明 (or another part of the text) as printed."""

    number: str  # "一" … "十三", or the region's own numbering
    title: str
    text: str
    source: Source | None = None
    # where each line of ``text`` was read (a text line, or a PDF page and box); may be empty
    line_sources: tuple[Source | None, ...] = ()


@dataclass(frozen=True, slots=True)
class UnreadCell:
    """A value cell the reader could not read as an amount: never silently blank."""

    table: TableId
    row: str
    column: str
    text: str
    source: Source | None = None


@dataclass(frozen=True)
class Report:
    """部门决算公开 of one unit for one year."""

    unit_name: str | None = None
    year: int | None = None
    unit_kind: UnitKind | None = None
    tables: Mapping[TableId, Table] = field(default_factory=dict)
    sections: tuple[NarrativeSection, ...] = ()  # 情况说明 一 … 十三
    # The whole text by part (第一部分 概况 … 附件), for checks that read beyond 情况说明.
    parts: tuple[NarrativeSection, ...] = ()
    source_file: str | None = None
    # What the reader could not read or had to guess, in plain Chinese.
    reader_notes: tuple[str, ...] = ()
    kind: DocumentKind | None = None
    # Where the reader found who and when: "unit_name", "year", "kind" → the line it read.
    provenance: Mapping[str, Source] = field(default_factory=dict)
    # Tables printed outside the nine standard ones (绩效自评表, 政府采购情况表 …), as printed.
    extra_tables: tuple[ExtraTable, ...] = ()
    # Cells whose printed text is not an amount ("12.00%", "2,170,O14.34").
    unread_cells: tuple[UnreadCell, ...] = ()
    # 绩效自评: the self-evaluation forms read from ``extra_tables`` and the 绩效 figures of the
    # text (juesuan.evaluation).
    performance: Performance = field(default_factory=Performance)

    def table(self, table_id: TableId | str) -> Table:
        tid = TableId(table_id)
        return self.tables.get(tid) or Table(tid, TableStatus.ABSENT)

    def with_table(self, table: Table) -> Report:
        tables = dict(self.tables)
        tables[table.id] = table
        return replace(self, tables=tables)
