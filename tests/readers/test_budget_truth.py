"""Real published 部门预算 against their hand-checked transcriptions
(``tests/data/budget_truth/``, every cell read from the page images); skipped when the corpus
(``../shared/corpus/budgets``) is not beside the repository.

Each budget is read as a user reads it (``juesuan.readers.read``) and every transcribed cell is
compared through ``bench/corpus_key.compare_budget_truth``, the instrument ``bench/corpus.py``
prints: its value exactly as printed, its table's 金额单位, and no figure read where the page
prints none. The layouts the transcriptions brought to light are also tested below on grids as
the readers give them, so they hold without the corpus.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from bench.corpus_key import (
    BUDGETS,
    budget_truth_document,
    budget_truth_files,
    compare_budget_truth,
)

corpus = pytest.mark.skipif(not BUDGETS.is_dir(), reason="corpus not beside the repository")

TRUTHS = {p.stem: p for p in budget_truth_files()}


@cache
def _report(doc: str) -> Any:
    from juesuan.readers import read

    return read(budget_truth_document(TRUTHS[doc]))


@corpus
def test_five_budgets_of_different_regions_are_transcribed() -> None:
    regions = {json.loads(p.read_text(encoding="utf-8"))["region"] for p in TRUTHS.values()}
    assert len(TRUTHS) >= 5 and len(regions) >= 5


@corpus
@pytest.mark.parametrize("doc", sorted(TRUTHS))
def test_every_cell_exact(doc: str) -> None:
    result = compare_budget_truth(TRUTHS[doc], _report(doc))
    wrong = [
        f"{c.table}:{c.row}:{c.column} {c.expected}→{c.found}" for c in result.cells if not c.exact
    ]
    assert result.total >= 30
    assert result.units == [], f"金额单位 read wrong: {result.units}"
    assert wrong == [], f"{len(wrong)}/{result.total} wrong: {wrong[:12]}"
    assert result.extra == [], f"read where the page prints nothing: {result.extra[:12]}"


@corpus
@pytest.mark.parametrize("doc", sorted(TRUTHS))
def test_every_transcribed_table_is_found_as_its_kind(doc: str) -> None:
    """A table the truth lists is in the report as that kind; an empty one is not read as a
    table with figures, nor a table with figures as empty."""
    from juesuan.model.layout import TableId
    from juesuan.model.tables import TableStatus

    data = json.loads(TRUTHS[doc].read_text(encoding="utf-8"))
    report = _report(doc)
    wrong = []
    for t in data["tables"]:
        table = report.table(TableId(t["kind"]))
        if table.status is TableStatus.ABSENT:
            wrong.append(f"{t['kind']} {t['title']}: absent")
        elif not t["rows"] and table.status is TableStatus.PRESENT and table.has_data:
            wrong.append(f"{t['kind']} {t['title']}: figures read in an empty table")
    assert wrong == []


@corpus
def test_a_wrong_figure_is_reported(tmp_path: Path) -> None:
    """The comparison can fail: one transcribed cell changed is one cell not exact."""
    doc = sorted(TRUTHS)[0]
    data = json.loads(TRUTHS[doc].read_text(encoding="utf-8"))
    first = next(r for t in data["tables"] for r in t["rows"] if r["values"])
    column = next(iter(first["values"]))
    first["values"][column] = str(Decimal(first["values"][column]) + 1)
    planted = tmp_path / f"{doc}.json"
    planted.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = compare_budget_truth(planted, _report(doc))
    assert result.total - result.exact == 1


# --- the layouts, on grids as the readers give them ------------------------------------------


def _assemble(tid: Any, rows: list[list[str]]) -> Any:
    from juesuan.model.amount import Unit
    from juesuan.model.codes import reference_codes
    from juesuan.readers.layout import GridCell, assemble

    grid = [[GridCell(t) for t in r] for r in rows]
    return assemble(
        tid, grid, title="t", unit=Unit.WAN_YUAN, note=None, codes=reference_codes(), year=2026
    ).table


def test_a_label_in_two_columns_is_group_and_item() -> None:
    """江苏's 收入预算总表: the group printed once over its 小计 and its items."""
    from juesuan.model.layout import TableId

    table = _assemble(
        TableId.B02,
        [
            ["项目名称", "", "金额"],
            ["收入总计", "", "27,664.22"],
            ["一般公共预算资金", "小计", "27,664.22"],
            ["", "公共财政拨款(补助)资金", "27,664.20"],
            ["", "专项收入", "0.02"],
            ["政府性基金", "小计", ""],
        ],
    )
    got = {r.key: r.value("本年预算数") for r in table.rows}
    assert got == {
        "合计": Decimal("27664.22"),
        "一般公共预算资金/小计": Decimal("27664.22"),
        "一般公共预算资金/公共财政拨款(补助)资金": Decimal("27664.20"),
        "一般公共预算资金/专项收入": Decimal("0.02"),
    }


def test_sangong_one_row_per_item_with_a_column_per_fund() -> None:
    """广州: 行政经费, “三公”经费 and its items as rows under 合计 | 一般公共预算 | 政府性基金预算
    | 国有资本经营预算."""
    from juesuan.model.layout import TableId

    (row,) = _assemble(
        TableId.B07,
        [
            ["项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
            ["行政经费", "444.39", "444.39", "0.00", "0.00"],
            ["“三公”经费", "4.80", "4.70", "0.10", "0.00"],
            ["其中：（一）因公出国（境）支出", "0.00", "0.00", "0.00", "0.00"],
            ["（二）公务用车购置及运行维护支出", "2.50", "2.40", "0.10", "0.00"],
            ["（三）公务接待费支出", "2.30", "2.30", "0.00", "0.00"],
        ],
    ).rows
    assert row.value("本年预算数/合计") == Decimal("4.80")
    assert row.value("本年预算数/一般公共预算/合计") == Decimal("4.70")
    assert row.value("本年预算数/政府性基金预算/公务用车购置及运行费") == Decimal("0.10")
    assert row.value("本年预算数/国有资本经营预算/行政经费") == Decimal("0.00")


def test_a_group_subtotal_is_the_total_column() -> None:
    """广州's 一般公共预算支出 | 小计 · 其中：基本支出 · 项目支出, and 北京's 项目支出总数 beside
    扣除基建项目后预算数."""
    from juesuan.model.layout import TableId

    gz = _assemble(
        TableId.B05,
        [
            ["功能科目名称", "一般公共预算支出", "", ""],
            ["", "小计", "其中：基本支出", "项目支出"],
            ["合计", "3,944.08", "3,204.78", "739.30"],
            ["[201]一般公共服务支出", "3,944.08", "3,204.78", "739.30"],
        ],
    )
    assert gz.row("201").value("本年预算数") == Decimal("3944.08")
    bj = _assemble(
        TableId.B05,
        [
            ["科目编码", "科目名称", "预算数", "", "", "", "", ""],
            ["", "", "合计", "基本支出", "", "", "项目支出", ""],
            ["", "", "", "小计", "人员经费", "公用经费", "项目支出总数", "扣除基建项目后预算数"],
            [
                "2120199",
                "其他城乡社区管理事务支出",
                "1,031.15",
                "521.45",
                "521.45",
                "",
                "509.70",
                "9.70",
            ],
        ],
    )
    row = bj.row("2120199")
    assert row.value("项目支出") == Decimal("509.70")
    assert row.value("扣除基建项目后预算数") == Decimal("9.70")


def test_education_fees_are_columns_of_their_own() -> None:
    """事业收入 | 其中：教育收费 (西南大学) and 财政专户拨款收入 | 教育收费 · 其他专户收入拨款
    (广州)."""
    from juesuan.model.layout import TableId

    table = _assemble(
        TableId.B02,
        [
            ["科目编码", "科目名称", "本年收入合计", "事业收入", "", "财政专户拨款收入", ""],
            ["", "", "", "金额", "其中：教育收费", "教育收费", "其他专户收入拨款"],
            ["2050205", "高等教育", "352,132.88", "122,820.47", "73,820.47", "1.00", "2.00"],
        ],
    )
    row = table.row("2050205")
    assert row.value("事业收入") == Decimal("122820.47")
    assert row.value("事业收入/教育收费") == Decimal("73820.47")
    assert row.value("财政专户管理资金收入/教育收费") == Decimal("1.00")
    assert row.value("财政专户管理资金收入/其他专户收入") == Decimal("2.00")
