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


# --- budget truth: cells of 部门预算 tables (tests/data/budget_truth/) -----------------------

BUDGET_TRUTH = REPO / "tests" / "data" / "budget_truth"
BUDGETS = CORPUS / "budgets"


@dataclass
class BudgetTruthResult(TruthResult):
    # tables whose 金额单位 juesuan read differently: "B07: 万元→元"
    units: list[str] = field(default_factory=list)


def budget_truth_files() -> list[Path]:
    return sorted(BUDGET_TRUTH.glob("*.json")) if BUDGET_TRUTH.is_dir() else []


def budget_truth_document(truth: Path) -> Path:
    """The corpus budget a budget truth file transcribes."""
    return BUDGETS / json.loads(truth.read_text(encoding="utf-8"))["file"]


def _budget_column(
    spec: Any,
    side_name: str | None,
    column: str,
    grouped: bool,
    year: Any,
    row_label: str | None = None,
    row_item: str | None = None,
) -> str | None:
    """A truth column (the printed header path, "side:" for a pane) in the model's words,
    through the model's own vocabulary (budget_tables.toml), the year said relative to the
    report's (2025年预算数 in a 2026 budget is the 上年预算数)."""
    from juesuan.model.layout import BUDGET_ALIASES
    from juesuan.readers.layout import column_key, norm, relative_years
    from juesuan.readers.layout_budget import sangong_item, sangong_part

    stack = relative_years([[norm(p) for p in column.split("/")]], year)[0]
    if spec.layout == "budget_sangong" and row_item is not None:
        # one row per item (广州): the item is the row's, the column its total or a fund
        part = sangong_part([row_label or ""])
        if any(w in ("合计", "总计", "预算数", "金额", "本年预算数") for w in stack):
            return f"{part}/{row_item}"
        return f"{part}/{stack[-1]}/{row_item}"
    if spec.layout == "budget_sangong":
        item = sangong_item(stack, grouped and not any("三公" in w for w in stack))
        return None if item is None else f"{sangong_part(stack)}/{item}"
    side = spec.side(side_name) if side_name else spec.sides[0]
    return column_key(side, stack, BUDGET_ALIASES)


def _sangong_row_item(label: str | None) -> str | None:
    """The 三公 item a row label names (a table printed one item per row)."""
    from juesuan.readers.layout_budget import _row_item, plain_label

    return _row_item(plain_label(label or ""))


def _budget_row(table: Any, trow: dict[str, Any], used: set[int]) -> int | None:
    """A truth row in the model: by its code (the one whose key holds every code the row
    prints, 北京's compound rows), else by its printed label (ordinal and 其中 dropped), on
    its side of a table printed in panes."""
    from juesuan.readers.layout_budget import plain_label

    if table.spec.layout == "budget_sangong" and table.rows:
        return 0  # the 三公 figures are one model row, whether printed as one row or per item
    side = trow.get("side")
    code = trow.get("code")
    codes = [code, *trow.get("codes", [])] if code else []
    # a row printed with figures and no label is the table's total (北京 预算02表)
    label = plain_label(trow.get("label") or (table.spec.total_row if not code else "") or "")
    candidates = [
        i
        for i, row in enumerate(table.rows)
        if i not in used and (side is None or row.side == side)
    ]
    if code:
        for i in candidates:
            row = table.rows[i]
            parts = row.key.split("#")[0].split("|")
            if (row.code == code or parts[0] == code) and all(c in parts for c in codes):
                return i
    for i in candidates:
        row = table.rows[i]
        names = {plain_label(row.label), plain_label(row.key.split("/")[-1]), plain_label(row.key)}
        if label and label in names and (not code or not row.code or row.code == code):
            return i
    if table.spec.layout == "listing" and label:
        # a listing's truth label is the label cells printed on the row; the model may carry
        # a group printed once above (一、货物A) in front of them
        wanted = [plain_label(p) for p in (trow.get("label") or "").split("/")]
        for i in candidates:
            have = [plain_label(p) for p in table.rows[i].label.split("/")]
            if have[-len(wanted) :] == wanted:
                return i
    return None


def compare_budget_truth(truth: Path, report: Any) -> BudgetTruthResult:
    """Every printed cell of a budget truth file against the report juesuan read: its value,
    the table's 金额单位, and every cell juesuan read where the truth is blank (``extra``)."""
    from juesuan.model.layout import SPECS, TableId

    data = json.loads(truth.read_text(encoding="utf-8"))
    result = BudgetTruthResult(truth.stem, data["unit_name"], report.unit_name)
    year = data.get("year")
    seen: set[tuple[TableId, int, str]] = set()
    for t in data["tables"]:
        tid = TableId(t["kind"])
        table, spec = report.table(tid), SPECS[tid]
        unit_found = getattr(table.unit, "value", None)
        unit_ok = unit_found == t["unit"]
        if not unit_ok:
            result.units.append(f"{tid.value}: {t['unit']}→{unit_found}")
        grouped = any("三公" in c for c in t["columns"])
        items = [_sangong_row_item(r.get("label")) for r in t["rows"]]
        by_rows = spec.layout == "budget_sangong" and sum(i is not None for i in items) >= 2
        used: set[int] = set()
        for trow, item in zip(t["rows"], items, strict=True):
            index = _budget_row(table, trow, used)
            if index is not None and spec.layout != "budget_sangong":
                used.add(index)
            where = trow.get("code") or trow.get("label") or ""
            for col, expected in trow["values"].items():
                side_name, _, plain = col.rpartition(":")
                key = _budget_column(
                    spec,
                    side_name or None,
                    plain,
                    grouped,
                    year,
                    trow.get("label"),
                    item if by_rows else None,
                )
                found = None
                if index is not None and key is not None:
                    found = _printed(table.rows[index].value(key))
                    seen.add((tid, index, key))
                if not unit_ok:
                    found = f"{found} {unit_found}"  # a right figure in the wrong unit is wrong
                result.cells.append(CellResult(tid.value, where, col, expected, found, index, key))
        for i, row in enumerate(table.rows):
            for key, cell in row.cells.items():
                if cell.value is not None and (tid, i, key) not in seen:
                    result.extra.append(f"{tid.value}:{row.key}:{key}={_printed(cell.value)}")
    return result


def budget_truth_line(files: list[str]) -> str | None:
    """The totals line of ``bench/corpus.py`` for the budgets with a truth file among ``files``
    (corpus paths as INDEX.tsv gives them): cells exact, cells read where the page prints
    none, tables whose 金额单位 was read right."""
    from juesuan.readers import read

    wanted = {Path(f).name for f in files}
    results = [
        compare_budget_truth(t, read(budget_truth_document(t)))
        for t in budget_truth_files()
        if json.loads(t.read_text(encoding="utf-8"))["file"] in wanted
    ]
    if not results:
        return None
    wrong_units = sum(len(r.units) for r in results)
    return (
        f"budget cells exact: {sum(r.exact for r in results)}/{sum(r.total for r in results)}"
        f" in {len(results)} budgets (+{sum(len(r.extra) for r in results)} read where truth is"
        f" blank; tables in the wrong 金额单位: {wrong_units})"
    )
