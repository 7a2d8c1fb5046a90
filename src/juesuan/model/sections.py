"""The 情况说明 section vocabulary (``data/sections.toml``): which subject a section covers, known
from its title words, which subjects the 情况说明 must cover, and the words that end a title.

Read once and cached; a region's own wording is an edit of the data file, not of the code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class Scope:
    """One subject a 情况说明 section can cover (三公, 政府采购 …)."""

    id: str
    words: tuple[str, ...]
    name: str = ""  # how N.sections names it when missing
    anywhere: bool = False  # its words count wherever they stand in a title
    budget_name: str = ""  # how N.sections names it in a 预算's 说明


@dataclass(frozen=True, slots=True)
class Vocabulary:
    scopes: tuple[Scope, ...]
    # (title words, scopes they also cover)
    covers: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    title_endings: tuple[str, ...]
    required: tuple[str, ...]  # scope ids the 情况说明 must cover, in reporting order
    # what a 预算's 说明 must cover (its template asks for fewer subjects under other titles)
    required_budget: tuple[str, ...] = ()


def parse_vocabulary(doc: dict[str, Any]) -> Vocabulary:
    """The vocabulary from the parsed TOML (a user's file has the same form)."""
    scopes = tuple(
        Scope(
            id=str(s["id"]),
            words=tuple(str(w) for w in s["words"]),
            name=str(s.get("name", "")),
            anywhere=bool(s.get("anywhere", False)),
            budget_name=str(s.get("budget_name", "")),
        )
        for s in doc.get("scope", [])
    )
    known = {s.id for s in scopes}
    covers = []
    for c in doc.get("covers", []):
        extra = tuple(str(x) for x in c["scopes"])
        unknown = [x for x in extra if x not in known]
        if unknown:
            raise ValueError(f"sections.toml: [[covers]] names unknown scopes {unknown}")
        covers.append((tuple(str(w) for w in c["words"]), extra))
    names = {s.id: s.name for s in scopes}
    required = tuple(str(r) for r in doc.get("required", []))
    required_budget = tuple(str(r) for r in doc.get("required_budget", []))
    for r in (*required, *required_budget):
        if not names.get(r):
            raise ValueError(f"sections.toml: required scope {r!r} is not a [[scope]] with a name")
    endings = tuple(sorted((str(e) for e in doc.get("title_endings", [])), key=len, reverse=True))
    return Vocabulary(scopes, tuple(covers), endings, required, required_budget)


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once; immutable afterwards)."""
    text = (resources.files("juesuan.model") / "data" / "sections.toml").read_text(encoding="utf-8")
    return parse_vocabulary(tomllib.loads(text))


def compact(title: str) -> str:
    """A title as its words are compared: no spaces, no quotation marks."""
    return re.sub(r"[\s“”\"‘’']", "", title)


def scope_of(title: str, vocab: Vocabulary | None = None) -> str:
    """What a section is about, from its title: the first scope whose words it contains, else
    "other"."""
    words = compact(title)
    for scope in (vocab or vocabulary()).scopes:
        if any(w in words for w in scope.words):
            return scope.id
    return "other"


def covered(title: str, vocab: Vocabulary | None = None) -> set[str]:
    """Every subject a section with this title covers: its scope, the specific subjects it also
    names (政府采购支出、国有资产占用情况说明 → procurement and assets), and the merged sections of
    ``[[covers]]``."""
    vocab = vocab or vocabulary()
    words = compact(title)
    out = {scope_of(title, vocab)}
    out |= {s.id for s in vocab.scopes if s.anywhere and any(w in words for w in s.words)}
    for title_words, scopes in vocab.covers:
        if any(w in words for w in title_words):
            out |= set(scopes)
    return out


def required_scopes(vocab: Vocabulary | None = None, *, budget: bool = False) -> dict[str, str]:
    """What the 情况说明 (of a 预算 with ``budget``) must cover: scope id → the name N.sections
    gives it when missing."""
    vocab = vocab or vocabulary()
    names = {s.id: (s.budget_name or s.name) if budget else s.name for s in vocab.scopes}
    return {r: names[r] for r in (vocab.required_budget if budget else vocab.required)}


@cache
def _endings_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(e) for e in vocabulary().title_endings))


def title_endings() -> re.Pattern[str]:
    """The words that end a section title, longest first (情况说明 before 情况)."""
    return _endings_pattern()
