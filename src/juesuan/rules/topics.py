"""Checks that report under declared rules by topic (the narrative audit's N.* and the 绩效
review's P.*): each check names a topic, each rule of that kind declares one, and the two sets
must agree when the rules load, so a check can never report under a missing rule."""

from __future__ import annotations

from collections.abc import Iterable, Set

from juesuan.rules.declarations import Rule


class MessageFields(dict[str, str]):
    """A hit's fields for a rule's message template; a field the hit does not fill is empty."""

    def __missing__(self, key: str) -> str:
        return ""


def rules_by_topic(rules: Iterable[Rule], kind: str, known: Set[str], what: str) -> dict[str, Rule]:
    """The rules of ``kind`` keyed by their topic; ``known`` is the topics the checks report
    under (``what`` names them in the error: "narrative", "performance")."""
    out: dict[str, Rule] = {}
    for rule in rules:
        if rule.kind != kind:
            continue
        topic = str(rule.params["topic"])
        if topic in out:
            raise RuntimeError(f"topic {topic!r} declared by {out[topic].id} and {rule.id}")
        out[topic] = rule
    missing, unknown = sorted(known - set(out)), sorted(set(out) - known)
    if missing or unknown:
        raise RuntimeError(
            f"{what} rules and checks disagree: no rule for {missing}, no check for {unknown}"
        )
    return out
