"""Checks that run before a file reaches its reader, and on the report a reader returns, so that
no input can crash, fill the memory or hang juesuan (the limits: :mod:`juesuan.limits`).

Before reading:

- XLSX and DOCX are ZIP packages. Every member's declared size and compression ratio are
  checked against ``unzipped_bytes`` and ``zip_ratio`` first; then every XML member is
  streamed through expat (decompressed in chunks, never whole) counting what it really unpacks
  to, its element depth (``xml_depth``) and, in a worksheet, its cells (``sheet_cells``). A DTD
  or an entity declaration is refused: Office parts never have one (entity expansion is how a
  "billion laughs" file works).
- JSON: the nesting depth is counted on the brackets outside strings (``json_depth``) before
  :func:`json.loads` could recurse into it.

After reading (:func:`check_report`): every amount has at most ``digits`` digits and every text
at most ``text_chars`` characters and no unpaired surrogate (which no printer can encode).
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
import zlib
from collections.abc import Mapping
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.parsers import expat

from juesuan.errors import InputError
from juesuan.limits import Limits, number_digits
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.model.tables import Cell

_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_CHUNK = 1 << 16


class _Refused(Exception):
    def __init__(self, error: InputError) -> None:
        self.error = error


def check_zip(data: bytes, path: Path, limits: Limits, what: str) -> None:
    """Refuse a ZIP package (XLSX, DOCX) that unpacks too large, too deep or with a DTD."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError):
        raise InputError(path, f"not a readable {what} file (damaged or truncated)") from None
    declared = 0
    for info in members:
        if info.file_size > _CHUNK and info.file_size > limits.zip_ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise limits.exceeded(
                path, "zip_ratio", f"member {info.filename} is compressed {ratio:,} to 1"
            )
        declared += info.file_size
        if declared > limits.unzipped_bytes:
            raise limits.exceeded(path, "unzipped_bytes", f"it unpacks to over {declared:,} bytes")
    unpacked = 0
    for info in members:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        unpacked = _scan_xml(archive, info, path, limits, unpacked)


def _scan_xml(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits, unpacked: int
) -> int:
    """Stream one XML member through expat; returns the bytes unpacked so far."""
    sheet = bool(_SHEET.match(info.filename))
    depth = 0
    cells = 0
    name = info.filename

    extent = [0, 0]  # the last row and column any cell or merged range reaches

    def reach(ref: str | None) -> None:
        for part in (ref or "").split(":"):
            m = _REF.match(part.strip().replace("$", ""))
            if m:
                extent[0] = max(extent[0], int(m.group(2) or 0))
                extent[1] = max(extent[1], _column(m.group(1)))
        if extent[0] * max(extent[1], 1) > limits.sheet_cells:
            raise _Refused(
                limits.exceeded(
                    path,
                    "sheet_cells",
                    f"{name}: cells reach row {extent[0]:,}, column {extent[1]:,}",
                )
            )

    def start(tag: str, attrs: Any) -> None:
        nonlocal depth, cells
        depth += 1
        if depth > limits.xml_depth:
            raise _Refused(limits.exceeded(path, "xml_depth", f"{name}: elements nested too deep"))
        if not sheet:
            return
        local = tag.rsplit(":", 1)[-1]
        if local == "c":
            cells += 1
            if cells > limits.sheet_cells:
                raise _Refused(limits.exceeded(path, "sheet_cells", f"{name}: too many cells"))
            reach(attrs.get("r"))
        elif local == "mergeCell":
            # the reader gives every position of a merged range a cell of its own: a range
            # A1:XFD1048576 in a 16 KB file took a minute and 360 MB (found by bench/fuzz.py)
            reach(attrs.get("ref"))
        elif local == "row" and str(attrs.get("r", "")).isdigit():
            reach(f"A{attrs['r']}")

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*args: Any) -> None:
        raise _Refused(InputError(path, f"{name}: has a DTD (entity declarations are refused)"))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > limits.unzipped_bytes:
                    raise limits.exceeded(
                        path, "unzipped_bytes", f"it unpacks to over {unpacked:,} bytes"
                    )
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as exc:
        raise InputError(path, f"{name}: not well-formed XML ({exc})") from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:  # a damaged member: a bad CRC, a broken deflate stream
        reason = str(exc) or type(exc).__name__
        raise InputError(path, f"{name}: cannot be unpacked ({reason})") from None
    return unpacked


_REF = re.compile(r"^([A-Za-z]{0,3})(\d{0,7})$")


def _column(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def check_json_depth(text: str, path: Path, limits: Limits) -> None:
    """Refuse JSON nested deeper than ``json_depth`` (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= limits.json_depth:
        return
    depth = 0
    deepest = 0
    # strings first (they may hold brackets), then only the brackets are looked at
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limits.json_depth:
                    raise limits.exceeded(path, "json_depth", "JSON nested too deep")
        elif ch in "]}":
            depth -= 1


# --- the report a reader returns -----------------------------------------------------------


def check_report(report: Report, path: Path, limits: Limits) -> None:
    """Every amount within ``digits``, every text within ``text_chars`` and printable."""
    for table in report.tables.values():
        for row in table.rows:
            for column, cell in row.cells.items():
                value = cell.value
                if value is None:
                    continue
                if not value.is_finite():
                    raise InputError(path, f"{_where(table, row, column)}: not a number")
                digits = number_digits(value)
                if digits > limits.digits:
                    raise limits.exceeded(
                        path, "digits", f"{_where(table, row, column)}: a number of {digits} digits"
                    )
    _check_texts(report, path, limits, "report")


def _where(table: Any, row: Any, column: str) -> str:
    return f"table {table.id.value} row {row.label or row.key} column {column}"


def _check_texts(obj: Any, path: Path, limits: Limits, where: str) -> None:
    if isinstance(obj, str):
        if len(obj) > limits.text_chars:
            raise limits.exceeded(path, "text_chars", f"{where}: {len(obj):,} characters")
        if _SURROGATE.search(obj):
            raise InputError(path, f"{where}: text with an unpaired surrogate (not Unicode text)")
        return
    if obj is None or isinstance(obj, int | float | Decimal | Cell | Source):
        return  # cells were checked above; a source names the file read
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            _check_texts(getattr(obj, f.name), path, limits, f"{where}.{f.name}")
    elif isinstance(obj, Mapping):
        for key, value in obj.items():
            _check_texts(key, path, limits, where)
            _check_texts(value, path, limits, f"{where}.{key}")
    elif isinstance(obj, tuple | list):
        for i, value in enumerate(obj):
            _check_texts(value, path, limits, f"{where}[{i}]")


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Unpaired surrogates (a PDF font whose map points at them) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None
