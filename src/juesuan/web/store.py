"""What the workbench keeps under ``--data``: uploads by content hash, and a small SQLite
database of documents, reviews, explanations (the 出错说明 reasons), batches and compile
projects. A restart keeps everything: audit results themselves are recomputed from the stored
upload when first needed (they follow the code that made them; a cached copy would not).

SQLite rather than DuckDB: the workbench's writes are small single-row updates from several
threads (a review finishing, a reason typed), which SQLite's WAL mode serves directly; the
dataset a batch produces for analysis is the corpus runner's (issue 12, Parquet and DuckDB).

File names under ``--data`` are made here only, from hex digests and fixed words: no name a
user gave (an upload's file name, a form field) ever reaches the file system; an upload's name
is kept as display text in the database.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juesuan.fileio import write_atomic

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
    hash TEXT PRIMARY KEY, kind TEXT NOT NULL, suffix TEXT NOT NULL, size INTEGER NOT NULL,
    name TEXT NOT NULL, pages TEXT, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS reviews (
    id TEXT PRIMARY KEY, report TEXT NOT NULL, prior TEXT, prior_any INTEGER NOT NULL,
    status TEXT NOT NULL, error TEXT, summary TEXT, seconds REAL,
    created REAL NOT NULL, finished REAL);
CREATE TABLE IF NOT EXISTS reasons (
    report TEXT NOT NULL, key TEXT NOT NULL, reason TEXT NOT NULL, updated REAL NOT NULL,
    PRIMARY KEY (report, key));
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, created REAL NOT NULL, refused TEXT);
CREATE TABLE IF NOT EXISTS batch_items (
    batch TEXT NOT NULL, position INTEGER NOT NULL, review TEXT NOT NULL,
    PRIMARY KEY (batch, position));
CREATE TABLE IF NOT EXISTS compiles (
    id TEXT PRIMARY KEY, tables TEXT NOT NULL, source TEXT NOT NULL, label TEXT NOT NULL,
    build_status TEXT, build_error TEXT, build_files TEXT, force INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL, updated REAL NOT NULL);
"""

HEX = re.compile(r"[0-9a-f]{8,64}")


def valid_id(text: str) -> bool:
    """Ids in URLs are hex digests or tokens made here: anything else is not one of ours."""
    return HEX.fullmatch(text) is not None


def display_name(name: str | None, limit: int = 120) -> str:
    """An upload's name as text to show: its last path component (``../../x.pdf`` and
    ``C:\\x\\y.pdf`` give ``x.pdf`` and ``y.pdf``), control characters removed, bounded."""
    base = re.split(r"[\\/]", name or "")[-1]
    clean = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return clean[:limit] or "未命名"


@dataclass(frozen=True)
class Blob:
    hash: str
    kind: str  # the reader module that reads it: pdf, xlsx, docx, html, text, json
    suffix: str  # ".pdf" …, chosen from ``kind`` (and the OLE2 variant), never from the name
    size: int
    name: str  # display only
    pages: tuple[tuple[float, float], ...] | None  # PDF page sizes in points, as shown

    @property
    def is_pdf(self) -> bool:
        return self.kind == "pdf"


@dataclass(frozen=True)
class ReviewRow:
    id: str
    report: str
    prior: str | None
    prior_any: bool
    status: str  # queued | running | done | failed
    error: str | None
    summary: dict[str, Any] | None
    seconds: float | None
    created: float


@dataclass(frozen=True)
class CompileRow:
    id: str
    tables: str  # a blob hash, or "example"
    source: str  # the TOML text (without the tables file, which the server sets)
    label: str
    build_status: str | None  # running | done | failed
    build_error: str | None
    build_files: dict[str, str]
    force: bool


def review_id(report: str, prior: str | None, prior_any: bool) -> str:
    """The same report with the same prior is the same review (uploading it again finds it)."""
    text = f"{report}:{prior or ''}:{int(prior_any)}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class Store:
    """The database and the files under one ``--data`` folder (thread-safe)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        for sub in ("blobs", "pages", "compiles", "exports"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.root / "juesuan-web.sqlite3", check_same_thread=False, isolation_level=None
        )
        self._db.row_factory = sqlite3.Row
        with self._tx() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    # --- uploads, by content hash ----------------------------------------------------------

    def blob_path(self, blob: Blob) -> Path:
        return self.root / "blobs" / blob.hash[:2] / f"{blob.hash}{blob.suffix}"

    def put_blob(self, data: bytes, kind: str, suffix: str, name: str) -> Blob:
        digest = hashlib.sha256(data).hexdigest()
        existing = self.blob(digest)
        if existing is not None and self.blob_path(existing).exists():
            return existing
        blob = Blob(digest, kind, suffix, len(data), display_name(name), None)
        write_atomic(self.blob_path(blob), data)
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO blobs VALUES (?, ?, ?, ?, ?, NULL, ?)",
                (digest, kind, suffix, len(data), blob.name, time.time()),
            )
        return blob

    def set_pages(self, digest: str, pages: list[tuple[float, float]]) -> None:
        with self._tx() as db:
            db.execute("UPDATE blobs SET pages = ? WHERE hash = ?", (json.dumps(pages), digest))

    def blob(self, digest: str) -> Blob | None:
        with self._tx() as db:
            row = db.execute("SELECT * FROM blobs WHERE hash = ?", (digest,)).fetchone()
        if row is None:
            return None
        pages = json.loads(row["pages"]) if row["pages"] else None
        return Blob(
            row["hash"],
            row["kind"],
            row["suffix"],
            row["size"],
            row["name"],
            tuple((float(w), float(h)) for w, h in pages) if pages is not None else None,
        )

    def page_image(self, digest: str, page: int) -> Path:
        return self.root / "pages" / digest[:2] / digest / f"{page}.png"

    # --- reviews -------------------------------------------------------------------------------

    def ensure_review(self, report: str, prior: str | None, prior_any: bool) -> ReviewRow:
        rid = review_id(report, prior, prior_any)
        with self._tx() as db:
            db.execute(
                "INSERT OR IGNORE INTO reviews (id, report, prior, prior_any, status, created)"
                " VALUES (?, ?, ?, ?, 'queued', ?)",
                (rid, report, prior, int(prior_any), time.time()),
            )
        row = self.review(rid)
        assert row is not None
        return row

    def review(self, rid: str) -> ReviewRow | None:
        with self._tx() as db:
            row = db.execute("SELECT * FROM reviews WHERE id = ?", (rid,)).fetchone()
        return _review(row) if row is not None else None

    def reviews(self, ids: list[str] | None = None, limit: int = 1000) -> list[ReviewRow]:
        with self._tx() as db:
            if ids is None:
                rows = db.execute(
                    "SELECT * FROM reviews ORDER BY created DESC LIMIT ?", (limit,)
                ).fetchall()
            else:
                marks = ",".join("?" * len(ids))
                found = db.execute(f"SELECT * FROM reviews WHERE id IN ({marks})", ids)
                by_id = {r["id"]: r for r in found.fetchall()}
                rows = [by_id[i] for i in ids if i in by_id]
        return [_review(r) for r in rows]

    def unfinished(self) -> list[ReviewRow]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT * FROM reviews WHERE status IN ('queued', 'running') ORDER BY created"
            ).fetchall()
        return [_review(r) for r in rows]

    def set_status(
        self,
        rid: str,
        status: str,
        *,
        error: str | None = None,
        summary: dict[str, Any] | None = None,
        seconds: float | None = None,
    ) -> None:
        with self._tx() as db:
            if status in ("done", "failed"):
                db.execute(
                    "UPDATE reviews SET status = ?, error = ?, summary = ?, seconds = ?,"
                    " finished = ? WHERE id = ?",
                    (
                        status,
                        error,
                        json.dumps(summary, ensure_ascii=False) if summary is not None else None,
                        seconds,
                        time.time(),
                        rid,
                    ),
                )
            else:
                db.execute("UPDATE reviews SET status = ? WHERE id = ?", (status, rid))

    def set_summary(self, rid: str, summary: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE reviews SET summary = ? WHERE id = ?",
                (json.dumps(summary, ensure_ascii=False), rid),
            )

    # --- explanations (出错说明), by document ---------------------------------------------------

    def reasons(self, report: str) -> dict[str, str]:
        with self._tx() as db:
            rows = db.execute("SELECT key, reason FROM reasons WHERE report = ?", (report,))
            return {r["key"]: r["reason"] for r in rows.fetchall()}

    def set_reason(self, report: str, key: str, reason: str) -> None:
        with self._tx() as db:
            if reason:
                db.execute(
                    "INSERT OR REPLACE INTO reasons VALUES (?, ?, ?, ?)",
                    (report, key, reason, time.time()),
                )
            else:
                db.execute("DELETE FROM reasons WHERE report = ? AND key = ?", (report, key))

    # --- batches -------------------------------------------------------------------------------

    def new_batch(self, label: str, reviews: list[str]) -> str:
        bid = secrets.token_hex(8)
        with self._tx() as db:
            db.execute("BEGIN")
            db.execute("INSERT INTO batches VALUES (?, ?, ?, NULL)", (bid, label, time.time()))
            db.executemany(
                "INSERT INTO batch_items VALUES (?, ?, ?)",
                [(bid, i, r) for i, r in enumerate(reviews)],
            )
            db.execute("COMMIT")
        return bid

    def set_batch_refused(self, bid: str, refused: list[str]) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE batches SET refused = ? WHERE id = ?",
                (json.dumps(refused, ensure_ascii=False), bid),
            )

    def batch_refused(self, bid: str) -> list[str]:
        with self._tx() as db:
            row = db.execute("SELECT refused FROM batches WHERE id = ?", (bid,)).fetchone()
        return json.loads(row["refused"]) if row is not None and row["refused"] else []

    def batch(self, bid: str) -> tuple[str, list[str]] | None:
        with self._tx() as db:
            row = db.execute("SELECT label FROM batches WHERE id = ?", (bid,)).fetchone()
            if row is None:
                return None
            items = db.execute(
                "SELECT review FROM batch_items WHERE batch = ? ORDER BY position", (bid,)
            ).fetchall()
        return row["label"], [r["review"] for r in items]

    def batches(self) -> list[tuple[str, str, float, int]]:
        with self._tx() as db:
            rows = db.execute(
                "SELECT b.id, b.label, b.created, COUNT(i.review) AS n FROM batches b"
                " LEFT JOIN batch_items i ON i.batch = b.id GROUP BY b.id ORDER BY b.created DESC"
            ).fetchall()
        return [(r["id"], r["label"], r["created"], r["n"]) for r in rows]

    # --- compile projects ----------------------------------------------------------------------

    def compile_dir(self, cid: str) -> Path:
        return self.root / "compiles" / cid

    def new_compile(self, tables: str, source: str, label: str) -> str:
        cid = secrets.token_hex(8)
        now = time.time()
        with self._tx() as db:
            db.execute(
                "INSERT INTO compiles (id, tables, source, label, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (cid, tables, source, label, now, now),
            )
        return cid

    def compile(self, cid: str) -> CompileRow | None:
        with self._tx() as db:
            row = db.execute("SELECT * FROM compiles WHERE id = ?", (cid,)).fetchone()
        if row is None:
            return None
        return CompileRow(
            row["id"],
            row["tables"],
            row["source"],
            row["label"],
            row["build_status"],
            row["build_error"],
            json.loads(row["build_files"]) if row["build_files"] else {},
            bool(row["force"]),
        )

    def compiles(self) -> list[CompileRow]:
        with self._tx() as db:
            ids = [r["id"] for r in db.execute("SELECT id FROM compiles ORDER BY updated DESC")]
        return [c for c in (self.compile(i) for i in ids) if c is not None]

    def set_compile_source(self, cid: str, source: str, label: str) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE compiles SET source = ?, label = ?, updated = ? WHERE id = ?",
                (source, label, time.time(), cid),
            )

    def interrupted_builds(self) -> None:
        """Builds that were running when the server stopped did not finish: say so."""
        with self._tx() as db:
            db.execute(
                "UPDATE compiles SET build_status = 'failed',"
                " build_error = '服务重启，生成中断：请重新生成' WHERE build_status = 'running'"
            )

    def set_build(
        self,
        cid: str,
        status: str,
        *,
        error: str | None = None,
        files: dict[str, str] | None = None,
        force: bool = False,
    ) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE compiles SET build_status = ?, build_error = ?, build_files = ?,"
                " force = ?, updated = ? WHERE id = ?",
                (
                    status,
                    error,
                    json.dumps(files or {}, ensure_ascii=False),
                    int(force),
                    time.time(),
                    cid,
                ),
            )


def _review(row: sqlite3.Row) -> ReviewRow:
    return ReviewRow(
        row["id"],
        row["report"],
        row["prior"],
        bool(row["prior_any"]),
        row["status"],
        row["error"],
        json.loads(row["summary"]) if row["summary"] else None,
        row["seconds"],
        row["created"],
    )
