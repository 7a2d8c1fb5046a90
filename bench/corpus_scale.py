"""How ``juesuan corpus audit`` scales: documents per second with 1 and 2 local worker
processes and on a Dask LocalCluster of 2 workers, and the peak memory of a worker.

Run from the repository root: ``python bench/corpus_scale.py [--n 1000] [--corpus DIR]``.
Without ``--corpus``, ``bench/make_corpus.py N`` generates the reports into
``bench/out/corpus-N`` (once; later runs reuse them). Each configuration audits the same
documents into a fresh output folder; the rate counts the documents audited (both passes, the
second being the units whose last year's report is in the corpus) over the time from the first
document sent to the last result saved; writing the dataset is timed apart.

Targets (one run, same machine): 2 local workers ≥ 1.8 × 1 worker; Dask within 10 % of the
local pool with the same number of workers. The machine's other load counts against both: run
it on an idle machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from juesuan.corpus.run import RunSummary, Settings, audit_corpus  # noqa: E402


class _Clock:
    """A progress listener that notes when the work started and when the last result came."""

    def __init__(self) -> None:
        self.first: float | None = None
        self.last: float | None = None
        self.done = 0

    def start(self, stage: str, total: int) -> None:
        if self.first is None:
            self.first = time.perf_counter()

    def advance(self, document: dict[str, Any]) -> None:
        self.done += 1
        self.last = time.perf_counter()

    @property
    def seconds(self) -> float:
        return (self.last or 0.0) - (self.first or 0.0)


def _measure(label: str, corpus: Path, scratch: Path, **kw: Any) -> dict[str, Any]:
    clock = _Clock()
    out = scratch / label.replace(" ", "-")
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
    }
    print(
        f"{label:<22} {row['audits']:>5} audits in {row['seconds']:7.1f} s = "
        f"{rate:6.2f} documents/s   dataset {row['dataset_seconds']:5.1f} s   "
        f"peak per worker {row['peak_max']:.0f} MB (median {row['peak_median']:.0f})   "
        f"error rows {row['errors']}",
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
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="corpus-scale-") as tmp:
        scratch = Path(tmp)
        one = _measure("local, 1 worker", corpus, scratch, settings=Settings(workers=1))
        two = _measure("local, 2 workers", corpus, scratch, settings=Settings(workers=2))
        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
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
