"""``juesuan score``: the recomputed 绩效自评 beside the stated one as text, JSON and HTML; a
region's method file; exit codes (1 with an error, 2 for a file that cannot be read)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from juesuan.cli import app

runner = CliRunner()


def test_score_text(seed002_path: Path) -> None:
    result = runner.invoke(app, ["score", str(seed002_path)])
    assert result.exit_code == 1  # the form's 年初数 do not add up
    out = result.output
    assert "部门整体绩效自评表 1 张" in out
    assert "总分：表列 93，自评得分之和 93，按计分方法重算 96.4" in out
    assert "社会公众满意度" in out and "10 × 99 ÷ 100 = 9.9 分" in out
    assert "[P.sum]" in out and "[P.reason]" in out


def test_score_json_and_html(seed002_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(seed002_path), "-f", "json"])
    doc = json.loads(result.output)
    (form,) = doc["forms"]
    assert (form["stated_total"], form["stated_sum"], form["recomputed_total"]) == (
        "93.0",
        "93.0",
        "96.40",
    )
    assert len(form["form"]["indicators"]) == 26 and len(form["scores"]) == 27
    assert doc["summary"]["forms"]["部门整体绩效自评表"] == 1
    assert {f["rule_id"] for f in doc["findings"]} == {"P.sum", "P.reason", "P.score_rule"}
    page = tmp_path / "score.html"
    out = runner.invoke(app, ["score", str(seed002_path), "-f", "html", "-o", str(page)])
    assert out.exit_code == 1 and "已写出" in out.output
    html = page.read_text("utf-8")
    assert html.startswith("<!doctype html>") and "按重算总分等级" in html


def test_a_region_method_recomputes_differently(seed002_path: Path, tmp_path: Path) -> None:
    region = tmp_path / "region.toml"
    region.write_text(
        '[method]\nname = "全有或全无"\n[quantitative]\nge = "all_or_nothing"\n', "utf-8"
    )
    result = runner.invoke(app, ["score", str(seed002_path), "--method", str(region), "-f", "json"])
    doc = json.loads(result.output)
    assert doc["summary"]["method"]["name"] == "全有或全无"
    assert doc["forms"][0]["recomputed_total"] == "86.50"  # 社会公众满意度 99 of ≥100 now scores 0


def test_unreadable_input_and_method_are_one_line(seed002_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "region.toml"
    bad.write_text("[rate]\nscoring = 'steps'\n", "utf-8")
    result = runner.invoke(app, ["score", str(seed002_path), "--method", str(bad)])
    assert (
        result.exit_code == 2
        and "rate.scoring" in result.stderr
        and "Traceback" not in result.output
    )
    missing = runner.invoke(app, ["score", str(tmp_path / "none.pdf")])
    assert missing.exit_code == 2 and missing.stderr.startswith("juesuan: ")


def test_quiet_lists_only_what_deviates(tmp_path: Path) -> None:
    from tests.evaluation.test_rules import FORM

    clean = tmp_path / "clean.txt"
    clean.write_text(FORM, "utf-8")
    off = tmp_path / "off.txt"
    off.write_text(FORM.replace("≥90%\t≥90%\t10\t10", "≥90%\t80%\t10\t5"), "utf-8")
    assert "== 项目支出绩效自评表" in runner.invoke(app, ["score", str(clean)]).output
    assert "== 项目支出绩效自评表" not in runner.invoke(app, ["score", str(clean), "-q"]).output
    assert "== 项目支出绩效自评表" in runner.invoke(app, ["score", str(off), "-q"]).output
