"""The whole package from seed 002: files, PDF/DOCX/HTML content, charts, round trips."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from juesuan.model.disclosure import Disclosure
from juesuan.model.layout import FINAL_TABLES, SPECS
from juesuan.model.report import Report
from juesuan.model.serialize import dumps
from tests.writers.conftest import make_disclosure
from tests.writers.roundtrip import cell_differences

pytestmark = pytest.mark.slow

TITLES = [SPECS[t].title for t in FINAL_TABLES]
# figures that must print exactly as in the tables (thousands separators, two decimals)
NUMBERS = ["2,170,014.34", "2,170,184.18", "1,521,517.54", "90,700.00", "16.50", "503,200.00"]


def _page_ink(pdf: Path, page: int, tmp: Path) -> float:
    """Share of non-white pixels of a page rendered by pdftoppm."""
    from PIL import Image

    prefix = tmp / f"p{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    img = Image.open(f"{prefix}.png").convert("L")
    dark = sum(img.histogram()[:200])
    return dark / (img.width * img.height)


def _pdftotext(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


def test_all_outputs_written(package: dict[str, Path], disclosure: Disclosure) -> None:
    for key in ("docx", "pdf", "xlsx", "html", "json"):
        assert package[key].is_file() and package[key].stat().st_size > 0, key
    assert package["json"].read_text(encoding="utf-8") == dumps(disclosure.report)
    for n in range(1, 5):
        assert package[f"图{n}.png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert package[f"图{n}.svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_pdf_renders_with_chinese_text(package: dict[str, Path], tmp_path: Path) -> None:
    pdf = package["pdf"]
    assert _page_ink(pdf, 1, tmp_path) > 0.002  # page 1 is not blank
    text = _pdftotext(pdf)
    compact = "".join(text.split())
    assert "焦作市劳动保障信息中心" in compact and "2021年度部门决算" in compact
    for title in TITLES:  # extracted as the right characters: no tofu, no wrong glyphs
        assert title in compact, title
    for n in NUMBERS:
        assert n in text, n
    assert "第1页共" in compact
    assert "图1：收、支决算总计变动情况" in compact
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True).stdout
    assert b"Noto-Serif-CJK-SC" in fonts and b"Noto-Sans-CJK-SC" in fonts


def test_docx_has_tables_titles_numbers_and_charts(package: dict[str, Path]) -> None:
    import docx

    doc = docx.Document(str(package["docx"]))
    paragraphs = [p.text for p in doc.paragraphs]
    for title in TITLES:
        assert title in paragraphs, title
    assert len(doc.tables) == 10  # the nine tables and the example's 部门整体绩效自评表
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    for n in NUMBERS:
        assert n in cells, n
    assert len(doc.inline_shapes) == 4
    # east-Asian fonts on the styles
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert (
        normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "宋体"
    )


def test_html_has_tables_and_figures(package: dict[str, Path]) -> None:
    html = package["html"].read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert html.count('<table class="fin') == 10  # and the example's 部门整体绩效自评表
    for title in TITLES:
        assert title in html
    for n in NUMBERS:
        assert f">{n}<" in html
    assert 'colspan="2"' in html and 'rowspan="2"' in html
    for n in range(1, 5):
        assert f'src="figures/fig{n}.svg"' in html
        assert (package["html"].parent / "figures" / f"fig{n}.svg").is_file()
    assert "@page" in html and "counter(pages)" in html


def test_charts_are_deterministic(disclosure: Disclosure, tmp_path: Path) -> None:
    from juesuan.writers.charts import make_charts

    a = make_charts(disclosure, tmp_path / "a")
    b = make_charts(disclosure, tmp_path / "b")
    for fa, fb in zip(a, b, strict=True):
        assert fa.path.read_bytes() == fb.path.read_bytes()
        assert fa.svg is not None and fb.svg is not None
        assert fa.svg.read_bytes() == fb.svg.read_bytes()
        assert b"<dc:date>" not in fa.svg.read_bytes()
    assert [f.id for f in a] == ["图1", "图2", "图3", "图4"]


def test_charts_without_prior_year_show_this_year_only(seed002: Report, tmp_path: Path) -> None:
    from juesuan.writers.charts import chart_data, make_charts

    d = make_disclosure(seed002, prior=None)
    fig1 = chart_data(d)[0]
    assert [name for name, _ in fig1.series] == ["2021年"]
    assert [str(v) for v in fig1.series[0][1]] == ["217.02", "217.02"]
    assert len(make_charts(d, tmp_path)) == 4


def test_chart_values_in_wan_yuan(disclosure: Disclosure) -> None:
    from juesuan.writers.charts import chart_data

    fig1, fig2, fig3, fig4 = chart_data(disclosure)
    assert [str(v) for v in fig1.series[0][1]] == ["208.04", "208.04"]  # 2020
    assert [str(v) for v in fig1.series[1][1]] == ["217.02", "217.02"]
    assert [str(v) for v in fig4.series[1][1]] == ["217.00", "217.00"]
    spend = dict(zip(fig3.categories, fig3.series[0][1], strict=True))
    assert str(spend["基本支出"]) == "161.22" and str(spend["项目支出"]) == "55.78"
    income = dict(zip(fig2.categories, fig2.series[0][1], strict=True))
    assert str(income["一般公共预算财政拨款收入"]) == "217.00"


def test_importing_juesuan_stays_light() -> None:
    code = (
        "import sys, juesuan, juesuan.writers, juesuan.writers.xlsx, juesuan.writers.charts;"
        "heavy = ('matplotlib', 'weasyprint', 'docx', 'xlsxwriter');"
        "heavy = [m for m in heavy if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_package_round_trips_through_the_project_readers(
    package: dict[str, Path], seed002: Report
) -> None:
    """Every table cell comes back exactly from each output the project can read."""
    import importlib.util

    from juesuan.readers import read

    assert cell_differences(seed002, read(package["json"])) == []
    for kind, module in (("xlsx", "xlsx"), ("html", "html"), ("docx", "docx"), ("pdf", "pdf")):
        if importlib.util.find_spec(f"juesuan.readers.{module}") is None:
            continue
        assert cell_differences(seed002, read(package[kind])) == [], kind


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice or poppler not installed",
)
def test_docx_renders_in_libreoffice_with_chinese(package: dict[str, Path], tmp_path: Path) -> None:
    from juesuan.writers.fonts import convert_with_libreoffice

    pdf = convert_with_libreoffice(package["docx"], tmp_path)
    assert _page_ink(pdf, 1, tmp_path) > 0.002
    compact = "".join(_pdftotext(pdf).split())
    assert "2021年度部门决算" in compact
    for title in TITLES:
        assert title in compact, title
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True).stdout
    assert b"NotoSerifCJK" in fonts and b"NotoSansCJK" in fonts  # 宋体/黑体 via fonts.conf
