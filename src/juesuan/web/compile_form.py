"""The compile form: the build source (TOML, :mod:`juesuan.compose.source`) shown as a form of
labelled fields (``data/compile_form.toml``) and written back from what was submitted.

The form changes only the fields it shows; everything is validated again by the build itself
(:func:`juesuan.api.prepare_build`), whose one-line error the page shows. What the form checks
here is only what keeps the TOML well-formed: an integer is digits, an amount is a finite
decimal of sensible size (parsed with :class:`~decimal.Decimal`, never float), a choice is one
of its choices. File keys never come from the form: the server writes ``[tables] file`` itself
(:func:`source_text`) and drops ``prior.file`` and ``narrative.templates`` from a source it
starts from (:func:`start_from`), so no path a user typed reaches the file system.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

MAX_BUDGET_ROWS = 60
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Field:
    path: str
    label: str
    kind: str  # text | textarea | int | amount | number | choice
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def wide(self) -> bool:
        """Shown across the form (text, long labels) rather than two to a line."""
        return self.kind in ("text", "textarea", "choice") or len(self.label) > 12


@dataclass(frozen=True)
class Group:
    title: str
    fields: tuple[Field, ...]
    note: str = ""
    budget: bool = False  # the [[budget]] rows


@cache
def form_groups() -> tuple[Group, ...]:
    text = (resources.files("juesuan.web") / "data" / "compile_form.toml").read_text("utf-8")
    doc = tomllib.loads(text)
    return tuple(
        Group(
            g["title"],
            tuple(
                Field(
                    f["path"],
                    f["label"],
                    f["kind"],
                    bool(f.get("required", False)),
                    tuple(f.get("choices", ())),
                )
                for f in g.get("fields", ())
            ),
            g.get("note", ""),
            bool(g.get("budget", False)),
        )
        for g in doc["group"]
    )


def parse(text: str) -> dict[str, Any]:
    return tomllib.loads(text, parse_float=Decimal)


def _get(doc: dict[str, Any], path: str) -> Any:
    node: Any = doc
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = doc
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    if value is None:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def shown(value: Any) -> str:
    """A source value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


@dataclass(frozen=True)
class FormValues:
    """What the form shows: each field's text, the budget rows, and errors by field."""

    values: dict[str, str]
    budget: tuple[tuple[str, str, str], ...]  # (code, amount, reason)
    errors: dict[str, str]


def form_values(doc: dict[str, Any], errors: dict[str, str] | None = None) -> FormValues:
    values = {f.path: shown(_get(doc, f.path)) for g in form_groups() for f in g.fields}
    rows = [
        (shown(b.get("code")), shown(b.get("amount")), shown(b.get("reason")))
        for b in doc.get("budget", [])
        if isinstance(b, dict)
    ]
    rows += [("", "", "")] * 3  # room for new rows
    return FormValues(values, tuple(rows[:MAX_BUDGET_ROWS]), errors or {})


def _converted(f: Field, raw: str) -> tuple[Any, str | None]:
    if raw == "":
        return None, ("必填" if f.required else None)
    if f.kind == "int":
        if not raw.isdigit() or len(raw) > 12:
            return None, "应为整数"
        return int(raw), None
    if f.kind in ("amount", "number"):
        return _decimal(raw)
    if f.kind == "choice" and raw not in f.choices:
        return None, f"应为{'、'.join(f.choices)}之一"
    return raw, None


def _decimal(raw: str) -> tuple[Decimal | None, str | None]:
    try:
        value = Decimal(raw.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None, "应为数字（如 193.29）"
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or value.adjusted() > 15 or exponent < -6:
        return None, "数字过大或小数位过多"
    return value, None


def apply_form(doc: dict[str, Any], form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The source with the submitted fields written into it, and the errors by field (a field
    in error keeps its old value)."""
    out = parse(dumps(doc))  # a deep copy
    errors: dict[str, str] = {}
    for g in form_groups():
        for f in g.fields:
            if f.path not in form:
                continue
            raw = form[f.path].strip()
            value, error = _converted(f, raw)
            if error is not None:
                errors[f.path] = error
                continue
            _set(out, f.path, value)
    budget = []
    for i in range(MAX_BUDGET_ROWS):
        code = form.get(f"budget.{i}.code", "").strip()
        amount = form.get(f"budget.{i}.amount", "").strip()
        reason = form.get(f"budget.{i}.reason", "").strip()
        if not (code or amount or reason):
            continue
        value, error = _decimal(amount) if amount else (None, "请填写年初预算数")
        if error is not None:
            errors[f"budget.{i}.amount"] = error
            continue
        entry: dict[str, Any] = {"code": code, "amount": value}
        if reason:
            entry["reason"] = reason
        budget.append(entry)
    if any(k.startswith("budget.") for k in form):
        if budget:
            out["budget"] = budget
        else:
            out.pop("budget", None)
    prior = out.get("prior")
    if isinstance(prior, dict) and not prior.get("totals") and "file" not in prior:
        out.pop("prior")  # no totals: no comparison with last year (the build warns)
    return out, errors


def start_from(doc: dict[str, Any]) -> dict[str, Any]:
    """A source the server may keep: no file keys (the server sets the tables file), and no
    ``prior.year`` (it follows ``unit.year`` when the year is changed in the form)."""
    out = parse(dumps(doc))
    out.pop("tables", None)
    if isinstance(out.get("narrative"), dict):
        out["narrative"].pop("templates", None)
    if isinstance(out.get("prior"), dict):
        out["prior"].pop("file", None)
        out["prior"].pop("year", None)
        if not out["prior"].get("totals"):
            out.pop("prior")
    return out


def source_text(doc: dict[str, Any], tables_file: str) -> str:
    """The TOML the build reads: the kept source plus the server's own tables file."""
    full = dict(doc)
    full["tables"] = {"file": tables_file}
    return dumps(full)


def label(doc: dict[str, Any]) -> str:
    found = doc.get("unit")
    unit = found if isinstance(found, dict) else {}
    return f"{shown(unit.get('name')) or '未命名单位'} {shown(unit.get('year'))}年度"


# --- TOML out -----------------------------------------------------------------------------------


def _key(k: str) -> str:
    return k if _BARE_KEY.fullmatch(k) else _string(k)


def _string(s: str) -> str:
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list) and all(not isinstance(x, dict) for x in v):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def dumps(doc: dict[str, Any]) -> str:
    """TOML text for a source document (strings, integers, exact decimals, tables, arrays of
    tables), read back by :func:`tomllib.loads` to the same values."""
    lines: list[str] = []
    _table(doc, [], lines)
    return "\n".join(lines).strip() + "\n"


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _table(doc: dict[str, Any], prefix: list[str], lines: list[str]) -> None:
    for k, v in doc.items():
        if not isinstance(v, dict) and not _is_table_array(v):
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in doc.items():
        if isinstance(v, dict):
            name = ".".join(_key(p) for p in [*prefix, k])
            lines += ["", f"[{name}]"]
            _table(v, [*prefix, k], lines)
        elif _is_table_array(v):
            name = ".".join(_key(p) for p in [*prefix, k])
            for item in v:
                lines += ["", f"[[{name}]]"]
                _table(item, [*prefix, k], lines)
