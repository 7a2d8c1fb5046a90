"""index.html: the whole report from one Jinja2 template (templates/report.html.j2), the same
HTML that WeasyPrint prints to 决算公开.pdf (the @page rules are ignored by browsers)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from juesuan.model.disclosure import Disclosure, Figure
from juesuan.model.report import NarrativeSection
from juesuan.writers import printed_tables
from juesuan.writers.evaluation_tables import printed_forms
from juesuan.writers.fonts import TEMPLATES

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 21 → 二十一 (section and list numbering up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


# Which 情况说明 section each chart follows (seed 000): by the section's title words.
_FIGURE_PLACES = (
    ("图4", ("财政拨款收入支出决算总体", "财政拨款收支决算总体")),
    ("图1", ("收入支出决算总体", "收支决算总体")),
    ("图2", ("收入决算情况",)),
    ("图3", ("支出决算情况",)),
)


def place_figures(
    sections: Sequence[NarrativeSection], figures: Sequence[Figure]
) -> tuple[dict[int, list[Figure]], list[Figure]]:
    """(figures after section i, figures no section matched). Each figure is placed once."""
    by_id = {f.id: f for f in figures}
    after: dict[int, list[Figure]] = {}
    placed: set[str] = set()
    for i, s in enumerate(sections):
        title = "".join(s.title.split())
        for fig_id, words in _FIGURE_PLACES:
            if fig_id in by_id and fig_id not in placed and any(w in title for w in words):
                if fig_id in ("图2", "图3") and "财政拨款" in title:
                    continue
                after.setdefault(i, []).append(by_id[fig_id])
                placed.add(fig_id)
                break
    return after, [f for f in figures if f.id not in placed]


def render_html(disclosure: Disclosure, figures: Sequence[Figure], base: Path) -> str:
    """The report as one HTML string; figure paths are made relative to ``base`` (the folder
    index.html is written to)."""
    import jinja2
    from markupsafe import Markup, escape

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    template = env.get_template("report.html.j2")
    report = disclosure.report
    after, left = place_figures(disclosure.explanations, figures)
    markers = tuple(m for m in disclosure.missing_reasons if m)

    def figure(f: Figure) -> Markup:
        src = f.svg if f.svg is not None else f.path
        try:
            rel = Path(src).resolve().relative_to(Path(base).resolve()).as_posix()
        except ValueError:
            rel = Path(src).resolve().as_uri()
        caption = f"{f.id}：{f.title}"
        return Markup(
            f'<figure class="chart" id="{escape(f.id)}"><img src="{escape(rel)}" '
            f'alt="{escape(caption)}"><figcaption>{escape(caption)}</figcaption></figure>'
        )

    return template.render(
        title=disclosure.title,
        unit_name=report.unit_name or "",
        year=report.year or "",
        css=Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        tables=printed_tables(report),
        forms=printed_forms(report),
        overview=disclosure.overview,
        explanations=disclosure.explanations,
        glossary=disclosure.glossary,
        figures_after=after,
        figures_left=left,
        figure=figure,
        cn=chinese_number,
        paragraphs=paragraphs,
        marked=lambda p: any(m in p for m in markers),
    )


def write_html(disclosure: Disclosure, path: Path, figures: Sequence[Figure]) -> str:
    """Write index.html; return the HTML (for the PDF)."""
    path = Path(path)
    html = render_html(disclosure, figures, path.parent)
    path.write_text(html, encoding="utf-8")
    return html
