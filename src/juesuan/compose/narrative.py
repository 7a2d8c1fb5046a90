"""The 情况说明 (sections 一 … 十三), the 概况 parts and the 名词解释, generated from data.

Pure: no I/O. The sentence templates (Jinja2) come in as a mapping name → template text
(:func:`juesuan.compose.pipeline.load_templates` reads the packaged ones and a region's
overrides). Every figure is computed here from the tables, the source facts and last year's
totals with :mod:`juesuan.compose.numbers`; templates only choose the words.

Where a change or a budget deviation needs a reason (see ``narrative.reason_threshold_*``)
and the source gives none, the text gets a visible marker (``【请填写原因】``) and the gap is
listed in :attr:`Narrative.missing_reasons`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import jinja2
import jinja2.sandbox

from juesuan.compose import numbers as n
from juesuan.compose.source import VEHICLE_KINDS, BuildSource
from juesuan.errors import InputError
from juesuan.model.codes import Codes, reference_codes
from juesuan.model.disclosure import PriorYear
from juesuan.model.layout import (
    FINAL,
    PERSONNEL_CLASSES,
    PUBLIC_CLASSES,
    TOTAL,
    TableId,
)
from juesuan.model.report import NarrativeSection, Report, UnitKind
from juesuan.model.tables import Table, TableStatus

__all__ = ["SECTION_TITLES", "Narrative", "amount_yuan", "generate"]

SECTION_TITLES = (
    ("一", "收入支出决算总体情况说明", "section01.j2"),
    ("二", "收入决算情况说明", "section02.j2"),
    ("三", "支出决算情况说明", "section03.j2"),
    ("四", "财政拨款收入支出决算总体情况说明", "section04.j2"),
    ("五", "一般公共预算财政拨款支出决算情况说明", "section05.j2"),
    ("六", "一般公共预算财政拨款基本支出决算情况说明", "section06.j2"),
    ("七", "一般公共预算财政拨款“三公”经费支出决算情况说明", "section07.j2"),
    ("八", "政府性基金预算财政拨款支出决算情况说明", "section08.j2"),
    ("九", "国有资本经营预算财政拨款支出决算情况说明", "section09.j2"),
    ("十", "机关运行经费支出情况说明", "section10.j2"),
    ("十一", "政府采购支出情况说明", "section11.j2"),
    ("十二", "国有资产占用情况说明", "section12.j2"),
    ("十三", "预算绩效情况说明", "section13.j2"),
)

INCOME_SOURCES = ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
FISCAL_INCOME_ROWS = (
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
)
SPENDING_PARTS = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
FUNDS = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
BUDGET_MARKER = "【请填写年初预算】"


@dataclass(frozen=True)
class Narrative:
    overview: tuple[NarrativeSection, ...]
    explanations: tuple[NarrativeSection, ...]
    glossary: tuple[tuple[str, str], ...]
    missing_reasons: tuple[str, ...]
    warnings: tuple[str, ...]


# --- reading the tables (always in 元) ------------------------------------------------------


def _yuan(table: Table, key: str, column: str) -> Decimal:
    row = table.row(key)
    if row is None:
        return Decimal("0.00")
    value = row.value(column)
    if value is None:
        return Decimal("0.00")
    return value * (table.unit.in_yuan if table.unit else Decimal(1))


def amount_yuan(table: Table, key: str, column: str) -> Decimal | None:
    """A cell in 元 (converted from the table's unit); None when blank or absent."""
    row = table.row(key)
    if row is None or row.value(column) is None:
        return None
    return _yuan(table, key, column)


def _first(*values: Decimal | None) -> Decimal:
    for v in values:
        if v is not None:
            return v
    return Decimal("0.00")


class _Builder:
    def __init__(
        self,
        report: Report,
        source: BuildSource,
        prior: PriorYear | None,
        templates: Mapping[str, str],
        codes: Codes,
    ) -> None:
        self.report, self.source, self.prior, self.codes = report, source, prior, codes
        self.year = source.unit.year
        self.opts = source.narrative
        # sandboxed: a region's own templates are user input (no attribute tricks, range()
        # capped), and their errors are one line naming the template
        self.env = jinja2.sandbox.SandboxedEnvironment(
            loader=jinja2.DictLoader(dict(templates)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.missing: list[str] = []
        self.warnings: list[str] = []
        self.section = ""

    # --- helpers ------------------------------------------------------------------------------

    def t(self, table_id: TableId) -> Table:
        return self.report.table(table_id)

    def render(self, name: str, **context: Any) -> str:
        try:
            template = self.env.get_template(name)
            text = template.render(year=self.year, prior_year=self.year - 1, **context)
        except jinja2.TemplateNotFound as exc:
            if exc.name == name:
                raise KeyError(f"template {name} is missing") from None
            raise self._template_error(name, exc) from None
        except (jinja2.TemplateError, OverflowError, MemoryError) as exc:
            raise self._template_error(name, exc) from None
        lines = [line.strip() for line in text.splitlines()]
        return "\n".join(line for line in lines if line)

    def _template_error(self, name: str, exc: BaseException) -> InputError:
        line = getattr(exc, "lineno", None)
        where = f"{name}{f' line {line}' if line else ''}"
        reason = " ".join(str(getattr(exc, "message", None) or exc).split())[:200]
        return InputError(self.source.path, f"narrative template {where}: {reason}")

    def change(self, current: Decimal, prior_key: str) -> n.Change | None:
        if self.prior is None or prior_key not in self.prior.totals:
            return None
        return n.change(current, self.prior.totals[prior_key])

    def needs(self, delta: Decimal, rate: Decimal | None) -> bool:
        return n.needs_reason(
            delta, rate, self.opts.reason_threshold_amount, self.opts.reason_threshold_percent
        )

    def reason(self, given: str | None, needed: bool, what: str) -> str | None:
        """The reason text, a marker when a required one is missing, None when not needed."""
        if given:
            return given.strip().rstrip("。；;.")
        if not needed:
            return None
        self.missing.append(f"{self.section}：{what}")
        return self.opts.marker

    def change_reason(self, ch: n.Change | None, key: str, what: str) -> str | None:
        if ch is None or ch.flat:
            return None
        needed = self.needs(ch.delta, ch.rate)
        return self.reason(self.source.reasons.get(key), needed, f"{what}的原因（reasons.{key}）")

    def fname(self, code: str) -> str:
        entry = self.codes.function.lookup(code, self.year)
        if entry is not None:
            return entry.name
        for tid in (TableId.T05, TableId.T03, TableId.T02):
            row = self.t(tid).row(code)
            if row is not None:
                self.warnings.append(
                    f"科目 {code} 不在 {self.year} 年的科目表中，沿用表中名称“{row.label}”"
                )
                return row.label
        self.warnings.append(f"科目 {code} 不在 {self.year} 年的科目表中")
        return code

    def ename(self, code: str, label: str) -> str:
        entry = self.codes.economic.lookup(code, self.year)
        return entry.name if entry is not None else label

    def label(self, code: str) -> str:
        """社会保障和就业支出（类）人力资源和社会保障管理事务（款）信息化建设（项）."""
        parts = [f"{self.fname(code[:3])}（类）"]
        if len(code) >= 5:
            parts.append(f"{self.fname(code[:5])}（款）")
        if len(code) == 7:
            parts.append(f"{self.fname(code)}（项）")
        return "".join(parts)

    # --- sections -----------------------------------------------------------------------------

    def s01(self) -> str:
        t01 = self.t(TableId.T01)
        income = _yuan(t01, "收入总计", FINAL)
        spending = _yuan(t01, "支出总计", FINAL)
        same = n.wan(income) == n.wan(spending)
        ch_in = self.change(income, "收入总计")
        ch_out = self.change(spending, "支出总计")
        same_change = ch_in is not None and ch_in == ch_out
        reason = self.change_reason(ch_in or ch_out, "total", "收、支总计变动")
        return self.render(
            "section01.j2",
            same=same,
            income=n.fmt_wan(income),
            spending=n.fmt_wan(spending),
            ch_in=ch_in,
            ch_out=ch_out,
            same_change=same_change,
            reason=reason,
        )

    def s02(self) -> str:
        t01 = self.t(TableId.T01)
        total = _yuan(t01, "本年收入合计", FINAL)
        fiscal = sum((_yuan(t01, k, FINAL) for k in FISCAL_INCOME_ROWS), Decimal("0.00"))
        items = [("财政拨款收入", fiscal)] + [(k, _yuan(t01, k, FINAL)) for k in INCOME_SOURCES]
        sources = [
            {"name": name, "amount": n.fmt_wan(v), "share": _fmt_opt(n.share(v, total))}
            for name, v in items
        ]
        ch = self.change(total, "本年收入合计")
        return self.render(
            "section02.j2",
            total=n.fmt_wan(total),
            sources=sources,
            ch=ch,
            reason=self.change_reason(ch, "income", "本年收入合计变动"),
        )

    def s03(self) -> str:
        t01, t03 = self.t(TableId.T01), self.t(TableId.T03)
        total = _first(
            amount_yuan(t01, "本年支出合计", FINAL), amount_yuan(t03, "合计", "本年支出合计")
        )
        parts = [
            {
                "name": k,
                "amount": n.fmt_wan(_yuan(t03, "合计", k)),
                "share": _fmt_opt(n.share(_yuan(t03, "合计", k), total)),
            }
            for k in SPENDING_PARTS
        ]
        ch = self.change(total, "本年支出合计")
        return self.render(
            "section03.j2",
            total=n.fmt_wan(total),
            parts=parts,
            ch=ch,
            reason=self.change_reason(ch, "expenditure", "本年支出合计变动"),
        )

    def s04(self) -> str:
        t04 = self.t(TableId.T04)
        income = _yuan(t04, "收入总计", FINAL)
        spending = _yuan(t04, "支出总计", TOTAL)
        ch_in = self.change(income, "财政拨款收入总计")
        ch_out = self.change(spending, "财政拨款支出总计")
        funds = [{"name": f, "amount": n.fmt_wan(_yuan(t04, f, FINAL))} for f in FUNDS]
        several = sum(1 for f in FUNDS if _yuan(t04, f, FINAL) != 0) > 1
        return self.render(
            "section04.j2",
            same=n.wan(income) == n.wan(spending),
            income=n.fmt_wan(income),
            spending=n.fmt_wan(spending),
            ch_in=ch_in,
            ch_out=ch_out,
            same_change=ch_in is not None and ch_in == ch_out,
            funds=funds if several else [],
            reason=self.change_reason(ch_in or ch_out, "fiscal_total", "财政拨款收、支总计变动"),
        )

    def s05(self) -> str:
        t01, t05 = self.t(TableId.T01), self.t(TableId.T05)
        total = _yuan(t05, "合计", TOTAL)
        all_spending = _first(
            amount_yuan(t01, "本年支出合计", FINAL),
            amount_yuan(self.t(TableId.T03), "合计", "本年支出合计"),
        )
        ch = self.change(total, "一般公共预算财政拨款支出")
        classes = [
            {
                "code": r.code,
                "name": self.fname(r.code),
                "amount": n.fmt_wan(_yuan(t05, r.key, TOTAL)),
                "share": _fmt_opt(n.share(_yuan(t05, r.key, TOTAL), total)),
            }
            for r in sorted(t05.coded_rows(), key=lambda r: r.code or "")
            if r.code and len(r.code) == 3 and _yuan(t05, r.key, TOTAL) != 0
        ]
        items, budget_total, has_budget = self._budget_items(t05)
        overall = n.deviation(total, budget_total) if has_budget else None
        return self.render(
            "section05.j2",
            total=n.fmt_wan(total),
            share=_fmt_opt(n.share(total, all_spending)),
            ch=ch,
            reason=self.change_reason(ch, "general_budget", "一般公共预算财政拨款支出变动"),
            classes=classes,
            has_budget=has_budget,
            overall=overall,
            items=items,
            budget_marker=BUDGET_MARKER,
        )

    def _budget_items(self, t05: Table) -> tuple[list[dict[str, Any]], Decimal, bool]:
        items: list[dict[str, Any]]
        budget = {b.code: b for b in self.source.budget}
        leaves = [
            r.code
            for r in t05.coded_rows()
            if r.code and not t05.children(r.code) and _yuan(t05, r.key, TOTAL) != 0
        ]
        if not budget:
            self.missing.append(f"{self.section}：年初预算（budget）")
            items = [
                {
                    "label": self.label(code),
                    "dev": None,
                    "actual": n.fmt_wan(_yuan(t05, code, TOTAL)),
                    "reason": None,
                }
                for code in sorted(leaves)
            ]
            return items, Decimal("0.00"), False
        codes = set(budget)
        for leaf in leaves:
            if not any(leaf.startswith(c) for c in budget):
                codes.add(leaf)
                self.warnings.append(f"五(三)：{leaf} 有支出决算但未给出年初预算，按 0 计")
        items = []
        for code in sorted(codes):
            entry = budget.get(code)
            amount = entry.amount if entry else Decimal("0.00")
            dev = n.deviation(_yuan(t05, code, TOTAL), amount)
            reason = None
            if dev.differs:
                reason = self.reason(
                    entry.reason if entry else None,
                    self.needs(dev.gap, dev.gap_rate),
                    f"{code} 决算数与年初预算数差异的原因（budget.reason）",
                )
            items.append({"label": self.label(code), "dev": dev, "reason": reason})
        return items, sum((b.amount for b in budget.values()), Decimal("0.00")), True

    def s06(self) -> str:
        t05, t06 = self.t(TableId.T05), self.t(TableId.T06)
        basic = _yuan(t05, "合计", "基本支出")

        def group(classes: tuple[str, ...], total_key: str) -> tuple[Decimal, list[str]]:
            rows = [r for r in t06.coded_rows() if r.code and r.code[:3] in classes]
            items = sorted(
                (r for r in rows if r.code and len(r.code) == 5 and _yuan(t06, r.key, FINAL)),
                key=lambda r: r.code or "",
            )
            names = [self.ename(r.code or "", r.label) for r in items]
            total = amount_yuan(t06, total_key, FINAL)
            if total is None:
                total = sum(
                    (_yuan(t06, r.key, FINAL) for r in rows if r.code and len(r.code) == 3),
                    Decimal("0.00"),
                )
            return total, names

        personnel, pnames = group(PERSONNEL_CLASSES, "人员经费合计")
        public, unames = group(PUBLIC_CLASSES, "公用经费合计")
        ch = self.change(basic, "基本支出")
        return self.render(
            "section06.j2",
            basic=n.fmt_wan(basic),
            personnel=n.fmt_wan(personnel),
            personnel_items="、".join(pnames),
            public=n.fmt_wan(public),
            public_items="、".join(unames),
            ch=ch,
            reason=self.change_reason(ch, "basic", "基本支出变动"),
        )

    def s07(self) -> str:
        t07 = self.t(TableId.T07)
        sg = self.source.sangong

        def v(part: str, item: str) -> Decimal:
            return _yuan(t07, "三公经费", f"{part}/{item}")

        items = []
        for item in ("合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"):
            dev = n.deviation(v("决算数", item), v("预算数", item))
            reason = None
            if dev.differs:
                reason = self.reason(
                    sg.reasons.get(item),
                    self.needs(dev.gap, dev.gap_rate),
                    f"{item}决算数与预算数差异的原因（sangong.reasons）",
                )
            items.append({"name": item, "dev": dev, "reason": reason})
        reception = v("决算数", "公务接待费")
        domestic = reception - sg.foreign_reception
        if domestic < 0:
            self.warnings.append(
                "七：外宾接待支出（sangong.foreign_reception）大于公务接待费决算数"
            )
            domestic = Decimal("0.00")
        total_actual = v("决算数", "合计")
        ch = self.change(total_actual, "三公经费")
        return self.render(
            "section07.j2",
            total=items[0],
            items=items[1:],
            purchase=n.fmt_wan(v("决算数", "公务用车购置费")),
            running=n.fmt_wan(v("决算数", "公务用车运行费")),
            foreign=n.fmt_wan(sg.foreign_reception),
            domestic=n.fmt_wan(domestic),
            sg=sg,
            ch=ch,
            change_reason=self.change_reason(ch, "sangong", "“三公”经费变动"),
        )

    def _fund_section(self, table_id: TableId, template: str) -> str:
        t = self.t(table_id)
        empty = t.status is not TableStatus.PRESENT or not t.has_data
        figures = {
            key: n.fmt_wan(_yuan(t, "合计", col))
            for key, col in (
                ("opening", "年初结转和结余"),
                ("income", "本年收入"),
                ("spending", "本年支出/合计"),
                ("basic", "本年支出/基本支出"),
                ("project", "本年支出/项目支出"),
                ("closing", "年末结转和结余"),
            )
        }
        total = _yuan(t, "合计", "本年支出/合计")
        classes = [
            {
                "name": self.fname(r.code),
                "amount": n.fmt_wan(_yuan(t, r.key, "本年支出/合计")),
                "share": _fmt_opt(n.share(_yuan(t, r.key, "本年支出/合计"), total)),
            }
            for r in sorted(t.coded_rows(), key=lambda r: r.code or "")
            if r.code and len(r.code) == 3 and _yuan(t, r.key, "本年支出/合计") != 0
        ]
        return self.render(template, empty=empty, classes=classes, **figures)

    def s10(self) -> str:
        amount = self.source.operating_costs.amount
        kind = self.source.unit.kind
        reports = amount is not None or kind in (
            UnitKind.ADMINISTRATIVE,
            UnitKind.CIVIL_SERVICE_MANAGED,
        )
        ch = self.change(amount, "机关运行经费") if amount is not None else None
        shown = n.fmt_wan(amount) if amount is not None else None
        if reports and amount is None:
            self.missing.append(f"{self.section}：机关运行经费（operating_costs.amount）")
            shown = "【请填写机关运行经费】"
        return self.render(
            "section10.j2",
            reports=reports,
            amount=shown,
            ch=ch,
            reason=self.change_reason(ch, "operating_costs", "机关运行经费变动"),
        )

    def s11(self) -> str:
        p = self.source.procurement
        return self.render(
            "section11.j2",
            total=n.fmt_wan(p.total),
            goods=n.fmt_wan(p.goods),
            works=n.fmt_wan(p.works),
            services=n.fmt_wan(p.services),
            sme=n.fmt_wan(p.sme),
            sme_share=_fmt_opt(n.share(p.sme, p.total)),
            small=n.fmt_wan(p.small_micro),
            small_share=_fmt_opt(n.share(p.small_micro, p.total)),
        )

    def s12(self) -> str:
        a = self.source.assets
        vehicles = [
            {"name": name, "count": a.vehicles.get(k, 0)} for k, name in VEHICLE_KINDS.items()
        ]
        return self.render(
            "section12.j2",
            vehicles_total=sum(v["count"] for v in vehicles),
            vehicles=vehicles,
            general=a.general_equipment_over_50,
            special=a.special_equipment_over_100,
        )

    def s13(self) -> str:
        t05, t06 = self.t(TableId.T05), self.t(TableId.T06)
        p = self.source.performance
        personnel = _first(amount_yuan(t06, "人员经费合计", FINAL))
        public = _first(amount_yuan(t06, "公用经费合计", FINAL))
        score = None if p.score is None else f"{p.score:f}"
        return self.render(
            "section13.j2",
            total=n.fmt_wan(_yuan(t05, "合计", TOTAL)),
            personnel=n.fmt_wan(personnel),
            public=n.fmt_wan(public),
            project=n.fmt_wan(_yuan(t05, "合计", "项目支出")),
            p=p,
            evaluated=n.fmt_wan(p.self_evaluated_amount),
            key_amount=n.fmt_wan(p.key_evaluated_amount),
            score=score,
        )

    # --- the whole ----------------------------------------------------------------------------

    def explanations(self) -> tuple[NarrativeSection, ...]:
        makers = {
            "section01.j2": self.s01,
            "section02.j2": self.s02,
            "section03.j2": self.s03,
            "section04.j2": self.s04,
            "section05.j2": self.s05,
            "section06.j2": self.s06,
            "section07.j2": self.s07,
            "section08.j2": lambda: self._fund_section(TableId.T08, "section08.j2"),
            "section09.j2": lambda: self._fund_section(TableId.T09, "section09.j2"),
            "section10.j2": self.s10,
            "section11.j2": self.s11,
            "section12.j2": self.s12,
            "section13.j2": self.s13,
        }
        out = []
        for number, title, template in SECTION_TITLES:
            self.section = f"{number}、{title}"
            text = makers[template]()
            self._guard(self.section, text)
            out.append(NarrativeSection(number, title, text))
        return tuple(out)

    def overview(self) -> tuple[NarrativeSection, ...]:
        u = self.source.unit
        duties = self.render("overview_duties.j2", unit=u)
        organization = self.render("overview_organization.j2", unit=u, staff=u.staff)
        return (
            NarrativeSection("一", "部门职责", duties),
            NarrativeSection("二", "机构设置", organization),
        )

    def glossary(self) -> tuple[tuple[str, str], ...]:
        out = []
        for line in self.render("glossary.j2").splitlines():
            term, sep, text = line.partition("：")
            if sep:
                out.append((_ORDINAL.sub("", term).strip(), text.strip()))
        return tuple(out)

    def _guard(self, where: str, text: str) -> None:
        """Template mistakes the published reports are full of: say so, loudly."""
        if "万万元" in text:
            self.warnings.append(f"{where}：出现“万万元”（模板错误）")
        for m in _BARE_YUAN.finditer(text):
            self.warnings.append(f"{where}：金额“{m.group(0)}”的单位不是万元（模板错误）")


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
_BARE_YUAN = re.compile(r"\d(?:\.\d+)?元")


def _fmt_opt(value: Decimal | None) -> str | None:
    return None if value is None else n.fmt_pct(value)


def generate(
    report: Report,
    source: BuildSource,
    prior: PriorYear | None,
    templates: Mapping[str, str],
    codes: Codes | None = None,
) -> Narrative:
    """Generate the 情况说明, 概况 and 名词解释 of ``report`` (tables in 元 or 万元)."""
    b = _Builder(report, source, prior, templates, codes or reference_codes())
    explanations = b.explanations()
    b.section = "第一部分 概况"
    overview = b.overview()
    glossary = b.glossary()
    return Narrative(
        overview=overview,
        explanations=explanations,
        glossary=glossary,
        missing_reasons=tuple(b.missing),
        warnings=tuple(b.warnings),
    )
