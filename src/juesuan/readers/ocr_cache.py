"""The page cache of OCR (识别结果缓存): a scan stored under the hash of the image's pixels and of
the engine that read it, in the user's cache folder (``$XDG_CACHE_HOME/juesuan/ocr``, else
``~/.cache/juesuan/ocr``), so a rerun over the same scans costs milliseconds, not seconds a page.

The key is the pixels, not the file: the same page in another file (a copy, a re-saved PDF)
hits the cache, and a changed page misses it. A cache that cannot be read or written is no
error: the page is read again.

Two entries a page, each under its own key: the recognised words (the seconds of a page) and
the ruling lines (a fraction of a second). A better line detector changes only the key of the
lines, so the words are not read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from juesuan.readers.ocr import PixelBox, Scan, Word


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "juesuan" / "ocr"


def key(rgb: Any, engine: str) -> str:
    digest = hashlib.sha256()
    digest.update(engine.encode())
    digest.update(repr((tuple(rgb.shape), str(rgb.dtype))).encode())
    digest.update(memoryview(rgb.tobytes()))
    return digest.hexdigest()


def _path(key: str) -> Path:
    return folder() / key[:2] / f"{key}.json"


def load(key: str) -> Scan | None:
    """The words of a page (and the straightening), without lines: those are cached apart."""
    try:
        data = json.loads(_path(key).read_text(encoding="utf-8"))
        return Scan(
            width=int(data["width"]),
            height=int(data["height"]),
            angle=float(data["angle"]),
            matrix=tuple(float(v) for v in data["matrix"]),  # type: ignore[arg-type]
            words=tuple(
                Word(str(w[0]), float(w[1]), tuple(tuple(p) for p in w[2]))  # type: ignore[arg-type]
                for w in data["words"]
            ),
            lines=(),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def load_lines(key: str) -> tuple[PixelBox, ...] | None:
    try:
        data = json.loads(_path(key).read_text(encoding="utf-8"))
        return tuple(tuple(int(v) for v in box) for box in data["lines"])  # type: ignore[misc]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _write(key: str, data: dict[str, Any]) -> None:
    from juesuan.fileio import write_atomic

    # a read-only or full cache folder is no error: the next run reads the page again
    with contextlib.suppress(OSError):
        write_atomic(_path(key), json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def store(key: str, scan: Scan) -> None:
    _write(
        key,
        {
            "width": scan.width,
            "height": scan.height,
            "angle": scan.angle,
            "matrix": list(scan.matrix),
            "words": [[w.text, w.confidence, [list(p) for p in w.quad]] for w in scan.words],
        },
    )


def store_lines(key: str, lines: tuple[PixelBox, ...]) -> None:
    _write(key, {"lines": [list(box) for box in lines]})
