"""Bad input never escapes as a traceback: truncated and garbled copies of real reports either
read (with whatever could be read) or raise InputError with one line naming the file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from juesuan.api import audit
from juesuan.errors import InputError
from tests.conftest import EXAMPLE, REPO, SEED_000

PDFS = sorted((REPO / "tests" / "data" / "pdfs").glob("*.pdf"))[:2]


def _garble(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randrange(1, 30)):
        i = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.3:
            del lines[i]
        elif op < 0.6:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif op < 0.8:
            lines[i] = lines[i].replace("\t", " ", rng.randrange(3))
        elif lines[i]:
            lines[i] = "".join(rng.sample(lines[i], len(lines[i])))
    return "\n".join(lines)


def _variants(path: Path, rng: random.Random) -> list[bytes]:
    data = path.read_bytes()
    out = [data[: rng.randrange(1, len(data))] for _ in range(6)]
    if path.suffix == ".txt":
        out += [_garble(data.decode("utf-8"), rng).encode("utf-8") for _ in range(6)]
    return out


@pytest.mark.parametrize("source", [EXAMPLE, SEED_000, *PDFS], ids=lambda p: p.name)
def test_damaged_copies_read_or_fail_cleanly(source: Path, tmp_path: Path) -> None:
    if not source.exists():
        pytest.skip("seed not beside the repository")
    rng = random.Random(source.name)
    for n, data in enumerate(_variants(source, rng)):
        path = tmp_path / f"damaged{n}{source.suffix}"
        path.write_bytes(data)
        try:
            audit(path)
        except InputError as exc:
            line = exc.one_line()
            assert str(path) in line and "\n" not in line
