"""``juesuan corpus audit``: every document of a folder or manifest into one dataset.

Two passes over the documents, both run by a pool that is not ours to write: local processes
(:class:`concurrent.futures.ProcessPoolExecutor`) by default, or a Dask distributed cluster
given its scheduler's address (the same jobs through ``client.submit``):

1. every document not done yet is read, checked and audited by kind (:mod:`.work`); its result
   is saved as soon as it arrives (:class:`.store.Store`);
2. the 决算 are matched with last year's report of the same unit (:mod:`.priors`), and a
   document whose match differs from what it was compared with is audited again with it.

A rerun skips every document with a result (and the matches it was compared with), so it
continues where a killed run stopped. A worker process that dies (killed, or the machine's
memory gone) is not a document's fault: its documents go back to the queue, a new pool is
started, and a document during which a worker died three times is recorded as a crash. On
Dask the scheduler does the same (``distributed.scheduler.allowed-failures``).

Then the dataset is written from the results (:func:`.store.write_dataset`).
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from juesuan.corpus.inputs import Entry, Inputs, discover, file_sha256
from juesuan.corpus.priors import NO_MATCH, Match, match_priors
from juesuan.corpus.store import Store, Stored, write_dataset
from juesuan.corpus.work import (
    Job,
    Result,
    error_result,
    run_job,
    run_job_apart,
    spawned_pool,
)
from juesuan.errors import InputError
from juesuan.fileio import write_atomic

MAX_ATTEMPTS = 3  # a document during which its worker process died this often is a crash


@dataclass(frozen=True)
class Settings:
    workers: int | None = None  # local processes (default: the machine's cores)
    scheduler: str | None = None  # a Dask scheduler address: tcp://host:port
    time_limit: float = 300.0  # seconds per document
    memory_mb: int = 4096  # address space per document
    retry_errors: bool = False  # run the documents that failed last time again
    pages: bool = True  # an HTML audit page per 决算


class Progress(Protocol):
    """What a run reports while it goes (the command line draws a bar from it)."""

    def start(self, stage: str, total: int) -> None: ...

    def advance(self, document: dict[str, Any]) -> None: ...


class RunError(Exception):
    """The run itself cannot go on (the Dask scheduler is gone): rerun to continue."""


@dataclass(frozen=True)
class RunSummary:
    outdir: Path
    documents: tuple[dict[str, Any], ...]
    processed: int
    reused: int
    skipped_files: tuple[str, ...]
    written: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [d for d in self.documents if d.get("status") == "error"]

    def lines(self) -> list[str]:
        """A plain-Chinese account of the run for the command line."""
        docs = self.documents
        kinds = Counter(d.get("kind") or "未知" for d in docs if d.get("status") != "error")
        out = [
            f"文档 {len(docs)} 份（本次处理 {self.processed}，沿用已有结果 {self.reused}），"
            f"用时 {self.seconds:.1f} 秒",
            "类型：" + "，".join(f"{k} {n}" for k, n in kinds.most_common()),
        ]
        audited = [d for d in docs if d.get("status") == "audited"]
        if audited:
            e = sum(d.get("errors") or 0 for d in audited)
            w = sum(d.get("warnings") or 0 for d in audited)
            paired = sum(1 for d in audited if d.get("prior_sha256"))
            out.append(
                f"已审核 {len(audited)} 份：错误 {e} 条，警告 {w} 条；与上年报告比较 {paired} 份"
            )
        if self.errors:
            out.append(f"未能处理 {len(self.errors)} 份：")
            out.extend(
                f"  {d['path']}：{d.get('error')}（{d.get('error_kind')}）" for d in self.errors
            )
        if self.skipped_files:
            shown = "、".join(self.skipped_files[:8])
            more = f" 等 {len(self.skipped_files)} 个" if len(self.skipped_files) > 8 else ""
            out.append(f"非报告格式的文件未读：{shown}{more}")
        out.append(f"数据集：{self.outdir}（datapackage.json、corpus.duckdb、exports/）")
        return out


# --- pools -----------------------------------------------------------------------------------


class _LocalPool:
    """Local worker processes; a pool broken by a dead worker is replaced."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.generation = 0
        self._pool = self._start()

    def _start(self) -> Any:
        return spawned_pool(self.workers)

    def window(self) -> int:
        return 2 * self.workers

    def submit(self, job: Job) -> tuple[Any, int]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._pool.submit(run_job, job), self.generation
        except BrokenProcessPool:  # a worker died since the last look: a new pool, then again
            self.recover(self.generation)
            return self._pool.submit(run_job, job), self.generation

    def wait(self, futures: Sequence[Any]) -> set[Any]:
        from concurrent.futures import FIRST_COMPLETED, wait

        return set(wait(futures, return_when=FIRST_COMPLETED).done)

    def outcome(self, future: Any, job: Job) -> Result | None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            result: Result = future.result()
        except BrokenProcessPool:
            return None
        return result

    def recover(self, generation: int) -> None:
        if generation == self.generation:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self.generation += 1
            self._pool = self._start()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _DaskPool:
    """The same jobs on a Dask distributed cluster."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.generation = 0

    def window(self) -> int:
        threads: dict[str, int] = self.client.nthreads()
        return max(2, 2 * sum(threads.values()))

    def submit(self, job: Job) -> tuple[Any, int]:
        return self.client.submit(run_job_apart, job, pure=False), 0

    def wait(self, futures: Sequence[Any]) -> set[Any]:
        from distributed import wait

        done = wait(list(futures), return_when="FIRST_COMPLETED").done  # type: ignore[no-untyped-call]
        return set(done)

    def outcome(self, future: Any, job: Job) -> Result | None:
        from distributed import KilledWorker

        try:
            result: Result = future.result()
        except KilledWorker:
            return error_result(
                job, "crash", "Dask workers died while processing it (allowed failures reached)"
            )
        except Exception as exc:
            raise RunError(f"the Dask cluster failed: {type(exc).__name__}: {exc}") from exc
        finally:
            future.release()
        return result

    def recover(self, generation: int) -> None:
        pass  # the scheduler reschedules by itself

    def close(self) -> None:
        pass


# Dask's own monitoring, turned down for a batch of CPU-bound documents. By default every worker
# samples its threads' stacks 100 times a second (the statistical profiler), and the scheduler,
# every nanny and every worker wake their event loops every 20 ms (tick), 100 ms (memory
# monitor) and 500 ms (system monitor). On 2 cores that was most of the gap between Dask and
# the local pool (docs/corpus.md): the workers' own CPU fell from 3.4 to 1.1 s a minute. What
# stays: a worker over its memory limit is still stopped by its nanny, within a second.
# ``dask worker`` processes started by hand take the same settings from the environment
# (DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False …, see docs/corpus.md).
DASK_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    # not a daemon, so that a worker may start the clean process documents are forked from
    # (work.run_job_apart); its nanny still ends it, and the clean process dies with it
    "distributed.worker.daemon": False,
}


@contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A client on a Dask ``LocalCluster`` set up for a corpus run: ``workers`` worker processes
    (each under a nanny that restarts it if it dies) of one thread each, since every document
    is a process of its own, with :data:`DASK_CONFIG`."""
    import dask
    from distributed import Client, LocalCluster

    with (
        dask.config.set(DASK_CONFIG),  # the nannies hand it on to their worker processes
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _connect(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise InputError(None, "the Dask cluster needs juesuan[corpus]; run `make`") from None
    try:
        return Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except Exception as exc:  # no scheduler there: one line, not a traceback
        raise InputError(address, f"cannot connect to the Dask scheduler: {exc}") from None


# --- the run ---------------------------------------------------------------------------------


def _run_jobs(
    pool: _LocalPool | _DaskPool, jobs: Sequence[Job], store: Store
) -> Iterator[Stored]:
    queue: deque[tuple[Job, int]] = deque((j, 0) for j in jobs)
    in_flight: dict[Any, tuple[Job, int, int]] = {}
    while queue or in_flight:
        while queue and len(in_flight) < pool.window():
            job, attempts = queue.popleft()
            future, generation = pool.submit(job)
            in_flight[future] = (job, attempts, generation)
        for future in pool.wait(list(in_flight)):
            job, attempts, generation = in_flight.pop(future)
            result = pool.outcome(future, job)
            if result is None:  # its worker process died: the document goes back in the queue
                pool.recover(generation)
                if attempts + 1 < MAX_ATTEMPTS:
                    queue.appendleft((job, attempts + 1))
                    continue
                result = error_result(
                    job, "crash", f"the worker process died {MAX_ATTEMPTS} times while reading it"
                )
                result["document"].update(seconds=None)
            store.save(result, job.prior_sha256)
            yield Stored(result["document"], job.prior_sha256)


def _job(
    entry: Entry, settings: Settings, match: Match = NO_MATCH, prior: str | None = None
) -> Job:
    return Job(
        sha256=entry.sha256,
        path=str(entry.path),
        display=entry.display,
        other_paths=entry.other_paths,
        region=entry.region,
        unit=entry.unit,
        year=entry.year,
        missing=entry.missing,
        prior_path=prior,
        prior_sha256=match.prior_sha256,
        prior_method=match.method,
        prior_confidence=match.confidence,
        prior_note=match.note,
        time_limit=settings.time_limit,
        memory_mb=settings.memory_mb,
        page=settings.pages,
    )


def _manifest_priors(inputs: Inputs) -> tuple[dict[str, str], dict[str, str]]:
    """(document sha256 → its prior's sha256, prior sha256 → a path to read it from) for the
    priors a manifest names: in the run or not, they are known by their content."""
    by_path = {e.path: e.sha256 for e in inputs.entries}
    priors: dict[str, str] = {}
    paths: dict[str, str] = {}
    for e in inputs.entries:
        if e.prior is None or not e.prior.is_file():
            continue
        sha = by_path.get(e.prior) or file_sha256(e.prior)
        priors[e.sha256] = sha
        paths[sha] = str(e.prior)
    return priors, paths


def audit_corpus(
    source: Path,
    outdir: Path,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    client: Any = None,
) -> RunSummary:
    """Run the corpus (see the module docstring); ``client`` is a Dask client to use instead
    of ``settings.scheduler``. Raises InputError for an unusable input or scheduler."""
    settings = settings or Settings()
    t0 = time.perf_counter()
    inputs = discover(source)
    if outdir.exists() and not outdir.is_dir():
        raise InputError(outdir, "exists and is not a folder")
    outdir.mkdir(parents=True, exist_ok=True)
    store = Store(outdir)
    stored = store.load()
    entries = inputs.entries
    manifest_priors, prior_paths = _manifest_priors(inputs)
    paths = {e.sha256: str(e.path) for e in entries} | prior_paths

    def needed(e: Entry) -> bool:
        done = stored.get(e.sha256)
        return done is None or (settings.retry_errors and done.document.get("status") == "error")

    todo = [e for e in entries if needed(e)]
    first = []
    for e in todo:
        named = manifest_priors.get(e.sha256)
        match = Match(named, "manifest", 1.0) if named else NO_MATCH
        first.append(_job(e, settings, match, paths[named] if named else None))
    processed = 0
    pool: _LocalPool | _DaskPool
    own_client = None
    if client is None and settings.scheduler:
        client = own_client = _connect(settings.scheduler)
    pool = _DaskPool(client) if client is not None else _LocalPool(
        settings.workers or os.cpu_count() or 1
    )
    try:
        if progress is not None:
            progress.start("审核", len(first))
        for s in _run_jobs(pool, first, store):
            stored[s.document["sha256"]] = s
            processed += 1
            if progress is not None:
                progress.advance(s.document)
        matches = match_priors(
            [stored[e.sha256].document for e in entries if e.sha256 in stored], manifest_priors
        )
        # audited again: with the prior it now has, or without the one it no longer has
        again = []
        for e in entries:
            m = matches.get(e.sha256, NO_MATCH)
            done = stored.get(e.sha256)
            if done is not None and done.prior_asked != m.prior_sha256:
                prior_path = paths.get(m.prior_sha256) if m.prior_sha256 else None
                again.append(_job(e, settings, m, prior_path))
        if again:
            if progress is not None:
                progress.start("上年比较", len(again))
            for s in _run_jobs(pool, again, store):
                stored[s.document["sha256"]] = s
                processed += 1
                if progress is not None:
                    progress.advance(s.document)
    finally:
        pool.close()
        if own_client is not None:
            own_client.close()
    displays = {e.sha256: e for e in entries}
    documents = [
        _final_row(stored[e.sha256].document, e, matches.get(e.sha256, NO_MATCH), displays)
        for e in entries
    ]
    written = write_dataset(store, documents)
    summary = RunSummary(
        outdir,
        tuple(documents),
        processed,
        len(entries) - len(todo),
        inputs.skipped,
        written,
        time.perf_counter() - t0,
    )
    record = _run_record(summary, settings)
    write_atomic(outdir / "run.json", json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    return summary


def _final_row(
    document: dict[str, Any], entry: Entry, match: Match, entries: dict[str, Entry]
) -> dict[str, Any]:
    """The document's row as this run lists it: its paths as this input names them, and its
    prior as matched now."""
    row = dict(document)
    row.update(path=entry.display, other_paths="；".join(entry.other_paths) or None)
    row["file_name"] = Path(entry.display).name
    used = row.get("prior_sha256")
    if used and used == match.prior_sha256:
        prior_entry = entries.get(used)
        row.update(
            prior_path=prior_entry.display if prior_entry else row.get("prior_path"),
            prior_method=match.method,
            prior_confidence=match.confidence,
        )
    notes = [n for n in (row.get("prior_note"), match.note) if n]
    row["prior_note"] = "；".join(dict.fromkeys(notes)) or None
    return row


def _run_record(summary: RunSummary, settings: Settings) -> dict[str, Any]:
    docs = summary.documents
    return {
        "documents": len(docs),
        "processed": summary.processed,
        "reused": summary.reused,
        "seconds": round(summary.seconds, 2),
        "status": dict(Counter(d.get("status") for d in docs)),
        "kinds": dict(Counter(d.get("kind") or "" for d in docs)),
        "errors": [
            {"path": d["path"], "kind": d.get("error_kind"), "reason": d.get("error")}
            for d in summary.errors
        ],
        "skipped_files": list(summary.skipped_files),
        "settings": {
            "workers": settings.workers,
            "scheduler": settings.scheduler,
            "time_limit": settings.time_limit,
            "memory_mb": settings.memory_mb,
        },
    }


