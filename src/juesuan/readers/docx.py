"""Word documents (.docx, and legacy .doc through LibreOffice).

A document is reduced to a stream of blocks in reading order (paragraphs and table grids) that
:func:`juesuan.readers.assembly.assemble_document` turns into a report, as for every format.

Merged cells: python-docx repeats the same cell across a horizontal span and for the rows of a
vertical span. The grid keeps the text at the first (top-left) position and leaves the spanned
positions empty, which is how the text format prints a merged header.

Provenance (``Source``) for DOCX: ``file`` is the document path and ``line`` counts the blocks
of the document body from 1, one per paragraph (empty ones included) and one per table row —
the line number the cell would have in a plain-text export of the document that prints each
paragraph and each table row on one line. Every cell of a table row has that row's line.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from juesuan.errors import InputError
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.readers.blocks import Block, Paragraph, TableBlock
from juesuan.readers.layout import GridCell
from juesuan.readers.ocr import OcrOptions

# --- DOCX ------------------------------------------------------------------------------------


def read_docx(data: bytes, path: Path, *, ocr: OcrOptions | None = None) -> Report:
    """A Word document; its images are read by OCR where they hold a table or the document is
    a scan (:mod:`juesuan.readers.image`)."""
    from juesuan.readers.image import assemble_with_images

    images: list[tuple[int, bytes, int | None]] = []
    blocks = docx_blocks(data, path, images)
    return assemble_with_images(blocks, images, path, ocr, "Word document")


def docx_blocks(
    data: bytes, path: Path, images: list[tuple[int, bytes, int | None]] | None = None
) -> list[Block]:
    """Paragraphs and tables of the document body in order (see the module docstring); the
    pictures of the paragraphs are added to ``images`` as (index of their paragraph's block,
    image bytes, line)."""
    import io
    import zipfile

    try:
        import docx
        from docx.table import Table as DocxTable
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(path, "reading .docx needs python-docx (run make)") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        reason = "damaged or truncated" if isinstance(exc, zipfile.BadZipFile | EOFError) else exc
        raise InputError(path, f"not a readable Word .docx file ({reason})") from None
    except InputError:  # the wall-clock limit, raised while the library worked
        raise
    except Exception as exc:  # lxml syntax errors and the like inside a damaged package
        raise InputError(path, f"not a readable Word .docx file ({type(exc).__name__})") from None
    file = str(path)
    blocks: list[Block] = []
    line = 0
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            rows: list[list[GridCell]] = []
            seen: dict[int, object] = {}  # id → element, kept alive so ids stay unique
            first = line + 1
            for row in item.rows:
                line += 1
                source = Source(file=file, line=line)
                cells = [GridCell("", source) for _ in range(_grid_before(row))]
                for cell in row.cells:
                    tc = cell._tc
                    if id(tc) in seen:
                        cells.append(GridCell("", source))
                        continue
                    seen[id(tc)] = tc
                    text = "".join(p.text for p in cell.paragraphs)
                    cells.append(GridCell(text.strip(), source))
                rows.append(cells)
            blocks.append(TableBlock(rows, Source(file=file, line=first)))
        else:
            line += 1
            blocks.append(Paragraph(item.text, Source(file=file, line=line)))
            if images is not None:
                images.extend((len(blocks) - 1, blob, line) for blob in _pictures(document, item))
    return blocks


def _pictures(document: object, paragraph: object) -> list[bytes]:
    """The images drawn in a paragraph (DrawingML pictures and legacy VML ones)."""
    element = getattr(paragraph, "_p", None)
    part = getattr(document, "part", None)
    if element is None or part is None:
        return []
    ids = element.xpath(".//a:blip/@r:embed") + element.xpath(
        ".//*[local-name()='imagedata']/@*[local-name()='id']"
    )
    out = []
    for rid in ids:
        related = part.related_parts.get(rid)
        blob = getattr(related, "blob", None)
        if isinstance(blob, bytes):
            out.append(blob)
    return out


def _grid_before(row: object) -> int:
    n = getattr(row, "grid_cols_before", 0)
    return n if isinstance(n, int) else 0


# --- legacy .doc -----------------------------------------------------------------------------


def read_doc(data: bytes, path: Path, *, ocr: OcrOptions | None = None) -> Report:
    """Convert with LibreOffice (headless, private profile) in a temporary directory, then read
    the .docx. Sources name the original .doc file."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise InputError(path, "legacy .doc needs LibreOffice (run make)")
    converted = convert_with_soffice(exe, data, path, "doc", "docx")
    return read_docx(converted, path, ocr=ocr)


def convert_with_soffice(exe: str, data: bytes, path: Path, suffix: str, target: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="juesuan-soffice-") as tmp:
        work = Path(tmp)
        src = work / f"input.{suffix}"
        src.write_bytes(data)
        out = work / "out"
        cmd = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(path, f"LibreOffice could not convert the file ({exc})") from None
        result = out / f"input.{target}"
        if not result.exists() or result.stat().st_size == 0:
            raise InputError(path, f"LibreOffice could not convert this .{suffix} file")
        return result.read_bytes()
