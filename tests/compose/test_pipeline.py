"""prepare() and build(): source → checked tables → narrative → package, atomically."""

from __future__ import annotations

import sys
import types
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.compose import build, prepare, prepare_build
from juesuan.errors import InputError, OutputError
from juesuan.model.disclosure import Disclosure
from juesuan.model.report import UnitKind
from juesuan.model.serialize import dumps
from tests.synth import generate_report

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "juesuan" / "examples"
SOURCE = EXAMPLES / "jiaozuo-2021.toml"
TABLES = EXAMPLES / "jiaozuo-2021.txt"


def _source(tmp_path: Path, tables: Path = TABLES, extra: str = "", year: int = 2021) -> Path:
    path = tmp_path / "source.toml"
    path.write_text(
        f"""
[unit]
name = "焦作市劳动保障信息中心"
year = {year}
kind = "事业单位"

[tables]
file = "{tables.as_posix()}"
{extra}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def fake_writers(monkeypatch: pytest.MonkeyPatch) -> list[Disclosure]:
    """Stand-in for juesuan.writers (the real one is tested by its own suite)."""
    seen: list[Disclosure] = []

    def write_package(disclosure: Disclosure, outdir: Path) -> dict[str, Path]:
        seen.append(disclosure)
        (outdir / "report.json").write_text(dumps(disclosure.report), encoding="utf-8")
        text = "\n".join(s.text for s in disclosure.explanations)
        (outdir / "说明.txt").write_text(text, encoding="utf-8")
        return {"json": outdir / "report.json", "text": outdir / "说明.txt"}

    module = types.ModuleType("juesuan.writers")
    module.write_package = write_package  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "juesuan.writers", module)
    return seen


def test_prepare_the_example() -> None:
    d = prepare(SOURCE)
    assert d.title == "焦作市劳动保障信息中心2021年度部门决算"
    assert d.report.unit_kind is UnitKind.PUBLIC_INSTITUTION
    assert [s.number for s in d.explanations][-1] == "十三"
    assert d.report.sections == d.explanations
    assert d.prior is not None and d.prior.totals["收入总计"] == Decimal("2080400.00")
    assert d.missing_reasons == ()
    assert len(d.glossary) == 16


def test_prepare_checks_the_tables() -> None:
    p = prepare_build(SOURCE)
    assert not p.check.has_errors
    assert p.warnings == ()


def test_year_mismatch_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        prepare(_source(tmp_path, year=2022))
    assert info.value.reason == "tables.file: the tables are for 2021, but unit.year is 2022"
    assert info.value.path == str(tmp_path / "source.toml")


def test_unreadable_tables_name_the_key(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"tables.file: empty.txt: empty file"):
        prepare(_source(tmp_path, tables=empty))


def test_prior_from_last_years_report(tmp_path: Path) -> None:
    last = tmp_path / "2020.json"
    last.write_text(dumps(generate_report(7, year=2020)), encoding="utf-8")
    d = prepare(_source(tmp_path, extra=f'[prior]\nfile = "{last.as_posix()}"\n'))
    assert d.prior is not None and d.prior.year == 2020
    assert {"收入总计", "财政拨款收入总计", "一般公共预算财政拨款支出"} <= set(d.prior.totals)
    one = d.explanations[0].text
    assert "与2020年度相比" in one and "【请填写原因】" in one
    assert any("reasons.total" in m for m in d.missing_reasons)


def test_prior_report_of_the_wrong_year(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"prior.file: the report is for 2021, expected 2020"):
        prepare(_source(tmp_path, extra=f'[prior]\nfile = "{TABLES.as_posix()}"\n'))


def test_without_prior_or_budget_the_build_warns(tmp_path: Path) -> None:
    p = prepare_build(_source(tmp_path))
    assert any("[prior]" in w for w in p.warnings)
    assert any("年初预算" in m for m in p.disclosure.missing_reasons)
    assert "【请填写年初预算】" in p.disclosure.explanations[4].text


def _broken_tables(tmp_path: Path) -> Path:
    text = TABLES.read_text(encoding="utf-8")
    broken = tmp_path / "broken.txt"
    # 公开01表 一般公共预算财政拨款收入 off by 1,000 元: a real error, not rounding
    broken.write_text(
        text.replace("2,170,014.34\t一、一般公共服务支出", "2,171,014.34\t一、一般公共服务支出"),
        encoding="utf-8",
    )
    return broken


def test_build_refuses_on_errors_unless_forced(
    tmp_path: Path, fake_writers: list[Disclosure]
) -> None:
    source = _source(tmp_path, tables=_broken_tables(tmp_path))
    out = tmp_path / "out"
    result = build(source, out)
    assert not result.built and result.exit_code == 1
    assert result.errors and not out.exists() and not fake_writers
    assert result.lines()[0].startswith("未生成")
    forced = build(source, out, force=True)
    assert forced.built and forced.exit_code == 0 and (out / "report.json").is_file()
    assert "已强制生成" in forced.lines()[0]


def test_build_writes_atomically(tmp_path: Path, fake_writers: list[Disclosure]) -> None:
    out = tmp_path / "pkg"
    result = build(SOURCE, out)
    assert result.built and result.exit_code == 0
    assert result.written["json"] == out.resolve() / "report.json"
    assert "收、支总计均为217.02万元" in (out / "说明.txt").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]  # no staging left over
    assert any("X13" in line for line in result.lines())  # check warnings are listed


def test_build_never_removes_the_users_files(
    tmp_path: Path, fake_writers: list[Disclosure]
) -> None:
    """A folder with a file juesuan did not write is refused before any work; with
    ``overwrite`` the package goes in beside it and the user's file stays as it was."""
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "old.txt").write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match=r"not empty: 1 file juesuan did not write \(old.txt\)"):
        build(SOURCE, out)
    assert [p.name for p in out.iterdir()] == ["old.txt"] and not fake_writers
    result = build(SOURCE, out, overwrite=True)
    assert result.built and (out / "old.txt").read_text(encoding="utf-8") == "old"
    assert (out / "说明.txt").is_file()
    with pytest.raises(OutputError):  # old.txt is still not juesuan's
        build(SOURCE, out)
    (out / "old.txt").unlink()
    assert build(SOURCE, out).built  # only juesuan's own unchanged package left: replaced


def test_a_failing_writer_leaves_no_half_written_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write_package(disclosure: Disclosure, outdir: Path) -> dict[str, Path]:
        (outdir / "half.docx").write_bytes(b"PK")
        raise RuntimeError("disk full")

    module = types.ModuleType("juesuan.writers")
    module.write_package = write_package  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "juesuan.writers", module)
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "old.txt").write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        build(SOURCE, out, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]
    assert [p.name for p in out.iterdir()] == ["old.txt"]  # the previous content is intact
    with pytest.raises(RuntimeError):
        build(SOURCE, tmp_path / "new")
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]  # no staging folder beside it


def test_a_bad_source_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / TABLES.name).write_bytes(TABLES.read_bytes())
    bad = tmp_path / "bad.toml"
    bad.write_text("unknown = 1\n" + SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.toml: unknown: unknown key$"):
        build(bad, tmp_path / "out")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        SOURCE.read_text(encoding="utf-8").replace("goods = 5.46", 'goods = "5.46"'),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"procurement.goods: expected a number, got a string$"):
        build(wrong, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml", TABLES.name, "wrong.toml"]


@pytest.mark.slow
def test_build_the_example_with_the_real_writers(tmp_path: Path) -> None:
    pytest.importorskip("juesuan.writers")
    out = tmp_path / "demo"
    result = build(SOURCE, out)
    assert result.built, result.lines()
    for path in result.written.values():
        assert path.exists() and out.resolve() in path.parents
