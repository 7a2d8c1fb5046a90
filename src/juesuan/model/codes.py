"""Classification reference data: look-up by (code, year), names by year, older names.

The data files (``data/function.csv``, ``data/economic.csv``; sources in ``data/SOURCES.md``)
hold one row per (code, name, validity years). A name change is two rows for the same code.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from juesuan.model.layout import Classification


@dataclass(frozen=True, slots=True)
class CodeEntry:
    code: str
    name: str
    valid_from: int
    valid_to: int | None  # inclusive; None = still valid
    source: str

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)


_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])"
)
_LEVEL_MARK = re.compile(r"[（(][类款项][）)]")


@lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """Compare names the way a reader would: half-/full-width, spaces, ordinals and (类) marks
    are not differences."""
    s = unicodedata.normalize("NFKC", name)
    s = re.sub(r"\s+", "", s)
    s = _ORDINAL.sub("", s)
    s = _LEVEL_MARK.sub("", s)
    return s.replace("“", "").replace("”", "").replace('"', "")


class CodeList:
    """One classification (function or economic) over the years it covers."""

    def __init__(self, kind: Classification, entries: Iterable[CodeEntry]) -> None:
        self.kind = kind
        self._by_code: dict[str, list[CodeEntry]] = {}
        self._by_name: dict[str, list[CodeEntry]] = {}
        for e in entries:
            self._by_code.setdefault(e.code, []).append(e)
            self._by_name.setdefault(normalize_name(e.name), []).append(e)
        self._children: dict[str, list[CodeEntry]] = {}
        for e in entries_of(self._by_code):
            parent = e.code[:5] if len(e.code) == 7 else e.code[:3] if len(e.code) == 5 else None
            if parent:
                self._children.setdefault(parent, []).append(e)

    def codes(self) -> list[str]:
        """Every code in the list, sorted."""
        return sorted(self._by_code)

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def lookup(self, code: str, year: int | None) -> CodeEntry | None:
        """The entry valid for ``code`` in ``year`` (the newest one when year is None)."""
        entries = self._by_code.get(code, [])
        valid = [e for e in entries if e.valid_in(year)]
        return max(valid, key=lambda e: e.valid_from) if valid else None

    def names(self, code: str) -> list[CodeEntry]:
        return list(self._by_code.get(code, []))

    def by_name(self, name: str, year: int | None, length: int | None = None) -> list[CodeEntry]:
        """Entries whose name (normalised) is ``name``, valid in ``year``."""
        found = self._by_name.get(normalize_name(name), [])
        return [e for e in found if e.valid_in(year) and (length is None or len(e.code) == length)]

    def class_by_name(self, name: str, year: int | None) -> str | None:
        """The 类 code for a printed class name (as in tables 01/04), older names included."""
        norm = normalize_name(name)
        for candidate in (norm, norm + "支出", norm.removesuffix("支出")):
            hits = self.by_name(candidate, year, 3) or self.by_name(candidate, None, 3)
            if hits:
                return hits[0].code
        return None

    def lists_children(self, parent: str, year: int | None) -> bool:
        """Does the reference data list the children of ``parent`` (so that a missing child is
        a real unknown code, not a gap in our data)?"""
        return any(e.valid_in(year) for e in self._children.get(parent, []))


def entries_of(by_code: dict[str, list[CodeEntry]]) -> Iterable[CodeEntry]:
    for entries in by_code.values():
        yield from entries


def parse_code_csv(text: str) -> list[CodeEntry]:
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        out.append(
            CodeEntry(
                code=row["code"].strip(),
                name=row["name"].strip(),
                valid_from=int(row["valid_from"]),
                valid_to=int(row["valid_to"]) if row["valid_to"].strip() else None,
                source=row["source"].strip(),
            )
        )
    return out


@dataclass(frozen=True)
class Codes:
    function: CodeList
    economic: CodeList

    def for_kind(self, kind: Classification) -> CodeList:
        return self.function if kind is Classification.FUNCTION else self.economic


@cache
def reference_codes() -> Codes:
    """The shipped reference lists (read once; immutable afterwards)."""
    data = resources.files("juesuan.model") / "data"
    return Codes(
        function=CodeList(
            Classification.FUNCTION,
            parse_code_csv((data / "function.csv").read_text(encoding="utf-8")),
        ),
        economic=CodeList(
            Classification.ECONOMIC,
            parse_code_csv((data / "economic.csv").read_text(encoding="utf-8")),
        ),
    )
