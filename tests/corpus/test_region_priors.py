from __future__ import annotations

from typing import Any

import pytest

from juesuan.corpus.priors import match_priors
from juesuan.corpus.region import region_of


@pytest.mark.parametrize(
    ("unit", "region"),
    [
        ("上海市普陀区财政局", "上海市普陀区"),
        ("中共上海市普陀区委社会工作部", "上海市普陀区"),
        ("平潭综合实验区台湾工作部", "平潭综合实验区"),
        ("平潭县人大常委会", "平潭县"),
        ("江苏省人民检察院", "江苏省"),
        ("西安市卫生健康委员会（汇总）", "西安市"),
        ("上海市城市规划设计研究院", "上海市"),  # 城 is no city: two characters at least
        ("北京市市场监督管理局", "北京市"),
        ("广州市越秀区城市管理局", "广州市越秀区"),
        ("政府办公厅", None),
        (None, None),
    ],
)
def test_region_from_the_unit_name(unit: str | None, region: str | None) -> None:
    assert region_of(unit) == region


def _doc(
    sha: str, unit: str, year: int, region: str | None = "示例市", **kw: Any
) -> dict[str, Any]:
    doc = {"sha256": sha, "unit": unit, "year": year, "region": region, "status": "audited"}
    return {**doc, "path": f"{sha}.pdf", **kw}


def test_same_unit_year_before_is_matched_with_full_confidence() -> None:
    docs = [_doc("a", "示例市民政局", 2021), _doc("b", "示例市民政局", 2022)]
    m = match_priors(docs)
    assert m["b"].prior_sha256 == "a" and m["b"].method == "matched"
    assert m["b"].confidence == 1.0
    assert m["a"].prior_sha256 is None


def test_names_alike_only_once_normalised_are_less_sure() -> None:
    docs = [_doc("a", "示例市民政局（汇总）", 2021), _doc("b", "示例市 民政局", 2022)]
    assert match_priors(docs)["b"].confidence == 0.9


def test_unknown_region_and_several_candidates_lower_the_confidence() -> None:
    docs = [
        _doc("a", "政府办公厅", 2021, None),
        _doc("c", "政府办公厅", 2021, None),
        _doc("b", "政府办公厅", 2022, None),
    ]
    m = match_priors(docs)["b"]
    assert m.prior_sha256 == "a"  # the first by path
    assert m.confidence == pytest.approx(0.3)
    assert m.note is not None and "2 份" in m.note


def test_another_region_is_never_a_match() -> None:
    docs = [_doc("a", "财政局", 2021, "甲县"), _doc("b", "财政局", 2022, "乙县")]
    m = match_priors(docs)["b"]
    assert m.prior_sha256 is None and m.note is not None and "甲县" in m.note


def test_no_match_across_two_years_or_with_a_budget_or_itself() -> None:
    docs = [
        _doc("a", "示例市民政局", 2020),
        _doc("x", "示例市民政局", 2021, status="recorded", kind="部门预算"),
        _doc("b", "示例市民政局", 2022),
    ]
    assert match_priors(docs)["b"].prior_sha256 is None


def test_a_manifest_prior_wins() -> None:
    docs = [_doc("a", "甲", 2021), _doc("b", "乙", 2022)]
    m = match_priors(docs, {"b": "a"})["b"]
    assert (m.prior_sha256, m.method, m.confidence) == ("a", "manifest", 1.0)
