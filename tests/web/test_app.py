"""The workbench's flows through its HTTP interface (no browser): review, explain, download,
restart, prior year, batch from a server folder, compile. What a page shows is what the API
returned: every count is compared with :func:`juesuan.api.audit` of the same file."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest

from juesuan import api
from juesuan.rules.baseline import parse_baseline

from .conftest import EXAMPLE, REPO, corpus_file, csrf, finished, make_client, upload

PDF = REPO / "tests" / "data" / "pdfs" / "seed002-docx.pdf"  # the seed printed by Word, 25 pages


def _review_id(location: str) -> str:
    return location.rsplit("/", 1)[1]


def _counts(page: str) -> dict[str, int]:
    found = re.search(
        r"错误 (\d+)</span>\s*<span class=\"badge warning\">警告 (\d+)</span>\s*"
        r"<span class=\"badge notice\">提示 (\d+)</span>\s*<span class=\"badge\">未核实 (\d+)"
        r"</span>\s*<span class=\"badge explained\">已说明 (\d+)",
        page,
    )
    assert found, "the counts are shown"
    return dict(
        zip(
            ("error", "warning", "notice", "info", "explained"),
            map(int, found.groups()),
            strict=True,
        )
    )


def test_a_review_shows_what_the_audit_found(client) -> None:
    answer = upload(client, EXAMPLE)
    assert answer.status_code == 303
    page = finished(client, answer.headers["location"]).text
    expected = api.audit(EXAMPLE)
    assert _counts(page) == {**{s.value: n for s, n in expected.counts.items()}, "explained": 0}
    for f in expected.findings:
        if f.severity.value != "info":
            assert f"[{f.rule_id}]" in page
    # a text report has no page images: the tables are shown first, each finding's cell marked
    assert "?view=pages" not in page
    assert 'class="num mark-warning"' in page
    text = client.get(answer.headers["location"] + "?view=text").text
    assert 'class="c-wrong"' in text and 'class="c-verified"' in text


def test_a_pdf_review_boxes_each_finding_on_its_page_image(client) -> None:
    answer = upload(client, PDF)
    location = answer.headers["location"]
    page = finished(client, location).text
    assert page.count('<figure class="page"') == 25
    audited = api.audit(PDF)
    medical = next(i for i, f in enumerate(audited.findings) if f.rule_id == "X13.medical")
    f = audited.findings[medical]
    assert f.location.source is not None and f.location.source.bbox is not None
    x0, top, x1, bottom = f.location.source.bbox
    # the box is the finding's own bbox, in the page's coordinates (no figure recomputed)
    box = re.search(rf'<path id="box-{medical}" class="box sev-warning" d="([^"]+)"', page)
    assert box and box.group(1) == f"M{x0:g} {top:g}H{x1:g}V{bottom:g}H{x0:g}Z"
    assert f'href="#box-{medical}"' in page  # the finding's entry jumps to it
    image = client.get(f"{location}/page/{f.location.source.page}.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    width, height = (int.from_bytes(image.content[i : i + 4], "big") for i in (16, 20))
    # the image is the page as shown, at its aspect ratio (the SVG's box is the page's size)
    size = re.search(
        rf'<figure class="page" id="p{f.location.source.page}">.*?viewBox="0 0 ([\d.]+) ([\d.]+)"',
        page,
        re.S,
    )
    assert size
    assert abs(width / height - float(size.group(1)) / float(size.group(2))) < 0.01
    assert client.get(f"{location}/page/26.png").status_code == 404
    # the same cell is marked in the tables view
    tables = client.get(location + "?view=tables").text
    assert re.search(rf'class="num mark-warning"><a href="#f{medical}"', tables)


def test_explaining_a_finding_moves_it_and_keeps_the_reason(client) -> None:
    location = upload(client, EXAMPLE).headers["location"]
    page = finished(client, location).text
    before = _counts(page)
    key = re.search(r'<li class="f sev-error" id="f\d+" data-key="([^"]+)"', page)
    assert key
    answer = client.post(
        location + "/explain",
        data={
            "csrf": csrf(client),
            "key": key.group(1),
            "reason": "已在更正公告中更正",
            "view": "",
        },
        headers={"hx-request": "true"},
    )
    assert answer.status_code == 200
    after = _counts(answer.text)
    assert after["error"] == before["error"] - 1 and after["explained"] == 1
    explained = answer.text[answer.text.index('id="group-explained"') :]
    assert "已说明：已在更正公告中更正" in explained
    # the 出错说明 file downloads with the reason, and the JSON says it
    baseline = client.get(location + "/download/baseline")
    assert "%E5%87%BA%E9%94%99%E8%AF%B4%E6%98%8E.toml" in baseline.headers["content-disposition"]
    reasons = {e.key: e.reason for e in parse_baseline(baseline.text)}
    assert reasons[key.group(1).replace("&#34;", '"')] == "已在更正公告中更正"
    doc = client.get(location + "/download/json").json()
    assert doc["summary"]["counts"]["error"] == before["error"] - 1
    assert [f["explanation"] for f in doc["findings"] if f["explanation"]] == ["已在更正公告中更正"]
    # taking the reason back
    client.post(
        location + "/explain", data={"csrf": csrf(client), "key": key.group(1), "reason": ""}
    )
    assert _counts(client.get(location).text) == before


def test_findings_download_as_csv_and_xlsx(client) -> None:
    location = upload(client, EXAMPLE).headers["location"]
    finished(client, location)
    n = len(api.audit(EXAMPLE).findings)
    answer = client.get(location + "/download/csv")
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["级别", "规则", "说明"] and len(rows) == n + 1
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(location + "/download/xlsx").content))
    assert book.active.max_row == n + 1
    assert client.get(location + "/download/pdf").status_code == 404  # not a PDF report


def test_a_restart_keeps_everything(tmp_path: Path) -> None:
    with make_client(tmp_path / "d") as c:
        c.get("/")
        location = upload(c, EXAMPLE).headers["location"]
        page = finished(c, location).text
        key = re.search(r'<li class="f sev-error" id="f\d+" data-key="([^"]+)"', page)
        assert key
        c.post(
            location + "/explain", data={"csrf": csrf(c), "key": key.group(1), "reason": "口径不同"}
        )
    with make_client(tmp_path / "d") as c:  # a new server on the same --data
        assert location.rsplit("/", 1)[1] in c.get("/").text
        page = finished(c, location).text
        assert "已说明：口径不同" in page
        assert _counts(page)["explained"] == 1


def test_a_prior_that_is_not_last_years_report_is_said_so(client) -> None:
    earlier, later = corpus_file("005"), corpus_file("017")  # 平潭 人大 2015 → 2016
    answer = client.post(
        "/review",
        data={"csrf": csrf(client)},
        files={
            "report": (later.name, later.read_bytes()),
            "prior": (earlier.name, earlier.read_bytes()),
        },
        follow_redirects=False,
    )
    page = finished(client, answer.headers["location"]).text
    assert f"上年报告：{earlier.name}" in page
    wrong = client.post(
        "/review",
        data={"csrf": csrf(client)},
        files={
            "report": (earlier.name, earlier.read_bytes()),
            "prior": (later.name, later.read_bytes()),
        },
        follow_redirects=False,
    )
    failed = finished(client, wrong.headers["location"]).text
    assert "未能读取或审核：not last year&#39;s report" in failed


def test_a_batch_from_a_server_folder(tmp_path: Path) -> None:
    folder = tmp_path / "reports" / "2021"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_bytes(EXAMPLE.read_bytes())
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    (folder / "notes.json").write_text('{"not": "a report"}', encoding="utf-8")
    (folder / ".hidden.txt").write_bytes(EXAMPLE.read_bytes())
    with make_client(tmp_path / "d", batch_roots=(tmp_path / "reports",)) as c:
        home = c.get("/batch").text
        options = re.findall(r'<option value="(\d+)">([^<]+)</option>', home)
        choice = next(v for v, shown in options if shown.endswith("2021"))
        answer = c.post("/batch", data={"csrf": csrf(c), "folder": choice}, follow_redirects=False)
        assert answer.status_code == 303
        bid = answer.headers["location"].rsplit("/", 1)[1]
        deadline = time.monotonic() + 120
        while "summary-link" not in (progress := c.get(f"/batch/{bid}/progress").text):
            assert time.monotonic() < deadline
            time.sleep(0.3)
        assert "已完成 2 / 2" in progress
        page = c.get(f"/batch/{bid}").text
        assert "scan.png：这是图片文件（PNG）" in page
        summary = c.get(f"/corpus?batch={bid}").text
        assert "焦作市劳动保障信息中心" in summary and "2021" in summary
        assert "未能读取（1）" in summary and "notes.json" in summary
        assert "not a juesuan report" in summary  # the reader's one line, as the CLI says it
        assert c.post("/batch", data={"csrf": csrf(c), "folder": "99"}).status_code == 422
        assert c.post("/batch", data={"csrf": csrf(c), "folder": "../.."}).status_code == 422


def test_compile_from_the_example_updates_as_the_form_changes(client) -> None:
    answer = client.post(
        "/compile/new", data={"csrf": csrf(client), "start": "example"}, follow_redirects=False
    )
    location = answer.headers["location"]
    page = client.get(location).text
    assert "一、收入支出决算总体情况说明" in page
    assert "2021年度收、支总计均为217.02万元" in page
    fields = dict(re.findall(r'name="([a-z_.]+)" value="([^"]*)"', page))
    fields.update(
        re.findall(r'<textarea id="[^"]+" name="([a-z_.]+)" rows="2">([^<]*)</textarea>', page)
    )
    fields["reasons.total"] = "网页中改写的原因"
    fields["procurement.goods"] = "五块四"
    fields["csrf"] = csrf(client)
    preview = client.post(location + "/preview", data=fields, headers={"hx-request": "true"})
    assert "主要原因是网页中改写的原因" in preview.text
    assert "货物：应为数字" in preview.text
    fields["reasons.total"] = ""
    preview = client.post(location + "/preview", data=fields, headers={"hx-request": "true"})
    assert '<span class="missing">【请填写原因】</span>' in preview.text
    assert "待填写原因" in preview.text


@pytest.mark.slow
def test_compile_builds_the_package(client) -> None:
    answer = client.post(
        "/compile/new", data={"csrf": csrf(client), "start": "example"}, follow_redirects=False
    )
    location = answer.headers["location"]
    client.post(location + "/build", data={"csrf": csrf(client)})
    deadline = time.monotonic() + 300
    while 'id="dl-docx"' not in (state := client.get(location + "/build").text):
        assert "生成失败" not in state, state
        assert time.monotonic() < deadline
        time.sleep(0.5)
    import docx

    document = docx.Document(io.BytesIO(client.get(location + "/download/docx").content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "焦作市劳动保障信息中心" in text
    pdf = client.get(location + "/download/pdf")
    assert pdf.content.startswith(b"%PDF")
    report = json.loads(client.get(location + "/download/json").content)
    assert report["report"]["unit_name"] == "焦作市劳动保障信息中心"
    import zipfile

    package = zipfile.ZipFile(io.BytesIO(client.get(location + "/download/zip").content))
    assert {"决算公开.docx", "决算公开.pdf", "公开表.xlsx", "index.html", "report.json"} <= set(
        package.namelist()
    )
    # a new project from the tables as an XLSX (the official layout the package holds): who
    # and when come from the tables, the rest is the officer's to fill in
    tables = package.read("公开表.xlsx")
    answer = client.post(
        "/compile/new",
        data={"csrf": csrf(client)},
        files={"tables": ("公开表.xlsx", tables)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"]).text
    assert 'value="焦作市劳动保障信息中心"' in page and 'value="2021"' in page
    assert "无法生成：unit.kind: missing (required)" in page


def test_a_scan_says_it_needs_ocr(client, tmp_path: Path) -> None:
    """A scanned PDF (pages that are images) is taken, inspected, and its review says in one
    line what the reader says: it has no text layer."""
    from PIL import Image

    scan = tmp_path / "扫描件.pdf"
    Image.new("RGB", (620, 877), "white").save(scan, resolution=75)
    answer = upload(client, scan)
    assert answer.status_code == 303
    page = finished(client, answer.headers["location"]).text
    assert "扫描件.pdf" in page
    assert "未能读取或审核：no text layer: scanned pages need OCR" in page
