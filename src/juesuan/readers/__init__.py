"""Readers: turn a file into a :class:`~juesuan.model.report.Report`, or raise InputError."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.model.report import Report

ReadFn = Callable[..., Report]
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


def read(path: str | Path, *, ocr: Any = None) -> Report:
    """Read any supported file. ``ocr`` (a :class:`juesuan.readers.ocr.OcrOptions`, or its mode
    ``"auto"`` / ``"always"`` / ``"never"``) says how images without a text layer are read."""
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such file")
    if p.is_dir():
        raise InputError(p, "is a directory, not a report file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror}") from None
    if not data.strip():
        raise InputError(p, "empty file")
    module, function = choose(data, p)
    fn = _reader(module, function, p)
    if module in _WITH_IMAGES:
        from juesuan.readers.ocr import OcrOptions

        try:
            options = OcrOptions.of(ocr)
        except ValueError as exc:
            raise InputError(p, str(exc)) from None
        return fn(data, p, ocr=options)
    return fn(data, p)
