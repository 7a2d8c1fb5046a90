"""``juesuan corpus audit ../shared/corpus -o out``: every document one row with its kind, the
two year pairs matched; skipped when the corpus is not beside the repository."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb
import pytest

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CORPUS / "INDEX.tsv").exists(), reason="corpus not present"),
]

# INDEX.tsv says 决算 / 预算 / 绩效; juesuan says which 决算, 预算 or 绩效 document it is
_KINDS = {"决算": {"部门决算", "单位决算"}, "预算": {"部门预算", "单位预算"}, "绩效": {"绩效评价"}}


def test_the_whole_corpus(tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "out"
    juesuan = str(Path(sys.executable).with_name("juesuan"))
    run = subprocess.run(
        [juesuan, "corpus", "audit", str(CORPUS), "-o", str(out), "--workers", "2"],
        capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stderr
    with (CORPUS / "INDEX.tsv").open(encoding="utf-8", newline="") as fh:
        index = {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    rows = con.execute("SELECT path, kind, status, error, prior_path FROM documents").fetchall()
    by_path = {r[0]: r for r in rows}
    assert len(by_path) == len(rows)  # one row per document
    # every indexed document is a row; what is not read is an error row with its reason
    assert set(index) <= set(by_path)
    for path, (_, kind, status, error, _) in by_path.items():
        if status == "error":
            assert error, path
        elif path in index:
            assert kind in _KINDS[index[path]["kind"][:2]], (path, kind)
    recognised = sum(1 for p in index if by_path[p][2] != "error")
    assert recognised >= len(index) - 3  # a scanned budget and a tables-only budget PDF
    pairs = {r[0].split("/")[-1][:3]: r[4] for r in rows if r[4]}
    assert pairs == {
        "017": "final-accounts/005_pingtan_renda_2015.txt",
        "012": "final-accounts/018_pingtan_shichangjianguanju_2016.txt",
    }
