"""``juesuan audit --prior``: last year's report must be the same unit's of the year before (or
be found in a folder); anything else is one clear line and exit 2, unless ``--prior-any``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan import api
from juesuan.cli import app
from juesuan.errors import InputError
from juesuan.model.report import DocumentKind, NarrativeSection, Report
from juesuan.model.serialize import dumps

runner = CliRunner()
UNIT = "平潭县某某局"
TITLE = "决算收支总体情况"


def write(
    path: Path,
    year: int,
    opening: str,
    closing: str,
    unit: str = UNIT,
    kind: DocumentKind = DocumentKind.DEPARTMENT_FINAL,
) -> Path:
    """A report of one section: 年初 and 年末结转和结余 of ``year`` (a JSON file)."""
    text = f"{year}年本部门年初结转和结余{opening}万元，年末结转和结余{closing}万元。"
    report = Report(
        unit_name=unit,
        year=year,
        kind=kind,
        sections=(NarrativeSection("四", f"{year}年{TITLE}", text),),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(report), encoding="utf-8")
    return path


@pytest.fixture
def this_year(tmp_path: Path) -> Path:
    return write(tmp_path / "2016.json", 2016, "73.58", "88.98")


def audit(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["audit", *map(str, args), "-f", "json"])
    return result.exit_code, result.stdout, result.stderr


def test_last_years_report_is_used(tmp_path: Path, this_year: Path) -> None:
    last = write(tmp_path / "2015.json", 2015, "55.87", "73.58")
    code, out, _ = audit(this_year, "--prior", last)
    doc = json.loads(out)
    assert code == 0 and doc["summary"]["prior"] == str(last)
    wrong = write(tmp_path / "2015b.json", 2015, "55.87", "346.64")
    code, out, _ = audit(this_year, "--prior", wrong)
    rules = [f["rule_id"] for f in json.loads(out)["findings"]]
    assert code == 1 and "N.prior_stated" in rules  # 年初 73.58 against last year's 年末 346.64


def test_the_same_file_as_both_years_is_refused(this_year: Path) -> None:
    code, out, err = audit(this_year, "--prior", this_year)
    assert code == 2 and out == ""
    assert err.strip() == (
        f"juesuan: {this_year}: not last year's report of {UNIT} 2016: it is the report itself,"
        " not last year's report (--prior-any compares with it anyway)"
    )


@pytest.mark.parametrize(
    ("year", "why"),
    [
        (2017, "it is of 2017, a later year than the report's 2016, not 2015"),
        (2016, "it is of 2016, the same year as the report, not 2015"),
        (2014, "it is of 2014, not 2015"),
    ],
)
def test_a_report_of_another_year_is_refused(
    tmp_path: Path, this_year: Path, year: int, why: str
) -> None:
    other = write(tmp_path / f"{year}.other.json", year, "1.00", "73.58")
    code, _, err = audit(this_year, "--prior", other)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"juesuan: {other}: " in err and why in err


def test_a_report_of_another_unit_is_refused(tmp_path: Path, this_year: Path) -> None:
    other = write(tmp_path / "other.json", 2015, "1.00", "73.58", unit="平潭县另一局")
    code, _, err = audit(this_year, "--prior", other)
    assert code == 2
    assert f"{other}: " in err and "another unit (平潭县另一局, not 平潭县某某局)" in err


def test_a_budget_is_not_last_years_report(tmp_path: Path, this_year: Path) -> None:
    budget = write(tmp_path / "b.json", 2015, "1.00", "73.58", kind=DocumentKind.DEPARTMENT_BUDGET)
    code, _, err = audit(this_year, "--prior", budget)
    assert code == 2 and "部门预算" in err


def test_prior_any_compares_anyway_and_says_so(tmp_path: Path, this_year: Path) -> None:
    later = write(tmp_path / "2017.json", 2017, "88.98", "100.00")
    code, out, _ = audit(this_year, "--prior", later, "--prior-any")
    doc = json.loads(out)
    assert code == 1 and doc["summary"]["prior"] == str(later)  # 73.58 ≠ 100.00
    assert any("按要求仍与之比较" in n for n in doc["summary"]["reader_notes"])


def test_a_folder_finds_the_same_units_report_of_the_year_before(
    tmp_path: Path, this_year: Path
) -> None:
    folder = tmp_path / "reports"
    write(folder / "a" / "other-unit.json", 2015, "1.00", "2.00", unit="平潭县另一局")
    write(folder / "a" / "later.json", 2017, "88.98", "90.00")
    last = write(folder / "b" / "c" / "last.json", 2015, "55.87", "73.58")
    (folder / "notes.json").write_text("{", encoding="utf-8")  # unreadable: skipped
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "x.json").write_text("{", encoding="utf-8")
    code, out, _ = audit(this_year, "--prior", folder)
    doc = json.loads(out)
    assert code == 0 and doc["summary"]["prior"] == str(last)
    notes = doc["summary"]["reader_notes"]
    assert any("notes.json" in n and "跳过" in n for n in notes)
    assert not any(".hidden" in n for n in notes)
    assert any(str(last) in n for n in notes)  # which file was used is said


def test_a_folder_without_last_years_report(tmp_path: Path, this_year: Path) -> None:
    folder = tmp_path / "reports"
    write(folder / "later.json", 2017, "88.98", "90.00")
    code, out, err = audit(this_year, "--prior", folder)
    assert code == 2 and out == ""
    assert err.strip().startswith(f"juesuan: {folder}: no report of {UNIT} for 2015")
    code, out, _ = audit(this_year, "--prior", folder, "--prior-any")
    doc = json.loads(out)
    assert code == 0 and doc["summary"]["prior"] is None
    assert any("未与上年比较" in n for n in doc["summary"]["reader_notes"])


def test_the_folder_holding_the_report_itself(tmp_path: Path) -> None:
    """The report's own folder: the report is not its own prior; last year's beside it is."""
    this = write(tmp_path / "2016.json", 2016, "73.58", "88.98")
    code, _, err = audit(this, "--prior", tmp_path)
    assert code == 2 and "no report" in err
    last = write(tmp_path / "2015.json", 2015, "55.87", "73.58")
    code, out, _ = audit(this, "--prior", tmp_path)
    assert code == 0 and json.loads(out)["summary"]["prior"] == str(last)


def test_the_api_refuses_the_same(tmp_path: Path, this_year: Path) -> None:
    report = api.load(this_year)
    with pytest.raises(InputError, match="the report itself"):
        api.audit(report, prior=report)
    result = api.audit(report, prior=report, prior_any=True)
    assert any("按要求仍与之比较" in n for n in result.report.reader_notes)
    later = write(tmp_path / "2017.json", 2017, "88.98", "100.00")
    with pytest.raises(InputError) as refused:
        api.audit(this_year, prior=later)
    assert refused.value.path == str(later)
