"""Disclosure completeness of a 部门决算 against what 财预〔2016〕143号 requires
(``data/completeness.toml``: the items and how each is told from the report). Pure.

An item is present, missing, or does not apply (``None``: "every empty table says why" when no
table is empty). The score is the share of the applicable items present. A table printed as an
image (only its title read) is not a disclosed table: nobody can read its figures either.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from juesuan.model.layout import TableId
from juesuan.model.report import Report
from juesuan.model.sections import covered
from juesuan.model.tables import TableStatus

KINDS = frozenset({"table", "codes", "columns", "scope", "words", "empty_noted"})


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    kind: str
    name: str
    basis: str
    table: str | None = None
    digits: int | None = None
    columns: tuple[str, ...] = ()
    scope: str | None = None
    all_of: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class ItemResult:
    item: Item
    present: bool | None  # None: does not apply to this report


def parse_items(doc: dict[str, Any]) -> tuple[Item, ...]:
    """The items of a parsed completeness file; a malformed item is a ValueError naming it."""
    items: list[Item] = []
    for raw in doc.get("item", []):
        ident = str(raw.get("id", "?"))
        kind = str(raw.get("kind", ""))
        if kind not in KINDS:
            raise ValueError(f"completeness item {ident}: unknown kind {kind!r}")
        table = str(raw["table"]) if "table" in raw else None
        if kind in ("table", "codes", "columns") and table not in {t.value for t in TableId}:
            raise ValueError(f"completeness item {ident}: table {table!r} is not 01…09")
        if kind == "scope" and not raw.get("scope"):
            raise ValueError(f"completeness item {ident}: a scope item names its scope")
        if kind == "words" and not raw.get("all"):
            raise ValueError(f"completeness item {ident}: a words item lists its words (all)")
        items.append(
            Item(
                id=ident,
                kind=kind,
                name=str(raw["name"]),
                basis=str(raw.get("basis", "")),
                table=table,
                digits=int(raw["digits"]) if "digits" in raw else None,
                columns=tuple(str(c) for c in raw.get("columns", ())),
                scope=str(raw["scope"]) if "scope" in raw else None,
                all_of=tuple(tuple(str(w) for w in group) for group in raw.get("all", ())),
            )
        )
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        raise ValueError("completeness items: an id is used twice")
    return tuple(items)


@cache
def requirements() -> tuple[Item, ...]:
    """The shipped items (read once)."""
    text = (resources.files("juesuan.corpus") / "data" / "completeness.toml").read_text("utf-8")
    return parse_items(tomllib.loads(text))


def _judge(item: Item, report: Report, scopes: set[str], text: str) -> bool | None:
    if item.kind == "scope":
        return item.scope in scopes
    if item.kind == "words":
        return all(any(w in text for w in group) for group in item.all_of)
    if item.kind == "empty_noted":
        empty = [t for t in report.tables.values() if t.status is TableStatus.EMPTY]
        return all(t.note for t in empty) if empty else None
    assert item.table is not None
    table = report.table(item.table)
    if item.kind == "table":
        return table.status in (TableStatus.PRESENT, TableStatus.EMPTY)
    if item.kind == "codes":
        return any(r.code and len(r.code) == item.digits for r in table.rows)
    # columns: printed (in the printed header), or holding a value where the reader kept no
    # printed header
    if table.status is not TableStatus.PRESENT:
        return False
    if table.printed_columns:
        return all(c in table.printed_columns for c in item.columns)
    return all(any(r.value(c) is not None for r in table.rows) for c in item.columns)


def assess(report: Report, items: tuple[Item, ...] | None = None) -> list[ItemResult]:
    """Each item with whether the report has it."""
    parts = (*report.sections, *report.parts)
    scopes: set[str] = set()
    for part in parts:
        scopes |= covered(part.title)
    text = "\n".join(f"{p.title}\n{p.text}" for p in parts)
    return [ItemResult(i, _judge(i, report, scopes, text)) for i in items or requirements()]


def score(results: list[ItemResult]) -> float | None:
    """The share of applicable items present (None when no item applies)."""
    applicable = [r for r in results if r.present is not None]
    if not applicable:
        return None
    return round(sum(1 for r in applicable if r.present) / len(applicable), 4)
