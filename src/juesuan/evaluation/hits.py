"""What a 绩效 check reports (a :class:`Hit`: the topic, the message fields, where) and how a
form or a statement is named in a message."""

from __future__ import annotations

from dataclasses import dataclass, field

from juesuan.evaluation.model import EvaluationForm, FormKind, Statement
from juesuan.model.source import Source
from juesuan.rules.finding import Location, Severity


@dataclass(frozen=True)
class Hit:
    """One problem: the rule's topic, the message fields, and where it is."""

    topic: str
    fields: dict[str, str]
    location: Location = field(default_factory=Location)
    severity: Severity | None = None  # None: the rule's declared severity


def form_name(form: EvaluationForm) -> str:
    """ "项目支出绩效自评表“2022年病媒生物防制”（第55页）" as a message names the form."""
    who = form.project or form.department or form.title
    page = f"（第{form.page}页）" if form.page else ""
    kind = (
        form.kind.value
        if form.kind is not FormKind.PROJECT_LIST
        else (form.title or form.kind.value)
    )
    return f"{kind}“{who}”{page}" if who and who != kind else f"{kind}{page}"


def form_hit(
    topic: str,
    form: EvaluationForm,
    item: str = "",
    source: Source | None = None,
    severity: Severity | None = None,
    **fields: str,
) -> Hit:
    base = {"form": form_name(form), "item": item, **fields}
    where = Location(row=item or None, source=source or form.source)
    return Hit(topic, base, where, severity)


def statement_hit(
    topic: str, st: Statement, severity: Severity | None = None, **fields: str
) -> Hit:
    section = st.section if st.section and st.section != "全文" else ""
    label = f"情况说明“{section}”" if section and not section.startswith("第") else section
    base = {"section": label, "sentence": st.sentence, "stated": st.text, **fields}
    where = Location(source=st.source, section=section or None, quote=st.sentence)
    return Hit(topic, base, where, severity)
