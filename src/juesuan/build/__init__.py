"""Build the complete disclosure package from data (issue 4).

- :mod:`juesuan.build.source`: the TOML source file (unit facts, where the tables come from,
  last year's totals, 年初预算, 三公 counts, 政府采购, 国有资产, 绩效, the reasons).
- :mod:`juesuan.build.numbers`: the narrative arithmetic (万元, shares, rates, direction words).
- :mod:`juesuan.build.narrative`: the 情况说明 一 … 十三, 概况 and 名词解释 from Jinja2 templates
  (``templates/*.j2``; a region's own folder takes precedence).
- :mod:`juesuan.build.pipeline`: :func:`prepare` (source → :class:`~juesuan.model.disclosure.
  Disclosure`) and :func:`build` (check, then write the package atomically).
"""

from __future__ import annotations

from juesuan.build.pipeline import BuildResult, Prepared, build, prepare, prepare_build
from juesuan.build.source import BuildSource, load_source

__all__ = [
    "BuildResult",
    "BuildSource",
    "Prepared",
    "build",
    "load_source",
    "prepare",
    "prepare_build",
]
