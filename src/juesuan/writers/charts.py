"""Charts 图1–图4 of the 情况说明 (seed 000): PNG for Word, SVG for HTML/PDF.

matplotlib is imported inside :func:`make_charts`; figures are made with the object API
(``matplotlib.figure.Figure``), not pyplot, so no global backend or figure registry is touched,
and the font settings live in an ``rc_context``. Output is deterministic: no dates in the SVG,
a fixed SVG hash salt, no software stamp in the PNG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.model.amount import Unit, in_wan, percent, to_yuan
from juesuan.model.disclosure import Disclosure, Figure
from juesuan.model.layout import INCOME, TableId
from juesuan.model.report import Report
from juesuan.writers.fonts import CHART_FONTS

TITLES = {
    "图1": "收、支决算总计变动情况",
    "图2": "收入决算结构",
    "图3": "支出决算结构",
    "图4": "财政拨款收、支决算总计变动情况",
}
_COLORS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E")

# Income sources of table 01 (the rows above 本年收入合计), in printed order.
INCOME_SOURCES = (
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
)
EXPENDITURE_KINDS = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")


@dataclass(frozen=True)
class ChartData:
    """What a chart shows, in 万元 with two decimals."""

    id: str
    title: str
    kind: str  # "bars" | "pie"
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal | None, ...]], ...]
    # the same figures in 元 (unrounded), for the shares of a pie
    exact: tuple[Decimal | None, ...] = ()


def to_wan(value: Decimal | None, unit: Unit | None) -> Decimal | None:
    return None if value is None else in_wan(to_yuan(value, unit), 2)


def _yuan(value: Decimal | None, unit: Unit | None) -> Decimal | None:
    return None if value is None else to_yuan(value, unit)


def _value(report: Report, table_id: TableId, row: str, column: str) -> Decimal | None:
    table = report.table(table_id)
    r = table.row(row)
    return to_wan(r.value(column) if r else None, table.unit)


def chart_data(disclosure: Disclosure) -> tuple[ChartData, ...]:
    report = disclosure.report
    year = f"{report.year}年" if report.year else "本年"
    prior = disclosure.prior

    def bars(fig_id: str, rows: Sequence[tuple[str, str, str, str]]) -> ChartData:
        """rows: (category, table-row key, column, prior-year key)."""
        tid = TableId.T01 if fig_id == "图1" else TableId.T04
        this = tuple(_value(report, tid, key, col) for _, key, col, _ in rows)
        series: list[tuple[str, tuple[Decimal | None, ...]]] = []
        if prior is not None:
            before = tuple(to_wan(prior.totals.get(p), Unit.YUAN) for *_, p in rows)
            series.append((f"{prior.year}年", before))
        series.append((year, this))
        return ChartData(fig_id, TITLES[fig_id], "bars", tuple(c for c, *_ in rows), tuple(series))

    fig1 = bars(
        "图1",
        [
            ("收入总计", "收入总计", "决算数", "收入总计"),
            ("支出总计", "支出总计", "决算数", "支出总计"),
        ],
    )
    fig4 = bars(
        "图4",
        [
            ("财政拨款收入总计", "收入总计", "决算数", "财政拨款收入总计"),
            ("财政拨款支出总计", "支出总计", "合计", "财政拨款支出总计"),
        ],
    )
    t01 = report.table(TableId.T01)
    income_exact = tuple(
        _yuan(r.value("决算数"), t01.unit)
        if (r := t01.row(key)) is not None and r.side == INCOME
        else None
        for key in INCOME_SOURCES
    )
    income_values = tuple(to_wan(v, Unit.YUAN) for v in income_exact)
    fig2 = ChartData(
        "图2", TITLES["图2"], "pie", INCOME_SOURCES, ((year, income_values),), income_exact
    )
    t03 = report.table(TableId.T03)
    total = t03.row(t03.spec.total_row or "合计")
    spend_exact = tuple(
        _yuan(total.value(k) if total else None, t03.unit) for k in EXPENDITURE_KINDS
    )
    spend = tuple(to_wan(v, Unit.YUAN) for v in spend_exact)
    fig3 = ChartData("图3", TITLES["图3"], "pie", EXPENDITURE_KINDS, ((year, spend),), spend_exact)
    return (fig1, fig2, fig3, fig4)


def make_charts(disclosure: Disclosure, outdir: Path) -> tuple[Figure, ...]:
    """Draw 图1–图4 into ``outdir`` (figN.png and figN.svg); return them in order."""
    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out: list[Figure] = []
    with matplotlib.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*CHART_FONTS, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.hashsalt": "juesuan",
            "svg.fonttype": "path",
            "font.size": 10,
        }
    ):
        for n, data in enumerate(chart_data(disclosure), start=1):
            fig = MplFigure(figsize=(6.4, 3.8), dpi=100, layout="constrained")
            if data.kind == "bars":
                _draw_bars(fig, data)
            else:
                _draw_pie(fig, data)
            png = outdir / f"fig{n}.png"
            svg = outdir / f"fig{n}.svg"
            fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
            out.append(Figure(data.id, data.title, png, svg))
    return tuple(out)


def _fmt(value: Decimal) -> str:
    return f"{value:,.2f}"


def _draw_bars(fig: Any, data: ChartData) -> None:
    ax = fig.add_subplot()
    n_series = len(data.series)
    width = 0.8 / max(n_series, 1)
    positions = range(len(data.categories))
    top = Decimal(0)
    for s, (name, values) in enumerate(data.series):
        xs = [p - 0.4 + width * (s + 0.5) for p in positions]
        heights = [float(v or 0) for v in values]
        bars = ax.bar(xs, heights, width * 0.9, label=name, color=_COLORS[s % len(_COLORS)])
        labels = [_fmt(v) if v is not None else "—" for v in values]
        ax.bar_label(bars, labels=labels, padding=2, fontsize=9)
        top = max([top, *(v for v in values if v is not None)])
    ax.set_xticks(list(positions), list(data.categories))
    ax.set_ylabel("万元")
    ax.set_ylim(0, float(top) * 1.18 if top > 0 else 1)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", frameon=False, ncols=n_series)
    ax.set_title(data.title, fontsize=12)


def _draw_pie(fig: Any, data: ChartData) -> None:
    ax = fig.add_subplot()
    _, values = data.series[0]
    exact = data.exact or values
    items = [
        (c, v, e)
        for c, v, e in zip(data.categories, values, exact, strict=True)
        if v is not None and v > 0 and e is not None
    ]
    total = sum((e for *_, e in items), Decimal(0))
    ax.set_title(data.title, fontsize=12)
    if not items or total <= 0:
        ax.text(0.5, 0.5, "本年无数据", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    # shares from the unrounded figures, as the narrative computes them
    shares = [percent(e / total, 2) for *_, e in items]
    wedges, _ = ax.pie(
        [float(e) for *_, e in items],
        colors=[_COLORS[i % len(_COLORS)] for i in range(len(items))],
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
    )
    ax.axis("equal")
    labels = [f"{c} {_fmt(v)}万元（{p:.2f}%）" for (c, v, _), p in zip(items, shares, strict=True)]
    ax.legend(wedges, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
