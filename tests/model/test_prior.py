"""Last year's report: same unit (names compared as a person would) and the year before."""

from __future__ import annotations

from juesuan.model.prior import find_prior, prior_problem, unit_key
from juesuan.model.report import Report


def test_names_compare_without_marks_and_spacing() -> None:
    assert unit_key("西安市卫生健康委员会（汇总）") == unit_key("西安市卫生健康委员会")
    assert unit_key("平潭县人大常委会 ") == unit_key("平潭县人大常委会")
    assert unit_key("某某局") != unit_key("某某局执法总队")


def test_prior_is_same_unit_and_the_year_before() -> None:
    this = Report(unit_name="平潭县人大常委会", year=2016)
    last = Report(unit_name="平潭县人大常委会", year=2015)
    other = Report(unit_name="平潭综合实验区市场监督管理局", year=2015)
    later = Report(unit_name="平潭县人大常委会", year=2017)
    assert find_prior(this, [other, later, last]) is last
    assert prior_problem(this, last) is None
    assert "another unit" in (prior_problem(this, other) or "")
    assert "not 2015" in (prior_problem(this, later) or "")
    assert find_prior(this, [this]) is None  # the same file is not last year's


def test_why_a_report_is_not_last_years() -> None:
    this = Report(unit_name="平潭县人大常委会", year=2016, source_file="/r/2016.txt")
    assert "the report itself" in (prior_problem(this, this) or "")
    copy = Report(unit_name="平潭县人大常委会", year=2016, source_file="/r/../r/2016.txt")
    assert "the report itself" in (prior_problem(this, copy) or "")  # one file, two spellings
    same_year = Report(unit_name="平潭县人大常委会", year=2016, source_file="/r/b.txt")
    assert prior_problem(this, same_year) == "it is of 2016, the same year as the report, not 2015"
    later = Report(unit_name="平潭县人大常委会", year=2017)
    assert "a later year than the report's 2016" in (prior_problem(this, later) or "")
    unknown = Report(unit_name="平潭县人大常委会")
    assert "its year is not known" in (prior_problem(this, unknown) or "")
    nameless = Report(year=2015)
    assert "unit of one of the two reports is not known" in (prior_problem(this, nameless) or "")
    # another unit is said first: the year would not make it last year's report either
    other = Report(unit_name="平潭综合实验区市场监督管理局", year=2016)
    assert "another unit" in (prior_problem(this, other) or "")
