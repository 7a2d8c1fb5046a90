"""``juesuan corpus report OUTDIR``: the dataset summed up as one HTML page with charts.

Read from ``corpus.duckdb`` (nothing is recomputed from the documents): findings by rule and
severity, by year; the units with most errors, each linked to the audit page of each of its
documents; 三公经费 and 基本支出 over the years; the documents that could not be processed and
why; the disclosure completeness of each 决算 (``data/completeness.toml``); and the questions of
``data/queries.sql`` with their answers. Charts are SVG drawn with matplotlib's object API in
Chinese fonts (:mod:`juesuan.writers.fonts`); the page and its charts are written whole into
``OUTDIR/report/``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.writers.fonts import CHART_FONTS

_SEVERITIES = ("error", "warning", "notice", "info")
_SEVERITY_NAMES = {"error": "错误", "warning": "警告", "notice": "提示", "info": "信息"}
_COLORS = {"error": "#C00000", "warning": "#ED7D31", "notice": "#4472C4", "info": "#A5A5A5"}
TOP_RULES = 25
TOP_UNITS = 20


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    sql: str


@cache
def queries() -> tuple[Query, ...]:
    """The named questions of ``data/queries.sql`` (``-- name:``, ``-- title:``, the SQL)."""
    text = (resources.files("juesuan.corpus") / "data" / "queries.sql").read_text("utf-8")
    out: list[Query] = []
    for block in re.split(r"^-- name: ", text, flags=re.M)[1:]:
        name, rest = block.split("\n", 1)
        title_match = re.match(r"-- title: (.*)\n", rest)
        if title_match is None:
            raise ValueError(f"queries.sql: {name} has no -- title: line")
        sql = rest[title_match.end() :].strip()
        out.append(Query(name.strip(), title_match.group(1).strip(), sql))
    return tuple(out)


@dataclass(frozen=True)
class Answer:
    query: Query
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def answer(con: Any, query: Query) -> Answer:
    result = con.execute(query.sql)
    columns = tuple(d[0] for d in result.description)
    return Answer(query, columns, tuple(tuple(r) for r in result.fetchall()))


# --- what the page shows ---------------------------------------------------------------------


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    result = con.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _collect(con: Any, outdir: Path) -> dict[str, Any]:
    def link(sha: str) -> str | None:
        page = outdir / "pages" / f"{sha}.html"
        return f"../pages/{sha}.html" if page.is_file() else None

    docs = _rows(con, "SELECT * FROM documents ORDER BY path")
    for d in docs:
        d["link"] = link(d["sha256"])
    by_status = _rows(
        con,
        "SELECT coalesce(kind, '（未能读取）') AS kind, status, count(*) AS n FROM documents "
        "GROUP BY ALL ORDER BY n DESC",
    )
    units = _rows(
        con,
        "SELECT coalesce(region, '') AS region, unit, unit_key, sum(errors) AS errors, "
        "sum(warnings) AS warnings, count(*) AS documents, "
        "string_agg(CAST(year AS VARCHAR), '、' ORDER BY year) AS years "
        "FROM documents WHERE status = 'audited' GROUP BY ALL "
        f"ORDER BY errors DESC, warnings DESC, unit LIMIT {TOP_UNITS}",
    )
    per_unit: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    for d in docs:
        if d.get("status") == "audited":
            per_unit.setdefault((d.get("region") or "", d.get("unit_key")), []).append(d)
    for u in units:
        u["documents_list"] = sorted(
            per_unit.get((u["region"], u["unit_key"]), []), key=lambda d: d.get("year") or 0
        )
    completeness = _rows(
        con,
        "SELECT d.sha256, d.path, d.unit, d.year, d.completeness, "
        "string_agg(c.item, '；' ORDER BY c.item_id) FILTER (WHERE NOT c.present) AS missing "
        "FROM documents d LEFT JOIN completeness c USING (sha256) "
        "WHERE d.status = 'audited' GROUP BY ALL ORDER BY d.completeness, d.path",
    )
    for c in completeness:
        c["link"] = link(c["sha256"])
    return {
        "documents": docs,
        "by_status": by_status,
        "units": units,
        "failed": [d for d in docs if d.get("status") == "error"],
        "completeness": completeness,
        "answers": [answer(con, q) for q in queries()],
        "totals": _rows(
            con,
            "SELECT count(*) AS documents, count(*) FILTER (WHERE status = 'audited') AS audited,"
            " count(*) FILTER (WHERE status = 'error') AS failed,"
            " count(*) FILTER (WHERE prior_sha256 IS NOT NULL) AS paired FROM documents",
        )[0],
    }


# --- charts ----------------------------------------------------------------------------------


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(fig: Any, path: Path) -> str:
    fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
    return path.name


def _by_rule_chart(con: Any, folder: Path) -> str | None:
    rows = con.execute(
        "SELECT rule_id, severity, count(*) FROM findings WHERE severity <> 'info' "
        "GROUP BY ALL"
    ).fetchall()
    if not rows:
        return None
    totals: dict[str, int] = {}
    for rule, _, n in rows:
        totals[rule] = totals.get(rule, 0) + n
    rules = sorted(totals, key=lambda r: (-totals[r], r))[:TOP_RULES][::-1]
    fig = _figure(7.5, max(2.5, 0.28 * len(rules) + 1))
    ax = fig.add_subplot()
    left = [0] * len(rules)
    for severity in _SEVERITIES[:3]:
        counts = {r: n for r, s, n in rows if s == severity}
        values = [counts.get(r, 0) for r in rules]
        ax.barh(rules, values, left=left, color=_COLORS[severity], label=_SEVERITY_NAMES[severity])
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_title(f"结果按规则与严重程度（前 {len(rules)} 条规则）")
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, folder / "by_rule.svg")


def _by_year_chart(con: Any, folder: Path) -> str | None:
    rows = con.execute(
        "SELECT d.year, f.severity, count(*) FROM findings f JOIN documents d USING (sha256) "
        "WHERE f.severity <> 'info' AND d.year IS NOT NULL GROUP BY ALL"
    ).fetchall()
    if not rows:
        return None
    years = sorted({y for y, _, _ in rows})
    fig = _figure(7.5, 3.2)
    ax = fig.add_subplot()
    bottom = [0] * len(years)
    labels = [str(y) for y in years]
    for severity in _SEVERITIES[:3]:
        counts = {y: n for y, s, n in rows if s == severity}
        values = [counts.get(y, 0) for y in years]
        ax.bar(
            labels, values, bottom=bottom, color=_COLORS[severity], label=_SEVERITY_NAMES[severity]
        )
        bottom = [a + b for a, b in zip(bottom, values, strict=True)]
    ax.set_title("结果按年度与严重程度")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, folder / "by_year.svg")


def _over_time_chart(answers: list[Answer], folder: Path) -> str | None:
    series = []
    for name, column, label in (
        ("sangong_by_year", "sangong_wan", "三公经费"),
        ("basic_by_year", "basic_wan", "基本支出"),
    ):
        a = next((x for x in answers if x.query.name == name), None)
        if a is None or not a.rows:
            continue
        year_i, value_i = a.columns.index("year"), a.columns.index(column)
        points = [(r[year_i], r[value_i]) for r in a.rows if r[year_i] is not None]
        if points:
            series.append((label, points))
    if not series:
        return None
    fig = _figure(7.5, 3.2)
    axes = fig.subplots(1, len(series), squeeze=False)[0]
    for ax, (label, points) in zip(axes, series, strict=True):
        ax.bar(
            [str(y) for y, _ in points],
            [float(v or Decimal(0)) for _, v in points],
            color="#4472C4",
        )
        ax.set_title(f"{label}（万元，各文档合计）")
        ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, folder / "over_time.svg")


def _completeness_chart(rows: list[dict[str, Any]], folder: Path) -> str | None:
    scores = [float(r["completeness"]) for r in rows if r.get("completeness") is not None]
    if not scores:
        return None
    fig = _figure(7.5, 2.8)
    ax = fig.add_subplot()
    ax.hist(scores, bins=[i / 10 for i in range(11)], color="#70AD47", edgecolor="white")
    ax.set_title("公开完整性得分分布（财预〔2016〕143号要求项中具备的比例）")
    ax.set_xlabel("得分")
    ax.set_ylabel("文档数")
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, folder / "completeness.svg")


# --- the page --------------------------------------------------------------------------------


def write_report(outdir: Path) -> Path:
    """Write ``outdir/report/index.html`` and its charts from ``outdir/corpus.duckdb``."""
    database = outdir / "corpus.duckdb"
    if not database.is_file():
        raise InputError(outdir, "no corpus.duckdb here: run `juesuan corpus audit` first")
    try:
        import duckdb
    except ImportError:
        raise InputError(None, "the corpus report needs juesuan[corpus]; run `make`") from None
    import jinja2
    import matplotlib

    con = duckdb.connect(str(database), read_only=True)
    try:
        data = _collect(con, outdir)
        staging = Path(tempfile.mkdtemp(prefix=".report.", dir=outdir))
        staging.chmod(0o755)  # a folder to publish, not a private temporary one
        try:
            with matplotlib.rc_context(
                {
                    "font.family": "sans-serif",
                    "font.sans-serif": [*CHART_FONTS, "DejaVu Sans"],
                    "axes.unicode_minus": False,
                    "svg.hashsalt": "juesuan",
                    "svg.fonttype": "path",
                    "font.size": 9,
                }
            ):
                charts = {
                    "by_rule": _by_rule_chart(con, staging),
                    "by_year": _by_year_chart(con, staging),
                    "over_time": _over_time_chart(data["answers"], staging),
                    "completeness": _completeness_chart(data["completeness"], staging),
                }
            template = (resources.files("juesuan.corpus") / "templates" / "report.html.j2")
            env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
            env.filters["severity"] = lambda s: _SEVERITY_NAMES.get(s, s)
            html = env.from_string(template.read_text("utf-8")).render(charts=charts, **data)
            (staging / "index.html").write_text(html, encoding="utf-8")
            _replace_report(staging, outdir / "report")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    finally:
        con.close()
    return outdir / "report" / "index.html"


def _replace_report(staging: Path, target: Path) -> None:
    """Move the fully written report folder into place; the previous report (juesuan's own,
    inside the dataset folder) is removed only once the new one is there."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
