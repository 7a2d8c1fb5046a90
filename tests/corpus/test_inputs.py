from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.corpus.inputs import discover
from juesuan.errors import InputError
from tests.corpus.helpers import DOCUMENTS, make_corpus


def test_folder_lists_every_report_once_by_content(tmp_path: Path) -> None:
    files = make_corpus(tmp_path / "in")
    (tmp_path / "in" / ".hidden").mkdir()
    (tmp_path / "in" / ".hidden" / "x.txt").write_text("x")
    found = discover(tmp_path / "in")
    assert len(found.entries) == DOCUMENTS
    by_name = {e.display: e for e in found.entries}
    # the copy is the same document: listed under the first path, its other path kept
    assert by_name["copies/same-content.txt"].other_paths == ("jiaozuo-2021.txt",)
    assert "jiaozuo-2021.txt" not in by_name
    assert found.skipped == ("notes.md",)
    assert all(e.path.is_absolute() for e in found.entries)
    assert files["final"].exists()


def test_manifest_gives_region_unit_year_prior_and_keeps_missing_files(tmp_path: Path) -> None:
    make_corpus(tmp_path / "in")
    manifest = tmp_path / "in" / "list.csv"
    manifest.write_text(
        "path,region,unit,year,prior\n"
        "minzheng-2022.json,示例市,示例市民政局,2022,minzheng-2021.json\n"
        "minzheng-2021.json,示例市,,,\n"
        "gone.pdf,,,,\n",
        encoding="utf-8-sig",
    )
    found = discover(manifest)
    rows = {e.display: e for e in found.entries}
    assert rows["minzheng-2022.json"].region == "示例市"
    assert rows["minzheng-2022.json"].year == 2022
    assert rows["minzheng-2022.json"].prior == (tmp_path / "in" / "minzheng-2021.json").resolve()
    assert rows["minzheng-2021.json"].unit is None
    assert rows["gone.pdf"].missing
    # a missing file has a stable identity (the hash of its listed path)
    assert discover(manifest).entries[2].sha256 == rows["gone.pdf"].sha256


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,year\na.pdf,2020\n", "no path column"),
        ("path,year\na.pdf,二〇二〇\n", "line 2: year"),
    ],
)
def test_unusable_manifest_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    manifest = tmp_path / "m.tsv" if "\t" in text else tmp_path / "m.csv"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        discover(manifest)


def test_not_a_folder_nor_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        discover(tmp_path / "nothing")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="expected a folder"):
        discover(tmp_path / "a.pdf")
