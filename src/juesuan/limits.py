"""Every limit on what juesuan reads, in one documented value (like
:class:`juesuan.readers.pdf_settings.PdfSettings`): reports come from thousands of offices and
every tool, and a reviewer's batch must not die, fill the memory or hang on one strange file.

Each default says why it is where it is: well above every real report seen (the corpus:
``../shared/corpus``), well below what would take the machine down. A file beyond a limit is
refused with one line naming the file, the limit and how to raise it (exit code 2), e.g.
``big.pdf: 2,016 pages, over the limit of 1,000 (raise it with --limit pdf_pages=N)``.

``Limits()`` is the default; :func:`resolve` accepts ``None``, a mapping of field names or an
instance; :func:`parse_overrides` reads the command line's ``--limit NAME=VALUE``.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.errors import InputError

MIB = 1024 * 1024

# Decimal's default precision is 28 digits: a figure of 24 digits summed over 10,000 cells and
# rounded to 2 places still fits, so no check can ever lose a digit or raise on it.
DIGITS_CEILING = 24


@dataclass(frozen=True, slots=True)
class Limits:
    """What one input may hold. Every field is a maximum; raise one with ``--limit NAME=N``."""

    input_bytes: int = 100 * MIB
    """Size of one input file. The largest report of the corpus is 2.2 MB (a 171-page 汇总 PDF
    of vector tables is 1.3 MB); a PDF with embedded scans runs to tens of MB. A file is never
    read past this: /dev/zero or a 3 GB file is refused before a byte is kept."""

    pdf_pages: int = 1000
    """Pages of one PDF. The longest real 决算 seen has 171 pages (西安 卫健委 2022, with about
    100 pages of 项目绩效自评表); a 汇总 report of a large department stays well under 1,000.
    A 2,000-page file is a collection of reports, not one."""

    unzipped_bytes: int = 200 * MIB
    """Decompressed size of all members of one XLSX or DOCX together. Real 决算 workbooks and
    documents unpack to a few MB (images included); a zip bomb unpacks a 1 MB file to 1 GiB."""

    zip_ratio: int = 200
    """Decompressed / compressed size of one XLSX or DOCX member. Sheet and document XML
    compresses 5–30× (a sheet of thousands of identically styled empty cells up to about 100×);
    a zip bomb's member compresses 1000× and more."""

    xml_depth: int = 100
    """Nesting of elements in one XML part of an XLSX or DOCX. A document with tables inside
    tables stays under 30; a hostile file nests 100,000 deep. Entity declarations (DTDs) are
    refused outright: an Office part never has one, and they are how "billion laughs" works."""

    sheet_cells: int = 200_000
    """Cells (``<c>`` elements, formatted empty ones included) of one worksheet. The nine tables
    of a 决算 hold a few thousand cells; a workbook of 项目 lists some tens of thousands. A sheet
    of a million rows would take minutes and gigabytes to load."""

    json_depth: int = 64
    """Nesting of one JSON document. juesuan's report JSON nests 8 deep; 100,000 brackets would
    exhaust Python's recursion."""

    digits: int = 20
    """Digits (integer and decimal places together) of one amount in a table or a JSON report.
    The largest budget figure there is, a national total in 元, has 14 integer digits and 2
    decimals. At most 24 (see :data:`DIGITS_CEILING`)."""

    name_chars: int = 200
    """Characters of one name or label: the unit's name, a row or column label, a table cell.
    The longest real unit name seen has about 40 characters. A name is printed in headings and
    table headers, where a very long unbreakable one made the PDF writer take minutes."""

    text_chars: int = 200_000
    """Characters of one paragraph, narrative part or text field of a build source. Crawled
    pages print a whole 情况说明 on one line (about 10,000 characters)."""

    seconds: float = 300.0
    """Wall-clock seconds for one document (reading, checking, auditing), so that a batch run
    goes on past a file that would take too long. The 171-page report takes about 2 s. 0 turns
    the limit off."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"limit {f.name} must be a number ≥ 0, got {value!r}")
            if value == 0 and f.name != "seconds":
                raise ValueError(f"limit {f.name} must be at least 1")
        if self.digits > DIGITS_CEILING:
            raise ValueError(
                f"limit digits can be at most {DIGITS_CEILING} (Decimal arithmetic keeps 28)"
            )

    def exceeded(self, path: str | Path | None, name: str, what: str) -> InputError:
        """The one-line error for ``what`` (e.g. "2,016 pages") over the limit ``name``."""
        return LimitError(path, name, what, getattr(self, name))


class LimitError(InputError):
    """An input beyond one of the :class:`Limits` (exit 2, like any unreadable input)."""

    def __init__(self, path: str | Path | None, name: str, what: str, limit: float) -> None:
        self.limit_name = name
        shown = f"{limit:,}" if isinstance(limit, int) else f"{limit:g}"
        super().__init__(
            path, f"{what}, over the limit of {shown} (raise it with --limit {name}=N)"
        )


DEFAULT = Limits()


def number_digits(value: Decimal) -> int:
    """Digits ``value`` prints with in fixed point: ``1e308`` → 309, ``0.005`` → 4."""
    if not value.is_finite():
        return 10**9
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    integer = max(value.adjusted() + 1, 1) if value else 1
    return integer + max(-exponent, 0)


def resolve(limits: Limits | Mapping[str, Any] | None) -> Limits:
    """``None`` → the defaults; a mapping → the defaults with those fields changed."""
    if limits is None:
        return DEFAULT
    if isinstance(limits, Limits):
        return limits
    known = {f.name for f in fields(Limits)}
    unknown = sorted(set(limits) - known)
    if unknown:
        raise ValueError(f"unknown limit {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return replace(DEFAULT, **dict(limits))


def parse_overrides(items: Iterable[str]) -> Limits:
    """``["pdf_pages=5000", "seconds=0"]`` → Limits; raises ValueError with a readable reason."""
    changes: dict[str, Any] = {}
    types = {f.name: f.type for f in fields(Limits)}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in types:
            raise ValueError(
                f"--limit {item!r}: expected NAME=VALUE with NAME one of {', '.join(types)}"
            )
        text = value.strip().replace(",", "").replace("_", "")
        try:
            changes[name] = float(text) if types[name] in (float, "float") else int(text)
        except ValueError:
            raise ValueError(f"--limit {item!r}: {value!r} is not a number") from None
    return resolve(changes)


def describe() -> list[tuple[str, Any, str]]:
    """(name, default, reason) of every limit, for ``juesuan limits`` and the README."""
    import inspect

    source = inspect.getsource(Limits)
    out = []
    for f in fields(Limits):
        # the docstring under each field is its reason (read from the source, not duplicated)
        marker = f"    {f.name}:"
        start = source.index(marker)
        doc_start = source.index('"""', start) + 3
        doc = source[doc_start : source.index('"""', doc_start)]
        out.append((f.name, getattr(DEFAULT, f.name), " ".join(doc.split())))
    return out


# --- wall-clock limit ---------------------------------------------------------------------------


@contextlib.contextmanager
def deadline(path: str | Path | None, limits: Limits) -> Iterator[None]:
    """Raise :class:`LimitError` (an :class:`InputError`) when the block runs longer than
    ``limits.seconds``. Uses SIGALRM, so it interrupts any Python code (a long C call ends
    first); outside the main thread, or where SIGALRM does not exist, it only checks at the end.
    """
    seconds = limits.seconds
    if not seconds:
        yield
        return
    error = LimitError(path, "seconds", "the document took too long", seconds)
    use_alarm = (
        hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if not use_alarm:
        start = time.monotonic()
        yield
        if time.monotonic() - start > seconds:
            raise error
        return

    fired = False

    def expired(signum: int, frame: Any) -> None:
        nonlocal fired
        fired = True
        raise error

    if signal.getitimer(signal.ITIMER_REAL)[0]:
        yield  # an outer deadline is running
        return
    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except Exception:
        # the alarm may land inside a reader's own ``except`` that turns it into another error:
        # once it has fired, the time limit is the reason
        if fired:
            raise error from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # swallowed on the way (a fallback that went on): still too long
        raise error
