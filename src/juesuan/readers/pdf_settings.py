"""Every tolerance of the PDF reader in one documented value (pdfplumber's ``TableSettings`` is
the model): lengths are in PDF points (1/72 inch), ratios are fractions of a character's height
or of a column's width. Each default says which real layout it was set for.

``PdfSettings()`` is the default; :func:`resolve` accepts ``None``, a mapping of field names or an
instance, so a caller (a test, the corpus bench, a region with unusual layouts) can change one
tolerance without touching the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class PdfSettings:
    """Tolerances for rebuilding tables from a PDF's drawing and text layer."""

    # --- ruling lines (table borders) -------------------------------------------------------
    ruling_max_width: float = 2.5
    """A path thinner than this is a ruling line. Borders are printed 0.1–1.5 pt wide (Word
    0.48–0.96 as filled bars, ONLYOFFICE 0.75 as strokes, Excel hair lines 0.14); a shaded band
    or a decorative bar is wider."""

    box_min_size: float = 8.0
    """A stroked rectangle at least this large on both sides is a box whose four sides are
    rulings (cells drawn one box each, as 101's producer does); a smaller one is a glyph-like
    mark (a check box, a bullet)."""

    invisible_level: int = 250
    """A line painted with every RGB channel at or above this (0–255), or fully transparent, is
    invisible on white paper: Excel-made PDFs draw white borders where a cell has none."""

    collinear: float = 1.0
    """Segments whose positions differ by at most this lie on one line: Word draws a border as
    a filled bar and some producers draw it again as a stroke a fraction of a point away."""

    join_gap: float = 3.0
    """Collinear segments with a gap of at most this are one ruling. Word 2010 leaves the ~1 pt
    square at each crossing out of both lines (002's frame fell apart into a header band and a
    body); ONLYOFFICE draws a tall header cell's border as one short segment per text line
    (001). Two separate tables are never this close."""

    snap: float = 2.0
    """Rulings closer than this are one row or column boundary (the two strokes of a double
    border, the bar and the stroke of one border)."""

    touch: float = 3.0
    """A horizontal and a vertical ruling that come this close meet: they belong to one table
    frame (line ends stop short of the crossing by up to half a line width plus rounding)."""

    cover_slack: float = 1.0
    """A cell border counts as drawn at a point when a ruling reaches within this of it."""

    open_band: float = 6.0
    """Column borders that run on at least this far past the frame's first or last row border
    enclose one more row whose outer border is not drawn (the row a table carries over to the
    next page, printed at its top under no ruling)."""

    min_frame_columns: int = 2
    """A frame with fewer columns is a box around text (a boxed note or title), not a table:
    every 部门决算 table has at least a label and a value column."""

    same_frame: float = 6.0
    """A grid with no title before it continues the previous table when its left and right
    edges are within this of that table's (the same frame on the next page)."""

    # --- characters and lines ----------------------------------------------------------------
    space_gap: float = 1 / 3
    """Inside a cell, a gap wider than this fraction of the character height becomes a space
    (justified labels such as "因 公 出 国 （境） 费"; the assembler ignores the spaces)."""

    wrap_overlap: float = 1.0
    """Inside a cell, a character whose middle is more than this above the bottom of the line
    being built starts the next printed line (a wrapped label or header)."""

    overprint: float = 1.0
    """The same character printed again at the same place (its box's corner on the same grid
    of this size) is one character: producers make bold by printing a whole title or table two
    to six times over itself (西安's 2022 budget tables read "222000222222年年年部部部门门门")."""

    run_tolerance: float = 0.5
    """Consecutive characters whose line boxes (top and bottom) agree within this, left to
    right with no gap that reads as a space, are placed as one run: pdfium's loose boxes of
    CJK glyphs of one line differ by a few hundredths of a point."""

    # --- tables without ruling lines (pdf_borderless) ----------------------------------------
    word_gap: float = 0.7
    """Words of a borderless table's line split at gaps wider than this fraction of the median
    character height (a column gap is at least one character wide, justified spacing less)."""

    word_gap_min: float = 3.0
    """... and never at gaps narrower than this (small fonts, condensed digits)."""

    align_tolerance: float = 1.5
    """Words of one column are left- (labels) or right-aligned (numbers) when their edges agree
    within this."""

    boundary_offset: float = 6.0
    """A column boundary sits at most this far beyond the aligned edge of its column, so a
    header word centred over the gap goes to the right column."""

    header_edge: float = 0.3
    """A header word whose centre lies within this fraction of a column's width from its edge
    is centred on the boundary, spanning the neighbouring column too."""

    paragraph_width: float = 0.6
    """A one-word line wider than this fraction of the table's first line is a paragraph: the
    borderless table has ended."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise TypeError(f"PdfSettings.{f.name} must be a number, not {value!r}")
            if value < 0:
                raise ValueError(f"PdfSettings.{f.name} must not be negative ({value})")
        if not 0 < self.invisible_level <= 255:
            raise ValueError("PdfSettings.invisible_level must be within 1–255")
        for name in ("space_gap", "word_gap", "header_edge", "paragraph_width"):
            if not 0 < getattr(self, name) < 1.5:
                raise ValueError(f"PdfSettings.{name} is a fraction: 0 < value < 1.5")


DEFAULT_SETTINGS = PdfSettings()


def resolve(settings: PdfSettings | Mapping[str, Any] | None) -> PdfSettings:
    """The settings to use: the defaults, the defaults with some fields changed, or as given."""
    if settings is None:
        return DEFAULT_SETTINGS
    if isinstance(settings, PdfSettings):
        return settings
    unknown = set(settings) - {f.name for f in fields(PdfSettings)}
    if unknown:
        raise TypeError(f"unknown PdfSettings fields: {', '.join(sorted(unknown))}")
    return replace(DEFAULT_SETTINGS, **dict(settings))
