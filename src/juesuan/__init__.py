"""juesuan: build, check and audit 部门决算公开 (department final-accounts disclosures).

The public Python API lives in :mod:`juesuan.api`; the names re-exported here are the ones a
user needs most often.
"""

from juesuan.api import check, load
from juesuan.errors import InputError
from juesuan.model.report import Report
from juesuan.rules.finding import Finding, Severity

__all__ = ["Finding", "InputError", "Report", "Severity", "check", "load"]
__version__ = "0.1.0"
