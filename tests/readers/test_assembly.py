"""The one document assembly: titles, continuation across pages, repeated headers, extra
tables and unread cells, from blocks as any reader emits them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.errors import InputError
from juesuan.model.layout import TableId
from juesuan.model.report import DocumentKind
from juesuan.model.source import Source
from juesuan.model.tables import TableStatus
from juesuan.readers.assembly import assemble_document
from juesuan.readers.blocks import Paragraph, TableBlock
from juesuan.readers.layout import GridCell

HEADER = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]


def grid(rows: list[list[str]], page: int = 1, xs: tuple[float, ...] | None = None) -> TableBlock:
    src = Source(file="t.pdf", page=page)
    return TableBlock([[GridCell(t, src) for t in r] for r in rows], src, xs)


def para(text: str, page: int = 1) -> Paragraph:
    return Paragraph(text, Source(file="t.pdf", page=page))


XS = (10.0, 60.0, 200.0, 300.0, 400.0, 500.0)


def test_table_over_two_pages_with_its_header_repeated() -> None:
    blocks = [
        para("某局2024年度部门决算"),
        para("一般公共预算财政拨款支出决算表"),
        para("单位：万元"),
        grid([*HEADER, ["208", "社会保障和就业支出", "10.00", "10.00", ""]], 1, XS),
        para("- 1 -", 1),
        para("某局2024年度部门决算", 2),
        grid([*HEADER, ["20805", "行政事业单位养老支出", "10.00", "10.00", ""]], 2, XS),
        para("注：本表反映一般公共预算财政拨款支出。", 2),
    ]
    report = assemble_document(blocks, Path("t.pdf"))
    t05 = report.table(TableId.T05)
    assert [r.key for r in t05.rows] == ["208", "20805"]
    assert t05.row("20805") is not None
    assert t05.row("20805").value("合计") == Decimal("10.00")  # type: ignore[union-attr]
    assert t05.note == "注：本表反映一般公共预算财政拨款支出。"
    assert report.unit_name == "某局"
    assert report.kind is DocumentKind.DEPARTMENT_FINAL


def test_a_grid_after_narrative_text_does_not_continue_the_table() -> None:
    blocks = [
        para("一般公共预算财政拨款支出决算表"),
        grid([*HEADER, ["208", "社会保障和就业支出", "10.00", "10.00", ""]]),
        para("本部门2024年度项目支出绩效自评结果如下，详见下表。"),
        para("项目支出绩效自评表"),
        grid([["项目名称", "年初预算数", "全年执行数"], ["信息化建设", "20.00", "19.50"]]),
    ]
    report = assemble_document(blocks, Path("t.pdf"))
    assert [r.key for r in report.table(TableId.T05).rows] == ["208"]
    (extra,) = report.extra_tables
    assert extra.title == "项目支出绩效自评表"
    assert extra.rows[1] == ("信息化建设", "20.00", "19.50")


def test_unreadable_cell_is_reported_not_blank() -> None:
    blocks = [
        para("一般公共预算财政拨款支出决算表"),
        grid([*HEADER, ["208", "社会保障和就业支出", "2,170,O14.34", "12.00%", "—"]]),
    ]
    report = assemble_document(blocks, Path("t.pdf"))
    cells = {(u.row, u.column, u.text) for u in report.unread_cells}
    assert cells == {("208", "合计", "2,170,O14.34"), ("208", "基本支出", "12.00%")}
    assert report.table(TableId.T05).row("208").value("合计") is None  # type: ignore[union-attr]
    assert any("未能读取" in n for n in report.reader_notes)


def test_table_without_unit_takes_the_documents_unit() -> None:
    blocks = [
        para("收入决算表"),
        para("单位：万元"),
        grid([["科目编码", "科目名称", "本年收入合计"], ["合计", "", "1.00"]]),
        para("支出决算表"),
        grid([["科目编码", "科目名称", "本年支出合计"], ["合计", "", "1.00"]]),
    ]
    report = assemble_document(blocks, Path("t.pdf"))
    assert report.table(TableId.T03).unit is not None
    assert report.table(TableId.T03).unit.value == "万元"  # type: ignore[union-attr]
    assert any("按本文件其他表的“万元”处理" in n for n in report.reader_notes)


def test_budget_is_a_report_of_its_kind_and_other_text_is_refused() -> None:
    budget = assemble_document(
        [para("上海市2026年市级单位预算"), para("预算单位：上海市审计局")], Path("b.pdf")
    )
    assert budget.kind is DocumentKind.UNIT_BUDGET
    assert all(t.status is TableStatus.ABSENT for t in budget.tables.values())
    with pytest.raises(InputError, match="no 部门决算 content"):
        assemble_document([para("会议通知"), para("请各单位准时参加。")], Path("n.pdf"))


@pytest.mark.parametrize(
    ("xs", "rows"),
    [
        (XS, ["212", "21201", "2120106"]),
        (None, ["212", "21201"]),
        # 西安 2021 (1173): the frame laid out again 7 pt over, the same header on it
        (tuple(x - 7.0 for x in XS), ["212", "21201", "2120106"]),
    ],
)
def test_a_title_printed_again_on_the_next_page_continues_the_table(
    xs: tuple[float, ...] | None, rows: list[str]
) -> None:
    # 西安 预算 1164: each page of 表5 prints its title and header again; the same columns go on
    # (a grid whose columns are not known to be the same stays a table of its own)
    title = "2022年部门综合预算一般公共预算支出明细表（按支出功能分类科目-不含上年结转）"
    blocks = [
        para("西安市某某局2022年部门预算"),
        para(title),
        para("单位：元"),
        grid(
            [
                *HEADER,
                ["212", "城乡社区支出", "30.00", "10.00", "20.00"],
                ["21201", "城乡社区管理事务", "30.00", "10.00", "20.00"],
            ],
            1,
            XS,
        ),
        para("表5", 2),
        para(title, 2),
        para("单位：元", 2),
        grid([*HEADER, ["2120106", "工程建设管理", "30.00", "10.00", "20.00"]], 2, xs),
    ]
    report = assemble_document(blocks, Path("t.pdf"))
    assert [r.key for r in report.table(TableId.B05).rows] == rows


B06_TITLE = "2020年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）"
B06_HEADER = [["部门经济科目编码", "部门经济科目名称", "合计", "人员经费", "公用经费"]]


@pytest.mark.parametrize(
    ("shift", "rows"),
    [
        (0.0, ["合计", "302", "30201", "30206"]),
        # 西安 2020 (1163): even pages 9 pt further left, the columns as wide
        (-9.0, ["合计", "302", "30201", "30206"]),
        (30.0, ["合计", "302", "30201", "30206"]),
        # moved too far to be the same page layout: a table of its own
        (-60.0, ["合计", "302", "30201"]),
    ],
)
def test_a_grid_on_the_next_page_with_its_frame_moved_sideways_goes_on(
    shift: float, rows: list[str]
) -> None:
    blocks = [
        para("表8"),
        para(B06_TITLE),
        para("单位：万元"),
        grid(
            [
                *B06_HEADER,
                ["合计", "", "30.00", "0.00", "30.00"],
                ["302", "商品和服务支出", "30.00", "0.00", "30.00"],
                ["30201", "办公费", "20.00", "0.00", "20.00"],
            ],
            1,
            XS,
        ),
        grid([["30206", "电费", "10.00", "0.00", "10.00"]], 2, tuple(x + shift for x in XS)),
    ]
    report = assemble_document(blocks, Path("t.pdf"))
    assert [r.key for r in report.table(TableId.B06).rows] == rows


def test_the_title_of_a_budget_table_we_do_not_read_ends_the_table_before() -> None:
    # 西安 2020 (1163): 表9 政府性基金收支总表 follows 表8 on a frame a few points over
    blocks = [
        para("表8"),
        para(B06_TITLE),
        para("单位：万元"),
        grid([*B06_HEADER, ["302", "商品和服务支出", "30.00", "0.00", "30.00"]], 1, XS),
        para("表9", 2),
        para("2020年部门综合预算政府性基金收支总表", 2),
        para("单位：万元", 2),
        grid([["收入", "", "支出", "", ""], ["合计", "0", "合计", "0", ""]], 2, XS),
    ]
    report = assemble_document(blocks, Path("t.pdf"))
    assert [r.key for r in report.table(TableId.B06).rows] == ["302"]
    assert [e.title for e in report.extra_tables] == ["2020年部门综合预算政府性基金收支总表"]
