"""How long one check of a report takes with the built-in rules (target: 0.1 s).

Run from the repository root: ``python bench/check.py``. Times the rule engine alone (the
report is built once, outside the timing) on a large synthetic report (about 1,000
classification rows in each of tables 02, 03 and 05) and on a seed-sized one.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.synth  (a test module)

from tests.synth import generate_large, generate_report

from juesuan.model.report import Report
from juesuan.rules.declarations import Rule, builtin_rules
from juesuan.rules.engine import evaluate

RUNS = 20
TARGET_SECONDS = 0.1


def count_rows(report: Report) -> tuple[int, int]:
    """(all rows, classification rows) over the nine tables."""
    rows = [r for t in report.tables.values() for r in t.rows]
    return len(rows), sum(1 for r in rows if r.code)


def bench(name: str, report: Report, rules: list[Rule]) -> None:
    findings = evaluate(report, rules)  # warm-up (code lists, caches)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        evaluate(report, rules)
        times.append(time.perf_counter() - start)
    median, best = statistics.median(times), min(times)
    total, coded = count_rows(report)
    per_table = {t.id.value: len(t.rows) for t in report.tables.values()}
    print(f"{name}:")
    print(f"  rows: {total} in all ({coded} classification rows); per table {per_table}")
    print(f"  rules: {len(rules)}; findings: {len(findings)}")
    print(f"  median {median:.4f} s, best {best:.4f} s per check over {RUNS} runs")
    print(f"  median {median:.4f} s = {median / TARGET_SECONDS:.2f} × target ({TARGET_SECONDS} s)")


def main() -> None:
    rules = builtin_rules()
    # the target: a report of about 1,000 classification rows in all
    bench("generate_large(310): ~1,000 classification rows in all", generate_large(310), rules)
    # a stress case: ~1,000 rows in each of 02, 03 and 05 (as many as the code list has)
    bench("generate_large(1000)", generate_large(1000), rules)
    bench("generate_report(0)", generate_report(0), rules)


if __name__ == "__main__":
    main()
