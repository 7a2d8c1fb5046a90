"""A Disclosure built from seed 002 (tables and 情况说明 as printed) and a package written from it
once per session."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.model.disclosure import Disclosure, PriorYear
from juesuan.model.report import NarrativeSection, Report

D = Decimal

PRIOR_2020 = PriorYear(
    2020,
    {
        "收入总计": D("2080384.18"),
        "支出总计": D("2080384.18"),
        "财政拨款收入总计": D("2080314.34"),
        "财政拨款支出总计": D("2080314.34"),
        "本年收入合计": D("2080230.84"),
        "本年支出合计": D("2080214.34"),
    },
)


def make_disclosure(report: Report, prior: PriorYear | None = PRIOR_2020) -> Disclosure:
    return Disclosure(
        report,
        overview=(
            NarrativeSection("一", "部门职责", "负责劳动保障信息系统的规划、设计、建设、管理。"),
            NarrativeSection("二", "机构设置", "规格相当于科级，事业性质。核定人员编制 8 名。"),
        ),
        explanations=report.sections,
        glossary=(
            ("财政拨款收入", "单位从同级政府财政部门取得的财政预算资金。"),
            ("基本支出", "为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
        ),
        prior=prior,
    )


@pytest.fixture(scope="session")
def disclosure(seed002: Report) -> Disclosure:
    return make_disclosure(seed002)


@pytest.fixture(scope="session")
def package(disclosure: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from juesuan.writers import write_package

    out = tmp_path_factory.mktemp("package")
    return write_package(disclosure, out)
