"""PDF import benchmark: for each test PDF, cells exact (%), seconds per page, the ratio to raw
text extraction with the same engine (pypdfium2) on the same file, peak memory; then a
25-page report and a 1,000-page PDF against the goal (≤ 0.5 s and ≤ 150 MB for 25 pages).

Each measurement runs in a fresh subprocess (one core, peak RSS from getrusage).
Run: ``python bench/import.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDFS = REPO / "tests" / "data" / "pdfs"

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, path = sys.argv[1], Path(sys.argv[2])
t0 = time.perf_counter()
if mode == "import":
    from juesuan.readers import read
    report = read(path)
    import pypdfium2 as pdfium
    pages = len(pdfium.PdfDocument(str(path)))
elif mode == "raw":
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    pages = len(doc)
    for i in range(pages):
        page = doc[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
elif mode == "plumber":
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            page.extract_words()
            page.lines
            page.close()
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "pages": pages,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(mode: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c", _CHILD, mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _exact(name: str) -> tuple[int, int]:
    from juesuan.model.serialize import report_from_json
    from juesuan.readers import read

    truth = report_from_json(json.loads((PDFS / f"{name}.truth.json").read_text("utf-8")))
    got = read(PDFS / f"{name}.pdf")
    ok = total = 0
    for tid, table in truth.tables.items():
        for row in table.rows:
            other = got.table(tid).row(row.key)
            for column, cell in row.cells.items():
                total += 1
                value = other.value(column) if other else "missing"
                ok += value == cell.value and str(value) == str(cell.value)
    return ok, total


def _repeat(src: Path, copies: int, out: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(src))
    for _ in range(copies):
        doc.import_pages(source)
    doc.save(str(out))
    return len(doc)


def main() -> None:
    print(
        f"{'file':24} {'pages':>5} {'cells exact':>16} {'s/page':>8} {'vs raw text':>11} "
        f"{'peak MB':>8} {'pdfplumber words s/page':>24}"
    )
    for pdf in sorted(PDFS.glob("*.pdf")):
        ok, total = _exact(pdf.stem)
        imp = _run("import", pdf)
        raw = _run("raw", pdf)
        plumber = _run("plumber", pdf)
        per_page = imp["seconds"] / imp["pages"]
        print(
            f"{pdf.stem:24} {imp['pages']:5.0f} {ok:>6}/{total:<5} {100 * ok / total:3.0f}% "
            f"{per_page:8.4f} {imp['seconds'] / raw['seconds']:10.1f}x {imp['rss_mb']:8.1f} "
            f"{plumber['seconds'] / plumber['pages']:24.4f}"
        )
    with tempfile.TemporaryDirectory() as tmp:
        seed = PDFS / "seed002-docx.pdf"
        for target in (25, 1000):
            import pypdfium2 as pdfium

            n = len(pdfium.PdfDocument(str(seed)))
            path = Path(tmp) / f"{target}.pdf"
            pages = _repeat(seed, max(1, round(target / n)), path)
            imp = _run("import", path)
            goal = ""
            if target == 25:
                goal = (
                    f"  goal ≤0.5 s, ≤150 MB: "
                    f"{'met' if imp['seconds'] <= 0.5 and imp['rss_mb'] <= 150 else 'MISSED'}"
                )
            print(
                f"{pages}-page report: import {imp['seconds']:.2f} s "
                f"({imp['seconds'] / pages * 1000:.1f} ms/page), peak RSS {imp['rss_mb']:.0f} MB"
                f"{goal}"
            )


# --- command-line start-up ----------------------------------------------------------------------

HELP_GOAL_MS = 100.0
SEED = REPO.parent / "shared" / "seeds" / "002_af51da28134e3624.txt"
EXAMPLE = REPO / "src" / "juesuan" / "examples" / "jiaozuo-2021.txt"  # a copy of seed 002


def _juesuan() -> list[str]:
    """The installed ``juesuan`` script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("juesuan")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from juesuan.cli import main; main()"]


def _wall_ms(args: list[str], runs: int) -> tuple[float, float]:
    """Median and fastest wall-clock milliseconds of ``juesuan ARGS``, each in a fresh process."""
    import statistics
    import time

    cmd = [*_juesuan(), *args]
    subprocess.run(cmd, capture_output=True, check=False)  # warm the disk cache and .pyc files
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def cli_startup(runs: int = 21) -> None:
    """``juesuan --help`` against the goal (≤ 100 ms wall clock), and ``juesuan check`` on seed
    002 (a plain-text report), each the median of ``runs`` fresh processes. Shared machines are
    noisy: compare medians of runs made one after the other, not across days."""
    seed = SEED if SEED.exists() else EXAMPLE
    median, fastest = _wall_ms(["--help"], runs)
    ratio = median / HELP_GOAL_MS
    print(
        f"juesuan --help: median {median:.0f} ms of {runs} runs (fastest {fastest:.0f} ms), "
        f"{ratio:.2f}x the goal of ≤{HELP_GOAL_MS:.0f} ms: {'met' if ratio <= 1 else 'MISSED'}"
    )
    median, fastest = _wall_ms(["check", str(seed)], runs)
    print(
        f"juesuan check {seed.name}: median {median:.0f} ms of {runs} runs "
        f"(fastest {fastest:.0f} ms)"
    )


if __name__ == "__main__":
    # ``python bench/import.py --cli`` measures only the command-line start-up (seconds, not
    # minutes).
    if "--cli" not in sys.argv[1:]:
        main()
    cli_startup()
