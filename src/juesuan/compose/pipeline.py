"""``juesuan build``: source file → checked tables → narrative → the written package.

:func:`prepare` loads the source (:mod:`juesuan.compose.source`), the tables (an XLSX in the
official layout, our JSON, or anything :func:`juesuan.readers.read` reads), last year's
figures (a prior report file and/or the source's ``[prior.totals]``), runs
:func:`juesuan.api.check` and generates the text parts. :func:`build` refuses when the check
finds an error (unless ``force``), then has the writers (:func:`juesuan.writers.write_package`)
write into a staging folder and moves it into place (:class:`juesuan.folders.OutputFolder`): a
failure or a signal leaves no half-written folder, and nothing the user had is removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

from juesuan.api import CheckResult, check
from juesuan.compose.narrative import amount_yuan, generate
from juesuan.compose.source import PRIOR_KEYS, BuildSource, load_source
from juesuan.errors import InputError
from juesuan.limits import Limits
from juesuan.model.disclosure import Disclosure, PriorYear
from juesuan.model.layout import FINAL, TOTAL, TableId
from juesuan.model.report import Report
from juesuan.rules.finding import Finding, Severity

__all__ = [
    "BuildResult",
    "Prepared",
    "build",
    "load_templates",
    "prepare",
    "prepare_build",
    "prior_totals",
]


def load_templates(override: Path | None = None) -> dict[str, str]:
    """The packaged sentence templates, with a region's own (same file names) taking precedence.
    A region folder may also add templates the packaged ones import."""
    out: dict[str, str] = {}
    folder = resources.files("juesuan.compose") / "templates"
    for entry in folder.iterdir():
        if entry.name.endswith(".j2"):
            out[entry.name] = entry.read_text(encoding="utf-8")
    if override is not None:
        from juesuan.fileio import read_input_text

        for path in sorted(override.glob("*.j2")):
            out[path.name] = read_input_text(path, what="template")
    return out


def prior_totals(report: Report) -> dict[str, Decimal]:
    """Last year's totals (in 元) from last year's report, keyed as in :class:`PriorYear`."""
    t01, t04, t05 = report.table(TableId.T01), report.table(TableId.T04), report.table(TableId.T05)
    t06, t07 = report.table(TableId.T06), report.table(TableId.T07)
    cells = {
        "收入总计": amount_yuan(t01, "收入总计", FINAL),
        "支出总计": amount_yuan(t01, "支出总计", FINAL),
        "本年收入合计": amount_yuan(t01, "本年收入合计", FINAL),
        "本年支出合计": amount_yuan(t01, "本年支出合计", FINAL),
        "年末结转和结余": amount_yuan(t01, "年末结转和结余", FINAL),
        "财政拨款收入总计": amount_yuan(t04, "收入总计", FINAL),
        "财政拨款支出总计": amount_yuan(t04, "支出总计", TOTAL),
        "一般公共预算财政拨款支出": amount_yuan(t05, "合计", TOTAL),
        "基本支出": amount_yuan(t05, "合计", "基本支出"),
        "项目支出": amount_yuan(t05, "合计", "项目支出"),
        "人员经费": amount_yuan(t06, "人员经费合计", FINAL),
        "公用经费": amount_yuan(t06, "公用经费合计", FINAL),
        "三公经费": amount_yuan(t07, "三公经费", "决算数/合计"),
    }
    assert set(cells) <= set(PRIOR_KEYS)
    return {k: v for k, v in cells.items() if v is not None}


@dataclass(frozen=True)
class Prepared:
    """Everything the build knows before writing: the package, the check and the warnings."""

    source: BuildSource
    disclosure: Disclosure
    check: CheckResult
    warnings: tuple[str, ...]


def _read(source: BuildSource, path: Path, key: str, limits: Limits | None) -> Report:
    from juesuan.limits import LimitError
    from juesuan.readers import read

    try:
        return read(path, limits=limits)
    except LimitError:
        raise
    except InputError as exc:
        raise InputError(source.path, f"{key}: {path.name}: {exc.reason}") from None


def prepare_build(source_path: str | Path, *, limits: Limits | None = None) -> Prepared:
    """Load and validate everything; raises InputError (one line naming the key)."""
    source = load_source(source_path, limits)
    warnings: list[str] = []
    report = _read(source, source.tables, "tables.file", limits)
    year = source.unit.year
    if report.year is None:
        warnings.append(f"表格未注明年度，按 unit.year = {year} 处理")
    elif report.year != year:
        raise InputError(
            source.path,
            f"tables.file: the tables are for {report.year}, but unit.year is {year}",
        )
    present = [t.value for t, tb in sorted(report.tables.items()) if tb.status.value != "absent"]
    if not present:
        raise InputError(source.path, f"tables.file: no tables found in {source.tables.name}")
    if report.unit_name and report.unit_name != source.unit.name:
        warnings.append(
            f"表格中的单位名称“{report.unit_name}”与 unit.name“{source.unit.name}”不一致"
        )
    report = replace(report, unit_name=source.unit.name, year=year, unit_kind=source.unit.kind)

    prior: PriorYear | None = None
    if source.prior is not None:
        totals: dict[str, Decimal] = {}
        if source.prior.file is not None:
            last = _read(source, source.prior.file, "prior.file", limits)
            if last.year is not None and last.year != source.prior.year:
                raise InputError(
                    source.path,
                    f"prior.file: the report is for {last.year}, expected {source.prior.year}",
                )
            totals.update(prior_totals(last))
        totals.update(source.prior.totals)
        prior = PriorYear(source.prior.year, totals)
    else:
        warnings.append("未提供上年数（[prior]），情况说明不含与上年的比较")

    report, said = _with_forms(report, source)
    warnings.extend(said)
    result = check(report)
    narrative = generate(report, source, prior, load_templates(source.narrative.templates))
    warnings.extend(narrative.warnings)
    warnings.extend(f"缺少原因：{m}" for m in narrative.missing_reasons)
    disclosure = Disclosure(
        report=replace(report, sections=narrative.explanations),
        overview=narrative.overview,
        explanations=narrative.explanations,
        glossary=narrative.glossary,
        prior=prior,
        missing_reasons=narrative.missing_reasons,
    )
    return Prepared(
        source, disclosure, CheckResult(disclosure.report, result.findings), tuple(warnings)
    )


def _with_forms(report: Report, source: BuildSource) -> tuple[Report, list[str]]:
    """The report with the 绩效自评表 the source gives (generated from their indicators) and
    none of the tables file's own extra tables: the package prints what the source says."""
    from juesuan.evaluation.compose import build_forms
    from juesuan.evaluation.model import FormKind
    from juesuan.evaluation.model import Performance as Evaluations
    from juesuan.evaluation.scoring import default_method, fmt

    specs = source.performance.forms
    forms, warnings = build_forms(specs, source.unit.name, source.unit.year, default_method())
    whole = next((f for f in forms if f.kind is FormKind.DEPARTMENT), None)
    stated = source.performance.score
    if whole is not None and stated is not None and whole.total_score != stated:
        warnings.append(
            f"performance.score {fmt(stated)} 与部门整体绩效自评表总分 "
            f"{fmt(whole.total_score)} 不一致"
        )
    return replace(report, performance=Evaluations(forms), extra_tables=()), warnings


def prepare(source_path: str | Path) -> Disclosure:
    """The complete package as data (tables, narrative, glossary, last year's totals)."""
    return prepare_build(source_path).disclosure


@dataclass(frozen=True)
class BuildResult:
    """What ``juesuan build`` prints: the files written (or why nothing was), the check's
    findings, the warnings and the reasons still to be written."""

    source: Path
    outdir: Path
    built: bool
    written: dict[str, Path] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    warnings: tuple[str, ...] = ()
    missing_reasons: tuple[str, ...] = ()
    forced: bool = False

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def exit_code(self) -> int:
        """0 = built; 1 = refused because the check found errors."""
        return 0 if self.built else 1

    def lines(self) -> list[str]:
        """A plain-Chinese summary for the command line."""
        out: list[str] = []
        if not self.built:
            out.append(f"未生成：校验发现 {len(self.errors)} 条错误（可用 --force 强制生成）")
            out.extend(f"  [{f.rule_id}] {f.message}" for f in self.errors)
        else:
            note = "（已强制生成，校验有错误）" if self.forced and self.errors else ""
            out.append(f"已生成 {self.outdir}/{note}")
            out.extend(f"  {name}：{path}" for name, path in self.written.items())
        checked = [f for f in self.findings if f.severity is Severity.WARNING]
        if checked:
            out.append(f"校验警告（{len(checked)}）")
            out.extend(f"  [{f.rule_id}] {f.message}" for f in checked)
        if self.warnings:
            out.append(f"警告（{len(self.warnings)}）")
            out.extend(f"  {w}" for w in self.warnings)
        if self.missing_reasons:
            out.append(f"待填写原因（{len(self.missing_reasons)}），文中以标记留出：")
            out.extend(f"  {m}" for m in self.missing_reasons)
        return out


def build(
    source_path: str | Path,
    outdir: str | Path,
    force: bool = False,
    *,
    overwrite: bool = False,
    extra: Callable[[Path], None] | None = None,
    limits: Limits | None = None,
) -> BuildResult:
    """Check, then write the package into ``outdir``: a new folder, an empty one, or one that
    holds juesuan's own earlier package; a folder with other files is refused
    (:class:`juesuan.errors.OutputError`) unless ``overwrite``, and then only juesuan's files
    are replaced (see :mod:`juesuan.folders`). ``force`` builds even when the check finds
    errors. ``extra`` writes more files into the staging folder before it is moved."""
    from juesuan.folders import OutputFolder

    folder = OutputFolder(outdir, force=overwrite)  # refused before any work
    prepared = prepare_build(source_path, limits=limits)
    target = folder.target
    findings = tuple(prepared.check.findings)
    base = BuildResult(
        source=prepared.source.path,
        outdir=target,
        built=False,
        findings=findings,
        warnings=prepared.warnings,
        missing_reasons=prepared.disclosure.missing_reasons,
        forced=force,
    )
    if prepared.check.has_errors and not force:
        return base
    from juesuan.writers import write_package

    with folder as staging:
        written = write_package(prepared.disclosure, staging)
        if extra is not None:
            extra(staging)
    moved = {name: _moved(path, staging, target) for name, path in written.items()}
    return replace(base, built=True, written=moved)


def _moved(path: Path, staging: Path, target: Path) -> Path:
    try:
        return target / Path(path).relative_to(staging)
    except ValueError:
        return Path(path)
