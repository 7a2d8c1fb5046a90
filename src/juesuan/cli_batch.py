"""Batch commands: ``juesuan corpus audit | report`` (many reports into one dataset) and
``juesuan serve`` (the web workbench). Thin, like every command: parse, call the API, print."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli_base import Debug, _Command, _Group, app
from juesuan.errors import Interrupted

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
