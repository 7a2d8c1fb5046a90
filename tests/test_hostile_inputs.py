"""Issue 10, crashes and limits: every hostile or broken input is refused with one line naming
the file and the reason (exit code 2), never a traceback, and leaves nothing behind. Each test
makes its own nasty file."""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from juesuan.cli import app
from tests import nasty

runner = CliRunner()


def run(*args: str | Path, input: bytes | None = None) -> Result:
    return runner.invoke(app, [str(a) for a in args], input=input)


def refused(result: Result, *fragments: str, code: int = 2) -> str:
    """The command failed with exactly one line on stderr holding every fragment."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith("juesuan: "), line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def only(folder: Path, *names: str) -> None:
    """Nothing but ``names`` in ``folder``: no temporary file, no staging folder."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


# --- not files ---------------------------------------------------------------------------------


def test_dev_zero_is_refused_at_once() -> None:
    refused(run("check", "/dev/zero"), "/dev/zero", "not a regular file (a device)")


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    result: list[Result] = []
    worker = threading.Thread(target=lambda: result.append(run("audit", fifo)), daemon=True)
    worker.start()
    worker.join(20)
    assert result, "reading a FIFO hung"
    refused(result[0], str(fifo), "not a regular file (a FIFO)")


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:  # sparse: 3 GB that take no disk
        fh.truncate(3 * 1024**3)
    line = refused(run("check", big), str(big), "3,221,225,472 bytes", "--limit input_bytes=N")
    assert "over the limit of 104,857,600" in line
    refused(run("check", big, "--limit", "input_bytes=100"), "over the limit of 100 ")


def test_a_directory_and_a_missing_file(tmp_path: Path) -> None:
    refused(run("check", tmp_path), str(tmp_path), "is a directory")
    refused(run("check", tmp_path / "nope.pdf"), "nope.pdf: no such file")


# --- JSON ------------------------------------------------------------------------------------


def _report_json(tmp_path: Path) -> dict[str, object]:
    out = tmp_path / "r.json"
    assert run("import", nasty.EXAMPLE, "-o", out).exit_code == 0
    doc: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return doc


def test_json_nested_100k_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    refused(
        run("check", path),
        str(path),
        "JSON nested too deep, over the limit of 64",
        "--limit json_depth=N",
    )


@pytest.mark.parametrize("cell", ["abc", "1e999999", "NaN", "12.5.3", " 12"])
def test_json_cell_that_is_not_money(tmp_path: Path, cell: str) -> None:
    text = json.dumps(_report_json(tmp_path), ensure_ascii=False)
    text = re.sub(r'"value": "[0-9.]+"', f'"value": "{cell}"', text, count=1)
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    refused(run("check", path), str(path), "not a juesuan report", "money must be a string")


def test_json_cell_with_26_integer_digits(tmp_path: Path) -> None:
    text = json.dumps(_report_json(tmp_path), ensure_ascii=False)
    text = re.sub(r'"value": "[0-9.]+"', '"value": "' + "9" * 26 + '.00"', text, count=1)
    path = tmp_path / "big.json"
    path.write_text(text, encoding="utf-8")
    refused(run("check", path), str(path), "a number of 28 digits", "--limit digits=N")


def test_json_integer_of_5000_digits_and_lone_surrogate(tmp_path: Path) -> None:
    doc = _report_json(tmp_path)
    path = tmp_path / "year.json"
    path.write_text(json.dumps(doc).replace('"year": 2021', '"year": ' + "9" * 5000), "utf-8")
    refused(run("check", path), str(path), "invalid JSON")
    text = json.dumps(doc, ensure_ascii=False).replace("焦作", "\\ud800", 1)
    assert "\\ud800" in text
    path.write_text(text, "utf-8")
    refused(run("check", path), str(path), "unpaired surrogate")


# --- numbers and texts in every format -------------------------------------------------------


def test_text_report_cell_with_30_digits(tmp_path: Path) -> None:
    text = nasty.seed_text().replace("2,170,030.84", "9" * 30 + ".84", 1)
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    refused(run("check", path), str(path), "a number of 32 digits", "--limit digits=N")


def test_narrative_figure_with_30_digits_is_no_claim(tmp_path: Path) -> None:
    """A 30-digit number in a sentence (an account, an ID) is not a money figure: the audit
    runs to its end."""
    text = nasty.seed_text().replace("217.02 万万元", "1" * 30 + " 万元", 1)
    assert "1" * 30 in text
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    result = run("audit", path, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_paragraph_over_the_text_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(nasty.seed_text() + "\n" + "说" * 250_000 + "\n", encoding="utf-8")
    refused(
        run("check", path),
        str(path),
        "characters, over the limit of 200,000",
        "--limit text_chars=N",
    )
    ok = run("check", path, "--limit", "text_chars=300000")
    assert ok.exit_code in (0, 1), ok.stderr


def test_pdf_font_mapping_to_lone_surrogates_prints(tmp_path: Path) -> None:
    lines = [
        "焦作市劳动保障信息中心2021年度部门决算",
        "第二部分 2021年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
        "2021年度收、支总计均为217.02万元\ud800\udfff。",
    ]
    path = tmp_path / "s.pdf"
    path.write_bytes(nasty.text_layer_pdf(lines))
    for command in ("check", "audit", "import"):
        args = ["-o", tmp_path / "s.json"] if command == "import" else []
        result = run(command, path, *args)
        assert result.exit_code in (0, 1), (command, result.stderr)
        assert "Traceback" not in result.output + result.stderr
    doc = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert "\ufffd" in json.loads(doc)["report"]["parts"][0]["text"]


def test_pdf_of_2016_pages(tmp_path: Path) -> None:
    path = tmp_path / "many.pdf"
    path.write_bytes(nasty.text_layer_pdf(["页"], pages=2016))
    refused(run("audit", path), str(path), "2,016 pages", "limit of 1,000", "pdf_pages=N")


def test_html_nested_100k_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000, "utf-8")
    refused(run("check", path), str(path), "nested too deep", "--limit xml_depth=N")


# --- ZIP packages ----------------------------------------------------------------------------


@pytest.mark.slow
def test_zip_bomb_xlsx(tmp_path: Path) -> None:
    """1 MB that unpack to 1 GiB: refused from the declared ratio, nothing unpacked."""
    path = nasty.xlsx(tmp_path / "bomb.xlsx", nasty.sheet_bomb(1 << 30))
    assert path.stat().st_size < 2_000_000
    refused(run("check", path), str(path), "compressed", "to 1", "--limit zip_ratio=N")


def test_zip_bomb_below_the_ratio_still_stops_at_the_size(tmp_path: Path) -> None:
    path = nasty.xlsx(tmp_path / "bomb.xlsx", nasty.sheet_bomb(300 << 20))
    line = refused(run("check", path, "--limit", "zip_ratio=100000"), str(path))
    assert "--limit unzipped_bytes=N" in line


def test_xlsx_with_a_million_rows(tmp_path: Path) -> None:
    path = nasty.xlsx(tmp_path / "rows.xlsx", nasty.sheet_rows(1_000_000))
    refused(
        run("check", path),
        str(path),
        "cells reach row 200,001, column 1, over the limit of 200,000",
        "--limit sheet_cells=N",
    )


def test_xlsx_with_entities(tmp_path: Path) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        + nasty.SHEET_HEAD.split(b"?>", 1)[1]
        + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        + nasty.SHEET_TAIL
    )
    path = nasty.xlsx(tmp_path / "lol.xlsx", laughs)
    refused(run("check", path), str(path), "has a DTD")


def test_docx_zip_bomb_and_depth(tmp_path: Path) -> None:
    body = (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body>'
    )

    def bomb() -> list[bytes]:
        return [body, *(b" " * (1 << 20) for _ in range(256)), b"</w:body></w:document>"]

    path = nasty.docx_with_body(tmp_path / "bomb.docx", bomb())
    refused(run("check", path), str(path), "--limit zip_ratio=N")
    deep = body + b"<w:p>" * 5000 + b"</w:p>" * 5000 + b"</w:body></w:document>"
    path = nasty.docx_with_body(tmp_path / "deep.docx", deep)
    refused(
        run("check", path),
        str(path),
        "nested too deep, over the limit of 100",
        "--limit xml_depth=N",
    )


# --- rule files --------------------------------------------------------------------------------

RULE = """
[[rule]]
id = "MY.total"
kind = "sum"
severity = "error"
message = "{message}"
total = "01:本年收入合计"
parts = ["01:一般公共预算财政拨款收入"]
"""


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("{nosuch}", "uses {nosuch}, which this kind does not fill in"),
        ("差 {expected", "not a valid template"),
        ("{found!r}", "must be plain"),
        ("{found.__class__}", "uses {found.__class__}"),
    ],
)
def test_rule_message_template_checked_at_load(tmp_path: Path, message: str, reason: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(RULE.replace("{message}", message), encoding="utf-8")
    refused(run("check", nasty.EXAMPLE, "--rules", path), str(path), "MY.total", reason)
    refused(run("rules", "--rules", path), str(path), reason)


def test_rule_file_that_is_a_device_or_deep(tmp_path: Path) -> None:
    refused(run("rules", "--rules", "/dev/zero"), "/dev/zero", "not a regular file")
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 50_000 + "]" * 50_000, encoding="utf-8")
    refused(run("rules", "--rules", path), str(path), "not a valid TOML rule file")


def test_unknown_limit_is_one_line() -> None:
    refused(run("check", nasty.EXAMPLE, "--limit", "pages=3"), "expected NAME=VALUE")
    refused(run("check", nasty.EXAMPLE, "--limit", "digits=30"), "at most 24")


def test_wall_clock_limit(tmp_path: Path) -> None:
    result = run("audit", nasty.EXAMPLE, "--limit", "seconds=0.001")
    refused(result, str(nasty.EXAMPLE), "took too long", "--limit seconds=N")


# --- the build source --------------------------------------------------------------------------


def _source(tmp_path: Path, old: str, new: str) -> Path:
    text = nasty.SOURCE.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1).replace(
        'file = "jiaozuo-2021.txt"', f'file = "{nasty.EXAMPLE.as_posix()}"'
    )
    path = tmp_path / "source.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("length", [1050, 14_000])
def test_build_source_with_an_overlong_unit_name(tmp_path: Path, length: int) -> None:
    """Once a ValueError in the DOCX writer (1,050) and minutes in the PDF writer (14,000)."""
    path = _source(tmp_path, 'name = "焦作市劳动保障信息中心"', 'name = "' + "某" * length + '"')
    out = tmp_path / "out"
    refused(run("build", path, "-o", out), str(path), f"unit.name: {length:,} characters")
    only(tmp_path, "source.toml")


@pytest.mark.parametrize("amount", ["1e308", "1e-999999", "123456789012345678901234567890"])
def test_build_source_with_an_absurd_amount(tmp_path: Path, amount: str) -> None:
    path = _source(tmp_path, "amount = 0.41", f"amount = {amount}")
    line = refused(run("build", path, "-o", tmp_path / "out"), str(path), "budget[0].amount")
    assert "--limit digits=N" in line
    only(tmp_path, "source.toml")


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{% for", "overview_duties.j2 line 1: unexpected 'end of template'"),
        ("{{ nosuch.x }}", "'nosuch' is undefined"),
        ("{% for i in range(10**9) %}x{% endfor %}", "Range too big"),
        ("{{ ''.__class__.__mro__ }}", "unsafe"),
    ],
)
def test_build_with_a_broken_region_template(tmp_path: Path, template: str, reason: str) -> None:
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "overview_duties.j2").write_text(template, encoding="utf-8")
    path = _source(tmp_path, "[narrative]", '[narrative]\ntemplates = "tpl"')
    line = refused(run("build", path, "-o", tmp_path / "out"), str(path), "narrative template")
    assert reason in line
    only(tmp_path, "source.toml", "tpl")


def test_build_source_that_is_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "source.toml"
    os.mkfifo(fifo)
    refused(run("build", fifo, "-o", tmp_path / "out"), str(fifo), "a FIFO")


@pytest.mark.parametrize(
    "extra",
    [
        b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
        b"",  # a lone cell far away: the reader would fill every position up to it
    ],
)
def test_xlsx_whose_cells_reach_a_million_rows(tmp_path: Path, extra: bytes) -> None:
    """Found by bench/fuzz.py: 16 KB that took a minute and 360 MB."""
    far = b'<row r="1048576"><c r="L1048576"><v>1</v></c></row>' if not extra else b""
    sheet = (
        nasty.SHEET_HEAD
        + b'<row r="1"><c r="A1"><v>1</v></c></row>'
        + far
        + b"</sheetData>"
        + extra
        + b"</worksheet>"
    )
    path = nasty.xlsx(tmp_path / "far.xlsx", sheet)
    line = refused(run("check", path), str(path), "cells reach row 1,048,576")
    assert "--limit sheet_cells=N" in line


def test_xlsx_with_too_many_cells_in_few_rows(tmp_path: Path) -> None:
    def row(r: int) -> bytes:
        return (
            b"<row>" + b"".join(b"<c><v>%d</v></c>" % (r * 997 + c) for c in range(100)) + b"</row>"
        )

    sheet = [nasty.SHEET_HEAD, *(row(r) for r in range(2100)), nasty.SHEET_TAIL]
    path = nasty.xlsx(tmp_path / "wide.xlsx", sheet)
    refused(run("check", path), str(path), "too many cells, over the limit of 200,000")
