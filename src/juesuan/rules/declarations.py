"""Rules as data: parsed and validated from TOML (built-in files and the user's own).

A rule file holds ``[[rule]]`` tables::

    [[rule]]
    id = "T01.inc_total"           # stable, never renamed or reused
    kind = "sum"                   # one of juesuan.rules.kinds.KINDS
    severity = "error"             # when broken beyond rounding (rounding breaks are notices)
    message = "{table}{row}应为 {expected}，实为 {found}，相差 {diff}"
    basis = "财决01 “27行=(1+…+8)行”"
    total = "01:本年收入合计"        # kind-specific parameters
    parts = ["01:一般公共预算财政拨款收入", "01:上级补助收入"]

Cell references are ``TABLE:ROW[:COLUMN]`` (the column may be left out where the row's side has
one value column); a leading ``-`` subtracts; ``@类`` / ``@款`` / ``@项`` selects every
classification row of that level.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.limits import Limits
from juesuan.rules.finding import Severity

_COMMON_KEYS = {"id", "kind", "severity", "message", "basis"}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: Severity
    message: str  # Chinese template with named fields
    basis: str  # the official wording or the source of the rule
    params: Mapping[str, Any]
    origin: str = "builtin"  # the file that declared it


def parse_rules(doc: Mapping[str, Any], origin: str) -> list[Rule]:
    """Validate a parsed TOML document into rules; raises ValueError naming the bad rule."""
    from juesuan.rules.kinds import KINDS

    raw = doc.get("rule", [])
    if not isinstance(raw, list):
        raise ValueError("'rule' must be an array of tables ([[rule]])")
    rules = []
    for i, item in enumerate(raw):
        where = f"rule #{i + 1}" + (f" ({item.get('id')})" if isinstance(item, dict) else "")
        if not isinstance(item, dict):
            raise ValueError(f"{where}: not a table")
        missing = [k for k in ("id", "kind", "severity", "message") if k not in item]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        kind = KINDS.get(item["kind"])
        if kind is None:
            raise ValueError(
                f"{where}: unknown kind {item['kind']!r} (known: {', '.join(sorted(KINDS))})"
            )
        try:
            severity = Severity(item["severity"])
        except ValueError:
            raise ValueError(f"{where}: unknown severity {item['severity']!r}") from None
        params = {k: v for k, v in item.items() if k not in _COMMON_KEYS}
        kind.validate(params, where)
        if not isinstance(item["message"], str):
            raise ValueError(f"{where}: message must be a string")
        check_template(item["message"], kind.fields, where)
        rules.append(
            Rule(
                id=str(item["id"]),
                kind=item["kind"],
                severity=severity,
                message=str(item["message"]),
                basis=str(item.get("basis", "")),
                params=params,
                origin=origin,
            )
        )
    return rules


def check_template(message: str, fields: Iterable[str], where: str) -> None:
    """A message template may use only the fields its kind fills in, each as a plain
    ``{name}``: checked when the file is loaded, not when the rule first fires."""
    known = set(fields)
    try:
        parsed = list(string.Formatter().parse(message))
    except ValueError as exc:  # "{expected" without its brace, a lone "}"
        raise ValueError(
            f"{where}: message is not a valid template ({exc}; write {{{{ and }}}} for braces)"
        ) from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in known:
            raise ValueError(
                f"{where}: message uses {{{name}}}, which this kind does not fill in"
                f" (it has: {', '.join(sorted(known)) or 'none'})"
            )
        if spec or conversion:
            raise ValueError(f"{where}: message field {{{name}}} must be plain, without : or !")


BUILTIN_FILES = ("within_tables.toml", "across_tables.toml", "codes.toml", "completeness.toml")
# The rules of a 部门预算's tables (B01 …), declared the same way.
BUDGET_FILES = (
    "budget_within.toml",
    "budget_across.toml",
    "budget_codes.toml",
    "budget_completeness.toml",
)


def builtin_rules(files: tuple[str, ...] = BUILTIN_FILES) -> list[Rule]:
    rules: list[Rule] = []
    pkg = resources.files("juesuan.rules") / "builtin"
    for name in files:
        text = (pkg / name).read_text(encoding="utf-8")
        rules.extend(parse_rules(tomllib.loads(text), f"builtin/{name}"))
    _check_unique(rules)
    return rules


def budget_rules() -> list[Rule]:
    """The table rules of a 部门预算 (``juesuan check`` on a budget)."""
    return builtin_rules(BUDGET_FILES)


def narrative_rules() -> list[Rule]:
    """The narrative audit's rules (``juesuan audit``), kept apart from the table rules."""
    text = (resources.files("juesuan.rules") / "builtin" / "narrative.toml").read_text("utf-8")
    return parse_rules(tomllib.loads(text), "builtin/narrative.toml")


def performance_rules() -> list[Rule]:
    """The 绩效自评 rules (``juesuan score`` and ``juesuan audit``)."""
    text = (resources.files("juesuan.rules") / "builtin" / "performance.toml").read_text("utf-8")
    return parse_rules(tomllib.loads(text), "builtin/performance.toml")


def all_rules() -> list[Rule]:
    """Table rules (决算 and 预算), narrative and 绩效 rules: what ``juesuan rules`` lists and
    docs/rules.md shows."""
    return [*builtin_rules(), *budget_rules(), *narrative_rules(), *performance_rules()]


def load_rule_file(path: str | Path, limits: Limits | None = None) -> list[Rule]:
    """A user's own rule file; any problem is an InputError naming the file."""
    from juesuan.fileio import read_input_text

    text = read_input_text(path, limits, what="rule file")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not a valid TOML rule file: {exc}") from None
    except RecursionError:
        raise InputError(path, "not a valid TOML rule file: nested too deeply") from None
    try:
        return parse_rules(doc, str(path))
    except (ValueError, TypeError) as exc:
        raise InputError(path, str(exc)) from None


def rule_set(
    extra_files: Iterable[str | Path] = (),
    *,
    limits: Limits | None = None,
    budget: bool = False,
) -> list[Rule]:
    """The built-in table rules of a 决算 (or, with ``budget``, of a 预算) and the user's own."""
    rules = budget_rules() if budget else builtin_rules()
    for f in extra_files:
        rules.extend(load_rule_file(f, limits))
    try:
        _check_unique(rules)
    except ValueError as exc:
        raise InputError(None, str(exc)) from None
    return rules


def _check_unique(rules: list[Rule]) -> None:
    seen: dict[str, str] = {}
    for r in rules:
        if r.id in seen:
            raise ValueError(f"rule id {r.id!r} declared twice ({seen[r.id]} and {r.origin})")
        seen[r.id] = r.origin


def rules_markdown(rules: list[Rule]) -> str:
    """docs/rules.md: the rule list as a newcomer reads it (regenerate with ``make docs``)."""
    out = [
        "# 校验规则 / Rules",
        "",
        "Generated from `src/juesuan/rules/builtin/*.toml` by `make docs`; do not edit by hand.",
        "Severity is the one a break beyond rounding gets; a break that the printed precision",
        "explains (万元 tables) is always a notice. Add your own rules in a TOML file of the same",
        "form and pass it with `juesuan check --rules FILE`.",
    ]
    origin = None
    for r in rules:
        if r.origin != origin:
            origin = r.origin
            out += [
                "",
                f"## {origin}",
                "",
                "| id | kind | severity | message | basis |",
                "|---|---|---|---|---|",
            ]
        cells = [f"`{r.id}`", r.kind, r.severity.value, r.message, r.basis]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"
