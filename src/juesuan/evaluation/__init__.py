"""绩效自评: the self-evaluation forms and statements of a report, their scoring and checks.

- :mod:`.model` — the forms (项目支出绩效自评表, 部门（单位）整体绩效自评表, 项目支出情况表) and the
  figures the text states, carried in :attr:`juesuan.model.report.Report.performance`;
- :mod:`.forms`, :mod:`.funds`, :mod:`.measures` — reading the forms from the tables the
  document assembly keeps outside the nine standard ones (any input format);
- :mod:`.statements` — reading the 绩效 figures of the text (自评综述, prose evaluations);
- :mod:`.scoring` — the documented scoring method, its parameters in a data file
  (``data/method.toml``; a region's variant is its own file);
- :mod:`.checks` — the checks declared in ``rules/builtin/performance.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from juesuan.evaluation.model import EvaluationForm, Performance, Statement

if TYPE_CHECKING:  # the report model holds Performance: import it only when type-checking
    from juesuan.model.report import DocumentKind, NarrativeSection, Report
    from juesuan.model.source import Source
    from juesuan.model.tables import ExtraTable


def read_performance(
    extras: Sequence[ExtraTable],
    sections: Sequence[NarrativeSection],
    parts: Sequence[NarrativeSection],
    lines: Sequence[tuple[str, Source | None]],
    kind: DocumentKind | None,
) -> Performance:
    """The 绩效 material of a document, from its extra tables and its text. A document that is
    itself a 绩效 evaluation (or has neither sections nor parts) is read whole. The readers are
    imported only for a document that has such material (``juesuan check`` starts fast)."""
    from juesuan.model.report import DocumentKind, NarrativeSection

    forms: tuple[EvaluationForm, ...] = ()
    if any(_may_be_form(t) for t in extras):
        from juesuan.evaluation.forms import read_forms

        forms = read_forms(extras)
    whole = None
    if kind is DocumentKind.PERFORMANCE or not (sections or parts):
        texts = [t for t, _s in lines]
        whole = NarrativeSection("", "全文", "\n".join(texts), None, tuple(s for _t, s in lines))
    chosen = [whole] if whole is not None else [*sections, *parts]
    statements: tuple[Statement, ...] = ()
    if any(w in s.text for s in chosen for w in _FIGURE_WORDS):
        from juesuan.evaluation.statements import read_statements

        statements = read_statements([*sections, *parts], whole=whole)
    return Performance(forms, statements)


# Words without which a table is no form and a text states no 绩效 figure (a cheap test first).
_FORM_WORDS = ("自评", "绩效", "评价", "执行", "项目名称", "部门（单位）名称", "专项名称")
_FIGURE_WORDS = (
    "得分",
    "评分",
    "执行率",
    "完成预算",
    "等级",
    "级次",
    "目标任务数",
    "指标（",
    "指标(",
)


def _may_be_form(table: ExtraTable) -> bool:
    head = " ".join((table.title or "", *(c for r in table.rows[:4] for c in r)))
    return any(w in head for w in _FORM_WORDS)


def performance_of(report: Report) -> Performance:
    """The report's 绩效 material; a report built in code (or read from JSON written before the
    model had it) has its forms read from its extra tables here."""
    if report.performance:
        return report.performance
    from juesuan.evaluation.forms import read_forms
    from juesuan.evaluation.statements import read_statements

    forms = read_forms(report.extra_tables)
    statements = read_statements([*report.sections, *report.parts])
    return Performance(forms, statements)
