"""The narrative audit as its own pass: every claim of the 情况说明 extracted once, linked once,
checked by every check of :mod:`juesuan.narrative.checks`, and returned with its status and
link next to the findings (``juesuan audit`` and the HTML view read them from here, never by
matching strings).

The rules of ``rules/builtin/narrative.toml`` give each topic a check reports under its id,
severity and Chinese message; a topic with no rule, or a rule naming no topic, is a
programming error found when the rules are first used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from juesuan.model.codes import Codes, reference_codes
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.narrative.audit import Audit, Hit, build_audit
from juesuan.narrative.checks import all_hits, topics
from juesuan.narrative.claims import Claim, ClaimKind, sentences
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, Location, Severity, sort_findings
from juesuan.rules.topics import MessageFields, rules_by_topic


class ClaimStatus(StrEnum):
    VERIFIED = "verified"  # a check compared it with the tables (or last year) and it agrees
    WRONG = "wrong"  # an error or a warning is reported on it
    NOTICE = "notice"  # it differs within rounding only
    UNVERIFIED = "unverified"  # nothing it could be compared with was found: never guessed


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """A stated figure as the audit judged it."""

    section: str
    sentence: str
    start: int  # offsets of the figure in the sentence
    end: int
    text: str  # the figure as printed ("217.02万元")
    kind: str  # amount, change, rate, share, completion, percent, count
    status: ClaimStatus
    link: str | None = None  # what it was compared with ("本年收入合计（公开01表）")
    rules: tuple[str, ...] = ()  # the rules that reported on it
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class SentenceView:
    """A sentence of the 情况说明 as the claims were read from it (for views)."""

    section: str
    text: str


@dataclass(frozen=True)
class NarrativeReview:
    findings: list[Finding]
    claims: tuple[ClaimResult, ...]
    sentences: tuple[SentenceView, ...]


def _by_topic(rules: Iterable[Rule]) -> dict[str, Rule]:
    return rules_by_topic(rules, "narrative", topics(), "narrative")


def _finding(rule: Rule, h: Hit) -> Finding:
    return Finding(
        rule.id,
        h.severity or rule.severity,
        rule.message.format_map(MessageFields(h.fields)),
        Location(source=h.source, section=h.section, quote=h.sentence or None),
        expected=h.fields.get("expected"),
        found=h.fields.get("stated"),
    )


def review(
    report: Report,
    rules: Sequence[Rule],
    *,
    prior: Report | None = None,
    codes: Codes | None = None,
    budget: Report | None = None,
) -> NarrativeReview:
    """Audit the 情况说明 of ``report`` (and its annexes) with the narrative ``rules``; with
    ``budget`` (a 决算's 预算 of that year), the 年初预算 it states against that budget."""
    by_topic = _by_topic(rules)
    audit = build_audit(report, codes or reference_codes(), prior, budget)
    findings: list[Finding] = []
    on_claim: dict[int, list[tuple[Rule, Severity]]] = {}
    said: set[tuple[str, str | None, str | None, str]] = set()
    for topic, hits in all_hits(audit).items():
        rule = by_topic[topic]
        for h in hits:
            f = _finding(rule, h)
            # one sentence, one finding per problem ("较上年增加0万元，比年初预算增加0万元")
            key = (f.rule_id, f.location.section, f.location.quote, f.message)
            if key not in said:
                said.add(key)
                findings.append(f)
            if h.claim is not None:
                on_claim.setdefault(id(h.claim), []).append((rule, f.severity))
    claims = tuple(_judge(audit, c, on_claim.get(id(c), [])) for c in audit.claims)
    views = tuple(
        SentenceView(section.number, sent.text)
        for section in report.sections
        for sent in sentences(section)
    )
    return NarrativeReview(sort_findings(findings), claims, views)


def _judge(audit: Audit, claim: Claim, reported: list[tuple[Rule, Severity]]) -> ClaimResult:
    severities = {s for _, s in reported}
    linked = audit.linked(claim) if claim.kind is ClaimKind.AMOUNT else None
    if severities & {Severity.ERROR, Severity.WARNING}:
        status = ClaimStatus.WRONG
    elif Severity.NOTICE in severities:
        status = ClaimStatus.NOTICE
    elif id(claim) in audit.verified:
        status = ClaimStatus.VERIFIED
    else:
        status = ClaimStatus.UNVERIFIED
    link = linked.name if linked is not None else audit.verified.get(id(claim))
    return ClaimResult(
        claim.section,
        claim.sentence,
        claim.start,
        claim.end,
        claim.text,
        claim.kind.value,
        status,
        link,
        tuple(sorted({r.id for r, s in reported if s is not Severity.INFO})),
        claim.source,
    )
