"""``juesuan serve`` on the command line: its integer and text options convert as typer's own
(pydantic) conversion would, without importing pydantic; bad combinations are one line."""

from __future__ import annotations

import pytest
import typer
import typer.main
from typer._click import Context
from typer._coercion import build_runtime_param
from typer.testing import CliRunner

from juesuan.cli import _PlainValue, app

VALUES = ["8000", " 12 ", "+5", "-3", "1_000", "12.0", "00012", "12.5", "٣", "0x10", "1e3", "", "-"]


@pytest.mark.parametrize("value", VALUES)
def test_integers_and_text_convert_as_typer_would(value: str) -> None:
    command = typer.main.get_command(app).commands["serve"]  # type: ignore[attr-defined]
    ctx = Context(command)
    for param in command.get_params(ctx):
        desc = param.type_descriptor
        if desc.annotation not in (int, str):
            continue
        ours, theirs = param.get_runtime_param(), build_runtime_param(desc)
        assert isinstance(ours, _PlainValue)
        try:
            expected = theirs.coerce(value, param=param, ctx=ctx)
        except typer.BadParameter as exc:
            with pytest.raises(typer.BadParameter) as got:
                ours.coerce(value, param=param, ctx=ctx)
            assert got.value.format_message() == exc.format_message()
            continue
        got_value = ours.coerce(value, param=param, ctx=ctx)
        assert got_value == expected and type(got_value) is type(expected)


def test_a_bad_port_is_one_line() -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "eighty"])
    assert result.exit_code == 2
    assert "Input should be a valid integer" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "juesuan: --port 70000 is not a port number" in result.output
