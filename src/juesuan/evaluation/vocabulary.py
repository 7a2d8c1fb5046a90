"""The words forms are read by, loaded once from ``evaluation/data/vocabulary.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from juesuan.evaluation.model import ColumnRole


@dataclass(frozen=True)
class Vocabulary:
    form_titles: tuple[str, ...]
    department_titles: tuple[str, ...]
    special_fund_titles: tuple[str, ...]
    fields: dict[str, tuple[str, ...]]
    blocks: dict[str, tuple[str, ...]]
    goals: dict[str, tuple[str, ...]]
    indicator_columns: dict[str, tuple[str, ...]]
    fund_columns: tuple[tuple[ColumnRole, tuple[str, ...]], ...]
    fiscal: tuple[str, ...]
    other: tuple[str, ...]
    fiscal_rows: tuple[str, ...]
    lower_is_better: tuple[str, ...]
    no_reason: tuple[str, ...]
    partial: tuple[str, ...]
    unmet: tuple[str, ...]
    met: tuple[str, ...]

    def role(self, header: str) -> ColumnRole | None:
        """The role of a money-block column from its header words (first match in order)."""
        return _role(self.fund_columns, header)


@lru_cache(maxsize=1 << 14)
def _role(
    fund_columns: tuple[tuple[ColumnRole, tuple[str, ...]], ...], header: str
) -> ColumnRole | None:
    for role, words in fund_columns:
        if any(w in header for w in words):
            return role
    return None


def _words(doc: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(w) for w in doc.get(key, ()))


def _table(doc: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {k: _words(doc, k) for k in doc}


@cache
def vocabulary() -> Vocabulary:
    text = (resources.files("juesuan.evaluation") / "data" / "vocabulary.toml").read_text("utf-8")
    doc = tomllib.loads(text)
    return Vocabulary(
        form_titles=_words(doc["titles"], "form"),
        department_titles=_words(doc["titles"], "department"),
        special_fund_titles=_words(doc["titles"], "special_fund"),
        fields=_table(doc["fields"]),
        blocks=_table(doc["blocks"]),
        goals=_table(doc["goals"]),
        indicator_columns=_table(doc["indicator_columns"]),
        fund_columns=tuple(
            (ColumnRole(entry["role"]), _words(entry, "words")) for entry in doc["fund_column"]
        ),
        fiscal=_words(doc["funds"], "fiscal"),
        other=_words(doc["funds"], "other"),
        fiscal_rows=_words(doc["funds"], "fiscal_rows"),
        lower_is_better=_words(doc["operators"], "lower_is_better"),
        no_reason=_words(doc["reasons"], "none"),
        partial=_words(doc["attainment"], "partial"),
        unmet=_words(doc["attainment"], "unmet"),
        met=_words(doc["attainment"], "met"),
    )
