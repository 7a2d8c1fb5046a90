"""The narrative lexicon is data (model/data/lexicon.toml): every entry names real cells in a
known section scope, and a region's wording links like the template's."""

from __future__ import annotations

from juesuan.model.lexicon import lexicon
from juesuan.model.report import Report
from juesuan.model.sections import vocabulary
from juesuan.rules.refs import parse_ref
from tests.narrative.test_audit import hits, narrate


def test_every_entry_names_cells_in_a_known_scope() -> None:
    scopes = {s.id for s in vocabulary().scopes} | {"*"}
    for scope, words, refs, name in lexicon():
        assert scope in scopes, (scope, name)
        assert words and name
        for ref in refs:
            parse_ref(ref)  # raises on a malformed reference


def test_regional_wording_of_the_fiscal_total_links(seed002: Report) -> None:
    # 上海 2024 writes 财政拨款收入支出总计 where the template says 财政拨款收支总计
    good = "2021 年度财政拨款收入支出总计 217.02 万元。"
    bad = "2021 年度财政拨款收入支出总计 0.3 万元。"
    assert hits(narrate(seed002, ("四", good)), "N.amount") == []
    assert hits(narrate(seed002, ("四", bad)), "N.amount")
