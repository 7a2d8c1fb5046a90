"""PDF import benchmark: for each test PDF (and the real corpus PDFs with a transcription, when
``../shared/corpus`` is there), the cells exact, milliseconds per page, the ratio of reading it
in-process to pypdfium2's raw text extraction of all its pages, and peak memory; then a
25-page report and a 1,000-page PDF against the goals.

Goals: reading ≤ 2× raw text extraction; a 25-page report in ≤ 0.5 s; ≤ 150 MB peak for 1,000
pages. The ratio is measured in one process per file, after imports and a warm-up read,
alternating raw extraction and juesuan's read, the best of several rounds of each (a shared
machine's noise only ever adds time). Peak memory comes from a fresh process per file (one
core, the kernel's high-water mark of resident memory).

The floor column is what the goal is up against: a loop that makes only the C calls any reader
of cells and rulings makes through pypdfium2 (each page and its text page, one box per
character, the type and bounds of each page object), with no Python work on their results.

Run: ``python bench/import.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDFS = REPO / "tests" / "data" / "pdfs"
CORPUS = REPO.parent / "shared" / "corpus" / "final-accounts"

_RATIO = r"""
import ctypes, json, sys, time
from pathlib import Path
import pypdfium2 as pdfium
import pypdfium2.raw as raw_api
from juesuan.model.codes import reference_codes
from juesuan.readers.pdf import read_pdf

path, rounds = Path(sys.argv[1]), int(sys.argv[2])
data = path.read_bytes()
codes = reference_codes()

def raw_text():
    doc = pdfium.PdfDocument(data)
    for i in range(len(doc)):
        page = doc[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    n = len(doc)
    doc.close()
    return n

def floor():
    # the C calls any reader of cells and rulings makes through pypdfium2, and nothing else:
    # each page and its text page, one box per character, type and bounds per page object
    rect = raw_api.FS_RECTF(); ref = ctypes.byref(rect); box = raw_api.FPDFText_GetLooseCharBox
    f = [ctypes.c_float() for _ in range(4)]; fr = [ctypes.byref(v) for v in f]
    kind, bounds = raw_api.FPDFPageObj_GetType, raw_api.FPDFPageObj_GetBounds
    count, get = raw_api.FPDFPage_CountObjects, raw_api.FPDFPage_GetObject
    doc = pdfium.PdfDocument(data)
    for i in range(len(doc)):
        page = doc[i]
        textpage = page.get_textpage()
        handle = textpage.raw
        for k in range(len(textpage.get_text_range())):
            box(handle, k, ref)
        for k in range(count(page.raw)):
            obj = get(page.raw, k); kind(obj); bounds(obj, *fr)
        textpage.close()
        page.close()
    doc.close()

pages = raw_text()
read_pdf(data, path, codes)
floor()
raw, mine, least = [], [], []
for _ in range(rounds):
    t = time.perf_counter(); raw_text(); raw.append(time.perf_counter() - t)
    t = time.perf_counter(); read_pdf(data, path, codes); mine.append(time.perf_counter() - t)
    t = time.perf_counter(); floor(); least.append(time.perf_counter() - t)
print(json.dumps({"pages": pages, "raw": min(raw), "read": min(mine), "floor": min(least)}))
"""

# VmHWM, not getrusage's ru_maxrss: the latter keeps the parent's peak across fork and exec
_PEAK = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from juesuan.readers import read
read(Path(sys.argv[1]))
seconds = time.perf_counter() - t0
status = Path("/proc/self/status").read_text()
peak_kb = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "rss_mb": peak_kb / 1024}))
"""


def _child(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _exact_test_pdf(name: str) -> tuple[int, int]:
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


def _exact_corpus(truth: Path) -> tuple[int, int]:
    sys.path.insert(0, str(REPO))
    from bench.corpus_key import compare_truth, truth_document
    from juesuan.readers import read

    result = compare_truth(truth, read(truth_document(truth)))
    return result.exact, result.total


def _repeat(src: Path, copies: int, out: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(src))
    for _ in range(copies):
        doc.import_pages(source)
    doc.save(str(out))
    return len(doc)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per file")
    rounds = str(parser.parse_args().rounds)
    print(
        f"{'file':34} {'pages':>5} {'cells exact':>16} {'ms/page':>8} {'raw ms/page':>11} "
        f"{'ratio':>6} {'floor':>6} {'peak MB':>8}"
    )
    files: list[tuple[str, Path, tuple[int, int]]] = [
        (p.stem, p, _exact_test_pdf(p.stem)) for p in sorted(PDFS.glob("*.pdf"))
    ]
    truths = sorted((CORPUS / "truth").glob("*.json")) if (CORPUS / "truth").is_dir() else []
    for truth in truths:
        sys.path.insert(0, str(REPO))
        from bench.corpus_key import truth_document

        pdf = truth_document(truth)
        files.append((f"corpus {pdf.name[:27]}", pdf, _exact_corpus(truth)))
    ratios, floors = [], []
    for label, pdf, (ok, total) in files:
        timing = _child(_RATIO, str(pdf), rounds)
        peak = _child(_PEAK, str(pdf))
        pages = timing["pages"]
        ratio = timing["read"] / timing["raw"]
        ratios.append(ratio)
        floors.append(timing["floor"] / timing["raw"])
        print(
            f"{label:34} {pages:5.0f} {ok:>6}/{total:<5} {100 * ok / max(total, 1):3.0f}% "
            f"{1000 * timing['read'] / pages:8.2f} {1000 * timing['raw'] / pages:11.2f} "
            f"{ratio:5.1f}x {floors[-1]:5.1f}x {peak['rss_mb']:8.1f}"
        )
    ratios.sort()
    print(
        f"ratio to raw pypdfium2 text: median {ratios[len(ratios) // 2]:.1f}x, "
        f"best {ratios[0]:.1f}x, worst {ratios[-1]:.1f}x "
        f"(goal ≤ 2.0x: {'met' if ratios[-1] <= 2.0 else 'MISSED'})"
    )
    floors.sort()
    print(
        f"floor, the C calls alone (page, text page, a box per character, type and bounds per "
        f"object): median {floors[len(floors) // 2]:.1f}x, best {floors[0]:.1f}x, "
        f"worst {floors[-1]:.1f}x raw text"
    )
    with tempfile.TemporaryDirectory() as tmp:
        import pypdfium2 as pdfium

        seed = PDFS / "seed002-docx.pdf"
        n = len(pdfium.PdfDocument(str(seed)))
        for target, goal_s, goal_mb in ((25, 0.5, 150.0), (1000, None, 150.0)):
            path = Path(tmp) / f"{target}.pdf"
            pages = _repeat(seed, max(1, round(target / n)), path)
            peak = _child(_PEAK, str(path))
            met = peak["rss_mb"] <= goal_mb and (goal_s is None or peak["seconds"] <= goal_s)
            goal = f"≤{goal_s} s, " if goal_s is not None else ""
            print(
                f"{pages}-page report: import {peak['seconds']:.2f} s "
                f"({peak['seconds'] / pages * 1000:.1f} ms/page, imports included), "
                f"peak RSS {peak['rss_mb']:.0f} MB  goal {goal}≤{goal_mb:.0f} MB: "
                f"{'met' if met else 'MISSED'}"
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
