"""An upload, checked before it is stored: its size, what it is (from its content, the way
:func:`juesuan.readers.choose` reads any file), and for a ZIP (XLSX, DOCX) what it would
unpack to. The page count of a PDF is checked by the inspection that follows in a worker
(:func:`juesuan.web.tasks.inspect`), so that pdfium never runs in the server process.

Every refusal is one line in Chinese naming the file and what is wrong (the message the page
shows, HTTP 413 or 422).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from juesuan.web.settings import MIB, ServeSettings


class UploadRefused(Exception):
    """An upload that is not stored: ``status`` is the HTTP status to answer with."""

    def __init__(self, name: str, reason: str, status: int = 422) -> None:
        self.name, self.reason, self.status = name, reason, status
        super().__init__(f"{name}：{reason}")


@dataclass(frozen=True)
class Sniffed:
    kind: str  # the reader module (pdf, xlsx, docx, html, text, json)
    suffix: str  # the suffix the stored file gets, so the reader takes the same path


# The reader's (module, function) → the stored file's suffix.
_SUFFIX = {
    ("pdf", "read_pdf"): ".pdf",
    ("xlsx", "read_xlsx"): ".xlsx",
    ("xlsx", "read_xls"): ".xls",
    ("docx", "read_docx"): ".docx",
    ("docx", "read_doc"): ".doc",
    ("html", "read_html"): ".html",
    ("json", "read_json"): ".json",
    ("text", "read_text"): ".txt",
}

# Content that no reader reads, recognised by its first bytes, with what to say.
_NOT_REPORTS = (
    (b"\x89PNG", "图片文件（PNG）"),
    (b"\xff\xd8\xff", "图片文件（JPEG）"),
    (b"GIF8", "图片文件（GIF）"),
    (b"II*\x00", "图片文件（TIFF）"),
    (b"MM\x00*", "图片文件（TIFF）"),
    (b"BM", "图片文件（BMP）"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"\x7fELF", "可执行文件"),
    (b"MZ", "可执行文件"),
)


def sniff(data: bytes, name: str) -> Sniffed:
    """What ``data`` is, from its content. The upload's name only tells a legacy .xls from a
    .doc (both OLE2 containers): its suffix is compared with those two, never used as a path.
    Raises :class:`UploadRefused` for content no reader reads."""
    from juesuan.readers import choose

    if not data.strip():
        raise UploadRefused(name, "文件为空")
    for magic, what in _NOT_REPORTS:
        if data.startswith(magic):
            hint = "；扫描件请以 PDF 上传" if what.startswith("图片") else ""
            raise UploadRefused(name, f"这是{what}，不是可读取的报告格式{hint}")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise UploadRefused(name, "这是图片文件（WebP），不是可读取的报告格式；扫描件请以 PDF 上传")
    ole_suffix = Path(name.lower()).suffix if name.lower().endswith((".xls", ".doc")) else ""
    if data.startswith(b"PK\x03\x04"):
        return Sniffed(*_zip_kind(data, name))
    module, function = choose(data, Path(f"upload{ole_suffix}"))
    if (
        module == "text"
        and b"\x00" in data[:8192]
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        raise UploadRefused(
            name, "二进制内容，不是可读取的报告格式（PDF、Word、Excel、网页或文本）"
        )
    return Sniffed(module, _SUFFIX[(module, function)])


def _zip_kind(data: bytes, name: str) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise UploadRefused(name, "ZIP 文件已损坏或不完整") from None
    if "xl/workbook.xml" in names:
        return "xlsx", ".xlsx"
    if "word/document.xml" in names:
        return "docx", ".docx"
    raise UploadRefused(name, "ZIP 文件不是 Excel（XLSX）或 Word（DOCX）文档")


def check_zip(data: bytes, name: str, settings: ServeSettings) -> None:
    """Refuse a ZIP (XLSX, DOCX) whose members would unpack to more than the limit, or that
    compress better than any real document does (a zip bomb: 1 MB that unpacks to 1 GiB).

    The sizes are read from the ZIP's directory without unpacking anything; Python's zipfile,
    which the readers use, stops at the declared size, so a member that lies about its size
    cannot unpack beyond it either."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    total = sum(i.file_size for i in infos)
    if total > settings.max_unzipped_bytes:
        raise UploadRefused(
            name,
            f"解压后共 {mb(total)} MB，超过上限 {mb(settings.max_unzipped_bytes)} MB"
            "（疑似压缩炸弹）",
            413,
        )
    for info in infos:
        # members under 1 MiB unpacked cannot hurt, whatever their ratio (an empty sheet)
        if info.file_size > MIB and info.file_size > settings.max_zip_ratio * max(
            info.compress_size, 1
        ):
            raise UploadRefused(
                name,
                f"其中 {display(info.filename)} 的压缩比超过 {settings.max_zip_ratio} 倍"
                "（疑似压缩炸弹）",
                413,
            )


def display(member: str) -> str:
    return member[-60:]


def mb(size: int) -> str:
    """A size in MB as people write it: 100, 1.5, 0.2."""
    return f"{size / MIB:,.1f}".removesuffix(".0")


def check_upload(
    data: bytes, name: str, settings: ServeSettings, size: int | None = None
) -> Sniffed:
    """The upload's kind, or :class:`UploadRefused` (size, content, ZIP limits). ``data`` may
    be cut just past the limit; ``size`` is then the whole upload's."""
    size = max(size or 0, len(data))
    if size > settings.max_upload_bytes:
        raise UploadRefused(
            name, f"文件大小 {mb(size)} MB，超过上限 {mb(settings.max_upload_bytes)} MB", 413
        )
    sniffed = sniff(data, name)
    if sniffed.kind in ("xlsx", "docx") and data.startswith(b"PK\x03\x04"):
        check_zip(data, name, settings)
    return sniffed
