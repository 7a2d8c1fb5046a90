from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.errors import InputError
from juesuan.model.amount import Unit
from juesuan.model.layout import FINAL_TABLES
from juesuan.model.report import Report
from juesuan.model.tables import TableStatus
from juesuan.readers import read
from tests.conftest import report_from_text

D = Decimal


def test_seed002_reads_all_nine_tables(seed002: Report) -> None:
    assert seed002.unit_name == "焦作市劳动保障信息中心"
    assert seed002.year == 2021
    status = {t.value: seed002.table(t).status for t in FINAL_TABLES}
    assert status == {
        **{f"0{i}": TableStatus.PRESENT for i in range(1, 8)},
        "08": TableStatus.EMPTY,
        "09": TableStatus.EMPTY,
    }
    assert all(seed002.table(t).unit is Unit.YUAN for t in FINAL_TABLES)
    assert "本表无数据" in (seed002.table("08").note or "")
    assert "没有国有资本经营收入" in (seed002.table("09").note or "")


def test_seed002_two_sided_tables(seed002: Report) -> None:
    t01 = seed002.table("01")
    assert t01.row("本年收入合计").value("决算数") == D("2170030.84")  # type: ignore[union-attr]
    assert t01.row("其他收入").value("决算数") == D("16.50")  # type: ignore[union-attr]
    assert t01.row("收入总计").side == "收入"  # type: ignore[union-attr]
    assert t01.row("支出总计").value("决算数") == D("2170184.18")  # type: ignore[union-attr]
    classes = [r for r in t01.rows if r.code]
    assert len(classes) == 26 and classes[0].code == "201" and classes[-1].code == "234"
    assert t01.row("210").label == "九、卫生健康支出"  # type: ignore[union-attr]
    # blank (not printed) and printed 0.00 stay apart
    assert t01.row("政府性基金预算财政拨款收入").value("决算数") is None  # type: ignore[union-attr]
    assert t01.row("上级补助收入").value("决算数") == D("0.00")  # type: ignore[union-attr]
    t04 = seed002.table("04")
    assert t04.row("年初/一般公共预算财政拨款").value("决算数") == D("0.00")  # type: ignore[union-attr]
    assert t04.row("年初/政府性基金预算财政拨款").value("决算数") is None  # type: ignore[union-attr]
    total = t04.row("本年支出合计")
    assert total is not None and total.value("一般公共预算财政拨款") == D("2170014.34")


def test_seed002_classification_tables(seed002: Report) -> None:
    t03 = seed002.table("03")
    row = t03.row("2080108")
    assert row is not None and row.label == "信息化建设"
    assert row.value("项目支出") == D("503200.00")
    assert row.value("基本支出") is None
    assert row.value("经营支出") is None and row.value("上缴上级支出") == D("0.00")
    t05 = seed002.table("05")
    assert t05.row("合计").value("合计") == D("2170014.34")  # type: ignore[union-attr]  # printed 小计
    assert len([r for r in seed002.table("02").rows if r.code]) == 16


def test_seed002_table06_groups_and_totals(seed002: Report) -> None:
    t06 = seed002.table("06")
    assert t06.row("人员经费合计").value("决算数") == D("1521517.54")  # type: ignore[union-attr]
    assert t06.row("公用经费合计").value("决算数") == D("90700.00")  # type: ignore[union-attr]
    assert t06.row("30106").value("决算数") == D("944.59")  # type: ignore[union-attr]
    assert t06.row("39999").label == "其他支出"  # type: ignore[union-attr]
    assert len([r for r in t06.rows if r.code]) == 80


def test_seed002_sangong_multilevel_header(seed002: Report) -> None:
    row = seed002.table("07").row("三公经费")
    assert row is not None
    assert row.value("预算数/合计") == D("2000.00")
    assert row.value("预算数/公务用车运行费") == D("1000.00")
    assert row.value("预算数/公务接待费") == D("1000.00")
    assert row.value("决算数/合计") == D("0.00")


def test_provenance_lines(seed002: Report) -> None:
    row = seed002.table("02").row("2050803")
    assert row is not None and row.source is not None and row.source.line is not None
    assert (
        "2050803"
        in Path(row.source.file or "").read_text(encoding="utf-8").split("\n")[row.source.line - 1]
    )


def test_seed002_narrative_sections(seed002: Report) -> None:
    numbers = [s.number for s in seed002.sections]
    assert numbers == [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
        "十二",
        "十三",
    ]
    assert "217.02 万万元" in seed002.sections[0].text


def test_seed000_titles_only(seed000: Report) -> None:
    assert seed000.year == 2022
    assert all(seed000.table(t).status is TableStatus.TITLE_ONLY for t in FINAL_TABLES)
    assert seed000.reader_notes[0] == "表格未呈现：01–09（仅有标题）"
    # its numbering differs (七 政府性基金, 九 三公): tables are recognised by their words
    assert "本表无数据" in (seed000.table("07").note or "")


def test_table_of_contents_is_not_a_table() -> None:
    report = report_from_text(
        "目 录\n一、收入支出决算总表\n二、收入决算表\n\n收入决算表\n公开02表\n金额单位：万元\n"
        "项目\t\t本年收入合计\t财政拨款收入\n功能分类科目编码\t科目名称\t\t\n"
        "合计\t\t10.00\t10.00\n205\t教育支出\t10.00\t10.00\n"
    )
    assert report.table("02").status is TableStatus.PRESENT
    assert report.table("02").unit is Unit.WAN_YUAN
    assert report.table("01").status is TableStatus.TITLE_ONLY


def test_split_code_columns_and_reordered_columns() -> None:
    report = report_from_text(
        "支出决算表\n单位：万元\n"
        "科目编码\t\t\t科目名称\t项目支出\t基本支出\t本年支出合计\n"
        "合计\t\t\t\t3.00\t7.00\t10.00\n"
        "208\t\t\t社会保障和就业支出\t3.00\t7.00\t10.00\n"
        "208\t01\t\t人力资源和社会保障管理事务\t3.00\t7.00\t10.00\n"
        "208\t01\t08\t信息化建设\t3.00\t7.00\t10.00\n"
    )
    t03 = report.table("03")
    assert [r.key for r in t03.rows] == ["合计", "208", "20801", "2080108"]
    row = t03.row("2080108")
    assert (
        row is not None
        and row.value("基本支出") == D("7.00")
        and row.value("项目支出") == D("3.00")
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\xff\xfe\x00binary", "not a text file"),
        (b"hello world\n", "no 部门决算 content"),
        (b"{not json", "invalid JSON"),
        (b'{"schema_version": 99, "report": {}}', "unsupported schema_version"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read(path)
    assert reason in info.value.one_line()
    assert str(path) in info.value.one_line()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "nope.txt")


def test_gb18030_text(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("收入决算表\n单位：元\n项目\t\t本年收入合计\n合计\t\t5.00\n".encode("gb18030"))
    assert read(path).table("02").row("合计").value("本年收入合计") == D("5.00")  # type: ignore[union-attr]


SANGONG_PAIRED = """一般公共预算财政拨款“三公”经费支出决算表
金额单位：元
合计\t\t因公出国（境）费\t\t公务接待费\t\t公务用车购置及运行费\t\t\t\t\t
预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t小计\t\t公务用车购置费\t\t公务用车运行费\t
\t\t\t\t\t\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数
2,000.00\t900.00\t0.00\t0.00\t1,000.00\t300.00\t1,000.00\t600.00\t0.00\t0.00\t1,000.00\t600.00
"""


def test_sangong_paired_columns_in_another_order() -> None:
    """预算/决算 paired under each item, 接待 before 用车: columns named by words, not places."""
    report = report_from_text(SANGONG_PAIRED)
    row = report.table("07").row("三公经费")
    assert row is not None
    assert {k: str(v.value) for k, v in row.cells.items()} == {
        "预算数/合计": "2000.00",
        "决算数/合计": "900.00",
        "预算数/因公出国（境）费": "0.00",
        "决算数/因公出国（境）费": "0.00",
        "预算数/公务接待费": "1000.00",
        "决算数/公务接待费": "300.00",
        "预算数/公务用车购置及运行费": "1000.00",
        "决算数/公务用车购置及运行费": "600.00",
        "预算数/公务用车购置费": "0.00",
        "决算数/公务用车购置费": "0.00",
        "预算数/公务用车运行费": "1000.00",
        "决算数/公务用车运行费": "600.00",
    }
    assert not [n for n in report.reader_notes if "未找到列" in n]


def test_narrative_found_without_a_part_heading(seed002_path: Path) -> None:
    """Some reports print the 情况说明 sections straight after the tables, with no 第三部分 line."""
    lines = seed002_path.read_text(encoding="utf-8").split("\n")
    text = "\n".join(line for line in lines if not line.strip().startswith("第三部分"))
    report = report_from_text(text)
    assert [s.number for s in report.sections][:3] == ["一", "二", "三"]
    assert len(report.sections) == 13
    assert "217.02 万万元" in report.sections[0].text
