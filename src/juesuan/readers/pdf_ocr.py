"""Which parts of a PDF page are only an image, and their OCR (see :mod:`juesuan.readers.ocr`).

- ``--ocr auto`` (the default) uses the text layer where there is one. A page with no text
  layer that is not blank, and whose images cover half of it or more (or that has no image:
  text drawn as outlines), is a scanned page: rendered at 200 dpi and read whole. On other
  pages, an image with no text over it (a table pasted as a picture) is read when it holds a
  ruled table; most images are charts, logos and stamps, and reading them as text would put
  chart labels into the narrative, so an image without a grid is left alone. An image that
  covers most of the page with hardly any text over it is a scan with a stamp or a header
  typed on it: read whole.
- ``always`` renders and reads every page, ignoring the text layer (a text layer whose font
  encoding is broken reads as nonsense).
- ``never`` reads only the text layer.

Pages are rendered one at a time; the pixels are dropped once read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from juesuan.readers.ocr import OcrMode, OcrOptions
from juesuan.readers.pdf_page import Grid, Line, PageLayout
from juesuan.readers.pdf_settings import PdfSettings

RENDER_DPI = 200  # STACK §3: 200 dpi reads a 万元 table's digits exactly; 150 is the floor
GATE_DPI = 100  # looking for a grid needs less: four times fewer pixels
SCAN_COVER = 0.5  # images covering half the page or more: a scanned page
REGION_MIN = 0.04  # an image smaller than this share of the page is a logo, a stamp, a seal
FEW_CHARS = 40  # text over a scan (a header, a page number typed on it) is at most this


@dataclass
class PageOcr:
    """What OCR made of one page: the items that replace or join the text layer's, and what
    the reader should say about it."""

    lines: list[Line] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    replace: bool = False  # the items stand for the whole page (the text layer is dropped)
    pages_read: int = 0  # 1 when OCR ran on this page
    skipped: bool = False  # a scanned page that OCR could not or was told not to read


def _images(page: Any, width: float, height: float) -> list[tuple[float, float, float, float]]:
    """The page's image objects, as (x0, top, x1, bottom) in points from the top-left, clipped
    to the page; a form XObject holding images and no text counts as one image. Walked with
    pdfium's raw calls: pypdfium2's object wrappers cost as much as reading the page's text
    on pages drawn with thousands of paths."""
    import ctypes

    import pypdfium2.raw as raw

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, bottom, right, top)]

    def bounds(obj: Any) -> tuple[float, float, float, float] | None:
        if not raw.FPDFPageObj_GetBounds(obj, *refs):
            return None
        x0, x1 = max(0.0, left.value), min(width, right.value)
        y0, y1 = max(0.0, height - top.value), min(height, height - bottom.value)
        return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None

    out = []
    get, get_type, handle = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType, page.raw
    image_kind, form_kind, text_kind = (
        raw.FPDF_PAGEOBJ_IMAGE,
        raw.FPDF_PAGEOBJ_FORM,
        raw.FPDF_PAGEOBJ_TEXT,
    )
    for i in range(raw.FPDFPage_CountObjects(handle)):
        obj = get(handle, i)
        kind = get_type(obj)
        if kind == form_kind:
            inner = {
                get_type(raw.FPDFFormObj_GetObject(obj, k))
                for k in range(raw.FPDFFormObj_CountObjects(obj))
            }
            if image_kind not in inner or text_kind in inner:
                continue
        elif kind != image_kind:
            continue
        if (box := bounds(obj)) is not None:
            out.append(box)
    return out


def _clip(
    boxes: list[tuple[float, float, float, float]], width: float, height: float
) -> list[tuple[float, float, float, float]]:
    out = []
    for x0, y0, x1, y1 in boxes:
        x0, y0, x1, y1 = max(0.0, x0), max(0.0, y0), min(width, x1), min(height, y1)
        if x1 > x0 and y1 > y0:
            out.append((x0, y0, x1, y1))
    return out


def _render(page: Any, dpi: int, box: tuple[float, float, float, float] | None = None) -> Any:
    """The page (or a box of it) as an RGB array."""
    import numpy as np

    width, height = page.get_width(), page.get_height()
    crop = (0.0, 0.0, 0.0, 0.0)
    if box is not None:
        x0, top, x1, bottom = box
        crop = (x0, height - bottom, width - x1, top)  # pdfium crops from each edge
    # annotations are not page content (the reader never reads them; annotate's boxes and
    # summary pages are annotations): only the page itself is rendered
    bitmap = page.render(scale=dpi / 72, crop=crop, draw_annots=False)
    try:
        return np.asarray(bitmap.to_pil().convert("RGB"))
    finally:
        bitmap.close()


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _text_over(box: tuple[float, float, float, float], lines: list[Line], grids: list[Grid]) -> int:
    """How many characters of the text layer lie over the box."""
    n = sum(
        len(ln.text)
        for ln in lines
        if _inside(box, (ln.bbox[0] + ln.bbox[2]) / 2, (ln.bbox[1] + ln.bbox[3]) / 2)
    )
    for g in grids:
        for row in g.rows:
            for c in row:
                b = c.source.bbox if c.source is not None else None
                if b is not None and _inside(box, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2):
                    n += len(c.text)
    return n


def read_images(
    page: Any,
    file: str,
    page_no: int,
    layout: PageLayout,
    options: OcrOptions,
    settings: PdfSettings,
) -> PageOcr:
    """OCR what is only an image on one page, given what its text layer holds (see the module
    docstring)."""
    from juesuan.readers import ocr

    lines, grids, n_chars = layout.lines, [g for _, g in layout.tables], layout.n_chars
    if options.mode is OcrMode.NEVER and n_chars:
        return PageOcr()
    width, height = page.get_width(), page.get_height()
    area = width * height
    # a page with text had its images found with its rulings; one without is walked here
    every = _clip(layout.images, width, height) if n_chars else _images(page, width, height)
    cover = sum((b[2] - b[0]) * (b[3] - b[1]) for b in every) / area
    # no text: a scan (an image over most of the page, or text drawn as outlines without any
    # image); a page of charts alone (101's 人员对比图) is left to the region test below
    scan_like = n_chars == 0 and (not every or cover >= SCAN_COVER)
    if options.mode is OcrMode.NEVER:
        return PageOcr(skipped=scan_like and not ocr_blank(page))
    if options.mode is OcrMode.ALWAYS or scan_like:
        if not ocr.available():
            return PageOcr(skipped=scan_like and not ocr_blank(page))
        return _whole(page, file, page_no, options, settings)
    images = [b for b in every if (b[2] - b[0]) * (b[3] - b[1]) >= REGION_MIN * area]
    # the OCR stack (OpenCV, onnxruntime: ~60 MB) is imported only for a page with an image
    if not images or not ocr.available():
        return PageOcr()
    found = PageOcr()
    for box in images:
        over = _text_over(box, lines, grids)
        share = (box[2] - box[0]) * (box[3] - box[1]) / area
        if share >= SCAN_COVER and over <= FEW_CHARS and n_chars <= FEW_CHARS:
            return _whole(page, file, page_no, options, settings)
        if over > FEW_CHARS:
            continue  # text printed over the image: the text layer reads it
        if not ocr.has_table(_render(page, GATE_DPI, box), 72 / GATE_DPI):
            continue
        scan = ocr.scan(_render(page, RENDER_DPI, box), options)
        from juesuan.readers.ocr_page import page_items

        more_lines, more_grids = page_items(
            scan, file, page_no, scale=72 / RENDER_DPI, offset=(box[0], box[1]), settings=settings
        )
        found.lines.extend(more_lines)
        found.grids.extend(more_grids)
        found.pages_read = 1
    return found


def _whole(
    page: Any, file: str, page_no: int, options: OcrOptions, settings: PdfSettings
) -> PageOcr:
    from juesuan.readers import ocr
    from juesuan.readers.ocr_page import page_items

    rgb = _render(page, RENDER_DPI)
    if ocr.is_blank(rgb):
        return PageOcr(replace=options.mode is OcrMode.ALWAYS)
    scan = ocr.scan(rgb, options)
    del rgb
    lines, grids = page_items(scan, file, page_no, scale=72 / RENDER_DPI, settings=settings)
    return PageOcr(lines, grids, replace=True, pages_read=1)


def ocr_blank(page: Any) -> bool:
    """Whether a page without text is blank (rendered small: a cheap look)."""
    from juesuan.readers.ocr import is_blank

    return bool(is_blank(_render(page, 50)))
