"""What the shared table assembler (:mod:`juesuan.readers.layout`) adds for 部门预算 tables.

The same grid of printed cells, the same header stacks and column words, the same code forms;
a budget's tables add layouts the nine 决算 tables do not have:

* panes named by their header words: a 收支总表 printing 支出功能分类科目, 部门预算支出经济分类
  科目 and 政府预算支出经济分类科目 side by side (西安), or 功能分类 and 支出用途 (江苏);
* rows carrying two or three classifications at once ("2050305-高等职业教育 | 50501-工资福利支出
  | 30101-基本工资", 北京), keyed by all their codes where one code alone is printed twice;
* rows named by their label: units (单位编码 | 单位名称), projects, 采购 categories, the income
  sources of a one-column 收入总表 (江苏), a label in two columns ("一般公共预算资金 | 小计");
* the 三公 figures under 上年/本年/增减 groups, or one row per item (广州).

The vocabulary (titles, columns, rows, item words) is data: ``model/data/budget_tables.toml``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from juesuan.model.codes import Codes
from juesuan.model.layout import (
    BUDGET_ALIASES,
    BUDGET_LABEL_HEADERS,
    BUDGET_SANGONG_ITEM_WORDS,
    INCOME,
    Classification,
    Side,
    TableSpec,
)
from juesuan.model.tables import Cell, Row
from juesuan.readers.layout import (
    GridCell,
    _cell,
    _columns,
    _fixed_or_class,
    _is_column_number_row,
    _is_number,
    _leading_code,
    _split_header,
    _stacks,
    _value,
    norm,
    relative_years,
)

_CODE_CELL = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s*[-－—]\s*(\D.*))?$")
_BRACKET_CELL = re.compile(r"^[\[【［]\s*(\d{3}(?:\d{2}){0,2})\s*[\]】］]\s*(.*)$")
# ordinals before a label: "一、" "（一）" "(1)" "1、" "1." "其中：", and a stray digit before a
# bracketed one ("1（一）一般公共预算资金", 重庆)
_ORDINAL = re.compile(
    r"^(?:其中[:：]?)?(?:\d+(?=[（(]))?"
    r"(?:(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])\s*)+|^其中[:：]?"
)


def plain_label(text: str) -> str:
    """A row label as the vocabulary names it: no ordinal ("（一）", "(1)", "1、", "一、"), no
    "其中：", normalised like every name."""
    return norm(_ORDINAL.sub("", norm(text)))


def _label_word(text: str) -> bool:
    t = norm(text)
    return bool(t) and (
        t in BUDGET_LABEL_HEADERS
        or t.startswith("项目")
        or t.endswith("科目")
        or "科目（" in t
        or "科目(" in t
    )


def _pane_word(text: str) -> bool:
    """A label word that starts a pane (a row number column 序号 does not)."""
    return _label_word(text) and norm(text) not in ("序号", "行次", "栏次", "类", "款", "项")


def find_panes(
    spec: TableSpec, rows: Sequence[Sequence[GridCell]], codes: Codes, year: int | None
) -> tuple[list[tuple[Side, int]], int]:
    """Each pane's side and first column, and the first data row: the header row with the most
    label words gives the panes (项目 | 预算数 | 项目 | 预算数; 项目 | 预算数 | 支出功能分类科目
    （按大类） | …); a pane is the side whose header words its label header carries, else 收入
    for the first and 支出 for the next."""
    header_end = 0
    for i, row in enumerate(rows[:8]):
        if any(_is_number(c.text) for c in row if c.text.strip()) and not _is_column_number_row(
            row
        ):
            break
        header_end = i + 1
    header = [[norm(c.text) for c in r] for r in rows[:header_end] if not _is_column_number_row(r)]
    # a pane starts where some header row prints a label word and no row below it prints a
    # value column's word (江苏: 支出用途 drawn over 金额 is the group over a value column)
    width = max((len(r) for r in header), default=0)
    best = [
        j
        for j in range(width)
        if any(j < len(r) and _pane_word(r[j]) for r in header)
        and not any(
            j < len(r) and r[j] and not _label_word(r[j])
            for d, r in enumerate(header)
            if d > min(k for k, h in enumerate(header) if j < len(h) and _pane_word(h[j]))
        )
    ]
    if len(best) < 2:
        return [], header_end
    stacks = _stacks(header)
    named = [s for s in spec.sides if s.header_words]
    out: list[tuple[Side, int]] = []
    used: set[str | None] = set()
    for k, start in enumerate(best):
        words = stacks[start] if start < len(stacks) else []
        side = next(
            (
                s
                for s in named
                if s.name not in used
                and s.name != INCOME
                and k > 0
                and any(h in w for h in s.header_words for w in words)
            ),
            None,
        )
        if side is None:
            wanted = INCOME if k == 0 else "支出"
            side = next((s for s in spec.sides if s.name == wanted and s.name not in used), None)
        if side is None:
            continue
        used.add(side.name)
        out.append((side, start))
    # a header row of the data rows' labels printed under the panes (收入 | 支出 above 项目)
    while header_end < len(rows) and all(
        _label_word(c.text) or not c.text.strip() for c in rows[header_end]
    ):
        header_end += 1
    return out, header_end


def budget_panes(
    spec: TableSpec, rows: Sequence[Sequence[GridCell]], codes: Codes, year: int | None
) -> tuple[list[Row], list[str]]:
    """A budget table printed in panes (:func:`find_panes`), each read as the 决算's 收入 and
    支出 are, plus what budgets print: a row label broken over a page ("八、社会保障和就" /
    "业支出"), a total row whose label spans two panes and whose figure stands in the last
    pane's column (江苏: 当年支出小计 | | | 13,649.07), rows the vocabulary does not know (kept
    under their printed label and said once)."""
    panes, header_end = find_panes(spec, rows, codes, year)
    if not panes:
        return [], [f"{spec.label}：未能分出收入、支出两栏"]
    header = [[norm(c.text) for c in r] for r in rows[:header_end] if not _is_column_number_row(r)]
    stacks = relative_years(_stacks(header), year)
    width = max(len(r) for r in rows)
    starts = [start for _, start in panes] + [width]
    sides = [(side, range(start, starts[i + 1])) for i, (side, start) in enumerate(panes)]
    body = [r for r in rows[header_end:] if not _is_column_number_row(r)]
    out: list[Row] = []
    seen: set[str] = set()
    unknown: list[str] = []
    for k, (side, positions) in enumerate(sides):
        label_pos = positions.start
        cols = _columns(side, stacks, range(label_pos + 1, positions.stop), BUDGET_ALIASES)
        if not cols:
            # single value column printed as 金额 without a header we recognise: last number
            cols = {positions.stop - 1: side.columns[0]}
        later = sides[k + 1 :]
        entries = [
            (label, row)
            for row in body
            if (label := _cell(row, label_pos).text.strip()) and not _is_number(label)
        ]
        state: str | None = None
        for label, row in _join_wrapped(spec, side, entries, cols, codes, year):
            key, code, state = _fixed_or_class(spec, side, label, state, codes, year)
            cells = {c: _value(_cell(row, pos)) for pos, c in cols.items()}
            if key is not None and code is None and all(c.value is None for c in cells.values()):
                cells = _spanning(row, later, cols, cells)
            if key is None:
                key = f"{side.name}/{plain_label(label)}"
                unknown.append(label)
            if key in seen and not any(c.value is not None for c in cells.values()):
                continue  # a label printed twice (a page's repeated total row), the 2nd empty
            if key in seen:
                # printed twice (a class under 人员经费 and again under 专项业务经费): kept,
                # but not as the code's row
                key, code = f"{key}#{sum(r.key.split('#')[0] == key for r in out) + 1}", None
            seen.add(key)
            out.append(Row(key, label, cells, code, side.name, _cell(row, label_pos).source))
    notes = []
    if unknown:
        shown = "、".join(dict.fromkeys(unknown[:6])) + (" 等" if len(unknown) > 6 else "")
        notes.append(f"{spec.label}有 {len(unknown)} 行的名称不在词表中，按原文保留：{shown}")
    return out, notes


def _join_wrapped(
    spec: TableSpec,
    side: Side,
    entries: list[tuple[str, Sequence[GridCell]]],
    cols: dict[int, str],
    codes: Codes,
    year: int | None,
) -> list[tuple[str, Sequence[GridCell]]]:
    """A label broken over two rows (a page break inside "社会保障和就业支出"): the second part
    has no figures, neither part names a row, and together they do."""
    out: list[tuple[str, Sequence[GridCell]]] = []
    for label, row in entries:
        if out and not any(_cell(row, pos).text.strip() for pos in cols):
            before, before_row = out[-1]
            if (
                _fixed_or_class(spec, side, before, None, codes, year)[0] is None
                and _fixed_or_class(spec, side, label, None, codes, year)[0] is None
                and _fixed_or_class(spec, side, before + label, None, codes, year)[0] is not None
            ):
                out[-1] = (before + label, before_row)
                continue
        out.append((label, row))
    return out


def _spanning(
    row: Sequence[GridCell],
    later: list[tuple[Side, range]],
    cols: dict[int, str],
    cells: dict[str, Cell],
) -> dict[str, Cell]:
    """A total row with no figure in its pane whose label spans the panes after it: the figure
    printed in those panes' value columns, where their label cells are blank."""
    for _, positions in later:
        if _cell(row, positions.start).text.strip():
            return cells
        for pos in range(positions.start + 1, positions.stop):
            cell = _cell(row, pos)
            if cell.text.strip() and _is_number(cell.text):
                first = cols[min(cols)]
                return {**cells, first: _value(cell)}
    return cells


# --- classified tables: codes, compound codes, units and labels -------------------------------


def _primary(codes: list[str], classification: Classification | None) -> int:
    """Which of a row's codes is the table's own classification: function codes are 2xx,
    部门预算经济分类 3xx; 政府预算经济分类 (5xx) is printed beside them."""
    first = "3" if classification is Classification.ECONOMIC else "2"
    return next((i for i, c in enumerate(codes) if c.startswith(first)), 0)


def _more_codes(texts: list[str], start: int, stop: int) -> tuple[list[str], list[str]]:
    """Further (code, name) pairs printed in a row's label cells after its first code."""
    found: list[str] = []
    names: list[str] = []
    i = start
    while i < stop and i < len(texts):
        t = texts[i]
        m = _CODE_CELL.match(t) or _BRACKET_CELL.match(t)
        if m:
            found.append(m.group(1))
            name = (m.group(2) or "").strip()
            if not name and i + 1 < stop and texts[i + 1] and not _is_number(texts[i + 1]):
                name = texts[i + 1]
                i += 1
            names.append(name)
        i += 1
    return found, names


def _unit_rows(header: list[list[str]]) -> bool:
    """Rows are budget units (单位编码 | 单位名称), whose codes are not classification codes."""
    first = [r[0] for r in header if r and r[0]]
    return any("单位" in w and ("编码" in w or "代码" in w or "名称" in w) for w in first[:3])


def budget_classified(
    spec: TableSpec,
    rows: Sequence[Sequence[GridCell]],
    stacks: list[list[str]],
    header: list[list[str]],
) -> tuple[list[Row], list[str]]:
    """A budget table whose rows are classification codes (one code, split 类|款|项 cells,
    "[201]名称", "2050303-名称", or two or three codes side by side), its total, and (with
    ``keep_labels``) rows printed without a code, named by their label."""
    side = spec.sides[0]
    cols = _columns(side, stacks, range(len(stacks)), BUDGET_ALIASES)
    first_value = min(cols) if cols else None
    units = _unit_rows(header)
    totals = {norm(a) for f in spec.fixed_rows for a in (f.key, *f.aliases)}
    fixed = {norm(a): f.key for f in spec.fixed_rows for a in (f.key, *f.aliases)}
    built: list[tuple[Row, list[str]]] = []
    group = ""
    for row in rows:
        if _is_column_number_row(row):
            continue
        texts = [c.text.strip() for c in row]
        code, name, after = _leading_code(row)
        cells = {key: _value(_cell(row, pos)) for pos, key in cols.items()}
        if code is None and spec.keep_labels and first_value is not None and not units:
            name, group = _two_column_label(texts[:first_value], name, group)
        lead = next((j for j, t in enumerate(texts) if t), len(texts))
        if (
            code is None
            and spec.total_row
            and (not name or (_is_number(name) and first_value is not None and lead >= first_value))
        ):
            name = spec.total_row  # figures printed with no label: the table's one total row
        elif code is None and name and _is_number(name) and first_value is not None:
            # a unit's code printed alone before its name ("114001 | 西安市人民政府办公厅")
            name = " ".join(t for t in texts[:first_value] if t)
        label = norm(_ORDINAL.sub("", name)) if name else ""
        if code is not None and not units:
            stop = first_value if first_value is not None else len(texts)
            extra, extra_names = _more_codes(texts, after, stop)
            codes = [code, *extra]
            names = [name, *extra_names]
            k = _primary(codes, spec.classification)
            others = [c for i, c in enumerate(codes) if i != k]
            built.append(
                (Row(codes[k], names[k] or name, cells, codes[k], None, row[0].source), others)
            )
            continue
        if code is not None:  # a unit: "114 | 西安市人民政府办公厅"
            label = norm(f"{code}{name}")
        if label in totals and label in fixed:
            built.append((Row(fixed[label], label, cells, None, None, row[0].source), []))
        elif spec.keep_labels and label and any(c.value is not None for c in cells.values()):
            built.append((Row(label, label, cells, None, None, row[0].source), []))
    return _unique(built), []


def _two_column_label(texts: list[str], name: str, group: str) -> tuple[str, str]:
    """A row label printed in two columns, the group once over its items (江苏 收入预算总表:
    "一般公共预算资金 | 小计", then " | 公共财政拨款（补助）资金"): "group/item", so a group's
    小计 and its items are rows of their own; the group is carried down to the rows below it."""
    words = [(j, t) for j, t in enumerate(texts) if t and not _is_number(t)]
    if len(words) == 2:
        return f"{words[0][1]}/{words[1][1]}", words[0][1]
    if len(words) == 1 and words[0][0] == 0:
        return name, ""
    if len(words) == 1 and group:
        return f"{group}/{words[0][1]}", group
    return name, group


def _unique(built: list[tuple[Row, list[str]]]) -> list[Row]:
    """Row keys: the code, or the codes joined with "|" where one code is printed on several
    rows (北京 prints each 项 once per economic item); a label printed twice is numbered."""
    counts = Counter(r.key for r, _ in built)
    out: list[Row] = []
    seen: Counter[str] = Counter()
    for row, others in built:
        key = row.key
        if counts[key] > 1 and others:
            key = "|".join([key, *others])
        seen[key] += 1
        if seen[key] > 1:
            if not any(c.value is not None for c in row.cells.values()):
                continue
            # a code printed twice keeps its figures, but not as the code's row (trees and
            # cross-table sums take the first)
            key = f"{key}#{seen[key]}"
            row = Row(key, row.label, row.cells, None, row.side, row.source)
        out.append(Row(key, row.label, row.cells, row.code, row.side, row.source))
    return out


# --- listing: rows named by their label --------------------------------------------------------


def listing(
    spec: TableSpec, rows: Sequence[Sequence[GridCell]], year: int | None
) -> tuple[list[Row], list[str]]:
    """Rows named by their label (a unit, a project, a 采购 category, an income source), the
    label read from the cells before the first value column; a group label printed once
    ("一般公共预算资金 | 小计", then " | 公共财政拨款资金") is carried down."""
    side = spec.sides[0]

    def is_data(row: Sequence[GridCell]) -> bool:
        return any(_is_number(c.text) for c in row if c.text.strip())

    header, start = _split_header(rows, is_data)
    stacks = relative_years(_stacks(header), year)
    cols = _columns(side, stacks, range(len(stacks)), BUDGET_ALIASES)
    if not cols:
        # one value column the header does not name (a 金额 printed as 预算金额（万元）): the
        # column holding the numbers of the data rows
        counts = Counter(
            j
            for r in rows[start:]
            for j, c in enumerate(r)
            if c.text.strip() and _is_number(c.text)
        )
        if counts:
            cols = {max(counts, key=lambda j: (counts[j], -j)): side.columns[0]}
    first_value = min(cols) if cols else 0
    fixed = {norm(a): f.key for f in spec.fixed_rows for a in (f.key, *f.aliases)}
    group = ""
    built: list[tuple[Row, list[str]]] = []
    for row in rows[start:]:
        if _is_column_number_row(row):
            continue
        texts = [c.text.strip() for c in row[:first_value]]
        if texts and texts[0]:
            group = texts[0]
        parts = [t for t in texts if t]
        if texts and not texts[0] and group and parts:
            parts = [group, *parts]
        cells = {key: _value(_cell(row, pos)) for pos, key in cols.items()}
        if not parts and not any(c.value is not None for c in cells.values()):
            continue
        label = "/".join(norm(_ORDINAL.sub("", p)) for p in parts) or "合计"
        key = fixed.get(label) or fixed.get(label.split("/")[-1]) or fixed.get(label.split("/")[0])
        if key is None and not any(c.value is not None for c in cells.values()):
            continue
        source = next((c.source for c in row if c.text.strip()), None)
        built.append((Row(key or label, "/".join(parts) or label, cells, None, None, source), []))
    return _unique(built), []


# --- 三公 ------------------------------------------------------------------------------------

_PARTS = (("上年", "上年预算数"), ("增减", "增减"), ("比上年", "增减"))


def sangong_part(words: Sequence[str]) -> str:
    """上年预算数, 增减 or 本年预算数: the year a 三公 figure is of, from its header words."""
    for w in words:
        for needle, part in _PARTS:
            if needle in w:
                return part
    return "本年预算数"


def sangong_item(words: Sequence[str], grouped: bool) -> str | None:
    """The item a header stack (or a row label) names: the deepest words first; a 小计 is the
    item of the word above; 三公 words alone are its 合计; a 合计 printed outside a 三公 group
    (beside 会议费 and 培训费) is the 总计 of all of them."""
    for w in reversed(words):
        for needles, item in BUDGET_SANGONG_ITEM_WORDS:
            if any(n in w for n in needles):
                return item
        if "三公" in w:
            return "合计"
    if any(w in ("合计", "小计", "总计") or "预算数" in w for w in words):
        return "总计" if grouped else "合计"
    return None


def budget_sangong(
    spec: TableSpec, rows: Sequence[Sequence[GridCell]], year: int | None
) -> tuple[list[Row], list[str]]:
    """One row of 三公 figures under a header of items (and 上年/本年/增减 groups), the first
    data row when the table prints one per unit; or one row per item (广州: 行政经费,
    “三公”经费, 其中：因公出国（境）支出 … under 合计 | 一般公共预算 …)."""

    def is_data(row: Sequence[GridCell]) -> bool:
        texts = [c.text.strip() for c in row if c.text.strip()]
        return bool(texts) and any(_is_number(t) for t in texts) and not _is_column_number_row(row)

    header, start = _split_header(rows, is_data)
    stacks = relative_years(_stacks(header), year)
    data = [r for r in rows[start:] if is_data(r)]
    if not data:
        return [], []
    cells: dict[str, Cell] = {}
    labels = [plain_label(r[0].text) if r else "" for r in data]
    by_rows = sum(_row_item(t) is not None for t in labels) >= 2
    if by_rows:
        total_pos = _row_value_column(spec, stacks)
        funds = _fund_columns(spec, stacks, total_pos)
        for row, label in zip(data, labels, strict=True):
            item = _row_item(label)
            if item is None or total_pos is None:
                continue
            key = f"{sangong_part([label])}/{item}"
            if key not in cells:
                cells[key] = _value(_cell(row, total_pos))
            for pos, fund in funds.items():
                fund_key = f"{sangong_part([label])}/{fund}/{item}"
                if fund_key in spec.sides[0].columns and fund_key not in cells:
                    cells[fund_key] = _value(_cell(row, pos))
        source = data[0][0].source
    else:
        grouped = any("三公" in w for st in stacks for w in st)
        total = next((r for r in data if norm(r[0].text) in ("合计", "总计")), data[0])
        for pos, cell in enumerate(total):
            if pos >= len(stacks) or not cell.text.strip() or not _is_number(cell.text):
                continue
            words = stacks[pos]
            item = sangong_item(words, grouped and not any("三公" in w for w in words))
            if item is None:
                continue
            key = f"{sangong_part(words)}/{item}"
            if key in spec.sides[0].columns and key not in cells:
                cells[key] = _value(cell)
        source = total[0].source
    if not cells:
        return [], []
    return [Row("三公经费", "“三公”经费", cells, None, None, source)], []


def _row_item(label: str) -> str | None:
    """The item a row label names (广州: "（一）因公出国（境）支出"); 合计 or 小计 alone names
    none (it is a unit's or the table's total row)."""
    if not label or _is_number(label):
        return None
    for needles, item in BUDGET_SANGONG_ITEM_WORDS:
        if any(n in label for n in needles):
            return item
    return "合计" if "三公" in label else None


def _fund_columns(
    spec: TableSpec, stacks: list[list[str]], total_pos: int | None
) -> dict[int, str]:
    """The columns of a 三公 table printed one item per row that split each item's budget by
    fund (合计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算, 广州): position → the fund
    the spec's columns name ("本年预算数/一般公共预算/公务接待费")."""
    funds = dict.fromkeys(
        parts[1] for c in spec.sides[0].columns if len(parts := c.split("/")) == 3
    )
    out: dict[int, str] = {}
    for pos, words in enumerate(stacks):
        if pos == total_pos or not words:
            continue
        fund = next((f for f in funds if norm(f) == words[-1]), None)
        if fund is not None and fund not in out.values():
            out[pos] = fund
    return out


def _row_value_column(spec: TableSpec, stacks: list[list[str]]) -> int | None:
    """The column of a 三公 table printed one item per row that holds the item's budget: its
    合计 (or the first value column)."""
    for pos, words in enumerate(stacks):
        if any(w in ("合计", "总计", "预算数", "金额", "本年预算数") for w in words):
            return pos
    return 1 if len(stacks) > 1 else None
