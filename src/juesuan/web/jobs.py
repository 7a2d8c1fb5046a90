"""The bounded background pool: reviews (one per document), previews and builds run in worker
processes (:mod:`juesuan.web.tasks`), page images and PDF inspection in one more process of
their own, so that a batch queued behind the workers never holds up a page image.

This is deliberately small and swappable: :class:`Jobs` is all the routes know (``submit``
a review, ask for its ``result``, ``call`` a task and wait). The corpus runner of issue 12
(``juesuan.corpus``, Dask-capable, resumable, writing a dataset) should plug in here: a
batch's documents would be handed to it instead of :meth:`Jobs.submit_review`, and its dataset
rows would feed the summary page (:func:`juesuan.web.views.corpus_view`).

A worker that dies (a segfault in a native library, the kernel's OOM killer) breaks the
executor: it is replaced, the documents that were queued are submitted again, and a document
that breaks two workers is failed with one line.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from juesuan.web import tasks
from juesuan.web.settings import ServeSettings
from juesuan.web.store import ReviewRow, Store

if TYPE_CHECKING:
    from juesuan.api import AuditResult

log = logging.getLogger("juesuan.web")
T = TypeVar("T")

# Page images are rendered at this scale (1.6 × 72 dpi ≈ 115 dpi: an A4 page ~950 px wide, as
# sharp as the browser shows it at 1280 px and small enough to load 30 pages quickly).
PAGE_SCALE = 1.6


class _Pool:
    """A ProcessPoolExecutor that is replaced when one of its workers dies."""

    def __init__(self, workers: int, memory_mb: int) -> None:
        self.workers, self.memory_mb = workers, memory_mb
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self.generation = 0  # which executor a future came from (one breaks, all its fail)
        self.closed = False

    def _current(self) -> tuple[ProcessPoolExecutor, int]:
        with self._lock:
            if self.closed:
                raise RuntimeError("the server is stopping")
            if self._executor is None:
                self.generation += 1
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    # spawn: a fresh interpreter, not a fork of a server with threads running
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=tasks.worker_init,
                    initargs=(self.memory_mb,),
                    max_tasks_per_child=50,  # a slow leak in a native library stays bounded
                )
            return self._executor, self.generation

    def submit(self, fn: Callable[..., T], *args: Any) -> tuple[Future[T], int]:
        executor, generation = self._current()
        try:
            return executor.submit(fn, *args), generation
        except BrokenProcessPool:
            self.replace(generation)
            executor, generation = self._current()
            return executor.submit(fn, *args), generation

    def replace(self, generation: int) -> None:
        """Drop the executor of ``generation`` if it is still the current one."""
        with self._lock:
            if self.generation != generation or self._executor is None:
                return
            old, self._executor = self._executor, None
        old.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop now: queued work is dropped (it is resumed at the next start) and a document
        being audited is abandoned rather than waited for."""
        with self._lock:
            old, self._executor = self._executor, None
            self.closed = True
        if old is None:
            return
        # the executor has no public way to stop a running task; its processes are known
        for process in list(getattr(old, "_processes", {}).values()):
            process.terminate()
        old.shutdown(wait=True, cancel_futures=True)


class Jobs:
    def __init__(self, store: Store, settings: ServeSettings) -> None:
        self.store, self.settings = store, settings
        self._work = _Pool(settings.workers, settings.worker_memory_mb)
        self._pages = _Pool(1, settings.worker_memory_mb)
        self._lock = threading.Lock()
        self._running: dict[str, Future[tasks.Reviewed]] = {}
        self._started: dict[str, float] = {}
        self._broken: dict[str, int] = {}
        self._prerender: set[str] = set()
        self._cache: OrderedDict[str, AuditResult] = OrderedDict()

    # --- reviews ---------------------------------------------------------------------------

    def warm(self) -> None:
        """Start the worker processes now, each importing what an audit needs (not waited
        for): the first upload then takes as long as any other."""
        for _ in range(self.settings.workers):
            self._work.submit(tasks.warm)

    def resume(self) -> int:
        """Submit again what was queued or running when the server last stopped."""
        rows = self.store.unfinished()
        for row in rows:
            self.submit_review(row)
        return len(rows)

    def result(self, row: ReviewRow) -> AuditResult | None:
        """The audit result of a finished review, from memory; if it is not there (a restart,
        the cache is full) it is computed again in the background and None is returned."""
        with self._lock:
            result = self._cache.get(row.id)
            if result is not None:
                self._cache.move_to_end(row.id)
                return result
        if row.status == "done":
            self.submit_review(row)
        return None

    def running_since(self, rid: str) -> float | None:
        with self._lock:
            return self._started.get(rid) if rid in self._running else None

    def submit_review(self, row: ReviewRow, *, prerender: bool = False) -> None:
        """Audit ``row``'s document in a worker; with ``prerender`` (one document a person is
        waiting for, not a batch), the pages its findings are on are rendered as soon as it
        is done, so that a jump to a finding shows its page at once."""
        with self._lock:
            if prerender:
                self._prerender.add(row.id)
            if row.id in self._running:
                return
            report = self.store.blob(row.report)
            prior = self.store.blob(row.prior) if row.prior else None
            if report is None:
                self.store.set_status(row.id, "failed", error="上传的文件已不在存储中")
                return
            future, generation = self._work.submit(
                tasks.review,
                str(self.store.blob_path(report)),
                str(self.store.blob_path(prior)) if prior is not None else None,
                row.prior_any,
                self.settings.max_pages,
                self.settings.seconds_per_document,
            )
            self._running[row.id] = future
            self._started[row.id] = time.monotonic()
        if row.status == "queued":
            self.store.set_status(row.id, "running")
        future.add_done_callback(lambda f: self._reviewed(row, f, generation))

    def _reviewed(self, row: ReviewRow, future: Future[tasks.Reviewed], generation: int) -> None:
        if self._work.closed:
            return  # stopping: the review stays unfinished and is resumed at the next start
        with self._lock:
            self._running.pop(row.id, None)
            started = self._started.pop(row.id, time.monotonic())
        try:
            outcome = future.result()
        except BrokenProcessPool:
            self._work.replace(generation)
            tries = self._broken[row.id] = self._broken.get(row.id, 0) + 1
            if tries < 2:
                self.submit_review(row)
                return
            outcome = tasks.Reviewed(
                None, "处理此文件时工作进程意外退出（可能是文件损坏）", time.monotonic() - started
            )
        except Exception as exc:  # cancelled at shutdown, or a bug in pickling
            log.error("review %s: %s", row.id, exc)
            return
        if outcome.result is None:
            self.store.set_status(row.id, "failed", error=outcome.error, seconds=outcome.seconds)
            return
        if outcome.pages is not None:
            self.store.set_pages(row.report, outcome.pages)
        self.remember(row.id, outcome.result)
        with self._lock:
            wanted = row.id in self._prerender
            self._prerender.discard(row.id)
        if wanted and outcome.pages is not None:
            self._render_pages(row, outcome.result)
        self.store.set_status(
            row.id,
            "done",
            summary=self.explained(row, outcome.result).summary(),
            seconds=outcome.seconds,
        )

    def explained(self, row: ReviewRow, result: AuditResult) -> AuditResult:
        """The result with the unit's explanations (stored by document) applied."""
        from juesuan import api

        return api.explain_reasons(result, self.store.reasons(row.report))

    def _render_pages(self, row: ReviewRow, result: AuditResult) -> None:
        """Queue the page images of the pages the findings are on (not waited for)."""
        blob = self.store.blob(row.report)
        if blob is None:
            return
        pages = sorted(
            {
                f.location.source.page
                for f in result.findings
                if f.location.source is not None and f.location.source.page is not None
            }
        )
        for page in pages:
            out = self.store.page_image(blob.hash, page)
            if not out.exists():
                self._pages.submit(
                    tasks.render_page, str(self.store.blob_path(blob)), page, str(out), PAGE_SCALE
                )

    def remember(self, rid: str, result: AuditResult) -> None:
        with self._lock:
            self._cache[rid] = result
            self._cache.move_to_end(rid)
            while len(self._cache) > self.settings.cache_results:
                self._cache.popitem(last=False)

    # --- other tasks, waited for -----------------------------------------------------------

    def call(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """Run ``fn(*args)`` in a worker and wait for it (a preview, reading a table file)."""
        return self._wait(self._work, fn, args, timeout)

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``fn(*args)`` in a worker; the caller looks at the future later (a build)."""
        future, generation = self._work.submit(fn, *args)
        future.add_done_callback(lambda f: self._check_broken(self._work, f, generation))
        return future

    def page_task(self, fn: Callable[..., T], *args: Any, timeout: float = 120) -> T:
        """Run ``fn(*args)`` in the page process (pdfium for inspection and page images)."""
        return self._wait(self._pages, fn, args, timeout)

    @staticmethod
    def _wait(pool: _Pool, fn: Callable[..., T], args: tuple[Any, ...], timeout: float | None) -> T:
        future, generation = pool.submit(fn, *args)
        try:
            return future.result(timeout=timeout)
        except BrokenProcessPool:
            pool.replace(generation)
            raise

    @staticmethod
    def _check_broken(pool: _Pool, future: Future[Any], generation: int) -> None:
        if not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
            pool.replace(generation)

    def render(self, path: str, page: int, out: str) -> str | None:
        return self.page_task(tasks.render_page, path, page, out, PAGE_SCALE)

    def shutdown(self) -> None:
        self._work.shutdown()
        self._pages.shutdown()
