"""The only exceptions a user sees: input that cannot be read or is not what it claims to be."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Unreadable or unsupported input. The CLI prints it as one line and exits with 2."""

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = str(path) if path is not None else None
        self.reason = reason
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.reason}"


class OutputError(InputError):
    """An output that cannot or must not be written (a folder in the way, a user's file that
    would be lost, no permission, a full disk): one line and exit 2, like unreadable input."""


class Interrupted(BaseException):
    """A signal (SIGTERM, SIGHUP) asked juesuan to stop. A ``BaseException``, like
    ``KeyboardInterrupt``, so that no ``except Exception`` swallows it; what was being written
    is removed on the way out."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by signal {signum}")
