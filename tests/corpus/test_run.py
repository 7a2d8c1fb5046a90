"""Whole runs: one row per document, resumable, safe when a worker or the run is killed."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from juesuan.corpus.run import Settings, audit_corpus
from juesuan.corpus.schema import RESOURCES
from tests.corpus.helpers import DOCUMENTS, PAIR_UNIT, make_corpus

ROOT = Path(__file__).resolve().parents[2]


def _documents(outdir: Path) -> list[dict[str, Any]]:
    con = duckdb.connect(str(outdir / "corpus.duckdb"), read_only=True)
    try:
        result = con.execute("SELECT * FROM documents ORDER BY path")
        names = [d[0] for d in result.description]
        return [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    base = tmp_path_factory.mktemp("run")
    make_corpus(base / "in")
    summary = audit_corpus(base / "in", base / "out", Settings(workers=2))
    return base / "in", base / "out", summary


def test_every_document_is_one_row_with_its_kind(run: tuple[Path, Path, Any]) -> None:
    _, out, summary = run
    docs = _documents(out)
    assert len(docs) == DOCUMENTS == summary.processed - 1  # the pair's later year: twice
    by_path = {d["path"]: d for d in docs}
    assert by_path["budget-2024.txt"]["kind"] == "部门预算"
    assert by_path["budget-2024.txt"]["status"] == "recorded"
    assert by_path["copies/same-content.txt"]["other_paths"] == "jiaozuo-2021.txt"
    assert by_path["damaged.pdf"]["status"] == "error" and by_path["damaged.pdf"]["error"]
    assert by_path["empty.txt"]["status"] == "error"
    assert {d["status"] for d in docs} == {"audited", "recorded", "error"}
    assert summary.skipped_files == ("notes.md",)


def test_the_year_pair_is_matched_and_compared(run: tuple[Path, Path, Any]) -> None:
    _, out, _ = run
    by_path = {d["path"]: d for d in _documents(out)}
    later, earlier = by_path["minzheng-2022.json"], by_path["minzheng-2021.json"]
    assert later["unit"] == PAIR_UNIT
    assert later["prior_sha256"] == earlier["sha256"]
    assert later["prior_path"] == "minzheng-2021.json"
    assert (later["prior_method"], later["prior_confidence"]) == ("matched", 1.0)
    assert earlier["prior_sha256"] is None


def test_the_dataset_files_and_their_descriptor_agree(run: tuple[Path, Path, Any]) -> None:
    _, out, _ = run
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    con = duckdb.connect()
    for resource, described in zip(RESOURCES, package["resources"], strict=True):
        path = out / described["path"]
        columns = [d[0] for d in con.execute(f"SELECT * FROM '{path}' LIMIT 0").description]
        assert columns == [f["name"] for f in described["schema"]["fields"]] == list(
            resource.names
        )
    money = con.execute(
        f"SELECT typeof(value_yuan) FROM '{out / 'cells.parquet'}' LIMIT 1"
    ).fetchone()
    assert money is not None and money[0].startswith("DECIMAL")
    n = con.execute(f"SELECT count(*) FROM '{out / 'findings.parquet'}'").fetchone()
    assert n is not None and n[0] > 0


def test_exports_a_reviewer_filters(run: tuple[Path, Path, Any]) -> None:
    _, out, _ = run
    raw = (out / "exports" / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows and {"unit", "year", "region", "rule_id", "severity", "message"} <= set(rows[0])
    from openpyxl import load_workbook

    book = load_workbook(out / "exports" / "corpus.xlsx", read_only=True)
    assert {"documents", "findings", "completeness", "errors", "claims", "说明"} <= set(
        book.sheetnames
    )


def test_a_rerun_does_nothing_again(run: tuple[Path, Path, Any]) -> None:
    source, out, _ = run
    before = _documents(out)
    summary = audit_corpus(source, out, Settings(workers=1))
    assert summary.processed == 0 and summary.reused == DOCUMENTS
    after = _documents(out)
    assert [d["sha256"] for d in after] == [d["sha256"] for d in before]


def test_report_page(run: tuple[Path, Path, Any]) -> None:
    from juesuan.corpus.report import write_report

    _, out, _ = run
    page = write_report(out)
    html = page.read_text(encoding="utf-8")
    for heading in ("错误最多的单位", "未能处理的文档", "公开完整性", "三公经费", "damaged.pdf"):
        assert heading in html
    assert "../pages/" in html
    assert (out / "report" / "by_rule.svg").is_file()
    linked = [p for p in (out / "pages").iterdir()]
    assert linked and all(p.suffix == ".html" for p in linked)


# --- interrupted runs ------------------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("juesuan")), *args]


def _results(out: Path) -> int:
    return sum(1 for p in (out / "results").glob("*/*.json") if not p.name.endswith(".rows.json"))


def _wait_for(predicate: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def _audit_2_workers(tmp_path: Path) -> list[str]:
    """``juesuan corpus audit`` of the test corpus in tmp_path/in into tmp_path/out."""
    return _cli(
        "corpus", "audit", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "2"
    )


def _start_run(tmp_path: Path, **popen: Any) -> subprocess.Popen[str]:
    """A corpus of 12 large reports more, audited in the background with 2 workers."""
    make_corpus(tmp_path / "in", large=12)
    return subprocess.Popen(_audit_2_workers(tmp_path), env=_env(), text=True, **popen)


def _pool_workers(run: subprocess.Popen[str]) -> list[Any]:
    """The run's worker processes (not multiprocessing's resource tracker)."""
    import psutil

    workers = [
        p
        for p in psutil.Process(run.pid).children()
        if "resource_tracker" not in " ".join(p.cmdline())
    ]
    assert workers
    return workers


def _rerun(tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _audit_2_workers(tmp_path),
        env=_env(), capture_output=True, text=True, timeout=300, check=True,
    )


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = _start_run(tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: (out / "results").is_dir() and _results(out) >= 2)
        _pool_workers(run)[0].kill()  # SIGKILL, mid-run: its documents go back in the queue
        stdout, stderr = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 0, stderr
    total = DOCUMENTS + 12
    assert f"文档 {total} 份" in stdout
    rerun = _rerun(tmp_path)
    assert "本次处理 0" in rerun.stdout
    docs = _documents(out)
    assert len(docs) == total == len({d["sha256"] for d in docs})
    assert sum(1 for d in docs if d["status"] == "error") == 2  # damaged.pdf, empty.txt


@pytest.mark.slow
def test_the_workers_end_with_a_run_killed_alone(tmp_path: Path) -> None:
    import psutil

    out = tmp_path / "out"
    run = _start_run(tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[Any] = []
    try:
        _wait_for(lambda: (out / "results").is_dir() and _results(out) >= 2)
        workers = _pool_workers(run)
        run.kill()  # SIGKILL to the run alone (the OOM killer, kill -9): no pool shut down
        run.wait(timeout=60)
        _, alive = psutil.wait_procs(workers, timeout=30)
        assert not alive, "worker processes outlived their run"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for p in workers:  # only the processes this test saw, by their own handle
            if p.is_running():
                p.kill()


@pytest.mark.slow
def test_the_run_killed_mid_way_continues_on_rerun(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = _start_run(
        tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        _wait_for(lambda: (out / "results").is_dir() and _results(out) >= 4)
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # the run and its workers, as a power cut would
        run.wait()
    done = _results(out)
    assert 0 < done < DOCUMENTS + 12
    rerun = _rerun(tmp_path)
    # every result saved before the kill is used, not done again
    reused = int(rerun.stdout.split("沿用已有结果 ")[1].split("）")[0])
    assert reused == done
    docs = _documents(out)
    assert len(docs) == DOCUMENTS + 12 == len({d["sha256"] for d in docs})
    assert {d["path"] for d in docs if d["status"] == "error"} == {"damaged.pdf", "empty.txt"}
