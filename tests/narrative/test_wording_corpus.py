"""The wording checks on the real corpus: every ERRORS.md row they are for is found with the
right severity, and none of them raises an error that ERRORS.md does not list (skipped when
``../shared/corpus`` is not beside the repository)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from bench.corpus_key import FINAL, KnownError, known_errors, matches

from juesuan import api
from juesuan.rules.finding import Severity

pytestmark = pytest.mark.skipif(
    not (FINAL / "ERRORS.md").exists(), reason="../shared/corpus is not beside the repository"
)

# ERRORS.md row → the rule that reports it
ROWS = {
    "F002-01": "N.missing_percent",  # 增长 13.95。
    "F016-03": "N.figure_unit",  # 财政拨款支出10.02，
    "F002-12": "N.figure_unit",  # 0.39 万（含外宾接待支出 0.00 万元）
    "F002-06": "N.residue",  # 下降（增长）27.78%
    "F016-02": "N.direction",  # 同比增长减少47.43%
    "F018-02": "N.direction",  # 增加减少1.41万元
    "F005-02": "N.placeholder",  # 事业基金弥补收支差额/万元
    "F003-09": "N.residue",  # 仍保留该表格式，并在本表下方作下述说明 (T8)
    "F003-10": "N.residue",  # the same in T9
    "F014-03": "N.zero_list",  # 人员经费0.00万元，主要包括：基本工资…
    "F013-04": "N.zero_list",  # 公用经费…因公出国（境）费用…公务接待费, stated 0.00 in 八
    "F002-11": "N.unit_name",  # 上海市规划和自然资源局 2024 年度部门决算表
    "F101-14": "N.stray_heading",  # …让蓝图成为现实。三、服务对象满意度情况。
    "F101-15": "N.typo",  # 增加144.81%，。
    "F101-16": "N.typo",  # 不在本报表反应
    "F101-13": "N.typo",  # 培养全科医院300人次
}
WORDING = {
    "N.residue",
    "N.missing_percent",
    "N.figure_unit",
    "N.zero_list",
    "N.unit_name",
    "N.stray_heading",
    "N.typo",
}


@cache
def _findings(doc: str) -> tuple[Any, ...]:
    path = next(FINAL.glob(f"{doc}_*"))
    return tuple(api.audit(api.load(path)).findings)


@cache
def _key() -> dict[str, KnownError]:
    return {k.id: k for k in known_errors()}


@pytest.mark.parametrize("row", sorted(ROWS))
def test_errors_md_row_is_found(row: str) -> None:
    known = _key()[row]
    rule = ROWS[row]
    mine = [f for f in _findings(known.doc) if f.rule_id == rule and matches(known, f)]
    assert mine, f"{row} not reported by {rule}"
    wanted = {Severity.ERROR} if known.level == "must" else {Severity.ERROR, Severity.WARNING}
    assert {f.severity for f in mine} & wanted, (row, [f.severity for f in mine])


def _documents() -> list[str]:
    if not FINAL.exists():
        return []
    return sorted(p.name[:3] for p in FINAL.glob("[01]*_*"))


@pytest.mark.parametrize("doc", _documents())
def test_no_wording_error_that_errors_md_does_not_list(doc: str) -> None:
    keys = [k for k in _key().values() if k.doc == doc]
    errors = [
        f
        for f in _findings(doc)
        if f.severity is Severity.ERROR
        and (f.rule_id in WORDING or "并列相反的方向词" in f.message)
        and not any(matches(k, f) for k in keys)
    ]
    assert errors == [], [f.message for f in errors]


def test_wording_slips_listed_as_not_errors_are_not_errors() -> None:
    """002: "较上一度" and "规划与自然资源局" change no figure (ERRORS.md, Not errors)."""
    for f in _findings("002"):
        if f.rule_id in WORDING or f.rule_id == "N.direction":
            text = f"{f.message}{f.location.quote}"
            assert "规划与自然资源局" not in (f.found or ""), f.message
            assert not ("较上一度" in text and f.rule_id == "N.typo"), f.message


def test_template_instruction_is_reported_once_per_table() -> None:
    residue = [f for f in _findings("003") if f.rule_id == "N.residue"]
    assert len(residue) == 2  # T8 and T9
