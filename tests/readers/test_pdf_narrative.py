"""A narrative in a PDF whose headings wrap onto two lines (001: the 第三部分 heading wraps, and
a 目录 page lists the same sections first): the sections come from the body, with their text."""

from __future__ import annotations

from pathlib import Path

from juesuan.readers import read

HTML = """<html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 2cm }}
body {{ font-family: "Noto Serif CJK SC"; font-size: 14pt }}
h1 {{ width: 9em; font-size: 16pt }}
.page {{ page-break-after: always }}
</style></head><body>
<div class="page"><p>某某区财政局</p><p>2024年度部门决算</p></div>
<div class="page"><p>目 录</p>
<p>第三部分 某某区财政局2024年度部门决算情况说明</p>
<p>一、收入支出决算总体情况说明</p><p>二、收入决算情况说明</p></div>
<h1>第三部分 某某区财政局2024年度部门决算情况说明</h1>
<p>一、收入支出决算总体情况说明</p>
<p>某某区财政局2024年度收入总计3,052.34万元，支出总计3,052.34万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。</p>
<p>二、收入决算情况说明</p>
<p>本年收入合计2,946.25万元，其中：财政拨款收入2,940.05万元，占99.79%。</p>
</body></html>"""


def test_wrapped_part_heading_and_a_table_of_contents(tmp_path: Path) -> None:
    from weasyprint import HTML as Weasy

    pdf = tmp_path / "wrapped.pdf"
    Weasy(string=HTML.format()).write_pdf(pdf)
    report = read(pdf)
    assert [s.number for s in report.sections] == ["一", "二"]
    assert "3,052.34万元" in report.sections[0].text.replace("\n", "")
    assert "占99.79%" in report.sections[1].text.replace("\n", "")
    assert report.unit_name == "某某区财政局" and report.year == 2024
