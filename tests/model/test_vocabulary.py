"""The table vocabulary is data (model/data/tables.toml): titles of every template generation
map to the nine tables, and what is not one of the nine is not forced into one."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from juesuan.model.layout import FINAL_TABLES, SPECS, TITLE_ORDER, TableId, identify_title


def test_every_table_is_declared_once_in_the_data() -> None:
    data = tomllib.loads(
        (resources.files("juesuan.model") / "data" / "tables.toml").read_text("utf-8")
    )
    assert sorted(t["id"] for t in data["table"]) == [t.value for t in FINAL_TABLES]
    assert sorted(TITLE_ORDER) == sorted(FINAL_TABLES)
    assert all(SPECS[t].title_patterns for t in FINAL_TABLES)


@pytest.mark.parametrize(
    ("title", "table"),
    [
        ("公开01表 收入支出决算总表", TableId.T01),
        ("附件1_收支决算总表", TableId.T01),  # 福建 2015 attachments
        ("上海市普陀区财政局2024年度一般公共预算财政拨款“三公”经费支出决算表", TableId.T07),
        ("财政拨款“三公”经费及会议费、培训费支出决算表", TableId.T07),  # 陕西
        ("政府性基金预算支出决算表", TableId.T08),  # the 2015 ten-table set
        ("政府性基金预算财政拨款收入支出决算表", TableId.T08),
        ("国有资本经营预算财政拨款支出决算表", TableId.T09),
        ("一般公共预算财政拨款基本支出决算表", TableId.T06),
        ("公共财政拨款支出决算表", TableId.T05),
        # not one of the nine: kept as extra tables by the assembly
        ("一般公共预算财政拨款支出决算明细表", None),
        ("部门决算相关信息统计表", None),
        # a 预算's title names a kind of budget table (model/data/budget_tables.toml)
        ("收支预算总表", TableId.B01),
    ],
)
def test_titles_of_every_generation(title: str, table: TableId | None) -> None:
    assert identify_title(title) is table
