"""juesuan: build, check and audit 部门决算公开 (department final-accounts disclosures).

The public Python API lives in :mod:`juesuan.api`; the names re-exported here are the ones a
user needs most often. They are imported on first use (PEP 562), so that ``import juesuan``
(and with it the command line, ``juesuan --help``) does not load the rule engine and the
report model before a command needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from juesuan.errors import InputError

if TYPE_CHECKING:
    from juesuan.api import audit, check, load
    from juesuan.model.report import Report
    from juesuan.rules.finding import Finding, Severity

__all__ = ["Finding", "InputError", "Report", "Severity", "audit", "check", "load"]
__version__ = "0.1.0"

_LAZY = {
    "audit": "juesuan.api",
    "check": "juesuan.api",
    "load": "juesuan.api",
    "Report": "juesuan.model.report",
    "Finding": "juesuan.rules.finding",
    "Severity": "juesuan.rules.finding",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'juesuan' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
