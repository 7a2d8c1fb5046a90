"""A 决算 held against its 预算 (audit --budget, narrative/against_budget.py): the 年初预算 the
决算 restates (table 07 三公 预算数; the 一般公共预算 total and 项 of its 情况说明) must be the
published budget. A generated pair (tests/synth.py's 决算 restating tests/budget_synth.py's 预算)
agrees, and every planted 年初预算 mismatch is found; a real pair of the corpus (the same unit's
决算 and 预算 of one year, INDEX.tsv) when it has one."""

from __future__ import annotations

import csv
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan import api
from juesuan.errors import InputError
from juesuan.model import edit
from juesuan.model.amount import Unit
from juesuan.model.layout import SANGONG_ITEMS, TableId
from juesuan.model.prior import unit_key
from juesuan.model.report import DocumentKind, NarrativeSection, Report
from juesuan.rules.finding import Finding, Severity
from tests.budget_synth import generate_budget
from tests.synth import generate_report

YEAR = 2025
WAN = Decimal(10000)
ITEMS = ("2010101", "2080505", "2210201")  # 项 the 情况说明 lists, each printed in the 预算
SANGONG = SANGONG_ITEMS
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _wan(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)) / WAN:.2f}"


def _budget_row(budget: Report, code: str) -> tuple[str, Decimal]:
    """The 项's "类（类）款（款）项（项）" name and its 本年预算数, from the 预算's 一般公共预算支出表."""
    table = budget.table(TableId.B05)
    names = [table.row(code[:n]) for n in (3, 5, 7)]
    chain = "".join(f"{r.label}（{lv}）" for r, lv in zip(names, "类款项", strict=True) if r)
    row = table.row(code)
    assert row is not None and row.value("本年预算数") is not None
    return chain, row.value("本年预算数") or Decimal(0)


def _gpb_text(budget: Report, total: Decimal, items: dict[str, Decimal]) -> str:
    lines = [
        "（三）一般公共预算财政拨款支出决算具体情况",
        f"一般公共预算财政拨款支出年初预算为{_wan(total)}万元，支出决算为{_wan(total)}万元，"
        "完成年初预算的100.00%。其中：",
    ]
    for n, (code, value) in enumerate(items.items(), 1):
        chain, _ = _budget_row(budget, code)
        lines.append(
            f"{n}、{chain}。年初预算为{_wan(value)}万元，支出决算为{_wan(value)}万元。"
            "决算数与预算数持平。"
        )
    return "\n".join(lines)


def final_of(budget: Report, **planted: Decimal) -> Report:
    """The same unit's 决算 of the year, restating the budget: its table 07 预算数 are the
    budget's “三公” 本年预算数 and its 情况说明 states the 一般公共预算 total and three 项 with
    the budget's figures. ``planted`` adds to one stated figure (元): "total", a 项 code, or a
    三公 item of table 07."""
    report = replace(
        generate_report(3, year=YEAR),
        unit_name=budget.unit_name,
        kind=DocumentKind.DEPARTMENT_FINAL,
    )
    sangong = budget.table(TableId.B07).row("三公经费")
    assert sangong is not None
    for item in SANGONG:
        value = (sangong.value(f"本年预算数/{item}") or Decimal(0)) + planted.get(item, Decimal(0))
        report = edit.set_cell(report, TableId.T07, "三公经费", f"预算数/{item}", value)
    total_row = budget.table(TableId.B05).row("合计")
    assert total_row is not None
    total = (total_row.value("本年预算数") or Decimal(0)) + planted.get("total", Decimal(0))
    items = {c: _budget_row(budget, c)[1] + planted.get(c, Decimal(0)) for c in ITEMS}
    section = NarrativeSection(
        "五", "一般公共预算财政拨款支出决算情况说明", _gpb_text(budget, total, items)
    )
    return replace(report, sections=(section,))


def budget_findings(report: Report, budget: Report) -> list[Finding]:
    return [f for f in api.audit(report, budget=budget).findings if f.rule_id == "N.budget"]


@pytest.fixture(scope="module")
def budget() -> Report:
    return generate_budget(YEAR)


def test_a_final_restating_its_budget_agrees(budget: Report) -> None:
    report = final_of(budget)
    assert budget_findings(report, budget) == []
    result = api.audit(report, budget=budget)
    assert result.budget_file is None or result.budget_file == budget.source_file
    # each stated 年初预算 is shown compared with the budget
    stated = [c for c in result.claims if c.sentence[: c.start].endswith("年初预算为")]
    assert len(stated) == 1 + len(ITEMS)
    assert all(c.status.value == "verified" for c in stated), [c.link for c in stated]
    assert all((c.link or "").startswith("本年预算") for c in stated)


def test_without_a_budget_nothing_is_compared(budget: Report) -> None:
    report = final_of(budget, total=Decimal(10000))
    assert not any(f.rule_id == "N.budget" for f in api.audit(report).findings)


@pytest.mark.parametrize(
    ("planted", "words"),
    [
        ("total", "一般公共预算财政拨款支出年初预算"),
        ("2080505", "机关事业单位基本养老保险缴费支出（项）年初预算"),
        ("公务接待费", "“三公”经费公务接待费预算数"),
        ("合计", "“三公”经费合计预算数"),
    ],
)
def test_a_planted_budget_mismatch_is_found(budget: Report, planted: str, words: str) -> None:
    report = final_of(budget, **{planted: Decimal(10000)})  # 1.00 万元 more than the budget
    found = budget_findings(report, budget)
    assert len(found) == 1, [f.message for f in found]
    assert found[0].severity is Severity.ERROR and words in found[0].message
    assert "与本年部门预算" in found[0].message


def test_a_rounding_difference_is_no_mismatch(budget: Report) -> None:
    # the 情况说明 states 万元 with 2 decimals: 49 元 off is inside ± 50 元
    report = final_of(budget, **{"2010101": Decimal(49), "total": Decimal(-49)})
    assert budget_findings(report, budget) == []


def test_an_item_the_budget_does_not_print_is_not_compared(budget: Report) -> None:
    # a 项 added during the year: the 预算 has no row for it, so its 年初预算 is not compared
    report = final_of(budget, **{"2080505": Decimal(10000)})
    without = edit.remove_row(budget, TableId.B05, "2080505")
    assert budget_findings(report, without) == []


def test_another_units_budget_is_refused(budget: Report) -> None:
    other = replace(budget, unit_name="某某市另一局")
    with pytest.raises(InputError, match="another unit"):
        api.audit(final_of(budget), budget=other)
    found = api.audit(final_of(budget, total=Decimal(10000)), budget=other, budget_any=True)
    assert any(f.rule_id == "N.budget" for f in found.findings)
    assert any("按要求仍与之比较" in n for n in found.report.reader_notes)


# --- a real pair -------------------------------------------------------------------------


def _real_pairs() -> list[tuple[Path, Path]]:
    """The same unit's 决算 and 预算 of one year in the corpus (INDEX.tsv unit and year)."""
    index = CORPUS / "INDEX.tsv"
    if not index.exists():
        return []
    with open(index, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))

    def key(row: dict[str, str]) -> tuple[str, str]:
        return unit_key(row["unit"].split(" (")[0].split("（汇总")[0]), row["year"]

    finals = {key(r): r["file"] for r in rows if r["kind"] == "决算"}
    return [
        (CORPUS / finals[key(r)], CORPUS / r["file"])
        for r in rows
        if r["kind"].startswith("预算") and key(r) in finals
    ]


@pytest.mark.slow
@pytest.mark.parametrize("pair", _real_pairs() or [None])
def test_a_real_pair_finds_a_planted_mismatch(pair: tuple[Path, Path] | None) -> None:
    if pair is None:
        pytest.skip("the corpus holds no 决算 and 预算 of the same unit and year")
    final_path, budget_path = pair
    report, budget = api.load(final_path), api.load(budget_path)
    before = budget_findings(report, budget)
    # plant: the 预算 prints one more 万元 in every figure the 决算 restates
    total = budget.table(TableId.B05).row("合计")
    if total is None or total.value("本年预算数") is None:
        pytest.skip(f"{budget_path.name} prints no 一般公共预算支出 total")
    one = Unit.WAN_YUAN.in_yuan / (budget.table(TableId.B05).unit or Unit.YUAN).in_yuan
    planted = edit.add_to_cell(budget, TableId.B05, "合计", "本年预算数", one)
    after = budget_findings(report, planted)
    assert len(after) > len(before), "the planted 年初预算 mismatch is not found"
