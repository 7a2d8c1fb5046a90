"""Cell references in rule files: ``TABLE:ROW[:COLUMN]``, ``-`` to subtract, ``@类`` selectors."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from juesuan.model.layout import SPECS, TableId
from juesuan.model.tables import Level, Row, Table

SELECTORS = {"@类": Level.CLASS, "@款": Level.SECTION, "@项": Level.ITEM}


@dataclass(frozen=True, slots=True)
class Ref:
    table: TableId
    row: str
    column: str | None
    sign: int = 1

    @property
    def selector(self) -> Level | None:
        return SELECTORS.get(self.row)


@cache
def parse_ref(text: str) -> Ref:
    """Raises ValueError with the reason."""
    s = text.strip()
    sign = 1
    if s.startswith("-"):
        sign, s = -1, s[1:].strip()
    parts = s.split(":")
    if len(parts) not in (2, 3):
        raise ValueError(f"reference {text!r} is not TABLE:ROW[:COLUMN]")
    try:
        table = TableId(parts[0])
    except ValueError:
        raise ValueError(f"reference {text!r}: unknown table {parts[0]!r}") from None
    column = parts[2] if len(parts) == 3 else None
    spec = SPECS[table]
    if column is not None and column not in spec.columns:
        raise ValueError(f"reference {text!r}: table {table.value} has no column {column!r}")
    if parts[1].startswith("@") and parts[1] not in SELECTORS:
        raise ValueError(f"reference {text!r}: unknown selector {parts[1]!r}")
    return Ref(table, parts[1], column, sign)


def column_for(ref: Ref, row: Row | None) -> str:
    """The referenced column, or the single value column of the row's side."""
    if ref.column is not None:
        return ref.column
    spec = SPECS[ref.table]
    side_name = row.side if row is not None else None
    candidates = [s for s in spec.sides if s.name == side_name] or list(spec.sides)
    if row is not None and len(candidates[0].columns) != 1:
        # a row filed under a side it does not belong to (a hand-edited or damaged JSON
        # report): its value is the one the reference means, on the single-column side
        candidates = [s for s in spec.sides if len(s.columns) == 1] or candidates
    if len(candidates[0].columns) != 1:
        raise ValueError(f"reference to table {ref.table.value} row {ref.row!r} needs a column")
    return candidates[0].columns[0]


def resolve_rows(ref: Ref, table: Table) -> list[Row]:
    level = ref.selector
    if level is not None:
        # the classified side's rows (a 预算 收支总表 also prints economic classes in a pane
        # of their own: they are not its 类)
        sides = {s.name for s in SPECS[ref.table].sides if s.classified}
        return [r for r in table.rows if r.code and r.level is level and r.side in sides]
    row = table.row(ref.row)
    return [row] if row is not None else []
