"""``juesuan demo``: write the embedded example, import it, check it, say where things are."""

from __future__ import annotations

import json
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from juesuan.api import check
from juesuan.fileio import replace_dir_atomic
from juesuan.model.serialize import dumps
from juesuan.render import render_text
from juesuan.rules.finding import Severity

EXAMPLE = "jiaozuo-2021.txt"


def example_text() -> bytes:
    return (resources.files("juesuan.examples") / EXAMPLE).read_bytes()


def run_demo(output: Path) -> list[str]:
    """Build the demo folder in a staging directory and move it into place when complete."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        source = staging / "决算公开-2021-焦作市劳动保障信息中心.txt"
        source.write_bytes(example_text())
        result = check(source)
        (staging / "report.json").write_text(dumps(result.report), encoding="utf-8")
        (staging / "findings.json").write_text(
            json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        text = render_text(result)
        (staging / "check.txt").write_text(text, encoding="utf-8")
        replace_dir_atomic(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    c = result.counts
    return [
        text.rstrip("\n"),
        "",
        f"示例已写入 {output}/",
        f"  原文：{output / source.name}",
        f"  模型（JSON）：{output / 'report.json'}",
        f"  校验结果：{output / 'check.txt'}（文本），{output / 'findings.json'}（JSON）",
        f"共 {len(result.findings)} 条结果：错误 {c[Severity.ERROR]} 条，"
        f"警告 {c[Severity.WARNING]} 条，"
        f"提示 {c[Severity.NOTICE]} 条。",
    ]
