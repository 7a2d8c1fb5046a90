"""The progress bar of a corpus run, on standard error: documents done of all, the errors and
unreadable ones so far, time spent and time left (rich's estimate from the rate so far)."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any


class ProgressBar:
    """A :class:`juesuan.corpus.run.Progress` drawn with rich (plain lines when stderr is not a
    terminal, so that a log shows the counts too)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("错误 {task.fields[errors]} 未能处理 {task.fields[failed]}"),
            TimeElapsedColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
        )
        self._task: Any = None
        self._errors = 0
        self._failed = 0
        self._plain = not self._console.is_terminal
        self._done = 0
        self._total = 0

    def __enter__(self) -> ProgressBar:
        if not self._plain:
            self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._plain:
            self._bar.stop()

    def start(self, stage: str, total: int) -> None:
        self._done, self._total = 0, total
        if self._plain:
            print(f"{stage}：{total} 份", file=sys.stderr, flush=True)
            return
        if self._task is not None:
            self._bar.update(self._task, visible=True)
        self._task = self._bar.add_task(stage, total=total, errors=0, failed=0)

    def advance(self, document: dict[str, Any]) -> None:
        self._errors += int(document.get("errors") or 0)
        self._failed += 1 if document.get("status") == "error" else 0
        self._done += 1
        if self._plain:
            step = max(1, self._total // 20)
            if self._done % step == 0 or self._done == self._total:
                print(
                    f"  {self._done}/{self._total}　错误 {self._errors}　未能处理 {self._failed}",
                    file=sys.stderr,
                    flush=True,
                )
            return
        self._bar.update(self._task, advance=1, errors=self._errors, failed=self._failed)
