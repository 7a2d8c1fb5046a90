"""Checks of what the narrative says about single items: the 人员经费/公用经费 items it names
against table 06, what each 类/款/项 "主要用于" against its table 05 columns and against the
other items' purposes, and a printed classification code against the name beside it.

All are warnings: the words may be loose, but a reader of the report is misled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from juesuan.model.codes import normalize_name
from juesuan.model.layout import TableId
from juesuan.model.lexicon import standard_items
from juesuan.model.source import Source
from juesuan.model.tables import Row
from juesuan.narrative.audit import Audit, Hit
from juesuan.narrative.claims import normalise, sentences
from juesuan.narrative.link import item_chain, item_row

# "人员经费 2152.26 万元，主要包括：基本工资、津贴补贴、…、退休费；公用经费 …，主要包括：…"
_COMPOSITION = re.compile(r"(人员经费|公用经费)[^；;。]{0,30}?主要包括[:：]([^；;。]+)")
_ITEM_SPLIT = re.compile(r"[、，,和及]")


def _hit(section: str, sentence: str, stated: str, problem: str, source: Source | None) -> Hit:
    fields = {"section": section, "sentence": sentence, "stated": stated, "problem": problem}
    return Hit(section, sentence, fields, source)


def check_composition(a: Audit) -> Iterator[Hit]:
    """An item the 人员经费 or 公用经费 list names is printed in table 06 — not left blank
    there. (A printed 0.00 may stand for less than 0.005 万元 and is not reported.)"""
    t06 = a.report.table(TableId.T06)
    if not t06.rows:
        return
    by_name = {normalize_name(r.label): r for r in t06.rows if r.code}
    for section in a.report.sections:
        for sent in sentences(section):
            for m in _COMPOSITION.finditer(normalise(sent.text)):
                for raw in _ITEM_SPLIT.split(m.group(2)):
                    name = normalize_name(raw.strip("等其他 "))
                    row = by_name.get(name)
                    if row is None or any(c.value is not None for c in row.cells.values()):
                        continue
                    yield _hit(
                        section.number,
                        sent.text,
                        raw.strip(),
                        f"{m.group(1)}所列“{raw.strip()}”在公开06表中未列数（{row.code} {row.label}"
                        "为空白）",
                        sent.source,
                    )


# "2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。主要用于：…基本支出"
_PURPOSE = re.compile(r"主要用于[:：]([^。]+)")


def check_purpose(a: Audit) -> Iterator[Hit]:
    """Each 项's purpose text: a purpose that says 基本支出 (or 项目支出) where table 05 books
    the 项 wholly in the other column; and the same purpose text printed for two different
    items (copied from the item before)."""
    t05 = a.report.table(TableId.T05)
    for section in a.report.sections:
        seen: dict[str, str] = {}  # purpose → the item it was first printed for
        for sent in sentences(section):
            if not sent.item:
                continue
            m = _PURPOSE.search(normalise(sent.text))
            if m is None:
                continue
            purpose = normalize_name(m.group(1))
            item = sent.item
            first = seen.setdefault(purpose, item)
            if first != item and len(purpose) >= 6 and _other_section(first, item):
                yield _hit(
                    section.number,
                    sent.text,
                    m.group(1),
                    f"“{_leaf(item)}”的用途说明与“{_leaf(first)}”完全相同，疑为照抄",
                    sent.source,
                )
            row = _row_for(a, item)
            if row is None or not t05.rows:
                continue
            basic, project = row.value("基本支出"), row.value("项目支出")
            says_basic = "基本支出" in purpose and "项目" not in purpose
            says_project = "项目支出" in purpose and "基本" not in purpose
            if says_basic and not basic and project:
                yield _hit(
                    section.number,
                    sent.text,
                    m.group(1),
                    f"用途写作基本支出，而公开05表 {row.code} {row.label} 全部为项目支出",
                    sent.source,
                )
            elif says_project and not project and basic:
                yield _hit(
                    section.number,
                    sent.text,
                    m.group(1),
                    f"用途写作项目支出，而公开05表 {row.code} {row.label} 全部为基本支出",
                    sent.source,
                )


def _other_section(first: str, second: str) -> bool:
    """Two items of different 类 or 款 (items of one 款, 行政单位离退休 and 其他…养老支出, may
    well serve the same purpose)."""
    a, b = item_chain(first), item_chain(second)
    return a is not None and b is not None and a[:2] != b[:2]


def _leaf(item: str) -> str:
    parts = [p for p in re.split(r"[（(](?:类|款|项)[）)]", item) if p]
    return parts[-1] if parts else item


def _row_for(a: Audit, item: str) -> Row | None:
    return item_row(item, a.report, a.codes)


# "〔2101001〕食品和药品监督管理事务—一般行政管理事务", "（科目编码：2210202）"
_CODED = re.compile(
    r"[〔\[【(（](?:科目编码[:：]?)?\s*(\d{7})\s*[〕\]】)）]\s*([^\d，,。；;：:（(]{2,40})"
)


def check_code_name(a: Audit) -> Iterator[Hit]:
    """A 项 code printed beside a name that is another 项's of the same 款 (行政运行 is xx01,
    一般行政管理事务 xx02 in every 款): the code and the name disagree."""
    for section in a.report.sections:
        for sent in sentences(section):
            for m in _CODED.finditer(normalise(sent.text)):
                code, words = m.group(1), m.group(2)
                leaf = normalize_name(re.split(r"[—\-–]", words)[-1])
                leaf = re.sub(r"(?:支出|拨款支出|财政拨款支出)$", "", leaf)
                names = {normalize_name(e.name) for e in a.codes.function.names(code)}
                standard = {normalize_name(v): k for k, v in standard_items().items()}
                if not names and code[5:] in standard_items():
                    names = {normalize_name(standard_items()[code[5:]])}
                if not names or any(leaf.startswith(n) or n.startswith(leaf) for n in names):
                    continue
                sibling = next(
                    (
                        e.code
                        for e in a.codes.function.by_name(leaf, None)
                        if len(e.code) == 7 and e.code[:5] == code[:5] and e.code != code
                    ),
                    None,
                )
                if sibling is None and leaf in standard and standard[leaf] != code[5:]:
                    sibling = code[:5] + standard[leaf]
                if sibling is None:
                    continue
                official = sorted(names)[0]
                yield _hit(
                    section.number,
                    sent.text,
                    m.group(0).strip(),
                    f"科目编码 {code} 是“{official}”，所写名称“{leaf}”是 {sibling}",
                    sent.source,
                )
