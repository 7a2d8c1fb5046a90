"""The audit as one HTML page: the narrative with each checked figure highlighted (green
verified, red wrong, grey unverified) and the findings beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from juesuan.api import AuditResult
from juesuan.rules.finding import Finding, Severity

_STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;display:flex}
main{flex:3;padding:1.5em 2em;line-height:1.9;max-width:60em}
aside{flex:2;padding:1.5em;background:#f6f6f6;height:100vh;overflow:auto;position:sticky;top:0}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.6em}
.verified{background:#d7f5dd;border-bottom:2px solid #2e8540}
.wrong{background:#fddede;border-bottom:2px solid #c62828;font-weight:bold}
.unverified{background:#eeeeee;border-bottom:2px solid #9e9e9e}
.notice{background:#dde9fb;border-bottom:2px solid #1e6fd9}
.sentence:target{outline:2px solid #ef8f00}
.f{margin:.4em 0;padding:.4em .6em;border-left:4px solid #999;background:#fff;font-size:.9em}
.f.error{border-color:#c62828}.f.warning{border-color:#ef8f00}.f.notice{border-color:#1e6fd9}
.rule{font-family:monospace;color:#555}
.f.explained{border-color:#2e8540;color:#555}
"""


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _stated_spans(sentence: str, findings: list[Finding]) -> list[tuple[int, int, str]]:
    """Where a finding's stated words (a wrong year, a class name, a phrase) stand in its
    sentence, for findings that are not about a claim's figure."""
    out = []
    for f in findings:
        words = [(f.found or "").strip()]
        # the wrong words the message names in “…”: a class name, a year, a phrase
        words += [
            w
            for w in re.findall(r"“([^”]{4,40})”", f.message)
            if not w.startswith(("情况说明", "公开"))
        ]
        status = "wrong" if f.counts_as_error or f.severity is Severity.WARNING else "notice"
        for stated in words:
            if len(stated) < 2:
                continue
            i = sentence.find(stated)
            if i < 0:
                stated = stated.replace(" ", "")
                i = sentence.find(stated)
            if i >= 0:
                out.append((i, i + len(stated), status))
    return out


@dataclass(frozen=True, slots=True)
class MarkedPart:
    """A piece of a sentence: plain text (``status`` None) or a marked figure or phrase
    (``verified``, ``wrong``, ``notice``, ``unverified``); ``note`` says what a claim was
    compared with."""

    text: str
    status: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MarkedSentence:
    anchor: str  # the id a finding links to ("s12")
    parts: tuple[MarkedPart, ...]


@dataclass(frozen=True, slots=True)
class MarkedSection:
    number: str
    title: str
    sentences: tuple[MarkedSentence, ...]


@dataclass(frozen=True)
class MarkedNarrative:
    """The 情况说明 as the audit read it, every checked figure marked, and the sentence each
    finding is about (by the finding's position in ``result.findings``)."""

    sections: tuple[MarkedSection, ...]
    finding_anchor: dict[int, str]


def marked_narrative(result: AuditResult) -> MarkedNarrative:
    """The narrative of ``result`` with its claims and its findings' stated words marked (for
    this page and the web workbench)."""
    r = result.report
    by_sentence: dict[tuple[str, str], list[tuple[int, int, str, str | None]]] = {}
    for c in result.claims:
        by_sentence.setdefault((c.section, c.sentence), []).append(
            (c.start, c.end, c.status.value, c.link)
        )
    # each finding points at its sentence: by section and the sentence it quotes
    anchors: dict[tuple[str, str], str] = {}
    for i, sent in enumerate(result.sentences):
        anchors.setdefault((sent.section, _compact(sent.text)), f"s{i}")
    quoted: dict[str, list[Finding]] = {}
    finding_anchor: dict[int, str] = {}
    for n, f in enumerate(result.findings):
        loc = f.location
        if loc.quote and loc.section:
            anchor = anchors.get((loc.section, _compact(loc.quote)))
            if anchor is not None:
                quoted.setdefault(anchor, []).append(f)
                finding_anchor[n] = anchor
    sections = []
    for section in r.sections:
        seen = set()
        sentences = []
        for sent in (s for s in result.sentences if s.section == section.number):
            if sent.text in seen:
                continue
            seen.add(sent.text)
            anchor = anchors.get((section.number, _compact(sent.text)), "")
            spans = sorted(
                by_sentence.get((section.number, sent.text), [])
                + [
                    (start, end, status, None)
                    for start, end, status in _stated_spans(
                        sent.text,
                        [f for f in quoted.get(anchor, []) if f.severity is not Severity.INFO],
                    )
                ],
                key=lambda span: span[:3],
            )
            parts, pos = [], 0
            for start, end, status, note in spans:
                if start < pos:
                    continue
                if start > pos:
                    parts.append(MarkedPart(sent.text[pos:start]))
                parts.append(MarkedPart(sent.text[start:end], status, note))
                pos = end
            if pos < len(sent.text):
                parts.append(MarkedPart(sent.text[pos:]))
            sentences.append(MarkedSentence(anchor, tuple(parts)))
        sections.append(MarkedSection(section.number, section.title, tuple(sentences)))
    return MarkedNarrative(tuple(sections), finding_anchor)


def render_audit_html(result: AuditResult) -> str:
    r = result.report
    title = f"{r.unit_name or ''}{r.year or ''}年度部门决算 · 审核"
    marked = marked_narrative(result)
    body = [f"<h1>{escape(title)}</h1>"]
    for section in marked.sections:
        body.append(f"<h2>{escape(section.number)}、{escape(section.title)}</h2><p>")
        for sent in section.sentences:
            out = [f'<span id="{sent.anchor}" class="sentence">']
            for part in sent.parts:
                if part.status is None:
                    out.append(escape(part.text))
                else:
                    out.append(f'<span class="{part.status}">{escape(part.text)}</span>')
            out.append("</span>")
            body.append("".join(out))
        body.append("</p>")
    side = ["<h2>审核结果</h2>"]
    n = result.counts
    side.append(
        f"<p>错误 {n[Severity.ERROR]} · 警告 {n[Severity.WARNING]} · 提示 {n[Severity.NOTICE]} · "
        f"未核实 {n[Severity.INFO]}</p>"
    )
    for i, f in enumerate(result.findings):
        if f.severity is Severity.INFO:
            continue
        link = marked.finding_anchor.get(i)
        jump = f' <a href="#{link}">原句</a>' if link else ""
        if f.explanation:
            side.append(
                f'<div class="f explained"><span class="rule">[{escape(f.rule_id)}]</span> '
                f"{escape(f.message)}<br>已说明：{escape(f.explanation)}{jump}</div>"
            )
            continue
        ocr = f"<br>识别：{escape(f.ocr.note)}" if f.ocr is not None else ""
        side.append(
            f'<div class="f {f.severity.value}"><span class="rule">[{escape(f.rule_id)}]</span> '
            f"{escape(f.message)}{ocr}{jump}</div>"
        )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<main>{''.join(body)}</main><aside>{''.join(side)}</aside></body></html>\n"
    )
