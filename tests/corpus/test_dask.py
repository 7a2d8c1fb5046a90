"""The same run on a Dask distributed cluster: a real LocalCluster, and a `dask scheduler` with
two `dask worker` processes on loopback driven through the command line."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from juesuan.corpus.run import DASK_CONFIG, Settings, audit_corpus, local_cluster
from tests.corpus.helpers import DOCUMENTS, make_corpus

_VOLATILE = {"seconds", "peak_mb"}


def _rows(outdir: Path) -> list[dict[str, Any]]:
    con = duckdb.connect(str(outdir / "corpus.duckdb"), read_only=True)
    try:
        result = con.execute("SELECT * FROM documents ORDER BY sha256")
        names = [d[0] for d in result.description]
        return [
            {k: v for k, v in zip(names, r, strict=True) if k not in _VOLATILE}
            for r in result.fetchall()
        ]
    finally:
        con.close()


def _counts(outdir: Path) -> dict[str, int]:
    con = duckdb.connect(str(outdir / "corpus.duckdb"), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("cells", "claims", "findings", "completeness", "printed_cells")
        }
    finally:
        con.close()


def _worker_settings(dask_worker: Any) -> tuple[bool, str, bool]:
    import dask

    return (
        dask.config.get("distributed.worker.profile.enabled"),
        dask.config.get("distributed.admin.tick.interval"),
        "profile" in dask_worker.periodic_callbacks,
    )


def _clean_children() -> int:
    """Processes this worker spawned to fork documents from (work.run_job_apart)."""
    import psutil

    return sum(
        1 for p in psutil.Process().children()
        if "spawn_main" in " ".join(p.cmdline()) and "resource_tracker" not in " ".join(p.cmdline())
    )


@pytest.mark.slow
def test_a_local_cluster_gives_the_dataset_of_the_local_pool(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in")
    local = audit_corpus(tmp_path / "in", tmp_path / "local", Settings(workers=1))
    with local_cluster(2) as client:
        # the worker processes run with Dask's monitoring turned down (their nannies passed
        # the settings on): no statistical profiler sampling them 100 times a second
        settings = client.run(_worker_settings)
        on_dask = audit_corpus(tmp_path / "in", tmp_path / "dask", client=client)
        # documents were forked from a clean process of their worker, not from the worker
        clean = client.run(_clean_children)
    tick = DASK_CONFIG["distributed.admin.tick.interval"]
    assert list(settings.values()) == [(False, tick, False)] * 2
    assert set(clean.values()) <= {0, 1} and sum(clean.values()) >= 1, clean
    assert on_dask.processed == local.processed
    assert _rows(tmp_path / "dask") == _rows(tmp_path / "local")
    assert _counts(tmp_path / "dask") == _counts(tmp_path / "local")
    assert len(_rows(tmp_path / "dask")) == DOCUMENTS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.mark.slow
def test_scheduler_and_two_worker_processes_on_loopback(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    make_corpus(tmp_path / "in")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    started: list[subprocess.Popen[bytes]] = []
    try:
        started.append(
            subprocess.Popen(
                [str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                 "--no-dashboard"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        )
        _wait_for_port(port)
        for _ in range(2):
            started.append(
                subprocess.Popen(
                    [str(bin_dir / "dask"), "worker", address, "--nthreads", "1",
                     "--no-dashboard", "--host", "127.0.0.1"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        run = subprocess.run(
            [str(bin_dir / "juesuan"), "corpus", "audit", str(tmp_path / "in"),
             "-o", str(tmp_path / "out"), "--scheduler", address],
            capture_output=True, text=True, timeout=300,
        )
        assert run.returncode == 0, run.stderr
        assert f"文档 {DOCUMENTS} 份" in run.stdout
        rows = _rows(tmp_path / "out")
        assert len(rows) == DOCUMENTS
        assert sum(1 for r in rows if r["prior_sha256"]) == 1
    finally:
        for process in reversed(started):  # only what this test started, by its own handle
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.slow
def test_no_scheduler_there_is_one_line(tmp_path: Path) -> None:
    from juesuan.errors import InputError

    make_corpus(tmp_path / "in")
    with pytest.raises(InputError, match="cannot connect to the Dask scheduler"):
        audit_corpus(
            tmp_path / "in",
            tmp_path / "out",
            Settings(scheduler=f"tcp://127.0.0.1:{_free_port()}"),
        )
