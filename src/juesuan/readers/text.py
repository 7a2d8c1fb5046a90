"""Plain text as the seeds print it: tables as tab-separated lines under their titles.

A table is found by its title words (公开0N表 labels and ordinals are optional); a table of
contents line is not a table because no table body follows it. The narrative (第三部分) is
split into its numbered sections.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from juesuan.errors import InputError
from juesuan.model.amount import Unit, parse_unit
from juesuan.model.codes import Codes, reference_codes
from juesuan.model.layout import SPECS, TableId, identify_title
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.model.tables import Table, TableStatus
from juesuan.readers.layout import GridCell, assemble
from juesuan.readers.narrative import PART as _PART
from juesuan.readers.narrative import split_parts, split_sections

_YEAR = re.compile(r"(20\d{2})\s*年度")
_UNIT_NAME = re.compile(r"^(?:部门|单位|编制单位|部门名称|单位名称)[:：]\s*(.+?)\s*$")
_NOTE = re.compile(r"^(注|说明|备注)\s*[:：0-9１-９]")
_EMPTY_WORDS = ("无数据", "没有", "无此", "未发生", "不涉及", "无相关", "空表")


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
    sourced = _sourced(lines, file)
    sections = split_sections(sourced)
    if not candidates and not sections:
        raise InputError(path, "no 部门决算 content found (no table titles, no 情况说明 sections)")
    stops = sorted(
        {i for i, _ in candidates}
        | {i for i, line in enumerate(lines) if _PART.match(line.strip())}
    )
    tables: dict[TableId, Table] = {}
    notes: list[str] = []
    for i, tid in candidates:
        end = next((s for s in stops if s > i), len(lines))
        table, table_notes = _read_block(tid, lines, i, end, codes, year, file)
        previous = tables.get(tid)
        # a later title-only occurrence may carry the note; otherwise the fuller block wins
        if (
            previous is None
            or _rank(table) > _rank(previous)
            or _rank(table) == _rank(previous) == 1
        ):
            tables[tid] = table
            if table.status in (TableStatus.PRESENT, TableStatus.EMPTY):
                notes.extend(table_notes)
    for tid in TableId:
        if tid not in tables:
            tables[tid] = Table(tid, TableStatus.ABSENT)
    missing = [
        t.value
        for t, tb in tables.items()
        if tb.status in (TableStatus.TITLE_ONLY, TableStatus.ABSENT)
    ]
    title_only = [t for t in missing if tables[TableId(t)].status is TableStatus.TITLE_ONLY]
    if missing:
        notes.insert(
            0, f"表格未呈现：{_span(missing)}" + ("（仅有标题）" if title_only == missing else "")
        )
    return Report(
        unit_name=_find_unit_name(lines),
        year=year,
        tables=dict(sorted(tables.items())),
        sections=tuple(sections),
        parts=tuple(split_parts(sourced)),
        source_file=file,
        reader_notes=tuple(notes),
    )


def _span(ids: list[str]) -> str:
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


def _rank(table: Table) -> int:
    return {TableStatus.PRESENT: 3, TableStatus.EMPTY: 2, TableStatus.TITLE_ONLY: 1}.get(
        table.status, 0
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
    table = assembly.table
    notes = list(assembly.notes)
    if unit is None:
        notes.append(f"{SPECS[tid].label}未注明金额单位，按“元”处理")
        table = replace(table, unit=Unit.YUAN)
    if table.status is TableStatus.EMPTY and note and not any(w in note for w in _EMPTY_WORDS):
        table = replace(table, note=None)
    return table, notes


def _find_year(lines: list[str]) -> int | None:
    years = Counter(int(m.group(1)) for line in lines for m in _YEAR.finditer(line))
    if not years:
        return None
    # The report year is printed in every table header and the part titles; the year before
    # appears in comparisons only, and less often.
    return years.most_common(1)[0][0]


def _find_unit_name(lines: list[str]) -> str | None:
    names = Counter(m.group(1) for line in lines if (m := _UNIT_NAME.match(line.strip())))
    if names:
        return names.most_common(1)[0][0]
    for line in lines:
        m = re.match(r"^第一部分\s*(.+?)(?:概况|基本情况)", line.strip())
        if m:
            return m.group(1).strip()
    return None


def _sourced(lines: list[str], file: str) -> list[tuple[str, Source | None]]:
    return [(line, Source(file=file, line=n + 1)) for n, line in enumerate(lines)]
