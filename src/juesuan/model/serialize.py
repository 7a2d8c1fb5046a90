"""Versioned JSON for the model, and the JSON Schema generated from the same type hints.

Money is written as a string ("2170014.34", "0.00") so that the printed precision survives a
round trip; a JSON number would lose the trailing zero. A blank cell is ``null``.
Run ``python -m juesuan.model.serialize`` to print the schema (``make schema``).
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from juesuan.model.report import Report

SCHEMA_VERSION = 1
SCHEMA_ID = "https://juesuan.invalid/schema/report-v1.json"
_MONEY_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
_MONEY = re.compile(_MONEY_PATTERN.replace("$", r"\Z"))


def _money(value: Decimal) -> str:
    return format(value, "f")


def to_jsonable(obj: Any) -> Any:
    """Plain JSON values for a model object, with stable key order."""
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, Decimal):
        return _money(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, float):
        return obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in _fields(type(obj))}
    if isinstance(obj, Mapping):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, tuple | list):
        return [to_jsonable(v) for v in obj]
    raise TypeError(f"cannot serialise {type(obj).__name__}")


@cache
def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return tuple(f for f in dataclasses.fields(cls) if f.init)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_jsonable(tp: Any, data: Any) -> Any:
    """Build a model object of type ``tp`` from plain JSON (inverse of :func:`to_jsonable`)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if data is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return from_jsonable(inner, data)
    if tp is Any:
        return data
    if tp is Decimal:
        if not isinstance(data, str) or not _MONEY.match(data):
            shown = repr(data) if len(repr(data)) <= 40 else repr(data)[:40] + "…"
            raise ValueError(f"money must be a string of digits such as \"12.30\", got {shown}")
        return Decimal(data)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp in (int, str, float, bool):
        if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
            raise ValueError(f"expected {tp.__name__}, got {data!r}")
        return data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {tp.__name__}")
        hints = _hints(tp)
        known = {f.name for f in _fields(tp)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown keys for {tp.__name__}: {', '.join(sorted(unknown))}")
        kwargs = {k: from_jsonable(hints[k], v) for k, v in data.items()}
        return tp(**kwargs)
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(data, list):
            raise ValueError(f"expected a list, got {data!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_jsonable(args[0], v) for v in data)
        return tuple(from_jsonable(a, v) for a, v in zip(args, data, strict=True))
    if origin in (Mapping, dict, typing.Mapping):
        key_tp, value_tp = typing.get_args(tp)
        if not isinstance(data, dict):
            raise ValueError(f"expected an object, got {data!r}")
        return {from_jsonable(key_tp, k): from_jsonable(value_tp, v) for k, v in data.items()}
    raise TypeError(f"unsupported type {tp!r}")


def report_to_json(report: Report) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "report": to_jsonable(report)}


def report_from_json(doc: Any) -> Report:
    """Raises ValueError with a readable reason on a malformed document."""
    if not isinstance(doc, dict) or "report" not in doc:
        raise ValueError("not a juesuan report document (no 'report' key)")
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(
            f"unsupported schema_version {version!r} (this juesuan reads {SCHEMA_VERSION})"
        )
    report = from_jsonable(Report, doc["report"])
    assert isinstance(report, Report)
    return report


def dumps(report: Report) -> str:
    return json.dumps(report_to_json(report), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


# --- JSON Schema, generated from the same type hints ---------------------------------------


def json_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    report_ref = _schema_for(Report, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "juesuan 部门决算 report",
        "type": "object",
        "required": ["schema_version", "report"],
        "additionalProperties": False,
        "properties": {"schema_version": {"const": SCHEMA_VERSION}, "report": report_ref},
        "$defs": dict(sorted(defs.items())),
    }


def _schema_for(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema_for(a, defs) for a in typing.get_args(tp)]}
    if tp is type(None):
        return {"type": "null"}
    if tp is Decimal:
        return {"type": "string", "pattern": _MONEY_PATTERN}
    if tp is str:
        return {"type": "string"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is bool:
        return {"type": "boolean"}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            hints = _hints(tp)
            props = {f.name: _schema_for(hints[f.name], defs) for f in _fields(tp)}
            required = [
                f.name
                for f in _fields(tp)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ]
            paragraph = (tp.__doc__ or name).strip().split("\n\n")[0]
            defs[name] = {
                "type": "object",
                "description": " ".join(paragraph.split()),
                "properties": props,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _schema_for(args[0], defs)}
        return {
            "type": "array",
            "prefixItems": [_schema_for(a, defs) for a in args],
            "minItems": len(args),
            "maxItems": len(args),
        }
    if origin in (Mapping, dict, typing.Mapping):
        key_tp, value_tp = typing.get_args(tp)
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": _schema_for(value_tp, defs),
        }
        if isinstance(key_tp, type) and issubclass(key_tp, Enum):
            schema["propertyNames"] = {"enum": [m.value for m in key_tp]}
        return schema
    raise TypeError(f"no schema for {tp!r}")


if __name__ == "__main__":
    print(json.dumps(json_schema(), ensure_ascii=False, indent=1))
