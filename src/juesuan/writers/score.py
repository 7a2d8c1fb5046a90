"""``juesuan score``: the recomputed 绩效自评 beside the stated one, as text, HTML or JSON.

For each form: its 预算数 / 执行数, every score as stated and as the method gives it (with the
arithmetic), the 总分 as printed, as the stated scores add up and as recomputed, the grade, and
the formulas its header prints; then every rate the text states recomputed from its own
figures, and the findings of the 绩效 rules."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from juesuan.evaluation.checks import formula_columns
from juesuan.evaluation.model import EvaluationForm, FormKind, Statement, StatementKind
from juesuan.evaluation.scoring import FormScore, Scored, fmt
from juesuan.evaluation.text_checks import StatedRate, stated_rates, target_pairs
from juesuan.model.amount import format_amount
from juesuan.model.serialize import to_jsonable
from juesuan.rules.finding import Finding, Severity

if TYPE_CHECKING:
    from juesuan.api import ScoreResult


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    if _width(text) > width:
        out = ""
        for ch in text:
            if _width(out + ch + "…") > width:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - _width(text))


def _money(x: Any) -> str:
    return "—" if x is None else format_amount(x)


def _form_title(form: EvaluationForm) -> str:
    who = form.project or form.department or ""
    where = form.source.short() if form.source is not None else ""
    kind = form.title if form.kind is FormKind.PROJECT_LIST and form.title else form.kind.value
    return f"{kind}{'“' + who + '”' if who else ''}{'（' + where + '）' if where else ''}"


def _counts(findings: list[Finding]) -> dict[Severity, int]:
    return {s: sum(f.severity is s for f in findings) for s in Severity}


def _grade(s: FormScore) -> tuple[str, str]:
    stated = s.form.grade or "—"
    band = s.recomputed_grade
    return stated, band.names[0] if band is not None else "—"


def _formulas(form: EvaluationForm) -> list[str]:
    out = []
    for i, col in formula_columns(form):
        rows = sum(1 for r in form.funds if i < len(r.cells) and r.cells[i].value is not None)
        out.append(f"{col.name}（{rows} 行）")
    return out


def _deviates(s: FormScore, x: Scored) -> bool:
    return x.deviates(s.method.tolerance)


def _form_lines(s: FormScore) -> list[str]:
    form = s.form
    out = ["", f"== {_form_title(form)}"]
    if form.kind is not FormKind.PROJECT_LIST:
        rate = (
            f"，执行率 {fmt(form.actual / form.budget * 100)}%"
            if form.budget and form.actual is not None
            else ""
        )
        out.append(
            f"   全年预算数 {_money(form.budget)}，全年执行数 {_money(form.actual)}{rate}"
            f"（{form.unit or '单位未注明'}）"
        )
    formulas = _formulas(form)
    if formulas:
        out.append("   表头公式逐行核对：" + "；".join(formulas))
    if form.kind is FormKind.PROJECT_LIST:
        out.append(f"   列项目 {len(form.funds)} 行（执行率、合计、结余逐行核对）")
        return out
    out.append(f"   {_pad('指标', 30)} {'分值':>6} {'自评':>6} {'重算':>6}  计算")
    for x in s.scores:
        flag = "≠" if _deviates(s, x) else " "
        out.append(
            f" {flag} {_pad(x.item, 30)} {fmt(x.weight):>6} {fmt(x.stated):>6} "
            f"{fmt(x.recomputed):>6}  {x.explanation}"
        )
    stated_sum = s.stated_sum
    out.append(
        f"   总分：表列 {fmt(form.total_score)}，自评得分之和 {fmt(stated_sum)}，"
        f"按计分方法重算 {fmt(s.recomputed_total)}"
    )
    stated, recomputed = _grade(s)
    out.append(f"   等级：表列 {stated}，按重算总分 {recomputed}")
    return out


def _rate_line(r: StatedRate) -> str:
    mark = "✓" if r.agrees else "≠"
    where = r.rate.source.short() if r.rate.source is not None else ""
    return (
        f"  {mark} {_pad(r.rate.project or '（未名）', 40)} "
        f"预算 {r.budget.text} 执行 {r.actual.text}"
        f" 所述 {r.rate.text} 重算 {fmt(r.computed * 100)}%  {where}"
    )


def statement_lines(statements: Sequence[Statement]) -> list[str]:
    """The 绩效 figures of the text by project, each said once (an annex often repeats the
    evaluation word for word), with the lines it is printed on."""
    by_project: dict[str, dict[tuple[str, str, str], list[str]]] = {}
    for st in statements:
        if st.summary:
            continue  # the 自评综述 are listed with their rates below
        label = st.indicator or st.subject
        if st.kind is StatementKind.SCORE and st.indicator:
            label = f"{st.group}·{st.indicator}" if st.group else st.indicator
        key = (st.kind.value, label, st.text)
        where = st.source.short() if st.source is not None else ""
        by_project.setdefault(st.project or "（未名）", {}).setdefault(key, []).append(where)
    out = []
    for project, items in by_project.items():
        shown = "；".join(
            f"{kind} {label} {text}（{'、'.join(dict.fromkeys(w for w in wheres if w))}）"
            for (kind, label, text), wheres in items.items()
        )
        out.append(f"  {project}：{shown}")
    return out


def _interesting(s: FormScore, findings: list[Finding]) -> bool:
    pages = {f.location.source.page for f in findings if f.location.source is not None}
    deviating = any(_deviates(s, x) for x in s.scores)
    return deviating or (s.form.page in pages) or s.recomputed_total != s.form.total_score


def render_score_text(result: ScoreResult, *, quiet: bool = False) -> str:
    assert result.review is not None and result.method is not None
    r, review, method = result.report, result.review, result.method
    out: list[str] = []
    who = " ".join(x for x in (r.unit_name, f"{r.year}年度" if r.year else None) if x)
    out.append(f"{who or '（未识别单位）'}绩效自评重算　{r.source_file or ''}".rstrip())
    out.append(f"计分方法：{method.name}（{method.origin}）")
    kinds: dict[str, int] = {}
    for form in review.performance.forms:
        kinds[form.kind.value] = kinds.get(form.kind.value, 0) + 1
    listed = "、".join(f"{k} {n} 张" for k, n in kinds.items()) or "无"
    out.append(f"读到：{listed}；文中绩效数字 {len(review.performance.statements)} 个")
    c = _counts(result.findings)
    out.append(
        f"错误 {c[Severity.ERROR]} 条　警告 {c[Severity.WARNING]} 条　提示 {c[Severity.NOTICE]} 条"
    )
    for s in review.scores:
        if quiet and not _interesting(s, result.findings):
            continue
        out.extend(_form_lines(s))
    lines = statement_lines(review.performance.statements)
    if lines:
        out.append("")
        out.append("== 文中所述绩效数字（自评综述见下）")
        out.extend(lines)
    seen: set[tuple[str, str]] = set()
    for target, achieved, att in target_pairs(review.performance.statements):
        if (target.text, achieved.text) in seen:
            continue
        seen.add((target.text, achieved.text))
        share = (
            f"（{fmt(att.actual / att.target * 100)}%）"
            if att.target and att.actual is not None
            else ""
        )
        out.append(
            f"  指标 {target.project}：{target.subject} {target.text}，"
            f"{achieved.subject} {achieved.text}"
            f"{share}，{'达成' if att.met else '未达成'}"
        )
    rates = stated_rates(review.performance.statements)
    if rates:
        out.append("")
        wrong = sum(not x.agrees for x in rates)
        out.append(
            f"== 文中所述执行率（{len(rates)} 个，按所述预算数、执行数重算；不符 {wrong} 个）"
        )
        out.extend(_rate_line(x) for x in rates if not quiet or not x.agrees)
    for severity in Severity:
        items = [f for f in result.findings if f.severity is severity]
        if not items or (quiet and severity in (Severity.NOTICE, Severity.INFO)):
            continue
        out.append("")
        out.append(f"{severity.chinese}（{len(items)}）")
        for f in items:
            out.append(f"  [{f.rule_id}] {f.message}")
            where = f.location.describe()
            if where:
                out.append(f"      位置：{where}")
    if not review.performance:
        out.append("")
        out.append("结论：未读到绩效自评表或绩效自评文字。")
    return "\n".join(out) + "\n"


# --- HTML -------------------------------------------------------------------------------------

_STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em 2em;
line-height:1.6}
h1{font-size:1.3em}h2{font-size:1.05em;margin-top:1.8em}
table{border-collapse:collapse;font-size:.88em;margin:.4em 0}
td,th{border:1px solid #bbb;padding:.2em .5em;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;white-space:nowrap}
tr.dev td{background:#fff1e0}tr.total td{font-weight:bold;background:#f7f7f7}
.f{margin:.4em 0;padding:.4em .6em;border-left:4px solid #999;background:#fafafa;font-size:.9em}
.f.error{border-color:#c62828}.f.warning{border-color:#ef8f00}.f.notice{border-color:#1e6fd9}
.rule{font-family:monospace;color:#555}.ok{color:#2e8540}.bad{color:#c62828;font-weight:bold}
"""


def _form_html(s: FormScore) -> str:
    form = s.form
    parts = [f"<h2>{escape(_form_title(form))}</h2>"]
    if form.kind is not FormKind.PROJECT_LIST:
        parts.append(
            f"<p>全年预算数 {escape(_money(form.budget))}，全年执行数 {escape(_money(form.actual))}"
            f"（{escape(form.unit or '单位未注明')}）</p>"
        )
    formulas = _formulas(form)
    if formulas:
        parts.append(f"<p>表头公式逐行核对：{escape('；'.join(formulas))}</p>")
    if form.kind is FormKind.PROJECT_LIST:
        return "".join(parts)
    rows = [
        "<table><tr><th>一级指标</th><th>二级指标</th><th>指标</th><th>指标值</th><th>实际完成值</th>"
        "<th>分值</th><th>自评得分</th><th>重算得分</th><th>计算</th><th>偏差原因</th></tr>"
    ]
    for x in s.scores:
        ind = x.indicator
        cls = ' class="dev"' if _deviates(s, x) else ""
        cells = [
            ind.level1 if ind else "",
            ind.level2 if ind else "",
            x.item,
            ind.target.text if ind else "",
            ind.actual.text if ind else "",
        ]
        rows.append(
            f"<tr{cls}>"
            + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + f'<td class="n">{fmt(x.weight)}</td><td class="n">{fmt(x.stated)}</td>'
            f'<td class="n">{fmt(x.recomputed)}</td><td>{escape(x.explanation)}</td>'
            f"<td>{escape(ind.reason if ind else '')}</td></tr>"
        )
    stated, recomputed = _grade(s)
    rows.append(
        f'<tr class="total"><td colspan="5">总分（表列 {escape(fmt(form.total_score))}，'
        f"等级 {escape(stated)}）</td>"
        f'<td class="n">{fmt(form.total_weight)}</td><td class="n">{fmt(s.stated_sum)}</td>'
        f'<td class="n">{fmt(s.recomputed_total)}</td>'
        f'<td colspan="2">按重算总分等级 {escape(recomputed)}</td></tr>'
    )
    rows.append("</table>")
    return "".join(parts + rows)


def render_score_html(result: ScoreResult) -> str:
    assert result.review is not None and result.method is not None
    r, review = result.report, result.review
    title = f"{r.unit_name or ''}{r.year or ''}年度 · 绩效自评重算"
    body = [f"<h1>{escape(title)}</h1>", f"<p>计分方法：{escape(result.method.name)}</p>"]
    c = _counts(result.findings)
    body.append(
        f"<p>错误 {c[Severity.ERROR]} · 警告 {c[Severity.WARNING]} · 提示 {c[Severity.NOTICE]}</p>"
    )
    for f in result.findings:
        if f.severity is Severity.INFO:
            continue
        body.append(
            f'<div class="f {f.severity.value}"><span class="rule">[{escape(f.rule_id)}]</span> '
            f"{escape(f.message)}</div>"
        )
    body.extend(_form_html(s) for s in review.scores)
    rates = stated_rates(review.performance.statements)
    if rates:
        body.append("<h2>文中所述执行率（按所述预算数、执行数重算）</h2><table>")
        body.append(
            "<tr><th>项目</th><th>预算数</th><th>执行数</th><th>所述</th><th>重算</th><th>原句</th></tr>"
        )
        for x in rates:
            mark = '<span class="ok">✓</span>' if x.agrees else '<span class="bad">≠</span>'
            body.append(
                f"<tr><td>{escape(x.rate.project)}</td><td>{escape(x.budget.text)}</td>"
                f"<td>{escape(x.actual.text)}</td><td>{mark} {escape(x.rate.text)}</td>"
                f'<td class="n">{fmt(x.computed * 100)}%</td>'
                f"<td>{escape(x.rate.sentence)}</td></tr>"
            )
        body.append("</table>")
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"{''.join(body)}</body></html>\n"
    )


# --- JSON -------------------------------------------------------------------------------------


def _scored_json(x: Scored) -> dict[str, Any]:
    return {
        "item": x.item,
        "weight": to_jsonable(x.weight),
        "stated": to_jsonable(x.stated),
        "method": to_jsonable(x.expected),
        "recomputed": to_jsonable(x.recomputed),
        "met": x.met,
        "explanation": x.explanation,
    }


def score_json(result: ScoreResult) -> dict[str, Any]:
    assert result.review is not None and result.method is not None
    review = result.review
    forms = []
    for s in review.scores:
        _stated, recomputed = _grade(s)
        forms.append(
            {
                "form": to_jsonable(s.form),
                "scores": [_scored_json(x) for x in s.scores],
                "stated_total": to_jsonable(s.form.total_score),
                "stated_sum": to_jsonable(s.stated_sum),
                "recomputed_total": to_jsonable(s.recomputed_total),
                "stated_grade": s.form.grade or None,
                "recomputed_grade": recomputed if recomputed != "—" else None,
            }
        )
    rates = [
        {
            "project": x.rate.project,
            "sentence": x.rate.sentence,
            "budget": x.budget.text,
            "actual": x.actual.text,
            "stated": x.rate.text,
            "recomputed": f"{fmt(x.computed * 100)}%",
            "agrees": x.agrees,
            "summary": x.rate.summary,
        }
        for x in stated_rates(review.performance.statements)
    ]
    summary = result.summary()
    summary["method"] = {"name": result.method.name, "origin": result.method.origin}
    summary["forms"] = {
        kind.value: sum(f.kind is kind for f in review.performance.forms) for kind in FormKind
    }
    return {
        "summary": summary,
        "forms": forms,
        "statements": [to_jsonable(st) for st in review.performance.statements],
        "rates": rates,
        "findings": [to_jsonable(f) for f in result.findings],
    }
