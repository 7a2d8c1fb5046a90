"""Last year's report of each 决算 of a corpus: the same unit (names normalised as
:func:`juesuan.model.prior.unit_key` does), the same region, the year before. Pure.

The match and how sure it is go into the dataset:

- ``manifest``: the manifest names the prior: confidence 1.
- ``matched``: one 决算 of the corpus is the same unit's of the year before
  (:func:`juesuan.model.prior.is_prior`). Confidence 1 when both names are printed alike and
  both regions are known and equal; 0.9 when the names are alike only once normalised
  (spacing, full-width forms, （汇总） marks); times 0.6 when a region is unknown (a unit name
  with no place in it, such as 政府办公厅, is shared by many regions); divided by the number of
  candidates when several reports qualify (the first by path is used, and the note says so).
  A same-name report of another region is never a match; the note says it was left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from juesuan.model.prior import is_prior, unit_key
from juesuan.model.report import Report

UNKNOWN_REGION_FACTOR = 0.6
NORMALISED_NAME_CONFIDENCE = 0.9


@dataclass(frozen=True, slots=True)
class Match:
    prior_sha256: str | None
    method: str | None  # manifest | matched | None (no prior)
    confidence: float | None
    note: str | None = None


NO_MATCH = Match(None, None, None)


def _final(doc: Mapping[str, Any]) -> bool:
    return doc.get("status") == "audited"


def _as_report(doc: Mapping[str, Any]) -> Report:
    # the matching rules of juesuan.model.prior read only the unit, the year and the file
    return Report(unit_name=doc.get("unit"), year=doc.get("year"), source_file=doc.get("path"))


def match_priors(
    documents: Iterable[Mapping[str, Any]],
    manifest_priors: Mapping[str, str] | None = None,
) -> dict[str, Match]:
    """For each audited document (by sha256), its prior. ``manifest_priors`` maps a document's
    sha256 to the sha256 of the prior its manifest line names."""
    docs = [d for d in documents if _final(d)]
    by_key: dict[tuple[str, int], list[Mapping[str, Any]]] = {}
    for d in docs:
        key = unit_key(d.get("unit"))
        if key and d.get("year") is not None:
            by_key.setdefault((key, int(d["year"])), []).append(d)
    out: dict[str, Match] = {}
    named = manifest_priors or {}
    for d in docs:
        sha = str(d["sha256"])
        if sha in named:
            out[sha] = Match(named[sha], "manifest", 1.0)
            continue
        out[sha] = _match(d, by_key)
    return out


def _match(doc: Mapping[str, Any], by_key: Mapping[tuple[str, int], list[Any]]) -> Match:
    key, year = unit_key(doc.get("unit")), doc.get("year")
    if not key or year is None:
        return NO_MATCH
    me = _as_report(doc)
    candidates = [
        c
        for c in by_key.get((key, int(year) - 1), [])
        if c["sha256"] != doc["sha256"] and is_prior(me, _as_report(c))
    ]
    region = doc.get("region")
    elsewhere = [c for c in candidates if region and c.get("region") and c["region"] != region]
    candidates = [c for c in candidates if c not in elsewhere]
    if not candidates:
        if elsewhere:
            where = "、".join(sorted({str(c["region"]) for c in elsewhere}))
            return Match(
                None, None, None, f"同名单位上一年度的决算在其他地区（{where}），未作比较"
            )
        return NO_MATCH
    candidates.sort(key=lambda c: str(c.get("path") or ""))
    chosen = candidates[0]
    confidence = 1.0 if chosen.get("unit") == doc.get("unit") else NORMALISED_NAME_CONFIDENCE
    if not (region and chosen.get("region")):
        confidence *= UNKNOWN_REGION_FACTOR
    note = None
    if len(candidates) > 1:
        confidence /= len(candidates)
        note = f"上一年度有 {len(candidates)} 份同单位决算，用 {chosen.get('path')}"
    return Match(str(chosen["sha256"]), "matched", round(confidence, 3), note)
