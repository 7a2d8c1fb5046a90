"""``juesuan demo``: build the embedded example's disclosure package and audit the published
original it comes from, then say where everything is."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from juesuan.api import audit
from juesuan.fileio import write_atomic
from juesuan.rules.finding import Severity
from juesuan.writers.findings_html import render_audit_html
from juesuan.writers.findings_text import render_text

EXAMPLE = "jiaozuo-2021.txt"
SOURCE = "jiaozuo-2021.toml"


def example_text() -> bytes:
    return (resources.files("juesuan.examples") / EXAMPLE).read_bytes()


def run_demo(output: Path) -> list[str]:
    """Build ``output`` (atomically replaced), then add the audit of the published original."""
    from juesuan.compose import build

    output = output.resolve()
    with resources.as_file(resources.files("juesuan.examples")) as examples:
        result = build(examples / SOURCE, output)
        original = audit(examples / EXAMPLE)
    lines = result.lines()
    if not result.built:
        return lines
    write_atomic(output / "原报告-2021-焦作市劳动保障信息中心.txt", example_text())
    write_atomic(output / "原报告审核.html", render_audit_html(original))
    write_atomic(output / "原报告审核.txt", render_text(original))
    write_atomic(
        output / "原报告审核.json",
        json.dumps(original.to_json(), ensure_ascii=False, indent=1) + "\n",
    )
    c = original.counts
    errors = [f for f in original.findings if f.severity is Severity.ERROR]
    lines += [
        "",
        "对照：审核该单位实际公开的原报告（情况说明与表格逐项核对）",
        f"  错误 {c[Severity.ERROR]} 条，警告 {c[Severity.WARNING]} 条，"
        f"提示 {c[Severity.NOTICE]} 条，未核实 {c[Severity.INFO]} 条，例如：",
        *(f"  [{f.rule_id}] {f.message[:90]}…" for f in errors[:4]),
        f"  审核结果：{output / '原报告审核.html'}（浏览器打开）、{output / '原报告审核.txt'}",
    ]
    return lines
