"""A whole 部门决算 report: who, which year, the nine tables, the narrative."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from juesuan.model.layout import TableId
from juesuan.model.source import Source
from juesuan.model.tables import Table, TableStatus


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

    def table(self, table_id: TableId | str) -> Table:
        tid = TableId(table_id)
        return self.tables.get(tid) or Table(tid, TableStatus.ABSENT)

    def with_table(self, table: Table) -> Report:
        tables = dict(self.tables)
        tables[table.id] = table
        return replace(self, tables=tables)
