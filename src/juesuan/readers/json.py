"""Our own JSON (see :mod:`juesuan.model.serialize`)."""

from __future__ import annotations

import json
from pathlib import Path

from juesuan.errors import InputError
from juesuan.model.report import Report
from juesuan.model.serialize import report_from_json


def read_json(data: bytes, path: Path) -> Report:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    try:
        return report_from_json(doc)
    except (ValueError, TypeError, KeyError) as exc:
        raise InputError(path, f"not a juesuan report: {exc}") from None
