"""The wording of stated figures and template residue (模板残留): what the figure checks cannot
see because the words around a figure, not its value, are wrong.

- a figure printed without its unit: a rate without % ("增长 13.95。"), an amount without 万元
  ("财政拨款支出10.02，"), 万 for 万元 ("0.39 万（含…0.00 万元）");
- both alternatives of a template left in ("下降（增长）27.78%") and contradictory direction
  words before one figure ("同比增长减少47.43%");
- unfilled placeholders ("结余分配/万元") and template instructions (填报说明) printed in the
  document ("无…的，仍保留该表格式，并在本表下方作下述说明"), table notes included;
- a composition listed for an amount of 0.00, or naming items the 情况说明 itself states as 0.00;
- a heading that names another unit than the report's (a higher level's bureau);
- a section-level heading run into the text of another section;
- typos that the document itself proves (a doubled mark "，。", a confused word whose right form
  the document prints elsewhere).

The vocabulary (instruction phrases, unit name endings, the typo lexicon) is data:
``model/data/wording.toml``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from juesuan.model.codes import normalize_name
from juesuan.model.report import NarrativeSection
from juesuan.model.source import Source
from juesuan.narrative.audit import ZERO, Audit, Hit
from juesuan.narrative.claims import Claim, ClaimKind, Sentence, normalise, sentences
from juesuan.rules.finding import Severity

# --- the vocabulary -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Typo:
    """A word a producer typed for another, when it changes the meaning (反应 for 反映)."""

    wrong: str
    right: str
    why: str
    after: re.Pattern[str] | None = None  # what must follow the wrong word, when given


@dataclass(frozen=True, slots=True)
class Vocabulary:
    instructions: tuple[re.Pattern[str], ...]
    unit_endings: tuple[str, ...]
    region_endings: tuple[str, ...]
    typos: tuple[Typo, ...]


def parse_vocabulary(doc: dict[str, Any]) -> Vocabulary:
    """The vocabulary from the parsed TOML (a user's file has the same form)."""
    typos = tuple(
        Typo(
            str(t["wrong"]),
            str(t["right"]),
            str(t.get("why", "")),
            re.compile(str(t["after"])) if t.get("after") else None,
        )
        for t in doc.get("typo", [])
    )

    def longest_first(key: str) -> tuple[str, ...]:
        return tuple(sorted((str(w) for w in doc.get(key, [])), key=len, reverse=True))

    return Vocabulary(
        tuple(re.compile(str(p)) for p in doc.get("instructions", [])),
        longest_first("unit_endings"),
        longest_first("region_endings"),
        typos,
    )


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once)."""
    text = (resources.files("juesuan.model") / "data" / "wording.toml").read_text(encoding="utf-8")
    return parse_vocabulary(tomllib.loads(text))


# --- the texts checked ----------------------------------------------------------------------


def _others(a: Audit) -> list[NarrativeSection]:
    """The parts besides the 情况说明 (which the sections repeat) and the table part."""
    return [p for p in a.report.parts if "情况说明" not in p.title and "决算表" not in p.title]


def _narrative(a: Audit) -> Iterator[Sentence]:
    for section in a.report.sections:
        yield from sentences(section)


def _sentence_hit(
    sent: Sentence, severity: Severity | None = None, quote: str | None = None, **fields: str
) -> Hit:
    quote = quote or sent.text
    base = {"section": sent.section, "sentence": quote}
    return Hit(sent.section, quote, {**base, **fields}, sent.source, severity)


def _at(sent: Sentence, m: re.Match[str], group: int | str = 0) -> str:
    """A match in the normalised text, as printed (normalising maps one character to one)."""
    return sent.text[m.start(group) : m.end(group)]


# --- a figure without its unit --------------------------------------------------------------

# A number as printed (thousands separators, a space inside "66. 85"), not part of a longer one.
_NUM = r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\s?\.\s?\d+)?)"
# The number ends its clause: no unit follows ("13.95。", "10.02，"); a list "8.98、8.98万元"
# shares the unit printed after its last member.
_END = r"(?=\s*(?:[，。；,;）)]|、(?!\s*\d)|$))"
# A direction word and a bare number: a rate when it follows a change ("增加 1193.20 万元，
# 增长 13.95。", "减少100万元，减少 9.52，").
_BARE_RATE = re.compile(rf"(?:增长|下降|上升|降低|提高|增加|减少)(?:了|为|幅度为?)?\s*{_NUM}{_END}")
# An amount is named by a money word right before it; a decimal point tells money from counts,
# codes and years, which never have one.
_MONEY_WORDS = "支出|收入|经费|拨款|费用|费|决算数|决算|预算数|预算|金额|合计|总计|结余|结转|资金"
_BARE_AMOUNT = re.compile(
    rf"(?:{_MONEY_WORDS})(?:为|是|共|达到?|计|约)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+\.\d+|\d+\s?\.\s?\d+)(?![\d.])" + _END
)
_MONEY_UNITS = ("元", "万元", "亿元")
# "0.39万（含…）": 万 where 万元 is meant, not 万人 / 万户 / 万（人次）.
_COUNTED = "人|次|户|个|辆|件|台|套|册|份|张|名|元"
_WAN = re.compile(rf"{_NUM}\s*万(?=\s*(?:[，。；,;：:）)]|[（(](?!\s*(?:{_COUNTED}))|$))")


def check_figure_unit(a: Audit) -> Iterator[Hit]:
    """A stated figure printed without its unit. A number right after a change in 万元
    ("增加 1193.20 万元，增长 13.95。") is its rate printed without % (the rule
    "missing_percent"); an amount without 万元, or with 万 for 万元, in a sentence whose other
    amounts carry 万元 is a warning (the value is readable, its unit is not printed)."""
    claims = a.by_sentence()
    for sent in _narrative(a):
        text = normalise(sent.text)
        mine = claims.get((sent.section, sent.text), [])
        units = [c.unit for c in mine if c.unit in _MONEY_UNITS]
        if not units:
            continue  # nothing tells what unit the sentence's figures are in
        unit = max(set(units), key=units.count)
        flagged: set[int] = set()
        for m in _BARE_RATE.finditer(text):
            flagged.add(m.start("num"))
            if any(
                _just_before(text, c.end, m.start()) for c in mine if c.kind is ClaimKind.CHANGE
            ):
                yield _sentence_hit(
                    sent,
                    stated=_at(sent, m),
                    expected=f"{_at(sent, m, 'num')}%",
                    problem=f"增减幅度“{_at(sent, m, 'num')}”未标“%”",
                    rule="missing_percent",
                )
            elif m.group(0)[:2] not in ("增加", "减少") or "." in m.group("num"):
                yield _sentence_hit(
                    sent, stated=_at(sent, m), problem=f"“{_at(sent, m, 'num')}”未标单位"
                )
        for m in _BARE_AMOUNT.finditer(text):
            if m.start("num") not in flagged:
                flagged.add(m.start("num"))
                yield _sentence_hit(
                    sent,
                    stated=_at(sent, m),
                    problem=f"金额“{_at(sent, m, 'num')}”未标单位，而本句其他金额以“{unit}”列示",
                )
        wan = [_at(sent, m).strip() for m in _WAN.finditer(text)]
        if (
            wan and "万元" in units
        ):  # one finding for the sentence: a producer who writes 万 writes it throughout
            yield _sentence_hit(
                sent,
                stated="、".join(wan),
                expected="万元",
                problem="单位写作“万”，应为“万元”" + (f"（{len(wan)} 处）" if len(wan) > 1 else ""),
            )


def _just_before(text: str, end: int, start: int) -> bool:
    """Does a figure ending at ``end`` stand in the clause right before ``start``?"""
    return 0 <= start - end <= 3 and bool(re.fullmatch(r"\s*[，,；;]?\s*", text[end:start]))


# --- template residue -----------------------------------------------------------------------

_UP = ("增加", "增长", "上升", "提高")
_DOWN = ("减少", "下降", "降低")
_FLAT = ("持平",)
_DIR = "|".join((*_UP, *_DOWN, *_FLAT))
# Both alternatives of a template: "下降（增长）", "增加/减少 0.15 万元".
_ALTERNATIVES = re.compile(
    rf"(?P<a>{_DIR})\s*(?:[（(]\s*(?P<b>{_DIR})\s*[）)]|[/／]\s*(?P<c>{_DIR})(?=\s*\d))"
)
# Two opposite direction words before one figure: "增长减少47.43%", "增加减少1.41万元".
_CONTRADICTION = re.compile(rf"(?P<a>{_DIR})\s*(?P<b>{_DIR})(?=\s*(?:了|为)?\s*\d)")
# A "/" where the figure of "…/万元" should be (a placeholder left unfilled); not a ratio unit
# such as "（人/万元）".
_SLASH = re.compile(r"(?<=[\u4e00-\u9fff])[/／](?=\s*万元)")
_RATIO_UNIT = re.compile(r"[（(][\u4e00-\u9fff]{1,3}$")
_FIGURE_AFTER = re.compile(r"\s*(?:了|为)?\s*(\d+(?:\.\d+)?)")


def _nonzero_after(text: str, at: int) -> bool:
    m = _FIGURE_AFTER.match(text, at)
    return m is not None and float(m.group(1)) != 0


def _sense(word: str) -> int:
    return 1 if word in _UP else -1 if word in _DOWN else 0


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_residue(a: Audit) -> Iterator[Hit]:
    """Template residue: both alternatives of a template kept ("下降（增长）"), two opposite
    direction words before one figure (the rule "direction"), a "/" for a figure (the rule
    "placeholder", a warning: "/" can also mean 不适用), and template instructions printed in
    the text, the parts or the table notes."""
    by_sentence = a.by_sentence()
    for sent in (*_narrative(a), *(s for p in _others(a) for s in sentences(p))):
        text = normalise(sent.text)
        both = [
            m
            for m in _ALTERNATIVES.finditer(text)
            if _sense(m.group("a")) != _sense(m.group("b") or m.group("c"))
        ]
        if both:
            # before a figure that is not 0 the document states one direction twice, and one of
            # them is wrong; before 0 or before no figure nothing stated is wrong, only unedited
            wrong = any(_nonzero_after(text, m.end()) for m in both)
            yield _sentence_hit(
                sent,
                None if wrong else Severity.WARNING,
                stated="、".join(dict.fromkeys(_at(sent, m) for m in both)),
                problem="模板的两种写法同时保留，未删去不适用的一种",
            )
        claims = by_sentence.get((sent.section, sent.text), [])
        for m in _CONTRADICTION.finditer(text):
            if _sense(m.group("a")) != _sense(m.group("b")) and not _reported(m, claims):
                yield _sentence_hit(
                    sent,
                    stated=_at(sent, m),
                    problem=f"同一数字前并列相反的方向词“{m.group('a')}”与“{m.group('b')}”",
                    rule="direction",
                )
        slashes = [m for m in _SLASH.finditer(text) if not _RATIO_UNIT.search(text[: m.start()])]
        if slashes:  # one finding for the sentence, however many "/" it has
            yield _sentence_hit(sent, Severity.WARNING, stated="/万元", rule="placeholder")
    # Instructions stand under the tables as often as in the text: the table part and the
    # tables' notes are read too (the 情况说明 part only where no sections repeat it), and a
    # line printed both in a part and in a note is reported once.
    seen: list[str] = []
    parts = [p for p in a.report.parts if not (a.report.sections and "情况说明" in p.title)]
    for sent in (*_narrative(a), *(s for p in parts for s in sentences(p))):
        yield from _instructions(sent, seen)
    for tid, table in sorted(a.report.tables.items()):
        for line in re.split(r"(?<=[。])|\n", table.note or ""):
            if line.strip():
                sent = Sentence(line.strip(), f"公开{tid.value}表", None, None, table.source)
                yield from _instructions(sent, seen)


# A fill-in marker set off in 【】 ("【请填写原因】", as ``juesuan build`` leaves where the source
# gives no reason): a visible gap in a draft, not words passed off as the report's own.
_MARKER = re.compile(r"【[^【】]{0,20}】")


def _reported(m: re.Match[str], claims: list[Claim]) -> bool:
    """Does N.change already report these words? A rate is read with the last direction word
    before it, and a rate whose direction differs from the change stated before it is reported
    there ("减少 0.15 万元，减少增加 27.78%"); one finding for the sentence is enough."""
    figure = next((c for c in claims if c.start >= m.end()), None)
    if figure is None or figure.kind is not ClaimKind.RATE:
        return False
    change = next(
        (c for c in reversed(claims) if c.kind is ClaimKind.CHANGE and c.start < figure.start),
        None,
    )
    return change is not None and _sense(change.direction or "") * _sense(m.group("b")) == -1


def _instructions(sent: Sentence, seen: list[str]) -> Iterator[Hit]:
    text = _compact(normalise(sent.text))
    if not text or any(text in earlier or earlier in text for earlier in seen):
        return  # the same lines read from a part and from a note, or from a section and a part
    found: list[tuple[str, bool]] = []
    for pattern in vocabulary().instructions:
        for m in pattern.finditer(text):
            marked = any(k.start() <= m.start() < k.end() for k in _MARKER.finditer(text))
            found.append((m.group(0), marked))
    if not found:
        return
    seen.append(text)
    marked = all(k for _, k in found)
    yield _sentence_hit(
        sent,
        Severity.WARNING if marked else None,
        stated="、".join(dict.fromkeys(f"“{f}”" for f, _ in found)),
        problem=("待填写的标记未填写" if marked else "模板的填报说明印在了公开文本中"),
    )


# --- a composition listed for nothing -------------------------------------------------------

_LIST = re.compile(
    r"(?P<amount>(?P<num>\d+(?:\.\d+)?)\s*万?元)\s*[，,]?\s*(?:主要)?(?:包括|包含)[：:]?"
    r"(?P<items>[^。；;0-9]+)"
)


def _item_key(name: str) -> str:
    """An item name as lists and statements of it are compared: 因公出国（境）费用 and
    因公出国（境）费 are one item."""
    key = normalize_name(re.sub(r"^[（(][一二三四五六七八九十]+[）)]|[“”\"]", "", name))
    return re.sub(r"(?:支出|经费|费用)$", "费", key).removesuffix("费") or key


def check_zero_list(a: Audit) -> Iterator[Hit]:
    """A composition ("主要包括：基本工资、津贴补贴…") listed for an amount of 0.00, or naming
    items that the 情况说明 itself states as 0.00: the template's full list was kept."""
    zeros: dict[str, str] = {}
    for c in a.claims:
        if c.kind is ClaimKind.AMOUNT and c.value == ZERO and len(c.subject) >= 3:
            zeros.setdefault(_item_key(c.subject), f"{c.subject}{c.text}")
    for sent in _narrative(a):
        text = normalise(sent.text)
        for m in _LIST.finditer(text):
            items = [i.strip() for i in re.split(r"[、，,]", m.group("items")) if i.strip()]
            if len(items) < 3:
                continue
            stated = text[: m.end("amount")].rsplit("，", 1)[-1]
            if float(m.group("num")) == 0:
                yield _sentence_hit(
                    sent,
                    stated=stated,
                    problem="金额为 0，却列出了其构成（模板文字未删）",
                )
                continue
            named = [zeros[k] for i in items if (k := _item_key(i)) in zeros]
            if named:
                yield _sentence_hit(
                    sent,
                    stated=stated,
                    problem=(
                        "所列构成包括情况说明中为 0 的项目（"
                        + "；".join(named)
                        + "），疑为模板的完整清单"
                    ),
                )


# --- the unit named in a heading ------------------------------------------------------------

_PART = r"(?:第[一二三四五六七八九十]+部分)?"
_WHAT = r"(?:[\u4e00-\u9fff“”\"、]{0,24}?)决算(?:总表|表|情况说明|说明|报告|公开)?"
_NAME_FIRST = re.compile(rf"^{_PART}(?P<name>[\u4e00-\u9fff（）()]{{4,40}}?)\d{{4}}年度?{_WHAT}$")
_YEAR_FIRST = re.compile(
    rf"^{_PART}\d{{4}}年度?(?P<name>[\u4e00-\u9fff（）()]{{4,40}}?)(?:部门|单位)?决算"
    r"(?:总表|表|情况说明|说明|报告|公开)?$"
)


def _fold(name: str) -> str:
    """A unit name as names are compared: no spaces or 汇总 marks, 与 and 和 alike."""
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"\s+|[(（]\s*(?:汇总|本级)\s*[)）]|汇总$", "", name)
    return name.replace("与", "和").replace("(", "（").replace(")", "）")


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def other_unit(name: str, unit: str, consolidated: bool = False) -> bool:
    """Does ``name`` (a heading's) name another unit than ``unit`` (the report's)? A
    shortening is the same unit: words dropped from the start (普陀区规划和自然资源局) or an
    organ dropped from the middle (平潭综合实验区台湾工作部 for …党工委管委会台湾工作部). A name
    that keeps a higher level and drops a lower one between (上海市规划和自然资源局 for
    上海市普陀区规划和自然资源局) names the higher level's unit, and a name that is no
    shortening at all names some other unit, except in a 汇总 report, whose member units
    have headings of their own."""
    n, u = _fold(name), _fold(unit)
    vocab = vocabulary()
    if len(n) < 4 or not n.endswith(vocab.unit_endings):
        return False  # not a unit's name ("本部门", a title's words)
    if n in u or u in n:
        return False
    if not _subsequence(n, u):
        return not consolidated and not _subsequence(u, n)
    prefix = 0
    while prefix < len(n) and n[prefix] == u[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(n) - prefix and n[-1 - suffix] == u[-1 - suffix]:
        suffix += 1
    if prefix == 0 or prefix + suffix != len(n):
        return False
    dropped = u[prefix : len(u) - suffix]
    return dropped.endswith(vocab.region_endings)


def _headings(a: Audit) -> Iterator[tuple[str, str, Source | None]]:
    """(where, heading line, source) for every line that could be a heading."""
    for tid, table in sorted(a.report.tables.items()):
        if table.title:
            yield f"公开{tid.value}表", table.title, table.source
    for s in (*a.report.parts, *a.report.sections):
        yield s.number, s.title, s.source
        sources = s.line_sources or (None,) * len(s.text.split("\n"))
        for line, source in zip(s.text.split("\n"), sources, strict=False):
            if line.strip():
                yield s.number, line.strip(), source or s.source


def check_unit_name(a: Audit) -> Iterator[Hit]:
    """A heading or title ("上海市规划和自然资源局 2024 年度部门决算表") that names another unit
    than the report's (上海市普陀区规划和自然资源局): a template copied from another unit."""
    unit = a.report.unit_name
    if not unit:
        return
    consolidated = "汇总" in unit
    seen: set[str] = set()
    for where, line, source in _headings(a):
        compact = _compact(normalise(line))
        m = _NAME_FIRST.match(compact) or _YEAR_FIRST.match(compact)
        if m is None or compact in seen or not other_unit(m.group("name"), unit, consolidated):
            continue
        seen.add(compact)
        yield Hit(
            where,
            line,
            {"section": where, "sentence": line, "stated": m.group("name"), "expected": unit},
            source,
        )


# --- a heading run into the text ------------------------------------------------------------

_RUN_IN = re.compile(r"。\s*(?P<heading>[一二三四五六七八九十]{1,3}、)")
_TITLE = re.compile(r"[^\d，,。；;：:]{2,20}。")


def check_stray_heading(a: Audit) -> Iterator[Hit]:
    """A section-level heading ("三、服务对象满意度情况。") printed inside the running text of
    another section, after a full stop on the same printed line. Only where the text keeps its
    lines: a crawled page flattened onto one line runs every heading into the text."""
    for section in a.report.sections:
        lines = [ln.strip() for ln in section.text.split("\n") if ln.strip()]
        if len(lines) < 3:
            continue
        joined = "".join(lines)
        offset = 0
        for line in lines:
            for m in _RUN_IN.finditer(line):
                at = offset + m.start("heading")
                title = _TITLE.match(joined, at + len(m.group("heading")))
                if title is None:
                    continue
                heading = joined[at : title.end()]
                following = joined[title.end() :].split("。", 1)[0]
                quote = heading + (following + "。" if following else "")
                yield Hit(
                    section.number,
                    quote,
                    {"section": section.number, "sentence": quote, "stated": heading.rstrip("。")},
                    section.source,
                )
            offset += len(line)


# --- typos the document proves --------------------------------------------------------------

# A clause mark before a full stop: "增加144.81%，。" (doubled commas are left alone: a form's
# empty cells print them in the text layer).
_PUNCT = re.compile(r"[，,、；;]\s*。")


def _document_text(a: Audit) -> str:
    notes = [t.note or "" for t in a.report.tables.values()]
    texts = [s.text for s in (*a.report.sections, *a.report.parts)]
    return _compact(normalise("".join((*texts, *notes)).replace("\n", "")))


def check_typo(a: Audit) -> Iterator[Hit]:
    """Typos that the document itself proves: a doubled punctuation mark, and a confused word
    of the lexicon whose right form the document prints after the same character elsewhere
    ("本报表反应" where it prints "本表反映"; "全科医院300人次" where it prints "全科医生")."""
    vocab = vocabulary()
    whole: str | None = None
    for sent in _narrative(a):
        text = normalise(sent.text)
        for m in _PUNCT.finditer(text):
            yield _sentence_hit(
                sent, quote=_clause(sent.text, m.start()), stated=_at(sent, m), problem="标点重复"
            )
        for typo in vocab.typos:
            for m in re.finditer(re.escape(typo.wrong), text):
                if m.start() == 0:
                    continue
                if typo.after is not None and not typo.after.match(text, m.end()):
                    continue
                if whole is None:
                    whole = _document_text(a)
                if text[m.start() - 1] + typo.right not in whole:
                    continue  # the document does not prove which word was meant
                shown = sent.text[max(0, m.start() - 2) : m.start()]
                yield _sentence_hit(
                    sent,
                    quote=_clause(sent.text, m.start()),
                    stated=shown + typo.wrong,
                    problem=f"疑为“{shown}{typo.right}”之误：{typo.why}",
                )


def _clause(printed: str, at: int) -> str:
    """The clause around ``at`` as printed (a typo is quoted where it stands, not with its
    sentence), with the marks that end it."""
    text = normalise(printed)  # one-to-one: offsets in it are offsets in the printed text
    start = max(text.rfind(mark, 0, at) for mark in "，,；;。：:") + 1
    end = len(text)
    for i in range(at, len(text)):
        if text[i] in "，,；;。" and i > at:
            end = i + 1
            while end < len(text) and text[end] in "，,；;。":
                end += 1
            break
    return printed[start:end].strip()
