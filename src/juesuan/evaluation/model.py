"""The 绩效自评 model: the self-evaluation forms a report prints and the figures its text states.

Pure data, read once by :mod:`juesuan.evaluation.forms` (from the tables the document assembly
keeps outside the nine standard ones) and :mod:`juesuan.evaluation.statements` (from the text),
carried in :attr:`juesuan.model.report.Report.performance` and serialised with the report.

- :class:`EvaluationForm` — a 项目支出绩效自评表, a 部门（单位）整体绩效自评表, or a 项目支出情况表
  (a list of projects with their budgets and execution, as a 财政 evaluation report prints it):
  the money block (:class:`FundColumn` × :class:`FundRow`), the 年度总体目标 (:class:`Goal`),
  the indicator tree (:class:`Indicator`, 一级 → 二级 → 三级), the stated 总分 and 等级.
- :class:`Measure` — a 年度指标值 or 实际完成值 as printed: an operator, a figure and its unit
  (">=99%", "≤30 万元", "=100 百分比", "≥32.95万张"), or qualitative text ("达到国家标准").
- :class:`Statement` — one figure the 绩效 text states (a 自评综述's 全年预算数 / 执行数 / 完成预算
  的比例, a prose evaluation's 自评得分, 执行率, 指标分值, 评价等级), with the project it names.

Money is ``Decimal`` with its printed precision; every element keeps its :class:`Source`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from juesuan.model.source import Source


class FormKind(StrEnum):
    """What a 绩效 table is."""

    PROJECT = "项目支出绩效自评表"
    DEPARTMENT = "部门整体绩效自评表"
    SPECIAL_FUND = "专项资金绩效自评表"  # a 专项资金's own form (same layout as a project's)
    PROJECT_LIST = "项目支出情况表"  # projects' 预算 / 执行 / 执行率 (no indicators)


class Operator(StrEnum):
    """The comparison of a 年度指标值: what "met" means for the indicator."""

    GE = "≥"  # higher is better (数量, 质量, 满意度)
    GT = ">"
    LE = "≤"  # lower is better (成本, 事故率)
    LT = "<"
    EQ = "="


class ColumnRole(StrEnum):
    """What a column of the money block holds (named by its header words, see
    ``evaluation/data/vocabulary.toml``)."""

    SEQ = "序号"
    LABEL = "项目"  # the row's name (任务名称, 项目名称, 资金来源)
    INITIAL = "年初预算数"
    ADJUSTMENT = "调整数"
    BUDGET = "全年预算数"
    ACTUAL = "全年执行数"
    RATE = "执行率"
    BALANCE = "结余"
    BALANCE_RATE = "结余率"
    WEIGHT = "分值"
    SCORE = "得分"
    TEXT = "说明"  # 主要内容, 完成情况, 原因


class StatementKind(StrEnum):
    """What a figure of the 绩效 text states."""

    BUDGET = "预算数"
    ACTUAL = "执行数"
    RATE = "执行率"
    SCORE = "得分"
    WEIGHT = "分值"
    GRADE = "等级"
    TARGET = "指标值"  # a target the text states (目标任务数为 32.95 万张; 支出不超过 30 万)
    ACHIEVED = "实际完成值"  # what was achieved against it (签发 38.51 万张)


@dataclass(frozen=True, slots=True)
class Measure:
    """A 年度指标值 or 实际完成值 as printed. ``value`` is None for qualitative text; a figure
    printed without an operator has ``operator`` None (the indicator's target says how to read
    it)."""

    text: str
    operator: Operator | None = None
    value: Decimal | None = None
    unit: str = ""  # "%", "万元", "个", "万张", "百分比" … as printed

    @property
    def quantitative(self) -> bool:
        return self.value is not None

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class Indicator:
    """A 三级指标 of the indicator tree with its 一级 and 二级 (as printed, or carried down from
    the row above when the form merges them)."""

    level1: str  # 一级指标: 产出指标（50分）, 效益指标, 满意度指标, 投入管理 …
    level2: str  # 二级指标: 数量指标, 质量指标, 时效指标, 成本指标, 社会效益指标 …
    name: str  # 三级指标
    target: Measure  # 年度指标值
    actual: Measure  # 实际完成值
    weight: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分
    reason: str = ""  # 偏差原因分析及改进措施 (未完成原因)
    explanation: str = ""  # 指标说明 (the 整体 forms print how the measure is defined)
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class FundColumn:
    """A column of the money block: its printed header words, what it holds, which fund source
    (财政拨款 / 其他资金; "" for the 总额) and the formula the header prints (⑤=④/③)."""

    name: str
    role: ColumnRole
    fund: str = ""
    marker: str = ""  # "③"
    formula: str = ""  # "①+②" (markers of other columns, + − × /)
    percent: bool = False  # figures are percentages (执行率, "(%)" in the header)


@dataclass(frozen=True, slots=True)
class FundCell:
    """A printed cell of the money block: its text and, when it is a figure, its value (a
    percentage for rate columns: "100.00%" → 100.00)."""

    text: str
    value: Decimal | None = None


@dataclass(frozen=True, slots=True)
class FundRow:
    """A row of the money block (年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金; in a 整体
    form a task or a fund source; in a 项目支出情况表 a project). ``cells`` line up with the
    form's ``columns``."""

    label: str
    cells: tuple[FundCell, ...]
    group: str = ""  # the label of the block this row is printed under (资金来源)
    seq: str = ""  # 序号 as printed (一, 1, ①)
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    """年度总体目标 (or a 年度履职目标 / 年度主要任务): what was planned and what was achieved."""

    planned: str
    achieved: str
    name: str = ""  # 目标1, a task's name


@dataclass(frozen=True)
class EvaluationForm:
    """One 绩效自评表 (or 项目支出情况表) as printed."""

    kind: FormKind
    title: str
    project: str = ""  # 项目名称 (the unit's name for a 整体 form)
    department: str = ""  # 主管部门 / 部门（单位）名称
    implementer: str = ""  # 实施单位
    unit: str = ""  # 万元 / 元 as the form states it ("" when it does not)
    columns: tuple[FundColumn, ...] = ()
    funds: tuple[FundRow, ...] = ()
    goals: tuple[Goal, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    total_weight: Decimal | None = None  # 总分 row: 分值
    total_score: Decimal | None = None  # 总分 row: 得分 (总分)
    grade: str = ""  # 评价等级 / 自评等级 as printed
    source: Source | None = None
    total_source: Source | None = None

    @property
    def page(self) -> int | None:
        return self.source.page if self.source is not None else None

    def column_index(self, role: ColumnRole, fund: str = "") -> int | None:
        """The first column of ``role`` (and fund source), or None."""
        for i, c in enumerate(self.columns):
            if c.role is role and c.fund == fund:
                return i
        return None

    def value(self, row: FundRow, role: ColumnRole, fund: str = "") -> Decimal | None:
        i = self.column_index(role, fund)
        if i is None or i >= len(row.cells):
            return None
        return row.cells[i].value

    def text(self, row: FundRow, role: ColumnRole, fund: str = "") -> str:
        i = self.column_index(role, fund)
        if i is None or i >= len(row.cells):
            return ""
        return row.cells[i].text

    @property
    def total_row(self) -> FundRow | None:
        """The row of the whole budget: 年度资金总额, 合计, 部门预算总额 …, else the first row."""
        for row in self.funds:
            if is_total_label(row.label):
                return row
        return self.funds[0] if self.funds else None

    @property
    def budget(self) -> Decimal | None:
        """全年预算数 of the whole (of the project, or of the unit for a 整体 form)."""
        row = self.total_row
        return self.value(row, ColumnRole.BUDGET) if row is not None else None

    @property
    def actual(self) -> Decimal | None:
        """全年执行数 of the whole."""
        row = self.total_row
        return self.value(row, ColumnRole.ACTUAL) if row is not None else None

    @property
    def rate_weight(self) -> Decimal | None:
        """分值 of 预算执行率: the total row's, else the first the block prints."""
        return self._block_value(ColumnRole.WEIGHT)

    @property
    def rate_score(self) -> Decimal | None:
        """得分 of 预算执行率: the total row's, else the first the block prints."""
        return self._block_value(ColumnRole.SCORE)

    def _block_value(self, role: ColumnRole) -> Decimal | None:
        row = self.total_row
        if row is not None and (v := self.value(row, role)) is not None:
            return v
        for r in self.funds:
            if (v := self.value(r, role)) is not None:
                return v
        return None


@dataclass(frozen=True, slots=True)
class Statement:
    """A figure the 绩效 text states, with the project (or 整体) its sentence names."""

    kind: StatementKind
    text: str  # the figure as printed ("21143.98万元", "35%", "99 分", "优")
    value: Decimal | None  # None for a grade
    project: str  # the project the sentence (or its heading) names; "整体" for the unit's own
    subject: str  # the words naming the figure (执行数, 完成预算, 自评得分, 产出指标 …)
    sentence: str
    start: int  # offsets of the figure in the sentence
    end: int
    section: str = ""  # the 情况说明 section or part it is printed in
    indicator: str = ""  # a 指标's own score: the indicator it names (质量指标)
    group: str = ""  # the 一级指标 heading it falls under (产出指标（40 分）)
    summary: bool = False  # a numbered 自评综述 (checked by the narrative audit's N.project)
    source: Source | None = None


@dataclass(frozen=True)
class Performance:
    """The 绩效 material of a report: its forms and the figures its text states."""

    forms: tuple[EvaluationForm, ...] = ()
    statements: tuple[Statement, ...] = ()

    @property
    def project_forms(self) -> tuple[EvaluationForm, ...]:
        return tuple(f for f in self.forms if f.kind is FormKind.PROJECT)

    def __bool__(self) -> bool:
        return bool(self.forms or self.statements)


_TOTAL = re.compile(r"(?:金额)?合计$|总额$|总计$|^合计|^总额")


def is_total_label(label: str) -> bool:
    """A row that is the whole of the money block (年度资金总额, 部门预算总额, 金额合计, 合计)."""
    s = re.sub(r"\s+", "", label)
    return bool(_TOTAL.search(s)) and "小计" not in s
