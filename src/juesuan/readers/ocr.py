"""OCR of page images (识别图片中的文字与表格), on the CPU with models shipped in the wheels.

Engine (``../shared/STACK.md`` §3): rapidocr 3.10 with its bundled PP-OCRv6 detection and
recognition models on onnxruntime (the ``.onnx`` files are inside the ``rapidocr`` wheel; the
model paths are given explicitly so that nothing is ever fetched), and img2table 2.0 for the
ruled grid: its skew estimate (``detect_rotation``: a 0.6° skew made a 24-row table two rows).
The ruling lines of the straightened image are found by :mod:`juesuan.readers.ocr_rulings`
(img2table's line detector lost the rulings of a blurred bold header and drew one through its
text) and become tables as a PDF's rulings do (:mod:`juesuan.readers.pdf_grid`): img2table's
own table builder drops the columns with nothing printed in them, so a table continued on the
next page lost its empty columns and no longer matched its first page. Both live behind the
optional extra ``ocr`` (``make ocr``); without it, :func:`require` says how to enable OCR.

:func:`scan` reads one page image into a :class:`Scan`: the words with their boxes and
confidence and the cells of each ruled table, in the pixels of the straightened image, plus
the rotation that straightened it. It is cached by the image's content
(:mod:`juesuan.readers.ocr_cache`), so a rerun does not OCR again; the words and the lines
apart, so a better line detector does not read the words again.
:mod:`juesuan.readers.ocr_page` turns a scan into the lines and grids the PDF reader
assembles.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from juesuan.errors import InputError

Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
PixelBox = tuple[int, int, int, int]  # x1, y1, x2, y2 in pixels

# What to say when a scan arrives and the extra is missing.
HOW_TO_ENABLE = (
    "OCR is not installed here: run `make ocr` (or pip install 'juesuan[ocr]', then replace the"
    " OpenCV wheels: pip uninstall -y opencv-python-headless opencv-contrib-python && pip"
    " install opencv-contrib-python-headless)"
)

# Bump when what a scan holds changes: cached scans of another version are not used. The
# words and the ruling lines are cached apart, each under its own version.
PIPELINE_VERSION = 2
RULINGS_VERSION = 4


class OcrMode(StrEnum):
    """``auto``: the text layer where there is one, OCR for pages and images without it;
    ``always``: OCR every page, ignoring the text layer; ``never``: no OCR."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


# progress(done, total): one more page (or image) of ``total`` has been through OCR.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrOptions:
    """How a reader uses OCR: the mode, a progress callback for long work, the page cache."""

    mode: OcrMode = OcrMode.AUTO
    progress: Progress | None = None
    cache: bool = True

    @staticmethod
    def of(ocr: OcrOptions | OcrMode | str | None) -> OcrOptions:
        if isinstance(ocr, OcrOptions):
            return ocr
        if ocr is None:
            return OcrOptions()
        try:
            return OcrOptions(OcrMode(ocr))
        except ValueError:
            raise ValueError(f"ocr must be auto, always or never, not {ocr!r}") from None


DEFAULT = OcrOptions()


@dataclass(frozen=True)
class Word:
    """A piece of text the detector boxed (one printed line of a cell or of a paragraph)."""

    text: str
    confidence: float
    quad: Quad  # corners in pixels of the straightened image, clockwise from top-left


@dataclass(frozen=True)
class Scan:
    """What OCR found on one image, in the pixels of the straightened image.

    ``angle`` is the rotation (degrees, counter-clockwise) that straightened the image and
    ``matrix`` the affine map (2×3, row-major) from the original image's pixels to the
    straightened ones; ``lines`` are the ruling lines found (horizontal or vertical, as
    ``x1, y1, x2, y2``)."""

    width: int
    height: int
    angle: float
    matrix: tuple[float, float, float, float, float, float]
    words: tuple[Word, ...]
    lines: tuple[PixelBox, ...]
    seconds: float = 0.0  # how long the OCR took (0 when the scan came from the cache)


@cache
def available() -> bool:
    """Whether the OCR extra is installed (rapidocr, onnxruntime, img2table, OpenCV)."""
    try:
        import cv2  # noqa: F401
        import img2table.tables.extractor  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def require(path: object, what: str) -> None:
    """Raise the one-line input error a scan gets when OCR cannot run here."""
    if not available():
        raise InputError(str(path), f"{what}: {HOW_TO_ENABLE}")


def engine_id() -> str:
    """What produced a scan: part of the cache key."""
    from importlib.metadata import version

    return f"juesuan-ocr-{PIPELINE_VERSION}/rapidocr-{version('rapidocr')}/img2table-" + version(
        "img2table"
    )


def lines_id() -> str:
    """What found a scan's ruling lines: part of the key of the cached lines."""
    from importlib.metadata import version

    return f"juesuan-rulings-{RULINGS_VERSION}/opencv-" + version("opencv-contrib-python-headless")


@cache
def _engine() -> Any:
    """The recogniser, built once per process (1–2 s). Models are the wheel's own files."""
    from pathlib import Path

    import rapidocr
    from rapidocr import RapidOCR

    models = Path(rapidocr.__file__).parent / "models"
    params = {
        "Global.use_cls": False,  # pages are upright; STACK: 6.7 s instead of 7.9 s a page
        "Global.log_level": "error",
        "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
        "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
    }
    return RapidOCR(params=params)


def _straighten(rgb: Any) -> tuple[Any, float, tuple[float, float, float, float, float, float]]:
    """The image rotated upright (img2table's skew estimate, rotated as img2table does, with a
    white border), the angle and the affine map used."""
    import cv2
    from img2table.document.rotation import (
        estimate_skew,
        get_connected_components,
        get_relevant_angles,
    )

    identity = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    centroids, ref_height, thresh = get_connected_components(img=gray)
    if len(centroids) < 2:
        return rgb, 0.0, identity
    angle = float(estimate_skew(get_relevant_angles(centroids, ref_height), thresh))
    if abs(angle) < 0.25:  # img2table's own threshold: below it rotating costs more than it helps
        return rgb, 0.0, identity
    height, width = rgb.shape[:2]
    centre = (width // 2, height // 2)
    mat = cv2.getRotationMatrix2D(centre, angle, 1.0)
    cos, sin = abs(mat[0, 0]), abs(mat[0, 1])
    bound_w, bound_h = int(height * sin + width * cos), int(height * cos + width * sin)
    mat[0, 2] += bound_w / 2 - centre[0]
    mat[1, 2] += bound_h / 2 - centre[1]
    rotated = cv2.warpAffine(
        rgb, mat, (bound_w, bound_h), borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255)
    )
    m = mat.ravel().tolist()
    return rotated, angle, (m[0], m[1], m[2], m[3], m[4], m[5])


def _lines(rgb: Any) -> tuple[PixelBox, ...]:
    """The horizontal and vertical ruling lines (:mod:`juesuan.readers.ocr_rulings`)."""
    from juesuan.readers.ocr_rulings import lines

    return lines(rgb)


def has_table(rgb: Any, scale: float = 72 / 200) -> bool:
    """Whether an image holds a ruled table (a fraction of a second, no OCR): the test for an
    image inside a text-layer page, where charts and logos are common and a table is what
    matters."""
    from juesuan.readers.ocr_page import ruled_tables

    return bool(ruled_tables(_lines(rgb), scale))


def _words(rgb: Any) -> tuple[Word, ...]:
    result = _engine()(rgb)
    if result.boxes is None or result.txts is None or result.scores is None:
        return ()
    words = []
    for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        pts = [(float(x), float(y)) for x, y in box.tolist()]
        if not text.strip() or len(pts) != 4:
            continue
        quad: Quad = (pts[0], pts[1], pts[2], pts[3])
        words.append(Word(text, round(float(score), 4), quad))
    return tuple(words)


def scan(rgb: Any, options: OcrOptions = DEFAULT) -> Scan:
    """OCR one image (an RGB ``numpy`` array), from the cache when it was read before: its words
    and its ruling lines each (a new line detector reads the lines again, not the words)."""
    import time
    from dataclasses import replace

    from juesuan.readers import ocr_cache

    start = time.perf_counter()
    keys = None
    if options.cache:
        keys = (ocr_cache.key(rgb, engine_id()), ocr_cache.key(rgb, lines_id()))
    found = ocr_cache.load(keys[0]) if keys is not None else None
    lines = ocr_cache.load_lines(keys[1]) if keys is not None else None
    if found is not None and lines is not None:
        return replace(found, lines=lines)
    if found is None:
        straight, angle, matrix = _straighten(rgb)
        height, width = straight.shape[:2]
        found = Scan(int(width), int(height), angle, matrix, _words(straight), ())
        if keys is not None:
            ocr_cache.store(keys[0], found)
    else:
        straight = _warp(rgb, found)
    if lines is None:
        lines = _lines(straight)
        if keys is not None:
            ocr_cache.store_lines(keys[1], lines)
    return replace(found, lines=lines, seconds=time.perf_counter() - start)


def _warp(rgb: Any, found: Scan) -> Any:
    """The image straightened as a cached scan's words were read from it."""
    if found.angle == 0.0:
        return rgb
    import cv2
    import numpy as np

    mat = np.array(found.matrix, dtype=np.float64).reshape(2, 3)
    return cv2.warpAffine(
        rgb,
        mat,
        (found.width, found.height),
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(255, 255, 255),
    )


def is_blank(rgb: Any) -> bool:
    """A page with (almost) nothing printed on it: no OCR needed. Dark pixels under 0.05 %
    (a page number is more than that at 150 dpi)."""
    import numpy as np

    gray = rgb.mean(axis=2) if rgb.ndim == 3 else rgb
    dark = int(np.count_nonzero(gray < 160))
    return bool(dark < max(20, math.prod(gray.shape) * 0.0005))
