"""One document assembly for every reader: blocks in reading order → a :class:`Report`.

A paragraph that names a standard table (:func:`~juesuan.model.layout.identify_title`) opens
it; the unit line (金额单位：元) and the notes (注：/说明：) after it belong to it, and the next
table grid is its body. A grid with no title of its own continues the table before it (a table
broken across pages, or a Word table split in two) unless something closed that table: a note,
narrative text, a part heading or a new worksheet; where both fragments know their column
boundaries (PDF) they must share the frame, and a header the continuation repeats is dropped.
A grid under a title that names no standard table (项目支出绩效自评表, 政府采购情况表 …) is kept
as an extra table with that title, never dropped silently.

The same code serves text, PDF, DOCX, HTML and XLSX, so titles, units, notes, continuation and
the narrative are handled once (:mod:`juesuan.readers.blocks` holds the line patterns).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.errors import InputError
from juesuan.model.amount import Unit, parse_unit
from juesuan.model.codes import Codes, reference_codes
from juesuan.model.layout import SPECS, TableId
from juesuan.model.report import DocumentKind, Report, UnreadCell
from juesuan.model.source import Source
from juesuan.model.tables import ExtraTable, Table, TableStatus
from juesuan.readers.blocks import (
    NOTE,
    Block,
    Boundary,
    Paragraph,
    TableBlock,
    is_budget_title,
    is_meta,
    is_page_furniture,
    lift_meta,
    title_of,
)
from juesuan.readers.document import (
    EMPTY_WORDS,
    find_year,
    finish_report,
    keep_better,
    settle_table,
)
from juesuan.readers.layout import GridCell, assemble, norm
from juesuan.readers.narrative import PART

_SNAP = 2.0  # column boundaries this close (points) are the same boundary
_FRAME = 6.0  # two fragments whose outer edges differ by less are one frame
# a frame laid out again this far over on the next page, its columns as wide (mirrored page
# margins: 西安 2020's 表8 is 9 pt further left on even pages) is the same frame
_SHIFT = 36.0
# A short line ending in 表 that names no standard table: the title of an extra table.
_EXTRA_TITLE = re.compile(r"^[^，。；;！？]{3,40}?表(?:[（(]续[）)])?$")
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…{2,}|·{3,})\s*\d*$|\s\d{1,3}$")


@dataclass
class _Context:
    """A table being read: its title, unit, notes and the grid fragments seen so far."""

    table_id: TableId | None  # None: a table outside the nine standard ones
    title: str
    source: Source | None
    unit: Unit | None = None
    notes: list[str] = field(default_factory=list)
    fragments: list[TableBlock] = field(default_factory=list)
    closed: bool = False  # a note or narrative text came after the body: no continuation
    repeats: _Context | None = None  # the table whose title this one prints again

    def continues(self, block: TableBlock) -> bool:
        if self.closed or not self.fragments:
            return False
        last = self.fragments[-1]
        if last.xs and block.xs:
            left, right = abs(last.xs[0] - block.xs[0]), abs(last.xs[-1] - block.xs[-1])
            return (left <= _FRAME and right <= _FRAME) or _shifted(last.xs, block.xs)
        return True

    def rows(self) -> list[list[GridCell]]:
        """The rows of all fragments, a repeated header dropped, each cell at the column of
        the union of the fragments' column boundaries where it starts."""
        if not self.fragments:
            return []
        first = self.fragments[0]
        header = {_row_key(r) for r in first.rows[:8] if _row_key(r)}
        parts: list[tuple[TableBlock, list[list[GridCell]]]] = [(first, list(first.rows))]
        for frag in self.fragments[1:]:
            rows = list(frag.rows)
            while rows and _row_key(rows[0]) in header and not _has_number(rows[0]):
                rows.pop(0)
            parts.append((frag, rows))
        if len(parts) == 1 or not all(f.xs for f, _ in parts):
            return [r for _, rows in parts for r in rows]
        if all(len(f.xs or ()) == len(first.xs or ()) for f, _ in parts):
            # the same columns on every page, drawn a few points apart (a table re-laid out on
            # each page of 广州's 预算): column j is column j
            return [r for _, rows in parts for r in rows]
        xs = _snap([x for f, _ in parts for x in (f.xs or ())])
        out: list[list[GridCell]] = []
        for frag, rows in parts:
            fx = frag.xs or ()
            for row in rows:
                new = [GridCell("") for _ in range(len(xs) - 1)]
                for j, cell in enumerate(row):
                    if cell.text and j < len(fx):
                        k = min(range(len(xs) - 1), key=lambda k: abs(xs[k] - fx[j]))
                        new[k] = cell
                out.append(new)
        return out


def _shifted(before: Sequence[float], after: Sequence[float]) -> bool:
    """The same columns, every one as wide, the whole frame moved sideways by up to
    :data:`_SHIFT` points."""
    if len(before) != len(after) or len(before) < 3:
        return False
    shift = after[0] - before[0]
    return abs(shift) <= _SHIFT and all(
        abs(b - a - shift) <= _SNAP for a, b in zip(before, after, strict=True)
    )


def _row_key(row: Sequence[GridCell]) -> str:
    return "|".join(norm(c.text) for c in row if c.text.strip())


def _has_number(row: Sequence[GridCell]) -> bool:
    return any(re.search(r"\d[\d,]*\.\d", c.text) for c in row)


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _SNAP:
            continue
        out.append(v)
    return out


def _page_head(holder: _Context, block: Paragraph) -> bool:
    """A short line on a later page than the table's last fragment, before anything else: the
    next page's running head, not text that ends the table."""
    if not holder.fragments or block.source is None or block.source.page is None:
        return False
    last = holder.fragments[-1].source
    if last is None or last.page is None or block.source.page <= last.page:
        return False
    text = block.text.strip()
    return (
        len(text) <= 40 and not is_meta(text) and not _is_sentence(text) and not _extra_title(text)
    )


def _is_sentence(text: str) -> bool:
    return not is_meta(text) and (len(text) > 40 or text.rstrip().endswith(("。", "；")))


def _extra_title(text: str) -> bool:
    s = re.sub(r"\s+", "", text)
    return bool(_EXTRA_TITLE.match(s)) and not _TOC_ENTRY.search(text.strip())


def assemble_document(
    blocks: Iterable[Block],
    path: Path,
    *,
    codes: Codes | None = None,
    medium: str = "document",
) -> Report:
    """A report from a document's blocks in reading order (see the module docstring)."""
    codes = codes or reference_codes()
    items = lift_meta(blocks)
    paragraphs = [b for b in items if isinstance(b, Paragraph)]
    texts = [p.text for p in paragraphs]
    texts += [c.text for b in items if isinstance(b, TableBlock) for r in b.rows[:6] for c in r]
    year = find_year(texts)
    repeated = _running_heads(paragraphs)
    contexts: list[_Context] = []
    previous = ""  # the paragraph before (a title may wrap onto the next line)
    current: _Context | None = None  # a title waiting for its grid
    last: _Context | None = None  # the table whose grid came last (continuation target)
    for block in items:
        if isinstance(block, Boundary):
            current = last = None
        elif isinstance(block, Paragraph):
            s = block.text.strip()
            if not s:
                continue
            tid = title_of(s)
            if tid is None and len(s) <= 3 and s.endswith("表") and previous:
                # a budget title wrapped before its last character ("…支出预算" / "表")
                joined = title_of(previous + s)
                if joined is not None and TableId(str(joined)).is_budget:
                    tid, s = joined, previous + s
            previous = s
            if tid is not None:
                current = _Context(TableId(str(tid)), s, block.source)
                if last is not None and last.table_id == current.table_id and last.title == s:
                    current.repeats = last  # 西安: the title printed again on each page
                contexts.append(current)
                continue
            if PART.match(s):
                current = last = None
                continue
            if current is not None and not current.fragments and _is_sentence(s):
                current = None  # a title with no grid after it (a table of contents, an image)
            holder = current or last
            if holder is None or is_page_furniture(s) or s in repeated or _page_head(holder, block):
                if holder is None and _extra_title(s):
                    current = _Context(None, s, block.source)
                    contexts.append(current)
                continue
            if "单位" in s and holder.unit is None and (u := parse_unit(s)) is not None:
                holder.unit = u
            elif NOTE.match(s):
                holder.notes.append(s)
                if holder.fragments:
                    holder.closed = True
            elif holder.fragments and (not is_meta(s) or is_budget_title(s)):
                # text, or the title of a budget table outside the kinds we read (西安 2020's
                # 政府性基金收支总表): the table before has ended
                holder.closed = True
                current = None if current is holder else current
                if _extra_title(s):
                    current = _Context(None, s, block.source)
                    contexts.append(current)
            elif not holder.fragments and _extra_title(s) and holder.table_id is None:
                holder.title = s  # two title lines of an extra table: the later one names it
        else:
            if current is not None and current.repeats is not None and _goes_on(current, block):
                # the same columns under the same title on the next page: one table
                current.repeats.fragments.append(block)
                contexts.remove(current)
                last, current = current.repeats, None
            elif current is not None and not current.fragments:
                current.fragments.append(block)
                last, current = current, None
            elif last is not None and last.continues(block):
                last.fragments.append(block)
            else:
                last = _Context(None, "", block.source, fragments=[block])
                contexts.append(last)
                current = None
    lines = [(p.text, p.source) for p in paragraphs]
    kind = _kind(contexts, lines)
    if kind[0].is_budget:
        from juesuan.readers.identity import year_of

        # a budget's year is its cover's ("2026年部门预算"); 年度 is printed with last year's
        # figures as often as with this year's
        year = year_of(lines, year)[0]
    # a 决算 reads the nine 决算 tables, a 预算 the kinds of budget table; a table of the other
    # family (a 预算 table quoted in a 决算) is kept as printed
    ours = [
        c for c in contexts if c.table_id is not None and c.table_id.is_budget == kind[0].is_budget
    ]
    stated = Counter(c.unit for c in ours if c.unit is not None)
    default_unit = stated.most_common(1)[0][0] if stated else None
    tables: dict[TableId, Table] = {}
    unread: dict[TableId, list[UnreadCell]] = {}
    extras: list[ExtraTable] = []
    notes: list[str] = []
    for ctx in contexts:
        text = ctx.table_id is not None and SPECS[ctx.table_id].layout == "text"
        if ctx.table_id is None or text or all(ctx is not c for c in ours):
            extra = _extra(ctx, ctx.table_id if text and ctx in ours else None)
            if extra is not None:
                extras.append(extra)
            continue
        table, table_notes, table_unread = _build(ctx, codes, year, str(path), default_unit)
        if keep_better(tables, table) and table.status in (TableStatus.PRESENT, TableStatus.EMPTY):
            notes.extend(table_notes)
            unread[table.id] = table_unread
    report = finish_report(
        tables,
        notes,
        lines,
        file=str(path),
        year=year,
        extras=tuple(extras),
        unread=[u for tid in sorted(unread) for u in unread[tid]],
        kind=kind,
    )
    found = any(t.status is not TableStatus.ABSENT for t in report.tables.values())
    if not found and not report.sections and report.kind in (DocumentKind.OTHER, None):
        from juesuan.readers.crawled import content_notes

        page = content_notes(lines)
        reason = "；".join(page) if page else "no table titles, no 情况说明 sections"
        raise InputError(path, f"no 部门决算 content found in this {medium} ({reason})")
    return report


def _goes_on(title: _Context, block: TableBlock) -> bool:
    """Does a grid under a repeated title continue the table first printed under it?"""
    before = title.repeats
    if before is None or not before.fragments:
        return False
    last = before.fragments[-1]
    if not (last.xs and block.xs and len(last.xs) == len(block.xs)):
        return False
    if all(abs(a - b) <= _FRAME for a, b in zip(last.xs, block.xs, strict=True)):
        return True
    # the same header over the same number of columns, the frame laid out again a few points
    # over on the next page (西安 2021's 表5 moves 7 pt)
    return _header_key(before.fragments[0]) == _header_key(block) != ""


def _header_key(block: TableBlock) -> str:
    return _row_key(block.rows[0]) if block.rows else ""


def _running_heads(paragraphs: Sequence[Paragraph]) -> set[str]:
    """Lines printed at the top or bottom of many pages (a running head with the unit's name
    and year): page furniture, not text that ends a table."""
    pages = Counter(
        p.text.strip() for p in paragraphs if p.source is not None and p.source.page is not None
    )
    return {t for t, n in pages.items() if n >= 3 and len(t) <= 40 and not is_meta(t)}


def _build(
    ctx: _Context, codes: Codes, year: int | None, file: str, default_unit: Unit | None
) -> tuple[Table, list[str], list[UnreadCell]]:
    assert ctx.table_id is not None
    note = " ".join(ctx.notes) or None
    source = ctx.source or Source(file=file)
    tid = ctx.table_id
    rows = ctx.rows()
    title = re.sub(r"\s+", "", ctx.title) if len(ctx.title) < 40 else ctx.title
    if not any(c.text.strip() for r in rows for c in r):
        empty_note = note if note and any(w in note for w in EMPTY_WORDS) else None
        table = Table(tid, TableStatus.TITLE_ONLY, title, ctx.unit, (), empty_note, source)
        return table, [], []
    assembly = assemble(
        tid, rows, title=title, unit=ctx.unit, note=note, codes=codes, year=year, source=source
    )
    table, notes = settle_table(assembly.table, assembly.notes, ctx.unit, note, default_unit)
    return table, notes, assembly.unread


def _extra(ctx: _Context, kind: TableId | None = None) -> ExtraTable | None:
    """A table outside the nine, as printed (a budget's 绩效目标表 with the kind it is); a lone
    box of text (a cover frame) is not one."""
    rows = [tuple(c.text.strip() for c in r) for r in ctx.rows() if any(c.text.strip() for c in r)]
    if len(rows) < 2 or max(sum(bool(t) for t in r) for r in rows) < 2:
        return None
    source = ctx.source or ctx.fragments[0].source
    return ExtraTable(ctx.title, tuple(rows), ctx.unit, source, kind)


def _kind(
    contexts: Sequence[_Context], lines: Sequence[tuple[str, Source | None]]
) -> tuple[DocumentKind, Source | None]:
    """What the document is (:func:`juesuan.readers.identity.document_kind`): the cover's word,
    else the 决算 titles found against the 预算 titles."""
    from juesuan.readers.identity import document_kind

    final = len({c.table_id for c in contexts if c.table_id and not c.table_id.is_budget})
    budget = sum(is_budget_title(t) for t, _ in lines)
    budget += len({c.table_id for c in contexts if c.table_id and c.table_id.is_budget})
    return document_kind(lines, final, budget)
