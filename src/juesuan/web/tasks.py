"""What runs in a worker process: each function calls :mod:`juesuan.api` (or pypdfium2 for a
page image) and returns a plain, picklable value; an input the API refuses, a time limit or a
memory limit becomes an ``error`` line, never an exception crossing into the server.

Workers run in their own processes (:mod:`juesuan.web.jobs`) so that a hostile file can only
take its worker down, and so that pdfium, which is not thread-safe, never runs in two threads
of one process. Each worker's address space is bounded (:func:`worker_init`) and each document
has a wall-clock limit (SIGALRM: tasks run in the worker's main thread).
"""

from __future__ import annotations

import logging
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from juesuan.errors import InputError

if TYPE_CHECKING:
    from juesuan.api import AuditResult
    from juesuan.compose import BuildResult, Prepared

log = logging.getLogger("juesuan.web")
T = TypeVar("T")
MIB = 1024 * 1024


def worker_init(memory_mb: int) -> None:
    """Bound this worker's address space: a file that would need more fails with MemoryError
    (a one-line error for that document) instead of taking the machine's memory."""
    import resource

    limit = memory_mb * MIB
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us


def warm() -> None:
    """Import what an audit needs and load the rules and code lists once, so that the first
    document a person uploads does not wait for a fresh interpreter's imports."""
    from juesuan import api
    from juesuan.model.codes import reference_codes
    from juesuan.readers import pdf  # noqa: F401 - imported for its import time

    api.rules()
    reference_codes()


class _Timeout(Exception):
    pass


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _guarded(seconds: int, fn: Callable[[], T]) -> tuple[T | None, str | None]:
    """``fn()``, or the one line saying why it gave nothing."""
    try:
        with _deadline(seconds):
            return fn(), None
    except InputError as exc:
        # the reason without the server's path of the stored upload (the page names the file)
        return None, exc.reason
    except _Timeout:
        return None, f"处理超过时间限制（{seconds} 秒）"
    except MemoryError:
        return None, "处理所需内存超过工作进程的上限"
    except Exception as exc:  # a bug: one line for the page, the traceback for the log
        log.error("internal error: %s", traceback.format_exc())
        return None, f"内部错误（{type(exc).__name__}: {exc}），请报告此问题"


@dataclass(frozen=True)
class Reviewed:
    result: AuditResult | None
    error: str | None
    seconds: float
    pages: list[tuple[float, float]] | None = None  # a PDF's page sizes, for its images


def review(
    report: str, prior: str | None, prior_any: bool, max_pages: int, seconds: int
) -> Reviewed:
    """Audit ``report`` (against ``prior``); a PDF is first inspected (its page sizes, and
    refused beyond ``max_pages``)."""
    from juesuan import api

    start = time.perf_counter()
    pages = None
    if report.endswith(".pdf"):
        inspected = inspect(report, max_pages, seconds)
        if inspected.error is not None:
            return Reviewed(None, inspected.error, time.perf_counter() - start)
        pages = inspected.pages
    result, error = _guarded(seconds, lambda: api.audit(report, prior=prior, prior_any=prior_any))
    return Reviewed(result, error, time.perf_counter() - start, pages)


@dataclass(frozen=True)
class Inspected:
    pages: list[tuple[float, float]] | None  # PDF page sizes in points, as shown
    error: str | None
    over_limit: bool = False  # refused for its page count (413), not as unreadable


def inspect(path: str | bytes, max_pages: int, seconds: int) -> Inspected:
    """A PDF's (a file's or an upload's bytes) page sizes, or why it is refused (pdfium cannot
    open it, too many pages)."""

    def run() -> list[tuple[float, float]] | int:
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise InputError(None, f"PDF 无法打开（{exc}）") from None
        try:
            n = len(doc)
            if n > max_pages:
                return n  # refused for its size, not as unreadable
            sizes = []
            for i in range(n):
                page = doc[i]
                # width and height as shown (a page with /Rotate is turned), as the reader
                # gives every box
                sizes.append((round(page.get_width(), 2), round(page.get_height(), 2)))
                page.close()
            return sizes
        finally:
            doc.close()

    found, error = _guarded(seconds, run)
    if isinstance(found, int):
        return Inspected(None, f"共 {found:,} 页，超过上限 {max_pages:,} 页", True)
    return Inspected(found, error)


def render_page(path: str, page_no: int, out: str, scale: float) -> str | None:
    """Render one page as PNG into ``out``; the error line, or None."""
    from juesuan.fileio import write_atomic

    def run() -> None:
        import io

        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        try:
            page = doc[page_no - 1]
            image = page.render(scale=scale).to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            page.close()
        finally:
            doc.close()
        write_atomic(Path(out), buf.getvalue())

    _, error = _guarded(60, run)
    return error


@dataclass(frozen=True)
class TablesRead:
    unit_name: str | None
    year: int | None
    tables: tuple[str, ...]  # the tables with data
    error: str | None


def read_tables(path: str, seconds: int) -> TablesRead:
    """Who and when an uploaded table file says it is, to start a compile project from it."""
    from juesuan import api

    def run() -> TablesRead:
        report = api.load(path)
        present = tuple(
            t.value for t, tb in sorted(report.tables.items()) if tb.status.value == "present"
        )
        if not present:
            raise InputError(path, "未读到九张公开表中的任何一张")
        return TablesRead(report.unit_name, report.year, present, None)

    read, error = _guarded(seconds, run)
    return read if read is not None else TablesRead(None, None, (), error)


@dataclass(frozen=True)
class Previewed:
    prepared: Prepared | None
    error: str | None


def preview(source: str, seconds: int) -> Previewed:
    from juesuan import api

    prepared, error = _guarded(seconds, lambda: api.prepare_build(source))
    return Previewed(prepared, error)


@dataclass(frozen=True)
class Built:
    result: BuildResult | None
    error: str | None


def build(source: str, outdir: str, force: bool, seconds: int) -> Built:
    from juesuan import api

    result, error = _guarded(seconds, lambda: api.build(source, outdir, force=force))
    return Built(result, error)


def annotate(report: str, result: AuditResult, out: str, seconds: int) -> str | None:
    """Write the annotated PDF of ``report`` with ``result``'s findings; the error, or None."""
    from juesuan import api

    _, error = _guarded(seconds, lambda: api.annotate(report, out, result=result))
    return error
