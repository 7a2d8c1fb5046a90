"""One shared table assembler: a grid of printed cell texts → a model :class:`Table`.

Every reader (text, PDF, DOCX, HTML, XLSX) reduces a printed table to a grid: rows of cell
strings at their printed positions, each with its :class:`Source`. This module finds the header
rows, names every column by its header words (so column order does not matter), splits the
two-sided tables 01/04 and the side-by-side groups of table 06, reads codes (one string or split
into 类|款|项 cells) and keeps blank apart from a printed 0.00.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from juesuan.model.amount import Unit, parse_amount
from juesuan.model.codes import Codes, normalize_name
from juesuan.model.layout import (
    EXPENDITURE,
    GENERIC_ALIASES,
    INCOME,
    LABEL_HEADERS,
    SPECS,
    Classification,
    FixedRow,
    Side,
    TableId,
    TableSpec,
)
from juesuan.model.report import UnreadCell
from juesuan.model.source import Source
from juesuan.model.tables import Cell, Row, Table, TableStatus


@dataclass(frozen=True, slots=True)
class GridCell:
    text: str
    source: Source | None = None


Grid = Sequence[Sequence[GridCell]]

# Words printed in header cells that name no value column, and the names every table uses
# for a column: vocabulary data (model/data/tables.toml).
_LABEL_HEADERS = LABEL_HEADERS
_GENERIC_ALIASES = GENERIC_ALIASES
_LEVEL_WORDS = ("类", "款", "项")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_CODE_PART = re.compile(r"^\d{2,3}$")
_SPLIT_PART = re.compile(r"^\d{1,2}$")
_CODE_WITH_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\D.*)$")
_BRACKETED = re.compile(
    r"^[\[【［]\s*(\d{3}(?:\d{2}){0,2})\s*[\]】］]\s*(.*)$|^(?=\d)(\d{3}(?:\d{2}){0,2})\s*[-－—]\s*(\D.*)$"
)


def norm(text: str) -> str:
    return normalize_name(text)


def _is_number(text: str) -> bool:
    return parse_amount(text) is not None


def _is_column_number_row(row: Sequence[GridCell]) -> bool:
    """The 栏次 row: "栏次 1 2 3 …" or only small integers."""
    texts = [c.text.strip() for c in row if c.text.strip()]
    if not texts:
        return False
    if norm(texts[0]) in ("栏次", "档次", "行次"):
        return True
    return all(t.isdigit() and len(t) <= 2 for t in texts) and len(texts) >= 2


@dataclass
class Assembly:
    """What the assembler found and could not read."""

    table: Table
    notes: list[str] = field(default_factory=list)
    unread: list[UnreadCell] = field(default_factory=list)


def assemble(
    table_id: TableId,
    grid: Grid,
    *,
    title: str,
    unit: Unit | None,
    note: str | None,
    codes: Codes,
    year: int | None,
    source: Source | None = None,
) -> Assembly:
    spec = SPECS[table_id]
    rows = [r for r in grid if any(c.text.strip() for c in r)]
    if spec.layout not in ("listing", "text"):
        rows = without_row_numbers(rows)
    if not rows:
        return Assembly(Table(table_id, TableStatus.TITLE_ONLY, title, unit, (), note, source))
    if spec.layout == "panes":
        built, notes = _two_sided(spec, rows, codes, year)
    elif spec.layout == "groups":
        built, notes = _groups(spec, rows)
    elif spec.layout == "sangong":
        from juesuan.readers.layout_sangong import sangong

        built, notes = sangong(spec, rows)
    elif spec.layout in ("budget_sangong", "listing", "text"):
        from juesuan.readers.layout_budget import budget_sangong, listing

        reader = budget_sangong if spec.layout == "budget_sangong" else listing
        built, notes = reader(spec, rows, year)
    else:
        built, notes = _classified(spec, rows, codes, year)
    built, unread = _take_unread(table_id, built)
    has_values = any(c.value is not None and c.value != 0 for r in built for c in r.cells.values())
    one_row = spec.layout in ("sangong", "budget_sangong", "listing")
    has_detail = any(r.code for r in built) or (one_row and has_values)
    status = TableStatus.PRESENT if (has_values or has_detail) else TableStatus.EMPTY
    if not built:
        status = TableStatus.TITLE_ONLY if not _has_header(rows, spec) else TableStatus.EMPTY
    table = Table(table_id, status, title, unit, tuple(built), note, source)
    return Assembly(table, notes, unread)


# Header words of a first column that numbers the rows (西安's 序号; 行次 printed first)
_ROW_NUMBER_HEADERS = frozenset(("序号", "行次", "编号", "序", "号"))
_ROW_NUMBER = re.compile(r"^\d{1,4}$")


def without_row_numbers(rows: Sequence[Sequence[GridCell]]) -> list[Sequence[GridCell]]:
    """The rows without a leading column that only numbers them: headed 序号 (or blank) over
    1, 2, 3 … (blank cells allowed). Such a column sits where a code or a label is looked
    for, so the rows would not be read at all. A column of codes never counts up by one."""
    if not rows or min(len(r) for r in rows) < 2:
        return list(rows)
    first = [c.text.strip() for r in rows for c in r[:1]]
    start = next((i for i, t in enumerate(first) if _ROW_NUMBER.match(t)), None)
    if start is None:
        return list(rows)
    header = [norm(t) for t in first[:start] if t]
    if any(w not in _ROW_NUMBER_HEADERS for w in header):
        return list(rows)
    below = [t for t in first[start:] if t]
    if not all(_ROW_NUMBER.match(t) for t in below):
        return list(rows)  # a word under the numbers: a label column after all
    numbers = [int(t) for t in below]
    counts_up = all(b == a + 1 for a, b in itertools.pairwise(numbers))
    if not counts_up or (not header and len(numbers) < 3):
        return list(rows)
    return [r[1:] for r in rows]


def _has_header(rows: Sequence[Sequence[GridCell]], spec: TableSpec | None = None) -> bool:
    if spec is not None and spec.is_budget:
        return any(c.text.strip() for r in rows for c in r)  # a grid printed without figures
    return any(norm(c.text) in _LABEL_HEADERS for r in rows for c in r)


# --- header analysis -------------------------------------------------------------------------


def _split_header(
    rows: Sequence[Sequence[GridCell]], is_data: object
) -> tuple[list[list[str]], int]:
    """Header rows (normalised texts) and the index of the first data row."""
    header: list[list[str]] = []
    for i, row in enumerate(rows):
        if _is_column_number_row(row):
            continue
        if callable(is_data) and is_data(row):
            return header, i
        header.append([norm(c.text) for c in row])
    return header, len(rows)


def _stacks(header: list[list[str]]) -> list[list[str]]:
    """For each position, the header words above it, top to bottom. A merged header cell is
    printed once with empty cells after it; it spans those positions where the row below has
    words (that is how a group header such as 本年支出 or 预算数 covers its sub-columns)."""
    width = max((len(r) for r in header), default=0)
    grid = [r + [""] * (width - len(r)) for r in header]
    stacks: list[list[str]] = [[] for _ in range(width)]
    for depth, row in enumerate(grid):
        deeper = [any(g[pos] for g in grid[depth + 1 :]) for pos in range(width)]
        # a new cell starting in a row above ends every span below it (公务接待费 beside
        # 公务用车购置及运行维护费 is not under 公务用车运行维护费)
        above = [any(g[pos] for g in grid[:depth]) for pos in range(width)]
        current = ""
        for pos, text in enumerate(row):
            if text:
                current = text
                stacks[pos].append(text)
            elif current and deeper[pos] and not above[pos]:
                stacks[pos].append(current)
            else:
                current = ""
    return stacks


def relative_years(stacks: list[list[str]], year: int | None) -> list[list[str]]:
    """A budget's header words with the year said relative to the report's: "2025年预算数" in a
    2026 budget is the 上年预算数, "2026年预算数" and "当年" the 本年 (so one vocabulary serves
    every year); a 金额 or 小计 under a group is the group's amount."""
    out = []
    for st in stacks:
        if year is not None:
            st = [
                re.sub(rf"^{year}年度?", "本年", re.sub(rf"^{year - 1}年度?", "上年", w))
                for w in st
            ]
        st = [w.replace("当年", "本年") for w in st]
        # "事业收入 / 金额", "本年收入 / 小计": the amount of the group above
        while len(st) > 1 and st[-1] in ("金额", "小计"):
            st = st[:-1]
        out.append(st)
    return out


def column_key(
    side: Side, stack: list[str], generic: dict[str, tuple[str, ...]] | None = None
) -> str | None:
    """The column whose words (key or alias, possibly ``group/leaf``) best match a stack."""
    if not stack:
        return None
    generic = _GENERIC_ALIASES if generic is None else generic
    deepest = stack[-1]
    depth = {word: i for i, word in enumerate(stack)}
    # More matched words first; among equals, the one whose words sit deeper in the header
    # (公务用车购置费 under 公务用车购置及运行费 over 预算数 names the 购置费 column).
    best: tuple[int, int, str] | None = None
    for key in side.columns:
        names = (key, *side.column_aliases.get(key, ()), *generic.get(key, ()))
        for name in names:
            parts = [norm(p) for p in name.split("/")]
            if deepest in parts and all(p in depth for p in parts):
                score = (len(parts), sum(depth[p] for p in parts))
                if best is None or score > best[:2]:
                    best = (*score, key)
    return best[2] if best else None


def _columns(
    side: Side,
    stacks: list[list[str]],
    positions: range,
    generic: dict[str, tuple[str, ...]] | None = None,
) -> dict[int, str]:
    out: dict[int, str] = {}
    used: set[str] = set()
    for pos in positions:
        if pos >= len(stacks):
            break
        key = column_key(side, stacks[pos], generic)
        if key and key not in used:
            out[pos] = key
            used.add(key)
    return out


def _cell(row: Sequence[GridCell], pos: int) -> GridCell:
    return row[pos] if pos < len(row) else GridCell("")


@dataclass(frozen=True, slots=True)
class _Unparsed(Cell):
    """A value cell whose printed text is not an amount; replaced by a blank cell and
    reported (:attr:`Assembly.unread`) before the table leaves the assembler."""

    printed: str = ""


# Printed in a value cell to mean "nothing": not an amount, not an unread cell either.
_NOTHING = frozenset(("-", "—", "－", "/", "--", "——", "－－", "／", "…", "\\"))


def _value(gc: GridCell) -> Cell:
    text = gc.text.strip()
    if not text or text in _NOTHING:
        return Cell(None, gc.source)
    value = parse_amount(text)
    if value is None:
        return _Unparsed(None, gc.source, text)
    return Cell(value, gc.source)


def _take_unread(table_id: TableId, rows: list[Row]) -> tuple[list[Row], list[UnreadCell]]:
    unread: list[UnreadCell] = []
    out: list[Row] = []
    for row in rows:
        if not any(isinstance(c, _Unparsed) for c in row.cells.values()):
            out.append(row)
            continue
        cells: dict[str, Cell] = {}
        for key, cell in row.cells.items():
            if isinstance(cell, _Unparsed):
                unread.append(UnreadCell(table_id, row.key, key, cell.printed, cell.source))
                cell = Cell(None, cell.source)
            cells[key] = cell
        out.append(replace(row, cells=cells))
    return out, unread


# --- classification tables (02, 03, 05, 08, 09) --------------------------------------------


def _leading_code(row: Sequence[GridCell]) -> tuple[str | None, str, int]:
    """(code, name, index after the name) from the first cells of a row."""
    texts = [c.text.strip() for c in row]
    if texts and (b := _BRACKETED.match(texts[0])):
        # "[201]一般公共服务支出" (广州), "2050303-技校教育" (北京)
        return b.group(1) or b.group(3), (b.group(2) or b.group(4) or "").strip(), 1
    first = re.sub(r"\s+", "", texts[0]) if texts else ""
    m = _CODE_WITH_NAME.match(texts[0].strip()) if texts else None
    if _CODE.match(first):
        code, i = first, 1
        # split 类|款|项 columns: "201" "06" "01"; a spreadsheet that dropped the leading zero
        # prints "2" for "02" (上海's 预算 tables), seen by the name that follows
        while i < len(texts) and _SPLIT_PART.match(texts[i]) and len(code) < 7:
            part = texts[i]
            if len(part) == 1:
                following = texts[i + 1] if i + 1 < len(texts) else ""
                if not following or _is_number(following):
                    break
                part = "0" + part
            code += part
            i += 1
        # split code columns leave the 款/项 cells of a 类 row blank before the name
        j = i
        while j < len(texts) and j < i + 2 and not texts[j]:
            j += 1
        if j < len(texts) and texts[j] and not _is_number(texts[j]):
            i = j
        name = texts[i] if i < len(texts) else ""
        return code, name, i + 1
    if m and not _is_number(texts[0]):
        return m.group(1), m.group(2).strip(), 1
    if len(first) == 7 and " " in texts[0]:
        return None, texts[0], 1
    parts = texts[0].split()
    if (
        parts
        and all(_CODE_PART.match(p) or _CODE.match(p) for p in parts)
        and len("".join(parts)) in (3, 5, 7)
    ):
        return "".join(parts), texts[1] if len(texts) > 1 else "", 2
    if texts and (not texts[0] or texts[0] in _LEVEL_WORDS):
        # a 合计 row printed in the name column, its code cells blank or holding the header
        # words 类 | 款 | 项
        for i, t in enumerate(texts[1:4], start=1):
            if t and t not in _LEVEL_WORDS:
                return None, "" if _is_number(t) else t, i + 1
    return None, texts[0] if texts else "", 1


def _is_classified_data(spec: TableSpec) -> object:
    totals = {norm(spec.total_row or "合计"), "合计", "总计"}
    if spec.is_budget:
        totals |= {norm(a) for f in spec.fixed_rows if f.key == spec.total_row for a in f.aliases}

    def check(row: Sequence[GridCell]) -> bool:
        code, name, after = _leading_code(row)
        if not spec.is_budget:
            return code is not None or norm(name) in totals
        if code is not None:
            return True
        texts = [c.text.strip() for c in row if c.text.strip()]
        if texts and all(_is_number(t) for t in texts):
            return True  # one row of figures and no label (北京 收入总表): the table's total
        # a total row has its label in a label column, or figures; the 合计 a header prints
        # over a value column is not one
        if norm(name) not in totals:
            return False
        words = [t for t in texts if not _is_number(t) and norm(t) != norm(name)]
        return any(_is_number(t) for t in texts) or (after <= 2 and not words)

    return check


def _classified(
    spec: TableSpec,
    rows: Sequence[Sequence[GridCell]],
    codes: Codes | None = None,
    year: int | None = None,
) -> tuple[list[Row], list[str]]:
    side = spec.sides[0]
    header, start = _split_header(rows, _is_classified_data(spec))
    stacks = _stacks(header)
    if spec.is_budget:
        from juesuan.readers.layout_budget import budget_classified

        return budget_classified(spec, rows[start:], relative_years(stacks, year), header)
    cols = _columns(side, stacks, range(len(stacks)))
    notes: list[str] = []
    missing = [c for c in side.columns if c not in cols.values()]
    if missing and len(missing) < len(side.columns):
        notes.append(f"{spec.label}未找到列：{'、'.join(missing)}")
    out: list[Row] = []
    for row in rows[start:]:
        if _is_column_number_row(row):
            continue
        code, name, _ = _leading_code(row)
        if code is None and norm(name) not in ("合计", "总计"):
            continue
        cells = {key: _value(_cell(row, pos)) for pos, key in cols.items()}
        key = code or (spec.total_row or "合计")
        out.append(Row(key, name if code else norm(name), cells, code, None, row[0].source))
    return out, notes


# --- two-sided tables (01, 04) ---------------------------------------------------------------


def _two_sided(
    spec: TableSpec, rows: Sequence[Sequence[GridCell]], codes: Codes, year: int | None
) -> tuple[list[Row], list[str]]:
    """Tables printed in panes side by side, each a label column and its value columns: the
    收入 and 支出 of tables 01/04 (a budget's 收支总表 may print more panes, named by their header
    words: :func:`juesuan.readers.layout_budget.budget_panes`)."""
    if spec.is_budget:
        from juesuan.readers.layout_budget import budget_panes

        return budget_panes(spec, rows, codes, year)
    split, header_end = _find_split(rows)
    notes: list[str] = []
    if split is None:
        return [], [f"{spec.label}：未能分出收入、支出两栏"]
    header = [[norm(c.text) for c in r] for r in rows[:header_end] if not _is_column_number_row(r)]
    stacks = _stacks(header)
    width = max(len(r) for r in rows)
    sides = (
        (spec.side(INCOME), range(0, split)),
        (spec.side(EXPENDITURE), range(split, width)),
    )
    out: list[Row] = []
    for side, positions in sides:
        label_pos = positions.start
        cols = _columns(side, stacks, range(label_pos + 1, positions.stop))
        if not cols:
            # single value column printed as 金额 without a header we recognise: last number
            cols = {positions.stop - 1: side.columns[0]}
        state: str | None = None
        for row in rows[header_end:]:
            if _is_column_number_row(row):
                continue
            label = _cell(row, label_pos).text.strip()
            if not label or _is_number(label):
                continue
            key, code, state = _fixed_or_class(spec, side, label, state, codes, year)
            cells = {k: _value(_cell(row, pos)) for pos, k in cols.items()}
            if key is None:
                notes.append(f"{spec.label}{side.name}栏“{label}”行：未能识别")
                continue
            out.append(Row(key, label, cells, code, side.name, _cell(row, label_pos).source))
    return out, notes


def _find_split(rows: Sequence[Sequence[GridCell]]) -> tuple[int | None, int]:
    """Index where the 支出 side starts, and the first data row."""
    split = None
    header_end = 0
    for i, row in enumerate(rows[:6]):
        texts = [norm(c.text) for c in row]
        starts = [j for j, t in enumerate(texts) if t.startswith("项目")]
        if len(starts) >= 2:
            split, header_end = starts[1], i + 1
            break
        sides = [j for j, t in enumerate(texts) if t in ("收入", "支出")]
        if len(sides) == 2 and texts[sides[0]] == "收入":
            split, header_end = sides[1], i + 1
    while header_end < len(rows) and _is_column_number_row(rows[header_end]):
        header_end += 1
    return split, header_end


def _fixed_or_class(
    spec: TableSpec, side: Side, label: str, state: str | None, codes: Codes, year: int | None
) -> tuple[str | None, str | None, str | None]:
    """(row key, code, new state). State remembers 年初/年末 blocks whose sub-rows repeat the
    fund names (table 04 rows 29–31; a budget's 二、上年结转 / （一）一般公共预算拨款 …)."""
    name = norm(label)
    if spec.is_budget:
        from juesuan.readers.layout_budget import plain_label

        name = plain_label(label)
    if state and name in _FUND_NAMES and not spec.is_budget:
        return f"{state}/{_FUND_NAMES[name]}", None, state
    if state:
        for fixed in spec.fixed_rows:
            if fixed.under == state and fixed.side == side.name and _names(name, fixed):
                return fixed.key, None, state
    for fixed in spec.fixed_rows:
        if fixed.side != side.name or fixed.under:
            continue
        if _names(name, fixed):
            new_state = fixed.opens
            if fixed.key.startswith("年初") and spec.id is TableId.T04:
                new_state = "年初"
            elif fixed.key.startswith("年末") and spec.id is TableId.T04:
                new_state = "年末"
            return fixed.key, None, new_state
    if side.name == EXPENDITURE or side.classes is not None:
        classes = codes.economic if side.classes is Classification.ECONOMIC else codes.function
        code = classes.class_by_name(name, year)
        if code:
            return code, code, None
    return None, None, state


def _names(name: str, fixed: FixedRow) -> bool:
    return name == norm(fixed.key) or name in (norm(a) for a in fixed.aliases)


_FUND_NAMES = {
    norm(n): n
    for n in ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
} | {
    norm(n + "收入"): n
    for n in ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
}


# --- table 06: groups of (code, name, amount) side by side -----------------------------------


def _groups(spec: TableSpec, rows: Sequence[Sequence[GridCell]]) -> tuple[list[Row], list[str]]:
    fixed = {norm(a): f.key for f in spec.fixed_rows for a in (f.key, *f.aliases)}
    out: list[Row] = []
    seen: set[str] = set()
    notes: list[str] = []
    for row in rows:
        texts = [c.text.strip() for c in row]
        i = 0
        while i < len(texts):
            t = re.sub(r"\s+", "", texts[i])
            if len(t) == 3 and _CODE.match(t):
                # code | name | amount, or 类 | 款 | name | amount (the 款 cell blank on 类 rows)
                code, j = t, i + 1
                if j < len(texts) and re.fullmatch(r"\d{2}", texts[j]):
                    code, j = t + texts[j], j + 1
                elif (
                    j + 1 < len(texts)
                    and not texts[j]
                    and texts[j + 1]
                    and not _is_number(texts[j + 1])
                ):
                    j += 1
                if j < len(texts) and texts[j] and not _is_number(texts[j]):
                    if code not in seen:
                        value = _value(_cell(row, j + 1))
                        out.append(
                            Row(code, texts[j], {"决算数": value}, code, None, row[i].source)
                        )
                        seen.add(code)
                    i = j + 2
                    continue
            if (
                _CODE.match(t)
                and len(t) == 5
                and i + 1 < len(texts)
                and texts[i + 1]
                and not _is_number(texts[i + 1])
            ):
                value = _value(_cell(row, i + 2))
                if t not in seen:
                    out.append(Row(t, texts[i + 1], {"决算数": value}, t, None, row[i].source))
                    seen.add(t)
                i += 3
                continue
            key = fixed.get(norm(t)) if t else None
            if key:
                j = i + 1
                while j < len(texts) and not texts[j]:
                    j += 1
                if j < len(texts) and _is_number(texts[j]):
                    if key not in seen:
                        out.append(
                            Row(key, t, {"决算数": _value(row[j])}, None, None, row[i].source)
                        )
                        seen.add(key)
                    i = j + 1
                else:
                    i = j  # a group header (人员经费 | 公用经费), not a total row
                continue
            i += 1
    return out, notes


def first_number(values: Sequence[Decimal | None]) -> Decimal | None:
    return next((v for v in values if v is not None), None)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
