"""Recall of ``juesuan audit`` on injected narrative errors (issue 5).

Run from the repository root: ``python bench/mutate.py [--synth N] [--per-kind K] [--seed S]``.

1. Builds consistent reports with correct 情况说明: synthetic reports (:func:`tests.synth.
   generate_report`, in 元 and in 万元, with and without the fund tables) narrated by the build
   step (:func:`juesuan.compose.narrative.generate`) against random last-year figures, 年初预算,
   三公 and 政府采购 facts; plus the embedded example ``examples/jiaozuo-2021.toml``
   (:func:`juesuan.compose.prepare`). Each becomes a :class:`Report` whose ``sections`` are the
   情况说明 and whose ``parts`` hold the 概况, the 名词解释 and an annex.
2. Audits every unmutated report: any ERROR finding there is a false error (printed in full).
3. Injects one error at a time into the text (the kinds of issue 5, listed in :data:`KINDS`),
   audits the mutated report and counts the mutation as detected when an ERROR finding of an
   expected rule id appears that the unmutated report did not have.

The amount kind changes only figures the audit links to a table (a 年初预算 or a 政府采购
figure has no table value to differ from). A percentage one hundredth off can be the other
accepted rounding (from the printed 万元 figures rather than the exact ones, or within their
rounding when no exact figure exists): such a mutation is no error, and is listed as a miss.

Deterministic: every random choice comes from ``random.Random(seed)``. Targets: recall ≥ 95 %
overall, no kind below 80 %, zero false errors on the unmutated reports.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.synth  (a test module)

from tests.synth import generate_report

from juesuan.api import audit
from juesuan.compose.narrative import generate
from juesuan.compose.pipeline import load_templates, prepare
from juesuan.compose.source import (
    Assets,
    BudgetItem,
    BuildSource,
    OperatingCosts,
    Performance,
    Procurement,
    Sangong,
    UnitFacts,
)
from juesuan.model.amount import Unit
from juesuan.model.codes import normalize_name
from juesuan.model.disclosure import PriorYear
from juesuan.model.layout import TableId
from juesuan.model.report import NarrativeSection, Report, UnitKind
from juesuan.model.tables import Table
from juesuan.narrative.claims import GENERIC, ClaimKind, extract, is_budget
from juesuan.rules.finding import Finding, Severity

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "examples" / "jiaozuo-2021.toml"
TEMPLATES = load_templates()
CENT = Decimal("0.01")

# --- consistent reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    report: Report


def _cell(table: Table, key: str, column: str) -> Decimal:
    row = table.row(key)
    value = row.value(column) if row else None
    return value if value is not None else Decimal(0)


def _synth_case(seed: int, wan: bool, funds: bool, rng: random.Random) -> Case:
    """A synthetic report narrated from its own tables, last year's figures (some equal to this
    year's: 持平), 年初预算 for every other 项 and the source facts of 七 and 十一."""
    report = generate_report(seed, unit=Unit.WAN_YUAN if wan else Unit.YUAN, with_funds=funds)
    exact = generate_report(seed, with_funds=funds)  # 元 figures for the prior and budget
    t01, t04, t05 = exact.table(TableId.T01), exact.table(TableId.T04), exact.table(TableId.T05)
    t07 = exact.table(TableId.T07)
    operating = (_cell(t05, "合计", "基本支出") * Decimal("0.1")).quantize(CENT)
    current = {
        "收入总计": _cell(t01, "收入总计", "决算数"),
        "支出总计": _cell(t01, "支出总计", "决算数"),
        "本年收入合计": _cell(t01, "本年收入合计", "决算数"),
        "本年支出合计": _cell(t01, "本年支出合计", "决算数"),
        "财政拨款收入总计": _cell(t04, "收入总计", "决算数"),
        "财政拨款支出总计": _cell(t04, "支出总计", "合计"),
        "一般公共预算财政拨款支出": _cell(t05, "合计", "合计"),
        "基本支出": _cell(t05, "合计", "基本支出"),
        "机关运行经费": operating,
        "三公经费": _cell(t07, "三公经费", "决算数/合计"),
    }
    totals: dict[str, Decimal] = {}
    for key, value in current.items():
        roll = rng.random()
        if roll < 0.15:
            totals[key] = value  # 持平
        elif roll < 0.2:
            totals[key] = Decimal("0.00")  # a new item: no growth rate
        else:
            factor = Decimal(rng.randint(500, 1500)) / 1000
            totals[key] = (value * factor).quantize(CENT)
    # last year's totals balance too, as every real report's do (收入总计 = 支出总计); a text
    # saying one is 持平 and the other grew contradicts itself (N.level). The draw is kept so
    # the cases stay the same.
    rng.random()
    totals["支出总计"] = totals["收入总计"]
    totals["财政拨款支出总计"] = totals["财政拨款收入总计"]
    prior = PriorYear(report.year - 1 if report.year else 2020, totals)
    leaves = [r for r in t05.coded_rows() if r.code and not t05.children(r.code)]
    budget = []
    for r in leaves[rng.randint(0, 1) :: 2]:
        roll = rng.random()
        factor = (
            Decimal(1)
            if roll < 0.2
            else Decimal(0)
            if roll < 0.3
            else Decimal(rng.randint(50, 130)) / 100
        )
        amount = ((r.value("合计") or Decimal(0)) * factor).quantize(CENT)
        budget.append(BudgetItem(r.key, amount, "预算执行中根据工作需要调整"))
    goods, works, services = (Decimal(rng.randint(0, 90_000_000)) / 100 for _ in range(3))
    sme = ((goods + works + services) * Decimal(rng.randint(3000, 10000)) / 10000).quantize(CENT)
    # drawn in the order they always were, so the cases stay the same
    groups, people, purchased = rng.randint(0, 3), rng.randint(0, 9), rng.randint(0, 2)
    held, visits, visitors = rng.randint(1, 8), rng.randint(1, 40), rng.randint(1, 300)
    source = BuildSource(
        path=Path("synth.toml"),
        unit=UnitFacts(
            name=report.unit_name or "示例单位",
            year=report.year or 2021,
            kind=report.unit_kind or UnitKind.ADMINISTRATIVE,
            duties="负责本部门职责范围内的各项工作。",
            organization="内设办公室、业务科等机构。",
        ),
        tables=Path("synth.json"),
        reasons={
            k: "工作任务调整"
            for k in ("total", "income", "expenditure", "fiscal_total", "general_budget", "basic")
        }
        | {"operating_costs": "压减一般性支出", "sangong": "严格执行中央八项规定"},
        budget=tuple(budget),
        sangong=Sangong(
            abroad_groups=groups,
            abroad_people=max(groups, people),  # each group takes at least one person
            vehicles_purchased=purchased,
            vehicles_held=held,
            domestic_groups=visits,
            domestic_people=max(visits, visitors),
            reasons={"合计": "严格控制", "公务接待费": "压减接待"},
        ),
        # the vehicles held for 三公 are vehicles the unit owns (国有资产占用情况)
        assets=Assets(vehicles={"law_enforcement": held}),
        operating_costs=OperatingCosts(operating if seed % 3 else None),
        procurement=Procurement(goods, works, services, sme, (sme * Decimal("0.6")).quantize(CENT)),
        performance=Performance(
            projects=rng.randint(1, 12),
            self_evaluated=rng.randint(1, 5),
            self_evaluated_amount=(_cell(t05, "合计", "项目支出") * Decimal("0.5")).quantize(CENT),
            score=Decimal(rng.randint(80, 99)),
        ),
    )
    nar = generate(report, source, prior, TEMPLATES)
    glossary = "\n".join(f"{i}. {k}：{v}" for i, (k, v) in enumerate(nar.glossary, 1))
    overview = "\n".join(f"{s.number}、{s.title}\n{s.text}" for s in nar.overview)
    parts = (
        NarrativeSection("第一部分", "部门概况", overview),
        NarrativeSection("第四部分", "名词解释", glossary),
        NarrativeSection(
            "第五部分", "附件", f"{report.unit_name}{report.year}年度部门整体支出绩效自评表（略）。"
        ),
    )
    unit = "万元" if wan else "元"
    label = f"synth seed={seed} {unit}{' funds' if funds else ''}"
    return Case(label, replace(report, sections=nar.explanations, parts=parts))


def _example_case() -> Case:
    d = prepare(EXAMPLE)
    overview = "\n".join(f"{s.number}、{s.title}\n{s.text}" for s in d.overview)
    glossary = "\n".join(f"{i}. {k}：{v}" for i, (k, v) in enumerate(d.glossary, 1))
    parts = (
        NarrativeSection("第一部分", "部门概况", overview),
        NarrativeSection("第四部分", "名词解释", glossary),
        NarrativeSection("第五部分", "附件", "附件：部门整体支出绩效自评表（略）。"),
    )
    return Case("example jiaozuo-2021", replace(d.report, sections=d.explanations, parts=parts))


def build_cases(n_synth: int, seed: int, example: bool = True) -> list[Case]:
    """The example (when ``example``) and ``n_synth`` synthetic reports, alternately in 元 and
    万元, half of them with the fund tables 08/09."""
    rng = random.Random(seed)
    cases = [_example_case()] if example else []
    for i in range(n_synth):
        synth_seed = rng.randint(0, 100_000)
        cases.append(_synth_case(synth_seed, wan=i % 2 == 1, funds=i % 4 >= 2, rng=rng))
    return cases


# --- mutations ------------------------------------------------------------------------------

WAN = r"\d+(?:\.\d+)?"  # a printed figure (the generated text has no separators)


@dataclass(frozen=True)
class Mutation:
    kind: str
    part: bool  # True: the text of report.parts[index]; False: report.sections[index]
    index: int
    text: str  # the whole new text of that section or part
    note: str  # what was changed (for the misses listing)


@dataclass(frozen=True)
class Kind:
    name: str
    expected: frozenset[str]  # rule ids, any of which detects it
    sites: Callable[[Report, random.Random], Iterator[Mutation]]


def _fmt(value: Decimal, like: str) -> str:
    decimals = len(like.split(".")[1]) if "." in like else 0
    return f"{value.quantize(Decimal(1).scaleb(-decimals)):f}"


def _offset(rng: random.Random, value: Decimal, like: str) -> str:
    """``value`` off by 0.01 … 3 (never below 0, never equal)."""
    steps = ("0.01", "0.02", "0.03", "0.05", "0.1", "0.25", "0.5", "1", "2", "3")
    delta = Decimal(rng.choice(steps))
    new = value - delta if value - delta >= 0 and rng.random() < 0.5 else value + delta
    return _fmt(new, like)


def _swapped(rng: random.Random, figure: str) -> str | None:
    """Two adjacent different digits swapped (217.02 → 271.02), or None."""
    places = [
        i
        for i in range(len(figure) - 1)
        if figure[i].isdigit() and figure[i + 1].isdigit() and figure[i] != figure[i + 1]
    ]
    if not places:
        return None
    i = rng.choice(places)
    return figure[:i] + figure[i + 1] + figure[i] + figure[i + 2 :]


def _sub(
    report: Report, kind: str, index: int, start: int, end: int, new: str, part: bool = False
) -> Mutation:
    text = (report.parts if part else report.sections)[index].text
    old = text[start:end]
    return Mutation(kind, part, index, text[:start] + new + text[end:], f"{old} → {new}")


def _each(report: Report, pattern: str) -> Iterator[tuple[int, re.Match[str]]]:
    for i, section in enumerate(report.sections):
        for m in re.finditer(pattern, section.text):
            yield i, m


def _sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1
    ends = [i for i in (text.find("。", pos), text.find("\n", pos)) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def amount_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    """A 万元 figure the audit verified against the tables, off by 0.37 or two digits swapped."""
    verified = {
        (v.section, v.sentence, v.text)
        for v in audit(report).claims
        if v.status == "verified" and v.kind == ClaimKind.AMOUNT.value
    }
    for i, section in enumerate(report.sections):
        for claim in extract(section):
            key = (claim.section, claim.sentence, claim.text)
            if key not in verified or claim.unit != "万元":
                continue
            offset = section.text.find(claim.sentence)
            if offset < 0:
                continue  # a sentence over several lines
            figure = re.match(WAN, claim.text)
            assert figure is not None
            start = offset + claim.start
            if rng.random() < 0.5 or (new := _swapped(rng, figure.group(0))) is None:
                shift = (
                    Decimal("0.37") if rng.random() < 0.5 or claim.value < 1 else -Decimal("0.37")
                )
                new = _fmt(claim.value + shift, figure.group(0))
            yield _sub(report, "amount", i, start, start + len(figure.group(0)), new)


def share_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    for i, m in _each(report, rf"占[^，。；%0-9]{{0,20}}?({WAN})%"):
        new = _offset(rng, Decimal(m.group(1)), m.group(1))
        yield _sub(report, "share", i, m.start(1), m.end(1), new)


def change_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    for i, m in _each(report, rf"(?:增长|下降)({WAN})%"):
        new = _offset(rng, Decimal(m.group(1)), m.group(1))
        yield _sub(report, "change", i, m.start(1), m.end(1), new)


FLIP = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长"}


def direction_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    """One direction word of a change that states both an amount and a rate, flipped."""
    for i, m in _each(report, rf"(增加|减少)(?:{WAN})万元，(增长|下降)(?:{WAN})%"):
        group = rng.choice((1, 2))
        word = m.group(group)
        yield _sub(report, "direction", i, m.start(group), m.end(group), FLIP[word])


def completion_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    for i, m in _each(report, rf"完成(?:年初)?预算的({WAN})%"):
        new = _offset(rng, Decimal(m.group(1)), m.group(1))
        yield _sub(report, "completion", i, m.start(1), m.end(1), new)


PARTNERS = {
    "人员经费": "公用经费",
    "公用经费": "人员经费",
    "基本支出": "项目支出",
    "项目支出": "基本支出",
}


def misnamed_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    """人员经费 ↔ 公用经费, 基本支出 ↔ 项目支出 in front of a figure, when the other one is stated
    in the same sentence with a different value (else the swap may not be an error)."""
    for i, m in _each(report, rf"(人员经费|公用经费|基本支出|项目支出)为?({WAN})万元"):
        text = report.sections[i].text
        partner = PARTNERS[m.group(1)]
        sentence = _sentence_at(text, m.start())
        other = re.search(rf"{partner}为?({WAN})万元", sentence)
        if other is None or Decimal(other.group(1)) == Decimal(m.group(2)):
            continue
        yield _sub(report, "misnamed", i, m.start(1), m.end(1), partner)


OUTDATED = "医疗卫生与计划生育支出"


def label_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    """A 类 name in 五 replaced by another class's name (one stating another amount) or by the
    outdated 医疗卫生与计划生育支出."""
    for i, section in enumerate(report.sections):
        if "一般公共预算财政拨款支出" not in section.title:
            continue
        stated = dict(
            (m.group(1), m.group(2))
            for m in re.finditer(rf"([^：；。\s.（）]+?)（类）({WAN})万元", section.text)
        )
        for m in re.finditer(r"(?<=[：；。\s.])([^：；。\s.（）]+?)（类）", section.text):
            name = m.group(1)
            others = [n for n in stated if n != name and stated[n] != stated.get(name)]
            new = rng.choice([*others, OUTDATED])
            if new == name:
                continue
            yield _sub(report, "label", i, m.start(1), m.end(1), new)


def unit_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    for i, m in _each(report, r"(?<=\d)万元"):
        figure = re.search(r"[\d,.]+$", report.sections[i].text[: m.start()])
        if figure and not figure.group().strip(",.0"):
            continue  # 0万元 is 0元: no unit to get wrong
        new = rng.choice(("万万元", "元"))
        yield _sub(report, "unit", i, m.start(), m.end(), new)


def year_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    year = report.year or 2021
    for i, m in _each(report, r"与(\d{4})年度?相比"):
        wrong = rng.choice([y for y in range(year - 12, year + 3) if y not in (year, year - 1)])
        yield _sub(report, "year", i, m.start(1), m.end(1), str(wrong))


def same_quantity_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    """A sentence that names a figure, copied into the annex with that figure changed."""
    annex = next(k for k, p in enumerate(report.parts) if p.title == "附件")
    for section in report.sections:
        for claim in extract(section):
            subject = normalize_name(claim.subject)
            if (
                claim.kind is not ClaimKind.AMOUNT
                or claim.unit != "万元"
                or GENERIC.match(claim.subject)
                or is_budget(claim.subject)
                or len(subject) < 4
                or claim.sentence[claim.end :].startswith("以上")  # 单位价值50万元以上
            ):
                continue
            figure = re.match(WAN, claim.text)
            assert figure is not None
            new = _swapped(rng, figure.group(0)) if rng.random() < 0.5 else None
            if new is None:
                new = _fmt(claim.value + Decimal("0.37") * rng.choice((1, 3, 10)), figure.group(0))
            copy = (
                claim.sentence[: claim.start]
                + new
                + claim.sentence[claim.start + len(figure.group(0)) :]
            )
            text = report.parts[annex].text + "\n" + copy
            yield Mutation(
                "same_quantity", True, annex, text, f"附件：{claim.subject} {claim.text} → {new}"
            )


def boilerplate_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    """持平 → 增加0.00万元; 决算数大于/小于/等于(年初)预算数 turned into another comparison."""
    for i, m in _each(report, r"持平"):
        new = rng.choice(("增加0.00万元", "减少0.00万元", "增加0万元"))
        yield _sub(report, "boilerplate", i, m.start(), m.end(), new)
    for i, m in _each(report, r"决算数(大于|小于|等于)(?:年初)?预算数"):
        new = rng.choice([w for w in ("大于", "小于", "等于") if w != m.group(1)])
        yield _sub(report, "boilerplate", i, m.start(1), m.end(1), new)


def placeholder_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    for i, m in _each(report, rf"({WAN})(?=万元|%)"):
        new = rng.choice(("XX", "××", "XX.XX", "xx"))
        yield _sub(report, "placeholder", i, m.start(1), m.end(1), new)


def zero_base_sites(report: Report, rng: random.Random) -> Iterator[Mutation]:
    """A 年初预算 set to 0.00 while the completion rate stays; a change that leaves last year
    at 0 (增加 the whole amount) while the growth rate stays. (预算 0 with 决算 0, "完成 0%",
    is a convention the audit points out as a warning, so such sites are not mutated.)"""
    for i, m in _each(report, rf"预算为({WAN})万元，支出决算为({WAN})万元，完成"):
        if Decimal(m.group(1)) != 0 and Decimal(m.group(2)) != 0:
            yield _sub(report, "zero_base", i, m.start(1), m.end(1), "0.00")
    for i, m in _each(report, rf"与\d{{4}}年度?相比，([^，。；\d]+?)各?增加({WAN})万元，增长"):
        text = report.sections[i].text
        subject = re.escape(m.group(1))
        stated = list(re.finditer(rf"{subject}(?:均为|为)?({WAN})万元", text[: m.start()]))
        if stated and Decimal(stated[-1].group(1)) != 0 and stated[-1].group(1) != m.group(2):
            yield _sub(report, "zero_base", i, m.start(2), m.end(2), stated[-1].group(1))


KINDS = (
    Kind("amount", frozenset({"N.amount", "N.misnamed"}), amount_sites),
    Kind("share", frozenset({"N.share"}), share_sites),
    Kind("change", frozenset({"N.change"}), change_sites),
    Kind("direction", frozenset({"N.direction", "N.change"}), direction_sites),
    Kind("completion", frozenset({"N.completion"}), completion_sites),
    Kind("misnamed", frozenset({"N.misnamed", "N.amount"}), misnamed_sites),
    Kind("label", frozenset({"N.label"}), label_sites),
    Kind("unit", frozenset({"N.unit"}), unit_sites),
    Kind("year", frozenset({"N.year"}), year_sites),
    Kind("same_quantity", frozenset({"N.same_quantity"}), same_quantity_sites),
    Kind("boilerplate", frozenset({"N.boilerplate"}), boilerplate_sites),
    Kind("placeholder", frozenset({"N.placeholder"}), placeholder_sites),
    Kind("zero_base", frozenset({"N.zero_base"}), zero_base_sites),
)


def apply(report: Report, m: Mutation) -> Report:
    if m.part:
        parts = list(report.parts)
        parts[m.index] = replace(parts[m.index], text=m.text)
        return replace(report, parts=tuple(parts))
    sections = list(report.sections)
    sections[m.index] = replace(sections[m.index], text=m.text)
    return replace(report, sections=tuple(sections))


def errors(report: Report) -> list[Finding]:
    # the 绩效自评表 of a case is the published original's (the example's 整体 form has a real
    # error of its own), not generated and never mutated: its findings are not the narrative's
    return [
        f
        for f in audit(report).findings
        if f.severity is Severity.ERROR and not f.rule_id.startswith("P.")
    ]


def within_rounding(report: Report, m: Mutation) -> bool:
    """Did the audit accept the mutated figure as consistent within the rounding of the
    figures it is computed from (a rate over a base derived from two rounded figures)? Such a
    change is not an error of the report, so it is not counted as a mutation."""
    new = m.note.split("→")[-1].strip()
    return any(
        c.status == "verified" and c.text.startswith(new) and "四舍五入区间内" in (c.link or "")
        for c in audit(report).claims
    )


@dataclass
class Tally:
    mutations: int = 0
    detected: int = 0
    within_rounding: int = 0  # changes the rounding of the inputs explains (not errors)


@dataclass(frozen=True)
class Outcome:
    tallies: dict[str, Tally]
    false_errors: list[tuple[str, Finding]]
    misses: list[tuple[str, Mutation, list[str]]]
    audit_seconds: list[float]

    @property
    def recall(self) -> float:
        total = sum(t.mutations for t in self.tallies.values())
        return sum(t.detected for t in self.tallies.values()) / total if total else 0.0


def run(cases: list[Case], per_kind: int, seed: int, kinds: tuple[Kind, ...] = KINDS) -> Outcome:
    """Audit each case unmutated, then ``per_kind`` mutations of each kind per case."""
    rng = random.Random(seed)
    tallies = {k.name: Tally() for k in kinds}
    false_errors: list[tuple[str, Finding]] = []
    misses: list[tuple[str, Mutation, list[str]]] = []
    seconds: list[float] = []

    def timed(report: Report) -> list[Finding]:
        start = time.perf_counter()
        found = errors(report)
        seconds.append(time.perf_counter() - start)
        return found

    for case in cases:
        base = timed(case.report)
        false_errors.extend((case.name, f) for f in base)
        known = {(f.rule_id, f.message) for f in base}
        for kind in kinds:
            sites = list(kind.sites(case.report, rng))
            for m in rng.sample(sites, min(per_kind, len(sites))):
                mutated = apply(case.report, m)
                found = timed(mutated)
                new = [f for f in found if (f.rule_id, f.message) not in known]
                tally = tallies[kind.name]
                if any(f.rule_id in kind.expected for f in new):
                    tally.mutations += 1
                    tally.detected += 1
                elif within_rounding(mutated, m):
                    tally.within_rounding += 1
                else:
                    tally.mutations += 1
                    misses.append((case.name, m, sorted({f.rule_id for f in new})))
    return Outcome(tallies, false_errors, misses, seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synth", type=int, default=16, help="synthetic reports (default 16)")
    parser.add_argument("--per-kind", type=int, default=6, help="mutations per kind and report")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--misses", type=int, default=20, help="misses to list (default 20)")
    args = parser.parse_args()

    cases = build_cases(args.synth, args.seed)
    out = run(cases, args.per_kind, args.seed)
    print(f"{len(cases)} consistent reports (the example and {args.synth} synthetic)")
    print(f"{'kind':<15}{'mutations':>10}{'detected':>10}{'recall':>9}  expected rule ids")
    for kind in KINDS:
        t = out.tallies[kind.name]
        recall = t.detected / t.mutations if t.mutations else 0.0
        flag = "" if recall >= 0.8 else "  < 80 %"
        ids = ", ".join(sorted(kind.expected))
        print(f"{kind.name:<15}{t.mutations:>10}{t.detected:>10}{recall:>9.1%}  {ids}{flag}")
    total = sum(t.mutations for t in out.tallies.values())
    detected = sum(t.detected for t in out.tallies.values())
    print(f"{'overall':<15}{total:>10}{detected:>10}{out.recall:>9.1%}")
    rounding = sum(t.within_rounding for t in out.tallies.values())
    print(f"changes within the rounding of their inputs (not errors, not counted): {rounding}")
    print(f"false errors on unmutated reports: {len(out.false_errors)}")
    for name, f in out.false_errors:
        print(f"  {name}: [{f.rule_id}] {f.message}")
    median = statistics.median(out.audit_seconds) * 1000
    mean = statistics.mean(out.audit_seconds) * 1000
    audits = len(out.audit_seconds)
    print(f"time per audit: median {median:.1f} ms, mean {mean:.1f} ms ({audits} audits)")
    if out.misses:
        print(f"misses ({len(out.misses)}; first {min(args.misses, len(out.misses))}):")
        for name, m, rules in out.misses[: args.misses]:
            print(f"  {m.kind} in {name}: {m.note} — new errors: {', '.join(rules) or 'none'}")
    worst = min(
        (t.detected / t.mutations for t in out.tallies.values() if t.mutations), default=0.0
    )
    ok = out.recall >= 0.95 and worst >= 0.8 and not out.false_errors and total >= 500
    print(
        "targets (≥ 500 mutations, recall ≥ 95 %, every kind ≥ 80 %, 0 false errors):",
        "met" if ok else "NOT met",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
