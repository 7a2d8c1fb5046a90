"""Who and when: the document's kind (部门决算, 单位预算 …), the unit's name and the year, each
with the line it was read from.

The cover says it first ("上海市普陀区财政局 / 2024年度部门决算", "上海市2026年市级单位预算 /
预算单位：…", a crawled page's 标题: line); then come the lines that name the unit (部门：…,
编制单位：…), the part headings (第一部分 X概况) and the table titles (X2024年度…决算表). A line
that gives the amount unit (单位：万元) is never taken for a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from juesuan.model.report import DocumentKind
from juesuan.model.source import Source
from juesuan.readers.blocks import is_budget_title, unit_name_line

Line = tuple[str, Source | None]

_WS = re.compile(r"\s+")
_COVER_END = re.compile(r"^(?:目\s*录|第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_CRAWLED_TITLE = re.compile(r"^标\s*题\s*[:：]\s*(.+)$")
# "(部门|单位)?(决算|预算)" and the words that are not a kind: 预算单位, 部门预算单位基本情况
_NOT_KIND = re.compile(
    r"预算单位|决算单位|预算数|决算数|年初预算|全年预算|预算执行"
    r"|一般公共预算|政府性基金预算|国有资本经营预算"  # the funds, not the kind of document
)
_KIND_WORD = re.compile(r"(部门|单位)?(决算|预算)|绩效(?:自评|评价)|绩效目标")
_NAME_BEFORE_YEAR = re.compile(r"^(.{2,40}?)[（(]?(20\d{2})[)）]?年度?(?:区级|市级|省级|县级)?")
_NAME_AFTER_YEAR = re.compile(
    r"^(20\d{2})年度?(.{2,40}?)"
    r"(?:(?:部门|单位)(?:决算|预算)|(?:决算|预算)(?:说明|公开|情况|报告|信息))"
)
_PART_ONE = re.compile(r"^第一部分\s*(.+?)(?:概况|基本情况)$")
_TITLE_PREFIX = re.compile(r"^(?:第二部分)?(.{2,40}?)(20\d{2})年度?(?:部门|单位)?决算")


def _compact(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text)).replace("(", "（").replace(")", "）")


@dataclass(frozen=True)
class Identity:
    kind: DocumentKind
    kind_source: Source | None
    unit_name: str | None
    unit_source: Source | None
    year: int | None
    year_source: Source | None


def cover(lines: Sequence[Line]) -> list[Line]:
    """The lines before the table of contents or the first part: the cover (or, for a crawled
    page, its 标题: line)."""
    for text, source in lines[:12]:
        m = _CRAWLED_TITLE.match(text.strip())
        if m:
            return [(m.group(1), source)]
    first_page = None
    out: list[Line] = []
    for text, source in lines[:20]:
        s = text.strip()
        if not s:
            continue
        page = source.page if source is not None else None
        if first_page is None:
            first_page = page
        if _COVER_END.match(s) or (page is not None and page != first_page):
            break
        out.append((s, source))
    return out


def _kind_in(text: str) -> DocumentKind | None:
    t = _NOT_KIND.sub("", _compact(text))
    m = _KIND_WORD.search(t)
    if m is None:
        return None
    if m.group(0) == "绩效目标":  # 绩效目标表 are published with the 预算
        return DocumentKind.DEPARTMENT_BUDGET
    if m.group(0).startswith("绩效"):
        return DocumentKind.PERFORMANCE
    unit = m.group(1) == "单位"
    if m.group(2) == "决算":
        return DocumentKind.UNIT_FINAL if unit else DocumentKind.DEPARTMENT_FINAL
    return DocumentKind.UNIT_BUDGET if unit else DocumentKind.DEPARTMENT_BUDGET


__all__ = ["cover", "document_kind", "is_budget_title", "unit_name", "year_of"]


def document_kind(
    lines: Sequence[Line], final_tables: int, budget_titles: int
) -> tuple[DocumentKind, Source | None]:
    """The cover's word first; else the tables found (决算 titles identified against 预算
    titles such as 预算01表 收支总表); else the kind words counted over the text."""
    front = cover(lines)
    joined = "".join(t for t, _ in front)
    kind = _kind_in(joined)
    if kind is not None:
        return kind, front[0][1] if front else None
    if final_tables and final_tables >= budget_titles:
        return DocumentKind.DEPARTMENT_FINAL, None
    if budget_titles:
        return DocumentKind.DEPARTMENT_BUDGET, None
    votes: Counter[DocumentKind] = Counter()
    first: dict[DocumentKind, Source | None] = {}
    for text, source in lines:
        for m in _KIND_WORD.finditer(_NOT_KIND.sub("", _compact(text))):
            k = _kind_in(m.group(0))
            if k is not None:
                votes[k] += 1
                first.setdefault(k, source)
    if not votes:
        return DocumentKind.OTHER, None
    best = votes.most_common(1)[0][0]
    return best, first[best]


def _clean_name(name: str) -> str | None:
    name = name.strip("：:，, ")
    name = re.sub(r"^(?:中华人民共和国)?$", "", name)
    if not (2 <= len(name) <= 40) or re.search(r"[：:。，；]|万元|单位", name):
        return None
    if name.endswith("表"):  # a form's title above its year: 部门整体绩效自评表（2024年度）
        return None
    return name


def unit_name(lines: Sequence[Line]) -> tuple[str | None, Source | None]:
    """The unit's name and where it was read (see the module docstring for the order)."""
    front = cover(lines)
    joined = "".join(_compact(t) for t, _ in front)
    src = front[0][1] if front else None
    for text, source in front:
        if (name := unit_name_line(text)) is not None:
            return _compact(name), source
    for pattern, group in ((_NAME_AFTER_YEAR, 2), (_NAME_BEFORE_YEAR, 1)):
        m = pattern.match(joined)
        if m and (name := _clean_name(m.group(group))) and not name.startswith("20"):
            return name, src
    named = Counter(n for t, _ in lines if (n := unit_name_line(t)))
    if named:
        name, _ = named.most_common(1)[0]
        source = next(s for t, s in lines if unit_name_line(t) == name)
        return _compact(name), source
    for text, source in lines:
        s = _compact(text)
        m = _PART_ONE.match(s)
        if m and (name := _clean_name(m.group(1))) and name != "部门":
            return name, source
    titles = Counter(
        name
        for text, _ in lines
        if (m := _TITLE_PREFIX.match(_compact(text))) and (name := _clean_name(m.group(1)))
    )
    if titles:
        name = titles.most_common(1)[0][0]
        return name, None
    return None, None


_YEAR = re.compile(r"(20\d{2})\s*年")


def year_of(lines: Sequence[Line], counted: int | None) -> tuple[int | None, Source | None]:
    """The cover's year, else the year printed most often with 年度 (``counted``)."""
    for text, source in cover(lines):
        m = _YEAR.search(text)
        if m:
            return int(m.group(1)), source
    return counted, None
