"""The region of a unit from the start of its name (``data/regions.toml``), when no manifest
says where it is. Pure; the vocabulary is read once."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class RegionWords:
    prefixes: tuple[str, ...]
    provinces: tuple[str, ...]
    level: re.Pattern[str]
    levels: int


@cache
def _words() -> RegionWords:
    text = (resources.files("juesuan.corpus") / "data" / "regions.toml").read_text("utf-8")
    doc = tomllib.loads(text)
    suffixes = sorted((str(s) for s in doc["suffixes"]), key=len, reverse=True)
    lo, hi = int(doc["min_chars"]), int(doc["max_chars"])
    level = re.compile(
        rf"[\u4e00-\u9fff]{{{lo},{hi}}}?(?:{'|'.join(map(re.escape, suffixes))})"
    )
    provinces = tuple(sorted((str(p) for p in doc["provinces"]), key=len, reverse=True))
    return RegionWords(
        tuple(str(p) for p in doc["prefixes"]), provinces, level, int(doc["levels"])
    )


def region_of(unit_name: str | None) -> str | None:
    """上海市普陀区财政局 → 上海市普陀区; a name that starts with no place → None."""
    if not unit_name:
        return None
    words = _words()
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", unit_name))
    for prefix in words.prefixes:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    found = next((p for p in words.provinces if name.startswith(p)), "")
    rest = name[len(found) :]
    for _ in range(words.levels):
        m = words.level.match(rest)
        if m is None:
            break
        found += m.group(0)
        rest = rest[m.end() :]
    return found or None
