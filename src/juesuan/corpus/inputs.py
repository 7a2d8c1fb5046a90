"""What a corpus run reads: the documents of a folder (recursively) or of a manifest.

A document is known by the SHA-256 of its bytes, not by its name: the same file under two
names is one document (its other names are kept), a renamed file is not done again, and a
changed file is a new document. A manifest is a CSV or TSV file with a ``path`` column (or
``file``) and optionally ``region``, ``unit``, ``year`` and ``prior`` (last year's report);
relative paths are relative to the manifest. A manifest that cannot be used at all (no path
column, a year that is not a number) is an :class:`~juesuan.errors.InputError` naming the line;
a listed file that does not exist is still a document: an error row saying so.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.errors import InputError

# Suffixes juesuan's readers take (juesuan.readers.choose); any other file of a folder is
# listed as skipped, never read as a report nor left out silently.
REPORT_SUFFIXES = frozenset(
    {
        ".pdf", ".txt", ".json", ".docx", ".doc", ".xlsx", ".xlsm", ".xls",
        ".html", ".htm", ".shtml", ".jsp", ".php", ".asp", ".aspx",
    }
)
MANIFEST_SUFFIXES = frozenset({".csv", ".tsv"})
_PATH_COLUMNS = ("path", "file", "文件", "路径")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Entry:
    """One document to process, with what the manifest says about it."""

    sha256: str
    path: Path  # the file read (absolute)
    display: str  # the path as shown in the dataset: relative to the input
    other_paths: tuple[str, ...] = ()
    region: str | None = None
    unit: str | None = None
    year: int | None = None
    prior: Path | None = None  # last year's report as the manifest names it
    missing: bool = False  # listed by the manifest but not there


@dataclass(frozen=True)
class Inputs:
    entries: tuple[Entry, ...]
    skipped: tuple[str, ...] = field(default=())  # files of a folder that are not reports
    root: Path | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _missing_id(display: str) -> str:
    # a file that is not there has no content to hash: the hash of its listed path stands in,
    # so a rerun gives it the same identity
    return hashlib.sha256(f"missing file: {display}".encode()).hexdigest()


def discover(source: Path) -> Inputs:
    """The documents of a folder or a manifest (see the module docstring)."""
    if not source.exists():
        raise InputError(source, "no such file or folder")
    if source.is_dir():
        return _folder(source)
    if source.suffix.lower() in MANIFEST_SUFFIXES:
        return _manifest(source)
    raise InputError(
        source,
        "expected a folder of reports or a manifest (.csv or .tsv with a path column)",
    )


def _folder(root: Path) -> Inputs:
    files: list[Path] = []
    skipped: list[str] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue  # hidden files and folders (.git, .DS_Store) and folders themselves
        if path.suffix.lower() in REPORT_SUFFIXES:
            files.append(path)
        else:
            skipped.append(rel.as_posix())
    entries = _dedupe(
        Entry(file_sha256(p), p.resolve(), p.relative_to(root).as_posix()) for p in files
    )
    return Inputs(entries, tuple(skipped), root.resolve())


def _dedupe(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """One entry per content: the first path listed reads it, the others are noted."""
    by_hash: dict[str, Entry] = {}
    for e in entries:
        first = by_hash.get(e.sha256)
        if first is None:
            by_hash[e.sha256] = e
        else:
            extra = (*first.other_paths, e.display)
            by_hash[e.sha256] = Entry(
                first.sha256,
                first.path,
                first.display,
                extra,
                first.region or e.region,
                first.unit or e.unit,
                first.year or e.year,
                first.prior or e.prior,
                first.missing,
            )
    return tuple(by_hash.values())


def _manifest(manifest: Path) -> Inputs:
    try:
        text = manifest.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(manifest, f"cannot read manifest: {exc}") from None
    delimiter = "\t" if manifest.suffix.lower() == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    path_column = next((c for c in _PATH_COLUMNS if c in header), None)
    if path_column is None:
        raise InputError(
            manifest, f"no path column (expected one of: {', '.join(_PATH_COLUMNS)})"
        )
    base = manifest.parent
    entries: list[Entry] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        listed = row.get(path_column, "")
        if not listed:
            continue  # a blank line
        year_text = row.get("year", "")
        try:
            year = int(year_text) if year_text else None
        except ValueError:
            raise InputError(
                manifest, f"line {number}: year: {year_text!r} is not a number"
            ) from None
        path = (base / listed).resolve()
        prior_text = row.get("prior", "")
        prior = (base / prior_text).resolve() if prior_text else None
        present = path.is_file()
        entries.append(
            Entry(
                file_sha256(path) if present else _missing_id(listed),
                path,
                listed,
                region=row.get("region") or None,
                unit=row.get("unit") or None,
                year=year,
                prior=prior,
                missing=not present,
            )
        )
    return Inputs(_dedupe(entries), (), base.resolve())
