"""Real published reports against their cell-exact transcriptions (``../shared/corpus``,
``final-accounts/truth/``); skipped when the corpus is not beside the repository.

Two levels: every cell of the report juesuan reads (``bench/corpus_key.compare_truth``, the
instrument of ``bench/corpus.py``), and, below the shared assembler, every transcribed row
found as one row of a ruled grid with its label or code and all its printed values (what the
PDF page reader is responsible for).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from bench.corpus_key import compare_truth, truth_files

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "final-accounts" / "truth").is_dir(), reason="corpus not beside the repository"
)

DOCS = ["001", "002", "003", "101"]


@cache
def _truth(doc: str) -> Path:
    found = [t for t in truth_files() if t.stem == doc]
    if not found:
        pytest.skip(f"no truth for {doc}")
    return found[0]


@cache
def _report(doc: str) -> Any:
    from bench.corpus_key import truth_document

    from juesuan.readers import read

    return read(truth_document(_truth(doc)))


@pytest.mark.parametrize("doc", DOCS)
def test_every_cell_exact(doc: str) -> None:
    result = compare_truth(_truth(doc), _report(doc))
    wrong = [
        f"{c.table}:{c.row}:{c.column} {c.expected}→{c.found}" for c in result.cells if not c.exact
    ]
    assert result.total > 100
    assert wrong == [], f"{len(wrong)}/{result.total} wrong: {wrong[:12]}"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace(",", "")


@pytest.mark.parametrize("doc", ["001", "002", "003", "101"])
def test_every_row_and_column_is_in_the_grids(doc: str) -> None:
    """Below the assembler: each transcribed row is one row of a ruled grid on the table's
    pages, holding its label (or code) and every printed value as a cell of its own, and each
    column's header words are one cell on the table's first page (no cells merged across a
    border drawn in pieces, no table split into header and body)."""
    import pypdfium2 as pdfium
    from bench.corpus_key import truth_document

    from juesuan.readers.pdf_page import page_layout

    truth = _truth(doc)
    data = json.loads(truth.read_text(encoding="utf-8"))
    pdf = truth_document(truth)
    document = pdfium.PdfDocument(str(pdf))
    grids: dict[int, list[list[str]]] = {}
    missing = []
    try:
        for table in data["tables"]:
            rows: list[list[str]] = []
            for number in table["pages"]:
                if number not in grids:
                    page = document[number - 1]
                    found = page_layout(page, str(pdf), number)
                    page.close()
                    grids[number] = [
                        [_norm(c.text) for c in r] for _, g in found.tables for r in g.rows
                    ]
                rows += grids[number]
                if number == table["pages"][0]:
                    cells = {c for r in grids[number] for c in r}
                    for column in table["columns"]:
                        leaf = _norm(column.split(":")[-1].split("/")[-1])
                        if leaf not in cells:
                            missing.append((table["no"], "header", column))
            for row in table["rows"]:
                label = _norm(row["label"]) if row.get("label") else None
                code = row.get("code")
                values = Counter(row["values"].values())
                if not any(
                    (label is None or label in "".join(r))
                    and (code is None or code in "".join(r))
                    and not values - Counter(r)
                    for r in rows
                ):
                    missing.append((table["no"], code, label, dict(values)))
    finally:
        document.close()
    assert missing == []
