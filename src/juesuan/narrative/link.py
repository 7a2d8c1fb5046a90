"""Linking: which table cell (or derived value) a claim states, by section scope and label words.

A quantity is a sum of cells read through the same references as the rule files
(``TABLE:ROW[:COLUMN]``). A claim whose words name nothing known stays unlinked ("unverified"):
it is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from juesuan.model.budget_lexicon import budget_lexicon
from juesuan.model.codes import Codes, normalize_name
from juesuan.model.layout import SPECS, TableId
from juesuan.model.lexicon import lexicon
from juesuan.model.report import Report
from juesuan.model.tables import Level, Row, TableStatus
from juesuan.narrative.claims import GENERIC, Claim, is_budget
from juesuan.rules.refs import column_for, parse_ref, resolve_rows
from juesuan.rules.rounding import ZERO, term

READABLE = (TableStatus.PRESENT, TableStatus.EMPTY)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A table value a sentence can state, in 元 with its rounding half-width."""

    name: str  # how the finding names it: 本年收入合计（公开01表）
    yuan: Decimal
    tolerance: Decimal
    table: str
    row: str
    column: str | None


# (scope or "*", words in the subject, references summed, name): data, model/data/lexicon.toml.
Entry = tuple[str, tuple[str, ...], tuple[str, ...], str]
LEXICON: tuple[Entry, ...] = lexicon()


def quantity(report: Report, refs: tuple[str, ...], name: str) -> Quantity | None:
    """Sum of referenced cells, or None when a table is not readable or no row is printed."""
    total, tol, found = ZERO, ZERO, False
    first = parse_ref(refs[0])
    column: str | None = None
    budget = is_budget_report(report)
    for text in refs:
        ref = parse_ref(text)
        table = report.table(ref.table)
        if table.status not in READABLE:
            return None
        for row in resolve_rows(ref, table):
            if budget and ref.column is not None and ref.column not in row.cells:
                continue  # a column this region's table does not print (its 金额 only)
            found = True
            column = column_for(ref, row)
            t = term(row.value(column), table.unit, ref.sign)
            total += t.sign * t.yuan
            tol += t.tolerance
    if not found:
        return None
    label = f"{name}（{SPECS[first.table].label}）"
    return Quantity(label, total, tol, first.table.value, first.row, column)


def first_quantity(
    report: Report, alternatives: tuple[tuple[str, ...], ...], name: str
) -> Quantity | None:
    """The quantity of the first alternative the report prints (a 预算 lexicon entry)."""
    for refs in alternatives:
        q = quantity(report, refs, name)
        if q is not None:
            return q
    return None


def budget_match(claim: Claim) -> tuple[tuple[tuple[str, ...], ...], str] | None:
    """The budget cells a 预算 claim's subject names in its section scope (longest words win,
    the section's own at equal length): ``model/data/budget_lexicon.toml``."""
    subject = normalize_name(claim.subject)
    best: tuple[tuple[bool, int, int, bool], tuple[tuple[str, ...], ...], str] | None = None
    for entry in budget_lexicon().entries:
        if entry.scope not in ("*", claim.scope):
            continue
        for w in entry.words:
            # a named source or item ("其他资金收入预算总计", "基本支出预算数") is what the
            # figure is, before the total words that follow it; of two named ones the later
            # (the head of "一般公共预算拨款安排的会议费预算支出" is 会议费)
            word = normalize_name(w)
            at = subject.rfind(word)
            if at >= 0 and word.endswith("收入") and subject[at + len(word) :].startswith("支出"):
                continue  # "事业收入支出 226.50 万元": spent from that income, not the income
            rank = (not entry.generic, at + len(word), len(w), entry.scope != "*")
            if at >= 0 and (best is None or rank > best[0]):
                best = (rank, entry.alternatives, entry.name)
    return None if best is None else (best[1], best[2])


def is_budget_report(report: Report) -> bool:
    return report.kind is not None and report.kind.is_budget


def lexicon_quantities(report: Report) -> Iterator[tuple[str, Quantity]]:
    """Every quantity the report's lexicon names (its own: a 预算's or a 决算's), with the
    scope it belongs to."""
    if is_budget_report(report):
        for entry in budget_lexicon().entries:
            q = first_quantity(report, entry.alternatives, entry.name)
            if q is not None:
                yield entry.scope, q
        return
    for scope, _words, refs, name in LEXICON:
        q = quantity(report, refs, name)
        if q is not None:
            yield scope, q


_CHANGE_WORDS = re.compile(r"增加|减少|增长|下降|压减|调增|调减|新增")
_CODE_IN_SUBJECT = re.compile(r"[（(](\d{3}(?:\d{2}){0,2})[)）]")


def _link_budget(claim: Claim, report: Report, codes: Codes) -> Quantity | None:
    """A 预算 claim: the budget lexicon's cells, a 类 of the section's table, a 项 named by its
    chain (类）（款）（项） or by its code ("行政运行（2010301）4,414.15万元", 西安)."""
    lexicon = budget_lexicon()
    subject = claim.subject
    if GENERIC.match(subject):
        if claim.scope == "gpb" and claim.item:
            row = item_row(claim.item, report, codes, TableId(lexicon.items.table))
            return _row_quantity(report, row, lexicon.items.table, lexicon.items.column)
        if not claim.context:
            return None
        claim = replace(claim, subject=claim.context)
        subject = claim.context
    if (coded := _CODE_IN_SUBJECT.search(subject)) is not None:
        place = lexicon.classes.get(claim.scope, lexicon.items)
        row = report.table(TableId(place.table)).row(coded.group(1))
        return _row_quantity(report, row, place.table, place.column)
    if _CHANGE_WORDS.search(subject):
        return None  # "主要原因是基本支出增加人员经费1408.29万元": a change told in words
    if _in_reason(claim):
        return None  # "主要原因是…将…国内服务费3.2万元由委托业务费调整…": a reason's figure
    if _fund_subset(claim):
        return None  # the share of one fund: the budget tables print all funds together
    found = budget_match(claim)
    if found is not None:
        return first_quantity(report, *found)
    classes = lexicon.classes.get(claim.scope)
    marked = re.search(r"[（(]类[）)]", subject)
    if classes is not None and (marked or _is_class_name(subject, report.year, codes)):
        name = re.split(r"[（(]类[）)]", subject)[0]
        code = codes.function.class_by_name(name, report.year)
        entry = codes.function.lookup(code, report.year) if code else None
        if entry and normalize_name(entry.name).startswith(normalize_name(name)):
            refs = (f"{classes.table}:{code}:{classes.column}",)
            return quantity(report, refs, f"{classes.prefix}{code} {entry.name}")
    return None


# "政府采购预算总额947万元:货物47万元、…;其中一般公共预算拨款政府采购0万元、政府采购货物预算0万元":
# after "其中" and a fund, the figures are that fund's part of each purchase line
_FUND_SUBSET = re.compile(
    r"其中\W{0,2}(?:一般公共预算|政府性基金(?:预算)?|国有资本经营预算|财政)(?:财政)?拨款"
)


def _in_reason(claim: Claim) -> bool:
    """Is the figure told in the clause giving a reason (主要原因是…, up to the next ；)?"""
    before = claim.sentence[: claim.start]
    clause = before[max(before.rfind("；"), before.rfind(";")) + 1 :]
    return "原因" in clause


def _fund_subset(claim: Claim) -> bool:
    """Is a 政府采购 figure stated for one fund's part ("其中一般公共预算拨款…")?"""
    if "采购" not in claim.subject:
        return False
    before = claim.sentence[: claim.start]
    clause = before[max(before.rfind("；"), before.rfind(";")) + 1 :]
    return bool(_FUND_SUBSET.search(clause))


def _row_quantity(report: Report, row: Row | None, table: str, column: str) -> Quantity | None:
    if row is None or not row.code:
        return None
    return quantity(report, (f"{table}:{row.code}:{column}",), f"{row.code} {row.label}")


def _norm(subject: str) -> str:
    return normalize_name(subject).replace("（", "(").replace("）", ")")


def lexicon_match(claim: Claim) -> tuple[tuple[str, ...], str] | None:
    """The references a claim's subject names in its section scope (longest words win)."""
    subject = normalize_name(claim.subject)
    best: tuple[tuple[int, bool], tuple[str, ...], str] | None = None
    for scope, words, refs, name in LEXICON:
        if scope not in ("*", claim.scope):
            continue
        for w in words:
            rank = (len(w), scope != "*")  # at equal length the section's own words win
            if normalize_name(w) in subject and (best is None or rank > best[0]):
                best = (rank, refs, name)
    if best is None:
        return None
    refs, name = best[1], best[2]
    if claim.scope == "sangong" and "预算" in subject and "决算数/" in refs[0]:
        refs = tuple(r.replace("决算数/", "预算数/") for r in refs)
        name = name.replace("决算数", "预算数")
    return refs, name


def class_row(report: Report, table: TableId, name: str, codes: Codes) -> Row | None:
    """A 类 row of a function-classified table by its printed or official name."""
    code = codes.function.class_by_name(name, report.year)
    if code is None:
        return None
    return report.table(table).row(code)


FUND_SCOPES = {
    "fund": ("08:合计:本年支出/合计", "政府性基金预算财政拨款支出"),
    "capital": ("09:合计:本年支出/合计", "国有资本经营预算财政拨款支出"),
}


# Where the 类 a section names are: (table, column, prefix of the quantity's name).
CLASS_COLUMNS = {
    "gpb": ("05", "合计", ""),
    "fund": ("08", "本年支出/合计", "政府性基金预算财政拨款支出 "),
    "capital": ("09", "本年支出/合计", "国有资本经营预算财政拨款支出 "),
}


def link(claim: Claim, report: Report, codes: Codes) -> Quantity | None:
    """The quantity a claim states, or None (unverified)."""
    if is_budget_report(report):
        return _link_budget(claim, report, codes)
    subject = claim.subject
    if is_budget(subject) and claim.scope != "sangong":
        return None  # 年初预算 is source data, not in the 决算 tables
    if GENERIC.match(subject):
        if claim.scope in FUND_SCOPES:
            ref, name = FUND_SCOPES[claim.scope]
            return quantity(report, (ref,), name)
        if claim.scope == "gpb" and claim.item:
            row = item_row(claim.item, report, codes)
            return (
                quantity(report, (f"05:{row.code}:合计",), f"{row.code} {row.label}")
                if row
                else None
            )
        if not claim.context:
            return None
        subject = claim.context + ("预算" if is_budget(subject) else "")
        claim = replace(claim, subject=subject)
    found = lexicon_match(claim)
    if found is not None:
        return quantity(report, *found)
    # a 类 named in the 一般公共预算 section (教育（类）支出 0.41 万元, or plainly 教育支出 0.41
    # 万元 when the subject is exactly the class's official name), or in 八/九 of its fund
    marked = re.search(r"[（(]类[）)]", subject)
    if claim.scope in CLASS_COLUMNS and (marked or _is_class_name(subject, report.year, codes)):
        table, column, fund = CLASS_COLUMNS[claim.scope]
        name = re.split(r"[（(]类[）)]", subject)[0]
        code = codes.function.class_by_name(name, report.year)
        if code and codes.function.lookup(code, report.year) is not None:
            entry = codes.function.lookup(code, report.year)
            if entry and normalize_name(entry.name).startswith(normalize_name(name)):
                return quantity(report, (f"{table}:{code}:{column}",), f"{fund}{code} {entry.name}")
    # an economic item of table 06 named in the 基本支出 section: 基本工资 17.05 万元
    if claim.scope == "basic":
        t06 = report.table(TableId.T06)
        for row in t06.rows:
            if row.code and normalize_name(row.label) == normalize_name(subject):
                return quantity(report, (f"06:{row.code}",), f"{row.code} {row.label}")
    return None


def _is_class_name(subject: str, year: int | None, codes: Codes) -> bool:
    """Is the subject exactly the official name of a 类 of that year (社会保障和就业支出)?"""
    return bool(codes.function.by_name(subject, year, 3))


CHAIN = re.compile(r"(.+?)[（(]类[）)](?:(.+?)[（(]款[）)])?(?:(.+?)[（(]项[）)])?")


def item_chain(item: str) -> tuple[str, str | None, str | None] | None:
    """ "教育支出（类）进修及培训（款）培训支出（项）" → (类, 款, 项) names."""
    m = CHAIN.match(re.sub(r"\s+", "", item))
    if not m:
        return None
    return m.group(1), m.group(2), m.group(3)


def resolve_chain(
    chain: tuple[str, str | None, str | None],
    year: int | None,
    codes: Codes,
    printed: dict[str, str] | None = None,
) -> tuple[str | None, list[str]]:
    """The code a (类, 款, 项) chain names in ``year``, and the names that are not official.

    ``printed`` (code → label of the rows the report's table 05 prints) resolves a 款 or 项
    by the name the report's own table prints under that code: the narrative then agrees with
    its table, and whether the table's name is the year's official one is the table rule's
    question (C.code_name), so a gap or an old name in our list never becomes a narrative
    error."""
    cls, section, item = chain
    wrong: list[str] = []
    code = codes.function.class_by_name(cls, year)
    entry = codes.function.lookup(code, year) if code else None
    if (
        code is None
        or entry is None
        or normalize_name(entry.name).removesuffix("支出")
        != (normalize_name(cls).removesuffix("支出"))
    ):
        wrong.append(f"{cls}（类）")
        if code is None:
            return None, wrong
    for name, length in ((section, 5), (item, 7)):
        if name is None:
            break
        hits = [
            e.code for e in codes.function.by_name(name, year, length) if e.code.startswith(code)
        ]
        if not hits and printed:
            hits = [
                c
                for c, label in printed.items()
                if len(c) == length
                and c.startswith(code)
                and normalize_name(label) == normalize_name(name)
            ]
        if not hits:
            wrong.append(f"{name}（{'款' if length == 5 else '项'}）")
            return None, wrong
        code = hits[0]
    return code, wrong


def printed_labels(report: Report, table: TableId = TableId.T05) -> dict[str, str]:
    """Code → printed label of the classification rows of table 05 (or another)."""
    return {r.code: r.label for r in report.table(table).rows if r.code}


def item_row(
    item: str, report: Report, codes: Codes, table: TableId = TableId.T05
) -> Row | None:
    chain = item_chain(item)
    if chain is None:
        return None
    code, wrong = resolve_chain(chain, report.year, codes, printed_labels(report, table))
    if code is None or wrong:
        return None
    return report.table(table).row(code)


def rows_with_value(report: Report, table: TableId, yuan: Decimal, tol: Decimal) -> list[Row]:
    """Rows of a classification table whose 合计/first column matches a stated value."""
    t = report.table(table)
    column = t.spec.sides[0].columns[0]
    out = []
    for row in t.rows:
        if not row.code:
            continue
        value = term(row.value(column), t.unit)
        if abs(value.yuan - yuan) <= tol + value.tolerance:
            out.append(row)
    return sorted(out, key=lambda r: (r.level is not Level.CLASS, r.code or ""))
