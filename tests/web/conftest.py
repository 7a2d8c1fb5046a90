"""Fixtures of the web workbench's tests: an app on a temporary data folder driven by
Starlette's TestClient (no network), a real ``juesuan serve`` on loopback, and Debian's
Chromium through Playwright (skipped, with the reason, when either is missing)."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

from juesuan.web.settings import MIB, ServeSettings

if importlib.util.find_spec("fastapi") is None:  # the web extra is not installed
    collect_ignore_glob = ["test_*.py"]

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "final-accounts"
EXAMPLE = REPO / "src" / "juesuan" / "examples" / "jiaozuo-2021.txt"
CHROMIUM = Path("/usr/bin/chromium")
# STACK.md §6: the flags Debian's chromium needs here (no sandbox as root, and no calls home)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=zh-CN",  # the browser's own words (a file input's button) in Chinese too
]
BASE = "http://127.0.0.1:8000"


def corpus_file(prefix: str) -> Path:
    found = sorted(CORPUS.glob(f"{prefix}_*")) if CORPUS.is_dir() else []
    if not found:
        pytest.skip(f"../shared/corpus/final-accounts/{prefix}_* is not beside the repository")
    return found[0]


def make_client(data: Path, **settings: Any) -> TestClient:
    from fastapi.testclient import TestClient

    from juesuan.web.app import create_app

    options: dict[str, Any] = {"data": data, "workers": 1, "max_upload_bytes": 20 * MIB}
    options.update(settings)
    return TestClient(create_app(ServeSettings(**options)), base_url=BASE)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app per test module: its worker processes start once."""
    with make_client(tmp_path_factory.mktemp("web-data")) as c:
        c.get("/")  # the CSRF cookie
        yield c


def csrf(c: TestClient) -> str:
    token = c.cookies.get("juesuan_csrf")
    assert token, "the first answer sets the CSRF cookie"
    return token


def upload(c: TestClient, path: Path, name: str | None = None, **fields: str) -> Any:
    return c.post(
        "/review",
        data={"csrf": csrf(c), **fields},
        files={"report": (name or path.name, path.read_bytes())},
        follow_redirects=False,
    )


def finished(c: TestClient, location: str, timeout: float = 120) -> Any:
    """The review page once the audit is done (the waiting page polls /status meanwhile)."""
    deadline = time.monotonic() + timeout
    while True:
        page = c.get(location)
        if 'id="wait"' not in page.text:
            return page
        if time.monotonic() > deadline:
            raise AssertionError(f"{location} still waiting after {timeout} s")
        time.sleep(0.3)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``juesuan serve`` as a user starts it, on a free loopback port and a fresh data folder."""
    data = tmp_path_factory.mktemp("serve-data")
    port = free_port()
    script = Path(sys.executable).with_name("juesuan")
    cmd = [str(script)]
    if not script.exists():
        cmd = [sys.executable, "-c", "from juesuan.cli import main; main()"]
    proc = subprocess.Popen(
        [*cmd, "serve", "--port", str(port), "--data", str(data), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_for(base: str, proc: subprocess.Popen[str]) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"juesuan serve exited {proc.returncode}: {out}")
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("juesuan serve did not answer within 30 s")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (`make browser` installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests leave their 1280×800 screenshots (look at them)."""
    out = Path(os.environ.get("JUESUAN_SCREENSHOTS", REPO / "build" / "screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    return out
