"""Explained findings (the official software's 出错说明): a unit records, per finding, why it
stands (功能分类与经济分类口径不同 …); those findings are shown as explained, with the reason,
and no longer count as errors.

The file is TOML, one ``[[explained]]`` table per finding::

    [[explained]]
    rule = "X13.medical"
    where = "公开05表“21011 行政事业单位医疗”行“基本支出”列"
    key = "X13.medical|05|21011|基本支出||"
    reason = "医疗缴费含单位代扣的个人部分，功能分类与经济分类口径不同"

A finding is matched by ``key`` (its rule and location, never its wording or amounts, so an
explanation survives a rerun and a changed message); an empty ``reason`` explains nothing.
Pure: parsing text and matching values, no I/O.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from juesuan.rules.finding import Finding, Severity

_WS = re.compile(r"\s+")


def finding_key(f: Finding) -> str:
    """The stable identity of a finding: rule, table, row, column, section and the sentence."""
    loc = f.location
    quote = _WS.sub("", unicodedata.normalize("NFKC", loc.quote or ""))[:60]
    return "|".join(
        (f.rule_id, loc.table or "", loc.row or "", loc.column or "", loc.section or "", quote)
    )


@dataclass(frozen=True)
class Explanation:
    key: str
    rule: str
    reason: str


def parse_baseline(text: str) -> list[Explanation]:
    """Raises ValueError with a readable reason on a malformed file."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"not a valid TOML baseline: {exc}") from None
    items = doc.get("explained", [])
    if not isinstance(items, list):
        raise ValueError("'explained' must be an array of tables ([[explained]])")
    out = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, Mapping) or not isinstance(item.get("key"), str):
            raise ValueError(f"explained #{i}: needs a 'key' (as `juesuan baseline` writes it)")
        reason = item.get("reason", "")
        if not isinstance(reason, str):
            raise ValueError(f"explained #{i}: 'reason' must be text")
        out.append(Explanation(item["key"], str(item.get("rule", "")), reason.strip()))
    return out


def explain(findings: Iterable[Finding], explanations: Iterable[Explanation]) -> list[Finding]:
    """The findings, each one a non-empty reason covers marked with it."""
    reasons = {e.key: e.reason for e in explanations if e.reason}
    return [
        replace(f, explanation=reasons[k]) if (k := finding_key(f)) in reasons else f
        for f in findings
    ]


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def baseline_text(findings: Iterable[Finding], *, source: str = "") -> str:
    """A baseline file listing every finding worth explaining (errors, warnings, notices),
    each with its reason: the one it is explained with, else empty for the unit to fill in."""
    out = [
        "# juesuan 出错说明（审核基线）：为每条可解释的结果填写原因（reason）；",
        "# 填写了原因的结果在 juesuan audit --baseline 中显示为“已说明”，不再计为错误。",
    ]
    if source:
        out.append(f"# 报告：{source}")
    seen: set[str] = set()
    for f in findings:
        if f.severity is Severity.INFO:
            continue
        key = finding_key(f)
        if key in seen:
            continue
        seen.add(key)
        out += [
            "",
            "[[explained]]",
            f"rule = {_toml_string(f.rule_id)}",
            f"severity = {_toml_string(f.severity.value)}",
            f"where = {_toml_string(f.location.describe())}",
            f"finding = {_toml_string(f.message[:200])}",
            f"key = {_toml_string(key)}",
            f"reason = {_toml_string(f.explanation or '')}",
        ]
    return "\n".join(out) + "\n"
