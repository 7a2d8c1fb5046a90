"""PDF with a text layer: tables rebuilt from character positions and ruling lines.

Engine: pypdfium2 only (measured in ``bench/import.py``: a few milliseconds per page, against
~100 ms for pdfplumber's ``extract_words`` and ~150 ms for its ``extract_tables``). For each
page, one at a time and closed after use:

1. characters with their boxes (``FPDFText_GetLooseCharBox``) and the page's ruling lines (thin
   path objects: horizontal and vertical strokes or filled bars);
2. rulings that touch form a grid; its column and row boundaries are the rulings' positions,
   and a cell whose border is missing is merged with its neighbour (a merged header cell keeps
   its words at its top-left position, as the shared assembler expects);
3. characters inside a grid go to their cell (wrapped labels and headers join up; justified
   spacing becomes spaces that the assembler ignores); all other characters form text lines.

A table title with no ruled grid after it (Word tables with their borders removed, three-line
tables, other typesetting) falls back on the text lines: rows are the printed lines (a wrapped
label or header line joins the row above), columns are the runs of x covered by the words of the
data rows, bounded just right of right-aligned numbers and just left of left-aligned labels; a
column empty in every data row shows by two header words falling in one column; a header word
centred over several columns goes to the first of them (:mod:`juesuan.readers.pdf_borderless`).

Then the lines and grids, in reading order, go to the shared document assembly
(:mod:`juesuan.readers.assembly`): titles, units, notes, tables continued across pages and the
narrative are handled there as for every format, and every number keeps its page and box
(``x0, top, x1, bottom`` in PDF points from the top-left corner of the page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.limits import Limits
from juesuan.limits import resolve as resolve_limits
from juesuan.model.codes import Codes, reference_codes
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.readers.assembly import assemble_document
from juesuan.readers.blocks import Block, Paragraph, TableBlock
from juesuan.readers.ocr import OcrMode, OcrOptions
from juesuan.readers.pdf_borderless import BorderlessTables
from juesuan.readers.pdf_ocr import read_images
from juesuan.readers.pdf_page import Grid, Line, page_layout
from juesuan.readers.pdf_settings import PdfSettings, resolve

# --- opening ---------------------------------------------------------------------------------


def _open(data: bytes, path: Path) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if not data.lstrip()[:1024].find(b"%PDF") >= 0:
        raise InputError(path, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise InputError(path, "truncated PDF (the file ends before its %%EOF end marker)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = raw.FPDF_GetLastError()
        if code == raw.FPDF_ERR_PASSWORD:
            raise InputError(path, "encrypted PDF: a password is needed to open it") from None
        if code == raw.FPDF_ERR_SECURITY:
            raise InputError(path, "encrypted PDF: unsupported security handler") from None
        if code == raw.FPDF_ERR_FORMAT:
            raise InputError(
                path, "damaged or truncated PDF (cannot parse its structure)"
            ) from None
        raise InputError(path, f"cannot open PDF: {exc}") from None
    if len(doc) == 0:
        doc.close()
        raise InputError(path, "damaged or truncated PDF (no pages)")
    return doc


def read_pdf(
    data: bytes,
    path: Path,
    codes: Codes | None = None,
    *,
    settings: PdfSettings | Mapping[str, Any] | None = None,
    limits: Limits | None = None,
    ocr: OcrOptions | OcrMode | str | None = None,
) -> Report:
    """Read a PDF report; ``settings`` changes the reader's tolerances (:class:`PdfSettings`),
    ``ocr`` whether pages and images without a text layer are read by OCR
    (:mod:`juesuan.readers.pdf_ocr`; default ``auto``).

    Pages are read one at a time and closed; their lines stream through the borderless-table
    finder, which keeps characters only for the table block it is building."""
    tolerances = resolve(settings)
    lim = resolve_limits(limits)
    options = OcrOptions.of(ocr)
    doc = _open(data, path)
    pages = len(doc)
    if pages > lim.pdf_pages:
        doc.close()
        raise lim.exceeded(path, "pdf_pages", f"{pages:,} pages")
    file = str(path)
    items: list[Line | Grid] = []
    borderless = BorderlessTables(file, tolerances)
    total_chars = 0
    read_by_ocr: list[int] = []
    skipped: list[int] = []
    try:
        for index in range(len(doc)):
            try:
                page = doc[index]
            except InputError:  # the wall-clock limit
                raise
            except Exception:
                raise InputError(path, f"damaged PDF: page {index + 1} cannot be read") from None
            try:
                layout = page_layout(page, file, index + 1, tolerances)
                lines, grids = layout.lines, [g for _, g in layout.tables]
                n_chars = layout.n_chars
                found = read_images(page, file, index + 1, layout, options, tolerances)
            finally:
                page.close()
            if found.replace:
                lines, grids, n_chars = found.lines, found.grids, 0
            else:
                lines, grids = lines + found.lines, grids + found.grids
            if found.pages_read:
                read_by_ocr.append(index + 1)
                n_chars += sum(len(ln.text) for ln in lines)
                if options.progress is not None:
                    options.progress(index + 1, len(doc))
            if found.skipped:
                skipped.append(index + 1)
            total_chars += n_chars
            on_page: list[tuple[float, Line | Grid]] = [(ln.bbox[1], ln) for ln in lines]
            on_page += [(g.top, g) for g in grids]
            on_page.sort(key=lambda t: t[0])
            for _, it in on_page:
                items.extend(borderless.feed(it))
    finally:
        doc.close()
    if total_chars == 0:
        raise InputError(path, _no_text(options, bool(read_by_ocr)))
    items.extend(borderless.close())
    report = _report(items, path, codes or reference_codes())
    notes = ocr_notes(read_by_ocr, skipped, options)
    return replace(report, reader_notes=(*report.reader_notes, *notes)) if notes else report


def _no_text(options: OcrOptions, ocr_ran: bool) -> str:
    if ocr_ran:
        return "no text layer, and OCR found no text on its pages"
    if options.mode is OcrMode.NEVER:
        return "no text layer: scanned pages need OCR (--ocr never was given)"
    from juesuan.readers.ocr import HOW_TO_ENABLE

    return f"no text layer: scanned pages need OCR. {HOW_TO_ENABLE}"


def ocr_notes(read: list[int], skipped: list[int], options: OcrOptions) -> list[str]:
    """What the reader says about the pages OCR read and the scanned pages it did not."""
    notes = []
    if read:
        notes.append(f"第{_pages(read)}页的图片内容由OCR识别，数字请以原件为准（见各单元格置信度）")
    if skipped:
        why = (
            "按 --ocr never 未识别"
            if options.mode is OcrMode.NEVER
            else "未安装OCR，运行 make ocr 后可识别"
        )
        notes.append(f"第{_pages(skipped)}页为扫描图片，{why}")
    return notes


def _pages(pages: list[int]) -> str:
    """[1, 2, 3, 5] → "1–3、5"."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return "、".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _report(items: list[Line | Grid], path: Path, codes: Codes) -> Report:
    """The page items in reading order as blocks for the shared document assembly."""
    return assemble_document(blocks_of(items, str(path)), path, codes=codes, medium="PDF")


def blocks_of(items: list[Line | Grid], file: str) -> list[Block]:
    """Lines and grids (of a PDF page or an OCR'd image) as the assembler's blocks."""
    blocks: list[Block] = []
    for it in items:
        if isinstance(it, Grid):
            source = Source(file=file, page=it.page, bbox=(it.xs[0], it.top, it.xs[-1], it.top))
            blocks.append(TableBlock(it.rows, source, tuple(it.xs)))
        else:
            source = Source(file=file, page=it.page, bbox=it.bbox, confidence=it.confidence)
            blocks.append(Paragraph(it.text, source))
    return blocks


def page_count(data: bytes) -> int | None:
    """The number of pages of a PDF (for the corpus dataset), or None when it cannot be opened."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        return len(doc)
    finally:
        doc.close()
