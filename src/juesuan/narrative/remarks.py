"""Checks of what the text says around its figures: a misclassification the report itself
discloses, a reason given for a change the text never states, one rate given 分别 for two
items, "增长100%" with nothing to compute it from, and one last-year figure stated for two
different quantities. All are warnings: each may have a benign reading, none should pass
unremarked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from juesuan.model.source import Source
from juesuan.narrative.audit import Audit, Hit, hit
from juesuan.narrative.claims import ClaimKind, normalise, sentences
from juesuan.rules.finding import Severity

_WS = re.compile(r"\s+")

# The report says a figure is booked under the wrong classification (西安 2022 五.1).
_DISCLOSED = re.compile(
    r"科目使用错误|使用科目错误|科目(?:使用|列支|填列)(?:有误|错误|不当)|错误(?:使用|列支)[^。]{0,12}科目"
    r"|实际应(?:当)?使用[^。]{2,40}[（(]项[）)]"
)
# "决算数较上年增加的主要原因是…": a reason for a change against last year
_REASON = re.compile(r"较上年(?:度)?(?:决算数?)?(增加|减少|增长|下降|上升)的?主要原因")
_LAST_YEAR = re.compile(r"上年|上一年|去年|同比|\d{4}\s*年(?:度)?(?:决算)?(?:数)?(?:相比)?")
# "公务用车购置费和运行费分别下降5.53 %" followed by no second rate
_RESPECTIVE = re.compile(
    r"([^，,。；;]{2,30}?)(?:和|与|及|、)([^，,。；;]{2,20}?)分别"
    r"(?:增加|减少|增长|下降|上升|降低)\s*(\d+(?:\s?\.\s?\d+)?)\s*%(?!\s*[、和]\s*\d)"
)


def _text_hit(section: str, sentence: str, stated: str, problem: str, source: Source | None) -> Hit:
    fields = {"section": section, "sentence": sentence, "stated": stated, "problem": problem}
    return Hit(section, sentence, fields, source)


def check_disclosed(a: Audit) -> Iterator[Hit]:
    """A misclassification the report itself admits: the tables carry figures under a
    classification the report says is wrong."""
    for section in a.report.sections:
        for sent in sentences(section):
            text = _WS.sub("", normalise(sent.text))
            m = _DISCLOSED.search(text)
            if m:
                yield _text_hit(
                    section.number,
                    sent.text,
                    m.group(0),
                    "报告自述支出功能科目使用错误，公开表中的相应数字列在错误的科目下，应予更正",
                    sent.source,
                )


def check_reason_only(a: Audit) -> Iterator[Hit]:
    """A reason for an increase or decrease against last year where the text of that
    (sub)section states neither last year's figure nor the change."""
    by_sentence = a.by_sentence()
    for section in a.report.sections:
        listed = list(sentences(section))
        for sent in listed:
            text = normalise(sent.text)
            m = _REASON.search(text)
            if m is None:
                continue
            around = [s for s in listed if s.subsection == sent.subsection and s.item == sent.item]
            stated = False
            for s in around:
                for c in by_sentence.get((section.number, s.text), []):
                    if c.kind not in (ClaimKind.CHANGE, ClaimKind.RATE, ClaimKind.AMOUNT):
                        continue
                    before = normalise(s.text)[max(0, c.start - 24) : c.start]
                    if _LAST_YEAR.search(before) and "预算" not in before[-8:]:
                        stated = True
                        break
                if stated:
                    break
            if not stated:
                yield _text_hit(
                    section.number,
                    sent.text,
                    m.group(0),
                    f"说明了较上年{m.group(1)}的原因，但未列示上年数及增减额",
                    sent.source,
                )


def check_respective(a: Audit) -> Iterator[Hit]:
    """ "A和B分别下降 5.53%": one rate for two items (two items seldom change by the same
    rate; and an item that was 0 cannot change by a rate at all)."""
    for section in a.report.sections:
        for sent in sentences(section):
            for m in _RESPECTIVE.finditer(normalise(sent.text)):
                yield _text_hit(
                    section.number,
                    sent.text,
                    f"分别{m.group(3)}%",
                    f"“{m.group(1).strip()}”和“{m.group(2).strip()}”“分别”只列了一个增减率，"
                    "应分别列示（为 0 的项目不应有增减率）",
                    sent.source,
                )


def check_hundred(a: Audit) -> Iterator[Hit]:
    """ "增长100%" with no change and no last-year figure stated: the usual sign of a rate put
    on a zero base (undefined), or of a doubling the text does not show."""
    for (_section, _sentence), claims in a.by_sentence().items():
        changes = [c for c in claims if c.kind is ClaimKind.CHANGE]
        for rate in (c for c in claims if c.kind is ClaimKind.RATE):
            if rate.value != 100 or rate.direction not in ("增长", "上升", "增加"):
                continue
            if any(c.start < rate.start for c in changes):
                continue  # checked with its change (N.change / N.zero_base)
            yield hit(
                rate,
                Severity.WARNING,
                problem="未列示上年数和增减额；增长 100% 多为上年数为 0（此时增长率无意义）",
            )


_PRIOR = re.compile(
    r"(?:比|较|与)\s*(?:\d{4}\s*年度?|上年度?)\s*(?:决算数?|决算金额|数)?\s*(?:为)?\s*$"
)


def check_same_base(a: Audit) -> Iterator[Hit]:
    """One last-year figure stated for two different quantities of a section (本年收入 and
    本年支出 both "比2014年决算数5386.23万元增加…"): one of them is likely copied."""
    for section in a.report.sections:
        seen: dict[str, tuple[str, str]] = {}  # last-year value → (what it was for, sentence)
        for (number, sentence), claims in a.by_sentence().items():
            if number != section.number:
                continue
            text = normalise(sentence)
            amounts = [c for c in claims if c.kind is ClaimKind.AMOUNT]
            for i, c in enumerate(amounts):
                if i == 0 or not _PRIOR.search(text[max(0, c.start - 16) : c.start]):
                    continue
                of = amounts[i - 1].subject
                kind = "收入" if "收入" in of else "支出" if "支出" in of else None
                if kind is None:
                    continue
                key = format(c.value, "f")
                earlier = seen.setdefault(key, (kind, sentence))
                if earlier[0] != kind:
                    yield hit(
                        c,
                        problem=f"上年{kind}与上年{earlier[0]}列为同一数 {c.text}，疑为照抄",
                    )
