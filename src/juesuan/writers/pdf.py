"""决算公开.pdf: the HTML report printed by WeasyPrint (A4, landscape pages for the tables,
footer 第 x 页 共 y 页, table headers repeated on every page). Fonts: Noto Serif/Sans CJK SC,
named in the CSS, so no font alias is needed here."""

from __future__ import annotations

from pathlib import Path


def write_pdf(html: str, path: Path, base_url: Path | None = None) -> Path:
    """Print ``html`` to ``path``; relative image paths resolve against ``base_url`` (default:
    the PDF's folder)."""
    import weasyprint

    path = Path(path)
    base = Path(base_url) if base_url is not None else path.parent
    document = weasyprint.HTML(string=html, base_url=str(base.resolve()) + "/")
    document.write_pdf(str(path))
    return path
