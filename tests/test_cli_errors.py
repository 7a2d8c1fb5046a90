"""Issue 10, the command line: an unexpected exception is one line "internal error … please
report" with exit code 3 (the traceback only with --debug); ``-`` reads standard input;
``--version``; help texts say what is read and show no type names."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from juesuan import api
from juesuan.cli import app
from tests.conftest import EXAMPLE
from tests.test_hostile_inputs import refused

runner = CliRunner()


def test_an_unexpected_exception_is_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(api, "check", broken)
    result = runner.invoke(app, ["check", str(EXAMPLE)])
    line = refused(
        result, str(EXAMPLE), "internal error (RuntimeError: a bug over two lines)", code=3
    )
    assert "please report it" in line and "--debug shows the details" in line
    debug = runner.invoke(app, ["check", str(EXAMPLE), "--debug"])
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.strip().splitlines()[-1].startswith("juesuan: ")


def test_ctrl_c_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "audit", interrupted)
    refused(runner.invoke(app, ["audit", str(EXAMPLE)]), "interrupted", code=130)


def test_stdin_is_read_for_dash() -> None:
    data = EXAMPLE.read_bytes()
    result = runner.invoke(app, ["check", "-", "--format", "json"], input=data)
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.output)["summary"]
    assert summary["file"] == "<stdin>" and summary["unit_name"] == "焦作市劳动保障信息中心"
    refused(runner.invoke(app, ["check", "-"], input=b""), "<stdin>: empty file")
    refused(runner.invoke(app, ["annotate", "-"], input=data), "not standard input")


def test_check_prints_the_file_checked_not_the_original(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert runner.invoke(app, ["import", str(EXAMPLE), "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["check", str(out)])
    first = result.output.splitlines()[0]
    assert first.endswith(str(out)), first
    assert f"原始文件：{EXAMPLE}" in result.output
    doc = json.loads(runner.invoke(app, ["check", str(out), "-f", "json"]).output)
    assert doc["summary"]["file"] == str(out) and doc["summary"]["source_file"] == str(EXAMPLE)


def test_version() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from juesuan.cli import main; main()", "--version"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0
    assert re.fullmatch(r"juesuan \d+\.\d+\.\d+\S*\n", out.stdout)


def test_help_says_what_is_read_and_shows_no_type_names() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    paths = [[name] for name in command.commands]
    for name, sub in command.commands.items():  # groups (corpus): their commands too
        if isinstance(sub, typer.core.TyperGroup):
            paths += [[name, inner] for inner in sub.commands]
    for path in paths:
        text = runner.invoke(app, [*path, "--help"]).output
        for bad in ("<bool>", "<int>", "<str>", "list[", "{path}"):
            assert bad not in text, (path, bad, text)
    check_help = runner.invoke(app, ["check", "--help"]).output
    assert "PDF、Word、Excel、网页、文本或 JSON" in check_help and "- 为标准输入" in check_help
    assert "文本、JSON）" not in check_help


def test_limits_lists_every_limit_with_its_default() -> None:
    from dataclasses import fields

    from juesuan.limits import Limits

    result = runner.invoke(app, ["limits"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == [f.name for f in fields(Limits)]
    assert "pdf_pages" in result.output and "1,000" in result.output


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["check", str(EXAMPLE), "--format", "xml"], "'xml' is not one of 'text', 'json'."),
        (["check"], "Missing argument 'FILE'."),
        (["nosuch"], "No such command 'nosuch'."),
        (["audit", str(EXAMPLE), "--nope"], "No such option: --nope"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], fragment: str) -> None:
    line = refused(runner.invoke(app, args), fragment)
    assert line.endswith("--help)")
