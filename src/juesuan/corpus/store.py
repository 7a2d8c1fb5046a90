"""Where a corpus run keeps its results, and the dataset made from them.

``OUTDIR/results/ab/<sha256>.json`` is one document's result: its row of ``documents`` and what
it was asked to compare with; ``<sha256>.rows.json`` beside it holds its other rows (cells,
claims, findings …) and ``OUTDIR/pages/<sha256>.html`` its audit page. Each is written whole
(temporary file and rename), the rows first: a result file exists only when everything of
its document is on disk, so killing a run loses at most the documents in flight, and a rerun
skips every document that has one.

:func:`write_dataset` turns the results of a run's documents into the dataset: one Parquet
file per resource (written by DuckDB, money as DECIMAL), ``corpus.duckdb`` holding the same
tables and a few views, ``datapackage.json`` (Frictionless, a schema per resource) and the
exports a reviewer filters (``exports/*.csv`` in UTF-8 with a byte-order mark, so that Excel
reads the Chinese; ``exports/corpus.xlsx`` with filters on every sheet). Each file replaces
the old one only when it is complete.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juesuan.corpus.schema import (
    DOCUMENTS,
    RESOURCES,
    RESULT_VERSION,
    Resource,
    descriptor,
)
from juesuan.fileio import write_atomic

ROW_RESOURCES = tuple(r for r in RESOURCES if r is not DOCUMENTS)
XLSX_ROW_LIMIT = 1_048_575  # rows of an Excel sheet below its header


@dataclass(frozen=True)
class Stored:
    """A document's result as the run left it."""

    document: dict[str, Any]
    prior_asked: str | None  # the sha256 of the prior it was asked to compare with


class Store:
    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.results = outdir / "results"
        self.pages = outdir / "pages"

    def _base(self, sha: str) -> Path:
        return self.results / sha[:2] / sha

    def page_path(self, sha: str) -> Path:
        return self.pages / f"{sha}.html"

    def save(self, result: Mapping[str, Any], prior_asked: str | None) -> None:
        """One document's result, whole: rows and page first, the result file last."""
        sha = str(result["sha256"])
        base = self._base(sha)
        rows = {r.name: result.get(r.name, []) for r in ROW_RESOURCES}
        write_atomic(base.with_suffix(".rows.json"), json.dumps(rows, ensure_ascii=False))
        page = result.get("page")
        if page:
            write_atomic(self.page_path(sha), str(page)).chmod(0o644)  # published with the report
        head = {
            "version": RESULT_VERSION,
            "sha256": sha,
            "prior_asked": prior_asked,
            "document": result["document"],
        }
        write_atomic(base.with_suffix(".json"), json.dumps(head, ensure_ascii=False))

    def load(self) -> dict[str, Stored]:
        """Every complete result of the current layout (older layouts are done again)."""
        out: dict[str, Stored] = {}
        if not self.results.is_dir():
            return out
        for path in self.results.glob("*/*.json"):
            if path.name.endswith(".rows.json"):
                continue
            try:
                head = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # not ours, or damaged: the document is done again
            if head.get("version") != RESULT_VERSION:
                continue
            if not path.with_suffix(".rows.json").is_file():
                continue
            out[str(head["sha256"])] = Stored(head["document"], head.get("prior_asked"))
        return out

    def has_rows(self, sha: str) -> bool:
        return self._base(sha).with_suffix(".rows.json").is_file()

    def rows(self, sha: str) -> dict[str, list[list[Any]]]:
        data: dict[str, list[list[Any]]] = json.loads(
            self._base(sha).with_suffix(".rows.json").read_text(encoding="utf-8")
        )
        return data


# --- the dataset -----------------------------------------------------------------------------


def _columns_sql(resource: Resource) -> str:
    inner = ", ".join(f"'{c.name}': '{c.sql}'" for c in resource.columns)
    return "{" + inner + "}"


_NULL = "\\N"


def _nulls(row: list[Any]) -> list[Any]:
    return [_NULL if v is None else v for v in row]


def _replace(tmp: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)


def write_dataset(
    store: Store,
    documents: Iterable[dict[str, Any]],
    *,
    name: str = "juesuan-corpus",
    title: str = "部门决算公开审核数据集",
) -> dict[str, Path]:
    """The dataset of ``documents`` (their rows read from ``store``); returns what was written."""
    import duckdb

    out = store.outdir
    docs = sorted(documents, key=lambda d: (d.get("path") or "", d["sha256"]))
    with tempfile.TemporaryDirectory(prefix=".dataset.", dir=out) as scratch:
        tmp = Path(scratch)
        # the rows go to DuckDB as CSV (the csv module writes in C; a JSON object per row was
        # most of the time of a run's end), NULL spelled out so that it is not an empty string
        handles = {r.name: (tmp / f"{r.name}.csv").open("w", encoding="utf-8", newline="")
                   for r in RESOURCES}
        try:
            writers = {name: csv.writer(fh) for name, fh in handles.items()}
            for doc in docs:
                writers[DOCUMENTS.name].writerow(_nulls([doc.get(c) for c in DOCUMENTS.names]))
                if not store.has_rows(doc["sha256"]):
                    continue  # an error row has nothing else
                for resource_name, rows in store.rows(doc["sha256"]).items():
                    writers[resource_name].writerows(_nulls(row) for row in rows)
        finally:
            for fh in handles.values():
                fh.close()
        con = duckdb.connect(str(tmp / "corpus.duckdb"))
        try:
            for r in RESOURCES:
                source = (tmp / f"{r.name}.csv").as_posix()
                con.execute(
                    f"CREATE TABLE {r.name} AS SELECT * FROM read_csv(?, header=false, "
                    f"columns={_columns_sql(r)}, nullstr='{_NULL}', quote='\"', escape='\"', "
                    "delim=',', auto_detect=false)",
                    [source],
                )
                con.execute(
                    f"COPY {r.name} TO '{(tmp / f'{r.name}.parquet').as_posix()}' "
                    "(FORMAT parquet, COMPRESSION zstd)"
                )
            for view_sql in _VIEWS:
                con.execute(view_sql)
            _export_csv(con, tmp / "exports")
            _export_xlsx(con, tmp / "exports" / "corpus.xlsx")
        finally:
            con.close()
        (tmp / "datapackage.json").write_text(
            json.dumps(descriptor(name, title), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
        written: dict[str, Path] = {}
        for r in RESOURCES:
            _replace(tmp / f"{r.name}.parquet", out / f"{r.name}.parquet")
            written[r.name] = out / f"{r.name}.parquet"
        for extra in ("corpus.duckdb", "datapackage.json"):
            _replace(tmp / extra, out / extra)
            written[extra] = out / extra
        for path in sorted((tmp / "exports").iterdir()):
            _replace(path, out / "exports" / path.name)
            written[f"exports/{path.name}"] = out / "exports" / path.name
    return written


# Views a reviewer reads: every row beside its document's unit, region, year and file.
_WHO = "d.region, d.unit, d.year, d.kind, d.path"
_VIEWS = (
    "CREATE VIEW errors AS SELECT path, error_kind, error, kind, unit, year FROM documents "
    "WHERE status = 'error' ORDER BY path",
    f"CREATE VIEW findings_by_document AS SELECT {_WHO}, f.* EXCLUDE (sha256), f.sha256 "
    "FROM findings f JOIN documents d USING (sha256)",
    f"CREATE VIEW claims_by_document AS SELECT {_WHO}, c.* EXCLUDE (sha256), c.sha256 "
    "FROM claims c JOIN documents d USING (sha256)",
    f"CREATE VIEW completeness_by_document AS SELECT {_WHO}, c.* EXCLUDE (sha256), c.sha256 "
    "FROM completeness c JOIN documents d USING (sha256)",
)

# (file or sheet name, query): what the exports hold, in sheet order
_EXPORTS = (
    ("documents", "SELECT * FROM documents ORDER BY region NULLS LAST, unit, year, path"),
    (
        "findings",
        "SELECT * FROM findings_by_document ORDER BY region NULLS LAST, unit, year, path, "
        "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 WHEN 'notice' THEN 2 ELSE 3 "
        "END, rule_id",
    ),
    ("claims", "SELECT * FROM claims_by_document ORDER BY region NULLS LAST, unit, year, path"),
    (
        "completeness",
        "SELECT * FROM completeness_by_document ORDER BY region NULLS LAST, unit, year, path",
    ),
    ("errors", "SELECT * FROM errors"),
    (
        "cells",
        f"SELECT {_WHO}, c.* EXCLUDE (sha256), c.sha256 FROM cells c JOIN documents d "
        "USING (sha256) ORDER BY d.path, c.table_id",
    ),
)
# every cell of every table is for the Parquet and CSV files: a sheet of them would be slow to
# write and too long to filter
_XLSX_SHEETS = ("documents", "findings", "completeness", "errors", "claims")


def _export_csv(con: Any, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, query in _EXPORTS:
        raw = folder / f".{name}.csv"
        con.execute(f"COPY ({query}) TO '{raw.as_posix()}' (HEADER, DELIMITER ',')")
        with (folder / f"{name}.csv").open("wb") as out, raw.open("rb") as src:
            out.write(b"\xef\xbb\xbf")  # Excel reads UTF-8 only after a byte-order mark
            shutil.copyfileobj(src, out)
        raw.unlink()


def _export_xlsx(con: Any, path: Path) -> None:
    """One sheet per export (a sheet too long for Excel is left to its CSV, and the 说明 sheet
    says so), a filter on every column, the header frozen, and a sheet naming every column."""
    import xlsxwriter

    queries = dict(_EXPORTS)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
        left_out: list[str] = []
        for name in _XLSX_SHEETS:
            count = con.execute(f"SELECT count(*) FROM ({queries[name]})").fetchone()[0]
            if count > XLSX_ROW_LIMIT:
                left_out.append(name)
                continue
            result = con.execute(queries[name])
            names = [d[0] for d in result.description]
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, names, header)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(count, 1), len(names) - 1)
            r = 1
            while batch := result.fetchmany(5000):
                for row in batch:
                    sheet.write_row(r, 0, [_xlsx_value(v) for v in row])
                    r += 1
        notes = book.add_worksheet("说明")
        notes.write_row(0, 0, ["表", "列", "说明"], header)
        r = 1
        for resource in RESOURCES:
            for column in resource.columns:
                notes.write_row(r, 0, [resource.name, column.name, column.description])
                r += 1
        notes.write_row(r, 0, ["cells", "", "表格单元格见 exports/cells.csv 与 cells.parquet"])
        r += 1
        for name in left_out:
            notes.write_row(r, 0, [name, "", f"行数超过 Excel 上限，请用 exports/{name}.csv"])
            r += 1
    finally:
        book.close()


def _xlsx_value(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        # money is exact in the Parquet and CSV files; a sheet holds numbers a reviewer sums
        return float(value)
    return value
