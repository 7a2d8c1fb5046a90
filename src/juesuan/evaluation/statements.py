"""The figures the 绩效 text states: 自评综述 ("全年预算数614万元，执行数514.2万元，完成预算的
83.75%"), prose evaluations ("自评得分 99 分", "执行率为 95%", "产出指标（40 分）… 质量指标为…，
已完成，自评得分 20 分"), a 财政 evaluation's "预算6,000万元，实际支出5,974万元，预算执行率99.57%"
and "项目综合评分92.25分，评价级次为优".

Each figure becomes a :class:`Statement` naming the project its sentence (or the heading above
it) names. Only 绩效 text is read: the 情况说明 section and the parts about 绩效, or the whole of a
document that is itself a 绩效 evaluation; a 决算 sentence "完成年初预算的 100.00%" is the
narrative audit's, not this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from juesuan.evaluation.model import Statement, StatementKind
from juesuan.evaluation.names import is_whole, name_core
from juesuan.model.amount import parse_amount
from juesuan.model.report import NarrativeSection
from juesuan.narrative.claims import Sentence, normalise, sentences

# "54.西安市第三医院二期扩建项目绩效自评综述：…": a numbered 自评综述 (the narrative audit's
# N.project compares it with its own form; see narrative/tallies.py)
SUMMARY = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(?P<name>.+?)(?:绩效)?自评(?:综述|情况)\s*[:：]")

_UNITS = r"万张|张|万人次|人次|万人|人|万户|户|个|家|所|件|次|项|%|万元|万"
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_PATTERNS: tuple[tuple[StatementKind, re.Pattern[str]], ...] = (
    (
        StatementKind.WEIGHT,
        re.compile(rf"(?P<subj>[\u4e00-\u9fff]{{2,10}}指标)\s*[（(]\s*{_NUM}\s*分\s*[)）]"),
    ),
    (
        StatementKind.SCORE,
        re.compile(
            rf"(?P<subj>(?:自评|评价|综合|绩效|考核)?(?:得分|评分|总分))(?:为|是|达到|共|：|:)?\s*{_NUM}"
            r"\s*分?(?![\d%％.])"
        ),
    ),
    (
        StatementKind.RATE,
        re.compile(
            rf"(?P<subj>(?:预算)?执行率|完成(?:全年)?预算(?:数)?(?:的)?)(?:为|是|达到|约为|：|:)?\s*{_NUM}"
            r"\s*%"
        ),
    ),
    (
        StatementKind.BUDGET,
        re.compile(
            rf"(?P<subj>全年预算数|预算批复金额|批复金额|预算到位|合计安排|预算数|预算)(?:金额|资金)?"
            rf"(?:为|是|共|总额)?\s*{_NUM}\s*万元"
        ),
    ),
    (
        StatementKind.ACTUAL,
        re.compile(
            rf"(?P<subj>执行数|实际支出|实际执行|执行金额|支出数)(?:为|是|共)?\s*{_NUM}\s*万元"
        ),
    ),
    (
        StatementKind.TARGET,
        re.compile(
            rf"(?P<subj>目标任务数|目标值|指标值|目标数|任务数|(?:支出|成本|费用)(?=不超过|不高于|控制在))"
            rf"(?:为|是|：|:)?\s*(?P<op>不少于|不低于|不超过|不高于|控制在|≥|≤|>=|<=)?\s*{_NUM}\s*"
            rf"(?P<unit>{_UNITS})"
        ),
    ),
    (
        StatementKind.ACHIEVED,
        re.compile(
            rf"(?P<subj>签发|发放|实际完成|完成|实现|达到)(?:了)?\s*{_NUM}\s*(?P<unit>{_UNITS})"
        ),
    ),
    (
        StatementKind.GRADE,
        re.compile(
            r"(?P<subj>(?:评价|自评|综合评价|绩效)?(?:等级|级次)|评价结果)(?:为|是|评定为|：|:)?\s*"
            r"[“\"「]?(?P<grade>优秀|良好|优|良|中|差|不合格|合格|[A-D])(?![A-Za-z])"
        ),
    ),
)
# a sentence or line that names the project the text below is about
_HEADING = re.compile(
    r"^(?:\d{1,3}\s*[.．、]|[（(]?[一二三四五六七八九十]+[)）、]\s*)?(?P<name>.{4,50}?项目)"
    r"(?:[^，,。；]{0,6}(?:自评结果|绩效评价报告|自评报告|绩效自评))?[。.]?$"
)
# the indicator a score belongs to: "质量指标为…，已完成，自评得分 20 分"
_INDICATOR = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,10}?指标)(?:为|是|：|:)")
_PERFORMANCE_WORDS = ("绩效", "自评", "评价")
# clause breaks (a comma inside "4,974" is none)
_CUT = re.compile(r"[，。；;：:]|,(?!\d{3})")
# what a project's name ends with, when it is not said right before its figure
_NAME_END = re.compile(r"(?:项目|资金|经费|费|工程|补助|补贴|整体|支出|建设|购置|设备)$")
# a printed line that is a heading (no sentence punctuation): text after it is not named by it
_HEADING_LINE = re.compile(r"^[^，,。；;：:]{1,24}$")


@dataclass
class _Context:
    project: str = ""
    group: str = ""


def _cuts(sent: Sentence) -> list[int]:
    """Offsets in a sentence where a line starts after a heading line ("1、执行率情况" then
    "2022 年度…执行率为 95%"): a name is not looked for across them."""
    starts = [st for st, _src in sent.lines] + [len(sent.text)]
    out = []
    for a, b in pairwise(starts):
        line = sent.text[a:b].strip()
        if (
            b < len(sent.text)
            and _HEADING_LINE.match(line)
            and not re.search(r"\d+\s*(?:万元|%)", line)
        ):
            out.append(b)
    return out


def _named(part: str, *, own: bool) -> str:
    """The project a clause names ("" when none): its own clause is taken as it is, another
    clause only when it ends as a project's name does."""
    core = name_core(part)
    if len(core) < 4:
        return ""
    if is_whole(core):
        return "整体"
    return core if own or _NAME_END.search(core) else ""


def _statements(sent: Sentence, section: str, ctx: _Context) -> Iterator[Statement]:
    text = normalise(sent.text)
    summary = SUMMARY.match(text)
    if summary:
        ctx.project, ctx.group = name_core(summary.group("name")), ""
    elif (h := _HEADING.match(text.strip())) and not re.search(r"\d+(?:\.\d+)?\s*[%万分]", text):
        ctx.project, ctx.group = name_core(h.group("name")), ""
        return
    found: list[tuple[int, int, StatementKind, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e or m.start() <= s < m.end() for s, e, _k, _m in found):
                continue
            found.append((m.start(), m.end(), kind, m))
    found.sort(key=lambda x: x[0])
    kinds = {k for *_x, k, _m in found}
    cuts = _cuts(sent)
    in_sentence = ""  # the project this sentence has named so far
    for _s, _e, kind, m in found:
        if kind in (StatementKind.BUDGET, StatementKind.ACTUAL) and not (
            summary or kinds & {StatementKind.RATE, StatementKind.SCORE}
        ):
            continue  # an amount is a 绩效 figure only beside a rate or a score
        if kind is StatementKind.ACHIEVED and StatementKind.TARGET not in kinds:
            continue  # an achieved figure only against a target the sentence states
        begin = max((c for c in cuts if c <= m.start()), default=0)
        before = text[begin : m.start()]
        clauses = _CUT.split(before)
        own = _named(clauses[-1], own=True) if clauses else ""
        if summary:
            project = name_core(summary.group("name"))
        elif kind is StatementKind.WEIGHT and ctx.project:
            project = ctx.project
        else:
            back = next(
                (
                    n
                    for c in reversed(clauses[:-1])
                    if not re.search(r"\d", c) and (n := _named(c, own=False))
                ),
                "",
            )
            project = own or in_sentence or back or _named(clauses[0], own=False) or ctx.project
        in_sentence = in_sentence or project
        indicator = ""
        if kind is StatementKind.WEIGHT:
            ctx.group = m.group("subj")
        elif kind is StatementKind.SCORE:
            segment = re.split(r"[；;。]", text[begin : m.start()])[-1]
            named = list(_INDICATOR.finditer(segment))
            if named:
                indicator = named[-1].group("name")
                project = ctx.project or project
        if kind is StatementKind.SCORE and not indicator and project:
            ctx.project = project
        if kind is StatementKind.GRADE:
            value = None
            start, end = m.start("grade"), m.end("grade")
        elif kind is StatementKind.TARGET and m.group("op"):
            value = parse_amount(m.group("num"))
            start, end = m.start("op"), m.end()
        else:
            value = parse_amount(m.group("num"))
            start, end = m.start("num"), m.end()
        yield Statement(
            kind,
            text[start:end].strip().rstrip("）)").strip(),
            value,
            project,
            m.group("subj"),
            sent.text,
            start,
            end,
            section=section,
            indicator=indicator,
            group=ctx.group if kind is StatementKind.SCORE and indicator else "",
            summary=bool(summary),
            source=sent.source_at(start),
        )


def _about_performance(section: NarrativeSection) -> bool:
    return any(w in section.title for w in _PERFORMANCE_WORDS) or "附件" in section.title


def read_statements(
    sections: Iterable[NarrativeSection],
    *,
    whole: NarrativeSection | None = None,
) -> tuple[Statement, ...]:
    """Every 绩效 figure of the text: of the 情况说明 sections and parts about 绩效, or (for a
    document that is itself a 绩效 evaluation, ``whole``) of all its text."""
    chosen = [whole] if whole is not None else [s for s in sections if _about_performance(s)]
    out: list[Statement] = []
    for section in chosen:
        ctx = _Context()
        label = section.number or section.title
        for sent in sentences(section):
            out.extend(_statements(sent, label, ctx))
    return tuple(out)
