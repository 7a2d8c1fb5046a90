"""The frame of a published web page around its 部门决算 text: a crawler's header (title,
publisher, date, address), the site's breadcrumb, share buttons and page controls, and the
attachment list through which the tables (and sometimes the narrative) were published.

Pure functions over lines (``list[tuple[str, Source | None]]`` in reading order, the form every
reader produces), so the text, HTML, DOCX and PDF readers all use them. None of the frame is
narrative text; what it says about the document (the tables are attachments that are not in
this file; the body has no text, the 情况说明 was published as images) becomes reader notes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from juesuan.model.source import Source
from juesuan.readers.headings import ANNEX

Line = tuple[str, Source | None]

# A crawler's header: "key: value" lines above a separator such as "==== 正文 ====".
_SEPARATOR = re.compile(r"^\s*[=\-*#~]{3,}\s*(?:正文|内容|body|content)\s*[=\-*#~]{3,}\s*$", re.I)
_HEADER_LINE = re.compile(
    r"^\s*(标题|题目|title|发布时间|发布日期|成文日期|日期|date|文号|发文字号|索引号|发布机构|发文机关|"
    r"来源|source|栏目|分类|主题分类|原文链接|原文地址|链接|网址|url|本地目录|关键词)\s*[:：]\s*(.*)$",
    re.I,
)
_HEADER_SCAN = 40  # a header is at the top of the file

# The site's frame inside the body: cut out (the text around it is split there).
_FRAME = re.compile(
    "|".join(
        (
            # 当前位置： 首页政务公开…部门决算公开 / 您的位置：首页 > 政务公开 > …
            r"(?:当前位置|您的位置|你的位置|您现在的位置|所在位置)\s*[:：]\s*"
            r"[^\s>»›＞]+(?:\s*[>»›＞]\s*[^\s>»›＞]+)*",
            r"(?:(?:微信|微博|QQ空间|QQ好友|腾讯微博|新浪微博|人人网|豆瓣|朋友圈|分享到[:：]?)\s*){2,}",
            r"(?:发布时间|发布日期|更新时间|时间|日期)\s*[:：]\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?"
            r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
            r"(?:浏览次数|点击数|访问量|阅读次数|浏览量)\s*[:：]\s*\d+",
            r"字号\s*[:：]?\s*(?:[大中小]\s*){2,3}",
            r"【\s*(?:打印|关闭|打印本页|关闭窗口|返回顶部|收藏|大|中|小)\s*】",
            r"打印本页|关闭窗口|返回顶部",
            r"来源\s*[:：]\s*[^\s，。；]+(?=\s*(?:附件下载|【|$))",
            r"附件下载\s*[:：]?.*$",  # the download list, to the end of the line
        )
    )
)
_FILE = re.compile(r"[^\s。，；、：:]+?\.(?:xlsx?|docx?|pdf|wps|et|zip|rar)(?![a-z])", re.I)
_FILE_PREFIX = re.compile(r"^(?:附件|sdj_)?\s*\d{0,2}(?:-\d{1,2})?\s*[_.．、]?\s*")
_TABLE_WORDS = re.compile(r"决算表|决算总表|情况表|统计表|明细表|决算.*表")
# the annex's list items: "1.收支决算总表 2.收入决算表3.支出决算表" / "1-1 2017年度收支决算总表"
_ANNEX_ITEM = re.compile(r"(?:^|(?<=[\s表]))\d{1,2}(?:-\d{1,2})?\s*[.．、_]?\s*(?=\S)")
_SENTENCE = re.compile(r"[\u4e00-\u9fff][^。！？]{8,}[。！？]")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a crawler recorded about the page: metadata, not narrative text."""

    title: str | None = None
    publisher: str | None = None  # 发布机构 / 来源: the site's publisher, not always the unit
    date: str | None = None
    url: str | None = None


def header_end(lines: Sequence[Line]) -> int:
    """The index of the first body line: after a crawler's header and its separator, or after
    a run of two or more header lines at the top; 0 when there is no header."""
    top = [text for text, _ in lines[:_HEADER_SCAN]]
    for i, text in enumerate(top):
        if _SEPARATOR.match(text):
            return i + 1
    i = 0
    while i < len(top) and not top[i].strip():
        i += 1
    start = i
    while i < len(top) and _HEADER_LINE.match(top[i]):
        i += 1
    return i if i - start >= 2 else 0


def page_meta(lines: Sequence[Line]) -> PageMeta | None:
    """The crawler header's title, publisher, date and address (None without a header)."""
    end = header_end(lines)
    if end == 0:
        return None
    found: dict[str, str] = {}
    for text, _ in lines[:end]:
        m = _HEADER_LINE.match(text)
        if m and m.group(2).strip():
            found.setdefault(m.group(1).lower(), m.group(2).strip())

    def first(*keys: str) -> str | None:
        return next((found[k] for k in keys if k in found), None)

    return PageMeta(
        title=first("标题", "题目", "title"),
        publisher=first("发布机构", "发文机关", "来源", "source"),
        date=first("发布时间", "发布日期", "成文日期", "日期", "date"),
        url=first("原文链接", "原文地址", "链接", "网址", "url"),
    )


_TITLE = re.compile(
    r"^\s*(20\d{2})\s*年度?\s*(.+?)\s*(?:部门|单位)?(?:决算情况说明|决算说明|决算公开|决算)\s*$"
)


def title_unit_year(title: str) -> tuple[str | None, int | None]:
    """ "2015年度平潭综合实验区台湾工作部部门决算说明" → (平潭综合实验区台湾工作部, 2015)."""
    m = _TITLE.match(title)
    if not m:
        return None, None
    return m.group(2).strip() or None, int(m.group(1))


def strip_frame(text: str) -> str:
    """A body line without the site's frame; the places where frame was cut out become line
    breaks, so that the text on either side is not joined into one sentence."""
    return _FRAME.sub("\n", text)


def body_lines(lines: Sequence[Line]) -> list[Line]:
    """The document's own lines: no crawler header, no site frame."""
    out: list[Line] = []
    for text, source in lines[header_end(lines) :]:
        if "\t" in text:
            out.append((text, source))
            continue
        for piece in strip_frame(text).split("\n"):
            if piece.strip():
                out.append((piece, source))
    return out


def attached_tables(lines: Sequence[Line]) -> list[str]:
    """The tables a page names as attachments, without their bodies: file names
    (附件1_收支决算总表.xls) or the items of an annex list (附件： 1.收支决算总表 2.收入决算表 …),
    in order, once each."""
    files: list[str] = []
    listed: list[str] = []
    for text, _ in lines[header_end(lines) :]:
        if "\t" in text:
            continue
        for m in _FILE.finditer(text):
            name = _FILE_PREFIX.sub("", m.group(0))
            if _TABLE_WORDS.search(name):
                files.append(name)
        annex = ANNEX.search(text)
        if annex:
            rest = _FRAME.split(text[annex.end() :])[0]
            rest = _FILE.sub(" ", rest)
            for item in _ANNEX_ITEM.split(rest):
                name = re.sub(r"^20\d{2}\s*年度?", "", item.strip())
                if _TABLE_WORDS.search(name) and len(name) <= 30:
                    listed.append(name)
    return list(dict.fromkeys(files or listed))


def has_sentences(lines: Sequence[Line]) -> bool:
    """Does the body hold running text (a sentence), beyond a title and an attachment list?"""
    for text, _ in body_lines(lines):
        annex = ANNEX.search(text)
        if _SENTENCE.search(text[: annex.start()] if annex else text):
            return True
    return False


def content_notes(lines: Sequence[Line]) -> list[str]:
    """What a reader should say about a page whose content is elsewhere: tables listed as
    attachments that are not in this file, a body with no text at all."""
    notes = []
    tables = attached_tables(lines)
    if not has_sentences(lines):
        listed = "和附件列表" if tables else ""
        notes.append(
            f"正文没有情况说明文字（只有标题{listed}；情况说明可能以图片发布），无可核对的内容"
        )
    if tables:
        shown = "、".join(tables[:3]) + ("等" if len(tables) > 3 else "")
        notes.append(f"公开表以附件发布（{shown}，共 {len(tables)} 个），本文件中没有表格内容")
    return notes


def meta_note(meta: PageMeta) -> str | None:
    """The page's provenance in one line, for the reader notes."""
    parts = [
        f"{label}：{value}"
        for label, value in (
            ("标题", meta.title),
            ("发布机构", meta.publisher),
            ("发布时间", meta.date),
            ("原文", meta.url),
        )
        if value
    ]
    return "网页抓取件（" + "；".join(parts) + "）" if parts else None
