"""The corpus answer key, shared by ``bench/corpus.py`` and the corpus tests: the cell-exact
transcriptions in ``final-accounts/truth/`` and the checked list of real errors in
``final-accounts/ERRORS.md``, compared with what juesuan reads and finds.

Nothing here knows a particular document: a truth row is found in the model by its code (or its
printed label), a truth column by the model's own column words, an ERRORS.md row by the words it
quotes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
FINAL = CORPUS / "final-accounts"
TRUTH = FINAL / "truth"
ERRORS = FINAL / "ERRORS.md"
BEYOND = Path(__file__).resolve().parent / "data" / "beyond_errors.toml"

_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十]+[、)）.．]")
_WS = re.compile(r"\s+")


def compact(text: str | None) -> str:
    """Whitespace removed, full-width forms folded (as the text layer prints them)."""
    import unicodedata

    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def _label_key(label: str | None) -> str:
    return _ORDINAL.sub("", compact(label))


# --- truth: cells ------------------------------------------------------------------------------


@dataclass
class CellResult:
    table: str  # the standard table id "01" … "09"
    row: str
    column: str
    expected: str
    found: str | None  # None: not read (blank or missing row/column)
    # where the cell is in the model (row index in its table, column key), when found
    row_index: int | None = None
    key: str | None = None

    @property
    def exact(self) -> bool:
        return self.found == self.expected


@dataclass
class TruthResult:
    doc: str
    unit_name: str
    unit_name_found: str | None
    cells: list[CellResult] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # cells read where truth is blank

    @property
    def exact(self) -> int:
        return sum(c.exact for c in self.cells)

    @property
    def total(self) -> int:
        return len(self.cells)

    @property
    def unit_name_right(self) -> bool:
        return compact(self.unit_name) == compact(self.unit_name_found)


def truth_files() -> list[Path]:
    return sorted(TRUTH.glob("*.json")) if TRUTH.is_dir() else []


def truth_document(truth: Path) -> Path:
    """The corpus PDF a truth file transcribes."""
    data = json.loads(truth.read_text(encoding="utf-8"))
    return (
        FINAL / data["file"]
        if (FINAL / data["file"]).exists()
        else next(FINAL.glob(f"{truth.stem}_*"))
    )


def _printed(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


_SANGONG_ITEM = (
    ("因公出国", "因公出国（境）费"),
    ("购置费", "公务用车购置费"),
    ("运行", "公务用车运行费"),
    ("接待", "公务接待费"),
    ("会议费", "会议费"),
    ("培训费", "培训费"),
)


def _sangong_column(column: str, row_label: str | None) -> str:
    """A truth column of the 三公 table in the model's words (预算数|决算数 / item)."""
    parts = column.split("/")
    part = next((p for p in ("预算数", "决算数") if p in parts), None)
    if part is None:
        part = compact(row_label)
    leaf = parts[-1]
    if leaf == "小计" and len(parts) >= 2 and "公务用车" in parts[-2]:
        return f"{part}/公务用车购置及运行费"
    for word, item in _SANGONG_ITEM:
        if word in leaf:
            return f"{part}/{item}"
    return f"{part}/合计"


def _model_column(spec: Any, side_name: str | None, column: str) -> str | None:
    from juesuan.readers.layout import column_key

    side = spec.side(side_name) if side_name else spec.sides[0]
    return column_key(side, [compact(p) for p in column.split("/")])


def compare_truth(truth: Path, report: Any) -> TruthResult:
    """Every value cell of a truth file against the report juesuan read."""
    from juesuan.model.layout import SPECS, TableId

    data = json.loads(truth.read_text(encoding="utf-8"))
    result = TruthResult(truth.stem, data["unit_name"], report.unit_name)
    for t in data["tables"]:
        std = TableId(f"{t.get('std') or t['no']:02d}")
        table = report.table(std)
        spec = SPECS[std]
        used: set[int] = set()
        matched_cells: set[tuple[int, str]] = set()
        for trow in t["rows"]:
            side = trow.get("side") if std in (TableId.T01, TableId.T04) else None
            index = _find_row(table, trow, side, used)
            if index is not None:
                used.add(index)
            for col, expected in trow["values"].items():
                if std is TableId.T07:
                    key: str | None = _sangong_column(col, trow.get("label"))
                else:
                    side_name, _, plain = col.rpartition(":")
                    key = _model_column(spec, side_name or None, plain)
                found = None
                if index is not None and key is not None:
                    found = _printed(table.rows[index].value(key))
                    matched_cells.add((index, key))
                where = trow.get("code") or trow.get("label") or "三公经费"
                result.cells.append(
                    CellResult(std.value, where, col, expected, found, index, key)
                )
        for i in used:
            row = table.rows[i]
            for key, cell in row.cells.items():
                if cell.value is not None and (i, key) not in matched_cells:
                    result.extra.append(f"{std.value}:{row.key}:{key}={_printed(cell.value)}")
    return result


def _find_row(table: Any, trow: dict[str, Any], side: str | None, used: set[int]) -> int | None:
    from juesuan.model.layout import TableId

    code = trow.get("code")
    label = _label_key(trow.get("label"))
    if table.id is TableId.T07 and table.rows:
        return 0  # the 三公 figures are one model row, printed as one row or as 预算数/决算数
    for i, row in enumerate(table.rows):
        if i in used or (side is not None and row.side != side):
            continue
        if code and row.code == code:
            return i
        if not code and not row.code and label in (_label_key(row.label), _label_key(row.key)):
            return i
    if not code and side is not None:
        # a class row of 01/04 (printed without its code) is keyed by the code of its name
        for i, row in enumerate(table.rows):
            if i not in used and row.side == side and row.code and label == _label_key(row.label):
                return i
    return None


# --- ERRORS.md: the real errors ----------------------------------------------------------------


@dataclass(frozen=True)
class KnownError:
    id: str  # F001-03
    doc: str  # 001
    where: str
    quote: str
    what: str
    kind: str
    level: str  # must | soft


_DOC_HEAD = re.compile(r"^## (\d{3}) ")
_QUOTED = re.compile(r"[\"“]([^\"”]{4,})[\"”]")


def known_errors(path: Path = ERRORS) -> list[KnownError]:
    """Every row of ERRORS.md (documents whose table says "No errors" have none)."""
    out: list[KnownError] = []
    doc = None
    header: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _DOC_HEAD.match(line)
        if m:
            doc, header = m.group(1), []
            continue
        if doc is None or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == "id":
            header = cells
            continue
        if not header or not re.match(r"^F\d{3}-\d+$", cells[0]) or len(cells) != len(header):
            continue
        row = dict(zip(header, cells, strict=True))
        quote = row.get("quote") or ""
        if not quote:
            m2 = _QUOTED.search(row["what"])
            quote = m2.group(1) if m2 else ""
        out.append(
            KnownError(
                row["id"],
                doc,
                row["where"],
                quote,
                row["what"],
                row["kind"],
                row["must/soft"].split()[0],
            )
        )
    return out


def documents_with_key(path: Path = ERRORS) -> list[str]:
    """Document numbers that ERRORS.md covers (with or without errors)."""
    return [
        m.group(1)
        for line in path.read_text(encoding="utf-8").splitlines()
        if (m := _DOC_HEAD.match(line))
    ]


def finding_text(finding: Any) -> str:
    loc = finding.location
    return compact(
        " ".join(x or "" for x in (loc.quote, finding.message, finding.found, finding.expected))
    )


_DECIMAL = re.compile(r"\d[\d,]*\.\d+")


def _figures(text: str) -> set[Decimal]:
    """The decimal figures a text names, as values ("116,790.60" and "116790.6" are one)."""
    return {Decimal(m.group(0).replace(",", "")).normalize() for m in _DECIMAL.finditer(text)}


def matches(known: KnownError, finding: Any) -> bool:
    """Does a finding report this known error? It must quote (or be quoted by) the printed
    words the key gives; a row that quotes no words (a form's figures against the tables) is
    reported by a finding that names at least two of the figures the row gives."""
    quote = compact(known.quote)
    if len(quote) < 4:
        wanted = _figures(known.what)
        return len(wanted) >= 2 and len(wanted & _figures(finding_text(finding))) >= 2
    text = finding_text(finding)
    if quote in text:
        return True
    fq = compact(finding.location.quote)
    if len(fq) >= 8 and fq in quote:
        return True
    # the wrong words a finding names in “…” (a label, a year, a unit) printed in the quote:
    # "Item 13 has the same slip" rows are found by the words of the slip
    named = [compact(m) for m in re.findall(r"“([^”]{6,})”", finding.message or "")]
    return any(n in quote for n in named if not n.startswith(("情况说明", "公开")))


@dataclass
class KeyResult:
    doc: str
    must: list[tuple[KnownError, str | None]] = field(default_factory=list)  # severity found
    soft: list[tuple[KnownError, str | None]] = field(default_factory=list)
    unlisted_errors: list[Any] = field(default_factory=list)
    beyond: list[Any] = field(default_factory=list)  # real errors verified beyond ERRORS.md

    @property
    def must_found(self) -> int:
        return sum(sev == "error" for _, sev in self.must)

    @property
    def soft_found(self) -> int:
        return sum(sev in ("error", "warning") for _, sev in self.soft)


def compare_errors(doc: str, findings: list[Any], keys: list[KnownError]) -> KeyResult:
    result = KeyResult(doc)
    rank = {"error": 0, "warning": 1, "notice": 2, "info": 3}
    mine = [k for k in keys if k.doc == doc]
    claimed: set[int] = set()
    for k in mine:
        best: str | None = None
        for i, f in enumerate(findings):
            if matches(k, f):
                claimed.add(i)
                sev = f.severity.value
                if best is None or rank[sev] < rank[best]:
                    best = sev
        (result.must if k.level == "must" else result.soft).append((k, best))
    for i, f in enumerate(findings):
        if f.severity.value != "error" or i in claimed:
            continue
        if any(_is_beyond(b, doc, f) for b in beyond_errors()):
            result.beyond.append(f)
        else:
            result.unlisted_errors.append(f)
    return result


def beyond_errors() -> list[dict[str, Any]]:
    """The real errors found beyond ERRORS.md, verified by hand (bench/data/beyond_errors.toml)."""
    import tomllib

    if not BEYOND.is_file():
        return []
    return list(tomllib.loads(BEYOND.read_text(encoding="utf-8")).get("error", []))


def _is_beyond(entry: dict[str, Any], doc: str, finding: Any) -> bool:
    message = finding.message or ""
    return (
        entry["doc"] == doc
        and entry["rule"] == finding.rule_id
        and all(w in message for w in entry["words"])
    )
