"""``juesuan build`` generates the 绩效自评表 from the indicators in the source file: the scores
the source leaves out come from the method, the totals add up, the form passes every 绩效 rule,
and a bad entry stops the build with one line naming its key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.compose.source import parse_source
from juesuan.errors import InputError
from juesuan.evaluation.compose import build_forms
from juesuan.evaluation.model import FormKind, Performance
from juesuan.evaluation.review import review_performance
from juesuan.evaluation.scoring import default_method
from juesuan.model.report import Report
from juesuan.rules.declarations import performance_rules
from juesuan.rules.finding import Severity
from tests.conftest import REPO

D = Decimal
DOC = REPO / "docs" / "source-example.toml"
TABLES = REPO / "src" / "juesuan" / "examples" / "jiaozuo-2021.txt"

HEAD = f"""
[unit]
name = "测试单位"
year = 2021
kind = "事业单位"
[tables]
file = "{TABLES}"
"""

FORM = """
[[performance.form]]
name = "社保卡系统运行维护费"
budget = 10
actual = 9
{extra}
[[performance.form.indicator]]
level1 = "产出指标"
level2 = "数量指标"
name = "系统维护次数"
target = "≥12次"
actual = "9次"
weight = 50
[[performance.form.indicator]]
level1 = "效益指标"
name = "业务办理时长"
target = "≤10分钟"
actual = "8分钟"
weight = 30
{indicator}
[[performance.form.indicator]]
level1 = "满意度指标"
name = "持卡人满意度"
target = "满意"
actual = "基本满意"
weight = 10
score = 8
"""


def _source(tmp_path: Path, extra: str = "", indicator: str = "") -> Path:
    path = tmp_path / "source.toml"
    path.write_text(HEAD + FORM.format(extra=extra, indicator=indicator), encoding="utf-8")
    return path


def test_a_form_built_from_its_indicators(tmp_path: Path) -> None:
    source = parse_source(_source(tmp_path).read_text("utf-8"), tmp_path / "source.toml")
    (form,), warnings = build_forms(source.performance.forms, "测试单位", 2021, default_method())
    assert warnings == []
    assert form.kind is FormKind.PROJECT and form.title == "社保卡系统运行维护费项目支出绩效自评表"
    assert (form.budget, form.actual, form.rate_weight, form.rate_score) == (
        D(10),
        D(9),
        D(10),
        D("9.00"),
    )
    scores = [(i.level1, i.score) for i in form.indicators]
    assert scores == [
        ("产出指标（50分）", D("37.50")),
        ("效益指标（30分）", D(30)),
        ("满意度指标（10分）", D(8)),
    ]
    assert (form.total_weight, form.total_score, form.grade) == (D(100), D("84.50"), "良")
    # what the build prints passes every 绩效 rule
    report = Report(unit_name="测试单位", year=2021, performance=Performance((form,)))
    found = review_performance(report, performance_rules()).findings
    assert [f for f in found if f.severity in (Severity.ERROR, Severity.WARNING)] == []


@pytest.mark.parametrize(
    ("extra", "indicator", "said"),
    [
        ('kind = "whole"', "", "performance.form[0].kind: expected project or department"),
        ("budget_total = 3", "", "performance.form[0].budget_total: unknown key"),
        (
            "[performance.form.sources.fiscal]\nbudget = 8\nactual = 9",
            "",
            "performance.form[0].sources.budget",
        ),
        (
            "",
            '[[performance.form.indicator]]\nlevel1 = "产出指标"\nname = "x"\nweight = "ten"',
            "indicator[2].weight: expected a number",
        ),
        (
            "",
            '[[performance.form.indicator]]\nlevel1 = "产出指标"\nname = "x"\n'
            "weight = 5\nscore = 6",
            "indicator[2].score: 6 exceeds the weight 5",
        ),
    ],
)
def test_a_bad_form_is_one_line_naming_its_key(
    tmp_path: Path, extra: str, indicator: str, said: str
) -> None:
    path = _source(tmp_path, extra, indicator)
    with pytest.raises(InputError) as exc:
        parse_source(path.read_text("utf-8"), path)
    assert said in exc.value.one_line()


def test_a_partly_met_qualitative_indicator_needs_its_score(tmp_path: Path) -> None:
    path = _source(tmp_path)
    text = path.read_text("utf-8").replace("score = 8\n", "")
    source = parse_source(text, path)
    with pytest.raises(InputError, match="give its score"):
        build_forms(source.performance.forms, "测试单位", 2021, default_method())


def test_the_documented_example_builds_its_form() -> None:
    source = parse_source(DOC.read_text("utf-8"), DOC)
    forms, _warnings = build_forms(
        source.performance.forms, source.unit.name, 2021, default_method()
    )
    assert [f.total_score for f in forms] == [D(100)]


def test_the_package_prints_the_source_forms_only(tmp_path: Path) -> None:
    """The tables file's own extra tables (seed 002's published form) are not the package's."""
    from juesuan.compose import prepare_build

    prepared = prepare_build(_source(tmp_path))
    report = prepared.disclosure.report
    assert report.extra_tables == ()
    assert [f.project for f in report.performance.forms] == ["社保卡系统运行维护费"]
