"""Table 07 (“三公”经费支出决算表): the 三公 figures under a multi-level header, for the shared
assembler (:mod:`juesuan.readers.layout`)."""

from __future__ import annotations

from collections.abc import Sequence

from juesuan.model.layout import SANGONG_COLUMNS, SANGONG_ITEM_WORDS, TableSpec
from juesuan.model.source import Source
from juesuan.model.tables import Cell, Row
from juesuan.readers.layout import (
    GridCell,
    _is_column_number_row,
    _is_number,
    _split_header,
    _stacks,
    _value,
    norm,
)

_TOTAL_WORDS = ("小计", "合计", "总计")


def sangong_column(stack: Sequence[str]) -> str | None:
    """The 三公 column a header stack names (``预算数/公务接待费`` …), by the words a person
    reads: 预算/决算 anywhere in the stack, then the item from the deepest words up (a 小计 is the
    item of the word above it; with none, the 三公 total). The words are data
    (:data:`~juesuan.model.layout.SANGONG_ITEM_WORDS`)."""
    words = [norm(w) for w in stack if w]
    if not words:
        return None
    part = "预算数" if any("预算" in w for w in words) else "决算数"
    for w in reversed(words):
        for needles, item in SANGONG_ITEM_WORDS:
            if any(n in w for n in needles):
                return f"{part}/{item}"
    if any(w in _TOTAL_WORDS or "三公" in w or "预算" in w or "决算" in w for w in words):
        return f"{part}/合计"
    return None


def _part_label(text: str) -> bool:
    t = norm(text)
    return ("预算" in t or "决算" in t) and len(t) <= 8 and not _is_number(t)


def sangong(spec: TableSpec, rows: Sequence[Sequence[GridCell]]) -> tuple[list[Row], list[str]]:
    """One row of figures under the 预算数/决算数 × item header; or (陕西 and others) one row per
    预算数 and 决算数 under an item header, the row's label naming the part. Columns the
    three 三公 items leave (会议费, 培训费) are read too."""

    def is_data(row: Sequence[GridCell]) -> bool:
        texts = [c.text.strip() for c in row if c.text.strip()]
        if not texts or _is_column_number_row(row):
            return False
        if _part_label(texts[0]):
            texts = texts[1:]
        return bool(texts) and all(_is_number(t) for t in texts)

    header, start = _split_header(rows, is_data)
    stacks = _stacks(header)
    cells: dict[str, Cell] = {}
    source: Source | None = None
    for row in rows[start:]:
        if not is_data(row):
            continue
        first = next((c for c in row if c.text.strip()), None)
        label = first.text.strip() if first is not None and _part_label(first.text) else None
        for pos in range(len(row)):
            if pos >= len(stacks) or not row[pos].text.strip() or (row[pos] is first and label):
                continue
            key = sangong_column(([label] if label else []) + stacks[pos])
            if key is not None and key not in cells:
                cells[key] = _value(row[pos])
        source = source or row[0].source
        if label is None:
            break
    notes = []
    missing = [c for c in SANGONG_COLUMNS if c not in cells]
    if cells and missing:
        notes.append(f"{spec.label}未找到列：{'、'.join(missing)}")
    if not cells:
        return [], notes
    return [Row("三公经费", "“三公”经费", cells, None, None, source)], notes
