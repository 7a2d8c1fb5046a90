"""Rules and checks agree on their topics when the rules load."""

from __future__ import annotations

import pytest

from juesuan.rules.declarations import narrative_rules, performance_rules
from juesuan.rules.topics import MessageFields, rules_by_topic


def test_every_topic_has_its_rule() -> None:
    rules = narrative_rules()
    topics = {str(r.params["topic"]) for r in rules if r.kind == "narrative"}
    assert set(rules_by_topic(rules, "narrative", topics, "narrative")) == topics


def test_a_check_without_a_rule_and_a_rule_without_a_check_are_refused() -> None:
    rules = performance_rules()
    topics = {str(r.params["topic"]) for r in rules if r.kind == "performance"}
    one = sorted(topics)[0]
    with pytest.raises(RuntimeError, match=r"no rule for \['nosuch'\], no check for \['" + one):
        rules_by_topic(rules, "performance", (topics - {one}) | {"nosuch"}, "performance")


def test_a_field_the_hit_does_not_fill_is_empty() -> None:
    assert "差{diff}元".format_map(MessageFields({})) == "差元"
