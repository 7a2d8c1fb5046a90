"""``debug_layout`` draws what the PDF reader saw over each rendered page; ``juesuan import
--debug-layout DIR`` writes those images."""

from __future__ import annotations

from pathlib import Path

from juesuan.readers.pdf_debug import _COLOURS, _LEGEND, SCALE, debug_layout

PDFS = Path(__file__).resolve().parents[1] / "data" / "pdfs"


def _count(path: Path, colour: tuple[int, int, int], tol: int = 40) -> int:
    from PIL import Image

    image = Image.open(path).convert("RGB")
    image = image.crop((0, _LEGEND, image.width, image.height))  # the page, not the legend
    r0, g0, b0 = colour
    return sum(
        1
        for r, g, b in image.get_flattened_data()
        if abs(r - r0) <= tol and abs(g - g0) <= tol and abs(b - b0) <= tol
    )


def test_ruled_page_shows_segments_rulings_and_cells(tmp_path: Path) -> None:
    pdf = PDFS / "synth4-frame-split-by-gaps.pdf"
    (image,) = debug_layout(pdf, tmp_path, pages=[3])
    assert image == tmp_path / "synth4-frame-split-by-gaps-p003.png"
    from PIL import Image

    with Image.open(image) as im:
        assert im.width == round(842 * SCALE)
    for what in ("segment", "cell", "text"):
        assert _count(image, _COLOURS[what]) > 500, what
    assert _count(image, _COLOURS["column"]) < 50  # no borderless table on this page


def test_borderless_page_shows_columns(tmp_path: Path) -> None:
    (image,) = debug_layout(PDFS / "seed002-noborder-docx.pdf", tmp_path, pages=[6])
    assert _count(image, _COLOURS["column"]) > 500
    assert _count(image, _COLOURS["cell"], tol=20) < 50  # no ruled table


def test_default_pages_are_those_with_tables(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = PDFS / "synth7-wan-xlsx.pdf"
    images = debug_layout(pdf, tmp_path)
    n_pages = len(pdfium.PdfDocument(str(pdf)))
    assert 0 < len(images) < n_pages  # the contents page has no table
    assert all(p.exists() for p in images)


def test_import_command_writes_the_images(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from juesuan.cli import app

    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        app,
        [
            "import",
            str(PDFS / "synth7-wan-xlsx.pdf"),
            "-o",
            str(out),
            "--debug-layout",
            str(tmp_path / "layout"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert sorted((tmp_path / "layout").glob("*.png"))


def test_drawing_follows_a_page_box_whose_corner_is_not_at_zero() -> None:
    """西安's budgets print on MediaBox [-11.99 12.02 829.69 607.22]: the page renders from that
    corner, so the rulings and cells drawn over it move by as much (they were 12 pt off)."""
    from juesuan.readers.pdf_debug import _origin

    class Page:
        def __init__(self, rotation: int) -> None:
            self.rotation = rotation

        def get_rotation(self) -> int:
            return self.rotation

        def get_cropbox(self) -> tuple[float, float, float, float]:
            return (-11.99, 12.02, 829.69, 607.22)

    assert _origin(Page(0)) == (-11.99, -12.02)
    assert _origin(Page(90)) == (0.0, 0.0)
