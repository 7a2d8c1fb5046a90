"""How ``juesuan corpus audit`` scales: documents per second with 1 and 2 local worker
processes and on a Dask LocalCluster of 2 workers, and the peak memory of a worker.

Run from the repository root: ``python bench/corpus_scale.py [--n 1000] [--corpus DIR]``.
Without ``--corpus``, ``bench/make_corpus.py N`` generates the reports into
``bench/out/corpus-N`` (once; later runs reuse them). Each configuration audits the same
documents into a fresh output folder; the rate counts the documents audited (both passes, the
second being the units whose last year's report is in the corpus) over the time from the first
document sent to the last result saved; writing the dataset is timed apart.

Like with like: both pools start cold (the local pool spawns its processes at the first
document, the Dask workers import juesuan at their first; both inside the time), both keep
2 documents per worker in flight, and the cluster is the one ``juesuan.corpus.run.local_cluster``
sets up (one thread per worker, Dask's monitoring turned down). Memory: the peak of the process
each document runs in (forked from its worker: what the per-document memory limit bounds) and
the largest resident size of a worker process itself (a Dask worker with the clean process
it forks documents from), sampled while the run goes.

Targets (one run, same machine): 2 local workers ≥ 1.8 × 1 worker; Dask within 10 % of the
local pool with the same number of workers. The machine's other load counts against both: run
it on an idle machine, or compare the load printed beside each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.corpus.run import RunSummary, Settings, audit_corpus, local_cluster  # noqa: E402

SAMPLE_EVERY = 10  # documents between two looks at the worker processes' memory


def _worker_rss() -> dict[int, int]:
    """Resident bytes of this process's worker processes (the local pool's, or the Dask
    workers its nannies started, each with the clean process it forks documents from), not of
    the per-document processes they fork."""
    import psutil

    def spawned(p: psutil.Process, parent: list[str]) -> bool:
        # a process started afresh, not forked: a fork keeps its parent's command line
        line = p.cmdline()
        return line != parent and "spawn_main" in " ".join(line)

    out = {}
    for child in psutil.Process().children():
        try:
            line = child.cmdline()
            if "resource_tracker" in " ".join(line):
                continue
            rss = child.memory_info().rss
            rss += sum(g.memory_info().rss for g in child.children() if spawned(g, line))
            out[child.pid] = rss
        except psutil.Error:
            continue  # gone meanwhile
    return out


class _Clock:
    """A progress listener that notes when the work started and when the last result came,
    and the largest worker process seen."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.last: float | None = None
        self.done = 0
        self.worker_peak = 0

    def start(self, stage: str, total: int) -> None:
        if self.first is None:
            self.first = time.perf_counter()

    def advance(self, document: dict[str, Any]) -> None:
        self.done += 1
        self.last = time.perf_counter()
        if self.done % SAMPLE_EVERY == 1:
            self.worker_peak = max(self.worker_peak, *_worker_rss().values(), 0)

    @property
    def seconds(self) -> float:
        return (self.last or 0.0) - (self.first or 0.0)


def _measure(label: str, corpus: Path, scratch: Path, **kw: Any) -> dict[str, Any]:
    clock = _Clock()
    out = scratch / label.replace(" ", "-").replace(",", "")
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    summary: RunSummary = audit_corpus(corpus, out, progress=clock, **kw)
    total = time.perf_counter() - t0
    peaks = [d["peak_mb"] for d in summary.documents if d.get("peak_mb")]
    rate = clock.done / clock.seconds if clock.seconds else 0.0
    row = {
        "label": label,
        "documents": len(summary.documents),
        "audits": clock.done,
        "seconds": clock.seconds,
        "rate": rate,
        "dataset_seconds": total - clock.seconds,
        "peak_max": max(peaks, default=0.0),
        "peak_median": statistics.median(peaks) if peaks else 0.0,
        "errors": len(summary.errors),
        "worker_mb": clock.worker_peak / 2**20,
    }
    load_after = os.getloadavg()[0]
    print(
        f"{label:<22} {row['audits']:>5} audits in {row['seconds']:7.1f} s = "
        f"{rate:6.2f} documents/s   dataset {row['dataset_seconds']:5.1f} s   "
        f"peak per document {row['peak_max']:.0f} MB (median {row['peak_median']:.0f}), "
        f"worker process {row['worker_mb']:.0f} MB   error rows {row['errors']}   "
        f"load {load:.1f} → {load_after:.1f}",
        flush=True,
    )
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--corpus", type=Path)
    args = ap.parse_args()
    corpus = args.corpus or ROOT / "bench" / "out" / f"corpus-{args.n}"
    if not corpus.is_dir():
        make = ROOT / "bench" / "make_corpus.py"
        subprocess.run([sys.executable, str(make), str(args.n), "-o", str(corpus)], check=True)
    with tempfile.TemporaryDirectory(prefix="corpus-scale-") as tmp:
        scratch = Path(tmp)
        one = _measure("local, 1 worker", corpus, scratch, settings=Settings(workers=1))
        two = _measure("local, 2 workers", corpus, scratch, settings=Settings(workers=2))
        with local_cluster(2) as client:
            dask = _measure("Dask LocalCluster, 2", corpus, scratch, client=client)
    speedup = two["rate"] / one["rate"] if one["rate"] else 0.0
    versus = dask["rate"] / two["rate"] if two["rate"] else 0.0
    print(
        f"2 workers / 1 worker: {speedup:.2f}× (target ≥ 1.80)   "
        f"Dask / local pool: {versus:.2f} (target ≥ 0.90)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
