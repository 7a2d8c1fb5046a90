"""Provenance: where a number or a piece of text was read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value came from: a line of a text file, or a page and box of a PDF.

    ``bbox`` is ``(x0, top, x1, bottom)`` in PDF points from the page's top-left corner.
    ``confidence`` is set only for text read from an image (OCR): the recogniser's confidence
    in it, 0–1 (the lowest of its characters'); None means it was read from a text layer.
    """

    file: str | None = None
    line: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    confidence: float | None = None

    def short(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        return "".join(parts)
