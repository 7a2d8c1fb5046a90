"""The scoring engine: per operator (met, proportional, inverse, closeness, zero and missing
targets), qualitative grades, 预算执行率 points (proportional and in bands), grade bands, and a
region's own method file in place of the built-in one."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.errors import InputError
from juesuan.evaluation.measures import parse_measure
from juesuan.evaluation.model import (
    ColumnRole,
    EvaluationForm,
    FormKind,
    FundCell,
    FundColumn,
    FundRow,
    Indicator,
)
from juesuan.evaluation.scoring import (
    default_method,
    load_method,
    rate_points,
    score_form,
    score_indicator,
)
from juesuan.evaluation.vocabulary import vocabulary

D = Decimal


def ind(
    target: str, actual: str, weight: str = "10", score: str | None = None, level2: str = "数量指标"
) -> Indicator:
    return Indicator(
        "产出指标",
        level2,
        "指标",
        parse_measure(target),
        parse_measure(actual),
        D(weight),
        D(score) if score is not None else None,
    )


def expected(
    target: str, actual: str, weight: str = "10", level2: str = "数量指标", method=None
) -> str | None:  # type: ignore[no-untyped-def]
    s = score_indicator(
        ind(target, actual, weight, level2=level2), method or default_method(), vocabulary()
    )
    return None if s.expected is None else f"{s.expected:f}"


@pytest.mark.parametrize(
    ("target", "actual", "weight", "points"),
    [
        (">=100%", "100", "15", "15"),  # met: full
        ("≥800人", "744人", "2", "1.86"),  # ≥ missed: 2 × 744 ÷ 800
        ("≥30次", "20", "2", "1.33"),
        ("≤3843.67万元", "4262.96", "4", "3.61"),  # ≤ missed: 4 × 3843.67 ÷ 4262.96
        ("=100 百分比", "90", "10", "9.00"),  # = missed: closeness
        ("=5 百分比", "100", "0.5", "0.00"),
        ("≤0次", "0", "2", "2"),  # zero target met
        ("=0 百分比", "100", "2", "0.00"),  # zero target missed
        ("≤0%", "2%", "5", "0.00"),
    ],
)
def test_quantitative_scores_per_operator(
    target: str, actual: str, weight: str, points: str
) -> None:
    assert expected(target, actual, weight) == points


def test_missing_targets_and_actuals_keep_the_stated_score() -> None:
    for target, actual in (("", "100%"), ("≥95%", ""), ("≥95%", "设备运行良好")):
        assert expected(target, actual) is None


def test_qualitative_grades() -> None:
    assert expected("国家标准范围之内", "国家标准范围之内", "12.5") == "12.50"  # repeats its target
    assert expected("达到国家标准", "已完成", "5") == "5.00"
    assert expected("满意", "不满意", "10") == "0.00"
    assert expected("满意", "基本满意", "30") is None  # partly met: the evaluator's score


def test_a_cost_target_without_operator_is_lower_is_better() -> None:
    assert expected("240万元", "229.19万元", "12.5", level2="成本指标") == "12.5"
    assert expected("240万元", "250万元", "12.5", level2="成本指标") == "12.00"


def _method(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_region_that_scores_misses_as_nothing(tmp_path: Path) -> None:
    region = load_method(
        _method(tmp_path, '[method]\nname = "某地"\n[quantitative]\nge = "all_or_nothing"\n')
    )
    assert region.name == "某地"
    assert expected("≥800人", "744人", "2", method=region) == "0"
    assert expected("≤3843.67万元", "4262.96", "4", method=region) == "3.61"  # le as before


def test_rate_points_proportional_and_in_bands(tmp_path: Path) -> None:
    method = default_method()
    assert rate_points(D("83.16"), D(10), method)[0] == D("8.32")
    assert rate_points(D("120"), D(10), method)[0] == D("10.00")  # capped at 100%
    bands = load_method(
        _method(
            tmp_path,
            '[rate]\nscoring = "bands"\n[[rate.band]]\nmin = 95\nshare = 1\n'
            "[[rate.band]]\nmin = 80\nshare = 0.7\n[[rate.band]]\nmin = 0\nshare = 0\n",
        )
    )
    assert rate_points(D("88.75"), D(10), bands)[0] == D("7.00")
    assert rate_points(D("99"), D(10), bands)[0] == D("10.00")
    assert rate_points(D("50"), D(10), bands)[0] == D("0.00")


def test_grade_bands_from_the_method(tmp_path: Path) -> None:
    method = default_method()
    assert [method.grade(D(x)).names[0] for x in ("92.33", "90", "89.99", "60", "12")] == [  # type: ignore[union-attr]
        "优",
        "优",
        "良",
        "中",
        "差",
    ]
    letters = load_method(
        _method(tmp_path, '[[grade]]\nmin = 85\nnames = ["A"]\n[[grade]]\nmin = 0\nnames = ["B"]\n')
    )
    assert letters.grade(D("86")).names == ("A",)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('[quantitative]\nge = "half"\n', "quantitative.ge"),
        ('[rate]\nscoring = "bands"\n', "rate.band"),
        ('[rate]\nweight = "ten"\n', "rate.weight"),
        ("[rate\n", "not a valid TOML"),
    ],
)
def test_a_bad_method_file_is_one_line(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(InputError) as exc:
        load_method(_method(tmp_path, text))
    assert said in exc.value.one_line()


def _form(
    budget: str,
    actual: str,
    weight: str,
    score: str,
    *indicators: Indicator,
    total: str | None = None,
) -> EvaluationForm:
    cols = (
        FundColumn("全年预算数", ColumnRole.BUDGET),
        FundColumn("全年执行数", ColumnRole.ACTUAL),
        FundColumn("分值", ColumnRole.WEIGHT),
        FundColumn("得分", ColumnRole.SCORE),
    )
    row = FundRow("年度资金总额", tuple(FundCell(v, D(v)) for v in (budget, actual, weight, score)))
    return EvaluationForm(
        FormKind.PROJECT,
        "测试项目绩效自评表",
        "测试项目",
        columns=cols,
        funds=(row,),
        indicators=indicators,
        total_score=D(total) if total else None,
    )


def test_a_form_recomputed_beside_the_stated_total() -> None:
    form = _form(
        "100",
        "90",
        "10",
        "10",
        ind("≥800人", "744人", "50", "50"),
        ind("满意", "满意", "40", "40"),
        total="100",
    )
    s = score_form(form)
    assert s.rate is not None and s.rate.expected == D("9.00")
    assert s.stated_sum == D(100) and s.stated_total == D(100)
    assert s.recomputed_total == D("95.50")  # 9 + 46.5 + 40
    assert s.recomputed_grade is not None and s.recomputed_grade.names[0] == "优"
    assert [x.deviates(D("0.05")) for x in s.scores] == [True, True, False]
