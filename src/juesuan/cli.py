"""Command line: ``juesuan check | audit | score | import | build | demo | rules``. Thin:
parse, call the API, print.

The machinery (errors, parameter conversion, the app and its shared options) is in
:mod:`juesuan.cli_base`; the batch commands (``corpus``, ``serve``) in :mod:`juesuan.cli_batch`.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli_base import (
    EXIT_INPUT,
    AuditFormat,
    Debug,
    Exit,
    Format,
    InputPath,
    Limit,
    Ocr,
    OcrOption,
    Rules,
    _Command,
    _limits,
    _PlainValue,
    _stop_on_signal,
    app,
)
from juesuan.errors import InputError, Interrupted

__all__ = ["_PlainValue", "app", "main"]


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


# the batch commands register themselves on the app (corpus, serve)
from juesuan import cli_batch  # noqa: E402, F401


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
