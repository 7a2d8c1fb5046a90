"""The narrative lexicon as data (``model/data/lexicon.toml``): the words by which a 情况说明
names a table quantity, by section scope, loaded once."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

# (scope or "*", words in the subject, references summed, name)
Entry = tuple[str, tuple[str, ...], tuple[str, ...], str]


@cache
def lexicon() -> tuple[Entry, ...]:
    text = (resources.files("juesuan.model") / "data" / "lexicon.toml").read_text("utf-8")
    data = tomllib.loads(text)
    out: list[Entry] = [
        (q["scope"], tuple(q["words"]), tuple(q["refs"]), q["name"]) for q in data["quantity"]
    ]
    # each fund section states its own table's columns (08/09)
    for fund in data["fund"]:
        for words, column in data["fund_columns"].items():
            out.append(
                (
                    fund["scope"],
                    (words,),
                    (f"{fund['table']}:合计:{column}",),
                    f"{fund['name']}{words}",
                )
            )
    return tuple(out)


@cache
def standard_items() -> dict[str, str]:
    """Item suffix → name of the 项 every administrative 款 numbers alike (01 行政运行 …)."""
    text = (resources.files("juesuan.model") / "data" / "lexicon.toml").read_text("utf-8")
    return dict(tomllib.loads(text)["standard_items"])


@cache
def at_least() -> dict[str, tuple[str, ...]]:
    """Total → the quantities it contains (its last-year value is at least theirs)."""
    text = (resources.files("juesuan.model") / "data" / "lexicon.toml").read_text("utf-8")
    return {k: tuple(v) for k, v in tomllib.loads(text)["at_least"].items()}
