"""Explained findings (出错说明): a baseline written from a report's findings, a reason filled
in for one of them, and that finding no longer counting as an error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.api import audit, baseline, explain_with
from juesuan.cli import app
from juesuan.errors import InputError
from juesuan.rules.baseline import finding_key, parse_baseline

runner = CliRunner()


def _fill(text: str, rule: str, reason: str) -> str:
    """Give the first entry of ``rule`` a reason, as a unit would in an editor."""
    blocks = text.split("\n[[explained]]\n")
    for i, block in enumerate(blocks):
        if f'rule = "{rule}"' in block:
            blocks[i] = block.replace('reason = ""', f'reason = "{reason}"', 1)
            break
    return "\n[[explained]]\n".join(blocks)


def test_baseline_lists_every_finding_with_an_empty_reason(seed002_path: Path) -> None:
    result = audit(seed002_path)
    text = baseline(result)
    entries = parse_baseline(text)
    serious = {finding_key(f) for f in result.findings if f.severity.value != "info"}
    assert {e.key for e in entries} == serious
    assert all(e.reason == "" for e in entries)


def test_an_explained_error_no_longer_counts(seed002_path: Path, tmp_path: Path) -> None:
    result = audit(seed002_path)
    errors = [f for f in result.findings if f.severity.value == "error"]
    assert errors
    file = tmp_path / "出错说明.toml"
    file.write_text(_fill(baseline(result), "N.unit", "已在更正公告中更正"), encoding="utf-8")
    explained = explain_with(result, file)
    marked = [f for f in explained.findings if f.explanation]
    assert [f.rule_id for f in marked] == ["N.unit"]
    assert marked[0].explanation == "已在更正公告中更正"
    assert explained.counts["error"] == len(errors) - 1
    # every error explained: the report passes with its explanations shown
    everything = baseline(result).replace('reason = ""', 'reason = "口径不同"')
    file.write_text(everything, encoding="utf-8")
    assert not explain_with(result, file).has_errors


def test_baseline_survives_a_reworded_message(seed002_path: Path) -> None:
    """The key is the rule and the location, not the message or the amounts."""
    result = audit(seed002_path)
    f = next(f for f in result.findings if f.rule_id == "N.year")
    from dataclasses import replace

    assert finding_key(replace(f, message="另一种措辞", found="x")) == finding_key(f)


def test_cli_baseline_then_audit(seed002_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "b.toml"
    made = runner.invoke(app, ["baseline", str(seed002_path), "-o", str(file)])
    assert made.exit_code == 0, made.output
    again = runner.invoke(app, ["baseline", str(seed002_path), "-o", str(file)])
    assert again.exit_code == 2  # a baseline with the unit's reasons is never overwritten
    file.write_text(_fill(file.read_text("utf-8"), "N.year", "模板年度已更正"), encoding="utf-8")
    out = runner.invoke(app, ["audit", str(seed002_path), "--baseline", str(file)])
    assert "已说明（1，不计为错误）" in out.output
    assert re.search(r"说明：模板年度已更正", out.output)


def test_malformed_baseline_is_one_line(tmp_path: Path, seed002_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[explained]]\nreason = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a 'key'"):
        explain_with(audit(seed002_path), bad)
    out = runner.invoke(app, ["audit", str(seed002_path), "--baseline", str(bad)])
    assert out.exit_code == 2 and "Traceback" not in out.output


def test_a_baseline_of_an_explained_result_keeps_its_reasons(seed002_path: Path) -> None:
    """The web workbench keeps reasons by finding key and offers the baseline file for
    download: a baseline written after explaining keeps each reason it was explained with."""
    from juesuan.api import explain_reasons, finding_key

    result = audit(seed002_path)
    first = next(f for f in result.findings if f.severity.value == "error")
    explained = explain_reasons(result, {finding_key(first): "已在更正公告中更正", "nosuch": "x"})
    assert [f.explanation for f in explained.findings if f.explanation] == ["已在更正公告中更正"]
    entries = {e.key: e.reason for e in parse_baseline(baseline(explained))}
    assert entries[finding_key(first)] == "已在更正公告中更正"
    assert sum(1 for r in entries.values() if r) == 1
    # and it reads back to the same explanations
    again = explain_reasons(result, entries)
    assert [f.explanation for f in again.findings] == [f.explanation for f in explained.findings]
