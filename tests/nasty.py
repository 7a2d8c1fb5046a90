"""Generators of hostile and broken inputs (issue 10): each test makes the file it needs, so no
binary is committed where a few lines make it. Everything here is small or streamed: a zip
bomb is written chunk by chunk and never held whole in memory."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from tests.conftest import EXAMPLE, REPO

SOURCE = REPO / "src" / "juesuan" / "examples" / "jiaozuo-2021.toml"


def text_layer_pdf(lines: Iterable[str], pages: int = 1) -> bytes:
    """A PDF whose text layer reads ``lines`` (any characters, unpaired surrogates included):
    Helvetica glyphs are drawn and a ToUnicode map says which character each code stands for,
    the way a broken producer's font can map glyphs to anything."""
    text = list(lines)
    chars = sorted({ch for line in text for ch in line})
    if len(chars) > 220:
        raise ValueError("at most 220 distinct characters")
    code = {ch: 0x21 + i for i, ch in enumerate(chars)}

    def utf16(ch: str) -> str:
        n = ord(ch)
        if n > 0xFFFF:
            n -= 0x10000
            return f"{0xD800 + (n >> 10):04X}{0xDC00 + (n & 0x3FF):04X}"
        return f"{n:04X}"

    entries = "\n".join(f"<{code[ch]:02X}> <{utf16(ch)}>" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    body = []
    for i, line in enumerate(text):
        hexed = "".join(f"{code[ch]:02X}" for ch in line)
        body.append(f"BT /F1 10 Tf 40 {780 - 14 * (i % 50)} Td <{hexed}> Tj ET")
    content = "\n".join(body).encode()
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    content_obj = 5 + pages
    for _ in range(pages):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources"
            b" << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_obj
        )
    objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def zip_package(members: dict[str, bytes | Iterable[bytes]], path: Path) -> Path:
    """A ZIP package (XLSX, DOCX) whose members are bytes or streamed chunks."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if isinstance(data, bytes):
                archive.writestr(name, data)
                continue
            with archive.open(name, "w", force_zip64=True) as fh:
                for chunk in data:
                    fh.write(chunk)
    return path


XLSX_FRAME = {
    "[Content_Types].xml": (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
        b'//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
        b' Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats'
        b'.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1"'
        b' r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
        b'//schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
        b' Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
    b'.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def sheet_rows(rows: int, batch: int = 10_000) -> Iterator[bytes]:
    """Sheet XML of ``rows`` rows of one number each, streamed."""
    yield SHEET_HEAD
    for start in range(1, rows + 1, batch):
        stop = min(start + batch, rows + 1)
        yield b"".join(
            b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r) for r in range(start, stop)
        )
    yield SHEET_TAIL


def sheet_bomb(size: int) -> Iterator[bytes]:
    """A well-formed sheet that unpacks to about ``size`` bytes of whitespace."""
    yield SHEET_HEAD
    chunk = b" " * (1 << 20)
    for _ in range(size >> 20):
        yield chunk
    yield SHEET_TAIL


def xlsx(path: Path, sheet: bytes | Iterable[bytes]) -> Path:
    return zip_package({**XLSX_FRAME, "xl/worksheets/sheet1.xml": sheet}, path)


def docx_bytes(paragraphs: Iterable[str]) -> bytes:
    """A real DOCX (python-docx) with these paragraphs."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_with_body(path: Path, document_xml: bytes | Iterable[bytes]) -> Path:
    """A DOCX whose word/document.xml is replaced (the rest of the package is python-docx's)."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes(["x"]))) as source:
        members: dict[str, bytes | Iterable[bytes]] = {
            info.filename: source.read(info)
            for info in source.infolist()
            if info.filename != "word/document.xml"
        }
    members["word/document.xml"] = document_xml
    return zip_package(members, path)


def seed_text() -> str:
    """The real report the package ships (seed 002), as text."""
    return EXAMPLE.read_text(encoding="utf-8")
