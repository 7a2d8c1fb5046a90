"""What a 预算's 说明 states, as data (``data/budget_lexicon.toml``): a figure's subject words →
the budget table cells it is, by section scope; where the 类 a section names are; where the 项
of a 类（款）项 chain are. Read once and cached (the narrative audit links a budget's claims
with it, as it links a 决算's with its own lexicon)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Entry:
    """Words a subject contains → the cells summed (the first alternative the report prints)."""

    scope: str  # a section scope id, or "*"
    words: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...]
    name: str
    # total words (收入预算总计, 支出预算): a subject that also names a source or an item is
    # that source or item
    generic: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    """A table and column (and the prefix of a quantity's name)."""

    table: str
    column: str
    prefix: str = ""


@dataclass(frozen=True)
class BudgetLexicon:
    entries: tuple[Entry, ...]
    classes: dict[str, Place]  # section scope → where its 类 are
    items: Place  # where the 项 of a 类（款）项 chain are
    # a total with the carry-overs and the same total without them (收入总计, 本年收入合计)
    same_totals: tuple[frozenset[str], ...] = ()

    def one_total(self, a: str, b: str) -> bool:
        """Are two quantity names the one total with and without its carry-overs?"""
        return any(a in pair and b in pair for pair in self.same_totals)


def parse_lexicon(doc: dict[str, Any]) -> BudgetLexicon:
    entries = []
    for e in doc.get("entry", []):
        alternatives = [tuple(e["refs"])] if "refs" in e else []
        alternatives += [tuple(a) for a in e.get("alternatives", [])]
        if not alternatives:
            raise ValueError(f"budget_lexicon.toml: entry {e.get('name')!r} has no refs")
        entries.append(
            Entry(
                str(e["scope"]),
                tuple(e["words"]),
                tuple(alternatives),
                e["name"],
                bool(e.get("generic", False)),
            )
        )
    classes = {
        scope: Place(c["table"], c["column"], c.get("prefix", ""))
        for scope, c in doc.get("classes", {}).items()
    }
    items = doc["items"]
    same = tuple(frozenset(t["names"]) for t in doc.get("same_total", []))
    return BudgetLexicon(tuple(entries), classes, Place(items["table"], items["column"]), same)


@cache
def budget_lexicon() -> BudgetLexicon:
    text = (resources.files("juesuan.model") / "data" / "budget_lexicon.toml").read_text("utf-8")
    return parse_lexicon(tomllib.loads(text))
