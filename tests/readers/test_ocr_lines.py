"""The ruling lines of a scan (juesuan.readers.ocr_rulings), the lines taken for strokes
(ocr_page.between_words), the recogniser's slips mended (ocr_page._mended) and the page cache
keeping words and lines apart: small images drawn here, no corpus. The volume is bench/ocr.py's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from juesuan.readers import ocr

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the OCR extra is not installed")


def _ruled_image(rows: list[int], cols: list[int], blur: float = 1.0) -> tuple[Any, Any, Any]:
    """A white page with a ruled grid (2 px lines at the given rows and columns), blurred."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    for y in rows:
        draw.rectangle((cols[0], y, cols[-1] + 1, y + 1), fill="black")
    for x in cols:
        draw.rectangle((x, rows[0], x + 1, rows[-1] + 1), fill="black")
    return image, draw, lambda: image.filter(ImageFilter.GaussianBlur(blur))


def _bold_text(draw: Any, x0: int, x1: int, middle: int) -> None:
    """A row of bold characters: blocks 15 px wide with gaps of 3, one stroke across them all
    (blurred, the row is one long bar with ink above and below it)."""
    for x in range(x0, x1 - 15, 18):
        draw.rectangle((x, middle - 8, x + 4, middle + 8), fill="black")
        draw.rectangle((x + 10, middle - 8, x + 14, middle + 8), fill="black")
    draw.rectangle((x0, middle - 1, x1, middle + 1), fill="black")


def test_rulings_are_thin_runs_of_ink_not_rows_of_bold_text() -> None:
    """A blurred bold header row was one bar of ink through the middle of the row, and taken
    for a ruling (101's 财政拨款收入支出决算总表 at 150 dpi degraded: its header and first row of
    figures were read as one); the rulings around it were lost. A ruling has paper beside it."""
    import numpy as np

    from juesuan.readers.ocr_rulings import lines

    rows, cols = [50, 80, 110, 140, 170, 400], [50, 300, 550, 850]
    _, draw, blurred = _ruled_image(rows, cols)
    _bold_text(draw, 60, 840, 95)  # the header row between the rulings at 80 and 110
    for y in range(150, 400, 30):  # figures set hard against the right border of column 1
        draw.rectangle((240, y, 298, y + 14), fill="black")
    found = lines(np.asarray(blurred()))
    across = sorted(y1 for x1, y1, x2, y2 in found if y1 == y2 and x2 - x1 > 300)
    down = sorted(x1 for x1, y1, x2, y2 in found if x1 == x2 and y2 - y1 > 200)
    assert len(across) == len(rows), across
    assert all(abs(a - b) <= 1 for a, b in zip(across, rows, strict=True)), across
    assert len(down) == len(cols) and all(abs(a - b) <= 1 for a, b in zip(down, cols, strict=True))
    assert not any(86 <= y1 <= 104 for x1, y1, x2, y2 in found if y1 == y2), "a text bar kept"


def test_two_close_rulings_are_two_lines() -> None:
    """Rulings 6 px apart, blurred into one band: two lines, not one between them."""
    import numpy as np

    from juesuan.readers.ocr_rulings import lines

    rows, cols = [50, 200, 206, 400], [50, 450, 850]
    _, _, blurred = _ruled_image(rows, cols, blur=0.8)
    across = sorted(y1 for x1, y1, x2, y2 in lines(np.asarray(blurred())) if y1 == y2)
    assert [y for y in across if 190 < y < 215] in ([200, 206], [200, 207], [201, 206], [201, 207])


def test_a_ruling_across_words_read_as_one_is_kept_a_stroke_inside_one_is_not() -> None:
    from juesuan.readers.ocr_page import between_words

    def word(x0: float, y0: float, x1: float, y1: float) -> ocr.Word:
        return ocr.Word("x", 0.99, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)))

    # the recogniser read the figures of two columns as one word in every row
    merged = [word(200, y, 400, y + 20) for y in range(100, 400, 25)]
    ruling = (300, 90, 300, 410)
    stroke = (520, 105, 520, 135)  # the 1 of a tall title character
    title = word(500, 100, 560, 140)
    assert between_words([ruling, stroke], [*merged, title]) == [ruling]


def test_slips_of_the_recogniser_are_mended_and_flagged() -> None:
    from juesuan.readers.ocr_page import DOUBTFUL, _mended

    assert _mended("864.099.38", 0.96) == ("864,099.38", DOUBTFUL)
    assert _mended("1.234.567.89", 0.99) == ("1,234,567.89", DOUBTFUL)
    assert _mended("、一般公共预算财政拨款", 0.98) == ("一般公共预算财政拨款", DOUBTFUL)
    for text in ("12.34", "864,099.38", "1.234", "一、一般公共预算财政拨款"):
        assert _mended(text, 0.99) == (text, 0.99)


@needs_ocr
def test_a_new_line_detector_reads_the_lines_again_not_the_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _, _, blurred = _ruled_image([50, 100, 150], [50, 450, 850])
    rgb = np.asarray(blurred())
    word = ocr.Word("合计", 0.99, ((60.0, 60.0), (100.0, 60.0), (100.0, 90.0), (60.0, 90.0)))
    monkeypatch.setattr(ocr, "_words", lambda rgb: (word,))
    first = ocr.scan(rgb)
    assert first.words == (word,) and len(first.lines) == 6

    def no_ocr(*args: object) -> None:
        raise AssertionError("the words were read again")

    monkeypatch.setattr(ocr, "_words", no_ocr)
    monkeypatch.setattr(ocr, "lines_id", lambda: "another-detector")
    calls: list[int] = []
    monkeypatch.setattr(ocr, "_lines", lambda rgb: calls.append(1) or ((50, 50, 850, 50),))
    again = ocr.scan(rgb)
    assert calls == [1] and again.words == (word,) and again.lines == ((50, 50, 850, 50),)
    assert ocr.scan(rgb).lines == ((50, 50, 850, 50),) and calls == [1]  # both cached now


def test_light_grey_rulings_are_lines() -> None:
    """Rulings printed in a light grey (Excel's 25 % grey is 191), thin and blurred: found."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    from juesuan.readers.ocr_rulings import lines

    image = Image.new("RGB", (2339, 1654), "white")
    draw = ImageDraw.Draw(image)
    for y in range(200, 1400, 60):
        draw.rectangle((100, y, 2200, y + 1), fill=(200, 200, 200))
    for x in range(100, 2201, 300):
        draw.rectangle((x, 200, x + 1, 1381), fill=(200, 200, 200))
    found = lines(np.asarray(image.filter(ImageFilter.GaussianBlur(0.8))))
    assert len([ln for ln in found if ln[1] == ln[3]]) == 20
    assert len([ln for ln in found if ln[0] == ln[2]]) == 8
