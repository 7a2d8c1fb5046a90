"""What ``juesuan serve`` was given: where it listens, who may use it, where it keeps its data,
and the limits on what it accepts. One frozen value, validated once (:meth:`ServeSettings.check`)
so the command line can refuse a bad combination in one line before anything starts.

The upload limits follow the hardening issue's defaults (issue 10: input size 100 MiB, 1,000
PDF pages, 200 MiB unzipped, a ZIP member ratio of 200); when :mod:`juesuan.limits` lands they
should be read from there.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


class SettingsError(ValueError):
    """A combination ``juesuan serve`` refuses (printed as one line, exit 2)."""


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _wildcard(host: str) -> bool:
    return host in ("0.0.0.0", "::", "[::]", "")


@dataclass(frozen=True)
class ServeSettings:
    data: Path = Path("juesuan-data")
    host: str = "127.0.0.1"
    port: int = 8000
    # Required when ``host`` is not a loopback address: every request must carry it (header
    # ``Authorization: Bearer …``, or the cookie set by opening ``/?token=…`` once).
    token: str | None = None
    # Names the Host header may carry besides the address served on and localhost (the names
    # by which other machines reach this one when ``host`` is not loopback).
    allowed_hosts: tuple[str, ...] = ()
    # Worker processes that read and audit (bounded: a batch queues behind them).
    workers: int = field(default_factory=lambda: max(1, min(2, os.cpu_count() or 1)))
    # One uploaded file; a batch request altogether; files in one batch.
    max_upload_bytes: int = 100 * MIB
    max_batch_bytes: int = 1024 * MIB
    max_batch_files: int = 500
    max_pages: int = 1000
    max_unzipped_bytes: int = 200 * MIB
    max_zip_ratio: int = 200
    # Wall-clock seconds for one document in a worker (reading and auditing), and the address
    # space of a worker process (a hostile file fails alone, the machine stays up).
    seconds_per_document: int = 300
    worker_memory_mb: int = 4096
    # Folders on the server whose subfolders a batch may be started from (picked from a list
    # the server makes: the user's text never names a path).
    batch_roots: tuple[Path, ...] = ()
    # Audit results kept in memory (a restart recomputes them from the stored uploads).
    cache_results: int = 32

    def check(self) -> ServeSettings:
        """This value, or :class:`SettingsError` saying what is wrong."""
        if not is_loopback(self.host) and not self.token:
            raise SettingsError(
                f"--host {self.host} is reachable from other machines: give --token TOKEN"
                " (or JUESUAN_TOKEN) so that every request must carry it"
            )
        if self.token is not None and len(self.token) < 16:
            raise SettingsError("--token must have at least 16 characters")
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"--port {self.port} is not a port number")
        for name in ("workers", "max_upload_bytes", "max_pages", "seconds_per_document"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1")
        for root in self.batch_roots:
            if not root.is_dir():
                raise SettingsError(f"--batch-root {root}: not a folder")
        return self

    def hosts(self) -> list[str]:
        """The Host header names accepted (without port)."""
        names = ["localhost", "127.0.0.1", "::1", "[::1]"]
        if not _wildcard(self.host):
            names.append(self.host)
        elif not self.allowed_hosts:
            import socket

            names += [socket.gethostname(), socket.getfqdn()]
        names += list(self.allowed_hosts)
        return sorted(set(n.lower() for n in names if n))
