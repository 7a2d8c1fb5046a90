"""Images: a scanned report given as PNG, JPEG or TIFF (each TIFF frame a page), and the images
embedded in Word documents and HTML pages, read by OCR (:mod:`juesuan.readers.ocr`).

An image file is read whole, page by page, and its lines and grids go to the shared document
assembly as a PDF page's do. An image inside a document with text is read when it holds a ruled
table (a table pasted as a picture), or when the document has hardly any text of its own (a
report scanned into Word); charts and logos are left alone. With ``--ocr always`` every image is
read, with ``never`` none.

Boxes are in points at the image's own resolution (its dpi, else 200 dpi: what a scan for
reading is made at).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.readers.assembly import assemble_document
from juesuan.readers.blocks import Block, Paragraph, TableBlock
from juesuan.readers.ocr import OcrMode, OcrOptions

DEFAULT_DPI = 200.0
MIN_SIDE = 120  # pixels: smaller images are icons, bullets and seals
LITTLE_TEXT = 200  # characters: a document with less text than this is a scan put into a file
_MAX_PIXELS = 60_000_000  # a larger image is refused rather than exhausting memory


def frames(data: bytes, path: Path) -> Iterator[tuple[Any, float]]:
    """Each page of an image file as an RGB array and its dpi, one at a time."""
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise InputError(path, f"not a readable image ({exc})") from None
    if image.width * image.height > _MAX_PIXELS:
        raise InputError(path, f"image too large to read ({image.width}×{image.height} pixels)")
    for frame in ImageSequence.Iterator(image):
        dpi = frame.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0]
        try:
            dpi = float(dpi)
        except (TypeError, ValueError):
            dpi = DEFAULT_DPI
        yield np.asarray(frame.convert("RGB")), dpi if dpi >= 50 else DEFAULT_DPI


def image_blocks(
    rgb: Any,
    dpi: float,
    file: str,
    options: OcrOptions,
    *,
    page: int | None = None,
    line: int | None = None,
) -> list[Block]:
    """The OCR'd lines and grids of one image as the assembler's blocks. ``page`` numbers an
    image file's pages; an image inside a document keeps the ``line`` of its paragraph."""
    from juesuan.readers import ocr
    from juesuan.readers.ocr_page import page_items
    from juesuan.readers.pdf import blocks_of
    from juesuan.readers.pdf_borderless import BorderlessTables
    from juesuan.readers.pdf_page import Grid, Line

    if ocr.is_blank(rgb):
        return []
    scan = ocr.scan(rgb, options)
    lines, grids = page_items(scan, file, page or 1, scale=72 / dpi)
    on_page: list[tuple[float, Line | Grid]] = [(ln.bbox[1], ln) for ln in lines]
    on_page += [(g.top, g) for g in grids]
    on_page.sort(key=lambda t: t[0])
    borderless = BorderlessTables(file)
    items: list[Line | Grid] = []
    for _, it in on_page:
        items.extend(borderless.feed(it))
    items.extend(borderless.close())
    blocks = blocks_of(items, file)
    if page is None:
        blocks = [_in_document(b, line) for b in blocks]
    return blocks


def _in_document(block: Block, line: int | None) -> Block:
    """A block of an embedded image: no page of its own, the line of the paragraph holding it."""

    def moved(source: Source | None) -> Source | None:
        return None if source is None else replace(source, page=None, line=line)

    if isinstance(block, Paragraph):
        return Paragraph(block.text, moved(block.source))
    if isinstance(block, TableBlock):
        rows = [[replace(c, source=moved(c.source)) for c in r] for r in block.rows]
        return TableBlock(rows, moved(block.source), block.xs)
    return block


def read_image(data: bytes, path: Path, *, ocr: OcrOptions | None = None) -> Report:
    """A report scanned to an image file (PNG, JPEG, TIFF)."""
    from juesuan.readers import ocr as engine

    options = ocr or OcrOptions()
    if options.mode is OcrMode.NEVER:
        raise InputError(path, "an image has no text layer: it needs OCR (--ocr never was given)")
    engine.require(path, "an image has no text layer")
    blocks: list[Block] = []
    n_pages = _count_frames(data)
    for number, (rgb, dpi) in enumerate(frames(data, path), start=1):
        blocks.extend(image_blocks(rgb, dpi, str(path), options, page=number))
        if options.progress is not None:
            options.progress(number, n_pages)
    if not blocks:
        raise InputError(path, "OCR found no text in this image")
    report = assemble_document(blocks, path, medium="image")
    note = "本文件为图片，内容由OCR识别，数字请以原件为准（见各单元格置信度）"
    return replace(report, reader_notes=(*report.reader_notes, note))


def _count_frames(data: bytes) -> int:
    from PIL import Image

    try:
        return int(getattr(Image.open(io.BytesIO(data)), "n_frames", 1))
    except Exception:
        return 1


def embedded(
    images: Sequence[tuple[int, bytes, int | None]],
    text_chars: int,
    file: str,
    options: OcrOptions,
) -> tuple[dict[int, list[Block]], list[str]]:
    """The blocks OCR reads from the images of a document (``(position, image bytes, line)``
    each), by position, and the reader's notes. See the module docstring for which are read."""
    from juesuan.readers import ocr

    out: dict[int, list[Block]] = {}
    notes: list[str] = []
    scan_like = text_chars < LITTLE_TEXT
    if not images or options.mode is OcrMode.NEVER:
        return out, notes
    if not ocr.available():
        if scan_like:
            notes.append(f"文档中的 {len(images)} 张图片未识别（{ocr.HOW_TO_ENABLE}）")
        return out, notes
    read = 0
    for position, data, line in images:
        try:
            decoded = next(frames(data, Path(file)), None)
        except InputError:
            continue
        if decoded is None:
            continue
        rgb, dpi = decoded
        if min(rgb.shape[:2]) < MIN_SIDE:
            continue
        if (
            options.mode is not OcrMode.ALWAYS
            and not scan_like
            and not ocr.has_table(rgb, 72 / dpi)
        ):
            continue
        blocks = image_blocks(rgb, dpi, file, options, line=line)
        if blocks:
            out[position] = blocks
            read += 1
            if options.progress is not None:
                options.progress(read, len(images))
    if read:
        notes.append(f"文档中的 {read} 张图片由OCR识别，数字请以原件为准（见各单元格置信度）")
    return out, notes


def assemble_with_images(
    blocks: list[Block],
    images: Sequence[tuple[int, bytes, int | None]],
    path: Path,
    options: OcrOptions | None,
    medium: str,
) -> Report:
    """A document's blocks with what OCR reads from its images put where each image stood
    (after the block at its position), assembled into a report."""
    text_chars = sum(len(b.text.strip()) for b in blocks if isinstance(b, Paragraph))
    text_chars += sum(
        len(c.text) for b in blocks if isinstance(b, TableBlock) for r in b.rows for c in r
    )
    found, notes = embedded(images, text_chars, str(path), options or OcrOptions())
    if found:
        merged: list[Block] = []
        for i, block in enumerate(blocks):
            merged.append(block)
            merged.extend(found.get(i, []))
        merged[:0] = found.get(-1, [])
        blocks = merged
    report = assemble_document(blocks, path, medium=medium)
    return replace(report, reader_notes=(*report.reader_notes, *notes)) if notes else report
