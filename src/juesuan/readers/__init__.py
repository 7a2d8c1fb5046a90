"""Readers: turn a file into a :class:`~juesuan.model.report.Report`, or raise InputError."""

from __future__ import annotations

from pathlib import Path

from juesuan.errors import InputError
from juesuan.model.report import Report


def read(path: str | Path) -> Report:
    """Read any supported file; the format is chosen by content first, suffix second."""
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
    head = data.lstrip()[:1]
    if p.suffix.lower() == ".json" or head == b"{":
        from juesuan.readers.json import read_json

        return read_json(data, p)
    if data.startswith(b"%PDF"):
        raise InputError(p, "PDF input is not supported yet (planned: issue 3)")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(p, "DOCX/XLSX input is not supported yet (planned: issue 3)")
    from juesuan.readers.text import read_text

    return read_text(data, p)
