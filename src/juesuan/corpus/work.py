"""One document of a corpus run: read, checked and audited by kind, as a result of plain rows.

:func:`run_job` is what a worker runs (a process of the local pool or a Dask worker): it forks
a child for the document, so that the document's time and memory limits can be enforced
(the child is killed at its deadline; its address space is capped with ``RLIMIT_AS``), a
crash of a reader (a segfault in a C library, the kernel's OOM killer) takes only the child,
and memory is returned after every document. Whatever happens, the result is one record: the
document's rows, or an error row saying why (unreadable, timeout, memory, crash).

A 部门预算 or a 绩效 evaluation is recorded as what it is (kind, unit, year, its tables as
printed), not audited as a 决算 with nine missing tables: :func:`juesuan.api.final_accounts`
decides.
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import hashlib
import os
import pickle
import resource
import select
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from juesuan.corpus.schema import DOCUMENTS, RESULT_VERSION

Result = dict[str, Any]

VERSION = "0.1.0"  # juesuan.__version__, without importing the package's lazy names here


@dataclass(frozen=True)
class Job:
    """What a worker needs to process one document (small and picklable: it crosses to Dask
    workers). ``path`` must be readable where the worker runs."""

    sha256: str
    path: str
    display: str
    other_paths: tuple[str, ...] = ()
    region: str | None = None  # the manifest's
    unit: str | None = None
    year: int | None = None
    missing: bool = False
    prior_path: str | None = None
    prior_sha256: str | None = None
    prior_method: str | None = None  # manifest | matched
    prior_confidence: float | None = None
    prior_note: str | None = None
    time_limit: float = 300.0
    memory_mb: int = 4096
    page: bool = True  # also render the audit as an HTML page


# --- the document ----------------------------------------------------------------------------


def _format(data: bytes, path: Path) -> str:
    from juesuan.readers import choose

    module, function = choose(data, path)
    return {"read_doc": "doc", "read_xls": "xls"}.get(function, module)


def _empty_document(job: Job) -> dict[str, Any]:
    doc: dict[str, Any] = dict.fromkeys(DOCUMENTS.names)
    doc.update(
        sha256=job.sha256,
        path=job.display,
        other_paths="；".join(job.other_paths) or None,
        file_name=Path(job.display).name,
        unit=job.unit,
        region=job.region,
        region_source="manifest" if job.region else None,
        year=job.year,
        prior_note=job.prior_note,
        juesuan_version=VERSION,
    )
    return doc


def error_result(job: Job, kind: str, reason: str, doc: dict[str, Any] | None = None) -> Result:
    """The record of a document that could not be processed: one row saying why."""
    row = dict(doc) if doc is not None else _empty_document(job)
    row.update(status="error", error_kind=kind, error=reason)
    return {"version": RESULT_VERSION, "sha256": job.sha256, "document": row}


def process(job: Job) -> Result:
    """The document's result (in the calling process: :func:`run_job` isolates it)."""
    from juesuan import api
    from juesuan.errors import InputError

    doc = _empty_document(job)
    if job.missing:
        return error_result(job, "unreadable", "no such file (listed in the manifest)", doc)
    path = Path(job.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return error_result(job, "unreadable", f"cannot read: {exc.strerror}", doc)
    if hashlib.sha256(data).hexdigest() != job.sha256:
        return error_result(job, "unreadable", "the file changed during the run", doc)
    doc.update(bytes=len(data), format=_format(data, path) if data.strip() else None)
    if doc["format"] == "pdf":
        from juesuan.readers.pdf import page_count

        doc["pages"] = page_count(data)
    try:
        report = api.load(path)
    except InputError as exc:
        return error_result(job, "unreadable", exc.reason, doc)
    return _record(job, doc, report)


def _record(job: Job, doc: dict[str, Any], report: Any) -> Result:
    from juesuan import api
    from juesuan.corpus import completeness, rows
    from juesuan.corpus.region import region_of
    from juesuan.errors import InputError
    from juesuan.model.prior import unit_key
    from juesuan.model.tables import TableStatus

    report = replace(report, source_file=job.display)
    notes = list(report.reader_notes)
    printed = report.unit_name
    unit = job.unit or report.unit_name
    year = job.year if job.year is not None else report.year
    if job.year is not None and report.year is not None and job.year != report.year:
        notes.append(f"清单所列年度 {job.year} 与文档所印 {report.year} 不同，按清单")
    if job.unit or job.year is not None:
        report = replace(report, unit_name=unit, year=year)
    region = job.region or region_of(unit)
    by_status: dict[TableStatus, list[str]] = {}
    for table_id, table in sorted(report.tables.items()):
        by_status.setdefault(table.status, []).append(table_id.value)
    sha = job.sha256
    cells = rows.cell_rows(sha, report)
    doc.update(
        kind=report.kind.value if report.kind is not None else None,
        unit=unit,
        unit_printed=printed,
        unit_key=unit_key(unit) or None,
        region=region,
        region_source="manifest" if job.region else ("unit_name" if region else None),
        year=year,
        unit_kind=report.unit_kind.value if report.unit_kind is not None else None,
        tables_present=",".join(by_status.get(TableStatus.PRESENT, [])) or None,
        tables_empty=",".join(by_status.get(TableStatus.EMPTY, [])) or None,
        tables_missing=",".join(
            by_status.get(TableStatus.ABSENT, []) + by_status.get(TableStatus.TITLE_ONLY, [])
        )
        or None,
        sections=len(report.sections),
        cells=sum(1 for c in cells if c[10] is not None),
    )
    result: Result = {
        "version": RESULT_VERSION,
        "sha256": sha,
        "cells": cells,
        "printed_cells": rows.printed_cell_rows(sha, report),
    }
    try:
        api.final_accounts(report)
    except InputError as exc:
        doc.update(status="recorded", reader_notes="；".join([*notes, exc.reason]) or None)
        result["document"] = doc
        return result
    prior, prior_notes = _prior(job, report)
    notes.extend(prior_notes)
    audited = api.audit(report, prior=prior)
    counts = audited.counts
    assessed = completeness.assess(report)
    doc.update(
        status="audited",
        claims=len(audited.claims),
        errors=counts[_severity("error")],
        warnings=counts[_severity("warning")],
        notices=counts[_severity("notice")],
        infos=counts[_severity("info")],
        completeness=completeness.score(assessed),
        reader_notes="；".join(notes) or None,
    )
    if prior is not None:
        doc.update(
            prior_sha256=job.prior_sha256,
            prior_path=prior.source_file,
            prior_method=job.prior_method,
            prior_confidence=job.prior_confidence,
        )
    result.update(
        document=doc,
        claims=rows.claim_rows(sha, report, audited.claims),
        findings=rows.finding_rows(sha, audited.findings),
        completeness=rows.completeness_rows(sha, assessed),
    )
    if job.page:
        result["page"] = api.format_html(audited)
    return result


def _severity(name: str) -> Any:
    from juesuan.rules.finding import Severity

    return Severity(name)


def _prior(job: Job, report: Any) -> tuple[Any, list[str]]:
    """Last year's report the run matched (or the manifest named), when it is one: a file that
    cannot be read, or that is not the same unit's 决算 of the year before, is not compared
    with, and the note says why."""
    from juesuan import api
    from juesuan.errors import InputError
    from juesuan.model.prior import prior_problem

    if job.prior_path is None:
        return None, []
    try:
        prior = replace(api.load(job.prior_path), source_file=job.prior_path)
        problem = prior_problem(report, prior)
        if prior.kind is not None and not prior.kind.is_final:
            problem = f"it is a {prior.kind.value}, not a 决算"
    except InputError as exc:
        return None, [f"上年报告 {job.prior_path} 无法读取（{exc.reason}），未作上年比较"]
    if problem is not None:
        return None, [f"上年报告 {job.prior_path} 未采用：{problem}"]
    return prior, []


# --- isolation -------------------------------------------------------------------------------


def warm() -> None:
    """Import what reading and auditing need, once per worker process: every document's child
    is forked from a process that has them, instead of importing them again each time."""
    import juesuan.api
    import juesuan.corpus.completeness
    import juesuan.corpus.rows
    import juesuan.narrative.review
    import juesuan.readers.docx
    import juesuan.readers.html
    import juesuan.readers.json
    import juesuan.readers.pdf
    import juesuan.readers.text
    import juesuan.readers.xlsx
    import juesuan.rules.declarations
    import juesuan.writers.findings_html  # noqa: F401
    from juesuan.model.codes import reference_codes

    reference_codes()  # the code lists, read once (cached)


def run_job(job: Job) -> Result:
    """:func:`process` in a forked child under the job's time and memory limits (inline where
    the platform cannot fork). Never raises for anything the document does."""
    warm()
    t0 = time.perf_counter()
    if not hasattr(os, "fork"):
        result = _guarded(process, job)
        result["document"].update(seconds=round(time.perf_counter() - t0, 3))
        return result
    result, peak_kb = _in_child(process, job)
    result["document"].update(
        seconds=round(time.perf_counter() - t0, 3), peak_mb=round(peak_kb / 1024, 1)
    )
    return result


def _guarded(fn: Callable[[Job], Result], job: Job) -> Result:
    try:
        return fn(job)
    except MemoryError:
        return error_result(job, "memory", f"memory limit ({job.memory_mb} MB) exceeded")
    except Exception as exc:  # a bug in juesuan on this document: recorded, never fatal
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return error_result(
            job,
            "crash",
            f"internal error {type(exc).__name__}: {exc} ({Path(where.filename).name}:"
            f"{where.lineno})",
        )


def _child(fn: Callable[[Job], Result], job: Job, write_fd: int) -> None:
    """In the forked child: cap memory, run, send the pickled result, exit without cleanup."""
    code = 0
    try:
        faulthandler.disable()  # a reader's crash is this document's error row, not a dump
        with contextlib.suppress(ValueError):  # Ctrl-C is the run's, not a document's
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        limit = job.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        payload = pickle.dumps(_guarded(fn, job), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _in_child(fn: Callable[[Job], Result], job: Job) -> tuple[Result, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (its coverage is not collected)
        os.close(read_fd)
        _child(fn, job, write_fd)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + job.time_limit
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
        _, status, usage = os.wait4(pid, 0)
    peak_kb = int(usage.ru_maxrss)
    if timed_out:
        return error_result(job, "timeout", f"time limit ({job.time_limit:g} s) exceeded"), peak_kb
    if os.WIFSIGNALED(status):
        sig = signal.Signals(os.WTERMSIG(status)).name
        reason = f"the process reading it was killed ({sig})"
        if peak_kb >= job.memory_mb * 1024 * 0.9:
            return error_result(job, "memory", f"{reason} near the memory limit"), peak_kb
        return error_result(job, "crash", reason), peak_kb
    try:
        result: Result = pickle.loads(b"".join(chunks))
    except Exception:
        return error_result(job, "crash", "the process reading it exited without a result"), (
            peak_kb
        )
    return result, peak_kb


# --- worker processes ------------------------------------------------------------------------


def _die_with_the_run() -> None:
    """Ask Linux to kill this worker process when the process that started it ends. A run that
    ended without shutting its pool down (killed by the OOM killer or ``kill -9``; a program
    calling the API without a SIGTERM handler) left its spawned workers waiting on their task
    queue for ever, re-parented to init with their memory: they hold the queue's writing end
    themselves, so they never see it close. Elsewhere nothing is done."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the run was gone before the request was made
        os._exit(1)


def pool_worker_init() -> None:
    """The start of a spawned worker process: it dies with its parent, leaves Ctrl-C to the
    run's main process and imports what documents need (:func:`warm`)."""
    _die_with_the_run()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm()


def spawned_pool(workers: int) -> Any:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawned, not forked: the process starting them has threads (a progress bar, an event loop)
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=pool_worker_init,
    )


_apart_lock = threading.Lock()
_apart: list[Any] = []  # this Dask worker's pool of clean processes, once started


def _can_have_children() -> bool:
    import multiprocessing

    return not multiprocessing.current_process().daemon


def _worker_threads() -> int:
    try:
        from distributed import get_worker

        return max(1, int(get_worker().state.nthreads))
    except (ImportError, ValueError, AttributeError):  # not in a Dask worker
        return 1


def run_job_apart(job: Job) -> Result:
    """:func:`run_job` for a Dask task: in a clean process this worker spawned once, so that
    the document's process is forked from a process holding only juesuan, as on the local pool.
    Forked straight from a Dask worker (its ~70 MB heap, threads and event loop) the same
    documents read 10–15 % slower, at one worker as at two (docs/corpus.md). A Dask worker run
    as a daemon may not have children (``distributed.worker.daemon``, which
    :func:`juesuan.corpus.run.local_cluster` turns off): there the document's process is forked
    from the worker itself. A clean process that dies is replaced; a document it died on
    :data:`APART_ATTEMPTS` times is a crash row."""
    from concurrent.futures.process import BrokenProcessPool

    if not _can_have_children():
        return run_job(job)
    for _ in range(APART_ATTEMPTS):
        with _apart_lock:
            if not _apart:
                _apart.append(spawned_pool(_worker_threads()))
                atexit.register(_close_apart)
            pool = _apart[0]
        try:
            result: Result = pool.submit(run_job, job).result()
            return result
        except BrokenProcessPool:
            with _apart_lock:
                if _apart and _apart[0] is pool:
                    _apart.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
    return error_result(
        job, "crash", f"the worker process died {APART_ATTEMPTS} times while reading it"
    )


APART_ATTEMPTS = 3


def _close_apart() -> None:
    """Stop the clean process before the interpreter tears its modules down (a pool collected
    after that prints an ignored exception from its weakref callback)."""
    with _apart_lock:
        for pool in _apart:
            pool.shutdown(wait=True, cancel_futures=True)
        _apart.clear()
