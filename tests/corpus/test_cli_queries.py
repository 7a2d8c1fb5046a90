"""The command line's one-line errors, a manifest run, and the dataset's questions in SQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from juesuan.cli import app
from juesuan.corpus.report import answer, queries
from juesuan.corpus.run import Settings, audit_corpus
from tests.corpus.helpers import make_corpus


def test_unusable_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["corpus", "audit", str(tmp_path / "none"), "-o", "x"])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(app, ["corpus", "report", str(tmp_path)])
    assert result.exit_code == 2 and "run `juesuan corpus audit` first" in result.output


@pytest.fixture(scope="module")
def manifest_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("manifest")
    make_corpus(base / "in")
    manifest = base / "in" / "list.tsv"
    manifest.write_text(
        "path\tregion\tunit\tyear\tprior\n"
        "minzheng-2022.json\t示例省示例市\t\t\tminzheng-2021.json\n"
        "minzheng-2021.json\t示例省示例市\t\t\t\n"
        "jiaozuo-2021.txt\t河南省焦作市\t\t\t\n"
        "gone.pdf\t\t\t\t\n",
        encoding="utf-8",
    )
    audit_corpus(manifest, base / "out", Settings(workers=2))
    return base / "out"


def _by_path(out: Path) -> dict[str, dict[str, Any]]:
    con = duckdb.connect(str(out / "corpus.duckdb"), read_only=True)
    try:
        result = con.execute("SELECT * FROM documents")
        names = [d[0] for d in result.description]
        return {r[names.index("path")]: dict(zip(names, r, strict=True)) for r in result.fetchall()}
    finally:
        con.close()


def test_a_manifest_names_regions_and_priors(manifest_run: Path) -> None:
    docs = _by_path(manifest_run)
    assert set(docs) == {"minzheng-2022.json", "minzheng-2021.json", "jiaozuo-2021.txt",
                         "gone.pdf"}
    later = docs["minzheng-2022.json"]
    assert (later["prior_method"], later["prior_confidence"]) == ("manifest", 1.0)
    assert later["prior_sha256"] == docs["minzheng-2021.json"]["sha256"]
    assert (later["region"], later["region_source"]) == ("示例省示例市", "manifest")
    assert docs["gone.pdf"]["status"] == "error" and "no such file" in docs["gone.pdf"]["error"]


def test_the_questions_of_queries_sql(manifest_run: Path) -> None:
    con = duckdb.connect(str(manifest_run / "corpus.duckdb"), read_only=True)
    try:
        answers = {q.name: answer(con, q) for q in queries()}
    finally:
        con.close()
    assert set(answers) == {"errors_by_rule", "carry_over_breaks", "sangong_by_year",
                            "basic_by_year"}
    by_rule = answers["errors_by_rule"]
    assert by_rule.rows and all(r[by_rule.columns.index("errors")] > 0 for r in by_rule.rows)
    # the synthetic pair's 2022 年初 is not its 2021 年末 (two independent years)
    breaks = answers["carry_over_breaks"]
    assert [r[breaks.columns.index("path")] for r in breaks.rows] == ["minzheng-2022.json"]
    row = dict(zip(breaks.columns, breaks.rows[0], strict=True))
    assert row["source"] == row["prior_source"] == "公开01表"
    years = [r[0] for r in answers["sangong_by_year"].rows]
    assert years == [2021, 2022]
