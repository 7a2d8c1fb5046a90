"""HTML reader: rowspan/colspan headers, numbers split across tags, page encodings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.api import check
from juesuan.errors import InputError
from juesuan.model.amount import Unit
from juesuan.model.report import Report
from juesuan.readers import read
from juesuan.readers.blocks import Paragraph, TableBlock
from juesuan.readers.html import html_blocks
from tests.readers.fixtures_office import assert_same_tables, finding_keys, printed, write_html
from tests.synth import generate_report


def test_seed002_round_trip(seed002: Report, tmp_path: Path) -> None:
    path = write_html(printed(seed002), tmp_path / "seed002.html")
    assert "2,170,<span>014.</span>34" in path.read_text(encoding="utf-8")
    got = read(path)
    assert assert_same_tables(seed002, got) > 500
    assert finding_keys(check(path).findings) == finding_keys(check(seed002).findings)
    assert [(s.number, s.title) for s in got.sections] == [
        (s.number, s.title) for s in seed002.sections
    ]


def test_synthetic_wan_yuan_gb18030_round_trip(tmp_path: Path) -> None:
    report = generate_report(11, unit=Unit.WAN_YUAN, with_funds=True)
    path = write_html(printed(report), tmp_path / "wan.htm", encoding="gb18030")
    assert b'charset=gb2312"' in path.read_bytes()
    got = read(path)
    assert_same_tables(report, got)
    assert finding_keys(check(path).findings) == finding_keys(check(report).findings)


def test_synthetic_yuan_round_trip(tmp_path: Path) -> None:
    report = generate_report(12)
    path = write_html(printed(report), tmp_path / "yuan.html")
    assert_same_tables(report, read(path))


_PAGE = """<html><head><title>部门决算</title></head><body>
<table><tr><td>
  <div>第二部分 2021年度部门决算表</div>
  <p><b>支出决算表</b></p><p>金额单位：元</p>
  <table border=1>
   <tr><th colspan=2>项目</th><th rowspan=2>本年支出合计</th><th rowspan=2>基本支出</th>
       <th rowspan="2">项目支出</th></tr>
   <tr><th>科目编码</th><th>科目名称</th></tr>
   <tr><td>合计</td><td></td><td>2,170,<span>014</span>.34</td><td>1,612,217.<font>54</font></td>
       <td><span>557,</span><span>796.80</span></td></tr>
   <tr><td rowspan=2>208</td><td>社会保障和就业支出</td><td>2,170,014.34</td>
       <td>1,612,217.54</td><td>557,796.80</td></tr>
   <tr><td>社会保障<br>和就业</td><td>0.00</td><td></td><td>-</td></tr>
  </table>
  <p>注：本表反映部门本年度各项支出情况。<!-- comment --></p>
</td></tr></table>
<script>var x = "收入决算表";</script>
</body></html>"""


def test_split_numbers_spans_and_layout_tables(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(_PAGE, encoding="utf-8")
    blocks = html_blocks(path.read_bytes(), path)
    tables = [b for b in blocks if isinstance(b, TableBlock)]
    assert len(tables) == 1  # the outer layout table is walked, not read as data
    grid = [[c.text for c in row] for row in tables[0].rows]
    assert grid[0] == ["项目", "", "本年支出合计", "基本支出", "项目支出"]
    assert grid[1] == ["科目编码", "科目名称", "", "", ""]
    assert grid[2] == ["合计", "", "2,170,014.34", "1,612,217.54", "557,796.80"]
    assert grid[4] == ["", "社会保障 和就业", "0.00", "", "-"]  # under the rowspan of 208
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert "支出决算表" in texts and "金额单位：元" in texts
    assert not any("var x" in t for t in texts)
    t03 = read(path).table("03")
    total = t03.row("合计")
    assert total is not None and total.value("本年支出合计") == Decimal("2170014.34")
    assert total.value("项目支出") == Decimal("557796.80")
    assert t03.note == "注：本表反映部门本年度各项支出情况。"
    source = total.cell("基本支出").source
    assert source is not None and source.file == str(path) and source.line == 9


def test_gb18030_without_meta_charset(tmp_path: Path) -> None:
    page = _PAGE.replace("<head><title>部门决算</title></head>", "")
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gb18030"))
    row = read(path).table("03").row("208")
    assert row is not None and row.label == "社会保障和就业支出"


def test_page_without_tables_or_report_is_input_error(tmp_path: Path) -> None:
    path = tmp_path / "news.html"
    path.write_text(
        "<!DOCTYPE html><html><body><h1>新闻</h1><p>今天天气很好。</p></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message and "no 部门决算 content" in message
