"""One document in a worker: by kind, with provenance, and isolated (time, memory, crash)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import psutil
import pytest

from juesuan.corpus.inputs import file_sha256
from juesuan.corpus.schema import BY_NAME
from juesuan.corpus.work import Job, Result, _in_child, run_job, run_job_apart
from tests.corpus.helpers import make_corpus


def _job(path: Path, **kw: object) -> Job:
    return Job(file_sha256(path), str(path), path.name, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_corpus(tmp_path_factory.mktemp("work") / "in")


def test_a_final_is_audited_with_rows_of_every_resource(corpus: dict[str, Path]) -> None:
    result = run_job(_job(corpus["final"]))
    doc = result["document"]
    assert doc["status"] == "audited" and doc["kind"] == "部门决算"
    assert doc["unit"] == "焦作市劳动保障信息中心" and doc["year"] == 2021
    assert doc["region"] == "焦作市" and doc["region_source"] == "unit_name"
    assert doc["format"] == "text" and doc["errors"] > 0 and 0 < doc["completeness"] <= 1
    for name in ("cells", "claims", "findings", "completeness"):
        rows = result[name]
        assert rows, name
        assert all(len(r) == len(BY_NAME[name].names) for r in rows), name
    # a cell keeps where it was printed; a claim its status and its subject
    cells = [dict(zip(BY_NAME["cells"].names, r, strict=True)) for r in result["cells"]]
    total = next(
        c for c in cells
        if (c["table_id"], c["row_key"], c["column_name"]) == ("01", "收入总计", "决算数")
    )
    assert (total["value"], total["unit"]) == ("2170184.18", "元")
    assert total["value_yuan"] == "2170184.18"
    assert total["line"] is not None
    claims = [dict(zip(BY_NAME["claims"].names, r, strict=True)) for r in result["claims"]]
    assert {"verified", "wrong"} <= {c["status"] for c in claims}
    stated = next(c for c in claims if c["unit"] == "万元" and c["kind"] == "amount")
    assert stated["subject"] and stated["value_yuan"] is not None
    assert "<html" in result["page"]


def test_a_budget_is_recorded_as_a_budget(corpus: dict[str, Path]) -> None:
    doc = run_job(_job(corpus["budget"]))["document"]
    assert (doc["status"], doc["kind"], doc["year"]) == ("recorded", "部门预算", 2024)
    assert doc["error"] is None and "部门预算" in doc["reader_notes"]


@pytest.mark.parametrize("name", ["damaged", "empty"])
def test_an_unreadable_file_is_an_error_row_with_its_reason(
    corpus: dict[str, Path], name: str
) -> None:
    doc = run_job(_job(corpus[name]))["document"]
    assert doc["status"] == "error" and doc["error_kind"] == "unreadable"
    assert doc["error"]


def test_a_file_changed_since_it_was_hashed(corpus: dict[str, Path]) -> None:
    job = Job("0" * 64, str(corpus["final"]), "x.txt")
    assert "changed" in run_job(job)["document"]["error"]


def test_a_missing_manifest_file_is_an_error_row() -> None:
    doc = run_job(Job("1" * 64, "/nowhere/a.pdf", "a.pdf", missing=True))["document"]
    assert doc["error_kind"] == "unreadable" and "no such file" in doc["error"]


def _sleeps(job: Job) -> Result:
    time.sleep(30)
    raise AssertionError("not reached")


def _segfaults(job: Job) -> Result:
    os.kill(os.getpid(), signal.SIGSEGV)
    raise AssertionError("not reached")


def _allocates(job: Job) -> Result:
    hog = bytearray(2 * 1024 * 1024 * 1024)
    raise AssertionError(f"not reached {len(hog)}")


def _raises(job: Job) -> Result:
    raise KeyError("a bug")


def test_time_limit_kills_the_document_not_the_worker() -> None:
    t0 = time.monotonic()
    result, _ = _in_child(_sleeps, Job("2" * 64, "x", "x.pdf", time_limit=0.5))
    assert time.monotonic() - t0 < 10
    assert result["document"]["error_kind"] == "timeout"
    assert "0.5 s" in result["document"]["error"]


def test_a_crash_in_a_reader_is_an_error_row() -> None:
    result, _ = _in_child(_segfaults, Job("3" * 64, "x", "x.pdf"))
    assert result["document"]["error_kind"] == "crash"
    assert "SIGSEGV" in result["document"]["error"]


def test_memory_limit() -> None:
    result, _ = _in_child(_allocates, Job("4" * 64, "x", "x.pdf", memory_mb=1024))
    assert result["document"]["error_kind"] == "memory"


def test_a_bug_is_an_error_row_naming_where() -> None:
    result, _ = _in_child(_raises, Job("5" * 64, "x", "x.pdf"))
    doc = result["document"]
    assert doc["error_kind"] == "crash" and "KeyError" in doc["error"]
    assert "test_work.py" in doc["error"]


def _clean_processes() -> list[psutil.Process]:
    return [
        p for p in psutil.Process().children()
        if "spawn_main" in " ".join(p.cmdline()) and "resource_tracker" not in " ".join(p.cmdline())
    ]


def test_a_dask_task_forks_its_document_from_a_clean_process(corpus: dict[str, Path]) -> None:
    # what a Dask worker runs: the document's process is forked from a process this one
    # spawned (holding only juesuan), not from the worker; a dead one is replaced
    volatile = ("seconds", "peak_mb")
    direct = run_job(_job(corpus["final"]))
    apart = run_job_apart(_job(corpus["final"]))
    for result in (direct, apart):
        for name in volatile:
            result["document"].pop(name)
    assert apart == direct
    (clean,) = _clean_processes()
    clean.kill()
    clean.wait(timeout=30)
    again = run_job_apart(_job(corpus["final"]))
    assert again["document"]["status"] == "audited" and again["cells"] == direct["cells"]
    (replaced,) = _clean_processes()
    assert replaced.pid != clean.pid
