"""An output folder (``juesuan build -o DIR``, ``demo``, ``--debug-layout``) that never loses
what the user had.

- A folder that does not exist is created: the package is written into a hidden staging folder
  beside it and renamed into place in one step, so it is there whole or not at all.
- An existing empty folder is used (its own permissions and owner stay).
- An existing folder that holds exactly a package juesuan wrote before, unchanged since (its
  manifest, ``.juesuan-manifest.json``, lists every file with its SHA-256), is replaced.
- Any other non-empty folder (files juesuan did not write, or a package file changed by hand)
  is refused with one line, before any work, unless ``force``; with ``force`` only the files
  juesuan wrote are replaced and every other file stays as it was.

Into an existing folder the package is staged in a hidden folder inside it (the same file
system, so every move is a rename), then each file is renamed over its old version. The
manifest is first rewritten to accept both the old and the new version of every file, so a
process killed between two renames leaves a folder the next run still recognises as its own.

A staging folder is removed on any error or signal (see :class:`juesuan.errors.Interrupted`);
after a SIGKILL, which nothing can catch, the next run into the same place removes it (its name
carries the process id, and that process is gone).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from juesuan.errors import OutputError
from juesuan.fileio import check_writable_folder, dir_mode, make_folders, os_reason

MANIFEST = ".juesuan-manifest.json"
STAGING = ".juesuan-staging-"
STALE_AFTER = 24 * 3600  # seconds: no real build stages for a day, whatever its process id


@dataclass(frozen=True)
class FolderPlan:
    """What writing into ``target`` will do, decided before the work."""

    target: Path
    mode: str  # "new" | "empty" | "replace"
    ours: dict[str, tuple[str, ...]] = field(default_factory=dict)  # manifest: file → hashes
    kept: tuple[str, ...] = ()  # files juesuan did not write, left as they are


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _files(root: Path) -> Iterator[str]:
    """Every file under ``root`` as a relative POSIX path, staging folders left out."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(STAGING))
        rel = Path(dirpath).relative_to(root)
        for name in sorted(filenames):
            yield (rel / name).as_posix()


def _read_manifest(folder: Path) -> dict[str, tuple[str, ...]]:
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = doc["files"]
        out: dict[str, tuple[str, ...]] = {}
        for name, value in files.items():
            hashes = (value,) if isinstance(value, str) else tuple(value)
            if all(isinstance(h, str) for h in hashes):
                out[str(name)] = hashes
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_manifest(folder: Path, files: dict[str, tuple[str, ...]]) -> None:
    doc = {
        "written_by": "juesuan",
        "note": "the files juesuan wrote here; juesuan replaces only these",
        "files": {k: (v[0] if len(v) == 1 else list(v)) for k, v in sorted(files.items())},
    }
    # renamed into place, so a kill never leaves a half-written manifest
    tmp = folder / f"{MANIFEST}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _stale(path: Path) -> bool:
    """A staging folder left by a process that is gone (killed with SIGKILL, power cut)."""
    rest = path.name.split(STAGING, 1)[-1]
    pid_text = rest.split("-", 1)[0]
    try:
        if time.time() - path.lstat().st_mtime > STALE_AFTER:
            return True
    except OSError:
        return False
    return not pid_text.isdigit() or not _alive(int(pid_text))


def clean_stale(target: Path) -> list[Path]:
    """Remove staging folders a killed run left inside ``target`` or beside it."""
    removed = []
    places = [(target, STAGING), (target.parent, f".{target.name}{STAGING}")]
    for folder, prefix in places:
        try:
            entries = list(folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(prefix) and entry.is_dir() and _stale(entry):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _listing(names: list[str]) -> str:
    shown = "、".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _files_count(names: list[str]) -> str:
    return f"{len(names)} file{'s' if len(names) != 1 else ''}"


def plan(target: str | Path, *, force: bool = False) -> FolderPlan:
    """Decide how to write into ``target``; :class:`OutputError` when it must be left alone."""
    path = Path(target).resolve()
    clean_stale(path)
    if not path.exists():
        check_writable_folder(path.parent, path)
        return FolderPlan(path, "new")
    if not path.is_dir():
        raise OutputError(path, "is a file, not a folder: give a new or empty folder")
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(path, "cannot write in this folder: permission denied")
    present = [n for n in _files(path) if n != MANIFEST]
    if not present:
        return FolderPlan(path, "empty")
    manifest = _read_manifest(path)
    foreign = [n for n in present if n not in manifest]
    changed = [n for n in present if n in manifest and sha256(path / n) not in manifest[n]]
    if (foreign or changed) and not force:
        parts = []
        if foreign:
            parts.append(f"{_files_count(foreign)} juesuan did not write ({_listing(foreign)})")
        if changed:
            parts.append(
                f"{_files_count(changed)} changed since juesuan wrote them ({_listing(changed)})"
            )
        raise OutputError(
            path,
            "folder is not empty: " + "; ".join(parts) + ". Give a new or empty folder, or use"
            " --force to replace only the files juesuan wrote (the others stay)",
        )
    return FolderPlan(path, "replace", manifest, tuple(foreign))


class OutputFolder:
    """``with OutputFolder(target) as staging:`` write the package into ``staging``; on a
    normal exit it is moved into ``target`` (see the module docstring), on any exception or
    signal it is removed and ``target`` is as it was."""

    def __init__(self, target: str | Path, *, force: bool = False) -> None:
        self.plan = plan(target, force=force)
        self.target = self.plan.target
        self.staging: Path | None = None

    def __enter__(self) -> Path:
        target = self.target
        token = f"{os.getpid()}-{secrets.token_hex(4)}"
        if self.plan.mode == "new":
            make_folders(target.parent, target)
            staging = target.parent / f".{target.name}{STAGING}{token}"
        else:
            staging = target / f"{STAGING}{token}"
        try:
            staging.mkdir(mode=0o700)
            os.chmod(staging, dir_mode())
        except OSError as exc:
            raise OutputError(target, f"cannot write: {os_reason(exc)}") from None
        self.staging = staging
        return staging

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        staging = self.staging
        assert staging is not None
        if exc_type is not None:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                where = exc.filename or self.target
                raise OutputError(self.target, f"cannot write {where}: {os_reason(exc)}") from None
            return
        try:
            self._commit(staging)
        except OSError as err:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(self.target, f"cannot write: {os_reason(err)}") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def _commit(self, staging: Path) -> None:
        new: dict[str, tuple[str, ...]] = {
            n: (sha256(staging / n),) for n in _files(staging) if n != MANIFEST
        }
        target = self.target
        if self.plan.mode == "new":
            _write_manifest(staging, new)
            if target.exists():  # appeared while we worked: write into it as into a folder
                self.plan = plan(target)
            else:
                os.rename(staging, target)
                return
        self._conflicts(new)
        old = self.plan.ours
        # while files are renamed one by one, both versions of each count as juesuan's
        _write_manifest(target, {n: (*old.get(n, ()), *new.get(n, ())) for n in {*old, *new}})
        for name in sorted(new):
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, dest)
        for name in sorted(set(old) - set(new)):  # juesuan's own files this build no longer has
            (target / name).unlink(missing_ok=True)
        _write_manifest(target, new)
        shutil.rmtree(staging, ignore_errors=True)

    def _conflicts(self, new: dict[str, tuple[str, ...]]) -> None:
        """A user's folder where the package has a file (or a file where it has a folder)."""
        for name in new:
            dest = self.target / name
            if dest.is_dir() and not dest.is_symlink():
                raise OutputError(dest, "is a folder where juesuan writes a file; move it away")
            for parent in Path(name).parents:
                p = self.target / parent
                if str(parent) != "." and p.exists() and not p.is_dir():
                    raise OutputError(p, "is a file where juesuan writes a folder; move it away")
