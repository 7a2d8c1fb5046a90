"""Small corpora for the corpus tests, made in a temporary folder from the package's own
example and the synthetic generator: every kind of document a run meets."""

from __future__ import annotations

import shutil
from dataclasses import replace
from importlib import resources
from pathlib import Path

from juesuan.model.serialize import dumps
from tests.synth import generate_large, generate_report

PAIR_UNIT = "示例市民政局"


def example_text() -> Path:
    return Path(str(resources.files("juesuan.examples") / "jiaozuo-2021.txt"))


def make_corpus(folder: Path, *, large: int = 0) -> dict[str, Path]:
    """A 决算 with its narrative, the same file under a second name, a same-unit pair of two
    consecutive years, a 部门预算, a damaged PDF, an empty file and a file that is no report;
    plus ``large`` big synthetic reports (about 0.5 s each to audit) for runs to interrupt."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    files["final"] = folder / "jiaozuo-2021.txt"
    shutil.copy(example_text(), files["final"])
    (folder / "copies").mkdir()
    files["copy"] = folder / "copies" / "same-content.txt"
    shutil.copy(example_text(), files["copy"])
    for year in (2021, 2022):
        report = replace(generate_report(7 + year, year=year), unit_name=PAIR_UNIT)
        files[f"pair{year}"] = folder / f"minzheng-{year}.json"
        files[f"pair{year}"].write_text(dumps(report), encoding="utf-8")
    files["budget"] = folder / "budget-2024.txt"
    files["budget"].write_text(
        "示例市教育局2024年部门预算\n\n第一部分 部门概况\n一、主要职能\n负责全市教育工作。\n",
        encoding="utf-8",
    )
    files["damaged"] = folder / "damaged.pdf"
    files["damaged"].write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    files["empty"] = folder / "empty.txt"
    files["empty"].write_bytes(b"")
    files["notes"] = folder / "notes.md"
    files["notes"].write_text("# not a report\n", encoding="utf-8")
    for i in range(large):
        report = replace(generate_large(700, seed=i), unit_name=f"示例大型单位{i}")
        files[f"large{i}"] = folder / f"large-{i:02d}.json"
        files[f"large{i}"].write_text(dumps(report), encoding="utf-8")
    return files


# documents (not files) of make_corpus without the large ones: the copy is the same document,
# the .md file is no report
DOCUMENTS = 6
