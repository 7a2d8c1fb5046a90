from decimal import Decimal

import pytest

from juesuan.model.report import NarrativeSection
from juesuan.narrative.claims import ClaimKind, extract, scope_of


def claims(text: str, title: str = "收入支出决算总体情况说明") -> list[tuple[str, str, str, str]]:
    section = NarrativeSection("一", title, text)
    return [(c.kind.value, str(c.value), c.unit, c.subject) for c in extract(section)]


def test_amount_change_rate() -> None:
    found = claims(
        "2021 年度收、支均为 217.02 万元。与上一年度相比，收、支总计各增加 8.98 万元，增长 4.32%。"
    )
    assert found == [
        ("amount", "217.02", "万元", "收支"),
        ("change", "8.98", "万元", "收支总计"),
        ("rate", "4.32", "%", "收支总计"),
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("收入合计 2,170.00 万元", "2170.00", "万元"),
        ("占 66. 85%", "66.85", "%"),
        ("收入合计２１７.００万元", "217.00", "万元"),
        ("占比 4.5 ％", "4.5", "%"),
        ("收入 0.1234 万元", "0.1234", "万元"),
        ("均为 217.02 万万元", "217.02", "万万元"),
        # as the crawled Fujian pages print them (018, 006, 015, 013)
        ("公共财政拨款支出 3,222.64 万元，", "3222.64", "万元"),
        ("下降 7.3 ％", "7.3", "%"),
        ("下降66. 85%", "66.85", "%"),
        ("分别下降5.53 %", "5.53", "%"),
        ("支出３２２．６４万元", "322.64", "万元"),
        ("增长４．５％", "4.5", "%"),
        # 江苏 2017 (023): a space between every character of a line
        ("一 般 公 共 预 算 收 入 17981.68 万 元 ，", "17981.68", "万元"),
        ("合计 2.5 亿 元", "2.5", "亿元"),
    ],
)
def test_number_formats(text: str, value: str, unit: str) -> None:
    found = claims(text)
    assert (found[0][1], found[0][2]) == (value, unit)


def test_lines_broken_mid_sentence_and_double_spaced() -> None:
    text = "2022 年度收入合计 75.12 万元，与 2021 年度相\n\n比，收入合计减少 52.78 万元，下降\n\n41.27%。"
    found = claims(text, "收入决算情况说明")
    assert [(k, v) for k, v, _, _ in found] == [
        ("amount", "75.12"),
        ("change", "52.78"),
        ("rate", "41.27"),
    ]


def test_share_and_completion_bases() -> None:
    section = NarrativeSection(
        "五",
        "一般公共预算财政拨款支出决算情况说明",
        "（三）具体情况\n年初预算为 96.04 万元，支出决算为 75.12 万元，完成年初预算的 78.22%，占支出合计的 100%。",
    )
    found = extract(section)
    assert [c.kind for c in found] == [
        ClaimKind.AMOUNT,
        ClaimKind.AMOUNT,
        ClaimKind.COMPLETION,
        ClaimKind.SHARE,
    ]
    assert found[2].base == "年初预算" and found[3].base == "支出合计"
    assert found[0].subsection == "三" and found[0].scope == "gpb"
    assert found[0].value == Decimal("96.04")


def test_item_context_and_not_items() -> None:
    section = NarrativeSection(
        "五",
        "一般公共预算财政拨款支出决算情况说明",
        "1. 教育支出（类）进修及培训（款）培训支出（项）。年初预算为 0.41 万元，\n24.02 万元是数字不是条目。",
    )
    found = extract(section)
    assert found[0].item == "教育支出（类）进修及培训（款）培训支出（项）"
    assert found[-1].value == Decimal("24.02")


@pytest.mark.parametrize(
    ("title", "scope"),
    [
        ("一般公共预算财政拨款“三公”经费支出决算情况说明", "sangong"),
        ("一般公共预算财政拨款基本支出决算情况说明", "basic"),
        ("政府性基金预算财政拨款支出决算情况说明", "fund"),
        ("财政拨款收入支出决算总体情况说明", "fiscal"),
        ("收入支出决算总体情况说明", "overall"),
        ("支出决算情况说明", "expenditure"),
    ],
)
def test_scope_from_title(title: str, scope: str) -> None:
    assert scope_of(title) == scope


def test_printed_codes_and_numbering_are_not_subjects() -> None:
    # Fujian pages print the code after the name, 年 left out after a year, a （一） before the
    # subject (010, 011, 016): the subject is the name, the change keeps the item's subject
    found = claims(
        "2、提租补贴（科目编码：2210202）14.64万元，较2015决算数增加0.15万元，增加1.04%。",
        "公共财政拨款支出决算情况",
    )
    assert [(k, v, s) for k, v, _, s in found] == [
        ("amount", "14.64", "提租补贴"),
        ("change", "0.15", "提租补贴"),
        ("rate", "1.04", "提租补贴"),
    ]
    found = claims(
        "（一）2140101交通运输支出(类)公路水路运输(款)行政运行(项)拨款支出5.93万元。",
        "公共财政拨款支出决算情况",
    )
    assert found[0][3].startswith("交通运输支出(类)")
    found = claims("（一）〔2011501〕工商行政管理事务—行政运行支出2329.91万元。")
    assert found[0][3] == "工商行政管理事务—行政运行支出"
