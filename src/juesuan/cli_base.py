"""The command line's machinery, shared by :mod:`juesuan.cli` and :mod:`juesuan.cli_batch`:
one-line errors and exit codes, parameter conversion without pydantic, the typer app and the
options several commands share.

Start-up is kept small (``juesuan --help`` in well under 100 ms): this module imports only typer
and :mod:`juesuan.errors`; each command imports what it needs when it runs. Two typer defaults
are turned off because they cost more than the rest of the start-up together:

- Rich help and error panels (``rich_markup_mode=None``): importing rich and its markdown parser
  took about 60 ms on every ``--help``. Help and errors print as plain text, same wording.
- pydantic for parsing values: typer 0.29 converts every command-line value through a pydantic
  ``TypeAdapter``, which imports pydantic (about 70 ms, a third of a ``juesuan check``) to turn
  a string into a ``Path``. :class:`_Command` gives the parameters juesuan has (paths, lists of
  paths, choices, text, integers) a conversion with typer's own helpers instead; any other kind
  of parameter keeps typer's.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import typer
from typer._click import Context, Parameter
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path
from typer.core import TyperCommand, TyperGroup, _TyperParameter

from juesuan.errors import InputError, Interrupted

Exit = typer.Exit
Abort = typer.Abort

# Exit codes: 0 no error found, 1 errors found (or nothing built), 2 bad input or output,
# 3 an internal error (a bug: please report it), 128 + N killed by signal N.
EXIT_INPUT = 2
EXIT_INTERNAL = 3
ISSUES = "https://github.com/juesuan/juesuan/issues"


def _document(ctx: Context) -> str | None:
    """The file a command was working on, for an internal error's line."""
    for name in ("path", "source"):
        value = ctx.params.get(name)
        if value is not None:
            return str(value)
    return None


@contextlib.contextmanager
def _one_line_errors(ctx: Context) -> Iterator[None]:
    """Bad input or output: one line, exit 2. Ctrl-C or SIGTERM: one line, 130 / 128 + N (what
    was being written is already removed). Anything else is a bug: one line "internal error …
    please report", exit 3, and the traceback only with ``--debug`` (or JUESUAN_DEBUG=1)."""
    debug = bool(ctx.params.get("debug")) or os.environ.get("JUESUAN_DEBUG", "") not in ("", "0")
    try:
        yield
    except (Exit, Abort, ClickException):
        raise
    except BrokenPipeError:  # `juesuan check … | head`: the reader left, nothing to say
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - flushed at exit, never closed
        raise Exit(141) from None
    except InputError as exc:
        typer.echo(f"juesuan: {_printable(exc.one_line())}", err=True)
        raise Exit(EXIT_INPUT) from None
    except (KeyboardInterrupt, Interrupted) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else 2
        typer.echo("juesuan: interrupted; nothing half-written was left behind", err=True)
        raise Exit(128 + signum) from None
    except MemoryError:
        where = _document(ctx)
        typer.echo(
            f"juesuan: {where + ': ' if where else ''}out of memory (the file is too large for"
            " this machine; see juesuan limits)",
            err=True,
        )
        raise Exit(EXIT_INPUT) from None
    except Exception as exc:
        if debug:
            import traceback

            traceback.print_exc()
        where = _document(ctx)
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        typer.echo(
            f"juesuan: {where + ': ' if where else ''}internal error ({_printable(reason)});"
            f" please report it with the file at {ISSUES}"
            + ("" if debug else " (--debug shows the details)"),
            err=True,
        )
        raise Exit(EXIT_INTERNAL) from None


def _printable(text: str) -> str:
    """Text any terminal encoding can print (a file name may hold undecodable bytes)."""
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    return text.encode(encoding, "backslashreplace").decode(encoding, "replace")


class Format(StrEnum):
    text = "text"
    json = "json"


class AuditFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


class Ocr(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


_OCR_HELP = "图片与扫描页的文字识别：auto 有文字层处用文字层，always 每页都识别，never 不识别"
OcrOption = Annotated[Ocr, typer.Option("--ocr", help=_OCR_HELP)]


def _is_enum(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def _is_path(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Path)


def _plain(annotation: Any) -> bool:
    """Whether :class:`_PlainValue` converts values of this (Optional-stripped) annotation."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return _is_path(item) or _is_enum(item) or item is str
    return annotation in (bool, str, int) or _is_path(annotation) or _is_enum(annotation)


# An integer as pydantic's lax mode reads one from text: an optional sign, digits (underscores
# between them), a zero fraction ("8000.0"), surrounding spaces.
_INTEGER = re.compile(r"\s*([+-]?[0-9](?:_?[0-9])*)(?:\.0*)?\s*")


@dataclass(frozen=True)
class _PlainValue(RuntimeParam):
    """A command-line value converted the way typer's pydantic adapter converts it (same checks,
    same helpers, same errors), without pydantic. ``None`` never reaches here."""

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        annotation: Any = self.annotation
        if get_origin(annotation) is list:
            (item,) = get_args(annotation)
            values = value if isinstance(value, list | tuple) else [value]
            return [self._one(item, v, param, ctx) for v in values]
        return self._one(annotation, value, param, ctx)

    def _one(self, annotation: Any, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        info = self.parameter_info
        if annotation is str:
            return str(value)
        if annotation is bool:
            if isinstance(value, bool):  # a flag: what the command line always gives
                return value
            # a string from an environment variable or default map: typer's own rules
            typer_way = build_runtime_param(TypeDescriptor(bool, info, file_annotation=None))
            return typer_way._coerce_value(value, param=param, ctx=ctx)
        if annotation is str:
            return value if isinstance(value, str) else str(value)
        if annotation is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            found = _INTEGER.fullmatch(str(value))
            if found is None:
                raise typer.BadParameter(
                    "Input should be a valid integer, unable to parse string as an integer",
                    ctx=ctx,
                    param=param,
                )
            return int(found.group(1).replace("_", ""))
        if _is_enum(annotation):
            try:
                return coerce_cli_choice(
                    value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx
                )
            except ValueError as exc:
                raise typer.BadParameter(str(exc), ctx=ctx, param=param) from exc
        path_type = info.path_type or annotation
        if not isinstance(value, path_type):
            value = path_type(value)
        return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)


def _without_pydantic(params: list[Parameter]) -> list[Parameter]:
    for param in params:
        if (
            isinstance(param, _TyperParameter)
            and param._runtime_param is None
            and _plain(param.type_descriptor.annotation)
        ):
            desc = param.type_descriptor
            param._runtime_param = _PlainValue(desc.parameter_info, desc.annotation)
    return params


class _Command(TyperCommand):
    """A typer command whose parameters (its ``--help`` too) convert values without pydantic,
    and whose every failure is one line (see :func:`_one_line_errors`)."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _without_pydantic(super().get_params(ctx))

    def invoke(self, ctx: Context) -> Any:
        with _one_line_errors(ctx):
            return super().invoke(ctx)


class _Group(TyperGroup):
    """The command group, for its own ``--help``; a usage error (an unknown option, a bad
    value) is one line too, naming the command's help."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _without_pydantic(super().get_params(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone = kwargs.pop("standalone_mode", True)
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except NoArgsIsHelpError as exc:  # `juesuan` alone: the help, as it prints
            if not standalone:
                raise
            exc.show()
            sys.exit(exc.exit_code)
        except ClickException as exc:
            if not standalone:
                raise
            ctx = getattr(exc, "ctx", None)
            where = f" (see {ctx.command_path} --help)" if ctx is not None else ""
            message = " ".join(exc.format_message().split())
            typer.echo(f"juesuan: {_printable(message)}{where}", err=True)
            sys.exit(exc.exit_code)
        except Abort:
            if not standalone:
                raise
            typer.echo("juesuan: aborted", err=True)
            sys.exit(1)
        if not standalone:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Group,
    help="juesuan：部门决算公开的生成、导入、校验与审核工具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"juesuan {version('juesuan')}")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            typer.echo("juesuan (not installed)")
        raise Exit(0)


@app.callback()
def _main_options(
    show_version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_version, help="显示版本号并退出"),
    ] = False,
) -> None:
    """juesuan：部门决算公开的生成、导入、校验与审核工具。"""


# Options several commands share (kept as simple types: see _Command).
InputPath = Annotated[
    Path,
    typer.Argument(
        metavar="FILE", help="报告文件（PDF、Word、Excel、网页、文本或 JSON；- 为标准输入）"
    ),
]
Rules = Annotated[
    list[Path] | None, typer.Option("--rules", metavar="FILE", help="附加规则文件（TOML）")
]
Limit = Annotated[
    list[str] | None,
    typer.Option(
        "--limit",
        metavar="NAME=N",
        help="放宽一项输入限制，如 --limit pdf_pages=3000（可重复；juesuan limits 列出全部）",
    ),
]
Debug = Annotated[bool, typer.Option("--debug", help="内部错误时打印完整的出错信息（traceback）")]


def _limits(items: list[str] | None) -> Any:
    from juesuan.limits import parse_overrides

    try:
        return parse_overrides(items or ())
    except ValueError as exc:
        raise InputError(None, str(exc)) from None


def _stop_on_signal() -> None:
    """SIGTERM and SIGHUP stop juesuan the way Ctrl-C does: by an exception, so every
    temporary file and staging folder is removed on the way out (SIGKILL cannot be caught:
    the next run removes what it left, see :mod:`juesuan.folders`)."""
    import signal

    def stop(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):  # not the main thread
                signal.signal(sig, stop)
