"""The project's main instrument: juesuan over the whole real corpus (``../shared/corpus``).

Per document: the kind juesuan says it is, unit, year, tables with data, 项目支出绩效自评表 read,
cells exact against ``final-accounts/truth/`` where a transcription exists, narrative sections
and claims found, findings by severity, the real errors of ``final-accounts/ERRORS.md`` found
(must as an error, soft as a warning or better), errors that ERRORS.md does not list, and
seconds. A 预算 (printed with -v): its tables by B-id, cells read, findings by severity and
every error it raises (bench/data/budget_verdicts.md judges them on 20 budgets). Then the
totals.

Run: ``python bench/corpus.py [--only 00] [--verbose] [--json out.json]``. Skips cleanly (exit 0)
when the corpus is not beside the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus_key import (
    CORPUS,
    budget_truth_line,
    compare_errors,
    compare_truth,
    documents_with_key,
    known_errors,
    truth_files,
)

BUDGET_KINDS = ("部门预算", "单位预算")
NOT_FINAL = (*BUDGET_KINDS, "绩效评价")


def _index() -> list[dict[str, str]]:
    with open(CORPUS / "INDEX.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _kind_of(report: Any) -> str:
    kind = getattr(report, "kind", None)
    return getattr(kind, "value", None) or str(kind or "?")


def _finals(entries: list[dict[str, str]]) -> list[Any]:
    """Every 决算 of the corpus that reads, for matching last year's report by unit and year."""
    from juesuan import api
    from juesuan.errors import InputError

    out = []
    for entry in entries:
        if entry["kind"] != "决算":
            continue
        try:
            out.append(api.load(CORPUS / entry["file"]))
        except InputError:
            continue
    return out


def run_one(
    path: Path,
    keys: list[Any],
    truths: dict[str, Path],
    keyed: set[str],
    finals: list[Any],
) -> dict[str, Any]:
    from juesuan import api
    from juesuan.errors import InputError
    from juesuan.model.prior import find_prior

    doc = path.name.split("_")[0]
    row: dict[str, Any] = {"doc": doc, "file": str(path.relative_to(CORPUS))}
    t0 = time.perf_counter()
    try:
        report = api.load(path)
    except InputError as exc:
        row.update(kind="refused", error=exc.reason, seconds=time.perf_counter() - t0)
        return row
    except Exception as exc:  # the bench must survive a reader crash and say so
        row.update(
            kind="crash", error=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - t0
        )
        return row
    row.update(
        kind=_kind_of(report),
        unit=report.unit_name,
        year=report.year,
        tables="".join(
            t.value[-1] for t, tb in sorted(report.tables.items()) if tb.status.value == "present"
        ),
        sections=len(report.sections),
        notes=list(report.reader_notes),
        project_forms=len(report.performance.project_forms),  # 项目支出绩效自评表 read
    )
    if row["kind"] in BUDGET_KINDS:
        return _budget_row(row, report, t0)
    if row["kind"] in NOT_FINAL:
        row["seconds"] = time.perf_counter() - t0
        return row
    prior = find_prior(report, finals)
    if prior is not None:
        row["prior"] = Path(prior.source_file or "").name.split("_")[0]
    result = _audit(row, report, t0, prior)
    if result is None:
        return row
    row.update()
    if doc in truths:
        tr = compare_truth(truths[doc], report)
        row.update(
            cells_exact=tr.exact,
            cells_total=tr.total,
            cells_extra=len(tr.extra),
            unit_right=tr.unit_name_right,
            unit_truth=tr.unit_name,
        )
        row["cells_wrong"] = [
            f"{c.table}:{c.row}:{c.column} {c.expected}→{c.found}" for c in tr.cells if not c.exact
        ]
    if doc in keyed:
        kr = compare_errors(doc, result.findings, keys)
        row.update(
            must=len(kr.must),
            must_found=kr.must_found,
            soft=len(kr.soft),
            soft_found=kr.soft_found,
            unlisted=len(kr.unlisted_errors),
            beyond=len(kr.beyond),
            missed=[
                f"{k.id} ({k.level}, found {sev or 'nothing'}): {k.quote[:40]}"
                for k, sev in (*kr.must, *kr.soft)
                if sev not in (("error",) if k.level == "must" else ("error", "warning"))
            ],
            unlisted_list=[f"[{f.rule_id}] {f.message[:150]}" for f in kr.unlisted_errors],
        )
    return row


def _budget_row(row: dict[str, Any], report: Any, t0: float) -> dict[str, Any]:
    """A 预算: its tables by B-id (present, or printed empty with a note), cells read, and the
    audit's findings by severity (the budget rules and the budget narrative), errors listed."""

    present = [t for t, tb in sorted(report.tables.items()) if tb.status.value == "present"]
    empty = [t for t, tb in sorted(report.tables.items()) if tb.status.value == "empty"]
    # tables kept as printed (B16 绩效目标表: goals and indicators in words)
    text = [e for e in report.extra_tables if e.kind is not None]
    row.update(
        tables=",".join(t.value for t in present),
        empty_tables=",".join(t.value for t in empty),
        text_tables=",".join(sorted({e.kind.value for e in text if e.kind is not None})),
        text_rows=sum(len(e.rows) for e in text),
        cells=sum(
            1
            for t in present
            for r in report.tables[t].rows
            for c in r.cells.values()
            if c.value is not None
        ),
    )
    result = _audit(row, report, t0)
    if result is None:
        return row
    row.update(
        error_list=[
            f"[{f.rule_id}] {f.message[:150]}"
            for f in result.findings
            if f.severity.value == "error"
        ],
    )
    return row


def _audit(row: dict[str, Any], report: Any, t0: float, prior: Any = None) -> Any:
    """Audit ``report`` into ``row`` (seconds, claims, findings by severity); None after a
    crash, which the row records."""
    from juesuan import api

    try:
        result = api.audit(report, prior=prior)
    except Exception as exc:
        row.update(error=f"audit crash {type(exc).__name__}: {exc}")
        row["seconds"] = time.perf_counter() - t0
        return None
    row["seconds"] = time.perf_counter() - t0
    counts = Counter(f.severity.value for f in result.findings)
    row.update(
        claims=len(result.claims),
        errors=counts["error"],
        warnings=counts["warning"],
        notices=counts["notice"],
        infos=counts["info"],
    )
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="only files whose path contains this")
    ap.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="list missed ERRORS.md rows, unlisted errors and wrong cells",
    )
    ap.add_argument("--json", help="write every row to this file")
    args = ap.parse_args()
    if not (CORPUS / "INDEX.tsv").exists():
        print(f"corpus not found at {CORPUS}: skipped")
        return 0
    keys = known_errors()
    keyed = set(documents_with_key())
    truths = {p.stem: p for p in truth_files()}
    rows = []
    t_all = time.perf_counter()
    entries = _index()
    finals = _finals(entries)
    for entry in entries:
        if args.only and args.only not in entry["file"]:
            continue
        path = CORPUS / entry["file"]
        row = run_one(path, keys, truths, keyed, finals)
        row["expected_kind"] = entry["kind"]
        row["index_unit"] = re.sub(r"\s*\(.*$", "", entry.get("unit", "")).strip()
        rows.append(row)
        _print_row(row, args.verbose)
    _print_totals(rows, time.perf_counter() - t_all)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
    return 0


def _print_row(r: dict[str, Any], verbose: bool) -> None:
    if r["expected_kind"].startswith("预算") and not verbose:
        return  # budgets are summed in the totals; -v lists them
    if r["expected_kind"].startswith("预算") and r["kind"] in BUDGET_KINDS:
        _print_budget(r)
        return
    parts = [f"{r['doc']} {r['kind']:<6}"]
    if "error" in r:
        parts.append(f"!! {r['error'][:90]}")
    if "unit" in r:
        parts.append(
            f"{(r['unit'] or '?')[:18]} {r['year'] or '?'} 表{r['tables'] or '-'} 节{r['sections']}"
        )
    if r.get("project_forms"):
        parts.append(f"项目自评表{r['project_forms']}")
    if "claims" in r:
        parts.append(
            f"述{r['claims']} E{r['errors']} W{r['warnings']} N{r['notices']} I{r['infos']}"
        )
    if "cells_total" in r:
        parts.append(
            f"cells {r['cells_exact']}/{r['cells_total']} (+{r['cells_extra']})"
            f" unit {'ok' if r['unit_right'] else 'WRONG'}"
        )
    if "prior" in r:
        parts.append(f"上年{r['prior']}")
    if "must" in r:
        parts.append(
            f"must {r['must_found']}/{r['must']} soft {r['soft_found']}/{r['soft']}"
            f" unlisted {r['unlisted']}"
        )
    parts.append(f"{r['seconds']:.2f}s")
    print("  ".join(parts))
    if verbose:
        for key in ("missed", "unlisted_list", "cells_wrong"):
            for item in r.get(key, [])[:40]:
                print(f"      {key[:8]}: {item}")


def _content(r: dict[str, Any]) -> str:
    """What of a 预算 was read: its tables, only its 情况说明 (a document of the narrative
    alone, the tables published apart), or nothing."""
    if r.get("tables") or r.get("empty_tables") or r.get("text_tables"):
        return "tables"
    return "narrative only" if r.get("sections") else "no content"


def _print_budget(r: dict[str, Any]) -> None:
    parts = [f"{r['doc']} {r['kind']:<6}"]
    if "error" in r:
        parts.append(f"!! {r['error'][:90]}")
    parts.append(f"{(r['unit'] or '?')[:18]} {r['year'] or '?'}")
    content = _content(r)
    if content == "tables":
        tables = f"表 {r['tables'] or '-'}"
        if r.get("empty_tables"):
            tables += f" (empty {r['empty_tables']})"
        if r.get("text_tables"):
            tables += f" as printed {r['text_tables']} ({r['text_rows']} rows)"
        parts.append(f"{tables} cells {r['cells']}")
    else:
        parts.append(content)
    parts.append(f"节{r['sections']}")
    if "claims" in r:
        parts.append(
            f"述{r['claims']} E{r['errors']} W{r['warnings']} N{r['notices']} I{r['infos']}"
        )
    parts.append(f"{r['seconds']:.2f}s")
    print("  ".join(parts))
    for item in r.get("error_list", [])[:40]:
        print(f"      error: {item}")


def _print_budget_totals(budgets: list[dict[str, Any]]) -> None:
    def total(key: str) -> int:
        return sum(int(r.get(key) or 0) for r in budgets)

    ok = [r for r in budgets if r["kind"] in BUDGET_KINDS]
    print(f"budgets recognised as budgets: {len(ok)}/{len(budgets)}")
    content = Counter(_content(r) for r in ok)
    print(
        f"budgets whose tables were read: {content['tables']}/{len(ok)};"
        f" narrative only (no tables in the document): {content['narrative only']};"
        f" no content: {content['no content']}"
    )
    if content["no content"]:
        print("  no content: " + " ".join(r["doc"] for r in ok if _content(r) == "no content"))
    kinds = Counter(
        t
        for r in ok
        for t in {*(r.get("tables") or "").split(","), *(r.get("text_tables") or "").split(",")}
        if t
    )
    print("budget tables by kind: " + " ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    audited = [r for r in ok if "claims" in r]
    print(
        f"budget cells read {total('cells')}; claims {total('claims')};"
        f" findings E{total('errors')} W{total('warnings')} N{total('notices')}"
        f" I{total('infos')} ({total('errors') / max(1, len(audited)):.2f} errors per budget;"
        f" budgets with errors {sum(bool(r.get('errors')) for r in audited)}/{len(audited)})"
    )


def _print_totals(rows: list[dict[str, Any]], seconds: float) -> None:
    def total(key: str, where: list[dict[str, Any]] | None = None) -> int:
        return sum(int(r.get(key) or 0) for r in (rows if where is None else where))

    finals = [r for r in rows if r["expected_kind"] == "决算"]
    budgets = [r for r in rows if r["expected_kind"].startswith("预算")]
    others = [
        r
        for r in rows
        if r["expected_kind"] not in ("决算",) and not r["expected_kind"].startswith("预算")
    ]
    keyed = [r for r in finals if "must" in r]
    print("\n== totals")
    print(
        f"documents {len(rows)} in {seconds:.1f}s: 决算 {len(finals)}, 预算 {len(budgets)},"
        f" other {len(others)}"
    )
    print(
        f"crashes {sum(r['kind'] == 'crash' for r in rows)},"
        f" refused {sum(r['kind'] == 'refused' for r in rows)}"
    )
    if finals:
        from juesuan.model.prior import unit_key

        named = [r for r in finals if r.get("unit") is not None]
        right = sum(
            unit_key(r["index_unit"]) in unit_key(r["unit"])
            or unit_key(r["unit"]) in unit_key(r["index_unit"])
            for r in named
        )
        print(f"决算 unit names as INDEX.tsv gives them (or fuller): {right}/{len(finals)}")
        read = sum(r.get("sections", 0) > 0 or bool(r.get("tables")) for r in finals)
        print(
            f"决算 read (tables or narrative): {read}/{len(finals)};"
            f" kind said 决算: {sum(r['kind'] in ('部门决算', '单位决算') for r in finals)}"
        )
    forms = total("project_forms")
    if forms:
        with_forms = sum(bool(r.get("project_forms")) for r in rows)
        print(f"项目支出绩效自评表 read: {forms} in {with_forms} documents")
    if budgets:
        _print_budget_totals(budgets)
        if line := budget_truth_line([r["file"] for r in budgets]):
            print(line)
    with_truth = [r for r in rows if "cells_total" in r]
    if with_truth:
        print(
            f"cells exact: {total('cells_exact', with_truth)}/{total('cells_total', with_truth)}"
            f" (+{total('cells_extra', with_truth)} read where truth is blank);"
            f" unit names right {sum(bool(r['unit_right']) for r in with_truth)}"
            f"/{len(with_truth)}"
        )
    if keyed:
        must, soft = total("must", keyed), total("soft", keyed)
        print(
            f"ERRORS.md must found as error: {total('must_found', keyed)}/{must};"
            f" soft found as warning or error: {total('soft_found', keyed)}/{soft}"
        )
        print(
            f"errors not in ERRORS.md: {total('unlisted', keyed)} over {len(keyed)} documents"
            f" ({total('unlisted', keyed) / len(keyed):.2f} per document);"
            f" real errors beyond ERRORS.md, verified by hand (bench/data/beyond_errors.toml):"
            f" {total('beyond', keyed)}"
        )
        print(
            f"claims {total('claims', keyed)}; findings E{total('errors', keyed)}"
            f" W{total('warnings', keyed)} N{total('notices', keyed)} I{total('infos', keyed)}"
        )


if __name__ == "__main__":
    sys.exit(main())
