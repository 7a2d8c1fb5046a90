"""What every reader does once it has found a document's tables and lines of text: keep the
best printed copy of each table (a table-of-contents title is a copy without a body), mark the
tables that are missing, split the 情况说明 into sections and the rest into parts, and say
plainly what could not be read."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from juesuan.evaluation import read_performance
from juesuan.evaluation.model import Performance
from juesuan.model.amount import Unit
from juesuan.model.layout import FINAL_TABLES, SPECS, TableId, required_budget_tables
from juesuan.model.report import DocumentKind, Report, UnreadCell
from juesuan.model.source import Source
from juesuan.model.tables import EMPTY_NOTE_WORDS, ExtraTable, Table, TableStatus
from juesuan.readers.narrative import split_parts, split_sections

NOTE = re.compile(r"^(注|说明|备注)\s*[:：0-9１-９]")
# Words of a note that explain an empty table (本表无数据, 没有…收入 …).
EMPTY_WORDS = EMPTY_NOTE_WORDS
_YEAR = re.compile(r"(20\d{2})\s*年度")
_RANK = {TableStatus.PRESENT: 3, TableStatus.EMPTY: 2, TableStatus.TITLE_ONLY: 1}


def settle_table(
    table: Table,
    notes: list[str],
    unit: Unit | None,
    note: str | None,
    default_unit: Unit | None = None,
) -> tuple[Table, list[str]]:
    """The last step for every assembled table: a table that states no unit is read in the unit
    the document's other tables state (else in 元), and says so; a note on an empty table is
    kept only when it explains the emptiness."""
    notes = list(notes)
    if unit is None:
        if default_unit is not None:
            notes.append(
                f"{SPECS[table.id].label}未注明金额单位，按本文件其他表的“{default_unit.value}”处理"
            )
        else:
            notes.append(f"{SPECS[table.id].label}未注明金额单位，按“元”处理")
        table = replace(table, unit=default_unit or Unit.YUAN)
    if table.status is TableStatus.EMPTY and note and not any(w in note for w in EMPTY_WORDS):
        table = replace(table, note=None)
    return table, notes


def rank(table: Table) -> int:
    """How full a printed copy of a table is: with data > empty > title only > absent."""
    return _RANK.get(table.status, 0)


def keep_better(tables: dict[TableId, Table], table: Table) -> bool:
    """Store ``table`` if it is a fuller copy than the one seen before; a later title-only
    copy replaces an earlier one (it may carry the note)."""
    previous = tables.get(table.id)
    new, old = rank(table), rank(previous) if previous else -1
    if previous is None or new > old or new == old == 1:
        tables[table.id] = table
        return True
    return False


def span(ids: list[str]) -> str:
    """["01", "02", "03"] → "01–03"; gaps are listed."""
    nums = sorted(int(i) for i in ids)
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return "、".join(
        f"{r[0]:02d}–{r[-1]:02d}" if len(r) > 2 else "、".join(f"{x:02d}" for x in r) for r in runs
    )


def find_year(texts: Sequence[str]) -> int | None:
    """The report year: printed in every table header and part title; the year before appears
    in comparisons only, and less often."""
    years = Counter(int(m.group(1)) for t in texts for m in _YEAR.finditer(t))
    return years.most_common(1)[0][0] if years else None


def _page_notes(lines: Sequence[tuple[str, Source | None]], any_table: bool) -> list[str]:
    """What a page whose content is elsewhere should say (tables attached as files, a
    情况说明 printed as images), and where a crawled page came from."""
    from juesuan.readers.crawled import content_notes, meta_note, page_meta

    out = [] if any_table else content_notes(lines)
    meta = page_meta(lines)
    if meta is not None and (note := meta_note(meta)):
        out.append(note)
    return out


def finish_report(
    tables: dict[TableId, Table],
    notes: list[str],
    lines: Sequence[tuple[str, Source | None]],
    *,
    file: str,
    year: int | None,
    extras: tuple[ExtraTable, ...] = (),
    unread: Sequence[UnreadCell] = (),
    grids_texts: Sequence[str] = (),
    kind: tuple[DocumentKind, Source | None] | None = None,
) -> Report:
    """The report from the tables found and the document's lines in reading order: who and
    when (:mod:`juesuan.readers.identity`), the tables missing, the narrative. ``kind`` is
    what the document is when the caller decided it already."""
    from juesuan.readers.identity import document_kind, is_budget_title, unit_name, year_of

    if kind is None:
        final_tables = sum(t.status is not TableStatus.ABSENT for t in tables.values())
        budget_titles = sum(is_budget_title(t) for t, _ in lines) + sum(
            is_budget_title(e.title) for e in extras
        )
        kind = document_kind(lines, final_tables, budget_titles)
    kind_found, kind_source = kind
    name, name_source = unit_name(lines)
    year, year_source = year_of(lines, year)
    provenance = {
        key: src
        for key, src in (("kind", kind_source), ("unit_name", name_source), ("year", year_source))
        if src is not None
    }
    budget = kind_found.is_budget
    for tid in required_budget_tables(year) if budget else FINAL_TABLES:
        tables.setdefault(tid, Table(tid, TableStatus.ABSENT))
    missing = [
        t.value
        for t, tb in sorted(tables.items())
        if tb.status in (TableStatus.TITLE_ONLY, TableStatus.ABSENT)
    ]
    title_only = [t for t in missing if tables[TableId(t)].status is TableStatus.TITLE_ONLY]
    if missing and kind_found is not DocumentKind.PERFORMANCE:  # an evaluation has no 决算 tables
        only = "（仅有标题）" if title_only == missing else ""
        shown = "、".join(SPECS[TableId(t)].label for t in missing) if budget else span(missing)
        notes = [f"表格未呈现：{shown}{only}", *notes]
    if unread:
        notes.append(f"{len(unread)} 个单元格的内容不是金额，未能读取（见“未读单元格”）")
    present = any(t.status is not TableStatus.ABSENT for t in tables.values())
    notes.extend(_page_notes(lines, any_table=present or bool(extras)))
    sections, parts = tuple(split_sections(lines)), tuple(split_parts(lines))
    performance = read_performance(extras, sections, parts, lines, kind_found)
    if name is None and (named := _form_department(performance)) is not None:
        name, name_source = named  # a 自评表 names its 部门（单位）in a cell
        if name_source is not None:
            provenance = dict(sorted({**provenance, "unit_name": name_source}.items()))
    return Report(
        unit_name=name,
        year=year,
        tables=dict(sorted(tables.items())),
        sections=sections,
        parts=parts,
        source_file=file,
        reader_notes=tuple(notes),
        kind=kind_found,
        provenance=provenance,
        extra_tables=extras,
        unread_cells=tuple(unread),
        performance=performance,
    )


def _form_department(performance: Performance) -> tuple[str, Source | None] | None:
    """The 部门（单位）名称 (or 主管部门) most of a document's 绩效自评表 print, with the first
    form's place: the unit of a document that is only its forms."""
    named = Counter(f.department.strip() for f in performance.forms if f.department.strip())
    if not named:
        return None
    name = named.most_common(1)[0][0]
    first = next(f for f in performance.forms if f.department.strip() == name)
    return name, first.source
