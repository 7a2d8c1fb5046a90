"""An upload is known by its content, never by its name, and refused in one line when no reader
reads it or it would unpack beyond the limits (a zip bomb)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from juesuan.web.settings import MIB, ServeSettings
from juesuan.web.store import Store, display_name
from juesuan.web.uploads import UploadRefused, check_upload, sniff

from .conftest import EXAMPLE

SETTINGS = ServeSettings()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "kind", "suffix"),
    [
        (b"%PDF-1.7\n...", "report.txt", "pdf", ".pdf"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "report.pdf", "html", ".html"),
        ("公开01表 收入支出决算总表\n".encode(), "report.xlsx", "text", ".txt"),
        (b'{"schema": 1}', "r", "json", ".json"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls", "xlsx", ".xls"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.doc", "docx", ".doc"),
        ("公开01表".encode("utf-16"), "utf16.txt", "text", ".txt"),
    ],
)
def test_kind_comes_from_the_content(data: bytes, name: str, kind: str, suffix: str) -> None:
    found = sniff(data, name)
    assert (found.kind, found.suffix) == (kind, suffix)


def test_office_files_are_told_apart_by_their_members() -> None:
    xlsx = _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<workbook/>"})
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<document/>"})
    assert sniff(xlsx, "a.docx").kind == "xlsx"
    assert sniff(docx, "a.xlsx").kind == "docx"
    with pytest.raises(UploadRefused, match="不是 Excel"):
        sniff(_zip({"readme.txt": b"hello"}), "a.xlsx")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "JPEG"),
        (b"\x7fELF" + b"\x00" * 40, "可执行文件"),
        (b"abc\x00\x01\x02" * 20, "二进制内容"),
        (b"   \n\t", "文件为空"),
    ],
)
def test_content_no_reader_reads_is_refused(data: bytes, said: str) -> None:
    with pytest.raises(UploadRefused, match=said):
        sniff(data, "report.pdf")


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * (30 * MIB)})
    assert len(bomb) < MIB // 4
    with pytest.raises(UploadRefused, match="压缩比") as refused:
        check_upload(bomb, "表.xlsx", SETTINGS)
    assert refused.value.status == 413
    small_limit = ServeSettings(max_unzipped_bytes=MIB, max_zip_ratio=10_000)
    with pytest.raises(UploadRefused, match="解压后共 30 MB"):
        check_upload(bomb, "表.xlsx", small_limit)


def test_an_oversized_file_is_refused_with_its_size() -> None:
    with pytest.raises(UploadRefused, match="超过上限 1 MB") as refused:
        check_upload(b"x" * (MIB + 10), "big.txt", ServeSettings(max_upload_bytes=MIB))
    assert refused.value.status == 413


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("/abs/path/报告.pdf", "报告.pdf"),
        ("a\x00b\r\n.pdf", "ab.pdf"),
        ("", "未命名"),
        ("..", ".."),
    ],
)
def test_an_uploads_name_is_display_text(given: str, shown: str) -> None:
    assert display_name(given) == shown


def test_uploads_are_stored_by_content_hash_whatever_their_name(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    data = EXAMPLE.read_bytes()
    first = store.put_blob(data, "text", ".txt", "../../../../tmp/evil.txt")
    again = store.put_blob(data, "text", ".txt", "another name.txt")
    assert first.hash == again.hash
    path = store.blob_path(first)
    assert path.is_relative_to(tmp_path / "data" / "blobs")
    assert path.name == f"{first.hash}.txt"
    assert first.name == "evil.txt"
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(tmp_path / "data") for p in files)
    assert not any("evil" in p.name for p in files)
