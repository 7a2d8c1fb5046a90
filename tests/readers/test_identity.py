"""Who and when: kind, unit name and year from covers as real reports print them."""

from __future__ import annotations

import pytest

from juesuan.model.report import DocumentKind
from juesuan.model.source import Source
from juesuan.readers.identity import document_kind, unit_name, year_of
from tests.conftest import REPO

PERFORMANCE = REPO.parent / "shared" / "corpus" / "performance"


def _lines(*texts: str, page: int | None = 1) -> list[tuple[str, Source | None]]:
    return [(t, Source(file="x.pdf", page=page)) for t in texts]


@pytest.mark.parametrize(
    ("cover", "name", "year", "kind"),
    [
        # one line per word group, as the PDFs of 2024 print their covers
        (
            ("上海市普陀区财政局", "2024年度部门决算", "目 录"),
            "上海市普陀区财政局",
            2024,
            DocumentKind.DEPARTMENT_FINAL,
        ),
        (
            ("上海市普陀区规划和自然", "资源局", " 2024 年度部门决算", "目   录"),
            "上海市普陀区规划和自然资源局",
            2024,
            DocumentKind.DEPARTMENT_FINAL,
        ),
        (
            ("中共上海市普陀区委", "社会工作部 2024 年度", "部门决算"),
            "中共上海市普陀区委社会工作部",
            2024,
            DocumentKind.DEPARTMENT_FINAL,
        ),
        (
            ("西安市卫生健康委员会（汇总）", "2022年度部门决算", "保密审查情况：已审查"),
            "西安市卫生健康委员会（汇总）",
            2022,
            DocumentKind.DEPARTMENT_FINAL,
        ),
        # budgets: the name is on a 预算单位 line, or after the year
        (
            ("上海市2026年市级单位预算", "预算单位：上海市审计局"),
            "上海市审计局",
            2026,
            DocumentKind.UNIT_BUDGET,
        ),
        (
            ("上海市普陀区2025年区级部门预算", "预算主管部门：上海市普陀区人民政府办公室"),
            "上海市普陀区人民政府办公室",
            2025,
            DocumentKind.DEPARTMENT_BUDGET,
        ),
        (("2026年", "广州市商务局部门预算"), "广州市商务局", 2026, DocumentKind.DEPARTMENT_BUDGET),
        (
            ("广州市生态环境局2026年项目支出绩效目标表（含转移支付项目）",),
            "广州市生态环境局",
            2026,
            DocumentKind.DEPARTMENT_BUDGET,
        ),
    ],
)
def test_cover(cover: tuple[str, ...], name: str, year: int, kind: DocumentKind) -> None:
    lines = _lines(*cover)
    assert unit_name(lines)[0] == name
    assert year_of(lines, None)[0] == year
    assert document_kind(lines, 0, 0)[0] is kind


def test_crawled_page_title_line() -> None:
    lines = _lines(
        "标题: 2015年度平潭综合实验区党工委管委会台湾工作部部门决算说明",
        "发布时间: 2016-08-29 09:40",
        "发布机构: 平潭综合实验区台湾工作部",
        "…二、部门预算单位基本情况…",
        page=None,
    )
    name, source = unit_name(lines)
    assert name == "平潭综合实验区党工委管委会台湾工作部"
    assert source is not None
    # "部门预算单位" in an older 决算 template's heading is not a budget
    assert document_kind(lines, 0, 0)[0] is DocumentKind.DEPARTMENT_FINAL
    assert year_of(lines, None)[0] == 2015


def test_amount_unit_line_is_never_a_name() -> None:
    lines = _lines("收入支出决算总表", "单位：万元", "部门：某区教育局  单位：万元", page=3)
    assert unit_name(lines)[0] == "某区教育局"
    assert unit_name(_lines("单位：万元", "金额单位：元"))[0] is None


def test_a_forms_title_above_its_year_is_no_unit_name() -> None:
    lines = _lines("部门整体绩效自评表", "（2024年度）", "专项名称 127部门整体")
    assert unit_name(lines)[0] is None


def test_kind_from_tables_when_the_cover_says_nothing() -> None:
    lines = _lines("预算01表 收支总表", "金额单位：万元")
    assert document_kind(lines, 0, 1)[0] is DocumentKind.DEPARTMENT_BUDGET
    assert document_kind(_lines("收入支出决算总表"), 9, 0)[0] is DocumentKind.DEPARTMENT_FINAL
    assert document_kind(_lines("一些文字"), 0, 0)[0] is DocumentKind.OTHER


def test_a_form_only_document_is_named_by_its_forms_department() -> None:
    """宁德 2024 publishes only its 部门整体绩效自评表: the unit's name stands in the form's
    部门（单位）名称 cell, nowhere in running text; the forms most print wins."""
    from juesuan.evaluation.model import EvaluationForm, FormKind, Performance
    from juesuan.readers.document import _form_department

    at = Source(file="109.pdf", page=1)
    forms = (
        EvaluationForm(
            FormKind.DEPARTMENT, "部门整体绩效自评表", department="宁德市人民政府办公室", source=at
        ),
        EvaluationForm(FormKind.PROJECT, "项目支出绩效自评表", department="宁德市人民政府办公室"),
        EvaluationForm(FormKind.PROJECT, "项目支出绩效自评表", department="宁德市机关事务服务中心"),
        EvaluationForm(FormKind.PROJECT, "项目支出绩效自评表", department=" "),
    )
    assert _form_department(Performance(forms)) == ("宁德市人民政府办公室", at)
    assert _form_department(Performance()) is None


@pytest.mark.skipif(not PERFORMANCE.is_dir(), reason="corpus not present")
def test_the_real_form_only_document_has_its_unit_and_no_missing_tables_note() -> None:
    from juesuan.readers import read

    report = read(PERFORMANCE / "109_ningde_renminzhengfubangongshi_2024_jixiaozipingbiao.pdf")
    assert report.kind is DocumentKind.PERFORMANCE
    assert report.unit_name == "宁德市人民政府办公室"
    assert not any("表格未呈现" in n for n in report.reader_notes)


def test_an_evaluation_reports_cover_names_the_unit() -> None:
    """长沙's 财政项目支出绩效评价报告 names the unit on its cover as 评价项目单位."""
    cover = [
        "长沙市财政项目支出绩效评价报告",
        "评价项目类型：项目实施过程评价 项目完成结果评价",
        "评价项目单位： 长沙市人民政府国有资产监督管理委员会",
        "报告日期：2021 年 8 月 22 日",
    ]
    name, _ = unit_name([(t, Source(file="108.pdf", page=1)) for t in cover])
    assert name == "长沙市人民政府国有资产监督管理委员会"
