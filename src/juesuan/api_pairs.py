"""Pairing a report with the other documents its audit compares it with: last year's report
(上年决算, or a 预算's 上年预算) and, for a 决算, the same unit's published 预算 of that year.
Part of the Python API (:mod:`juesuan.api` re-exports :func:`load_prior` and
:func:`load_budget`); the matching itself is the model's (:mod:`juesuan.model.prior`,
:mod:`juesuan.model.pairs`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from juesuan.model.report import Report

if TYPE_CHECKING:
    from juesuan.limits import Limits


def _load(path: str | Path, limits: Limits | None, ocr: str) -> Report:
    from juesuan.api import _from_file, load

    return _from_file(load(path, limits=limits, ocr=ocr), path)


def _is_budget(report: Report) -> bool:
    return report.kind is not None and report.kind.is_budget


def _given(doc: Report | str | Path, limits: Limits | None, ocr: str) -> Report:
    from juesuan.api import _from_file

    return _from_file(doc, doc) if isinstance(doc, Report) else _load(doc, limits, ocr)


def load_prior(
    report: Report,
    prior: Report | str | Path | None,
    *,
    prior_any: bool = False,
    limits: Limits | None = None,
    ocr: str = "auto",
) -> tuple[Report | None, tuple[str, ...]]:
    """Last year's report of ``report`` and the notes saying what was decided about it.

    ``prior`` may be a report, a file or a folder. A report or file must be a 决算 of the same
    unit and of the year before (not the report itself, not a later year): otherwise
    :class:`juesuan.InputError` names the prior file and why, unless ``prior_any``, which
    compares with it anyway and says so. In a folder every readable 决算 (recursively) is a
    candidate and the same unit's report of the year before is used; unreadable files are
    skipped with a note; when none matches, InputError, or with ``prior_any`` no prior and a
    note saying so."""
    from juesuan.errors import InputError
    from juesuan.model.prior import prior_problem

    if prior is None:
        return None, ()
    if not isinstance(prior, Report) and Path(prior).is_dir():
        return _prior_in_folder(report, Path(prior), prior_any=prior_any, limits=limits, ocr=ocr)
    candidate = _given(prior, limits, ocr)
    where = candidate.source_file or (None if isinstance(prior, Report) else str(prior))
    problem = _family_problem(report, candidate) or prior_problem(report, candidate)
    if problem is None:
        return candidate, ()
    if not prior_any:
        raise InputError(
            where,
            f"not last year's report of {_who(report)}: {problem} (--prior-any compares"
            " with it anyway)",
        )
    note = f"上年报告 {where or ''} 不是本单位上一年度的决算（{problem}），按要求仍与之比较"
    return candidate, (note,)


def _family_problem(report: Report, candidate: Report) -> str | None:
    """A 决算's prior is a 决算, a 预算's a 预算: why ``candidate`` is not of the same family."""
    from juesuan.api import _NOT_FINAL

    kind = candidate.kind.value if candidate.kind is not None else None
    if _is_budget(report):
        return None if _is_budget(candidate) else f"it is a {kind or '?'}, not a 预算"
    return f"it is {_NOT_FINAL[kind]}" if kind in _NOT_FINAL else None


def load_budget(
    report: Report,
    budget: Report | str | Path | None,
    *,
    budget_any: bool = False,
    limits: Limits | None = None,
    ocr: str = "auto",
) -> tuple[Report | None, tuple[str, ...]]:
    """The published 预算 of a 决算's unit and year, and the notes saying what was decided.

    ``budget`` may be a report, a file or a folder (every readable 预算 in it, recursively, is
    a candidate; the same unit's of that year is used). A document that is not that 预算 is
    refused with :class:`juesuan.InputError` naming it and why, unless ``budget_any``; a
    预算 given a budget is refused: its own prior (``prior``) is last year's 预算."""
    from juesuan.errors import InputError
    from juesuan.model.pairs import budget_problem, find_budget

    if budget is None:
        return None, ()
    if _is_budget(report):
        raise InputError(
            report.source_file,
            "--budget holds a 决算 against its 预算; to compare a 预算 with last year's 预算"
            " use --prior",
        )
    if not isinstance(budget, Report) and Path(budget).is_dir():
        folder = Path(budget)
        candidates, skipped = _readable_in(folder, limits=limits, ocr=ocr)
        found = find_budget(report, candidates)
        notes = [f"预算目录 {folder} 中无法读取的文件已跳过：{'、'.join(skipped[:5])}"]
        notes = notes if skipped else []
        if found is not None:
            return found, (*notes, f"本年预算：{found.source_file}（在目录 {folder} 中找到）")
        if not budget_any:
            raise InputError(
                folder,
                f"no 预算 of {_who(report)} in this folder"
                f" ({len(candidates)} documents read; --budget-any audits without it)",
            )
        return None, (*notes, f"预算目录 {folder} 中未找到本单位本年度的预算，未与预算比较")
    candidate = _given(budget, limits, ocr)
    where = candidate.source_file or (None if isinstance(budget, Report) else str(budget))
    problem = budget_problem(report, candidate)
    if problem is None:
        return candidate, ()
    if not budget_any:
        raise InputError(
            where,
            f"not the 预算 of {_who(report)}: {problem} (--budget-any compares with it anyway)",
        )
    return candidate, (f"预算 {where or ''} 不是本单位本年度的预算（{problem}），按要求仍与之比较",)


def _readable_in(
    folder: Path, *, limits: Limits | None = None, ocr: str = "auto"
) -> tuple[list[Report], list[str]]:
    """Every readable document under ``folder`` (hidden files left out) and the unreadable."""
    from juesuan.errors import InputError

    out: list[Report] = []
    skipped: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        try:
            out.append(_load(path, limits, ocr))
        except InputError:
            skipped.append(str(path.relative_to(folder)))
    return out, skipped


def _who(report: Report) -> str:
    return f"{report.unit_name or 'an unknown unit'} {report.year or '(year unknown)'}"


def _prior_in_folder(
    report: Report,
    folder: Path,
    *,
    prior_any: bool,
    limits: Limits | None = None,
    ocr: str = "auto",
) -> tuple[Report | None, tuple[str, ...]]:
    """The same unit's 决算 of the year before among the readable files of ``folder``."""
    from juesuan.errors import InputError
    from juesuan.model.prior import is_prior, same_file

    skipped: list[str] = []
    candidates: list[Report] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # hidden files and folders (.git, .DS_Store) are not reports
        try:
            candidate = _load(path, limits, ocr)
        except InputError:
            skipped.append(str(path.relative_to(folder)))
            continue
        kind = candidate.kind
        family = _is_budget(candidate) if _is_budget(report) else kind is None or kind.is_final
        if family and not same_file(report, candidate):
            candidates.append(candidate)
    notes: list[str] = []
    if skipped:
        shown = "、".join(skipped[:5]) + (f" 等 {len(skipped)} 个" if len(skipped) > 5 else "")
        notes.append(f"上年报告目录 {folder} 中无法读取的文件已跳过：{shown}")
    found = [c for c in candidates if is_prior(report, c)]
    if found:
        several = f"（共 {len(found)} 份本单位上年决算，用第一份）" if len(found) > 1 else ""
        notes.append(f"上年报告：{found[0].source_file}（在目录 {folder} 中找到）{several}")
        return found[0], tuple(notes)
    year = f"{report.year - 1} 年度" if report.year is not None else "上一年度"
    if not prior_any:
        raise InputError(
            folder,
            f"no report of {report.unit_name or 'this unit'} for"
            f" {report.year - 1 if report.year is not None else 'the year before'} in this"
            f" folder ({len(candidates)} 决算 read, {len(skipped)} files unreadable;"
            " --prior-any audits without a prior)",
        )
    notes.append(
        f"上年报告目录 {folder} 中未找到{report.unit_name or '本单位'}{year}的决算，"
        "本次审核未与上年比较"
    )
    return None, tuple(notes)
