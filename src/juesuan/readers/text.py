"""Plain text as the seeds print it: tables as tab-separated lines under their titles.

A table is found by its title words (公开0N表 labels and ordinals are optional); a table of
contents line is not a table because no table body follows it. The narrative (第三部分) is
split into its numbered sections. A text with a narrative and no tables is read as such (a
crawled 部门决算说明 page whose tables were attachments); one with neither says what it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from juesuan.errors import InputError
from juesuan.model.amount import Unit, parse_unit
from juesuan.model.codes import Codes, reference_codes
from juesuan.model.layout import TableId, identify_title
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.model.tables import Table, TableStatus
from juesuan.readers.crawled import content_notes, meta_note, page_meta, title_unit_year
from juesuan.readers.document import EMPTY_WORDS as _EMPTY_WORDS
from juesuan.readers.document import NOTE as _NOTE
from juesuan.readers.document import find_year as _find_year
from juesuan.readers.document import finish_report, keep_better, settle_table
from juesuan.readers.document import rank as _rank  # noqa: F401  (used by readers.pdf)
from juesuan.readers.layout import GridCell, assemble
from juesuan.readers.narrative import PART as _PART
from juesuan.readers.narrative import split_sections


def decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise InputError(path, "not a text file (unknown encoding or binary content)")


def read_text(data: bytes, path: Path, codes: Codes | None = None) -> Report:
    text = decode(data, path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    codes = codes or reference_codes()
    file = str(path)
    year = _find_year(lines)
    candidates = [
        (i, tid)
        for i, line in enumerate(lines)
        if (tid := identify_title(line.strip())) is not None and "\t" not in line
    ]
    sourced = [(line, Source(file=file, line=n + 1)) for n, line in enumerate(lines)]
    page = content_notes(sourced)
    if not candidates and not split_sections(sourced):
        # say what the page holds instead (its tables are attachments, its 情况说明 an image)
        reason = "；".join(page) if page else "no table titles, no 情况说明 sections"
        raise InputError(path, f"no 部门决算 content found ({reason})")
    stops = sorted(
        {i for i, _ in candidates}
        | {i for i, line in enumerate(lines) if _PART.match(line.strip())}
    )
    tables: dict[TableId, Table] = {}
    notes: list[str] = []
    for i, tid in candidates:
        end = next((s for s in stops if s > i), len(lines))
        table, table_notes = _read_block(tid, lines, i, end, codes, year, file)
        if keep_better(tables, table) and table.status in (TableStatus.PRESENT, TableStatus.EMPTY):
            notes.extend(table_notes)
    report = finish_report(tables, notes, sourced, file=file, year=year)
    return _with_page(report, sourced, page)


def _with_page(
    report: Report, lines: Sequence[tuple[str, Source | None]], page: list[str]
) -> Report:
    """A crawled page: its header names the unit and year when the text does not (the title
    "2015年度…台湾工作部部门决算说明"), and says where the page came from."""
    meta = page_meta(lines)
    notes = list(report.reader_notes) + page
    unit, year = title_unit_year(meta.title) if meta and meta.title else (None, None)
    if meta and (note := meta_note(meta)):
        notes.append(note)
    return replace(
        report,
        unit_name=report.unit_name or unit,
        year=report.year or year,
        reader_notes=tuple(notes),
    )


def _read_block(
    tid: TableId, lines: list[str], start: int, end: int, codes: Codes, year: int | None, file: str
) -> tuple[Table, list[str]]:
    unit: Unit | None = None
    note_lines: list[str] = []
    grid: list[list[GridCell]] = []
    for n in range(start + 1, end):
        raw = lines[n]
        stripped = raw.strip()
        if not stripped:
            continue
        if "\t" in raw:
            source = Source(file=file, line=n + 1)
            grid.append([GridCell(c, source) for c in raw.rstrip("\n").split("\t")])
            continue
        if "单位" in stripped and (u := parse_unit(stripped)) is not None and unit is None:
            unit = u
        elif _NOTE.match(stripped):
            note_lines.append(stripped)
    note = " ".join(note_lines) or None
    source = Source(file=file, line=start + 1)
    if not grid:
        empty_note = note if note and any(w in note for w in _EMPTY_WORDS) else None
        return Table(
            tid, TableStatus.TITLE_ONLY, lines[start].strip(), unit, (), empty_note, source
        ), []
    assembly = assemble(
        tid,
        grid,
        title=lines[start].strip(),
        unit=unit,
        note=note,
        codes=codes,
        year=year,
        source=source,
    )
    return settle_table(assembly.table, assembly.notes, unit, note)
