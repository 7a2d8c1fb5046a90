"""The blocks every reader emits (text, PDF, DOCX, HTML, XLSX): paragraphs and table grids in
reading order, each with its provenance, and the line patterns that tell what a short line
printed around a table is (its title, unit, department, year, label, note, page number).

One place for these patterns: :mod:`juesuan.readers.assembly` decides with them which lines
belong to which table and which section, for every format alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from juesuan.model.amount import parse_unit
from juesuan.model.layout import identify_title
from juesuan.model.source import Source
from juesuan.readers.layout import GridCell


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A line or paragraph of text outside any table grid."""

    text: str
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A table as printed: rows of cells at their grid positions (merged spans expanded).

    ``xs`` are the column boundaries where the reader knows them (PDF: the ruling positions);
    two fragments of one table broken across pages are aligned on them."""

    rows: list[list[GridCell]]
    source: Source | None = None
    xs: tuple[float, ...] | None = None


@dataclass(frozen=True, slots=True)
class Boundary:
    """Nothing before it continues after it (a new worksheet)."""


Block = Paragraph | TableBlock | Boundary

# 注：… / 说明：… / 备注：… below a table (the ：may be a digit: 注1、…).
NOTE = re.compile(r"^(注|说明|备注)\s*[:：0-9１-９]")
# 部门：X / 编制单位：X (but 单位：万元 is the amount unit, see :func:`unit_name_line`).
# a 绩效评价报告's cover (长沙 2020) names the unit as 评价项目单位 and 项目主管部门
UNIT_NAME_LINE = re.compile(
    r"^(?:部门|单位|编制单位|编制部门|部门名称|单位名称|预算单位|填报单位|主管部门|预算主管部门"
    r"|评价项目单位|项目单位|项目主管部门)\s*[:：]\s*(.+?)\s*$"
)
_LABEL_NO = re.compile(
    r"^(?:公开|附表|附件|表)?\s*[0-9０-９]+(?:[-－—][0-9０-９]+)?\s*表$|^公开\s*\d+\s*表|^附表\s*\d+"
)
_YEAR_ONLY = re.compile(r"^(?:20\d{2})\s*年度?$")
# page furniture: "- 12 -", "12", "— 1 0 —" (digits spaced apart), "第 12 页", "第12页 共30页",
# "12/30"
PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(?:\d(?:\s?\d){0,3}|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)"
    r"[-—–\s]*$"
)
# A longer paragraph ending in …决算表 is a sentence of the narrative, not a title.
TITLE_MAX = 80


def unit_name_line(text: str) -> str | None:
    """The unit a 部门：/编制单位：line names; None for 单位：万元 (an amount unit)."""
    m = UNIT_NAME_LINE.match(text.strip())
    if not m:
        return None
    # "编制单位：某局  单位：万元" prints both on one line
    name = re.split(r"\s{2,}|\s*(?:金额)?单位\s*[:：]", m.group(1))[0].strip()
    if parse_unit(name) is not None or re.match(r"^(?:人民币)?(?:万元|元|千元|亿元)", name):
        return None
    return name or None


_BUDGET_TITLE = re.compile(
    r"预算\s*\d+(?:-\d+)?\s*表|(?:收支|收入|支出)(?:预算)?总?表$|预算表$|预算(?:公开)?表\s*[一二三四五六七八九十\d]+"
)


def is_budget_title(text: str) -> bool:
    """A 部门预算 table's title (预算01表 收支总表, 部门收支总表, 收支预算总表 …): a 预算 given to
    the 决算 reader is recognised by it."""
    s = re.sub(r"\s+", "", text)
    return 2 < len(s) <= 60 and "决算" not in s and bool(_BUDGET_TITLE.search(s))


def title_of(text: str) -> object:
    """The standard table a short line names, or None (see identify_title)."""
    s = text.strip()
    return identify_title(s) if len(s) <= TITLE_MAX else None


def is_meta(text: str) -> bool:
    """Text printed around a table (title, unit, department, year, 公开0N表, note)."""
    s = text.strip()
    return bool(
        title_of(s)
        or is_budget_title(s)
        or ("单位" in s and parse_unit(s) is not None)
        or NOTE.match(s)
        or UNIT_NAME_LINE.match(s)
        or _YEAR_ONLY.match(s)
        or _LABEL_NO.match(re.sub(r"\s+", "", s))
    )


def is_page_furniture(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text.strip()))


def _meta_row(row: Sequence[GridCell]) -> list[GridCell] | None:
    cells = [c for c in row if c.text.strip()]
    if cells and all(is_meta(c.text) for c in cells):
        return cells
    return None


def lift_meta(blocks: Iterable[Block]) -> list[Block]:
    """Rows at the top or bottom of a table that hold only a title, unit, note … become
    paragraphs before or after it (spreadsheets and Word tables print them inside the grid)."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, TableBlock):
            out.append(block)
            continue
        rows = [r for r in block.rows if any(c.text.strip() for c in r)]
        before: list[Paragraph] = []
        after: list[Paragraph] = []
        while rows and (cells := _meta_row(rows[0])) is not None:
            before.extend(Paragraph(c.text.strip(), c.source) for c in cells)
            rows.pop(0)
        while rows and (cells := _meta_row(rows[-1])) is not None:
            after[:0] = [Paragraph(c.text.strip(), c.source) for c in cells]
            rows.pop()
        out.extend(before)
        if rows:
            out.append(TableBlock(rows, block.source, block.xs))
        out.extend(after)
    return out
