"""The printed layout of a 绩效自评表 (the official template's: 项目名称, 主管部门 | 实施单位, the
项目资金 block, 年度总体目标, the indicator table, 总分, 评价等级), shared by the XLSX, DOCX and
HTML/PDF writers like the nine tables' layout (:func:`juesuan.writers.printed_table`).

Nine columns: the block label, then 一级 | 二级 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
偏差原因 for the indicators, and a two-column row label with 年初预算数 | 全年预算数（A）|
全年执行数（B）| 分值 | 执行率（B/A）| 得分 for the money block. Block labels are printed in the
block's first row only, so that any reader sees each row's own cells."""

from __future__ import annotations

from juesuan.evaluation.model import EvaluationForm, FormKind
from juesuan.evaluation.scoring import fmt
from juesuan.model.report import Report
from juesuan.writers import PrintedCell, PrintedTable

WIDTH = 9
Grid = list[list[PrintedCell | None]]


def _span(
    text: str, n: int, *, header: bool = False, align: str = "left"
) -> list[PrintedCell | None]:
    return [PrintedCell(text, colspan=n, header=header, align=align), *([None] * (n - 1))]


def _cell(text: str, *, header: bool = False, number: bool = False) -> PrintedCell:
    align = "right" if number else ("center" if header else "left")
    return PrintedCell(text, header=header, align=align)


def _fields(form: EvaluationForm) -> Grid:
    if form.kind is FormKind.DEPARTMENT:
        return [[_cell("部门（单位）名称", header=True), *_span(form.department, WIDTH - 1)]]
    return [
        [_cell("项目名称", header=True), *_span(form.project, WIDTH - 1)],
        [
            _cell("主管部门", header=True),
            *_span(form.department, 4),
            _cell("实施单位", header=True),
            *_span(form.implementer, 3),
        ],
    ]


def _funds(form: EvaluationForm) -> Grid:
    grid: Grid = [
        [
            _cell(f"项目资金（{form.unit or '万元'}）", header=True),
            *_span("", 2, header=True),
            *(_cell(c.name, header=True) for c in form.columns),
        ]
    ]
    for row in form.funds:
        cells = [_cell(c.text, number=c.value is not None) for c in row.cells]
        grid.append([_cell(""), *_span(row.label, 2), *cells])
    return grid


def _goals(form: EvaluationForm) -> Grid:
    grid: Grid = [
        [
            _cell("年度总体目标", header=True),
            *_span("预期目标", 4, header=True),
            *_span("实际完成情况", 4, header=True),
        ]
    ]
    for goal in form.goals:
        grid.append([_cell(""), *_span(goal.planned, 4), *_span(goal.achieved, 4)])
    return grid


_INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")


def _indicators(form: EvaluationForm) -> Grid:
    grid: Grid = [
        [
            _cell("绩效指标", header=True),
            *(_cell(h, header=True) for h in _INDICATOR_HEADER),
            _cell("偏差原因分析及改进措施", header=True),
        ]
    ]
    previous = ("", "")
    for ind in form.indicators:
        level1 = ind.level1 if ind.level1 != previous[0] else ""
        level2 = ind.level2 if (ind.level1, ind.level2) != previous else ""
        previous = (ind.level1, ind.level2)
        grid.append(
            [
                _cell(""),
                _cell(level1),
                _cell(level2),
                _cell(ind.name),
                _cell(ind.target.text),
                _cell(ind.actual.text),
                _cell(fmt(ind.weight), number=True),
                _cell(fmt(ind.score), number=True),
                _cell(ind.reason),
            ]
        )
    grid.append(
        [
            _cell("总分", header=True),
            *_span("", 5),
            _cell(fmt(form.total_weight), number=True),
            _cell(fmt(form.total_score), number=True),
            _cell(""),
        ]
    )
    if form.grade:
        grid.append([_cell("评价等级", header=True), *_span(form.grade, WIDTH - 1)])
    return grid


def printed_form(form: EvaluationForm, report: Report, number: int) -> PrintedTable:
    grid = [*_fields(form), *_funds(form)]
    if form.goals:
        grid += _goals(form)
    grid += _indicators(form)
    return PrintedTable(
        id=None,
        title=form.title,
        label=f"绩效自评表{number}",
        unit_line=f"金额单位：{form.unit or '万元'}",
        unit_name_line=f"部门：{report.unit_name or ''}",
        year_line=f"（{report.year or ''}年度）",
        grid=tuple(tuple(r) for r in grid),
        header_rows=1,
        notes=(),
        empty=False,
    )


def printed_forms(report: Report) -> list[PrintedTable]:
    """The report's 绩效自评表 (the ones a build generated) in printed layout."""
    forms = [f for f in report.performance.forms if f.kind is not FormKind.PROJECT_LIST]
    return [printed_form(f, report, i) for i, f in enumerate(forms, start=1)]
