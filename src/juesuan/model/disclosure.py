"""The complete disclosure package as the build step assembles it (issue 4): the report's
tables plus the text parts around them. Pure data shared by the narrative generator and the
writers (XLSX, DOCX, HTML/PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from juesuan.model.report import NarrativeSection, Report


@dataclass(frozen=True)
class Figure:
    """图1 … 图4: a chart image the writers embed."""

    id: str  # "图1"
    title: str  # "收、支决算总计变动情况"
    path: Path  # PNG file
    svg: Path | None = None


@dataclass(frozen=True)
class PriorYear:
    """Last year's published figures the narrative and charts compare with, in 元.

    Keys are the official row names: 收入总计, 支出总计, 本年收入合计, 本年支出合计,
    财政拨款收入总计, 财政拨款支出总计, 一般公共预算财政拨款支出, 基本支出, 项目支出, 机关运行经费,
    三公经费, 年末结转和结余 …
    """

    year: int
    totals: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Disclosure:
    """部门决算公开: 第一部分 概况, 第二部分 决算表, 第三部分 情况说明, 第四部分 名词解释, 附件."""

    report: Report
    overview: tuple[NarrativeSection, ...] = ()  # 一、部门职责 二、机构设置 …
    explanations: tuple[NarrativeSection, ...] = ()  # 情况说明 一 … 十三
    glossary: tuple[tuple[str, str], ...] = ()  # (名词, 解释)
    figures: tuple[Figure, ...] = ()
    prior: PriorYear | None = None
    # visible markers left where a reason is required but the source gives none
    missing_reasons: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        r = self.report
        return f"{r.unit_name or ''}{r.year or ''}年度部门决算"
