"""Web workbench benchmark (issue 13): the time from uploading a 25-page PDF to its findings
being shown, and requests per second for the findings page with 10 concurrent clients.

``juesuan serve`` is started as a user starts it (loopback, a free port, a fresh data folder),
then, measured in this one run:

1. **Upload → findings shown**: POST the PDF, then poll its status until the review is ready
   and GET the review page (the findings list). The first upload also starts the worker
   processes (cold); the next ones are warm, each a different file (the same PDF with a
   different comment appended, so its content hash is new and nothing is cached). Beside it,
   the same audit in this process (:func:`juesuan.api.audit`), best of the same number of
   rounds: the ratio is what the web adds on top of the audit (upload, storage, PDF
   inspection, the worker round trip, the page).
2. **Findings page**: 10 threads, each with its own keep-alive connection, GET the review page
   of the last upload, until a number of requests or of seconds is reached (whichever first);
   requests per second, median and 95th-percentile latency.

Run: ``python bench/web.py [--pdf PATH] [--rounds 3] [--requests 1000] [--seconds 20]``.
A browser polls the status every 0.7 s, so what a person sees is up to that much later.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDF = REPO / "tests" / "data" / "pdfs" / "seed002-docx.pdf"  # the seed printed by Word: 25 pages
CLIENTS = 10


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(data: Path, port: int) -> subprocess.Popen[bytes]:
    script = Path(sys.executable).with_name("juesuan")
    cmd = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from juesuan.cli import main; main()"]
    )
    proc = subprocess.Popen(
        [*cmd, "serve", "--port", str(port), "--data", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import httpx2

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc
        except httpx2.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("juesuan serve did not answer within 60 s")


def _upload_to_findings(client: object, data: bytes, name: str) -> tuple[float, str, int]:
    """Seconds from the upload to the review page with its findings; the review's address and
    the page's size."""
    import httpx2

    assert isinstance(client, httpx2.Client)
    start = time.perf_counter()
    answer = client.post(
        "/review",
        data={"csrf": client.cookies.get("juesuan_csrf") or ""},
        files={"report": (name, data, "application/pdf")},
    )
    if answer.status_code != 303:
        raise SystemExit(f"upload refused: {answer.status_code} {answer.text[:200]}")
    location = answer.headers["location"]
    while "hx-refresh" not in client.get(f"{location}/status").headers:
        time.sleep(0.05)
    page = client.get(location)
    elapsed = time.perf_counter() - start
    if 'id="findings"' not in page.text:
        raise SystemExit(f"no findings on {location}: {page.text[:300]}")
    return elapsed, location, len(page.content)


def _in_process(path: Path, rounds: int) -> float:
    from juesuan import api

    api.audit(path)  # imports and caches, as the warm workers have them
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        api.audit(path)
        times.append(time.perf_counter() - start)
    return min(times)


def _load(
    base: str, location: str, requests: int, seconds: float
) -> tuple[int, float, list[float]]:
    """(requests done, seconds taken, latencies) of CLIENTS threads GETting ``location``."""
    import httpx2

    latencies: list[float] = []
    lock = threading.Lock()
    remaining = [requests]
    stop = time.monotonic() + seconds

    def client() -> None:
        with httpx2.Client(base_url=base, timeout=30) as c:
            while time.monotonic() < stop:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                t = time.perf_counter()
                answer = c.get(location)
                took = time.perf_counter() - t
                if answer.status_code != 200:
                    raise SystemExit(f"GET {location}: {answer.status_code}")
                with lock:
                    latencies.append(took)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), time.perf_counter() - start, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=Path, default=PDF)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    import httpx2
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(str(args.pdf)))
    data = args.pdf.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        proc = _start(Path(tmp) / "data", port)
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx2.Client(base_url=base, timeout=600) as client:
                client.get("/")
                cold, _, _ = _upload_to_findings(client, data, args.pdf.name)
                warm = []
                for i in range(args.rounds):
                    # a different file each time: nothing the server has seen (a new hash)
                    variant = data + f"\n%juesuan-bench {i} {time.time_ns()}\n".encode()
                    seconds, location, size = _upload_to_findings(client, variant, args.pdf.name)
                    warm.append(seconds)
            direct = _in_process(args.pdf, args.rounds)
            done, took, latencies = _load(base, location, args.requests, args.seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    latencies.sort()
    best, median = min(warm), statistics.median(warm)
    print(f"{pages}-page PDF ({args.pdf.name}): upload → findings shown")
    print(f"  first upload after start (worker processes starting): {cold:.2f} s")
    print(f"  next uploads ({len(warm)} new files): best {best:.2f} s, median {median:.2f} s")
    print(
        f"  in-process api.audit of the same PDF: best {direct:.2f} s"
        f"  → web / in-process {best / direct:.2f}× (best against best)"
    )
    print(
        f"findings page ({size / 1024:.0f} KB of HTML): {CLIENTS} clients, {done} requests in"
        f" {took:.1f} s = {done / took:.0f} requests/s;"
        f" latency median {1000 * statistics.median(latencies):.0f} ms,"
        f" p95 {1000 * latencies[int(0.95 * (len(latencies) - 1))]:.0f} ms"
        f" (bounded: {args.requests} requests or {args.seconds:g} s)"
    )


if __name__ == "__main__":
    main()
