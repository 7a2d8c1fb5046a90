"""The 情况说明 section vocabulary is data (model/data/sections.toml): what each section covers,
from its title words, and what the 情况说明 must cover. A region's wording is an edit of the
data file with a row here."""

from __future__ import annotations

import pytest

from juesuan.model.sections import (
    covered,
    parse_vocabulary,
    required_scopes,
    scope_of,
    vocabulary,
)
from juesuan.narrative.checks import REQUIRED_SCOPES


@pytest.mark.parametrize(
    ("title", "scope"),
    [
        # the 2016– template (seeds, Shanghai 2024, Xi'an 2022)
        ("收入支出决算总体情况说明", "overall"),
        ("关于收入决算情况说明", "income"),
        ("支出决算情况说明", "expenditure"),
        ("财政拨款收入支出决算总体情况说明", "fiscal"),
        ("一般公共预算财政拨款支出决算情况说明", "gpb"),
        ("一般公共预算财政拨款基本支出决算情况说明", "basic"),
        ("财政拨款“三公”经费及会议费、培训费支出决算情况说明", "sangong"),
        ("政府性基金预算财政拨款收入支出决算情况说明", "fund"),
        ("国有资本经营预算财政拨款支出决算情况说明", "capital"),
        ("机关运行经费支出情况说明", "operations"),
        ("政府采购支出情况说明", "procurement"),
        ("国有资产占用及购置情况说明", "assets"),
        ("预算绩效管理情况", "performance"),
        ("其他重要事项的情况说明", "other"),
        # older templates (Fujian 2015–2017)
        ("部门主要职责", "duties"),
        ("澳前片区开发管理局主要职责", "duties"),
        ("部门预算单位基本情况", "units"),
        ("部门决算单位基本情况", "units"),
        ("部门基本情况", "units"),
        ("部门主要工作总结", "work"),
        ("2022 年部门工作任务", "work"),  # 西安 预算
        ("2015年决算收支总体情况", "overall"),
        ("公共财政拨款支出决算情况", "gpb"),
        ("一般公共预算拨款支出决算情况", "gpb"),
        ("政府性基金支出决算情况", "fund"),
        ("财政拨款基本支出决算情况", "basic"),
        ("“三公”经费公共财政拨款支出决算情况", "sangong"),
        ("一般公共预算拨款“三公”经费支出决算情况", "sangong"),
        ("机关运行经费支出情况", "operations"),
        ("项目绩效自评报告", "performance"),
        ("政府采购支出、国有资产占用情况说明", "procurement"),
        ("名词解释", "glossary"),
    ],
)
def test_scope_of_every_template(title: str, scope: str) -> None:
    assert scope_of(title) == scope


def test_a_title_covers_every_subject_it_names() -> None:
    assert covered("政府采购支出、国有资产占用情况说明") == {"procurement", "assets"}
    assert covered("其他重要事项的情况说明") >= {"operations", "procurement", "assets"}
    assert covered("2015年决算收支总体情况") == {"overall", "income", "expenditure"}
    # generic words only count as the title's own scope: 三公…支出决算情况 is not 支出决算情况
    assert covered("财政拨款“三公”经费支出决算情况说明") == {"sangong"}
    assert covered("一般公共预算财政拨款基本支出决算情况说明") == {"basic"}


def test_required_sections_come_from_the_data() -> None:
    assert required_scopes() == REQUIRED_SCOPES
    assert list(REQUIRED_SCOPES)[:3] == ["overall", "income", "expenditure"]
    assert REQUIRED_SCOPES["sangong"] == "“三公”经费支出决算情况"
    assert vocabulary() is vocabulary()  # read once


def test_a_regions_wording_is_a_data_edit() -> None:
    doc = {
        "required": ["sangong"],
        "title_endings": ["情况"],
        "scope": [
            {"id": "sangong", "name": "三公经费", "words": ["三公", "公务接待"]},
            {"id": "duties", "words": ["职能配置"]},
        ],
        "covers": [{"words": ["综合情况"], "scopes": ["sangong", "duties"]}],
    }
    vocab = parse_vocabulary(doc)
    assert scope_of("公务接待费支出情况", vocab) == "sangong"
    assert scope_of("职能配置情况", vocab) == "duties"
    assert covered("部门综合情况", vocab) == {"other", "sangong", "duties"}
    assert required_scopes(vocab) == {"sangong": "三公经费"}


def test_a_broken_vocabulary_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scopes"):
        parse_vocabulary({"scope": [], "covers": [{"words": ["x"], "scopes": ["nope"]}]})
    with pytest.raises(ValueError, match="required scope"):
        parse_vocabulary({"required": ["gpb"], "scope": [{"id": "gpb", "words": ["一般"]}]})
