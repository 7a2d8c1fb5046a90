"""The reference code lists: every code and name printed in the seeds resolves for its year."""

from __future__ import annotations

import re

import pytest

from juesuan.model.codes import normalize_name, reference_codes
from juesuan.model.report import Report
from tests.conftest import SEED_002

CODES = reference_codes()


def test_every_seed002_code_resolves_with_its_printed_name(seed002: Report) -> None:
    checked = 0
    for tid in ("02", "03", "05", "06"):
        table = seed002.table(tid)
        codes = CODES.economic if tid == "06" else CODES.function
        for row in table.rows:
            if not row.code:
                continue
            entry = codes.lookup(row.code, 2021)
            assert entry is not None, f"{tid} {row.code} {row.label}"
            assert normalize_name(entry.name) == normalize_name(row.label), (row.code, row.label)
            checked += 1
    assert checked > 100


def test_seed002_class_names_of_table01_resolve(seed002: Report) -> None:
    classes = [r for r in seed002.table("01").rows if r.side == "支出" and r.code]
    assert len(classes) == 26
    for row in classes:
        entry = CODES.function.lookup(row.code or "", 2021)
        assert entry is not None and normalize_name(entry.name) == normalize_name(row.label)


def test_seed000_codes_named_in_its_text() -> None:
    assert CODES.function.lookup("2010601", 2022) is not None  # 财政事务 / 行政运行
    assert CODES.function.lookup("2080101", 2022).name == "行政运行"  # type: ignore[union-attr]
    assert CODES.function.lookup("2080108", 2022).name == "信息化建设"  # type: ignore[union-attr]


def test_name_changes_by_year() -> None:
    assert CODES.function.lookup("210", 2021).name == "卫生健康支出"  # type: ignore[union-attr]
    older = [e.name for e in CODES.function.names("210")]
    assert "医疗卫生与计划生育支出" in older
    # the outdated name still finds its class (for reading tables), but is not valid in 2021
    assert CODES.function.class_by_name("医疗卫生与计划生育支出", 2021) == "210"
    assert CODES.function.by_name("医疗卫生与计划生育支出", 2021) == []


def test_levels_and_parents_are_consistent() -> None:
    for code in ("2050803", "2080505", "2101102"):
        assert CODES.function.lookup(code[:5], 2021) is not None
        assert CODES.function.lookup(code[:3], 2021) is not None


@pytest.mark.parametrize(
    ("printed", "official"),
    [
        ("因公出国(境)费用", "因公出国（境）费用"),
        ("一、一般公共服务支出", "一般公共服务支出"),
        ("教育（类）", "教育"),
        ("总 计", "总计"),
    ],
)
def test_normalize_name(printed: str, official: str) -> None:
    assert normalize_name(printed) == normalize_name(official)


def test_all_seed_function_codes_are_in_the_list() -> None:
    if not SEED_002.exists():
        pytest.skip("seeds not beside the repository")
    text = SEED_002.read_text(encoding="utf-8")
    for code in set(re.findall(r"^(2\d{2}(?:\d{2}){0,2})\t", text, re.M)):
        assert code in CODES.function, code
