"""A 决算 against the 预算 of its year (audit --budget): the 年初预算 the 决算 restates must be the
published budget (决算 ↔ 预算 核对).

The 决算 restates that spring's budget in two places:

- table 07 (一般公共预算财政拨款“三公”经费支出决算表) prints 预算数 beside 决算数 for the total
  and each item: compared with the 预算's “三公”经费支出表 (本年预算数), item by item where both
  print the item;
- the 情况说明 states the 年初预算 of the 一般公共预算财政拨款支出 total and of each 项 it lists
  ("（一）一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为 1560.05 万元，…"):
  compared with the 预算's 一般公共预算支出表 (合计 and the row of that code), and the 年初预算
  of the “三公” total it states with the 预算's “三公” total when table 07 prints no 预算数.

Every comparison is rounding-aware (each side stands for ± half a unit of its last digit), and a
figure the 预算 does not print is not compared (a 项 absent from the budget was added during the
year: the 决算 may print it with 年初预算 0). The 决算's own consistency (stated 年初预算 against
its table 07) is left to the other checks, so one difference is reported once.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from juesuan.model.layout import SANGONG_ITEMS, TableId
from juesuan.model.report import Report
from juesuan.narrative.audit import Audit, Hit, hit, wan, yuan
from juesuan.narrative.claims import ClaimKind, is_budget
from juesuan.narrative.link import READABLE, item_row
from juesuan.rules.rounding import term

# the 三公 items (SANGONG_ITEMS) are one name each in table 07 (预算数/…) and in the 预算's “三公”
# table (本年预算数/…)
_SANGONG_ROW = "三公经费"


def _cell(
    report: Report, table: TableId, row_key: str, column: str
) -> tuple[Decimal, Decimal] | None:
    """A printed cell in 元 with its half-width, or None when the table or the cell is not
    printed (a blank is printed only when the row prints the column)."""
    t = report.table(table)
    if t.status not in READABLE:
        return None
    row = t.row(row_key)
    if row is None or column not in row.cells:
        return None
    value = term(row.value(column), t.unit)
    return value.yuan, value.tolerance


def _shown(a: Decimal, b: Decimal) -> tuple[str, str]:
    """Both figures in 万元, or in 元 when they differ only below 0.01 万元."""
    shown, expected = wan(a), wan(b)
    if shown == expected:
        shown, expected = f"{a:,.2f}元", f"{b:,.2f}元"
    return shown, expected


def _sangong_table(a: Audit, budget: Report) -> Iterator[Hit]:
    for item in SANGONG_ITEMS:
        stated = _cell(a.report, TableId.T07, _SANGONG_ROW, f"预算数/{item}")
        published = _cell(budget, TableId.B07, _SANGONG_ROW, f"本年预算数/{item}")
        if stated is None or published is None:
            continue
        if abs(stated[0] - published[0]) <= stated[1] + published[1]:
            continue
        shown, expected = _shown(stated[0], published[0])
        name = f"“三公”经费{item}预算数"
        yield Hit(
            "公开表",
            name,
            {
                "section": "公开07表",
                "sentence": name,
                "stated": shown,
                "expected": expected,
                "problem": f"{name}与本年部门预算（“三公”经费支出表本年预算数）不符",
            },
            None,
        )


def _table07_prints_budget(report: Report) -> bool:
    return _cell(report, TableId.T07, _SANGONG_ROW, "预算数/合计") is not None


def check_budget(a: Audit) -> Iterator[Hit]:
    """The 决算's 年初预算 (table 07 三公 预算数; the 一般公共预算 total and 项 its 情况说明
    states) against the published 预算 of the year."""
    budget = a.budget
    if budget is None or (a.report.kind is not None and a.report.kind.is_budget):
        return
    yield from _sangong_table(a, budget)
    table07 = _table07_prints_budget(a.report)
    for c in a.claims:
        if c.kind is not ClaimKind.AMOUNT or not is_budget(c.subject):
            continue
        if c.scope == "gpb":
            if c.item:
                row = item_row(c.item, budget, a.codes, TableId.B05)
                key = row.key if row is not None else None
                name = f"{c.item}年初预算"
            elif c.subsection == "三" or "一般公共预算" in c.subject:
                key, name = "合计", "一般公共预算财政拨款支出年初预算"
            else:
                continue
            published = _cell(budget, TableId.B05, key, "本年预算数") if key else None
            where = "一般公共预算支出表本年预算数"
        elif c.scope == "sangong" and not c.item and "三公" in c.subject and not table07:
            published = _cell(budget, TableId.B07, _SANGONG_ROW, "本年预算数/合计")
            name, where = "“三公”经费年初预算", "“三公”经费支出表本年预算数合计"
        else:
            continue
        if published is None:
            continue
        stated, half = yuan(c)
        if abs(stated - published[0]) <= half + published[1]:
            a.verify(c, f"本年预算 {wan(published[0])}")
            continue
        yield hit(
            c,
            expected=wan(published[0]),
            problem=f"{name}与本年部门预算（{where}）{wan(published[0])}不符",
        )
