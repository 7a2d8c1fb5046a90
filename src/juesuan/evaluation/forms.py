"""Reading 绩效自评表 from the tables the document assembly keeps outside the nine standard ones
(:class:`~juesuan.model.tables.ExtraTable`: a title and printed rows of cell texts), for text,
PDF, DOCX, HTML and XLSX alike.

A form starts at a table titled …自评表 (or whose grid opens with 项目名称 / 部门（单位）名称) and
takes the untitled tables after it that carry a form's parts (a form the assembly could not join
across a page arrives in pieces). Inside a form, rows are read in order: the header lines
(项目名称, 主管部门, 实施单位), the money block (:mod:`juesuan.evaluation.funds`), the 年度总体
目标, the indicator header and its rows (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 得分,
偏差原因), the 总分 and the 评价等级. Columns are found by their header words
(``evaluation/data/vocabulary.toml``), never by position.

A table of projects with their budgets and execution but no indicators (a 财政 evaluation
report's 项目支出情况表) is read as a :attr:`FormKind.PROJECT_LIST`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.evaluation.funds import (
    Cells,
    columns,
    compact,
    figure,
    fund_rows,
    is_fund_header,
    is_sub_header,
)
from juesuan.evaluation.measures import parse_measure
from juesuan.evaluation.model import (
    ColumnRole,
    EvaluationForm,
    FormKind,
    FundColumn,
    FundRow,
    Goal,
    Indicator,
)
from juesuan.evaluation.vocabulary import Vocabulary, vocabulary
from juesuan.model.amount import parse_amount
from juesuan.model.source import Source
from juesuan.model.tables import ExtraTable

Row = tuple[Cells, Source | None]


def _title_of(table: ExtraTable, vocab: Vocabulary) -> str | None:
    """The form title of a table: its own, or a title printed as the grid's first cell."""
    if any(w in (table.title or "") for w in vocab.form_titles) and "目标表" not in table.title:
        return table.title
    first = next((c for c in (table.rows[0] if table.rows else ()) if c.strip()), "")
    return first if any(w in first for w in vocab.form_titles) and len(first) < 60 else None


def _opens_form(table: ExtraTable, vocab: Vocabulary) -> bool:
    """A grid not titled as a form that opens as a form does (项目名称 …, 部门（单位）名称 …)
    and evaluates: it has what was done (全年执行数, 实际完成值, 得分). A budget's 绩效目标表
    opens the same way but states targets only: it is not a self-evaluation."""
    first = compact(next((c for c in (table.rows[0] if table.rows else ()) if c.strip()), ""))
    words = (*vocab.fields["project"], *vocab.fields["department"])
    return any(first.startswith(compact(w)) for w in words) and _evaluates(table, vocab)


def _evaluates(table: ExtraTable, vocab: Vocabulary) -> bool:
    cols = vocab.indicator_columns
    done = (*cols["actual"], *cols["score"])
    for cells in table.rows:
        if is_fund_header(cells, vocab) and any(
            vocab.role(compact(c)) is ColumnRole.ACTUAL for c in cells
        ):
            return True
        # a header cell is named by its word (实际完成值, 自评得分); a target's text merged into
        # the header row ("绩效目标、判卷评分，成…") is not a column
        if _is_indicator_header(cells, vocab) and any(
            any(_names(compact(c), w) for w in done) for c in cells
        ):
            return True
    return False


def _has_form_parts(table: ExtraTable, vocab: Vocabulary) -> bool:
    """Does a table carry part of a form: its money block, its indicators or its 总分?"""
    for cells in table.rows:
        if is_fund_header(cells, vocab) or _is_indicator_header(cells, vocab):
            return True
        if _is_total(cells, vocab):
            return True
    return False


def _names(cell: str, word: str) -> bool:
    head = re.sub(r"[（(][^）)]*[）)]$", "", cell)
    return head.startswith(word) or head.endswith(word)


def _is_project_list(table: ExtraTable, vocab: Vocabulary) -> bool:
    """A list of projects with 预算 and 执行 columns (and no indicators)."""
    for cells in table.rows[:4]:
        roles = {vocab.role(compact(c)) for c in cells if c.strip()}
        if {ColumnRole.LABEL, ColumnRole.BUDGET, ColumnRole.ACTUAL} <= roles:
            return not any(_is_indicator_header(r, vocab) for r in table.rows)
    return False


@dataclass(frozen=True)
class FormTables:
    """The tables one form is printed in, and its title."""

    title: str
    tables: list[ExtraTable]
    project_list: bool = False


def group_forms(tables: Iterable[ExtraTable]) -> list[FormTables]:
    """Each form's title and the tables it is printed in, in document order."""
    vocab = vocabulary()
    groups: list[FormTables] = []
    open_form = False
    for table in tables:
        title = _title_of(table, vocab)
        if title is not None or _opens_form(table, vocab):
            groups.append(FormTables(title or table.title or "", [table]))
            open_form = True
        elif open_form and not table.title and _has_form_parts(table, vocab):
            groups[-1].tables.append(table)
        elif _is_project_list(table, vocab):
            groups.append(FormTables(table.title or "", [table], project_list=True))
            open_form = False
        else:
            open_form = False
    return groups


def read_forms(tables: Iterable[ExtraTable]) -> tuple[EvaluationForm, ...]:
    """Every 绩效自评表 (and 项目支出情况表) among a report's extra tables."""
    out: list[EvaluationForm] = []
    for group in group_forms(tables):
        if group.project_list:
            form = _project_list(group.tables[0], vocabulary())
        else:
            form = parse_form(group.title, group.tables)
        if form is not None:
            out.append(form)
    return tuple(out)


# --- one form -------------------------------------------------------------------------------


def _first(cells: Cells) -> str:
    return compact(next((c for c in cells if c.strip()), ""))


def _is_indicator_header(cells: Cells, vocab: Vocabulary) -> bool:
    texts = [compact(c) for c in cells]
    cols = vocab.indicator_columns
    if any("一级指标" in t for t in texts):
        return True
    named = any(any(w in t for w in cols["name"]) for t in texts)
    scored = any(any(w in t for w in (*cols["weight"], *cols["score"])) for t in texts)
    return named and scored and not any(figure(c) for c in cells)


def _is_total(cells: Cells, vocab: Vocabulary) -> bool:
    lead = [compact(c) for c in cells if c.strip()][:2]
    return any(any(w in t for w in vocab.blocks["total"]) for t in lead) and not any(
        any(w in t for w in vocab.indicator_columns["name"]) for t in lead
    )


def _is_grade(cells: Cells, vocab: Vocabulary) -> bool:
    return any(w in _first(cells) for w in vocab.blocks["grade"])


def _is_goals_header(cells: Cells, vocab: Vocabulary) -> bool:
    texts = [compact(c) for c in cells if c.strip()]
    opener = any(any(t.startswith(w) for w in vocab.blocks["goals"]) for t in texts[:2])
    achieved = any(any(w in t for w in vocab.goals["achieved"]) for t in texts)
    return opener and achieved


@dataclass
class _IndicatorColumns:
    index: dict[str, int]

    def get(self, cells: Cells, key: str) -> str:
        j = self.index.get(key)
        return cells[j].strip() if j is not None and j < len(cells) else ""


def _indicator_columns(cells: Cells, vocab: Vocabulary) -> _IndicatorColumns:
    texts = [compact(c) for c in cells]
    index: dict[str, int] = {}
    taken: set[int] = set()
    # the more specific names first: 三级指标 before 指标值, 实际完成值 before 完成值
    for key in (
        "level1",
        "level2",
        "name",
        "explanation",
        "actual",
        "target",
        "reason",
        "weight",
        "score",
    ):
        for word in vocab.indicator_columns[key]:
            j = next((j for j, t in enumerate(texts) if word in t and j not in taken), None)
            if j is not None:
                index[key] = j
                taken.add(j)
                break
    return _IndicatorColumns(index)


_OPERATOR_CELL = re.compile(r"^(?:[≥≤≧≦<>=＝＞＜]|大于|小于|不低于|不少于|不超过|不高于|等于)")


def _shifted(cells: Cells, cols: _IndicatorColumns) -> list[str] | None:
    """A row printed out of step with its header (the text form drops the empty cells of merged
    一级/二级 columns; a PDF row may lose a spacer cell): the cells moved under their columns,
    found by the target cell (the one that starts with an operator)."""
    target = cols.index.get("target")
    if target is None:
        return None
    texts = [c.strip() for c in cells]
    if target < len(texts) and _OPERATOR_CELL.match(compact(texts[target])):
        return None
    at = next((j for j, t in enumerate(texts) if _OPERATOR_CELL.match(compact(t))), None)
    if at is None:
        return None
    shift = target - at
    width = max(len(texts), max(cols.index.values()) + 1)
    moved = [""] * width
    for j, t in enumerate(texts):
        if t and 0 <= j + shift < width:
            moved[j + shift] = t
    # only when the moved row reads better: its 分值 and 得分 are figures where they were not
    return moved if _scored(moved, cols) and not _scored(texts, cols) else None


def _scored(texts: Sequence[str], cols: _IndicatorColumns) -> bool:
    return all(_amount(cols.get(texts, key)) is not None for key in ("weight", "score"))


def _amount(text: str) -> Decimal | None:
    return parse_amount(compact(text))


@dataclass
class _Reader:
    vocab: Vocabulary
    title: str
    fields: dict[str, str] = field(default_factory=dict)
    fund_header: list[Cells] = field(default_factory=list)
    fund_data: list[Row] = field(default_factory=list)
    block_label: str = ""
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    total: tuple[Decimal | None, Decimal | None] = (None, None)
    total_source: Source | None = None
    grade: str = ""
    state: str = "head"
    icols: _IndicatorColumns | None = None
    goal_cols: tuple[int, int] = (0, 0)
    level: tuple[str, str] = ("", "")

    def read(self, rows: Sequence[Row]) -> None:
        for cells, source in rows:
            if not any(c.strip() for c in cells):
                continue
            self.row(cells, source)

    def row(self, cells: Cells, source: Source | None) -> None:
        v = self.vocab
        if _is_total(cells, v) and self.state in ("indicators", "goals", "funds"):
            self._total(cells, source)
            self.state = "done"
        elif self.state == "done" and _is_grade(cells, v):
            self.grade = _grade(cells)
        elif _is_indicator_header(cells, v):
            self.icols = _indicator_columns(cells, v)
            self.state = "indicators"
        elif self.state == "indicators" and self.icols is not None:
            self._indicator(cells, source)
        elif self.state in ("head", "funds") and is_fund_header(cells, v):
            self.fund_header = [cells]
            self.block_label = next((c for c in cells if c.strip()), "")
            self.state = "fund_header"
        elif self.state == "fund_header" and is_sub_header(cells, v):
            self.fund_header.append(cells)
        elif _is_goals_header(cells, v):
            self._goal_header(cells)
            self.state = "goals"
        elif self.state in ("fund_header", "funds"):
            self.fund_data.append((cells, source))
            self.state = "funds"
        elif self.state == "goals":
            self._goal(cells)
        elif self.state == "head":
            self._fields(cells)

    def _fields(self, cells: Cells) -> None:
        texts = [c.strip() for c in cells]
        for j, t in enumerate(texts):
            key = next(
                (
                    k
                    for k, words in self.vocab.fields.items()
                    if any(compact(t) == compact(w) for w in words)
                ),
                None,
            )
            if key is None:
                continue
            value = next((x for x in texts[j + 1 :] if x), "")
            if value and not any(
                compact(value) == compact(w) for ws in self.vocab.fields.values() for w in ws
            ):
                self.fields.setdefault(key, value)

    def _goal_header(self, cells: Cells) -> None:
        texts = [compact(c) for c in cells]
        planned = next(
            (j for j, t in enumerate(texts) if any(w in t for w in self.vocab.goals["planned"])), 0
        )
        # the opener itself may say 完成情况 (年度总体目标完成情况): the achieved column follows
        achieved = next(
            (
                j
                for j, t in enumerate(texts)
                if j > planned and any(w in t for w in self.vocab.goals["achieved"])
            ),
            planned + 1,
        )
        self.goal_cols = (planned, achieved)

    def _goal(self, cells: Cells) -> None:
        planned_col, achieved_col = self.goal_cols
        texts = [c.strip() for c in cells]
        openers = self.vocab.blocks["goals"]
        before = [
            (j, t)
            for j, t in enumerate(texts[:achieved_col])
            if t
            and not any(compact(t).startswith(w) and len(compact(t)) <= len(w) + 2 for w in openers)
        ]
        after = [t for t in texts[achieved_col:] if t]
        if not before and not after:
            return
        name = ""
        if len(before) > 1 and before[0][0] < planned_col:
            name = before.pop(0)[1]
        self.goals.append(Goal(" ".join(t for _, t in before), " ".join(after), name))

    def _indicator(self, cells: Cells, source: Source | None) -> None:
        assert self.icols is not None
        cols = self.icols
        moved = _shifted(cells, cols) or [c.strip() for c in cells]

        def get(key: str) -> str:
            return cols.get(moved, key)

        level1 = get("level1") or self.level[0]
        level2 = get("level2") or (self.level[1] if not get("level1") else "")
        name = get("name")
        target, actual = get("target"), get("actual")
        weight, score = _amount(get("weight")), _amount(get("score"))
        if not name and not target and weight is None and score is None:
            return
        self.level = (level1, level2)
        reason = get("reason")
        self.indicators.append(
            Indicator(
                level1,
                level2,
                name,
                parse_measure(target),
                parse_measure(actual),
                weight,
                score,
                reason,
                get("explanation"),
                source,
            )
        )

    def _total(self, cells: Cells, source: Source | None) -> None:
        figures = [(j, _amount(c)) for j, c in enumerate(cells) if _amount(c) is not None]
        self.total_source = source
        if not figures:
            return
        if len(figures) == 1:
            self.total = (None, figures[0][1])
            return
        cols = self.icols.index if self.icols is not None else {}
        by_col = dict(figures)
        weight = by_col.get(cols.get("weight", -1))
        score = by_col.get(cols.get("score", -1))
        if weight is None or score is None:
            weight, score = figures[0][1], figures[-1][1]
        self.total = (weight, score)


def _grade(cells: Cells) -> str:
    texts = [c.strip() for c in cells if c.strip()]
    value = texts[1] if len(texts) > 1 else ""
    m = re.match(r"^[“\"]?([优良中差]|优秀|良好|合格|不合格|[A-D])", compact(value))
    return m.group(1) if m else value


def _kind(title: str, fields: dict[str, str], vocab: Vocabulary) -> FormKind:
    named = f"{title}{fields.get('project', '')}"
    if any(w in named for w in vocab.department_titles):
        return FormKind.DEPARTMENT
    if "project" not in fields and "department" in fields and "implementer" not in fields:
        return FormKind.DEPARTMENT
    if any(w in title for w in vocab.special_fund_titles) and "项目" not in title:
        return FormKind.SPECIAL_FUND
    return FormKind.PROJECT


def _unit(texts: Iterable[str]) -> str:
    joined = "".join(compact(t) for t in texts)
    if "万元" in joined:
        return "万元"
    if re.search(r"[（(]元[)）]|单位[:：]?元", joined):
        return "元"
    return ""


def parse_form(title: str, tables: Sequence[ExtraTable]) -> EvaluationForm | None:
    """One form from the tables it is printed in; None when nothing of a form is found."""
    vocab = vocabulary()
    rows: list[Row] = [(cells, t.source) for t in tables for cells in t.rows]
    reader = _Reader(vocab, title)
    reader.read(rows)
    cols = columns(reader.fund_header, vocab) if reader.fund_header else {}
    funds = fund_rows(reader.fund_data, cols, reader.block_label) if cols else []
    if not funds and not reader.indicators:
        return None
    weight, score = reader.total
    head = [c for cells, _src in rows for c in cells]
    return EvaluationForm(
        kind=_kind(title, reader.fields, vocab),
        title=re.sub(r"\s+", "", title) if len(title) < 80 else title,
        project=reader.fields.get("project", ""),
        department=reader.fields.get("department", ""),
        implementer=reader.fields.get("implementer", ""),
        unit=_unit([title, *head]),
        columns=tuple(cols[j] for j in sorted(cols)),
        funds=tuple(funds),
        goals=tuple(reader.goals),
        indicators=tuple(reader.indicators),
        total_weight=weight,
        total_score=score,
        grade=reader.grade,
        source=tables[0].source,
        total_source=reader.total_source,
    )


def _project_list(table: ExtraTable, vocab: Vocabulary) -> EvaluationForm | None:
    rows = list(table.rows)
    at = next(
        i
        for i, cells in enumerate(rows[:4])
        if {ColumnRole.LABEL, ColumnRole.BUDGET, ColumnRole.ACTUAL}
        <= {vocab.role(compact(c)) for c in cells if c.strip()}
    )
    header = [rows[at]]
    data = rows[at + 1 :]
    while data and is_sub_header(data[0], vocab):
        header.append(data.pop(0))
    cols = columns(header, vocab)
    funds: list[FundRow] = fund_rows([(c, table.source) for c in data], cols)
    if not funds:
        return None
    unit = table.unit.value if table.unit is not None else _unit([table.title, *rows[at]])
    fund_columns: tuple[FundColumn, ...] = tuple(cols[j] for j in sorted(cols))
    return EvaluationForm(
        kind=FormKind.PROJECT_LIST,
        title=table.title,
        unit=unit,
        columns=fund_columns,
        funds=tuple(funds),
        source=table.source,
    )
