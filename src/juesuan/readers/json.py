"""Our own JSON (see :mod:`juesuan.model.serialize`)."""

from __future__ import annotations

import json
from decimal import InvalidOperation
from pathlib import Path

from juesuan.errors import InputError
from juesuan.limits import Limits, resolve
from juesuan.model.report import Report
from juesuan.model.serialize import report_from_json


def read_json(data: bytes, path: Path, *, limits: Limits | None = None) -> Report:
    from juesuan.readers.guard import check_json_depth

    lim = resolve(limits)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 JSON") from None
    check_json_depth(text, path, lim)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise lim.exceeded(path, "json_depth", "JSON nested too deep") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise InputError(path, f"invalid JSON: {_short(exc)}") from None
    _plain_values(doc, path, lim)
    try:
        return report_from_json(doc)
    except (ValueError, TypeError, KeyError, InvalidOperation) as exc:
        raise InputError(path, f"not a juesuan report: {_short(exc)}") from None


def _short(exc: Exception) -> str:
    """The reason on one line, a quoted value cut short (a hostile file can hold megabytes)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


def _plain_values(doc: object, path: Path, limits: Limits) -> None:
    """A ``\\ud800`` escape alone is valid JSON but not text: nothing could print it; an
    integer of thousands of digits is valid JSON but no year or count."""
    from juesuan.readers.guard import has_surrogate

    biggest = 10**limits.digits
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, int) and not -biggest < item < biggest:
            raise limits.exceeded(path, "digits", "an integer of more digits")
        if isinstance(item, str):
            if has_surrogate(item):
                raise InputError(path, "text with an unpaired surrogate escape (not Unicode)")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
