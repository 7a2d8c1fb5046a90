"""The Python API that the CLI, the web workbench (and the corpus runner) call. No printing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from juesuan.api_pairs import load_budget, load_prior
from juesuan.limits import Limits
from juesuan.model.report import Report
from juesuan.model.serialize import to_jsonable
from juesuan.model.tables import TableStatus
from juesuan.rules.finding import Finding, Severity, sort_findings

if TYPE_CHECKING:
    from juesuan.compose import Prepared
    from juesuan.evaluation.review import PerformanceReview
    from juesuan.evaluation.scoring import Method
    from juesuan.narrative.review import ClaimResult, SentenceView
    from juesuan.rules.declarations import Rule
    from juesuan.writers.findings_html import MarkedNarrative


# progress(done, total) for long OCR work: the command line draws a bar with it
Progress = Callable[[int, int], None]


def load(
    path: str | Path,
    *,
    limits: Limits | None = None,
    ocr: str = "auto",
    progress: Progress | None = None,
) -> Report:
    """Read a report from any supported file (``-``: standard input) within ``limits``
    (:class:`juesuan.limits.Limits`); raises :class:`juesuan.InputError`.

    ``ocr``: ``"auto"`` reads scanned pages and images without a text layer by OCR (the text
    layer wherever there is one), ``"always"`` OCRs every page, ``"never"`` none; ``progress``
    is called after each page OCR reads (:mod:`juesuan.readers.ocr`)."""
    from juesuan.readers import read

    return read(path, limits=limits, ocr=_ocr_options(path, ocr, progress))


def _ocr_options(path: str | Path, ocr: str, progress: Progress | None) -> Any:
    from juesuan.errors import InputError
    from juesuan.readers.ocr import OcrOptions

    try:
        return replace(OcrOptions.of(ocr), progress=progress)
    except ValueError as exc:
        raise InputError(path, str(exc)) from None


_NOT_FINAL = {
    "部门预算": "a 部门预算 (department budget), not a 决算",
    "单位预算": "a 单位预算 (unit budget), not a 决算",
    "绩效评价": "a 绩效 evaluation document, not a 决算",
}


_Result = TypeVar("_Result", bound="CheckResult")


_NOT_CHECKED = {"绩效评价": "a 绩效 evaluation document, not a 决算 or a 预算"}


def readable(
    report: Report | str | Path,
    *,
    limits: Limits | None = None,
    ocr: str = "auto",
    progress: Progress | None = None,
) -> Report:
    """The report, if juesuan checks its kind: a 决算 (部门决算, 单位决算) or a 预算 (部门预算,
    单位预算, checked with the budget rules); a 绩效 evaluation is refused with one line
    (:class:`juesuan.InputError`)."""
    from juesuan.errors import InputError

    if not isinstance(report, Report):
        report = load(report, limits=limits, ocr=ocr, progress=progress)
    kind = report.kind.value if report.kind is not None else None
    if kind in _NOT_CHECKED:
        raise InputError(
            report.source_file,
            f"this is {_NOT_CHECKED[kind]}: juesuan checks 部门决算 and 部门预算 reports"
            " (juesuan score reads its 绩效自评)",
        )
    return report


def is_budget(report: Report) -> bool:
    """A 预算 (部门预算 or 单位预算): checked with the budget tables' rules."""
    return report.kind is not None and report.kind.is_budget


def final_accounts(
    report: Report | str | Path,
    *,
    limits: Limits | None = None,
    ocr: str = "auto",
    progress: Progress | None = None,
) -> Report:
    """The report, if it is a 决算; a 预算 or a 绩效 evaluation is refused with one line
    (:class:`juesuan.InputError`) instead of being checked as a 决算 with nine missing tables."""
    from juesuan.errors import InputError

    if not isinstance(report, Report):
        report = load(report, limits=limits, ocr=ocr, progress=progress)
    kind = report.kind.value if report.kind is not None else None
    if kind in _NOT_FINAL:
        hint = "budgets are not yet supported"
        if kind == "绩效评价":
            hint = "juesuan score reads its 绩效自评"
        raise InputError(
            report.source_file,
            f"this is {_NOT_FINAL[kind]}: juesuan checks 部门决算 reports ({hint})",
        )
    return report


@dataclass(frozen=True)
class CheckResult:
    report: Report
    findings: list[Finding]
    # the file that was checked (a report JSON names its original in report.source_file)
    checked_file: str | None = None

    @property
    def counts(self) -> dict[Severity, int]:
        """Findings by severity, explained ones left out (they are counted apart)."""
        c = Counter(f.severity for f in self.findings if not f.explanation)
        return {s: c.get(s, 0) for s in Severity}

    @property
    def has_errors(self) -> bool:
        """An error that no baseline explains."""
        return any(f.counts_as_error for f in self.findings)

    @property
    def explained(self) -> list[Finding]:
        return [f for f in self.findings if f.explanation]

    def tables_read(self) -> dict[str, str]:
        return {t.value: tb.status.value for t, tb in sorted(self.report.tables.items())}

    def summary(self) -> dict[str, Any]:
        r = self.report
        return {
            "file": self.checked_file or r.source_file,
            "source_file": r.source_file,
            "kind": r.kind.value if r.kind is not None else None,
            "unit_name": r.unit_name,
            "year": r.year,
            "tables": self.tables_read(),
            "tables_with_data": sorted(
                t.value for t, tb in r.tables.items() if tb.status is TableStatus.PRESENT
            ),
            "counts": {s.value: n for s, n in self.counts.items()},
            "explained": len(self.explained),
            "reader_notes": list(r.reader_notes),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "findings": [to_jsonable(f) for f in self.findings],
        }


def check(
    report: Report | str | Path,
    *,
    rules: Iterable[Rule] | None = None,
    rule_files: Iterable[str | Path] = (),
    limits: Limits | None = None,
    ocr: str = "auto",
    progress: Progress | None = None,
) -> CheckResult:
    """Validate a report (or a file) with the built-in rules plus any user rule files, within
    ``limits`` (the wall-clock limit covers reading and checking); ``ocr`` and ``progress`` as
    for :func:`load`."""
    from juesuan.limits import deadline, resolve
    from juesuan.rules.declarations import rule_set
    from juesuan.rules.engine import evaluate

    with deadline(_name(report), resolve(limits)):
        loaded = readable(report, limits=limits, ocr=ocr, progress=progress)
        if rules is not None:
            active = list(rules)
        else:
            active = rule_set(rule_files, limits=limits, budget=is_budget(loaded))
        return CheckResult(loaded, evaluate(loaded, active), _name(report))


def _name(report: Report | str | Path) -> str | None:
    from juesuan.fileio import STDIN_NAME, is_stdin

    if isinstance(report, Report):
        return None
    return STDIN_NAME if is_stdin(report) else str(report)


@dataclass(frozen=True)
class AuditResult(CheckResult):
    claims: tuple[ClaimResult, ...] = ()
    sentences: tuple[SentenceView, ...] = ()
    prior_file: str | None = None
    budget_file: str | None = None  # the 预算 a 决算 was held against

    def to_json(self) -> dict[str, Any]:
        doc = super().to_json()
        doc["summary"]["prior"] = self.prior_file
        doc["summary"]["budget"] = self.budget_file
        doc["claims"] = [to_jsonable(c) for c in self.claims]
        return doc


def audit(
    report: Report | str | Path,
    *,
    prior: Report | str | Path | None = None,
    prior_any: bool = False,
    budget: Report | str | Path | None = None,
    budget_any: bool = False,
    rule_files: Iterable[str | Path] = (),
    limits: Limits | None = None,
    ocr: str = "auto",
    progress: Progress | None = None,
) -> AuditResult:
    """Tables and narrative: every table rule, then every claim of the 情况说明 against the
    tables, against the rest of the text and (with ``prior``) against last year's report.

    ``prior`` is last year's report, a file, or a folder to find it in (see
    :func:`load_prior`): a report that is not the same unit's of the year before is refused
    with :class:`juesuan.InputError` unless ``prior_any``. A 预算's prior is last year's 预算
    (its 上年预算数 are compared with that budget's figures). ``budget`` (a 决算 only) is the
    same unit's 预算 of that year, a file or a folder (see :func:`load_budget`): the 决算's
    stated 年初预算 figures are compared with it. What was decided about either (a folder's
    unreadable files, no match found, a mismatch accepted) is added to the report's notes."""
    from juesuan.evaluation.review import review_performance
    from juesuan.limits import deadline, resolve
    from juesuan.narrative.review import review
    from juesuan.rules.declarations import narrative_rules, performance_rules, rule_set
    from juesuan.rules.engine import evaluate

    with deadline(_name(report), resolve(limits)):
        loaded = _from_file(readable(report, limits=limits, ocr=ocr, progress=progress), report)
        prior_report, notes = load_prior(loaded, prior, prior_any=prior_any, limits=limits, ocr=ocr)
        budget_report, budget_notes = load_budget(
            loaded, budget, budget_any=budget_any, limits=limits, ocr=ocr
        )
        notes = (*notes, *budget_notes)
        if notes:
            loaded = replace(loaded, reader_notes=(*loaded.reader_notes, *notes))
        active = rule_set(rule_files, limits=limits, budget=is_budget(loaded))
        findings = evaluate(loaded, active, prior=prior_report, budget=budget_report)
        narrative = review(loaded, narrative_rules(), prior=prior_report, budget=budget_report)
        performance = review_performance(loaded, performance_rules())  # 绩效自评 (P.*)
    prior_file = prior_report.source_file if prior_report else None
    return AuditResult(
        loaded,
        sort_findings([*findings, *narrative.findings, *performance.findings]),
        _name(report),
        narrative.claims,
        narrative.sentences,
        prior_file,
        budget_report.source_file if budget_report else None,
    )


@dataclass(frozen=True)
class ScoreResult(CheckResult):
    """A report's 绩效自评 recomputed: each form's scores as stated and under the method, the
    text's 绩效 figures, and the findings of the 绩效 rules (and of N.project, which holds each
    自评综述 against its form)."""

    review: PerformanceReview | None = None
    method: Method | None = None

    def to_json(self) -> dict[str, Any]:
        from juesuan.writers.score import score_json

        return score_json(self)


def score(
    report: Report | str | Path,
    *,
    method: str | Path | None = None,
    limits: Limits | None = None,
) -> ScoreResult:
    """Recompute and check the 绩效自评 of a report (a 决算 with its 自评表, or a 绩效 evaluation
    document) under the built-in scoring method or a region's own method file."""
    from juesuan.evaluation.review import review_performance
    from juesuan.evaluation.scoring import load_method
    from juesuan.limits import deadline, resolve
    from juesuan.narrative.review import review
    from juesuan.rules.declarations import narrative_rules, performance_rules

    chosen = load_method(method)
    with deadline(_name(report), resolve(limits)):
        loaded = (
            report
            if isinstance(report, Report)
            else _from_file(load(report, limits=limits), report)
        )
        performance = review_performance(loaded, performance_rules(), chosen)
        narrative = review(loaded, narrative_rules())
    summaries = [f for f in narrative.findings if f.rule_id == "N.project"]
    findings = sort_findings([*performance.findings, *summaries])
    return ScoreResult(loaded, findings, _name(report), review=performance, method=chosen)


# --- the rest of what the command line (and later the web app) does ---------------------------


def format_text(result: CheckResult, *, show_notices: bool = True) -> str:
    """The findings as the terminal prints them (Chinese)."""
    from juesuan.writers.findings_text import render_text

    return render_text(result, show_notices=show_notices)


def format_score(result: ScoreResult, *, html: bool = False, quiet: bool = False) -> str:
    """The recomputed 绩效自评 beside the stated one, as text (Chinese) or one HTML page;
    ``quiet`` lists only the forms and rates that deviate, and no notices."""
    from juesuan.writers.score import render_score_html, render_score_text

    return render_score_html(result) if html else render_score_text(result, quiet=quiet)


def narrative_view(result: AuditResult) -> MarkedNarrative:
    """The 情况说明 as the audit read it: each checked figure marked (verified, wrong, within
    rounding, unverified) and the sentence each finding is about (for the web workbench)."""
    from juesuan.writers.findings_html import marked_narrative

    return marked_narrative(result)


def format_html(result: AuditResult) -> str:
    """The audit as one HTML page: the narrative with each figure marked, the findings beside."""
    from juesuan.writers.findings_html import render_audit_html

    return render_audit_html(result)


def annotate(
    report: str | Path,
    output: str | Path,
    *,
    narrative: bool = True,
    overwrite: bool = False,
    limits: Limits | None = None,
    ocr: str = "auto",
    progress: Progress | None = None,
    result: CheckResult | None = None,
) -> CheckResult:
    """Audit (or only check) a PDF report and write a copy with each finding boxed on its page
    (a scanned page's figures are boxed where OCR read them). With ``result`` (e.g. an audit
    against last year, explanations applied), its findings are drawn instead of auditing again.
    An existing ``output`` is replaced only with ``overwrite`` (:class:`juesuan.OutputError`)."""
    from juesuan.errors import InputError
    from juesuan.fileio import is_stdin, output_target
    from juesuan.writers.annotate import annotate_pdf

    if is_stdin(report):
        raise InputError(report, "annotate reads a PDF file, not standard input")
    target = output_target(output, overwrite=overwrite)  # refused before the work
    if result is None:
        if narrative:
            result = audit(report, limits=limits, ocr=ocr, progress=progress)
        else:
            result = check(report, limits=limits, ocr=ocr, progress=progress)
    annotate_pdf(Path(report), result.findings, target, overwrite=overwrite)
    return result


def format_csv(result: CheckResult) -> str:
    """The findings as CSV (UTF-8 with a byte-order mark, so that Excel shows the Chinese)."""
    from juesuan.writers.findings_table import findings_csv

    return findings_csv(result)


def format_xlsx(result: CheckResult) -> bytes:
    """The findings as an XLSX workbook (one row per finding, filterable)."""
    from juesuan.writers.findings_table import findings_xlsx

    return findings_xlsx(result)


def build(
    source: str | Path,
    output: str | Path,
    *,
    force: bool = False,
    overwrite: bool = False,
    limits: Limits | None = None,
) -> Any:
    """The complete disclosure package from a unit's data (see :mod:`juesuan.compose`):
    ``force`` builds even when the check finds errors; ``overwrite`` lets an existing folder
    with other files be used, replacing only juesuan's own files (:mod:`juesuan.folders`)."""
    from juesuan.compose import build as compose_build

    return compose_build(
        Path(source), Path(output), force=force, overwrite=overwrite, limits=limits
    )


def prepare_build(source: str | Path) -> Prepared:
    """What :func:`build` would write, as data, without writing: the package (tables and the
    generated 情况说明), the check of the tables, the warnings and the reasons still to write.
    Raises :class:`juesuan.InputError` (one line naming the key) on a bad source."""
    from juesuan.compose import prepare_build as compose_prepare

    return compose_prepare(Path(source))


def demo(output: str | Path, *, overwrite: bool = False) -> list[str]:
    """Build the embedded example and audit the report that unit published."""
    from juesuan.demo import run_demo

    return run_demo(Path(output), overwrite=overwrite)


def write_output(path: str | Path, text: str, *, overwrite: bool = False) -> None:
    """Write a result file whole or not at all (temporary file + rename in its folder); an
    existing file is replaced only with ``overwrite`` (:class:`juesuan.OutputError`)."""
    from juesuan.fileio import write_atomic

    write_atomic(Path(path), text, overwrite=overwrite)


def check_output(path: str | Path, *, overwrite: bool = False) -> Path:
    """Refuse, before any work, an output file that cannot or must not be written."""
    from juesuan.fileio import output_target

    return output_target(path, overwrite=overwrite)


def report_json(report: Report) -> str:
    """The report as versioned JSON (the schema shipped in ``model/data/report.schema.json``)."""
    from juesuan.model.serialize import dumps

    return dumps(report)


def rules(rule_files: Iterable[str | Path] = ()) -> list[Rule]:
    """Every rule in force: the built-in table, narrative and 绩效 rules and the user's own."""
    from juesuan.rules.declarations import narrative_rules, performance_rules, rule_set

    return [*rule_set(rule_files), *narrative_rules(), *performance_rules()]


def debug_layout(pdf: str | Path, out_dir: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Draw what the PDF reader saw on each page (rulings, cells, columns) as PNG images into
    ``out_dir`` (an output folder: see :mod:`juesuan.folders`)."""
    from juesuan.errors import InputError
    from juesuan.fileio import is_stdin
    from juesuan.folders import OutputFolder
    from juesuan.readers.pdf_debug import debug_layout as draw

    if is_stdin(pdf):
        raise InputError(pdf, "--debug-layout reads a PDF file, not standard input")
    folder = OutputFolder(out_dir, force=overwrite)
    with folder as staging:
        drawn = draw(Path(pdf), staging)
    return [folder.target / p.name for p in drawn]


def explain_with(result: _Result, baseline: str | Path) -> _Result:
    """The result with every finding the baseline file explains marked with its reason."""
    from dataclasses import replace

    from juesuan.errors import InputError
    from juesuan.fileio import read_input_text
    from juesuan.rules.baseline import explain, parse_baseline

    path = Path(baseline)
    text = read_input_text(path, what="baseline file")
    try:
        explanations = parse_baseline(text)
    except ValueError as exc:
        raise InputError(path, str(exc)) from None
    return replace(result, findings=explain(result.findings, explanations))


def finding_key(finding: Finding) -> str:
    """The stable identity of a finding (its rule and place, never its wording or amounts):
    what a baseline file matches on, so an explanation survives a rerun."""
    from juesuan.rules.baseline import finding_key as key

    return key(finding)


def explain_reasons(result: _Result, reasons: Mapping[str, str]) -> _Result:
    """The result with every finding whose :func:`finding_key` has a non-empty reason in
    ``reasons`` marked with it (what :func:`explain_with` does with a baseline file's)."""
    from juesuan.rules.baseline import Explanation, explain

    given = [Explanation(key, "", reason.strip()) for key, reason in reasons.items()]
    return replace(result, findings=explain(result.findings, given))


def baseline(result: CheckResult) -> str:
    """A baseline file listing every current finding with its reason: the explanation of an
    explained finding, else empty, to fill in."""
    from juesuan.rules.baseline import baseline_text

    return baseline_text(result.findings, source=result.report.source_file or "")


def _from_file(report: Report, given: Report | str | Path) -> Report:
    """A report read from a file says which file (a JSON written without its origin does not),
    so that a report given as its own prior is known for what it is."""
    if report.source_file or isinstance(given, Report):
        return report
    return replace(report, source_file=str(given))


# --- corpus runs (issue 12): thousands of reports into one dataset ----------------------------


def corpus_audit(
    source: str | Path,
    outdir: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    time_limit: float = 300.0,
    memory_mb: int = 4096,
    retry_errors: bool = False,
    progress: Any = None,
) -> Any:
    """Every report of a folder or manifest read, checked and audited by kind into the dataset
    in ``outdir`` (see :mod:`juesuan.corpus`), on local processes or the Dask cluster of
    ``scheduler``; a rerun continues where the last one stopped. Returns the run's summary."""
    from juesuan.corpus.run import Settings, audit_corpus

    settings = Settings(
        workers=workers,
        scheduler=scheduler,
        time_limit=time_limit,
        memory_mb=memory_mb,
        retry_errors=retry_errors,
    )
    return audit_corpus(Path(source), Path(outdir), settings, progress=progress)


def corpus_progress() -> Any:
    """A progress bar for :func:`corpus_audit` on standard error (a context manager)."""
    from juesuan.corpus.progress import ProgressBar

    return ProgressBar()


def corpus_report(outdir: str | Path) -> Path:
    """The HTML summary of a corpus dataset (``outdir/report/index.html``)."""
    from juesuan.corpus.report import write_report

    return write_report(Path(outdir))
