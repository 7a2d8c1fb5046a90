"""``juesuan demo``: build the embedded example's disclosure package and audit the published
original it comes from, then say where everything is."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from juesuan.api import audit
from juesuan.rules.finding import Severity
from juesuan.writers.findings_html import render_audit_html
from juesuan.writers.findings_text import render_text

EXAMPLE = "jiaozuo-2021.txt"
SOURCE = "jiaozuo-2021.toml"


def example_text() -> bytes:
    return (resources.files("juesuan.examples") / EXAMPLE).read_bytes()


def run_demo(output: Path, *, overwrite: bool = False) -> list[str]:
    """Build ``output`` with the audit of the published original beside the package, all in
    one step (see :mod:`juesuan.folders`: an existing folder with other files is refused
    unless ``overwrite``)."""
    from juesuan.compose import build

    output = output.resolve()
    with resources.as_file(resources.files("juesuan.examples")) as examples:
        original = audit(examples / EXAMPLE)

        def add_audit(staging: Path) -> None:
            (staging / "原报告-2021-焦作市劳动保障信息中心.txt").write_bytes(example_text())
            (staging / "原报告审核.html").write_text(render_audit_html(original), "utf-8")
            (staging / "原报告审核.txt").write_text(render_text(original), "utf-8")
            doc = json.dumps(original.to_json(), ensure_ascii=False, indent=1) + "\n"
            (staging / "原报告审核.json").write_text(doc, "utf-8")

        result = build(examples / SOURCE, output, overwrite=overwrite, extra=add_audit)
    lines = result.lines()
    if not result.built:
        return lines
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
