"""Readers: turn a file into a :class:`~juesuan.model.report.Report`, or raise InputError."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.limits import Limits, deadline, resolve
from juesuan.model.report import Report

ReadFn = Callable[..., Report]
# readers that take the limits themselves (pages of a PDF, depth of HTML and JSON, .xls cells)
_TAKE_LIMITS = frozenset({"read_pdf", "read_html", "read_xls", "read_json"})
# Readers of formats that can hold images: they take the OCR options (readers.ocr.OcrOptions).
_WITH_IMAGES = ("pdf", "docx", "html", "image")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def _reader(module: str, function: str, path: Path) -> ReadFn:
    """Heavy libraries load only when their format is read; a missing one is an input error."""
    try:
        fn: ReadFn = getattr(importlib.import_module(f"juesuan.readers.{module}"), function)
    except ImportError as exc:
        raise InputError(
            path, f"cannot read this format here ({exc}); run `make` to install"
        ) from None
    return fn


def choose(data: bytes, path: Path) -> tuple[str, str]:
    """(module, function) for a file: by content first, suffix second."""
    suffix = path.suffix.lower()
    if suffix == ".json" or data.lstrip()[:1] == b"{":
        return "json", "read_json"
    if data.startswith(b"%PDF") or suffix == ".pdf":
        return "pdf", "read_pdf"
    if data.startswith(_IMAGE_MAGIC):  # PNG, JPEG, TIFF: a scanned page given directly
        return "image", "read_image"
    if data.startswith(b"PK\x03\x04"):
        if suffix in (".xlsx", ".xlsm") or b"xl/" in data[:4096]:
            return "xlsx", "read_xlsx"
        return "docx", "read_docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: legacy .xls or .doc
        return ("xlsx", "read_xls") if suffix == ".xls" else ("docx", "read_doc")
    head = data.lstrip()[:64].lower()
    # a server page (JSP, PHP, ASP) saved as crawled starts with its directives, then <html>
    early = data[:4096].lower()
    if (
        suffix in (".html", ".htm", ".jsp", ".php", ".asp", ".aspx", ".shtml")
        or head.startswith((b"<!doctype", b"<html"))
        or (head.startswith(b"<") and (b"<html" in early or b"<!doctype html" in early))
    ):
        return "html", "read_html"
    return "text", "read_text"


def read(
    path: str | Path, *, limits: Limits | Mapping[str, Any] | None = None, ocr: Any = None
) -> Report:
    """Read any supported file (``-``: standard input) within ``limits``
    (:class:`juesuan.limits.Limits`); raises :class:`InputError` with one line. ``ocr`` (a
    :class:`juesuan.readers.ocr.OcrOptions`, or its mode ``"auto"`` / ``"always"`` /
    ``"never"``) says how images without a text layer are read."""
    from juesuan.fileio import STDIN_NAME, is_stdin, read_input

    lim = resolve(limits)
    data = read_input(path, lim, what="report file")
    p = Path(STDIN_NAME) if is_stdin(path) else Path(path)
    with deadline(p, lim):
        return read_bytes(data, p, limits=lim, ocr=ocr)


def read_bytes(
    data: bytes,
    path: Path,
    *,
    limits: Limits | Mapping[str, Any] | None = None,
    ocr: Any = None,
) -> Report:
    """Read the bytes of a file named ``path`` (the name decides the format where the content
    does not), guarded by the checks of :mod:`juesuan.readers.guard`."""
    from juesuan.readers import guard

    lim = resolve(limits)
    if not data.strip():
        raise InputError(path, "empty file")
    module, function = choose(data, path)
    if module == "xlsx" and function == "read_xlsx":
        guard.check_zip(data, path, lim, "Excel .xlsx")
    elif module == "docx" and function == "read_docx":
        guard.check_zip(data, path, lim, "Word .docx")
    fn = _reader(module, function, path)
    kwargs: dict[str, Any] = {}
    if function in _TAKE_LIMITS:
        kwargs["limits"] = lim
    if module in _WITH_IMAGES:
        from juesuan.readers.ocr import OcrOptions

        try:
            kwargs["ocr"] = OcrOptions.of(ocr)
        except ValueError as exc:
            raise InputError(path, str(exc)) from None
    report = fn(data, path, **kwargs)
    guard.check_report(report, path, lim)
    return report
