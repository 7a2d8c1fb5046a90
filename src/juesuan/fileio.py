"""Reading inputs and writing outputs safely: the only module that opens a user's files.

Inputs (:func:`read_input`): only regular files are read (a FIFO would hang, ``/dev/zero``
would fill the memory); the size is checked before reading and never read past
:attr:`juesuan.limits.Limits.input_bytes`; ``-`` is standard input.

Outputs (:func:`write_atomic`): a file is written whole or not at all, to a temporary file in
the target's own folder (same file system, so the rename is atomic) that is renamed over the
target; on any error or signal the temporary file is removed. An existing file is replaced
only when asked (``overwrite``); a folder, a device or a FIFO never is. A new file gets the
permissions the process umask gives (not the 0600 of a temporary file); a replaced file keeps
its own. Every failure is one :class:`juesuan.errors.OutputError` line naming the file and the
reason (exit code 2), never an ``OSError`` traceback.

Folders of outputs (the build package) are in :mod:`juesuan.folders`.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from juesuan.errors import InputError, OutputError
from juesuan.limits import Limits, resolve

STDIN = "-"
STDIN_NAME = "<stdin>"
TEMP_SUFFIX = ".juesuan-tmp"

_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EFBIG: "file too large for this file system or process limit",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder",
}


def os_reason(exc: OSError) -> str:
    """A short reason for an OS error (without the file name, which the caller prints)."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()


# --- inputs ----------------------------------------------------------------------------------


def is_stdin(path: str | Path) -> bool:
    return str(path) == STDIN


def read_input(path: str | Path, limits: Limits | None = None, *, what: str = "file") -> bytes:
    """The bytes of one input file (``-`` for standard input); :class:`InputError` when it is
    not a regular file, cannot be read or is larger than ``limits.input_bytes``."""
    lim = resolve(limits)
    if is_stdin(path):
        data = sys.stdin.buffer.read(lim.input_bytes + 1)
        if len(data) > lim.input_bytes:
            raise lim.exceeded(STDIN_NAME, "input_bytes", "standard input is larger")
        return data
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of hanging; fstat
        # below refuses it before any read
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise InputError(p, "no such file") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {os_reason(exc)}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(p, f"is a directory, not a {what}")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                p, f"not a regular file ({_kind(st.st_mode)}): juesuan reads files only"
            )
        if st.st_size > lim.input_bytes:
            raise lim.exceeded(p, "input_bytes", f"{st.st_size:,} bytes")
        try:
            data = _read_at_most(fd, lim.input_bytes + 1)
        except OSError as exc:
            raise InputError(p, f"cannot read: {os_reason(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > lim.input_bytes:  # grew while being read
        raise lim.exceeded(p, "input_bytes", "more bytes than that")
    return data


def read_input_text(path: str | Path, limits: Limits | None = None, *, what: str) -> str:
    """A UTF-8 text input (a rule file, a baseline, a build source)."""
    data = read_input(path, limits, what=what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})") from None


def _read_at_most(fd: int, n: int) -> bytes:
    chunks: list[bytes] = []
    left = n
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


# --- outputs ---------------------------------------------------------------------------------


def umask() -> int:
    """The process umask, read without changing it where the system says it (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: the classic read-and-restore
    os.umask(mask)
    return mask


def file_mode() -> int:
    return 0o666 & ~umask()


def dir_mode() -> int:
    return 0o777 & ~umask()


def output_target(path: str | Path, *, overwrite: bool, flag: str = "--force") -> Path:
    """Check, before any work is done, that ``path`` can be written as a file: one
    :class:`OutputError` line if it is a folder, a device, an existing file not to be replaced
    (unless ``overwrite``), under a file, or in a folder that cannot be written."""
    target = Path(path)
    if target.is_symlink():  # write what the link points to, keep the link
        target = Path(os.path.realpath(target))
    try:
        st = target.stat()
    except (FileNotFoundError, NotADirectoryError):  # the folder check below says which
        st = None
    except OSError as exc:
        raise OutputError(target, f"cannot write: {os_reason(exc)}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(target, "is a folder: give the name of the file to write")
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(target, f"is {_kind(st.st_mode)}: juesuan writes regular files")
        if not overwrite:
            raise OutputError(target, f"already exists; use {flag} to replace it")
    check_writable_folder(target.parent, target)
    return target


def check_writable_folder(folder: Path, for_path: Path) -> None:
    """The folder exists and can be written, or can be created (its first existing ancestor is
    a writable folder)."""
    probe = folder
    while True:
        if probe.exists():
            break
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise OutputError(for_path, f"cannot create folder {folder}: {probe} is a file")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(for_path, f"cannot write in folder {probe}: permission denied")


def make_folders(folder: Path, for_path: Path) -> None:
    check_writable_folder(folder, for_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)  # mkdir applies the umask itself
    except OSError as exc:
        raise OutputError(for_path, f"cannot create folder {folder}: {os_reason(exc)}") from None


def write_atomic(path: str | Path, data: str | bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` whole or not at all (temporary file + rename in the target's
    own folder). Raises :class:`OutputError` (one line) on any failure, the target untouched."""
    target = output_target(path, overwrite=overwrite)
    make_folders(target.parent, target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mode = file_mode()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise OutputError(target, f"cannot write: {os_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(target, f"cannot write: {os_reason(exc)}") from None
    except BaseException:  # a signal, an interrupt: nothing half-written stays behind
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
