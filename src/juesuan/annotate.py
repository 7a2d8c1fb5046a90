"""Mark findings on the original PDF: a box around each cell a finding points to, a short label
(the rule id) and a summary page in Chinese. The page content is kept as it is; the boxes and
labels are added as new page objects with pypdfium2 (pdfium's editing API)."""

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


def annotate_pdf(pdf_path: Path, findings: list[Finding], out_path: Path) -> Path:
    """Write ``out_path``: ``pdf_path`` with a coloured box and the rule id around every cell a
    finding points to (findings without a page and box appear on the summary page only),
    and a summary page listing all findings."""
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
                _box(raw, doc, page, f, height, label_font, keep)
            raw.FPDFPage_GenerateContent(page.raw)
            page.close()
        _summary_page(raw, doc, findings, keep)
        import io

        buf = io.BytesIO()
        doc.save(buf)
    finally:
        doc.close()
    return write_atomic(out_path, buf.getvalue())


def _box(
    raw: Any, doc: Any, page: Any, f: Finding, height: float, font: Any, keep: list[Any]
) -> None:
    assert f.location.source is not None and f.location.source.bbox is not None
    x0, top, x1, bottom = f.location.source.bbox
    r, g, b = COLOURS[f.severity]
    rect = raw.FPDFPageObj_CreateNewRect(
        x0 - _MARGIN, height - bottom - _MARGIN, x1 - x0 + 2 * _MARGIN, bottom - top + 2 * _MARGIN
    )
    raw.FPDFPageObj_SetStrokeColor(rect, r, g, b, 255)
    raw.FPDFPageObj_SetStrokeWidth(rect, ctypes.c_float(1.5))
    raw.FPDFPath_SetDrawMode(rect, raw.FPDF_FILLMODE_NONE, True)
    raw.FPDFPage_InsertObject(page.raw, rect)
    text = raw.FPDFPageObj_CreateTextObj(doc.raw, font, ctypes.c_float(5.0))
    ptr, buf = _wide(f.rule_id)
    keep.append(buf)
    raw.FPDFText_SetText(text, ptr)
    raw.FPDFPageObj_SetFillColor(text, r, g, b, 255)
    raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, x0 - _MARGIN, height - top + _MARGIN + 0.8)
    raw.FPDFPage_InsertObject(page.raw, text)


def _summary_page(raw: Any, doc: Any, findings: list[Finding], keep: list[Any]) -> None:
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
    size, lead, y = 10.0, 14.0, height - 50
    page = None
    for sev, line in lines:
        if page is None or y < 40:
            if page is not None:
                raw.FPDFPage_GenerateContent(page)
                raw.FPDF_ClosePage(page)
            page = raw.FPDFPage_New(doc.raw, len(doc), width, height)
            y = height - 50
        if line:
            obj = raw.FPDFPageObj_CreateTextObj(doc.raw, font, ctypes.c_float(size))
            ptr, buf = _wide(line)
            keep.append(buf)
            raw.FPDFText_SetText(obj, ptr)
            r, g, b = COLOURS[sev] if sev is not None else (0, 0, 0)
            raw.FPDFPageObj_SetFillColor(obj, r, g, b, 255)
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 40, y)
            raw.FPDFPage_InsertObject(page, obj)
        y -= lead
    if page is not None:
        raw.FPDFPage_GenerateContent(page)
        raw.FPDF_ClosePage(page)
