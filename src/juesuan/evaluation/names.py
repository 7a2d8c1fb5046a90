"""The name a project goes by: a form's title, its 项目名称 and the text's references to it name it
with different words (the region, the year, 项目, 绩效自评表). These reduce each to its core."""

from __future__ import annotations

import re

from juesuan.model.codes import normalize_name

_REGION = re.compile(r"^.{0,8}?[省市县区]级")
_NUMBERING = re.compile(
    r"^(?:[①②③④⑤⑥⑦⑧⑨⑩]|\d{1,3}\s*[.．、](?!\d)|[（(]\s*\d{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}\s*、"
    r"|[（(][一二三四五六七八九十]{1,3}[）)])\s*"
)
_YEAR = re.compile(r"^(?:\d{4}\s*年度?|\d{4}(?=[\u4e00-\u9fff]))")
_TAIL = re.compile(r"(?:项目)?(?:支出)?(?:部门)?(?:绩效)?(?:自评|评价)?(?:综述|结果|报告|情况)?$")


def plain(s: str) -> str:
    """Spaces, dashes and dots are not part of a name."""
    return re.sub(r"[\s\-—–_·]", "", normalize_name(s))


def title_core(title: str) -> str:
    """ "西安市级2022年病媒生物防制项目绩效自评表" → "病媒生物防制": the words a 自评综述 names
    its project by (the region, year and form words left out)."""
    s = re.sub(r"[（(]\s*\d{4}\s*年度?\s*[)）]", "", normalize_name(title))
    s = re.sub(r"(?:项目)?(?:支出)?绩效自评表.*$", "", s)
    s = _REGION.sub("", s)
    s = re.sub(r"^\d{4}年度?", "", s)
    return plain(re.sub(r"项目$", "", s))


def name_core(name: str) -> str:
    """A project as the text names it: "2022 年度解决社保卡制卡经费项目绩效" and
    "解决社保卡制卡经费" are one project."""
    s = plain(re.sub(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]", "", name))
    s = re.sub(r"^\d{1,3}(?=[\u4e00-\u9fff])", "", s)  # "③困难企业…" once NFKC made it "3"
    for _ in range(2):
        s = _NUMBERING.sub("", s)
        s = _YEAR.sub("", s)
        s = _REGION.sub("", s)
    previous = None
    while previous != s:
        previous = s
        s = _TAIL.sub("", s) if len(s) > 4 else s
    return s


def is_whole(name: str) -> bool:
    """Does a name speak of the unit as a whole (部门整体, 单位整体)?"""
    return "整体" in name


def subsequence(short: str, long: str) -> bool:
    """Are the characters of ``short`` in ``long``, in order? ("困难企业、职工帮扶资金" in
    "困难企业特困救助、职工帮扶资金")."""
    it = iter(long)
    return all(ch in it for ch in short)


def same_project(a: str, b: str) -> bool:
    """Do two cores name one project: one contains the other (at least four characters)."""
    if len(a) < 4 or len(b) < 4:
        return False
    return a in b or b in a
