"""Cross-year checks when both years have tables: the table path of N.prior (01/04 年初 against
last year's 年末, a stated change against last year's table cell) does the comparing, and the
narrative-only checks (N.prior_stated) stay silent, so one difference is reported once."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from juesuan.model import edit
from juesuan.model.report import Report
from juesuan.narrative.review import review
from juesuan.rules.declarations import narrative_rules
from juesuan.rules.finding import Finding

CHANGE = "收、支总计各增加 8.98 万元"  # seed 002 一: 217.02 万元, 8.98 more than 2020


def prior_of(seed: Report, total: Decimal) -> Report:
    last = edit.set_cell(seed, "01", "收入总计", "决算数", total)
    return replace(last, year=(seed.year or 2021) - 1, source_file="last-year.txt")


def across(seed: Report, prior: Report) -> list[Finding]:
    found = review(seed, narrative_rules(), prior=prior).findings
    return [f for f in found if f.rule_id.startswith("N.prior")]


def test_stated_change_against_last_years_table(seed002: Report) -> None:
    right = prior_of(seed002, Decimal("2080384.18"))  # 2,170,184.18 − 89,800
    wrong = prior_of(seed002, Decimal("2170184.18"))  # unchanged: 增加 0, not 8.98
    on_change = [f for f in across(seed002, right) if CHANGE in (f.location.quote or "")]
    assert on_change == []
    (f,) = [f for f in across(seed002, wrong) if CHANGE in (f.location.quote or "")]
    assert f.rule_id == "N.prior" and f.expected == "增加0.00万元"


def test_text_checks_leave_both_years_tables_to_the_table_path(seed002: Report) -> None:
    wrong = prior_of(seed002, Decimal("2170184.18"))
    assert [f for f in across(seed002, wrong) if f.rule_id == "N.prior_stated"] == []


def test_a_balance_differing_by_a_few_yuan_is_shown_in_yuan(seed002: Report) -> None:
    """169.84 元 against 153.34 元 both print as 0.02万元: the message says 元."""
    last = replace(seed002, year=2020, source_file="last-year.txt")
    (f,) = [f for f in across(seed002, last) if "年初结转和结余与上年年末数不符" in f.message]
    assert "153.34元" in f.message and "169.84元" in f.message


def test_a_crawled_page_after_a_report_with_tables(seed002: Report) -> None:
    """This year's text (no tables) against last year's table 01: 年末 169.84 元 = 0.02 万元."""
    from juesuan.model.report import NarrativeSection

    def page(opening: str) -> Report:
        text = f"2022年本部门年初结转和结余{opening}万元，本年收入217.00万元。"
        return Report(
            unit_name=seed002.unit_name,
            year=2022,
            sections=(NarrativeSection("一", "收入支出决算总体情况说明", text),),
        )

    assert [f for f in across(page("0.02"), seed002) if f.rule_id == "N.prior_stated"] == []
    (f,) = [f for f in across(page("5.00"), seed002) if f.rule_id == "N.prior_stated"]
    assert "年末结转和结余（公开01表）" in f.message
