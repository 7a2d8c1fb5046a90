"""``juesuan audit --budget``: the 决算's 年初预算 against the same unit's 预算 of that year (a
file, or found in a folder); anything else is one clear line and exit 2, unless ``--budget-any``."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from juesuan.cli import app
from juesuan.model.report import Report
from juesuan.model.serialize import dumps
from tests.budget_synth import generate_budget
from tests.narrative.test_against_budget import YEAR, final_of

runner = CliRunner()


def write(path: Path, report: Report) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(replace(report, source_file=None)), encoding="utf-8")
    return path


def audit(*args: str | Path) -> tuple[int, dict[str, object] | None, str]:
    result = runner.invoke(app, ["audit", *map(str, args), "-f", "json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout else None, result.stderr


def rules(doc: dict[str, object] | None) -> list[str]:
    assert doc is not None
    findings = doc["findings"]
    assert isinstance(findings, list)
    return [f["rule_id"] for f in findings]


def test_the_budget_of_the_year_is_used_and_a_mismatch_found(tmp_path: Path) -> None:
    budget = generate_budget(YEAR)
    budget_file = write(tmp_path / "budget.json", budget)
    right = write(tmp_path / "final.json", final_of(budget))
    code, doc, _ = audit(right, "--budget", budget_file)
    assert doc is not None and doc["summary"]["budget"] == str(budget_file)  # type: ignore[index]
    assert "N.budget" not in rules(doc)
    wrong = write(tmp_path / "wrong.json", final_of(budget, total=Decimal(10000)))
    code, doc, _ = audit(wrong, "--budget", budget_file)
    assert code == 1 and "N.budget" in rules(doc)


def test_a_folder_finds_the_units_budget(tmp_path: Path) -> None:
    budget = generate_budget(YEAR)
    folder = tmp_path / "budgets"
    write(folder / "other.json", replace(budget, unit_name="某某市另一局"))
    write(folder / "last.json", replace(budget, year=YEAR - 1))
    found = write(folder / "sub" / "this.json", budget)
    wrong = write(tmp_path / "wrong.json", final_of(budget, total=Decimal(10000)))
    code, doc, _ = audit(wrong, "--budget", folder)
    assert code == 1 and doc is not None
    assert doc["summary"]["budget"] == str(found)  # type: ignore[index]
    assert "N.budget" in rules(doc)


def test_another_years_budget_is_one_line_and_exit_2(tmp_path: Path) -> None:
    budget = generate_budget(YEAR)
    last = write(tmp_path / "last.json", replace(budget, year=YEAR - 1))
    final = write(tmp_path / "final.json", final_of(budget))
    code, doc, err = audit(final, "--budget", last)
    assert code == 2 and doc is None and len(err.strip().splitlines()) == 1
    assert f"juesuan: {last}: " in err and f"it is the 预算 of {YEAR - 1}, not of {YEAR}" in err
    code, doc, _ = audit(final, "--budget", last, "--budget-any")
    assert code in (0, 1) and doc is not None
    notes = doc["summary"]["reader_notes"]  # type: ignore[index]
    assert any("按要求仍与之比较" in n for n in notes)


def test_no_budget_in_a_folder_is_refused_unless_budget_any(tmp_path: Path) -> None:
    budget = generate_budget(YEAR)
    folder = tmp_path / "empty"
    write(folder / "other.json", replace(budget, unit_name="某某市另一局"))
    final = write(tmp_path / "final.json", final_of(budget))
    code, _, err = audit(final, "--budget", folder)
    assert code == 2 and "no 预算 of" in err and "--budget-any" in err
    code, doc, _ = audit(final, "--budget", folder, "--budget-any")
    assert code in (0, 1) and doc is not None and doc["summary"]["budget"] is None  # type: ignore[index]


def test_a_budget_given_a_budget_is_refused(tmp_path: Path) -> None:
    budget = write(tmp_path / "budget.json", generate_budget(YEAR))
    code, _, err = audit(budget, "--budget", budget)
    assert code == 2 and "--prior" in err


def test_help_names_the_option_with_its_metavar() -> None:
    out = runner.invoke(app, ["audit", "--help"], env={"COLUMNS": "200"}).stdout
    assert "--budget" in out and "FILE|DIR" in out and "--budget-any" in out
