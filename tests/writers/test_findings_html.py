"""The audit as one HTML page: every finding links to its sentence, and the wrong words are
marked in it (amounts, and also years and class names)."""

from __future__ import annotations

import re
from pathlib import Path

from juesuan.api import audit, format_html


def test_findings_link_to_their_sentences_and_mark_the_wrong_words(seed002_path: Path) -> None:
    page = format_html(audit(seed002_path))
    anchors = set(re.findall(r'<span id="(s\d+)" class="sentence">', page))
    links = re.findall(r'<a href="#(s\d+)">原句</a>', page)
    assert links and set(links) <= anchors
    wrong = re.findall(r'<span class="wrong">([^<]*)</span>', page)
    assert "217.02 万万元" in wrong  # an amount (N.unit)
    assert "2010 年" in wrong  # a year (N.year)
    assert "医疗卫生和计划生育（类）" in wrong  # a class name (N.label)
    assert "2.89%" in wrong  # a share (N.share)
