"""Every input ``bench/fuzz.py`` ever found crashing or hanging juesuan, kept as a file under
``tests/data/fuzz/`` (named ``TARGET-HASH.EXT``): each is now read or refused with one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from juesuan import api
from juesuan.errors import InputError
from juesuan.limits import Limits
from juesuan.readers.text import read_text
from tests.conftest import EXAMPLE, REPO

FOUND = sorted((REPO / "tests" / "data" / "fuzz").glob("*-*.*"))
LIMITS = Limits(seconds=60)


@pytest.mark.parametrize("path", FOUND, ids=lambda p: p.name)
def test_found_input_is_read_or_refused_in_one_line(path: Path, tmp_path: Path) -> None:
    target = path.name.split("-", 1)[0]
    try:
        if target == "source":  # its tables sit beside it, as in the fuzzer
            shutil.copy(EXAMPLE, tmp_path / "jiaozuo-2021.txt")
            copy = tmp_path / path.name
            shutil.copy(path, copy)
            from juesuan.compose import prepare_build

            prepare_build(copy, limits=LIMITS)
        elif target == "rules":
            api.check(read_text(EXAMPLE.read_bytes(), EXAMPLE), rule_files=[path], limits=LIMITS)
        else:
            api.audit(path, limits=LIMITS)
    except InputError as exc:
        assert "\n" not in exc.one_line()
        assert exc.one_line().startswith(str(path) if target != "source" else str(tmp_path))


def test_found_inputs_are_kept() -> None:
    """The regression files stay in the repository (the fuzzer writes them there)."""
    assert all(
        p.name.split("-", 1)[0]
        in {"text", "html", "json", "docx", "xlsx", "pdf", "source", "rules"}
        for p in FOUND
    )
