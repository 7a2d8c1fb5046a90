"""The money block of a 绩效自评表: its columns (named by their header words, with the formulas a
header prints: ③=①+②, ⑤=④/③, 执行率（B/A）) and its rows (年度资金总额, 其中：当年财政拨款, 上年结转
资金, 其他资金; a 整体 form's tasks or fund sources; a 项目支出情况表's projects).

A header may take two printed rows (全年预算数 over 总额 | 财政拨款 | 其他资金; 预算安排 over
年初…① | 年中调整金额② | 小计③=①+②): the upper row's word is carried over the columns the lower
row splits it into.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from juesuan.evaluation.model import ColumnRole, FundCell, FundColumn, FundRow
from juesuan.evaluation.vocabulary import Vocabulary
from juesuan.model.amount import parse_amount
from juesuan.model.source import Source

Cells = Sequence[str]

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫"
# the marker a header gives its column: ③, or a letter in brackets: 全年预算数（A）
_MARKER = re.compile(rf"([{_CIRCLED}])(?!.*[{_CIRCLED}]\s*[=＝])|[（(]([A-Z])[)）]")
# a printed formula: "③=①+②", "⑤=④/③", "（B/A）"
_FORMULA = re.compile(
    rf"(?:[{_CIRCLED}A-Z]\s*[=＝]\s*)?(?P<expr>[{_CIRCLED}A-Z](?:\s*[+\-−×*/÷]\s*[{_CIRCLED}A-Z])+)"
)
_PERCENT_HEADER = re.compile(r"[(（]\s*%\s*[)）]|％")
# the values of the block are amounts or rates; "—" and "-" print nothing
_DASHES = {"—", "-", "－", "——", "/", "／", "–"}
MONEY_ROLES = (
    ColumnRole.INITIAL,
    ColumnRole.ADJUSTMENT,
    ColumnRole.BUDGET,
    ColumnRole.ACTUAL,
    ColumnRole.BALANCE,
)
VALUE_ROLES = (
    *MONEY_ROLES,
    ColumnRole.RATE,
    ColumnRole.BALANCE_RATE,
    ColumnRole.WEIGHT,
    ColumnRole.SCORE,
)


@lru_cache(maxsize=1 << 16)
def compact(text: str) -> str:
    """Whitespace removed, full-width forms folded (cached: every cell is compared often)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@lru_cache(maxsize=1 << 16)
def figure(text: str) -> bool:
    """A printed number (an amount, a rate), not a code or a dash."""
    s = compact(text).rstrip("%")
    return parse_amount(s) is not None


def is_fund_header(cells: Cells, vocab: Vocabulary) -> bool:
    """A row that names the money block's columns: at least two of 年初预算数, 全年预算数,
    全年执行数, 执行率, named in more cells than print a figure (a stray figure may sit in a
    header cell the text layer merged)."""
    roles = [vocab.role(compact(c)) for c in cells if c.strip() and not figure(c)]
    money = {ColumnRole.INITIAL, ColumnRole.BUDGET, ColumnRole.ACTUAL}
    block = {*money, ColumnRole.RATE, ColumnRole.BALANCE, ColumnRole.WEIGHT, ColumnRole.SCORE}
    figures = sum(figure(c) for c in cells)
    named = set(roles)
    return (
        bool(named & money)
        and len(named & block) >= 2
        and figures < sum(r is not None for r in roles)
    )


def is_sub_header(cells: Cells, vocab: Vocabulary) -> bool:
    """A second header row: no figures, and fund sources or column names in two cells."""
    if any(figure(c) for c in cells):
        return False
    words = (*vocab.fiscal, *vocab.other, "总额", "合计", "小计")
    named = [
        c for c in cells if c.strip() and (vocab.role(compact(c)) or any(w in c for w in words))
    ]
    return len(named) >= 2


def squeeze(text: str) -> str:
    """Whitespace removed, brackets half-width; circled digits kept (NFKC would make ③ a 3)."""
    return re.sub(r"\s+", "", text or "").translate(_BRACKETS)


_BRACKETS = str.maketrans("（）％＝＋－", "()%=+-")


def _headers(rows: Sequence[Cells]) -> list[str]:
    """One header text per column: the upper row's word carried over the columns the lower row
    splits it into, then the lower row's words ("全年预算数（万元）/财政拨款")."""
    width = max(len(r) for r in rows)
    grid = [[squeeze(r[j]) if j < len(r) else "" for j in range(width)] for r in rows]
    for k in range(len(grid) - 1):
        upper, lower = grid[k], grid[k + 1]
        for j in range(1, width):
            if not upper[j] and lower[j] and upper[j - 1] and lower[j - 1]:
                upper[j] = upper[j - 1]
    return [SEP.join(dict.fromkeys(g[j] for g in grid if g[j])) for j in range(width)]


# between the words of a two-row header ("全年预算数(万元) / 财政拨款"); a formula has its own "/"
SEP = " / "


def _fund(header: str, vocab: Vocabulary) -> str:
    last = header.split(SEP)[-1]
    if any(w in last for w in vocab.fiscal):
        return "财政拨款"
    if any(w in last for w in vocab.other):
        return "其他资金"
    return ""


def columns(header_rows: Sequence[Cells], vocab: Vocabulary) -> dict[int, FundColumn]:
    """The block's columns by printed position (columns whose words name no role are left out:
    the block's own label, blank spacer columns)."""
    out: dict[int, FundColumn] = {}
    for j, header in enumerate(_headers(header_rows)):
        if not header:
            continue
        plain = compact(header)
        last = header.split(SEP)[-1]
        role = vocab.role(compact(last)) or vocab.role(plain)
        if role is None:
            continue
        marker = _MARKER.search(last)
        formula = _FORMULA.search(last)
        expr = formula.group("expr") if formula else ""
        mark = next((g for g in marker.groups() if g), "") if marker else ""
        if expr and mark and mark in expr and not re.search(rf"{mark}\s*[=＝]", last):
            mark = ""  # "（B/A）" names the columns it divides, not itself
        percent = role in (ColumnRole.RATE, ColumnRole.BALANCE_RATE) or bool(
            _PERCENT_HEADER.search(last)
        )
        out[j] = FundColumn(header, role, _fund(header, vocab), mark, expr, percent)
    # the 总额 of a split column and its parts keep one role; a second plain column of a role
    # (a repeated 得分 cell) is not a new column
    return out


def cell(text: str, column: FundColumn) -> FundCell:
    s = compact(text)
    if not s or s in _DASHES:
        return FundCell(text.strip())
    if column.role in (ColumnRole.TEXT, ColumnRole.LABEL, ColumnRole.SEQ):
        return FundCell(text.strip())
    value = parse_amount(s.rstrip("%"))
    return FundCell(text.strip(), value)


def fund_rows(
    rows: Sequence[tuple[Cells, Source | None]],
    cols: dict[int, FundColumn],
    block_label: str = "",
) -> list[FundRow]:
    """The block's rows: each row's label is its 项目/任务名称 column, else the last text before
    its first figure column; an earlier text is the group the row is printed under (资金来源),
    and a row whose group cell is blank (merged with the row above) keeps the group above."""
    positions = sorted(cols)
    label_col = next((j for j in positions if cols[j].role is ColumnRole.LABEL), None)
    seq_col = next((j for j in positions if cols[j].role is ColumnRole.SEQ), None)
    width = max((len(c) for c, _ in rows), default=0)
    first_value = min((j for j in positions if cols[j].role in VALUE_ROLES), default=width)
    block = compact(block_label)
    out: list[FundRow] = []
    group, group_col = "", -1
    for cells, source in rows:
        texts = [c.strip() for c in cells]
        seq = texts[seq_col] if seq_col is not None and seq_col < len(texts) else ""
        if label_col is not None:
            label = texts[label_col] if label_col < len(texts) else ""
        else:
            lead = [
                (j, t)
                for j, t in enumerate(texts[:first_value])
                if t and compact(t) != block and j != seq_col
            ]
            label_at, label = lead[-1] if lead else (-1, "")
            if len(lead) > 1:
                group_col, group = lead[-2]
            elif not (0 <= group_col < label_at):
                group, group_col = "", -1
        row_cells = tuple(cell(texts[j] if j < len(texts) else "", cols[j]) for j in positions)
        if not label and not any(c.value is not None for c in row_cells):
            continue
        out.append(FundRow(label, row_cells, group if label_col is None else "", seq, source))
    return out
