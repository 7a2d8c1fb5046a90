"""Issue 10, outputs: ``-o`` never removes what the user had, never leaves a half-written file
or a staging folder, takes its permissions from the umask, and every failure is one line with
exit code 2 (the user's files untouched)."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from juesuan.cli import app
from juesuan.model.disclosure import Disclosure
from juesuan.model.serialize import dumps
from tests.conftest import EXAMPLE, REPO
from tests.test_hostile_inputs import only, refused

runner = CliRunner()
SOURCE = REPO / "src" / "juesuan" / "examples" / "jiaozuo-2021.toml"
PDF = REPO / "tests" / "data" / "pdfs" / "seed002-docx.pdf"


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with its content hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def fake_writers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The package writers replaced by two small files (the real ones have their own tests);
    the figure differs from one build to the next, the JSON does not."""
    builds: list[int] = []

    def write_package(disclosure: Disclosure, outdir: Path) -> dict[str, Path]:
        builds.append(len(builds) + 1)
        (outdir / "report.json").write_text(dumps(disclosure.report), encoding="utf-8")
        (outdir / "figures").mkdir()
        (outdir / "figures" / "图1.txt").write_text(f"图1 build {len(builds)}", "utf-8")
        return {"json": outdir / "report.json"}

    monkeypatch.setattr("juesuan.writers.write_package", write_package)
    return builds


# --- single files: import, audit, annotate, baseline -----------------------------------------

SINGLE = {
    "import": lambda out: ["import", EXAMPLE, "-o", out],
    "audit": lambda out: ["audit", EXAMPLE, "-o", out],
    "baseline": lambda out: ["baseline", EXAMPLE, "-o", out],
    "annotate": lambda out: ["annotate", PDF, "--no-narrative", "-o", out],
}


@pytest.mark.parametrize("command", sorted(SINGLE))
def test_existing_file_is_kept_unless_forced(tmp_path: Path, command: str) -> None:
    out = tmp_path / "mine.out"
    out.write_text("the user's own", encoding="utf-8")
    os.chmod(out, 0o604)
    refused(run(*SINGLE[command](out)), str(out), "already exists", "--force")
    assert out.read_text(encoding="utf-8") == "the user's own"
    only(tmp_path, "mine.out")
    result = run(*SINGLE[command](out), "--force")
    assert result.exit_code in (0, 1), result.stderr
    assert out.read_text(encoding="utf-8", errors="replace") != "the user's own"
    assert stat.S_IMODE(out.stat().st_mode) == 0o604  # a replaced file keeps its permissions
    only(tmp_path, "mine.out")


@pytest.mark.parametrize("command", sorted(SINGLE))
def test_output_onto_a_folder_under_a_file_or_a_device(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep", encoding="utf-8")
    refused(run(*SINGLE[command](folder)), str(folder), "is a folder")
    a_file = tmp_path / "a.txt"
    a_file.write_text("a", encoding="utf-8")
    refused(run(*SINGLE[command](a_file / "x.out")), "a.txt is a file")
    refused(run(*SINGLE[command]("/dev/null"), "--force"), "/dev/null", "is a device")
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert a_file.read_text(encoding="utf-8") == "a"
    only(tmp_path, "a.txt", "folder")
    only(folder, "keep.txt")


@pytest.mark.parametrize(
    ("command", "code"),
    [
        *((command, errno.ENOSPC) for command in sorted(SINGLE)),
        ("import", errno.EACCES),
        ("audit", errno.EROFS),
        ("baseline", errno.EDQUOT),
    ],
)
def test_full_disk_or_read_only_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, code: int
) -> None:
    """The write itself fails (a full disk, no permission): one line, no temporary file."""
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if str(dst).endswith("out.file"):
            raise OSError(code, os.strerror(code), str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    out = tmp_path / "out.file"
    reason = {
        errno.ENOSPC: "no space left",
        errno.EACCES: "permission denied",
        errno.EROFS: "read-only file system",
        errno.EDQUOT: "disk quota exceeded",
    }[code]
    refused(run(*SINGLE[command](out)), str(out), "cannot write", reason)
    only(tmp_path)


def test_a_real_file_size_limit_mid_write(tmp_path: Path) -> None:
    """A write that really fails half-way (RLIMIT_FSIZE, as a full disk does): the user's
    previous file stays whole, no temporary file is left."""
    out = tmp_path / "r.json"
    out.write_text("previous", encoding="utf-8")
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))\n"
        "sys.argv = ['juesuan', 'import', sys.argv[1], '-o', sys.argv[2], '--force']\n"
        "from juesuan.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLE), str(out)], capture_output=True, text=True
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().startswith(f"juesuan: {out}: cannot write: file too large")
    assert "Traceback" not in done.stderr
    assert out.read_text(encoding="utf-8") == "previous"
    only(tmp_path, "r.json")


def test_new_file_permissions_come_from_the_umask(tmp_path: Path, umask_027: None) -> None:
    out = tmp_path / "new" / "r.json"
    assert run("import", EXAMPLE, "-o", out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert stat.S_IMODE(out.parent.stat().st_mode) == 0o750


# --- folders: build and demo -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "demo"])
def test_folder_of_the_users_files_is_refused_then_kept(
    tmp_path: Path, fake_writers: list[int], command: str
) -> None:
    out = tmp_path / "work"
    out.mkdir()
    (out / "x.toml").write_text("the user's source", encoding="utf-8")
    (out / "figures").mkdir()
    (out / "figures" / "mine.png").write_bytes(b"png")
    before = digest(out)
    args = ["build", SOURCE] if command == "build" else ["demo"]
    refused(run(*args, "-o", out), str(out), "not empty", "2 files juesuan did not write")
    assert digest(out) == before
    result = run(*args, "-o", out, "--force")
    assert result.exit_code == 0, result.stderr
    after = digest(out)
    assert {k: after[k] for k in before} == before  # the user's files untouched
    assert "report.json" in after and ".juesuan-manifest.json" in after
    assert not [p for p in out.rglob("*staging*")]
    only(tmp_path, "work")


def test_build_into_a_file_is_refused(tmp_path: Path, fake_writers: list[int]) -> None:
    out = tmp_path / "x.toml"
    out.write_text("mine", encoding="utf-8")
    refused(run("build", SOURCE, "-o", out), str(out), "is a file, not a folder")
    assert out.read_text(encoding="utf-8") == "mine"
    only(tmp_path, "x.toml")  # no hidden .x.toml.old, no staging


def test_rebuild_replaces_only_juesuans_unchanged_package(
    tmp_path: Path, fake_writers: list[int], umask_027: None
) -> None:
    out = tmp_path / "pkg"
    out.mkdir(mode=0o700)
    assert run("build", SOURCE, "-o", out).exit_code == 0  # an empty folder is used
    assert stat.S_IMODE(out.stat().st_mode) == 0o700  # … and keeps its own permissions
    assert stat.S_IMODE((out / "report.json").stat().st_mode) == 0o640
    assert run("build", SOURCE, "-o", out).exit_code == 0  # juesuan's own, unchanged
    (out / "report.json").write_text("edited by hand", encoding="utf-8")
    refused(run("build", SOURCE, "-o", out), "1 file changed since juesuan wrote", "report.json")
    assert (out / "report.json").read_text(encoding="utf-8") == "edited by hand"
    assert run("build", SOURCE, "-o", out, "--force").exit_code == 0
    new = tmp_path / "new"
    assert run("build", SOURCE, "-o", new).exit_code == 0  # a new folder is created
    assert stat.S_IMODE(new.stat().st_mode) == 0o750
    only(tmp_path, "pkg", "new")


def test_a_kill_between_two_renames_is_still_juesuans(
    tmp_path: Path, fake_writers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The move into an existing folder stops after its first file: the folder then holds one
    new and one old file, and the next run still knows both as juesuan's (the manifest lists
    both versions meanwhile)."""
    out = tmp_path / "pkg"
    assert run("build", SOURCE, "-o", out).exit_code == 0
    before = digest(out)
    real_replace = os.replace

    def stop_at_the_second(src: str, dst: str) -> None:
        if str(dst).endswith("report.json"):  # figures/图1.txt has been moved already
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", stop_at_the_second)
    assert run("build", SOURCE, "-o", out).exit_code == 130
    monkeypatch.setattr(os, "replace", real_replace)
    mixed = digest(out)
    assert mixed["figures/图1.txt"] != before["figures/图1.txt"]
    assert mixed["report.json"] == before["report.json"]
    assert run("build", SOURCE, "-o", out).exit_code == 0, "the half-moved package is ours"
    assert not list(out.glob(".juesuan-staging-*"))
    only(tmp_path, "pkg")


_MAIN = "import sys; from juesuan.cli import main; sys.argv[0] = 'juesuan'; main()"


def _juesuan(*args: str | Path) -> list[str]:
    return [sys.executable, "-c", _MAIN, *map(str, args)]


def _wait_for_staging(where: Path, proc: subprocess.Popen[str]) -> Path:
    """A staging folder in ``where`` that the writers have started to fill."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for p in where.glob("*juesuan-staging-*"):
            if p.is_dir() and any(p.iterdir()):
                return p
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    raise AssertionError("no staging folder appeared")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_build_killed_midway(tmp_path: Path, sig: signal.Signals) -> None:
    """Killed while writing: the target holds its previous complete package (a new target:
    nothing). SIGTERM removes the staging folder on the way out; after SIGKILL, which nothing
    can catch, the next run into the same place does."""
    out = tmp_path / "pkg"
    first = subprocess.run(_juesuan("build", SOURCE, "-o", out), capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = digest(out)
    for target, where in ((out, out), (tmp_path / "new", tmp_path)):
        proc = subprocess.Popen(
            _juesuan("build", SOURCE, "-o", target),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        staging = _wait_for_staging(where, proc)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err
        if sig == signal.SIGTERM:
            assert proc.returncode == 128 + signal.SIGTERM, err
            assert err.strip() == "juesuan: interrupted; nothing half-written was left behind"
            assert not staging.exists()
        else:
            assert proc.returncode == -signal.SIGKILL
            assert staging.exists()
        left = {k: v for k, v in digest(out).items() if "juesuan-staging" not in k}
        assert left == before  # the previous package, whole
        assert not (tmp_path / "new").exists()  # nothing new
        # the next run into the same place (here one that stops at its source) cleans up
        again = subprocess.run(
            _juesuan("build", tmp_path / "missing.toml", "-o", target),
            capture_output=True,
            text=True,
        )
        assert again.returncode == 2 and "no such file" in again.stderr
        assert not staging.exists()
    assert digest(out) == before
    only(tmp_path, "pkg")


@pytest.mark.parametrize("command", ["build", "demo"])
def test_package_under_a_file_or_onto_a_full_or_read_only_disk(
    tmp_path: Path, fake_writers: list[int], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    args = ["build", SOURCE] if command == "build" else ["demo"]
    a_file = tmp_path / "a.txt"
    a_file.write_text("a", encoding="utf-8")
    refused(run(*args, "-o", a_file / "pkg"), "a.txt is a file")
    assert a_file.read_text(encoding="utf-8") == "a"
    real_write = Path.write_text

    def full_disk(self: Path, *a: object, **k: object) -> int:
        if self.name == "report.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write(self, *a, **k)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(Path, "write_text", full_disk)
        refused(run(*args, "-o", tmp_path / "pkg"), "cannot write", "no space left")
    only(tmp_path, "a.txt")  # no staging folder, no half-written package
    readonly = tmp_path / "ro"
    readonly.mkdir()
    real_access = os.access
    monkeypatch.setattr(  # as for a user without write permission (these tests run as root)
        os,
        "access",
        lambda p, mode: not (Path(p) == readonly and mode & os.W_OK) and real_access(p, mode),
    )
    refused(run(*args, "-o", readonly), str(readonly), "permission denied")
    refused(run(*args, "-o", readonly / "pkg"), "cannot write in folder", "permission denied")
    only(readonly)
