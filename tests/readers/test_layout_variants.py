"""Table layouts of real reports the shared assembler reads (grids as the readers give them)."""

from __future__ import annotations

from decimal import Decimal

from juesuan.model.amount import Unit
from juesuan.model.codes import reference_codes
from juesuan.model.layout import TableId
from juesuan.readers.layout import GridCell, assemble
from juesuan.readers.layout_sangong import sangong_column


def _grid(rows: list[list[str]]) -> list[list[GridCell]]:
    return [[GridCell(t) for t in r] for r in rows]


def _assemble(tid: TableId, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    return assemble(
        tid,
        _grid(rows),
        title="t",
        unit=Unit.WAN_YUAN,
        note=None,
        codes=reference_codes(),
        year=2022,
    )


def test_sangong_rows_labelled_budget_and_final_with_meeting_and_training() -> None:
    """西安 2022 prints 预算数 and 决算数 as rows under an item header, with 会议费 and 培训费
    beside the 三公 items."""
    rows = [
        ["项目", "财政拨款安排的“三公”经费", "", "", "", "", "", "会议费", "培训费"],
        [
            "",
            "小计",
            "因公出国（境）费用",
            "公务用车购置及运行维护费",
            "",
            "",
            "公务接待费",
            "",
            "",
        ],
        ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""],
        ["栏次", "1", "2", "3", "4", "5", "6", "7", "8"],
        ["预算数", "593.46", "", "591.60", "136.48", "455.12", "1.86", "86.81", "2,795.78"],
        ["决算数", "587.55", "", "587.44", "136.48", "450.96", "0.11", "86.81", "2,795.78"],
    ]
    (row,) = _assemble(TableId.T07, rows).table.rows
    got = {k: str(c.value) for k, c in row.cells.items() if c.value is not None}
    assert got == {
        "预算数/合计": "593.46",
        "预算数/公务用车购置及运行费": "591.60",
        "预算数/公务用车购置费": "136.48",
        "预算数/公务用车运行费": "455.12",
        "预算数/公务接待费": "1.86",
        "预算数/会议费": "86.81",
        "预算数/培训费": "2795.78",
        "决算数/合计": "587.55",
        "决算数/公务用车购置及运行费": "587.44",
        "决算数/公务用车购置费": "136.48",
        "决算数/公务用车运行费": "450.96",
        "决算数/公务接待费": "0.11",
        "决算数/会议费": "86.81",
        "决算数/培训费": "2795.78",
    }
    assert row.value("预算数/因公出国（境）费") is None  # printed blank


def test_sangong_column_words() -> None:
    assert sangong_column(["预算数", "公务用车购置及运行维护费", "公务用车运行维护费"]) == (
        "预算数/公务用车运行费"
    )
    assert (
        sangong_column(["决算数", "公务用车购置及运行费", "小计"]) == "决算数/公务用车购置及运行费"
    )
    assert sangong_column(["决算数", "合计"]) == "决算数/合计"
    assert sangong_column(["预算数", "因公出国（境）费"]) == "预算数/因公出国（境）费"


def test_total_row_printed_in_the_name_column() -> None:
    """The 合计 row with its code cell blank and 合计 in the name column (西安 2022)."""
    rows = [
        ["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
        ["科目代码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""],
        ["", "栏次", "1", "2", "3", "4", "5", "6"],
        ["", "合计", "58,830.98", "509,220.66", "568,051.63", "", "568,051.63", ""],
        ["229", "其他支出", "58,830.98", "509,220.66", "568,051.63", "", "568,051.63", ""],
    ]
    table = _assemble(TableId.T08, rows).table
    total = table.row("合计")
    assert total is not None
    assert total.value("本年收入") == Decimal("509220.66")
    assert total.value("本年支出/合计") == Decimal("568051.63")
    assert table.row("229") is not None


def test_sangong_items_over_budget_and_final_columns() -> None:
    """上海 2024 (Word): items on top, 预算数/决算数 in the last header row; the span of
    公务用车运行维护费 ends where 公务接待费 starts in the row above."""
    rows = [
        ["财政拨款“三公”经费", "", "", "", "", "", "", "", "", "", "", ""],
        [
            "合计",
            "",
            "因公出国（境）费",
            "",
            "公务用车购置及运行维护费",
            "",
            "",
            "",
            "",
            "",
            "公务接待费",
            "",
        ],
        ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行维护费", "", "", ""],
        ["预算数", "决算数"] * 6,
        [
            "2.85",
            "0.39",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "0.00",
            "2.85",
            "0.39",
        ],
    ]
    (row,) = _assemble(TableId.T07, rows).table.rows
    assert row.value("预算数/公务接待费") == Decimal("2.85")
    assert row.value("决算数/公务接待费") == Decimal("0.39")
    assert row.value("决算数/公务用车运行费") == Decimal("0.00")
    assert row.value("决算数/合计") == Decimal("0.39")


def test_a_first_column_numbering_the_rows_is_not_read_as_codes() -> None:
    """西安 2019–2022 budgets print 序号 before the code: 1, 2, 3 … where a code or a label is
    looked for. Without the column dropped the table read empty."""
    rows = [
        [
            "序号",
            "功能科目编码",
            "功能科目名称",
            "合计",
            "人员经费支出",
            "公用经费支出",
            "专项业务经费支出",
            "备注",
        ],
        ["1", "", "合计", "573980610.20", "44686355.45", "3345941.75", "525948313.00", ""],
        [
            "2",
            "201",
            "一般公共服务支出",
            "154668476.29",
            "20955094.30",
            "1880568.99",
            "131832813.00",
            "",
        ],
        ["3", "20113", "商贸事务", "154668476.29", "20955094.30", "1880568.99", "131832813.00", ""],
        ["4", "2011301", "行政运行", "20938520.75", "19199223.58", "1739297.17", "0.00", ""],
    ]
    got = _assemble(TableId.B05, rows).table
    assert [r.key for r in got.rows] == ["合计", "201", "20113", "2011301"]
    assert got.row("2011301").value("人员经费") == Decimal("19199223.58")  # type: ignore[union-attr]
    # the rows of the page it continues on: the numbers go on
    more = [["5", "2101101", "行政单位医疗", "773302.99", "773302.99", "0.00", "0.00", ""]]
    more += [["6", "2101102", "事业单位医疗", "602629.32", "602629.32", "0.00", "0.00", ""]]
    more += [["7", "2101103", "公务员医疗补助", "450076.11", "450076.11", "0.00", "0.00", ""]]
    got = _assemble(TableId.B05, rows + more).table
    assert got.row("2101103").value("本年预算数") == Decimal("450076.11")  # type: ignore[union-attr]


def test_a_first_column_of_codes_or_words_is_kept() -> None:
    """Codes do not count up by one, and a word under the numbers makes it a label column."""
    from juesuan.readers.layout import without_row_numbers

    codes = _grid([["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "5.00"]])
    codes += _grid([["20101", "人大事务", "5.00"], ["2010101", "行政运行", "5.00"]])
    assert without_row_numbers(codes) == codes
    words = _grid([["序号", "项目", "金额"], ["1", "a", "1.00"], ["2", "b", "2.00"]])
    words += _grid([["合计", "", "3.00"]])
    assert without_row_numbers(words) == words
    headless = _grid([["", "项目", "金额"], ["1", "a", "1.00"], ["2", "b", "2.00"]])
    headless += _grid([["3", "c", "3.00"]])
    assert without_row_numbers(headless)[1] == headless[1][1:]
    assert without_row_numbers(headless[:3]) == headless[:3]  # two numbers prove nothing
