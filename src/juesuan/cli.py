"""Command line: ``juesuan check | import | demo | rules``. Thin: parse, call the API, print.

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

import re
import sys
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import typer
from typer._click import Context, Parameter
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path
from typer.core import TyperCommand, TyperGroup, _TyperParameter

from juesuan.errors import InputError


class Format(StrEnum):
    text = "text"
    json = "json"


class AuditFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


def _is_enum(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def _is_path(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, Path)


def _plain(annotation: Any) -> bool:
    """Whether :class:`_PlainValue` converts values of this (Optional-stripped) annotation."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return _is_path(item) or _is_enum(item)
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
    """A typer command whose parameters (its ``--help`` too) convert values without pydantic."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _without_pydantic(super().get_params(ctx))


class _Group(TyperGroup):
    """The command group, for its own ``--help``."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _without_pydantic(super().get_params(ctx))


app = typer.Typer(
    cls=_Group,
    help="juesuan：部门决算公开的生成、导入、校验与审核工具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _fail(exc: InputError) -> None:
    typer.echo(f"juesuan: {exc.one_line()}", err=True)
    raise typer.Exit(2)


@app.command("check", cls=_Command)
def check_cmd(
    path: Annotated[Path, typer.Argument(help="报告文件（文本、JSON）")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.text,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="附加规则文件（TOML）")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="文本输出中不列提示")] = False,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="出错说明文件（juesuan baseline 生成）")
    ] = None,
) -> None:
    """校验一份部门决算：表内、表间勾稽关系与科目编码。

    无错误时退出码为 0，有错误为 1，无法读取为 2。
    """
    from juesuan.api import check, explain_with, format_text

    try:
        result = check(path, rule_files=rules or ())
        if baseline is not None:
            result = explain_with(result, baseline)
    except InputError as exc:
        _fail(exc)
        return
    if fmt is Format.json:
        import json

        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        typer.echo(format_text(result, show_notices=not quiet), nl=False)
    raise typer.Exit(1 if result.has_errors else 0)


@app.command("audit", cls=_Command)
def audit_cmd(
    path: Annotated[Path, typer.Argument(help="报告文件")],
    prior: Annotated[
        Path | None,
        typer.Option(
            "--prior",
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
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f", help="输出格式")] = AuditFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件")] = None,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="附加规则文件（TOML）")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="文本输出中不列提示和未核实")
    ] = False,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="出错说明文件（juesuan baseline 生成）")
    ] = None,
) -> None:
    """审核一份部门决算：表格校验，加上情况说明中每个数字与表格、与上下文及与上年报告的核对。"""
    from juesuan.api import audit, explain_with, format_html, format_text, write_output

    try:
        result = audit(path, prior=prior, prior_any=prior_any, rule_files=rules or ())
        if baseline is not None:
            result = explain_with(result, baseline)
    except InputError as exc:
        _fail(exc)
        return
    if fmt is AuditFormat.json:
        import json

        text = json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n"
    elif fmt is AuditFormat.html:
        text = format_html(result)
    else:
        text = format_text(result, show_notices=not quiet)
    if output is not None:
        write_output(output, text)
        typer.echo(f"已写出 {output}")
    else:
        typer.echo(text, nl=False)
    raise typer.Exit(1 if result.has_errors else 0)


@app.command("baseline", cls=_Command)
def baseline_cmd(
    path: Annotated[Path, typer.Argument(help="报告文件")],
    output: Annotated[Path, typer.Option("--output", "-o", help="出错说明文件（TOML）")] = Path(
        "出错说明.toml"
    ),
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的说明文件")] = False,
) -> None:
    """生成出错说明文件：列出本次审核的每条结果，留空原因待单位填写（用于 audit --baseline）。"""
    from juesuan.api import audit, baseline, write_output

    if output.exists() and not force:
        typer.echo(
            f"juesuan: {output}: already exists (its reasons would be lost); use --force", err=True
        )
        raise typer.Exit(2)
    try:
        result = audit(path)
    except InputError as exc:
        _fail(exc)
        return
    write_output(output, baseline(result))
    n = sum(1 for f in result.findings if f.severity.value != "info")
    typer.echo(f"已写出 {output}（{n} 条结果，请逐条填写 reason）")


@app.command("annotate", cls=_Command)
def annotate_cmd(
    path: Annotated[Path, typer.Argument(help="报告 PDF")],
    output: Annotated[Path, typer.Option("--output", "-o", help="标注后的 PDF")] = Path(
        "marked.pdf"
    ),
    narrative: Annotated[bool, typer.Option(help="同时标注情况说明的核对结果")] = True,
) -> None:
    """在原 PDF 上框出每条结果所在的单元格（错误红、警告橙、提示蓝），并附结果汇总页。"""
    from juesuan.api import annotate

    try:
        result = annotate(path, output, narrative=narrative)
    except InputError as exc:
        _fail(exc)
        return
    typer.echo(f"已写出 {output}（{len(result.findings)} 条结果）")
    raise typer.Exit(1 if result.has_errors else 0)


@app.command("import", cls=_Command)
def import_cmd(
    path: Annotated[Path, typer.Argument(help="报告文件")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出的 JSON 文件")] = Path(
        "report.json"
    ),
    debug_layout: Annotated[
        Path | None,
        typer.Option(
            "--debug-layout",
            help="把 PDF 每页识别出的线段、表格线、单元格和列画成 PNG，写入此目录",
        ),
    ] = None,
) -> None:
    """读取一份报告，写出 juesuan 的 JSON 格式。"""
    from juesuan.api import load, report_json, write_output

    try:
        report = load(path)
        if debug_layout is not None:
            from juesuan.api import debug_layout as draw_layout

            images = draw_layout(path, debug_layout)
    except InputError as exc:
        _fail(exc)
        return
    write_output(output, report_json(report))
    for note in report.reader_notes:
        typer.echo(f"读取说明：{note}", err=True)
    if debug_layout is not None:
        typer.echo(f"已写出 {len(images)} 张版面图到 {debug_layout}")
    typer.echo(f"已写出 {output}")


@app.command("build", cls=_Command)
def build_cmd(
    source: Annotated[
        Path, typer.Argument(help="数据来源文件（TOML，见 docs/source-example.toml）")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出目录")] = Path("决算公开"),
    force: Annotated[bool, typer.Option("--force", help="校验有错误时仍然生成")] = False,
) -> None:
    """由数据生成完整的决算公开材料：公开表（XLSX）、报告（DOCX、PDF、HTML）、图表和 JSON。

    生成前先校验表格；有错误时不生成（退出码 1），除非 --force。
    """
    from juesuan.api import build

    try:
        result = build(source, output, force=force)
    except InputError as exc:
        _fail(exc)
        return
    for line in result.lines():
        typer.echo(line)
    raise typer.Exit(0 if result.built else 1)


@app.command("demo", cls=_Command)
def demo_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="示例输出目录")] = Path(
        "juesuan-demo"
    ),
) -> None:
    """生成内置示例（焦作市劳动保障信息中心 2021 年度部门决算）的公开材料，并审核其原报告。"""
    from juesuan.api import demo

    try:
        lines = demo(output)
    except InputError as exc:
        _fail(exc)
        return
    for line in lines:
        typer.echo(line)


@app.command("rules", cls=_Command)
def rules_cmd(
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="附加规则文件（TOML）")
    ] = None,
) -> None:
    """列出全部校验规则（内置规则及附加规则文件中的规则）。"""
    from juesuan.api import rules as rules_in_force

    try:
        active = rules_in_force(rules or ())
    except InputError as exc:
        _fail(exc)
        return
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


@app.command("serve", cls=_Command)
def serve_cmd(
    host: Annotated[
        str, typer.Option("--host", help="监听地址；非本机地址须同时给出 --token")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    data: Annotated[
        Path, typer.Option("--data", help="数据目录（上传的文件、审核记录、编制项目）")
    ] = Path("juesuan-data"),
    token: Annotated[
        str | None,
        typer.Option("--token", envvar="JUESUAN_TOKEN", help="访问令牌（至少 16 个字符）"),
    ] = None,
    allowed_hosts: Annotated[
        str, typer.Option("--allowed-hosts", help="其他计算机访问本机所用的主机名，逗号分隔")
    ] = "",
    workers: Annotated[int, typer.Option("--workers", help="审核用的工作进程数")] = 2,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", help="单个上传文件的大小上限（MB）")
    ] = 100,
    max_pages: Annotated[int, typer.Option("--max-pages", help="PDF 页数上限")] = 1000,
    batch_root: Annotated[
        list[Path] | None,
        typer.Option("--batch-root", help="允许批量审核其中子目录的服务器目录（可多次给出）"),
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
    try:
        app()
    except InputError as exc:  # pragma: no cover - commands handle their own
        typer.echo(f"juesuan: {exc.one_line()}", err=True)
        sys.exit(2)
