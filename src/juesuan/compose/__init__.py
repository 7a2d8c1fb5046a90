"""Build the complete disclosure package from data (issue 4).

- :mod:`juesuan.compose.source`: the TOML source file (unit facts, where the tables come from,
  last year's totals, 年初预算, 三公 counts, 政府采购, 国有资产, 绩效, the reasons).
- :mod:`juesuan.compose.numbers`: the narrative arithmetic (万元, shares, rates, direction words).
- :mod:`juesuan.compose.narrative`: the 情况说明 一 … 十三, 概况 and 名词解释 from Jinja2 templates
  (``templates/*.j2``; a region's own folder takes precedence).
- :mod:`juesuan.compose.pipeline`: :func:`prepare` (source → :class:`~juesuan.model.disclosure.
  Disclosure`) and :func:`build` (check, then write the package atomically).
"""

from __future__ import annotations

from juesuan.compose.pipeline import BuildResult, Prepared, build, prepare, prepare_build
from juesuan.compose.source import BuildSource, load_source

__all__ = [
    "BuildResult",
    "BuildSource",
    "Prepared",
    "build",
    "load_source",
    "prepare",
    "prepare_build",
]
