"""The 绩效 material of the real documents: 101's 87 项目支出绩效自评表 and its 部门整体 form
(F101-06, F101-10, F101-11), 109's printed formulas, 108's evaluation report, seed 000's prose
evaluation. Skipped when ``../shared/corpus`` (or the seeds) are not beside the repository."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from bench.corpus_key import CORPUS, known_errors, matches

from juesuan.evaluation.checks import formula_columns
from juesuan.evaluation.model import FormKind, StatementKind
from juesuan.evaluation.text_checks import stated_rates
from juesuan.model.report import Report
from juesuan.rules.finding import Severity

D = Decimal
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def _path(folder: str, doc: str) -> Path:
    return next((CORPUS / folder).glob(f"{doc}_*.pdf"))


@cache
def _read(folder: str, doc: str) -> Report:
    from juesuan import api

    return api.load(_path(folder, doc))


@cache
def _score(folder: str, doc: str) -> Any:
    from juesuan import api

    return api.score(_read(folder, doc))


def test_101_every_project_form_is_read() -> None:
    report = _read("final-accounts", "101")
    forms = report.performance.forms
    projects = [f for f in forms if f.kind is FormKind.PROJECT]
    assert len(projects) == 87
    assert {f.page for f in projects} == set(range(55, 142))
    assert all(f.budget is not None and f.indicators and f.total_score for f in projects)
    (whole,) = [f for f in forms if f.kind is FormKind.DEPARTMENT]
    assert (whole.page, whole.total_score, len(whole.funds)) == (30, D("99.5"), 18)


def test_101_every_summary_rate_is_recomputed() -> None:
    report = _read("final-accounts", "101")
    rates = [r for r in stated_rates(report.performance.statements) if r.rate.summary]
    assert len(rates) >= 88  # the 87 projects' 自评综述 and the 专项资金's
    wrong = [r.rate.text for r in rates if not r.agrees]
    assert wrong == ["35%"]  # item 54 (F101-02: N.project reports it)


@pytest.mark.parametrize(
    ("row", "rule", "severity"),
    [
        ("F101-06", "P.tables", Severity.ERROR),
        ("F101-10", "P.rate_score", Severity.WARNING),
        ("F101-11", "P.formula", Severity.ERROR),
    ],
)
def test_101_rows_of_the_key(row: str, rule: str, severity: Severity) -> None:
    known = next(k for k in known_errors() if k.id == row)
    result = _score("final-accounts", "101")
    found = [f for f in result.findings if f.rule_id == rule and matches(known, f)]
    assert found and all(f.severity is severity for f in found)


def test_101_form_errors_are_the_known_ones() -> None:
    """Every 绩效 error of 101 is a row of ERRORS.md but one: the 医用激光仪器及设备 form (p139)
    prints a 其他资金 全年预算数 of 3,258.5 that its 年度资金总额 (423) leaves out."""
    result = _score("final-accounts", "101")
    errors = [
        f for f in result.findings if f.severity is Severity.ERROR and f.rule_id.startswith("P.")
    ]
    keys = [k for k in known_errors() if k.doc == "101"]
    unlisted = [f for f in errors if not any(matches(k, f) for k in keys)]
    assert [(f.rule_id, f.location.source.page) for f in unlisted] == [("P.sum", 139)]  # type: ignore[union-attr]


def test_109_every_printed_formula_is_checked() -> None:
    report = _read("performance", "109")
    (form,) = report.performance.forms
    printed = {c.marker: c.formula for _i, c in formula_columns(form)}
    assert printed == {"③": "①+②", "⑤": "④/③", "⑥": "③-④", "⑦": "⑥/③"}
    assert len(form.funds) == 6
    result = _score("performance", "109")
    assert [f for f in result.findings if f.rule_id == "P.formula"] == []
    # the 财政资金小计 prints 0.00 although its ③地方财政资金 carries the whole 9,209.55
    sums = [f.location.row for f in result.findings if f.rule_id == "P.sum"]
    assert sums == ["合计", "财政资金小计"]
    assert result.review.scores[0].stated_sum == D("92.33") == form.total_score
    assert form.grade == "优"


def test_108_the_text_against_its_project_table() -> None:
    result = _score("performance", "108")
    (form,) = result.review.performance.forms
    assert form.kind is FormKind.PROJECT_LIST and len(form.funds) == 18
    text = [f for f in result.findings if f.rule_id == "P.text_form"]
    assert [(f.severity, f.found) for f in text] == [(Severity.ERROR, "2,614.42万元")]
    grades = [s for s in result.review.performance.statements if s.kind is StatementKind.GRADE]
    assert [g.text for g in grades] == ["优"]
    assert not [f for f in result.findings if f.rule_id == "P.grade"]


def test_seed000_prose_evaluation_yields_its_figures(seed000: Report) -> None:
    from juesuan import api

    statements = seed000.performance.statements
    figures = {(s.kind, s.indicator or s.subject, s.text) for s in statements}
    assert (StatementKind.SCORE, "自评得分", "99 分") in figures
    assert (StatementKind.RATE, "完成预算", "100%") in figures
    assert (StatementKind.RATE, "执行率", "95%") in figures
    assert (StatementKind.WEIGHT, "产出指标", "40 分") in figures
    assert {s.indicator for s in statements if s.indicator} == {
        "质量指标",
        "成本指标",
        "满意度指标",
        "社会效益指标",
    }
    assert (StatementKind.TARGET, "目标任务数", "32.95 万张") in figures
    assert (StatementKind.ACHIEVED, "签发", "38.51 万张") in figures
    result = api.score(seed000)
    assert sorted(f.rule_id for f in result.findings if f.severity is Severity.ERROR) == [
        "P.text_same",
        "P.text_score",
    ]
