"""A small run of ``bench/mutate.py``: consistent reports with generated 情况说明 have no narrative
error, and one injected error of each kind is found by the rule that names it."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "mutate.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_mutate", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


mutate = _load()


@pytest.fixture(scope="module")
def cases() -> list[Any]:
    # the example, and synthetic reports in 元 and 万元, without and with the fund tables
    return mutate.build_cases(4, seed=11)


@pytest.fixture(scope="module")
def outcome(cases: list[Any]) -> Any:
    return mutate.run(cases, per_kind=2, seed=11)


def test_consistent_reports_have_no_narrative_error(outcome: Any) -> None:
    false = [f"{name}: [{f.rule_id}] {f.message}" for name, f in outcome.false_errors]
    assert false == []


@pytest.mark.parametrize("kind", [k.name for k in mutate.KINDS])
def test_each_kind_is_detected(outcome: Any, kind: str) -> None:
    tally = outcome.tallies[kind]
    assert tally.mutations >= 4, kind  # every kind has sites in these reports
    missed = [
        f"{name}: {m.note} (new errors: {rules})"
        for name, m, rules in outcome.misses
        if m.kind == kind
    ]
    # a one-hundredth off may be what the printed figures give (an accepted route): at most one
    assert tally.detected >= tally.mutations - 1, missed


def test_overall_recall(outcome: Any) -> None:
    assert outcome.recall >= 0.95


def test_mutations_are_deterministic(cases: list[Any]) -> None:
    report = cases[1].report
    for kind in mutate.KINDS:
        first = [m.text for m in kind.sites(report, random.Random(3))]
        again = [m.text for m in kind.sites(report, random.Random(3))]
        assert first == again, kind.name


def test_a_mutation_changes_one_place(cases: list[Any]) -> None:
    report = cases[0].report
    site = next(mutate.year_sites(report, random.Random(1)))
    mutated = mutate.apply(report, site)
    changed = [
        (a.number, b.number)
        for a, b in zip(report.sections, mutated.sections, strict=True)
        if a.text != b.text
    ]
    assert len(changed) == 1
    assert mutated.parts == report.parts
