"""Shared fixtures: the two real reports, and reports built from a few inline lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.model.report import Report
from juesuan.readers.text import read_text

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
EXAMPLE = REPO / "src" / "juesuan" / "examples" / "jiaozuo-2021.txt"
SEED_002 = SEEDS / "002_af51da28134e3624.txt"
SEED_000 = SEEDS / "000_f6b564e07db4b8ff.txt"


def report_from_text(text: str, name: str = "inline.txt") -> Report:
    """A report from text in the seeds' form (tab-separated rows under a table title)."""
    return read_text(text.encode("utf-8"), Path(name))


@pytest.fixture(scope="session")
def seed002_path() -> Path:
    # The packaged example is a byte-identical copy of seed 002; prefer the shared seed.
    return SEED_002 if SEED_002.exists() else EXAMPLE


@pytest.fixture(scope="session")
def seed002(seed002_path: Path) -> Report:
    return read_text(seed002_path.read_bytes(), seed002_path)


@pytest.fixture(scope="session")
def seed000() -> Report:
    if not SEED_000.exists():
        pytest.skip("../shared/seeds is not beside the repository")
    return read_text(SEED_000.read_bytes(), SEED_000)
