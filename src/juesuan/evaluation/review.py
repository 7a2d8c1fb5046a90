"""The 绩效 pass: every form recomputed and checked, every 绩效 statement checked, each problem
reported under its rule of ``rules/builtin/performance.toml`` (id, Chinese message, severity).

A topic with no rule, or a rule naming no topic, is a programming error found when the rules
are first used (as in the narrative pass)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from juesuan.evaluation import performance_of
from juesuan.evaluation.checks import check_form
from juesuan.evaluation.hits import Hit
from juesuan.evaluation.model import Performance
from juesuan.evaluation.scoring import FormScore, Method, default_method, score_form
from juesuan.evaluation.text_checks import check_statements
from juesuan.model.report import Report
from juesuan.rules.declarations import Rule
from juesuan.rules.finding import Finding, sort_findings
from juesuan.rules.topics import MessageFields, rules_by_topic

TOPICS = frozenset(
    {
        "total",
        "weights",
        "score_cap",
        "reason",
        "score_rule",
        "rate_score",
        "rate",
        "formula",
        "sum",
        "grade",
        "tables",
        "text_rate",
        "text_same",
        "text_form",
        "text_score",
        "text_target",
    }
)


def _by_topic(rules: Iterable[Rule]) -> dict[str, Rule]:
    return rules_by_topic(rules, "performance", TOPICS, "performance")


@dataclass(frozen=True)
class PerformanceReview:
    """The 绩效 material of a report, each form recomputed, and the findings."""

    performance: Performance
    scores: tuple[FormScore, ...]
    findings: list[Finding]


def _finding(rule: Rule, hit: Hit) -> Finding:
    return Finding(
        rule.id,
        hit.severity or rule.severity,
        rule.message.format_map(MessageFields(hit.fields)),
        hit.location,
        expected=hit.fields.get("expected") or None,
        found=hit.fields.get("stated") or None,
    )


def review_performance(
    report: Report, rules: Sequence[Rule], method: Method | None = None
) -> PerformanceReview:
    """Recompute and check the report's 绩效 material with the performance ``rules``."""
    by_topic = _by_topic(rules)
    method = method or default_method()
    material = performance_of(report)
    scores = tuple(score_form(f, method) for f in material.forms)
    hits: list[Hit] = [h for s in scores for h in check_form(s)]
    hits.extend(check_statements(report, material.statements, material.forms, method))
    findings = [_finding(by_topic[h.topic], h) for h in hits]
    return PerformanceReview(material, scores, sort_findings(findings))
