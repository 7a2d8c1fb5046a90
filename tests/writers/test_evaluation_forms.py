"""The 绩效自评表 in the written package, read back from every format: the XLSX sheet, the DOCX
table, the HTML page and the PDF give the form the report holds (its money block, indicators,
scores and 总分)."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.evaluation.model import EvaluationForm, FormKind
from juesuan.model.report import Report
from juesuan.readers import read


def _plain(text: str) -> str:
    return "".join(text.split())  # a PDF's text layer does not keep the spaces inside a cell


def _essentials(form: EvaluationForm) -> tuple[object, ...]:
    return (
        form.kind,
        form.department,
        form.budget,
        form.actual,
        form.rate_weight,
        form.rate_score,
        [
            (i.name, _plain(i.target.text), _plain(i.actual.text), i.weight, i.score, i.reason)
            for i in form.indicators
        ],
        form.total_score,
    )


@pytest.mark.parametrize("kind", ["xlsx", "docx", "html", "pdf", "json"])
def test_forms_read_back_from_every_format(
    seed002: Report, package: dict[str, Path], kind: str
) -> None:
    (original,) = seed002.performance.forms
    back = read(package[kind])
    forms = [f for f in back.performance.forms if f.kind is FormKind.DEPARTMENT]
    assert len(forms) == 1, [f.title for f in back.performance.forms]
    assert _essentials(forms[0]) == _essentials(original)
