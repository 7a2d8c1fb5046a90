"""Mark findings on the original PDF: a box around each cell a finding points to, a short label
(the rule id) and a summary page in Chinese. The page content is kept byte for byte; boxes,
labels and the summary are PDF annotations (pdfium's annotation API through pypdfium2), so the
marked PDF imports exactly like the original and a viewer can hide them or list them as
comments."""

from __future__ import annotations

import ctypes
import glob
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.fileio import write_atomic
from juesuan.rules.finding import Finding, Severity

# RGB per severity: error red, warning orange, notice blue, info grey
COLOURS: dict[Severity, tuple[int, int, int]] = {
    Severity.ERROR: (220, 0, 0),
    Severity.WARNING: (255, 140, 0),
    Severity.NOTICE: (0, 90, 220),
    Severity.INFO: (120, 120, 120),
}
_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
_MARGIN = 1.5


def _wide(text: str) -> Any:
    data = (text + "\0").encode("utf-16-le")
    buf = ctypes.create_string_buffer(data, len(data))
    return ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), buf


def _cjk_font_bytes(text: str) -> bytes | None:
    """A TrueType font for the summary page, subset to ``text`` when fontTools is there."""
    paths = [p for p in _CJK_FONTS if Path(p).exists()]
    paths += sorted(glob.glob("/usr/share/fonts/**/*wqy*.tt[cf]", recursive=True))
    if not paths:
        return None
    path = paths[0]
    try:
        import io
        import logging

        from fontTools import subset  # type: ignore[import-untyped]

        logging.getLogger("fontTools").setLevel(logging.ERROR)
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        font = TTFont(path, fontNumber=0, lazy=False)
        options = subset.Options()
        options.notdef_outline = True
        sub = subset.Subsetter(options)
        sub.populate(text=text + "0123456789")
        sub.subset(font)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()
    except Exception:  # fontTools missing or the font not subsettable: embed it whole
        return Path(path).read_bytes() if path.endswith(".ttf") else None


def _summary_lines(findings: list[Finding]) -> list[tuple[Severity | None, str]]:
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    lines: list[tuple[Severity | None, str]] = [
        (None, "校验结果摘要"),
        (
            None,
            "　".join(f"{s.chinese} {counts[s]} 条" for s in Severity),
        ),
        (None, ""),
    ]
    for f in sorted(findings, key=lambda f: f.sort_key()):
        src = f.location.source
        page = f"第{src.page}页 " if src is not None and src.page is not None else ""
        lines.append((f.severity, f"[{f.severity.chinese}] {f.rule_id} {page}{f.message}"))
    return lines


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` half-width units (a Chinese character counts two)."""
    out: list[str] = []
    line, used = "", 0
    for ch in text:
        w = 1 if ord(ch) < 0x2E80 else 2
        if used + w > width:
            out.append(line)
            line, used = "　　", 4
        line += ch
        used += w
    out.append(line)
    return out


def annotate_pdf(
    pdf_path: Path, findings: list[Finding], out_path: Path, *, overwrite: bool = True
) -> Path:
    """Write ``out_path``: ``pdf_path`` with a coloured box and the rule id around every cell a
    finding points to (findings without a page and box appear on the summary page only),
    and a summary page listing all findings.

    Everything is added as PDF annotations (a Square per box with the finding as its comment,
    a Stamp for each label and for the summary text), never as page content: the pages keep
    their drawing and text exactly, so the marked PDF reads back like the original (boxes
    drawn into the page would be taken for table borders)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf_path, out_path = Path(pdf_path), Path(out_path)
    try:
        doc = pdfium.PdfDocument(str(pdf_path))
    except pdfium.PdfiumError as exc:
        raise InputError(pdf_path, f"cannot open PDF: {exc}") from None
    keep: list[Any] = []  # buffers must outlive the pdfium calls that use them
    try:
        label_font = raw.FPDFText_LoadStandardFont(doc.raw, b"Helvetica")
        by_page: dict[int, list[Finding]] = {}
        for f in findings:
            src = f.location.source
            if src is not None and src.page is not None and src.bbox is not None:
                by_page.setdefault(src.page, []).append(f)
        for page_no, items in sorted(by_page.items()):
            if not 1 <= page_no <= len(doc):
                continue
            page = doc[page_no - 1]
            height = page.get_height()
            for f in sorted(items, key=lambda f: -f.severity.rank):
                _box(raw, doc, page.raw, f, height, label_font, keep)
            page.close()
        _summary_page(raw, doc, findings, keep)
        import io

        buf = io.BytesIO()
        doc.save(buf)
    finally:
        doc.close()
    return write_atomic(out_path, buf.getvalue(), overwrite=overwrite)


def _annotation(raw: Any, page: Any, subtype: int, rect: tuple[float, ...], keep: list[Any]) -> Any:
    """A new printable annotation of ``subtype`` over ``rect`` (left, bottom, right, top)."""
    annot = raw.FPDFPage_CreateAnnot(page, subtype)
    left, bottom, right, top = rect
    raw.FPDFAnnot_SetRect(annot, raw.FS_RECTF(left, top, right, bottom))
    raw.FPDFAnnot_SetFlags(annot, raw.FPDF_ANNOT_FLAG_PRINT)
    _set_string(raw, annot, b"T", "juesuan", keep)
    return annot


def _set_string(raw: Any, annot: Any, key: bytes, text: str, keep: list[Any]) -> None:
    ptr, buf = _wide(text)
    keep.append(buf)
    raw.FPDFAnnot_SetStringValue(annot, key, ptr)


def _box(
    raw: Any, doc: Any, page: Any, f: Finding, height: float, font: Any, keep: list[Any]
) -> None:
    """A Square annotation around the cell (its comment: the rule id and the message) and a
    Stamp with the rule id just above it."""
    assert f.location.source is not None and f.location.source.bbox is not None
    x0, top, x1, bottom = f.location.source.bbox
    r, g, b = COLOURS[f.severity]
    width = 1.5
    left, low = x0 - _MARGIN - width / 2, height - bottom - _MARGIN - width / 2
    right, high = x1 + _MARGIN + width / 2, height - top + _MARGIN + width / 2
    square = _annotation(raw, page, raw.FPDF_ANNOT_SQUARE, (left, low, right, high), keep)
    raw.FPDFAnnot_SetColor(square, raw.FPDFANNOT_COLORTYPE_Color, r, g, b, 255)
    raw.FPDFAnnot_SetBorder(square, ctypes.c_float(0), ctypes.c_float(0), ctypes.c_float(width))
    _set_string(raw, square, b"Contents", f"[{f.severity.chinese}] {f.rule_id} {f.message}", keep)
    # an explicit appearance, so every viewer draws the same box (pdfium's own, Acrobat's and
    # pdf.js's generated ones differ); the stream is in page space (its BBox is the Rect)
    ap = (
        f"{r / 255:.3f} {g / 255:.3f} {b / 255:.3f} RG {width} w "
        f"{left + width / 2:.2f} {low + width / 2:.2f} "
        f"{right - left - width:.2f} {high - low - width:.2f} re S"
    )
    ptr, buf = _wide(ap)
    keep.append(buf)
    raw.FPDFAnnot_SetAP(square, raw.FPDF_ANNOT_APPEARANCEMODE_NORMAL, ptr)
    raw.FPDFPage_CloseAnnot(square)
    size = 5.0
    label_rect = (left, high, left + 0.6 * size * len(f.rule_id) + 2, high + size + 1.5)
    stamp = _annotation(raw, page, raw.FPDF_ANNOT_STAMP, label_rect, keep)
    _set_string(raw, stamp, b"Contents", f.rule_id, keep)
    text = raw.FPDFPageObj_CreateTextObj(doc.raw, font, ctypes.c_float(size))
    ptr, buf = _wide(f.rule_id)
    keep.append(buf)
    raw.FPDFText_SetText(text, ptr)
    raw.FPDFPageObj_SetFillColor(text, r, g, b, 255)
    raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, left + 0.5, high + 1.2)
    raw.FPDFAnnot_AppendObject(stamp, text)
    raw.FPDFPage_CloseAnnot(stamp)


def _summary_page(raw: Any, doc: Any, findings: list[Finding], keep: list[Any]) -> None:
    """Pages listing all findings. Their text is the appearance of a Stamp annotation per page
    (and its comment), so these pages have no page content for a reader to take for a report's
    text."""
    width, height = 595.0, 842.0
    lines = [
        (sev, part)
        for sev, line in _summary_lines(findings)
        for part in (_wrap(line, 96) if line else [""])
    ]
    data = _cjk_font_bytes("".join(t for _, t in lines))
    if data is not None:
        fbuf = ctypes.create_string_buffer(data, len(data))
        keep.append(fbuf)
        font = raw.FPDFText_LoadFont(
            doc.raw,
            ctypes.cast(fbuf, ctypes.POINTER(ctypes.c_uint8)),
            len(data),
            raw.FPDF_FONT_TRUETYPE,
            True,
        )
    else:  # no CJK font on this machine: rule ids and pages stay readable
        font = raw.FPDFText_LoadStandardFont(doc.raw, b"Helvetica")
    size, lead, top, foot = 10.0, 14.0, height - 50, 40.0
    per_page = int((top - foot) // lead) + 1
    for first in range(0, len(lines), per_page):
        chunk = lines[first : first + per_page]
        page = raw.FPDFPage_New(doc.raw, len(doc), width, height)
        stamp = _annotation(
            raw, page, raw.FPDF_ANNOT_STAMP, (30, foot - 10, width - 30, top + 14), keep
        )
        _set_string(raw, stamp, b"Contents", "\n".join(t for _, t in chunk), keep)
        y = top
        for sev, line in chunk:
            if line:
                obj = raw.FPDFPageObj_CreateTextObj(doc.raw, font, ctypes.c_float(size))
                ptr, buf = _wide(line)
                keep.append(buf)
                raw.FPDFText_SetText(obj, ptr)
                r, g, b = COLOURS[sev] if sev is not None else (0, 0, 0)
                raw.FPDFPageObj_SetFillColor(obj, r, g, b, 255)
                raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 40, y)
                raw.FPDFAnnot_AppendObject(stamp, obj)
            y -= lead
        raw.FPDFPage_CloseAnnot(stamp)
        raw.FPDF_ClosePage(page)
