"""The reference code lists: every code and name printed in the seeds resolves for its year; the
lists' structure, sources and the rows the corpus harvest added; ``check_name``'s verdicts."""

from __future__ import annotations

import itertools
import re

import pytest

from juesuan.model.codes import CodeEntry, NameStatus, normalize_name, reference_codes
from juesuan.model.report import Report
from juesuan.model.tables import parent_code
from tests.conftest import SEED_002

CODES = reference_codes()
LAST = 2026  # the last year the lists cover: an open row is valid up to here


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


# ---------------------------------------------------------------------------------------------
# The lists as data: structure, sources, names


def _rows(kind: str) -> list[CodeEntry]:
    return [e for c in getattr(CODES, kind).codes() for e in getattr(CODES, kind).names(c)]


@pytest.mark.parametrize("kind", ["function", "economic"])
def test_rows_of_a_code_never_overlap(kind: str) -> None:
    codes = getattr(CODES, kind)
    for code in codes.codes():
        rows = sorted(codes.names(code), key=lambda e: e.valid_from)
        for a, b in itertools.pairwise(rows):
            assert a.valid_to is not None and a.valid_to < b.valid_from, (a, b)


@pytest.mark.parametrize("kind", ["function", "economic"])
def test_every_child_has_its_parent_in_its_years(kind: str) -> None:
    """A 项 implies its 款 and a 款 its 类 in every year it is valid, except in a year where the
    parent has no row between two of its names (the change year is not known: 310 in 2018)."""
    codes = getattr(CODES, kind)
    for e in _rows(kind):
        parent = parent_code(e.code)
        if parent is None:
            continue
        starts = [p.valid_from for p in codes.names(parent)]
        for year in range(e.valid_from, (e.valid_to or LAST) + 1):
            if codes.known(parent, year):
                continue
            between = any(s < year for s in starts) and any(s > year for s in starts)
            assert between, f"{e.code} {e.name} in {year}: no {parent}"


SOURCE_KEY = re.compile(
    r"seed00[02]|mof-list-recall|(?:corpus:)?(?:truth|final-accounts|budgets|performance)/\d+|\+\d+"
)


@pytest.mark.parametrize("kind", ["function", "economic"])
def test_sources_are_documented_keys(kind: str) -> None:
    for e in _rows(kind):
        tokens = e.source.split()
        assert tokens and all(SOURCE_KEY.fullmatch(t) for t in tokens), e
        corpus = [t for t in tokens if "/" in t]
        assert not corpus or corpus[0].startswith("corpus:"), e  # one prefix before the documents
        assert e.confirmed == (tokens != ["mof-list-recall"]), e


@pytest.mark.parametrize("kind", ["function", "economic"])
def test_names_are_written_in_the_official_form(kind: str) -> None:
    for e in _rows(kind):
        assert not re.search(r"[\s()]", e.name), e  # full-width （）, no spaces
        assert normalize_name(e.name) == normalize_name(normalize_name(e.name))
        # before 2019 only rows a report prints, and the four renamed 类 of the recalled list
        assert e.valid_from >= 2019 or e.confirmed or len(e.code) == 3, e


def test_corpus_rows_of_2024_and_2017() -> None:
    """Codes the recalled list lacked, from published reports (SOURCES.md, harvest)."""
    fn, ec = CODES.function, CODES.economic
    # 社会工作事务 under 201 (truth 003, 上海市普陀区 2024)
    for code, name in [
        ("20139", "社会工作事务"),
        ("2013901", "行政运行"),
        ("2013950", "事业运行"),
        ("2013999", "其他社会工作事务支出"),
    ]:
        entry = fn.lookup(code, 2024)
        assert entry is not None and entry.name == name and entry.confirmed
        assert "truth/003" in entry.source
    assert not fn.known("2013901", 2023)  # first printed in 2024: the list says nothing before
    # the pre-2018 economic classification printed by 江苏 2017 budgets
    assert ec.lookup("30311", 2017).name == "住房公积金"  # type: ignore[union-attr]
    assert ec.lookup("30311", 2021).name == "代缴社会保险费"  # type: ignore[union-attr]
    assert ec.lookup("310", 2017).name == "其他资本性支出"  # type: ignore[union-attr]
    assert not ec.known("310", 2018)  # the change year is not printed
    assert ec.lookup("30104", 2017) is not None and not ec.known("30104", 2019)


def test_renames_printed_by_the_corpus() -> None:
    fn = CODES.function
    # 20805: 行政事业单位离退休 up to 2019 (江苏, 西安), 行政事业单位养老支出 from 2020 (西安 2020)
    assert fn.lookup("20805", 2019).name == "行政事业单位离退休"  # type: ignore[union-attr]
    assert fn.lookup("20805", 2020).name == "行政事业单位养老支出"  # type: ignore[union-attr]
    assert fn.lookup("2050302", 2022).name == "中等职业教育"  # type: ignore[union-attr]
    assert fn.lookup("2050302", 2021).name == "中专教育"  # type: ignore[union-attr]
    # a code whose name moved to a sibling ends: 2089901 (2019–2020), then 2089999
    assert fn.known("2089901", 2020) and not fn.known("2089901", 2021)


# ---------------------------------------------------------------------------------------------
# check_name: what a printed (code, name) is, the way C.code_name and the narrative audit use it


@pytest.mark.parametrize(
    ("code", "name", "year", "status"),
    [
        ("2013901", "行政运行", 2024, NameStatus.OFFICIAL),  # 003 prints it
        (
            "30212",
            "因公出国(境)费用",
            2024,
            NameStatus.OFFICIAL,
        ),  # ASCII brackets are no difference
        ("2013901", "行政运行", 2023, NameStatus.UNKNOWN_CODE),  # not in the list that year
        ("39909", "经常性赠与", 2022, NameStatus.UNKNOWN_CODE),  # 101 prints it; nobody else
        ("20805", "行政事业单位离退休", 2024, NameStatus.OTHER_YEAR),  # an older name
        ("2050302", "中等职业教育", 2020, NameStatus.OTHER_YEAR),  # a newer name
        ("2080505", "机关事业单位职业年金缴费支出", 2024, NameStatus.OTHER_CODE),  # 2080506's
        ("2080505", "机关事业单位基本养老", 2022, NameStatus.DIFFERENT),  # truncated (西安 2022)
    ],
)
def test_check_name(code: str, name: str, year: int, status: NameStatus) -> None:
    check = CODES.function.check_name(code, name, year) if code[0] == "2" else None
    check = check or CODES.economic.check_name(code, name, year)
    assert check.status is status
    assert check.wrong == (status in (NameStatus.OTHER_CODE, NameStatus.DIFFERENT))
    if status is NameStatus.OTHER_CODE:
        assert [e.code for e in check.matches] == ["2080506"]
    if status is NameStatus.OTHER_YEAR:
        assert all(e.code == code and not e.valid_in(year) for e in check.matches)


def test_by_name_under_a_parent() -> None:
    """The narrative names 项 without codes: 行政运行 under 20139 is 2013901, in 2024 only."""
    assert [e.code for e in CODES.function.by_name("行政运行", 2024, 7, under="20139")] == [
        "2013901"
    ]
    assert CODES.function.by_name("行政运行", 2023, 7, under="20139") == []
    assert len(CODES.function.by_name("行政运行", 2024, 7)) > 20
