from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.cli import app
from tests.conftest import SEED_000

runner = CliRunner()


def test_check_seed002_json_has_no_error(seed002_path: Path) -> None:
    result = runner.invoke(app, ["check", str(seed002_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["summary"]["counts"]["error"] == 0
    assert doc["summary"]["tables"] == {
        "01": "present",
        "02": "present",
        "03": "present",
        "04": "present",
        "05": "present",
        "06": "present",
        "07": "present",
        "08": "empty",
        "09": "empty",
    }
    assert {f["rule_id"] for f in doc["findings"]} <= {"X13.pension", "X13.medical", "X11"}
    for f in doc["findings"]:
        assert f["location"]["table"] and f["expected"] and f["found"] and f["tolerance"]


def test_check_text_is_chinese_and_grouped(seed002_path: Path) -> None:
    result = runner.invoke(app, ["check", str(seed002_path)])
    assert result.exit_code == 0
    assert "焦作市劳动保障信息中心 2021年度" in result.output
    assert "警告（2）" in result.output
    assert "结论：未发现错误。" in result.output


def test_check_seed000_says_tables_not_present() -> None:
    if not SEED_000.exists():
        return
    result = runner.invoke(app, ["check", str(SEED_000)])
    assert result.exit_code == 1
    assert "表格未呈现：01–09（仅有标题）" in result.output


def test_check_error_exit_code(tmp_path: Path, seed002_path: Path) -> None:
    text = seed002_path.read_text(encoding="utf-8").replace("2,170,030.84", "2,170,031.84", 1)
    path = tmp_path / "wrong.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1
    rules = {
        f["rule_id"] for f in json.loads(result.output)["findings"] if f["severity"] == "error"
    }
    assert "T01.inc_total" in rules


def test_unreadable_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"juesuan: {path}: empty file"
    assert "Traceback" not in result.output


def test_import_writes_json(tmp_path: Path, seed002_path: Path) -> None:
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["import", str(seed002_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1
    again = runner.invoke(app, ["check", str(out), "--format", "json"])
    assert again.exit_code == 0
    assert json.loads(again.output)["summary"]["counts"]["error"] == 0


def test_import_bad_input_leaves_no_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["import", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_user_rule_file(tmp_path: Path, seed002_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text(
        '[[rule]]\nid = "MY.training"\nkind = "sum"\nseverity = "error"\n'
        'message = "{table}培训支出应与进修及培训一致：应为 {expected}，实为 {found}"\n'
        'basis = "本单位自定"\ntotal = "05:2050803:合计"\nparts = ["05:20508:合计", "-01:205"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(seed002_path), "--rules", str(rules), "-f", "json"])
    assert result.exit_code == 1  # 4,100 ≠ 4,100 − 4,100
    assert any(f["rule_id"] == "MY.training" for f in json.loads(result.output)["findings"])
    listed = runner.invoke(app, ["rules", "--rules", str(rules)])
    assert "MY.training" in listed.output and "T01.inc_total" in listed.output


def test_bad_rule_file_is_exit_2(tmp_path: Path, seed002_path: Path) -> None:
    rules = tmp_path / "bad.toml"
    rules.write_text(
        '[[rule]]\nid = "A"\nkind = "nope"\nseverity = "error"\nmessage = "m"\n', "utf-8"
    )
    result = runner.invoke(app, ["check", str(seed002_path), "--rules", str(rules)])
    assert result.exit_code == 2
    assert "unknown kind 'nope'" in result.stderr


@pytest.mark.slow
def test_demo_builds_the_package_and_audits_the_original(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in (
        "决算公开.docx",
        "决算公开.pdf",
        "公开表.xlsx",
        "index.html",
        "report.json",
        "figures/fig1.png",
        "原报告审核.html",
        "原报告审核.txt",
    ):
        assert (out / name).exists(), name
    assert str(out) in result.output
    assert "错误 14 条" in result.output  # the published original's narrative errors
    # our own build, read back from its PDF, DOCX and HTML, audits without a single error
    for name in ("决算公开.pdf", "决算公开.docx", "index.html", "report.json"):
        again = runner.invoke(app, ["audit", str(out / name), "-f", "json"])
        doc = json.loads(again.output)
        assert again.exit_code == 0, (name, [f["message"] for f in doc["findings"][:3]])
        assert doc["summary"]["tables_with_data"] == ["01", "02", "03", "04", "05", "06", "07"]


def test_audit_seed002_finds_the_narrative_errors(seed002_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(seed002_path), "-f", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    assert {"N.unit", "N.year", "N.share", "N.label", "N.misnamed"} <= {
        f["rule_id"] for f in errors
    }
    assert all(f["location"]["quote"] for f in errors)
    html = tmp_path / "audit.html"
    out = runner.invoke(app, ["audit", str(seed002_path), "-f", "html", "-o", str(html)])
    assert out.exit_code == 1
    page = html.read_text(encoding="utf-8")
    assert 'class="wrong">2.89%' in page and 'class="verified">96.93%' in page
    assert 'class="unverified">' in page


def test_audit_with_prior(seed002_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["audit", str(seed002_path), "--prior", str(seed002_path), "-f", "json"]
    )
    doc = json.loads(result.output)
    prior = [f for f in doc["findings"] if f["rule_id"] == "N.prior"]
    assert prior and "年初结转和结余" in prior[0]["message"]  # 153.34 ≠ last year's 169.84
