"""What the text says against itself, beyond the money sums of :mod:`.statements`:

- counts that contradict each other (``check_counts``): 年末公务用车保有量 against the 车辆 the
  unit owns (国有资产占用情况), 出国团组 against 人次 and 接待批次 against 接待人数, the same
  "N个X" stated twice with different N (本部门包括 3 个下属单位 … 1 个下属单位; 等 82 个一级项目
  … 等 87 个一级项目, with the numbered list that settles which), and one thing counted in two
  units in one sentence (覆盖区县 16 个 … 覆盖区县 16 人);
- 项目绩效自评综述 against itself and against its own 项目支出绩效自评表 (``check_projects``):
  完成预算的 P% = 执行数 ÷ 全年预算数, the 全年预算数 and 执行数 printed in the form (the forms
  as :mod:`juesuan.evaluation` reads them), and the total 涉及预算资金 against the 全年预算数
  of the projects listed;
- shares of listed bases that must add up to a stated part (``check_listed_shares``): 货物、工程、
  服务 采购授予中小企业合同金额 as shares of each kind's spending, against the stated total.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from juesuan.evaluation import performance_of
from juesuan.evaluation.model import FormKind
from juesuan.evaluation.names import plain, title_core
from juesuan.evaluation.statements import SUMMARY
from juesuan.model.amount import half_unit
from juesuan.model.codes import normalize_name
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.narrative.audit import ZERO, Audit, Hit, hit, pct, places
from juesuan.narrative.claims import Claim, ClaimKind, is_budget
from juesuan.narrative.statements import Line, fmt, layouts, money, numbered
from juesuan.rules.finding import Severity

HUNDRED = Decimal(100)


def _hit(line: Line, start: int, severity: Severity | None = None, **fields: str) -> Hit:
    """A finding on a sentence (a count is no claim of its own)."""
    s = line.sentence
    base = {"section": s.section, "sentence": s.text, **fields}
    return Hit(s.section, s.text, base, s.source_at(start), severity)


def _all_lines(a: Audit) -> list[Line]:
    return [ln for _s, lines in layouts(a) for ln in lines]


# --- vehicles, trips, receptions --------------------------------------------------------------

_FLEET = re.compile(r"保有量\s*(?:为|是|共)?\s*(\d+)\s*辆")
_OWNED = re.compile(r"共有(?:各类)?车辆\s*(\d+)\s*辆|车辆(?:共|合计)\s*(\d+)\s*辆")
_GENERAL = re.compile(r"一般公务用车\s*(\d+)\s*辆")
_GROUPS = re.compile(r"团组\s*(\d+)\s*个")
_TRIPS = re.compile(r"累计\s*(\d+)\s*人次")
_BATCHES = re.compile(r"接待[^，,；;。\d]{0,8}?(\d+)\s*批次?")
_GUESTS = re.compile(r"接待(?:总)?人数\s*(?:为)?\s*(\d+)\s*人")
_VISITS = re.compile(r"(\d+)\s*批次?\s*[、，,]\s*(?:接待)?(?:总人数)?\s*(\d+)\s*人")


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _other_year(a: Audit, before: str) -> bool:
    """Does the text before a figure date it to another year than the report's?"""
    years = [int(y) for y in _YEAR.findall(before)]
    return a.report.year is not None and bool(years) and years[-1] != a.report.year


def _find(
    a: Audit, lines: list[Line], pattern: re.Pattern[str]
) -> tuple[Line, re.Match[str]] | None:
    """The first statement of this year's figure (not "2015年末…" in a 2016 report)."""
    for ln in lines:
        for m in pattern.finditer(ln.text):
            if not _other_year(a, ln.text[: m.start()]):
                return ln, m
    return None


def _number(m: re.Match[str]) -> int:
    return int(next(g for g in m.groups() if g is not None))


def _vehicles(a: Audit, lines: list[Line]) -> Iterator[Hit]:
    """年末公务用车保有量 cannot exceed the vehicles the unit owns at year end; fewer than its
    一般公务用车 is a warning (vehicles 封存 or handed over may explain it)."""
    fleet, owned = _find(a, lines, _FLEET), _find(a, lines, _OWNED)
    general = _find(a, lines, _GENERAL)
    if fleet is None:
        return
    line, m = fleet
    n = _number(m)
    if owned is not None and n > _number(owned[1]):
        yield _hit(
            line,
            m.start(),
            stated=m.group(0),
            expected=f"≤ {_number(owned[1])} 辆",
            problem=f"年末公务用车保有量 {n} 辆，多于国有资产占用情况所述共有车辆 "
            f"{_number(owned[1])} 辆（{owned[0].sentence.section}：{owned[0].sentence.text}）",
        )
    elif general is not None and n < _number(general[1]):
        yield _hit(
            line,
            m.start(),
            Severity.WARNING,
            stated=m.group(0),
            expected=f"{_number(general[1])} 辆",
            problem=f"年末公务用车保有量 {n} 辆，少于国有资产占用情况所述一般公务用车 "
            f"{_number(general[1])} 辆（{general[0].sentence.section}："
            f"{general[0].sentence.text}）",
        )


def _people(lines: list[Line]) -> Iterator[Hit]:
    """Each 出国团组 takes at least one person, each 接待批次 at least one guest."""
    for ln in lines:
        text = ln.text
        trips = _TRIPS.search(text)
        # the groups that went abroad, before their 人次 (not 来访团组 received)
        groups = [
            int(m.group(1))
            for m in _GROUPS.finditer(text, 0, trips.start() if trips else 0)
            if not re.search(r"来访|接待", re.split(r"[，,；;。]", text[: m.start()])[-1])
        ]
        if trips is not None and sum(groups) > int(trips.group(1)):
            yield _hit(
                ln,
                trips.start(),
                Severity.WARNING,
                stated=trips.group(0),
                expected=f"≥ {sum(groups)} 人次",
                problem=f"出国团组共 {sum(groups)} 个，而因公出国（境）累计 {trips.group(1)} 人次"
                "（每个团组至少一人次）",
            )
        visits = _visits(text)
        if visits is not None and visits[0] > visits[1]:
            batches, guests, at = visits
            yield _hit(
                ln,
                at,
                Severity.WARNING,
                stated=f"{guests}人",
                expected=f"≥ {batches} 人",
                problem=f"接待 {batches} 批次，而接待总人数为 {guests} 人（每批次至少一人）",
            )


def _visits(text: str) -> tuple[int, int, int] | None:
    """(批次, 人数, where) of a reception: "累计接待 11 批次、接待总人数 140 人" or "公务接待
    2 批次、26 人次"."""
    if pair := _VISITS.search(text):
        return int(pair.group(1)), int(pair.group(2)), pair.start(2)
    batches, guests = _BATCHES.search(text), _GUESTS.search(text)
    if batches and guests:
        return int(batches.group(1)), int(guests.group(1)), guests.start()
    return None


# --- "N个X" stated twice ------------------------------------------------------------------------

# "本部门包括 3 个…及 3 个下属单位", "…等 87 个一级项目的绩效自评结果": a count that sums up
# what the unit or a list consists of
_TALLY = re.compile(r"等|包括|共有|下设|设有|涉及|纳入")
_COUNTED = re.compile(r"(?<![\d.])(\d+)\s*个\s*([^\d，,。；;、及和与（(]{2,20})")


@dataclass(frozen=True)
class Tally:
    line: Line
    index: int  # the line's position in its section
    lines: list[Line]  # its section
    value: int
    noun: str
    start: int


def _tallies(a: Audit) -> list[Tally]:
    out: list[Tally] = []
    for _section, lines in layouts(a):
        for i, ln in enumerate(lines):
            text = ln.text
            for verb in _TALLY.finditer(text):
                stop = re.search(r"[，,。；;]", text[verb.end() :])
                clause_end = verb.end() + stop.start() if stop else len(text)
                for m in _COUNTED.finditer(text, verb.end(), clause_end):
                    noun = normalize_name(m.group(2))
                    if len(noun) < 4 or _other_year(a, text[: m.start()]):
                        continue  # "3个项目" names too little; "2015年…3个" is another year's
                    if not any(t.line is ln and t.start == m.start() for t in out):
                        out.append(Tally(ln, i, lines, int(m.group(1)), noun, m.start()))
    return out


def _below(tally: Tally) -> Iterator[Line]:
    """The lines after a count, up to the end of its subsection."""
    for ln in tally.lines[tally.index + 1 :]:
        if ln.sentence.subsection != tally.line.sentence.subsection:
            return
        yield ln


def listed(tally: Tally) -> int:
    """How many numbered lines (1., 2., …) follow a count in its subsection."""
    expected = 1
    for ln in _below(tally):
        if numbered(ln.text) == expected:
            expected += 1
    return expected - 1


def _restated(a: Audit) -> Iterator[Hit]:
    """The same count stated twice with different values: an error when the numbered list
    under one of them has exactly its number of lines (the other is then wrong), a warning
    otherwise."""
    groups: dict[str, list[Tally]] = {}
    for t in _tallies(a):
        groups.setdefault(t.noun, []).append(t)
    for noun, tallies in groups.items():
        values = {t.value for t in tallies}
        if len(values) < 2:
            continue
        proven = {t.value for t in tallies if listed(t) == t.value and listed(t) > 1}
        wrong = [t for t in tallies if proven and t.value not in proven]
        target = wrong[0] if len(proven) == 1 and wrong else tallies[-1]
        others = [t for t in tallies if t.value != target.value]
        other = next((t for t in others if t.value in proven), others[0])
        evidence = f"，其下逐项列出 {listed(other)} 个" if other.value in proven else ""
        noun = noun.split("的")[0]  # "一级项目的绩效自评结果": what is counted is 一级项目
        yield _hit(
            target.line,
            target.start,
            None if len(proven) == 1 and wrong else Severity.WARNING,
            stated=f"{target.value}个{noun}",
            expected=f"{other.value}个{noun}",
            problem=f"称{target.value}个“{noun}”，而{other.line.sentence.section}称"
            f"{other.value}个{evidence}（{other.line.sentence.text}）",
        )


# --- one thing counted in two units -------------------------------------------------------------

_COUNT = re.compile(r"(?<![\d.])(\d+)\s*(人次|个|家|所|项|人|名)")
_PERSONS = {"人", "人次", "名"}


def _suffix(x: str, y: str) -> str:
    n = 0
    while n < min(len(x), len(y)) and x[-1 - n] == y[-1 - n]:
        n += 1
    return x[len(x) - n :]


def _units(lines: list[Line]) -> Iterator[Hit]:
    """ "覆盖区县 16 个，…覆盖区县 16 人": what one sentence counts in 个 it cannot count in 人."""
    for ln in lines:
        text = ln.text
        seen: list[tuple[str, str, re.Match[str]]] = []
        for m in _COUNT.finditer(text):
            clause = re.split(r"[，,；;。、：:]", text[: m.start()])[-1]
            words = re.sub(r"[^\u4e00-\u9fff]", "", clause)
            for before, unit, _m in seen:
                common = _suffix(before, words)
                if len(common) >= 4 and (unit in _PERSONS) != (m.group(2) in _PERSONS):
                    yield _hit(
                        ln,
                        m.start(),
                        Severity.WARNING,
                        stated=m.group(0),
                        expected=f"{m.group(1)}{unit}",
                        problem=f"同句中“{common}”以“{unit}”计，此处却以“{m.group(2)}”计",
                    )
                    break
            seen.append((words, m.group(2), m))


def check_counts(a: Audit) -> Iterator[Hit]:
    """Counts that contradict each other (vehicles, trips, guests, restated counts, units)."""
    lines = _all_lines(a)
    yield from _vehicles(a, lines)
    yield from _people(lines)
    yield from _restated(a)
    yield from _units(lines)


# --- 项目绩效自评综述 ----------------------------------------------------------------------

_PROJECT = SUMMARY
_ACTUAL = re.compile(r"执行数|实际支出|支出数|执行金额")


@dataclass(frozen=True)
class Project:
    """A numbered 自评综述: the project and the figures it states."""

    line: Line
    name: str
    budget: Claim | None
    actual: Claim | None
    rate: Claim | None


def projects(a: Audit) -> list[Project]:
    out: list[Project] = []
    for _s, lines in layouts(a):
        for ln in lines:
            m = _PROJECT.match(ln.text)
            if m is None:
                continue
            # the forms print 万元; a summary in another unit is not compared with them
            amounts = [c for c in ln.claims if money(c) and c.unit == "万元"]
            actual = next(
                (c for c in amounts if _ACTUAL.search(c.subject) and "决算" not in c.subject),
                None,
            )
            rate = next(
                (
                    c
                    for c in ln.claims
                    if c.kind in (ClaimKind.COMPLETION, ClaimKind.PERCENT)
                    and actual is not None
                    and c.start > actual.start
                ),
                None,
            )
            out.append(Project(ln, m.group("name"), _budget(amounts, rate), actual, rate))
    return out


def _budget(amounts: list[Claim], rate: Claim | None) -> Claim | None:
    """The budget a 自评综述 completes: the one its rate names (完成年初预算的 → 年初预算数),
    else its 全年预算数, else the first budget it states."""
    budgets = [c for c in amounts if is_budget(c.subject)]
    base = (rate.base or "") if rate is not None else ""
    word = "年初" if "年初" in base else "全年"
    named = next((c for c in budgets if word in c.subject), None)
    return named or (budgets[0] if budgets else None)


def _rate(p: Project) -> Iterator[Hit]:
    """完成预算的 P% = 执行数 ÷ 全年预算数 (within the rounding of all three)."""
    if p.budget is None or p.actual is None or p.rate is None or p.budget.value <= 0:
        return
    b, b_h = p.budget.value, half_unit(p.budget.value)
    x, x_h = p.actual.value, half_unit(p.actual.value)
    if b - b_h <= 0:
        return
    d = places(p.rate.value)
    low, high = pct((x - x_h) / (b + b_h), d), pct((x + x_h) / (b - b_h), d)
    if not low <= p.rate.value <= high:
        yield hit(
            p.rate,
            expected=f"{pct(x / b, max(d, 2))}%",
            problem=f"完成预算的 {p.rate.text}，而执行数 {p.actual.text} ÷ 全年预算数 "
            f"{p.budget.text} = {pct(x / b, max(d, 2))}%",
        )


# --- the 项目支出绩效自评表 ----------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """A 项目支出绩效自评表 as the 自评综述 names it: its project, 全年预算数 and 全年执行数."""

    name: str
    budget: Decimal | None
    actual: Decimal | None
    source: Source | None


def forms(report: Report) -> list[Form]:
    """The report's project forms (read by :mod:`juesuan.evaluation`) in 万元: a form whose
    unit is not said cannot be compared with a 自评综述 in 万元; the 部门整体 form is no
    project's. A form is named by its title's core words, else by its 项目名称."""
    out: list[Form] = []
    for form in performance_of(report).forms:
        if form.kind not in (FormKind.PROJECT, FormKind.SPECIAL_FUND) or form.unit != "万元":
            continue
        name = title_core(form.title) if form.title else ""
        out.append(Form(name or plain(form.project), form.budget, form.actual, form.source))
    return out


def _agrees(claim: Claim | None, value: Decimal | None) -> bool:
    if claim is None or value is None:
        return True
    return abs(claim.value - value) <= half_unit(claim.value) + half_unit(value)


def align(items: list[Project], found: list[Form]) -> list[tuple[Project, Form]]:
    """Pair each 自评综述 with its form, in printed order (both list the projects in the same
    order): the monotone pairing of names that matches the most name characters (a form's
    name must be contained in its project's); where names tie (two forms of one name), the
    form whose figures agree is the project's."""
    names = [plain(p.name) for p in items]

    def score(i: int, j: int) -> int:
        core = found[j].name
        if len(core) < 4 or core not in names[i]:
            return 0
        p, f = items[i], found[j]
        return 2 * len(core) + (_agrees(p.budget, f.budget) and _agrees(p.actual, f.actual))

    n, m = len(items), len(found)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = score(i, j)
            best[i][j] = max(best[i + 1][j], best[i][j + 1], s + best[i + 1][j + 1] if s else 0)
    pairs: list[tuple[Project, Form]] = []
    i = j = 0
    while i < n and j < m:
        s = score(i, j)
        if s and best[i][j] == s + best[i + 1][j + 1]:
            pairs.append((items[i], found[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


Wrong = tuple[Project, Form, Claim, Decimal, str]


def _against_forms(items: list[Project], pairs: list[tuple[Project, Form]]) -> Iterator[Hit]:
    """A 自评综述 whose 全年预算数 or 执行数 is not its form's. Forms that print another
    project's own figures (copied from it) are reported once, with every project they affect."""
    wrong: list[Wrong] = []
    for p, form in pairs:
        for claim, value, what in (
            (p.budget, form.budget, "全年预算数"),
            (p.actual, form.actual, "全年执行数"),
        ):
            if claim is not None and value is not None and not _agrees(claim, value):
                wrong.append((p, form, claim, value, what))
                break
    copies: dict[int, tuple[Project | None, list[Wrong]]] = {}
    for entry in wrong:
        p, form = entry[0], entry[1]
        # copied from another project when exactly one other summary states its figures
        alike = [q for q in items if q is not p and _same_figures(q, form)]
        source = alike[0] if len(alike) == 1 else None
        key = id(source) if source else id(entry)
        copies.setdefault(key, (source, []))[1].append(entry)
    for source, group in copies.values():
        p, form, claim, value, what = group[0]
        also = "".join(f"；{q.line.sentence.text}（第 {_page(f)} 页）" for q, f, *_ in group[1:])
        copied = f"，即“{source.line.sentence.text}”的数字" if source else ""
        yield hit(
            claim,
            expected=f"{value:f}万元",
            problem=f"{what.removeprefix('全年') if what == '全年执行数' else what} "
            f"{claim.text}，而该项目的项目支出绩效自评表（第 {_page(form)} 页）{what}为 "
            f"{value:f}万元（全年预算数 {form.budget:f}、全年执行数 {form.actual:f}）"
            f"{copied}{also}",
        )


def _same_figures(p: Project, form: Form) -> bool:
    """Does a form print exactly what another 自评综述 states (a form copied from that one)?"""
    if p.budget is None or p.actual is None or form.budget is None or form.actual is None:
        return False
    return _agrees(p.budget, form.budget) and _agrees(p.actual, form.actual)


def _page(form: Form) -> str:
    return str(form.source.page) if form.source and form.source.page else "?"


def _sum(a: Audit, items: list[Project]) -> Iterator[Hit]:
    """ "…等 N 个一级项目的绩效自评结果，涉及预算资金 X 万元": X against the 全年预算数 of the
    projects listed under the same count."""
    tallies = _tallies(a)
    for t in tallies:
        n = listed(t)
        if n < 2:
            continue
        under = {(ln.sentence.section, ln.sentence.text) for ln in _below(t)}
        listing = [p for p in items if (p.line.sentence.section, p.line.sentence.text) in under]
        listing = listing[:n]
        if len(listing) != n or any(p.budget is None for p in listing):
            continue
        total = sum((p.budget.value for p in listing if p.budget), ZERO)
        tolerance = sum((half_unit(p.budget.value) for p in listing if p.budget), ZERO)
        for other in (x for x in tallies if x.noun == t.noun):
            stated = next(
                (c for c in other.line.claims if money(c) and c.start > other.start), None
            )
            if stated is None:
                continue
            if abs(stated.value - total) > tolerance + half_unit(stated.value):
                yield hit(
                    stated,
                    Severity.WARNING,
                    expected=fmt(total),
                    problem=f"所述预算资金 {stated.text}，而其下所列 {n} 个项目的全年预算数"
                    f"合计 {fmt(total)}",
                )


def check_projects(a: Audit) -> Iterator[Hit]:
    """项目绩效自评综述: its rate, its own 自评表, and the total of the projects listed."""
    items = projects(a)
    if not items:
        return
    for p in items:
        yield from _rate(p)
    yield from _against_forms(items, align(items, forms(a.report)))
    yield from _sum(a, items)


# --- shares of listed bases ---------------------------------------------------------------------


def check_listed_shares(a: Audit) -> Iterator[Hit]:
    """ "货物采购授予中小企业合同金额占政府采购货物支出合同的 4.07%，工程…23.65%，服务…
    20.02%": applied to the bases the section states, the shares must give the stated total
    (授予中小企业合同金额), within the rounding of every figure."""
    for (section, _text), claims in a.by_sentence().items():
        shares = [c for c in claims if c.kind is ClaimKind.SHARE and c.base and "占" in c.subject]
        named = [(c, normalize_name(c.subject.split("占")[0])) for c in shares]
        named = [(c, n) for c, n in named if len(n) >= 4]
        if len(named) < 2:
            continue
        common = named[0][1]
        for _c, n in named[1:]:
            common = _suffix(common, n)
        if len(common) < 4:
            continue
        amounts = [c for c in a.claims if c.section == section and money(c)]
        total = next(
            (
                c
                for c in amounts
                if normalize_name(c.subject).endswith(common)
                and normalize_name(c.subject) not in {n for _c, n in named}
            ),
            None,
        )
        if total is None:
            continue
        low = high = ZERO
        for share, _n in named:
            base = _base(amounts, normalize_name(share.base or ""))
            if base is None:
                break
            p, p_h = share.value / HUNDRED, half_unit(share.value) / HUNDRED
            b, b_h = base.value, half_unit(base.value)
            low += max(ZERO, p - p_h) * (b - b_h)
            high += (p + p_h) * (b + b_h)
        else:
            t, t_h = total.value, half_unit(total.value)
            if t + t_h < low or t - t_h > high:
                yield hit(
                    total,
                    Severity.WARNING,
                    expected=f"{fmt(low)}–{fmt(high)}",
                    problem=f"按所列比例（{'、'.join(c.text for c, _n in named)}）及其基数计算，"
                    f"{common}应在 {fmt(low)} 至 {fmt(high)} 之间",
                )


def _base(amounts: list[Claim], base: str) -> Claim | None:
    """The stated amount a share's base names (政府采购货物支出合同 → 政府采购货物支出 …)."""
    best: Claim | None = None
    for c in amounts:
        s = normalize_name(c.subject)
        longer = best is None or len(s) > len(normalize_name(best.subject))
        if len(s) >= 4 and (s in base or base in s) and longer:
            best = c
    return best
