"""Command line: ``juesuan check | audit | score | import | build | demo | rules``. Thin:
parse, call the API, print.

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


@app.command("check", cls=_Command)
def check_cmd(
    path: InputPath,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.text,
    rules: Rules = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="文本输出中不列提示")] = False,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", metavar="FILE", help="出错说明文件（juesuan baseline 生成）"),
    ] = None,
    limit: Limit = None,
    debug: Debug = False,
    ocr: OcrOption = Ocr.auto,
) -> None:
    """校验一份部门决算：表内、表间勾稽关系与科目编码。

    退出码：0 无错误，1 有错误，2 无法读取（一行说明原因），3 内部错误。
    """
    from juesuan.api import check, explain_with, format_text
    from juesuan.terminal import ocr_progress

    with ocr_progress() as progress:
        result = check(
            path,
            rule_files=rules or (),
            limits=_limits(limit),
            ocr=ocr.value,
            progress=progress,
        )
    if baseline is not None:
        result = explain_with(result, baseline)
    if fmt is Format.json:
        import json

        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        typer.echo(format_text(result, show_notices=not quiet), nl=False)
    raise Exit(1 if result.has_errors else 0)


@app.command("audit", cls=_Command)
def audit_cmd(
    path: InputPath,
    prior: Annotated[
        Path | None,
        typer.Option(
            "--prior",
            metavar="FILE|DIR",
            help="上年度报告（任一可读格式），或其所在目录（在其中找本单位上一年度的决算）",
        ),
    ] = None,
    prior_any: Annotated[
        bool,
        typer.Option(
            "--prior-any",
            help="上年报告不是本单位上一年度的决算时仍与之比较；目录中未找到时不作上年比较",
        ),
    ] = False,
    budget: Annotated[
        Path | None,
        typer.Option(
            "--budget",
            metavar="FILE|DIR",
            help="本年度的部门预算（任一可读格式），或其所在目录（在其中找本单位本年度的预算）："
            "核对决算所列年初预算",
        ),
    ] = None,
    budget_any: Annotated[
        bool,
        typer.Option(
            "--budget-any",
            help="预算不是本单位本年度的预算时仍与之比较；目录中未找到时不作预算比较",
        ),
    ] = False,
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f", help="输出格式")] = AuditFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="写入文件")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的输出文件")] = False,
    rules: Rules = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="文本输出中不列提示和未核实")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", metavar="FILE", help="出错说明文件（juesuan baseline 生成）"),
    ] = None,
    limit: Limit = None,
    ocr: OcrOption = Ocr.auto,
    debug: Debug = False,
) -> None:
    """审核一份部门决算：表格校验，加上情况说明中每个数字与表格、与上下文及与上年报告的核对。"""
    from juesuan.api import (
        audit,
        check_output,
        explain_with,
        format_html,
        format_text,
        write_output,
    )
    from juesuan.terminal import ocr_progress

    if output is not None:
        check_output(output, overwrite=force)  # refused before the work
    with ocr_progress() as progress:
        result = audit(
            path,
            prior=prior,
            prior_any=prior_any,
            budget=budget,
            budget_any=budget_any,
            rule_files=rules or (),
            limits=_limits(limit),
            ocr=ocr.value,
            progress=progress,
        )
    if baseline is not None:
        result = explain_with(result, baseline)
    if fmt is AuditFormat.json:
        import json

        text = json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n"
    elif fmt is AuditFormat.html:
        text = format_html(result)
    else:
        text = format_text(result, show_notices=not quiet)
    if output is not None:
        write_output(output, text, overwrite=force)
        typer.echo(f"已写出 {output}")
    else:
        typer.echo(text, nl=False)
    raise Exit(1 if result.has_errors else 0)


@app.command("score", cls=_Command)
def score_cmd(
    path: InputPath,
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f", help="输出格式")] = AuditFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="写入文件")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的输出文件")] = False,
    method: Annotated[
        Path | None,
        typer.Option(
            "--method",
            metavar="FILE",
            help="计分方法文件（TOML，格式同 evaluation/data/method.toml）",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="只列有偏差的自评表和执行率，不列提示")
    ] = False,
    limit: Limit = None,
    debug: Debug = False,
) -> None:
    """重算绩效自评：每张自评表的得分、总分和等级按计分方法重算，与表列数字并列，并核对文中所述。

    退出码：0 无错误，1 有错误，2 无法读取（一行说明原因），3 内部错误。
    """
    from juesuan.api import check_output, format_score, score, write_output

    if output is not None:
        check_output(output, overwrite=force)
    result = score(path, method=method, limits=_limits(limit))
    if fmt is AuditFormat.json:
        import json

        text = json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n"
    else:
        text = format_score(result, html=fmt is AuditFormat.html, quiet=quiet)
    if output is not None:
        write_output(output, text, overwrite=force)
        typer.echo(f"已写出 {output}")
    else:
        typer.echo(text, nl=False)
    raise Exit(1 if result.has_errors else 0)


@app.command("baseline", cls=_Command)
def baseline_cmd(
    path: InputPath,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="出错说明文件（TOML）")
    ] = Path("出错说明.toml"),
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的说明文件")] = False,
    limit: Limit = None,
    debug: Debug = False,
) -> None:
    """生成出错说明文件：列出本次审核的每条结果，留空原因待单位填写（用于 audit --baseline）。"""
    from juesuan.api import audit, baseline, check_output, write_output
    from juesuan.errors import OutputError

    if output.is_file() and not force:
        raise OutputError(output, "already exists (its reasons would be lost); use --force")
    check_output(output, overwrite=force)
    result = audit(path, limits=_limits(limit))
    write_output(output, baseline(result), overwrite=force)
    n = sum(1 for f in result.findings if f.severity.value != "info")
    typer.echo(f"已写出 {output}（{n} 条结果，请逐条填写 reason）")


@app.command("annotate", cls=_Command)
def annotate_cmd(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="报告 PDF")],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="标注后的 PDF")
    ] = Path("marked.pdf"),
    narrative: Annotated[bool, typer.Option(help="同时标注情况说明的核对结果")] = True,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的输出文件")] = False,
    limit: Limit = None,
    debug: Debug = False,
    ocr: OcrOption = Ocr.auto,
) -> None:
    """在原 PDF 上框出每条结果所在的单元格（错误红、警告橙、提示蓝），并附结果汇总页。"""
    from juesuan.api import annotate
    from juesuan.terminal import ocr_progress

    with ocr_progress() as progress:
        result = annotate(
            path,
            output,
            narrative=narrative,
            overwrite=force,
            limits=_limits(limit),
            ocr=ocr.value,
            progress=progress,
        )
    typer.echo(f"已写出 {output}（{len(result.findings)} 条结果）")
    raise Exit(1 if result.has_errors else 0)


@app.command("import", cls=_Command)
def import_cmd(
    path: InputPath,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="输出的 JSON 文件")
    ] = Path("report.json"),
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的输出文件或版面图")] = False,
    debug_layout: Annotated[
        Path | None,
        typer.Option(
            "--debug-layout",
            metavar="DIR",
            help="把 PDF 每页识别出的线段、表格线、单元格和列画成 PNG，写入此目录",
        ),
    ] = None,
    limit: Limit = None,
    ocr: OcrOption = Ocr.auto,
    debug: Debug = False,
) -> None:
    """读取一份报告，写出 juesuan 的 JSON 格式。"""
    from juesuan.api import check_output, load, report_json, write_output
    from juesuan.terminal import ocr_progress

    check_output(output, overwrite=force)  # refused before the work
    with ocr_progress() as progress:
        report = load(path, limits=_limits(limit), ocr=ocr.value, progress=progress)
    images: list[Path] = []
    if debug_layout is not None:
        from juesuan.api import debug_layout as draw_layout

        images = draw_layout(path, debug_layout, overwrite=force)
    write_output(output, report_json(report), overwrite=force)
    for note in report.reader_notes:
        typer.echo(f"读取说明：{note}", err=True)
    if debug_layout is not None:
        typer.echo(f"已写出 {len(images)} 张版面图到 {debug_layout}")
    typer.echo(f"已写出 {output}")


@app.command("build", cls=_Command)
def build_cmd(
    source: Annotated[
        Path,
        typer.Argument(metavar="SOURCE", help="数据来源文件（TOML，见 docs/source-example.toml）"),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR", help="输出目录")] = Path(
        "决算公开"
    ),
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="校验有错误时仍然生成；输出目录中有其他文件时也写入，只替换 juesuan 写过的文件",
        ),
    ] = False,
    limit: Limit = None,
    debug: Debug = False,
) -> None:
    """由数据生成完整的决算公开材料：公开表（XLSX）、报告（DOCX、PDF、HTML）、图表和 JSON。

    生成前先校验表格；有错误时不生成（退出码 1），除非 --force。输出目录不存在时新建；
    已有的目录须为空，或只含 juesuan 上次生成且未经改动的文件，否则须 --force。
    """
    from juesuan.api import build

    result = build(source, output, force=force, overwrite=force, limits=_limits(limit))
    for line in result.lines():
        typer.echo(line)
    raise Exit(0 if result.built else 1)


@app.command("demo", cls=_Command)
def demo_cmd(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="示例输出目录")
    ] = Path("juesuan-demo"),
    force: Annotated[
        bool,
        typer.Option("--force", help="输出目录中有其他文件时也写入，只替换 juesuan 写过的文件"),
    ] = False,
    debug: Debug = False,
) -> None:
    """生成内置示例（焦作市劳动保障信息中心 2021 年度部门决算）的公开材料，并审核其原报告。"""
    from juesuan.api import demo

    for line in demo(output, overwrite=force):
        typer.echo(line)


@app.command("rules", cls=_Command)
def rules_cmd(
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.text,
    rules: Rules = None,
    debug: Debug = False,
) -> None:
    """列出全部校验规则（内置规则及附加规则文件中的规则）。"""
    from juesuan.api import rules as rules_in_force

    active = rules_in_force(rules or ())
    if fmt is Format.json:
        import json

        doc = [
            {
                "id": r.id,
                "kind": r.kind,
                "severity": r.severity.value,
                "message": r.message,
                "basis": r.basis,
                "origin": r.origin,
            }
            for r in active
        ]
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    for r in active:
        typer.echo(f"{r.id:<28} {r.severity.chinese}  {r.basis}")


@app.command("limits", cls=_Command)
def limits_cmd(debug: Debug = False) -> None:
    """列出输入限制及其默认值和理由（超出时报一行错误，退出码 2；用 --limit NAME=N 放宽）。"""
    from juesuan.limits import describe

    for name, default, reason in describe():
        shown = f"{default:,}" if isinstance(default, int) else f"{default:g}"
        typer.echo(f"{name:<15} {shown:>12}  {reason}")


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


corpus_app = typer.Typer(
    cls=_Group,
    help="批量审核：一个目录或清单中的全部报告，汇成一个数据集（Parquet、DuckDB、CSV/XLSX）。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("audit", cls=_Command)
def corpus_audit_cmd(
    source: Annotated[
        Path,
        typer.Argument(metavar="INPUT", help="报告目录（含子目录），或清单（CSV/TSV：path 列）"),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="OUTDIR", help="数据集目录")
    ] = Path("corpus-out"),
    workers: Annotated[
        int, typer.Option("--workers", metavar="N", help="本机进程数（默认为 CPU 核数）")
    ] = 0,
    scheduler: Annotated[
        str,
        typer.Option(
            "--scheduler",
            metavar="tcp://HOST:PORT",
            help="Dask 调度器地址（tcp://HOST:PORT），在集群上运行"
            "（各 worker 须能以同一路径读到报告）",
        ),
    ] = "",
    time_limit: Annotated[
        int, typer.Option("--time-limit", metavar="SECONDS", help="每份文档的时限（秒）")
    ] = 300,
    memory_limit: Annotated[
        int, typer.Option("--memory-limit", metavar="MB", help="每份文档的内存上限（MB）")
    ] = 4096,
    retry_errors: Annotated[
        bool, typer.Option("--retry-errors", help="重新处理上次未能处理的文档")
    ] = False,
    debug: Debug = False,
) -> None:
    """批量审核：逐份读取、校验并按类型审核（预算、绩效评价按其类型记录），写出数据集。

    再次运行时跳过已完成的文档（按内容哈希识别）。无法读取、超时或崩溃的文档各记一行并写明原因。
    """
    from juesuan.api import corpus_audit, corpus_progress

    try:
        with corpus_progress() as bar:
            summary = corpus_audit(
                source,
                output,
                workers=workers or None,
                scheduler=scheduler or None,
                time_limit=float(time_limit),
                memory_mb=memory_limit,
                retry_errors=retry_errors,
                progress=bar,
            )
    except (KeyboardInterrupt, Interrupted):
        typer.echo("juesuan: 已中断；已完成的文档已保存，再次运行即可继续", err=True)
        raise typer.Exit(130) from None
    for line in summary.lines():
        typer.echo(line)


@corpus_app.command("report", cls=_Command)
def corpus_report_cmd(
    outdir: Annotated[
        Path, typer.Argument(metavar="OUTDIR", help="juesuan corpus audit 写出的数据集目录")
    ],
    debug: Debug = False,
) -> None:
    """数据集的 HTML 汇总：按规则、严重程度、单位和年度的结果，三公经费与基本支出的变化，
    未能处理的文档，每份文档的公开完整性。"""
    from juesuan.api import corpus_report

    path = corpus_report(outdir)
    typer.echo(f"已写出 {path}")


@app.command("serve", cls=_Command)
def serve_cmd(
    host: Annotated[
        str, typer.Option("--host", metavar="HOST", help="监听地址；非本机地址须同时给出 --token")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="N", help="端口")] = 8000,
    data: Annotated[
        Path,
        typer.Option("--data", metavar="DIR", help="数据目录（上传的文件、审核记录、编制项目）"),
    ] = Path("juesuan-data"),
    token: Annotated[
        str | None,
        typer.Option(
            "--token", metavar="TOKEN", envvar="JUESUAN_TOKEN", help="访问令牌（至少 16 个字符）"
        ),
    ] = None,
    allowed_hosts: Annotated[
        str,
        typer.Option(
            "--allowed-hosts", metavar="HOSTS", help="其他计算机访问本机所用的主机名，逗号分隔"
        ),
    ] = "",
    workers: Annotated[int, typer.Option("--workers", metavar="N", help="审核用的工作进程数")] = 2,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", metavar="MB", help="单个上传文件的大小上限（MB）")
    ] = 100,
    max_pages: Annotated[int, typer.Option("--max-pages", metavar="N", help="PDF 页数上限")] = 1000,
    batch_root: Annotated[
        list[Path] | None,
        typer.Option(
            "--batch-root", metavar="DIR", help="允许批量审核其中子目录的服务器目录（可多次给出）"
        ),
    ] = None,
) -> None:
    """打开网页工作台：在浏览器中审核报告、编制公开材料、批量审核。"""
    try:
        from juesuan.web.server import serve
        from juesuan.web.settings import MIB, ServeSettings, SettingsError
    except ImportError as exc:
        typer.echo(
            f"juesuan: serve needs the web extra ({exc.name} is missing):"
            " pip install 'juesuan[web]'",
            err=True,
        )
        raise typer.Exit(2) from None
    try:
        settings = ServeSettings(
            data=data,
            host=host,
            port=port,
            token=token or None,
            allowed_hosts=tuple(h.strip() for h in allowed_hosts.split(",") if h.strip()),
            workers=workers,
            max_upload_bytes=max_upload_mb * MIB,
            max_pages=max_pages,
            batch_roots=tuple(batch_root or ()),
        ).check()
    except SettingsError as exc:
        typer.echo(f"juesuan: {exc}", err=True)
        raise typer.Exit(2) from None
    serve(settings)


def main() -> None:
    _stop_on_signal()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        app()
    except InputError as exc:  # pragma: no cover - commands handle their own
        typer.echo(f"juesuan: {exc.one_line()}", err=True)
        sys.exit(EXIT_INPUT)
    except (KeyboardInterrupt, Interrupted):  # between commands' own handling
        typer.echo("juesuan: interrupted", err=True)
        sys.exit(130)
