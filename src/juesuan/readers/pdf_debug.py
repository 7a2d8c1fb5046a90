"""What the PDF reader saw, drawn over the rendered page (pdfplumber's ``debug_tablefinder`` is
the model): one PNG per page with

- red: every line segment the page draws (a tick at each end shows where a border is broken);
- blue: the rulings those segments join into;
- green: the cells of each ruled table (merged cells as one box), with row and column numbers;
- orange: the box of the text that went into each cell;
- magenta: the column boundaries of tables printed without ruling lines;
- grey: the text lines outside tables.

``juesuan import REPORT.pdf --debug-layout DIR`` writes them next to the JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from juesuan.readers.pdf_page import Grid, Line, PageLayout, page_layout
from juesuan.readers.pdf_settings import PdfSettings, resolve

SCALE = 2.0  # pixels per point: cell borders and small text stay readable
_LEGEND = 28  # pixels of legend strip above the page
_COLOURS = {
    "segment": (230, 0, 0),
    "ruling": (0, 90, 255),
    "cell": (0, 160, 60),
    "text": (255, 140, 0),
    "column": (200, 0, 200),
    "line": (150, 150, 150),
}


def debug_layout(
    pdf_path: str | Path,
    out_dir: str | Path,
    pages: Iterable[int] | None = None,
    settings: PdfSettings | Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write ``<stem>-p<page>.png`` into ``out_dir`` for each page (1-based numbers) and return
    the paths. Without ``pages``: every page that draws a line or holds a table."""
    from juesuan.readers.pdf import _open
    from juesuan.readers.pdf_borderless import BorderlessTables

    tolerances = resolve(settings)
    path = Path(pdf_path)
    out = Path(out_dir)
    doc = _open(path.read_bytes(), path)
    file = str(path)
    wanted = None if pages is None else {int(p) for p in pages}
    found: dict[int, PageLayout] = {}
    borderless: dict[int, list[Grid]] = {}
    tables = BorderlessTables(file, tolerances)
    ruled: set[int] = set()

    def keep(items: list[Line | Grid]) -> None:
        for it in items:
            if isinstance(it, Grid) and id(it) not in ruled:
                for page_no in {c.source.page for r in it.rows for c in r if c.source}:
                    if page_no is not None:
                        borderless.setdefault(page_no, []).append(it)

    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                layout = page_layout(page, file, index + 1, tolerances)
            finally:
                page.close()
            ruled.update(id(g) for _, g in layout.tables)
            items: list[tuple[float, Line | Grid]] = [(ln.bbox[1], ln) for ln in layout.lines]
            items += [(g.top, g) for _, g in layout.tables]
            items.sort(key=lambda t: t[0])
            for _, it in items:
                keep(tables.feed(it))
            if wanted is None or index + 1 in wanted:
                found[index + 1] = layout
        keep(tables.close())
        if wanted is None:
            wanted = {n for n, pl in found.items() if pl.segments or pl.tables} | set(borderless)
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for page_no in sorted(wanted):
            if not 1 <= page_no <= len(doc):
                continue
            page = doc[page_no - 1]
            try:
                bitmap = page.render(scale=SCALE)
                image = bitmap.to_pil().convert("RGB")
                origin = _origin(page)
            finally:
                page.close()
            target = out / f"{path.stem}-p{page_no:03d}.png"
            _draw(image, found[page_no], borderless.get(page_no, []), origin).save(target)
            written.append(target)
    finally:
        doc.close()
    return written


def _origin(page: Any) -> tuple[float, float]:
    """Where the rendered image starts in the reader's coordinates: a page box whose corner is
    not at (0, 0) (西安's budgets: MediaBox -11.99 12.02 …) is rendered from its corner, so
    everything drawn over it moves by that much. Turned pages are drawn as they are shown."""
    if page.get_rotation() % 360:
        return 0.0, 0.0
    left, bottom, _, _ = page.get_cropbox()
    return float(left), -float(bottom)


def _draw(
    image: Any, layout: PageLayout, borderless: list[Grid], origin: tuple[float, float] = (0, 0)
) -> Any:
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (image.width, image.height + _LEGEND), (255, 255, 255))
    canvas.paste(image, (0, _LEGEND))
    draw = ImageDraw.Draw(canvas, "RGBA")
    ox, oy = origin

    def px(x: float, y: float) -> tuple[float, float]:
        return (x - ox) * SCALE, (y - oy) * SCALE + _LEGEND

    def box(b: tuple[float, float, float, float], colour: tuple[int, ...], width: int = 1) -> None:
        (x0, y0), (x1, y1) = px(b[0], b[1]), px(b[2], b[3])
        draw.rectangle((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)), outline=colour, width=width)

    for ln in layout.lines:
        box(ln.bbox, _COLOURS["line"])
    for r in layout.rulings:
        a, b = (
            (px(r.start, r.pos), px(r.end, r.pos))
            if r.horizontal
            else (
                px(r.pos, r.start),
                px(r.pos, r.end),
            )
        )
        draw.line((a, b), fill=(*_COLOURS["ruling"], 120), width=5)
    for s in layout.segments:
        a, b = (
            (px(s.start, s.pos), px(s.end, s.pos))
            if s.horizontal
            else (
                px(s.pos, s.start),
                px(s.pos, s.end),
            )
        )
        draw.line((a, b), fill=_COLOURS["segment"], width=1)
        for x, y in (a, b):  # the ends: where a border is broken
            draw.line(
                ((x - 2, y), (x + 2, y)) if not s.horizontal else ((x, y - 2), (x, y + 2)),
                fill=_COLOURS["segment"],
                width=1,
            )
    for table, grid in layout.tables:
        seen: set[tuple[int, int]] = set()
        for i in range(table.n_rows):
            for j in range(table.n_cols):
                anchor = table.anchor[i][j]
                if anchor in seen:
                    continue
                seen.add(anchor)
                x0, top, x1, bottom = table.cell_box(*anchor)
                box((x0 + 1.2, top + 1.2, x1 - 1.2, bottom - 1.2), _COLOURS["cell"])
                cell = grid.rows[anchor[0]][anchor[1]]
                if cell.text and cell.source is not None and cell.source.bbox is not None:
                    box(cell.source.bbox, _COLOURS["text"])
        for j in range(table.n_cols):
            draw.text(px(table.xs[j] + 1.5, table.ys[0] - 7), f"c{j}", fill=_COLOURS["cell"])
        for i in range(table.n_rows):
            draw.text(px(table.xs[0] - 12, table.ys[i] + 1), f"r{i}", fill=_COLOURS["cell"])
    for grid in borderless:
        boxes = [
            c.source.bbox
            for r in grid.rows
            for c in r
            if c.source is not None and c.source.page == layout.page and c.source.bbox
        ]
        if not boxes:
            continue
        top, bottom = min(b[1] for b in boxes) - 2, max(b[3] for b in boxes) + 2
        for x in grid.xs:
            draw.line((px(x, top), px(x, bottom)), fill=_COLOURS["column"], width=2)
        for j in range(len(grid.xs) - 1):
            draw.text(px(grid.xs[j] + 1.5, top - 7), f"c{j}", fill=_COLOURS["column"])
        for text_box in boxes:
            box(text_box, _COLOURS["text"])
    x = 6
    for name, colour in _COLOURS.items():
        draw.rectangle((x, 8, x + 14, 20), fill=colour)
        label = {
            "segment": "drawn segments",
            "ruling": "joined rulings",
            "cell": "cells",
            "text": "cell text",
            "column": "borderless columns",
            "line": "text lines",
        }[name]
        draw.text((x + 18, 8), label, fill=(0, 0, 0))
        x += 26 + 7 * len(label)
    draw.text((image.width - 90, 8), f"page {layout.page}", fill=(0, 0, 0))
    return canvas
