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


def test_check_seed000_says_tables_not_read() -> None:
    """Seed 000 printed its tables as images: that is not nine errors of the report, and not a
    pass either: the tables are reported as unread and the conclusion says nothing was checked."""
    if not SEED_000.exists():
        pytest.skip("../shared/seeds is not beside the repository")
    result = runner.invoke(app, ["check", str(SEED_000)])
    assert result.exit_code == 0
    assert "表格未呈现：01–09（仅有标题）" in result.output
    assert "结论：未读到任何表格数据，无法校验表内及表间关系。" in result.output
    assert "未发现错误" not in result.output


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
    # the published original's narrative errors and its 整体绩效自评表's 年初数 that do not add up
    assert "错误 12 条" in result.output
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
    assert all(f["location"]["quote"] for f in errors if f["rule_id"].startswith("N."))
    html = tmp_path / "audit.html"
    out = runner.invoke(app, ["audit", str(seed002_path), "-f", "html", "-o", str(html)])
    assert out.exit_code == 1
    page = html.read_text(encoding="utf-8")
    assert 'class="wrong">2.89%' in page and 'class="verified">96.93%' in page
    assert 'class="unverified">' in page


def test_audit_with_prior(seed002_path: Path, tmp_path: Path) -> None:
    # last year's report: the same unit's of 2020 (the report itself is refused, see
    # tests/test_cli_prior.py)
    from dataclasses import replace

    from juesuan.api import load
    from juesuan.model.serialize import dumps

    last = tmp_path / "2020.json"
    last_year = replace(load(seed002_path), year=2020, source_file=str(last))
    last.write_text(dumps(last_year), encoding="utf-8")
    result = runner.invoke(app, ["audit", str(seed002_path), "--prior", str(last), "-f", "json"])
    doc = json.loads(result.output)
    prior = [f for f in doc["findings"] if f["rule_id"] == "N.prior"]
    # 153.34 ≠ last year's 169.84, and the changes (8.98 …) against an unchanged 2020
    assert any("年初结转和结余与上年年末数不符" in f["message"] for f in prior)
    assert any("本年所述“8.98 万元”，应为 增加0.00万元" in f["message"] for f in prior)


# --- start-up: what the command line imports -------------------------------------------------

# Libraries a command imports only when it needs them. pydantic comes with typer 0.29, which
# converts every command-line value with it; rich with typer's help panels (both turned off in
# juesuan.cli, see its docstring).
HEAVY = (
    "weasyprint",
    "matplotlib",
    "docx",
    "docxtpl",
    "pypdfium2",
    "pdfplumber",
    "openpyxl",
    "xlsxwriter",
    "xlrd",
    "lxml",
    "jinja2",
    "pydantic",
    "rich",
)

_RUN_MAIN = r"""
import json, sys
heavy = json.loads(sys.argv[1])
sys.argv = ["juesuan", *sys.argv[2:]]
from juesuan.cli import main
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def _run_main(*args: str, heavy: tuple[str, ...] = HEAVY) -> tuple[int, list[str], str]:
    """``juesuan ARGS`` in a fresh interpreter: exit code, heavy modules it imported, stdout."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _RUN_MAIN, json.dumps(heavy), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    last = json.loads(out.stderr.strip().splitlines()[-1])
    return last["code"], last["loaded"], out.stdout


def test_cli_module_and_app_import_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "import juesuan.cli, typer.main\n"
        "cmd = typer.main.get_command(juesuan.cli.app)\n"
        "for sub in cmd.commands.values():\n"
        "    sub.get_params(typer.main._click.Context(sub))\n"
        f"heavy = {HEAVY!r} + ('juesuan.api', 'juesuan.readers', 'juesuan.rules')\n"
        "print(json.dumps(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_help_imports_nothing_heavy_and_lists_every_command() -> None:
    code, loaded, stdout = _run_main("--help", heavy=(*HEAVY, "juesuan.api"))
    assert code == 0
    assert loaded == []
    for name in ("check", "audit", "annotate", "import", "build", "demo", "rules"):
        assert f"  {name} " in stdout
    assert "juesuan：部门决算公开的生成、导入、校验与审核工具。" in stdout
    assert "校验一份部门决算：表内、表间勾稽关系与科目编码。" in stdout


def test_check_imports_only_what_it_needs(seed002_path: Path) -> None:
    code, loaded, stdout = _run_main("check", str(seed002_path), "-f", "json")
    assert code == 0
    assert json.loads(stdout)["summary"]["counts"]["error"] == 0
    assert loaded == []


def test_no_arguments_shows_help_and_exit_2() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 2
    assert "check" in result.output and "rules" in result.output


def test_bad_choice_is_a_usage_error() -> None:
    result = runner.invoke(app, ["rules", "-f", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of 'text', 'json'." in result.stderr


def test_values_convert_as_typer_would(tmp_path: Path) -> None:
    """juesuan.cli converts paths and choices without pydantic: same values, same errors as
    typer's own (pydantic) conversion, for every parameter of every command."""
    import typer
    import typer.main
    from typer._click import Context
    from typer._coercion import build_runtime_param
    from typer.core import _TyperParameter

    from juesuan.cli import _PlainValue

    existing = tmp_path / "r.txt"
    existing.write_text("x", encoding="utf-8")
    paths = ["report.txt", str(existing), str(tmp_path), "目录/报告.pdf", "-"]
    root = typer.main.get_command(app)
    converted = 0
    for command in [root, *root.commands.values()]:  # type: ignore[attr-defined]
        ctx = Context(command)
        for param in command.get_params(ctx):
            assert isinstance(param, _TyperParameter)
            ours = param.get_runtime_param()
            assert isinstance(ours, _PlainValue), (command.name, param.name)
            converted += 1
            desc = param.type_descriptor
            theirs = build_runtime_param(desc)
            choices = desc.choices
            if desc.annotation is bool:
                samples: list[object] = [True, False, "true", "0"]
            elif choices is not None:
                samples = [*choices, *(c.value for c in choices), "JSON", "nope", ""]
            elif desc.is_list:
                samples = [tuple(paths), ("a.toml",), ()]
            else:
                samples = list(paths)
            for value in samples:
                try:
                    expected = theirs.coerce(value, param=param, ctx=ctx)
                except typer.BadParameter as exc:
                    with pytest.raises(typer.BadParameter) as got:
                        ours.coerce(value, param=param, ctx=ctx)
                    assert got.value.format_message() in exc.format_message().replace(
                        "Value error, ", ""
                    )
                    continue
                value_got = ours.coerce(value, param=param, ctx=ctx)
                assert value_got == expected and type(value_got) is type(expected), value
    assert converted >= 20
