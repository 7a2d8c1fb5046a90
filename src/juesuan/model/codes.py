"""Classification reference data: look-up by (code, year), names by year, older names.

The data files (``data/function.csv`` 支出功能分类科目, ``data/economic.csv`` 部门预算支出经济分类
科目; sources in ``data/SOURCES.md``) hold one row per (code, name, validity years). A name change
is two rows for the same code. A row's ``source`` says whether a published report prints it
(``seed…``, ``corpus:…``) or it was only recalled (``mof-list-recall``).

The lists are incomplete: a code they lack in a year is a gap in our data, not an error of the
report. :meth:`CodeList.check_name` tells the cases apart for a printed (code, name).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources

from juesuan.model.layout import Classification

# The source of rows transcribed from memory, never checked against a printed document.
RECALL = "mof-list-recall"


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """One row of a list: a code (科目编码) and its name (科目名称) over inclusive years."""

    code: str
    name: str
    valid_from: int
    valid_to: int | None  # inclusive; None = still valid
    source: str

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return self.valid_from <= year and (self.valid_to is None or year <= self.valid_to)

    @property
    def confirmed(self) -> bool:
        """Is the row printed in a published report (a seed or the corpus), not only recalled
        from memory of the MoF list? Only a confirmed row can make a name an error."""
        return any(s != RECALL for s in self.source.split())

    @property
    def years(self) -> str:
        """The validity as printed in a message: ``2019–2020``, ``2021年起``."""
        if self.valid_to is None:
            return f"{self.valid_from}年起"
        if self.valid_to == self.valid_from:
            return f"{self.valid_from}年"
        return f"{self.valid_from}–{self.valid_to}年"


class NameStatus(StrEnum):
    """What a printed (code, name) is for a year, against the reference list."""

    OFFICIAL = "official"  # the code's name in that year
    OTHER_YEAR = "other_year"  # the code's name in another year (an older or newer name)
    OTHER_CODE = "other_code"  # the name of another code of the same level in that year
    DIFFERENT = "different"  # the list has the code in that year under a name unlike this one
    UNKNOWN_CODE = "unknown_code"  # the list lacks the code in that year: nothing can be said


@dataclass(frozen=True, slots=True)
class NameCheck:
    """The verdict on one printed (code, name) and the rows it rests on."""

    status: NameStatus
    official: CodeEntry | None = None  # the row valid for (code, year)
    # OTHER_YEAR: the code's rows with the printed name; OTHER_CODE: the other codes' rows
    matches: tuple[CodeEntry, ...] = ()

    @property
    def wrong(self) -> bool:
        """Can the name be called wrong (not merely unknown to us, or outdated)?"""
        return self.status in (NameStatus.OTHER_CODE, NameStatus.DIFFERENT)


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

    def known(self, code: str, year: int | None) -> bool:
        """Does the list have ``code`` in ``year``? When it does not, a printed name cannot be
        judged: the code may be new, or one our list lacks."""
        return self.lookup(code, year) is not None

    def names(self, code: str) -> list[CodeEntry]:
        """Every row of ``code``, all years (a renamed code has several)."""
        return list(self._by_code.get(code, []))

    def by_name(
        self,
        name: str,
        year: int | None,
        length: int | None = None,
        under: str | None = None,
    ) -> list[CodeEntry]:
        """Entries whose name (normalised) is ``name``, valid in ``year`` (any year when None),
        of ``length`` digits (类 3, 款 5, 项 7) and whose code starts with ``under``."""
        found = self._by_name.get(normalize_name(name), [])
        return [
            e
            for e in found
            if e.valid_in(year)
            and (length is None or len(e.code) == length)
            and (under is None or e.code.startswith(under))
        ]

    def check_name(self, code: str, name: str, year: int | None) -> NameCheck:
        """Judge a printed (code, name) for ``year``: the code's official name, its name in
        another year, another code's name, a name unlike the official one, or a code the list
        lacks that year (then nothing is said about the name)."""
        official = self.lookup(code, year)
        if official is None:
            return NameCheck(NameStatus.UNKNOWN_CODE)
        printed = normalize_name(name)
        if printed == normalize_name(official.name):
            return NameCheck(NameStatus.OFFICIAL, official)
        same = tuple(e for e in self.names(code) if normalize_name(e.name) == printed)
        if same:
            return NameCheck(NameStatus.OTHER_YEAR, official, same)
        others = tuple(e for e in self.by_name(name, year, len(code)) if e.code != code)
        if others:
            return NameCheck(NameStatus.OTHER_CODE, official, others)
        return NameCheck(NameStatus.DIFFERENT, official)

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
