"""The issue's flows in a real browser (Playwright driving Debian's Chromium, against
``juesuan serve`` started on loopback by the fixture): review 002 of the corpus and land on a
finding's cell on the page image, explain a finding, compile and download the DOCX, run a
batch of five corpus files. Each leaves a 1280×800 screenshot under ``build/screenshots``
(``JUESUAN_SCREENSHOTS`` elsewhere): look at them.

The pages run under their Content-Security-Policy (no script evaluated from strings): the
tests wait with Playwright's locators, never with ``wait_for_function``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import corpus_file

pytestmark = pytest.mark.slow
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="zh-CN")
    errors: list[str] = []
    p = context.new_page()
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield p
    context.close()
    assert errors == [], "the page had script or loading errors"


def test_review_land_on_a_finding_and_explain_one(
    live_server: str, page: Any, screenshots: Path
) -> None:
    from playwright.sync_api import expect

    report = corpus_file("002")
    page.goto(live_server + "/")
    page.set_input_files("input[name=report]", str(report))
    page.click("form[action='/review'] button[type=submit]")
    page.wait_for_selector("#group-error li.f", timeout=180_000)
    expect(page.locator("#counts")).to_contain_text("错误")
    expect(page.locator(".sheet img").first).to_have_js_property("complete", True)
    page.screenshot(path=str(screenshots / "review.png"))

    # a finding with a box on a page image: click it, land on its cell
    link = page.locator("#group-error li.f a.jump[href^='#box-']").first
    index = (link.get_attribute("href") or "")[len("#box-") :]
    link.click()
    box = page.locator(f"#box-{index}")
    expect(box).to_be_in_viewport()
    expect(box).to_have_class(re.compile(r"\blanded\b"))
    expect(page.locator(f"#f{index}")).to_have_class(re.compile(r"\blanded\b"))
    figure = page.locator("figure.page", has=page.locator(f"#box-{index}"))
    image = figure.locator("img")
    expect(image).to_have_js_property("complete", True, timeout=60_000)
    assert image.evaluate("img => img.naturalWidth") > 500  # the page image is there
    inner, outer = box.bounding_box(), image.bounding_box()
    assert inner and outer and inner["width"] > 5 and inner["height"] > 3
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    assert outer["y"] <= inner["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    page.screenshot(path=str(screenshots / "review-landed.png"))

    # a table finding: its box is the cell on the page image, and the tables view marks it
    cell = page.locator("li.f:has(a[href*='view=tables']) a.jump[href^='#box-']").first
    cell_index = (cell.get_attribute("href") or "")[len("#box-") :]
    cell.click()
    expect(page.locator(f"#box-{cell_index}")).to_be_in_viewport()
    expect(page.locator(f"#box-{cell_index}")).to_have_class(re.compile(r"\blanded\b"))
    size = page.locator(f"#box-{cell_index}").bounding_box()
    assert size and size["width"] < 120  # a cell, not a line of text
    sheet = page.locator("figure.page", has=page.locator(f"#box-{cell_index}")).locator("img")
    expect(sheet).to_have_js_property("complete", True, timeout=60_000)
    page.screenshot(path=str(screenshots / "review-cell.png"))

    # explain it: it moves from the errors to the explained
    errors_before = int(re.search(r"错误 (\d+)", page.locator("#counts").inner_text()).group(1))
    item = page.locator(f"#group-error #f{index}")
    item.locator("summary").click()
    item.locator("textarea").fill("已在更正公告中更正")
    item.locator("button[type=submit]").click()
    moved = page.locator(f"#group-explained #f{index}")
    expect(moved).to_contain_text("已说明：已在更正公告中更正")
    expect(page.locator(f"#group-error #f{index}")).to_have_count(0)
    expect(page.locator("#counts")).to_contain_text(f"错误 {errors_before - 1}")
    moved.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "review-explained.png"))

    # the other views of the same review
    page.locator(".tabs a", has_text="表格").click()
    expect(page.locator("table.grid").first).to_be_visible()
    page.screenshot(path=str(screenshots / "review-tables.png"))
    page.locator(".tabs a", has_text="情况说明").click()
    expect(page.locator("mark.c-wrong").first).to_be_visible()
    page.screenshot(path=str(screenshots / "review-text.png"))


def test_compile_and_download_the_docx(
    live_server: str, page: Any, screenshots: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(live_server + "/compile")
    page.click("#start-example")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("一、收入支出决算总体情况说明", timeout=120_000)
    page.fill("textarea[name='reasons.total']", "浏览器中改写的原因")
    expect(preview).to_contain_text("主要原因是浏览器中改写的原因", timeout=120_000)
    page.locator("#facts").evaluate("form => { form.scrollTop = 0; }")
    page.screenshot(path=str(screenshots / "compile.png"))
    page.click("#build-button")
    page.wait_for_selector("#dl-docx", timeout=600_000)
    page.screenshot(path=str(screenshots / "compile-built.png"))
    with page.expect_download() as download:
        page.click("#dl-docx")
    path = tmp_path / "package.docx"
    download.value.save_as(path)
    import docx

    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "焦作市劳动保障信息中心" in text
    assert "浏览器中改写的原因" in text


def test_a_batch_of_five_and_its_summary(live_server: str, page: Any, screenshots: Path) -> None:
    from playwright.sync_api import expect

    files = [corpus_file(n) for n in ("001", "002", "003", "004", "005")]
    page.goto(live_server + "/batch")
    page.set_input_files("input[name=files]", [str(f) for f in files])
    page.click("form[action='/batch'] button[type=submit]")
    page.wait_for_selector("#summary-link", timeout=600_000)
    expect(page.locator("#progress-count")).to_have_text("已完成 5 / 5")
    page.screenshot(path=str(screenshots / "batch.png"))
    page.click("#summary-link")
    units = page.locator("#units")
    for unit in ("上海市普陀区财政局", "上海市普陀区规划和自然资源局", "平潭县人大常委会"):
        expect(units).to_contain_text(unit)
    page.screenshot(path=str(screenshots / "corpus.png"))
    page.locator("#documents a", has_text=files[2].name).click()
    expect(page.locator("#findings")).to_contain_text("错误")
