"""Harvest (year, code, name, document) triples of the classification codes printed in the corpus.

A development tool, not shipped in the package. The reference lists in
``src/juesuan/model/data/`` (支出功能分类科目 ``function.csv``, 部门预算支出经济分类科目
``economic.csv``) were mostly transcribed from memory; the reports and budgets that units actually
published print (code, name) rows in their tables, and where they agree that is better evidence
than memory. This script reads, from ``../shared/corpus`` (see its README and INDEX.tsv):

- ``final-accounts/truth/*.json``: cell-exact transcriptions of 部门决算 tables (the most reliable
  source: every row was compared with the page image);
- the other PDFs (and HTML pages) of the index, 部门预算 above all: their tables (收入总表,
  支出总表, 一般公共预算支出表, 基本支出表 …) read from the text layer with pypdfium2. A row is a
  3/5/7-digit function code (2xx…) or a 3/5-digit economic code (3xx…), printed joined
  (``2010101``), split into 类 | 款 | 项 columns (``201 01 01``), joined to its name by a dash
  (``2010101-行政运行``) or, in some 西安 tables, a 款 printed as its last two digits under its 类
  (``208`` then ``05 行政事业单位离退休``); then its name, which may wrap onto the next lines.

The crawled narratives (final-accounts ``*.txt``) are not read: their tables were attachments
that are not there.

What a table row is not: a project (项目) table prints one code beside many project names, a
绩效目标 table prints "≥200 人次", a narrative "（2010301）行政运行 12.00 万元". Such text is left
out by: names with Latin letters, sentence punctuation, 指标 or a following 万元; pages where one
code carries two names; codes with a ``00`` segment; a code whose 类 the document prints at no
other level (for a 类 row).

Acceptance rule (a printed name becomes a row only when it is printed consistently):

1. a (code, name) pair is *accepted* when it is in a truth transcription, or printed by at least
   two documents (a unit's 部门预算 and 单位预算 of one year count once: the one is a copy of the
   other), or printed by one document and equal to the name our list already has for that code
   (two independent sources agree), or, for a 类 or 款 the list lacks, printed by one document
   as the code's only name in a year where an accepted child of it is printed;
2. over the years it is printed (first to last), an accepted name is the code's name: a year the
   list does not cover is added; a name the list has only from memory (``mof-list-recall``) gives
   way to the printed one in those years; a name from a printed seed is never overwritten (that is
   a conflict); the list's years are never narrowed outside the printed years;
3. several accepted names of one code printed in disjoint, ordered years are a rename; the years
   between the last printing of the older name and the first of the newer are left as the list
   had them (the year of the change is not known);
4. a code the list lacks altogether stays valid after its last printed name (like every row of the
   list) unless the same unit printed its 类 in a later year without it, or its name is printed
   under a sibling code (same parent) in the later years;
5. everything else is reported, not added: a name printed by one document only (*lone*), two
   accepted names of one code printed in one year, or names whose years interleave (*conflicts*).

Usage::

    python scripts/harvest_codes.py                 # summary and proposal
    python scripts/harvest_codes.py --names         # plus every (code, year) with its names
    python scripts/harvest_codes.py --json out.json # everything as data
    python scripts/harvest_codes.py --write         # apply the proposal to the CSVs

Exits 0 with one line when the corpus is not beside the repository.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import itertools
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
DATA = REPO / "src" / "juesuan" / "model" / "data"
FILES = {"function": DATA / "function.csv", "economic": DATA / "economic.csv"}
RECALL = "mof-list-recall"
LAST_YEAR = 2026  # the newest year the lists cover; an open row is valid up to here and beyond

sys.path.insert(0, str(REPO / "src"))

from juesuan.model.codes import normalize_name  # noqa: E402  (after the path is set)

# ---------------------------------------------------------------------------------------------
# Names

_SPACE = re.compile(r"[\s\u3000\u00a0]+")
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])"
)
_LEVEL = re.compile(r"[（(][类款项][）)]$")


def display_name(raw: str) -> str:
    """The name as the CSV writes it: NFKC (full-width letters and digits become ASCII), no
    spaces (justified cells print ``因 公 出 国``), parentheses full-width as in the MoF lists,
    no trailing level mark or separator."""
    s = unicodedata.normalize("NFKC", raw)
    s = _SPACE.sub("", s)
    s = s.replace("(", "（").replace(")", "）")
    s = _LEVEL.sub("", s)
    return s.strip("-－—:：、.．")


# Words that start no name: totals, headers.
STOP = (
    "合计",
    "总计",
    "小计",
    "本年",
    "上年",
    "年初",
    "年末",
    "科目",
    "项目",
    "功能分类",
    "经济分类",
)
# Official names carry no Latin letter (西安 project names end in A/B/C), no sentence punctuation,
# no comparison sign (绩效目标 "≥200 人次") and no 指标.
_NOT_NAME = re.compile(r"[A-Za-z，。；！？“”\",≥≤=<>＜＞%/]|指标|万元|表$|单位[:：]|^[-—－]")


def plausible_name(name: str) -> bool:
    """A row's name, not a sentence, a header, a total or a project."""
    return (
        1 < len(name) <= 40
        and not _NOT_NAME.search(name)
        and not name.startswith(STOP)
        and not _ORDINAL.match(name)
        and re.search(r"[\u4e00-\u9fff]", name) is not None
    )


def plausible_code(code: str) -> bool:
    """A function (2xx) or economic (3xx) code with no ``00`` level (there is no 类 200, no 款
    30100, no 项 2010100)."""
    return all(code[i : i + 2] != "00" for i in range(1, len(code), 2))


# ---------------------------------------------------------------------------------------------
# Rows of a page of text


@dataclass(frozen=True)
class Row:
    code: str
    name: str


_NOT_BEFORE = r"(?<![\d.,，%\-/（(:：≥≤=<>＜＞])"  # not the tail of an amount, nor "(201)" in text
_AFTER = r"(?![\d.,%])"
_CODE = re.compile(
    _NOT_BEFORE + r"(?:"
    # split into 类 | 款 | 项 columns: "201 08 01", "301 02"
    r"(?P<c>[23]\d{2})[ \t\u3000]+(?P<k>\d{2})(?:[ \t\u3000]+(?P<x>\d{2}))?"
    r"|(?P<j>2\d{2}(?:\d{4}|\d{2})?|3\d{2}(?:\d{2})?)"  # joined
    r")" + _AFTER + r"[ \t\u3000]*[-－—]?[ \t\u3000]*"
)
_TWO = re.compile(r"^[ \t\u3000]*(\d{2})(?![\d.,%])[ \t\u3000]*(?=[\u4e00-\u9fff（(])")
_NAME_START = re.compile(r"[\u4e00-\u9fff（(]")
_UPTO_DIGIT = re.compile(r"^[^\d]*")


def _code_of(m: re.Match[str]) -> str:
    if m.group("j"):
        return m.group("j")
    code = m.group("c") + m.group("k") + (m.group("x") or "")
    return code if code[0] == "2" or len(code) == 5 else ""  # economic codes have no 项


def _continuation(line: str) -> str | None:
    """The part of a following line that continues a wrapped name: text up to its first amount,
    on a line that starts with no code and carries no other column of text."""
    s = line.strip(" \t\u3000")
    if not s or not _NAME_START.match(s) or _CODE.match(s):
        return None
    head = _UPTO_DIGIT.match(s)
    frag = head.group(0).strip() if head else ""
    if not frag or len(frag) > 20 or _SPACE.search(frag) or frag.startswith(STOP):
        return None
    if _NOT_NAME.search(frag) or "表" in frag:
        return None
    return frag


def _name_at(lines: list[str], i: int, rest: str) -> tuple[str, int] | None:
    """The name that starts at ``rest`` (the remainder of line ``i`` after a code), with the
    index of the line it ends on: up to the first amount, or over one or two following lines
    when it runs to the end of its line (a wrapped cell)."""
    end = i
    if not rest.strip() and i + 1 < len(lines):
        # the name is on the next line: a code cell vertically centred beside a wrapped name
        nxt = lines[i + 1].strip(" \t\u3000")
        if _NAME_START.match(nxt) and not _CODE.match(nxt):
            rest, end = nxt, i + 1
    rest = rest.lstrip(" \t\u3000")
    if not _NAME_START.match(rest):
        return None
    head = _UPTO_DIGIT.match(rest)
    name = head.group(0) if head else ""
    if len(name.rstrip()) == len(rest.rstrip()):  # ran to the end of the line
        for _ in (1, 2):
            if end + 1 >= len(lines):
                break
            frag = _continuation(lines[end + 1])
            if frag is None:
                break
            name += frag
            end += 1
            if re.search(r"\d", lines[end]):
                break  # the continuation carried the row's amounts
    return name, end


def _follows_as_prose(line: str, name: str) -> bool:
    """A name followed by an amount in 万元/元 is a sentence of the narrative, not a table row."""
    at = line.find(name.strip())
    tail = line[at + len(name.strip()) :] if at >= 0 else ""
    return re.match(r"\s*-?[\d,]+(?:\.\d+)?\s*(?:万元|元|亿元)", tail) is not None


def page_rows(text: str) -> Iterator[Row]:
    """(code, name) rows printed on one page of text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    last_class = ""  # the 类 of the previous code row, for a 款 printed as two digits
    prev_row = -2  # index of the line the previous row ended on
    pending: Row | None = None  # a 款 from two digits, kept until the next row confirms it
    i = 0
    while i < len(lines):
        line = lines[i]
        found: list[tuple[str, str, int]] = []  # code, raw name, line the name ends on
        two = _TWO.match(line)
        if two:
            # "05 行政事业单位离退休" right under "208 社会保障和就业支出" (西安 2019): only right
            # after a code row, so that the 序号 column of other tables is not read as codes
            got = _name_at(lines, i, line[two.end() :])
            if got and prev_row == i - 1 and last_class:
                found.append((last_class + two.group(1), *got))
        else:
            matches = [m for m in _CODE.finditer(line) if _code_of(m)]
            for n, m in enumerate(matches):
                # on a flattened page several rows share a line: each name ends at the next code
                stop = matches[n + 1].start() if n + 1 < len(matches) else len(line)
                rest = line[m.end() : stop]
                got = (
                    _name_at(lines, i, rest)
                    if n + 1 == len(matches)
                    else ((rest, i) if _NAME_START.match(rest.lstrip()) else None)
                )
                if got:
                    found.append((_code_of(m), *got))
        for code, raw, end in found:
            head = _UPTO_DIGIT.match(raw)
            name = display_name(head.group(0) if head else raw)
            if not plausible_code(code) or not plausible_name(name):
                continue
            if _follows_as_prose(lines[end], raw):
                continue
            row = Row(code, name)
            if pending is not None:
                # the 款 read from two digits is kept when the 项 under it agrees
                if len(code) != 7 or code.startswith(pending.code):
                    yield pending
                pending = None
            if two and len(code) == 5:
                pending = row
            else:
                yield row
            last_class = code[:3]
            prev_row = end
            i = max(i, end)
        i += 1
    if pending is not None:
        yield pending


def document_rows(pages: Iterable[str]) -> list[Row]:
    """The classification rows of a document: from pages with two rows at least, where no code
    carries two names (a project table prints one code beside many projects); a 类 only where the
    document prints a 款 or 项 of it too (a stray "205 人次" has no family)."""
    rows: list[Row] = []
    for text in pages:
        page = list(page_rows(text))
        if len(page) < 2:
            continue
        names: dict[str, set[str]] = defaultdict(set)
        for r in page:
            names[r.code].add(normalize_name(r.name))
        doubled = {c for c, n in names.items() if len(n) > 1}
        if len(doubled) > 1:
            continue
        rows.extend(r for r in page if r.code not in doubled)
    levels: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        levels[r.code[:3]].add(len(r.code))
    return [r for r in rows if len(r.code) > 3 or len(levels[r.code]) > 1]


# ---------------------------------------------------------------------------------------------
# Documents of the corpus


@dataclass(frozen=True)
class Seen:
    code: str
    name: str  # display form
    year: int
    doc: str  # short key: truth/003, budgets/1019
    unit: str  # region + unit: with the year, documents that are copies of one another
    via: str  # truth | table


def _index(corpus: Path) -> dict[str, dict[str, str]]:
    with open(corpus / "INDEX.tsv", encoding="utf-8", newline="") as fh:
        return {r["file"]: r for r in csv.DictReader(fh, delimiter="\t")}


def _unit_key(meta: dict[str, str]) -> str:
    unit = re.sub(r"[（(].*?[）)]|\s+", "", meta.get("unit", ""))
    return f"{meta.get('region', '')}/{unit}"


def doc_key(file: str) -> str:
    """``budgets/1019_shanghai_….pdf`` → ``budgets/1019`` (the corpus's own number)."""
    folder, name = file.split("/", 1)
    return f"{folder}/{name.split('_', 1)[0]}"


_TRUTH_CODE = re.compile(r"2\d{2}(?:\d{2}){0,2}|3\d{2}(?:\d{2})?")


def truth_seen(corpus: Path, index: dict[str, dict[str, str]]) -> Iterator[Seen]:
    for path in sorted((corpus / "final-accounts" / "truth").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        meta = index.get(f"final-accounts/{data['file']}")
        unit = _unit_key(meta) if meta else str(data.get("unit_name", path.stem))
        for table in data["tables"]:
            for row in table["rows"]:
                code, label = row.get("code"), row.get("label")
                if code and label and _TRUTH_CODE.fullmatch(code):
                    name = display_name(label)
                    yield Seen(code, name, int(data["year"]), f"truth/{path.stem}", unit, "truth")


def pdf_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium  # a development dependency, installed with the package

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def html_pages(path: Path) -> list[str]:
    """An HTML page as text, one table row a line (cells separated by spaces)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"(?i)</(tr|p|div|li|h\d)>|<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)</t[dh]>", " ", text)
    return [html.unescape(re.sub(r"<[^>]+>", "", text))]


def table_seen(corpus: Path, index: dict[str, dict[str, str]]) -> Iterator[Seen]:
    for file, meta in sorted(index.items()):
        path = corpus / file
        if not path.exists() or not meta.get("year", "").isdigit():
            continue
        suffix = path.suffix.lower()
        if file.startswith("final-accounts/") and suffix == ".txt":
            continue  # crawled narratives: their tables were attachments
        try:
            if suffix == ".pdf" and path.read_bytes()[:5] == b"%PDF-":
                pages = pdf_pages(path)
            elif suffix in (".html", ".htm", ".jsp", ".pdf"):  # an HTML page saved as .pdf
                pages = html_pages(path)
            else:
                continue
        except Exception as exc:  # a damaged file is reported, not fatal
            print(f"  ! {file}: {exc}", file=sys.stderr)
            continue
        key, unit, year = doc_key(file), _unit_key(meta), int(meta["year"])
        for row in document_rows(pages):
            yield Seen(row.code, row.name, year, key, unit, "table")


def harvest(corpus: Path) -> list[Seen]:
    """Every (code, name, year, document) the corpus prints, once per document."""
    index = _index(corpus)
    seen = list(truth_seen(corpus, index))
    # the PDFs behind the transcriptions are read too: the transcription leaves out rows with
    # no value, which the PDF still prints (101: 39909, 39910). One document, one unit: such a
    # row alone is a lone name.
    seen.extend(table_seen(corpus, index))
    return sorted(set(seen), key=lambda s: (s.code, s.year, s.name, s.doc))


# ---------------------------------------------------------------------------------------------
# The shipped lists


@dataclass
class Entry:
    code: str
    name: str
    valid_from: int
    valid_to: int | None
    source: str


def read_list(path: Path) -> list[Entry]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            Entry(
                r["code"],
                r["name"],
                int(r["valid_from"]),
                int(r["valid_to"]) if r["valid_to"].strip() else None,
                r["source"],
            )
            for r in csv.DictReader(fh)
        ]


def write_list(path: Path, entries: list[Entry]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "name", "valid_from", "valid_to", "source"])
    for e in sorted(entries, key=lambda e: (e.code, e.valid_from)):
        to = "" if e.valid_to is None else e.valid_to
        w.writerow([e.code, e.name, e.valid_from, to, e.source])
    path.write_text(buf.getvalue(), encoding="utf-8")


def kind_of(code: str) -> str:
    return "function" if code[0] == "2" else "economic"


# ---------------------------------------------------------------------------------------------
# The proposal


@dataclass
class Name:
    """One printed name of one code: where and when."""

    display: str
    years: dict[int, set[str]] = field(default_factory=dict)  # year → documents
    units: set[str] = field(default_factory=set)  # independent documents: unit and year
    truth: set[str] = field(default_factory=set)

    @property
    def first(self) -> int:
        return min(self.years)

    @property
    def last(self) -> int:
        return max(self.years)

    def docs(self) -> set[str]:
        return {d for docs in self.years.values() for d in docs}


def names_by_code(seen: Iterable[Seen]) -> dict[str, dict[str, Name]]:
    """code → normalised name → where it is printed."""
    out: dict[str, dict[str, Name]] = defaultdict(dict)
    for s in seen:
        n = out[s.code].setdefault(normalize_name(s.name), Name(s.name))
        n.years.setdefault(s.year, set()).add(s.doc)
        n.units.add(f"{s.unit}/{s.year}")
        if s.via == "truth":
            n.truth.add(s.doc)
            n.display = s.name  # the transcription's spelling wins
    return out


def _doc_order(doc: str) -> tuple[int, int, str]:
    folder, num = doc.split("/")
    return (folder != "truth", int(num) if num.isdigit() else 0, doc)


def source_key(name: Name) -> str:
    """Up to three documents, transcriptions first: ``corpus:truth/003 budgets/1019 +12``."""
    docs = sorted(name.docs(), key=_doc_order)
    # a transcribed report and its PDF are one document
    docs = [d for d in docs if f"truth/{d.split('/')[1]}" not in docs or d.startswith("truth/")]
    more = f" +{len(docs) - 3}" if len(docs) > 3 else ""
    return "corpus:" + " ".join(docs[:3]) + more


@dataclass
class Year:
    """The name one code has in one year, and why."""

    name: str
    source: str
    printed: bool = False  # the corpus prints this name in this year (or between two such years)


def _describe(names: Iterable[Name]) -> dict[str, dict[str, list[str]]]:
    return {
        n.display: {str(y): sorted(d, key=_doc_order) for y, d in sorted(n.years.items())}
        for n in names
    }


@dataclass
class Proposal:
    entries: dict[str, list[Entry]]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    lone: list[dict[str, Any]] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # code, what, detail
    years: Counter[str] = field(default_factory=Counter)  # added / confirmed / renamed (code, year)
    documents: set[str] = field(default_factory=set)  # documents whose rows were used


def _year_map(rows: list[Entry]) -> dict[int, Year]:
    out: dict[int, Year] = {}
    for e in rows:
        for y in range(e.valid_from, (e.valid_to or LAST_YEAR) + 1):
            out[y] = Year(e.name, e.source)
    return out


def _rows_of(code: str, ymap: dict[int, Year], printed_by: dict[str, Name]) -> list[Entry]:
    """Consecutive years with one name become one row; a run printed by the corpus gets the
    corpus's documents as its source (after the seed it came from, if any)."""
    out: list[Entry] = []
    seeds: list[set[str]] = []  # per row: the printed seeds its years came from
    for y in sorted(ymap):
        cur = ymap[y]
        last = out[-1] if out else None
        if last is None or last.valid_to != y - 1 or last.name != cur.name:
            last = Entry(code, cur.name, y, y, cur.source)
            out.append(last)
            seeds.append(set())
        last.valid_to = y
        if cur.printed and "corpus:" not in last.source:
            last.source = cur.source
        seeds[-1].update(s for s in cur.source.split() if s.startswith("seed"))
    for e, seed in zip(out, seeds, strict=True):
        if e.valid_to == LAST_YEAR:
            e.valid_to = None
        n = printed_by.get(normalize_name(e.name))
        if n is not None and "corpus:" in e.source:
            e.source = " ".join([*sorted(seed), source_key(n)])
    return out


def _closed_after(code: str, last: int, seen_by_unit: dict[str, dict[int, set[str]]]) -> bool:
    """Did a unit that printed ``code`` print its 类 in a later year without it?"""
    for years in seen_by_unit.values():
        if not any(code in codes for y, codes in years.items() if y <= last):
            continue
        for y, codes in years.items():
            if y > last and code not in codes and any(c[:3] == code[:3] for c in codes):
                return True
    return False


def _moved(code: str, n: Name, printed: dict[str, dict[str, Name]]) -> bool:
    """Is the name printed, after its last year here, under a sibling code (same parent) and
    never again under this one? (西安 prints 2089901 其他社会保障和就业支出 in 2019–2020, every
    document from 2021 prints it as 2089999.)"""
    norm = normalize_name(n.display)
    parent = code[:-2]
    return any(
        other != code
        and len(other) == len(code)
        and other.startswith(parent)
        and norm in names
        and names[norm].first > n.last
        for other, names in printed.items()
    )


def propose(seen: list[Seen], lists: dict[str, list[Entry]]) -> Proposal:
    """Apply the acceptance rule (module docstring) to the shipped lists."""
    by_code: dict[str, list[Entry]] = defaultdict(list)
    for entries in lists.values():
        for e in entries:
            by_code[e.code].append(Entry(**vars(e)))
    seen_by_unit: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s in seen:
        seen_by_unit[s.unit][s.year].add(s.code)
    p = Proposal(entries={k: [] for k in lists})
    printed = names_by_code(seen)
    strong = {
        code: {y for n in names.values() if n.truth or len(n.units) >= 2 for y in n.years}
        for code, names in printed.items()
    }

    def _parent_of_accepted(code: str, n: Name) -> bool:
        # a 类 or 款 that one document prints, alone with no other name, the list lacking it,
        # in a year where an accepted 款 or 项 under it is printed: the tree vouches for it
        return (
            len(code) < 7
            and code not in by_code
            and len(printed.get(code, {})) == 1
            and any(
                other.startswith(code) and len(other) == len(code) + 2 and years & set(n.years)
                for other, years in strong.items()
            )
        )

    for code in sorted(set(by_code) | set(printed)):
        listed = by_code.get(code, [])
        ymap = _year_map(listed)
        before = {y: v.name for y, v in ymap.items()}
        names = printed.get(code, {})
        listed_norms = {normalize_name(e.name) for e in listed}
        accepted = [
            n
            for k, n in names.items()
            if n.truth or len(n.units) >= 2 or k in listed_norms or _parent_of_accepted(code, n)
        ]
        accepted.sort(key=lambda n: (n.first, n.last))
        clash = any(a.last >= b.first for a, b in itertools.pairwise(accepted))
        if clash:
            names = {}  # reported here as a whole, not again as lone names
            p.conflicts.append(
                {"code": code, "listed": _listed(listed), "names": _describe(accepted)}
            )
            accepted = []
        for pos, n in enumerate(accepted):
            nxt = accepted[pos + 1].first if pos + 1 < len(accepted) else None
            _overlay(p, code, n, nxt, ymap, listed, seen_by_unit, printed)
        for n in names.values():
            if n not in accepted:
                _report_lone(p, code, n, ymap)
        after = _rows_of(code, ymap, {normalize_name(n.display): n for n in accepted})
        p.entries[kind_of(code)].extend(after)
        for y, v in ymap.items():
            if y not in before:
                p.years["added"] += 1
            elif normalize_name(before[y]) != normalize_name(v.name):
                p.years["renamed"] += 1
            elif v.printed:
                p.years["confirmed"] += 1
        _describe_changes(p, code, listed, after)
        for n in accepted:
            p.documents |= n.docs()
    return p


def _listed(rows: list[Entry]) -> list[str]:
    return [f"{e.name} ({e.valid_from}–{e.valid_to or ''}, {e.source})" for e in rows]


def _overlay(
    p: Proposal,
    code: str,
    n: Name,
    nxt: int | None,
    ymap: dict[int, Year],
    listed: list[Entry],
    seen_by_unit: dict[str, dict[int, set[str]]],
    printed: dict[str, dict[str, Name]],
) -> None:
    """Make name ``n`` the code's name over the years it is printed (rule 2), and after them
    for a code the list lacks (rule 4). Years between two printed names are left as they are:
    the year of the change is not known (rule 3)."""
    norm = normalize_name(n.display)
    src = source_key(n)
    end = n.last
    if (
        not listed
        and nxt is None
        and not _closed_after(code, n.last, seen_by_unit)
        and not _moved(code, n, printed)
    ):
        end = LAST_YEAR
    for y in range(n.first, end + 1):
        cur = ymap.get(y)
        in_print = y <= n.last
        if cur is None:
            ymap[y] = Year(n.display, src, in_print)
        elif normalize_name(cur.name) == norm:
            if in_print:
                cur.printed, cur.source = True, _merge_source(cur.source, src)
        elif not in_print:
            break  # a name the list has in years nobody printed: keep it
        elif RECALL in cur.source.split():
            ymap[y] = Year(n.display, src, True)
        else:
            p.conflicts.append(
                {
                    "code": code,
                    "year": y,
                    "listed": _listed(listed),
                    "names": _describe([n]),
                    "why": "a seed or corpus row of the list has another name in this year",
                }
            )
            return


def _merge_source(old: str, src: str) -> str:
    seeds = [s for s in old.split() if s.startswith("seed")]
    return " ".join([*seeds, src])


def _report_lone(p: Proposal, code: str, n: Name, ymap: dict[int, Year]) -> None:
    other = {ymap[y].name for y in n.years if y in ymap}
    other -= {n.display}
    p.lone.append(
        {
            "code": code,
            "names": _describe([n]),
            "list": sorted(other),
            "kind": "conflicts" if other else "unknown code or year",
        }
    )


def _describe_changes(p: Proposal, code: str, before: list[Entry], after: list[Entry]) -> None:
    def span(e: Entry) -> str:
        return f"{e.valid_from}–{'' if e.valid_to is None else e.valid_to}"

    old = {(e.name, span(e)): e for e in before}
    new = {(e.name, span(e)): e for e in after}
    if old.keys() == new.keys():
        for k, e in new.items():
            if e.source != old[k].source:
                p.changes.append((code, "confirmed", f"{e.name} {span(e)}  {e.source}"))
        return
    was = "; ".join(f"{e.name} {span(e)}" for e in before) or "—"
    now = "; ".join(f"{e.name} {span(e)}" for e in after)
    if not before:
        what = "added"
    elif {normalize_name(e.name) for e in before} == {normalize_name(e.name) for e in after}:
        what = "years"
    else:
        what = "renamed"
    p.changes.append((code, what, f"{was}  →  {now}"))


# ---------------------------------------------------------------------------------------------
# Report


def print_names(seen: list[Seen]) -> None:
    """For each (code, year): the names printed, with counts and documents."""
    table: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s in seen:
        table[(s.code, s.year)][s.name].append(s.doc)
    for (code, year), names in sorted(table.items()):
        parts = [
            f"{name} ×{len(docs)} [{' '.join(sorted(docs, key=_doc_order))}]"
            for name, docs in sorted(names.items(), key=lambda kv: -len(kv[1]))
        ]
        print(f"{code}\t{year}\t" + " | ".join(parts))


def print_proposal(p: Proposal, seen: list[Seen]) -> None:
    docs = {s.doc for s in seen}
    pairs = {(s.code, s.year) for s in seen}
    print(
        f"harvested {len(seen)} (code, name, year, document) rows: {len(pairs)} (code, year) "
        f"pairs from {len(docs)} documents; {len(p.documents)} documents support accepted names"
    )
    print("(code, year) pairs: " + ", ".join(f"{k} {v}" for k, v in sorted(p.years.items())))
    by_what: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, what, detail in p.changes:
        by_what[what].append((code, detail))
    for what in ("added", "renamed", "years", "confirmed"):
        print(f"\n{what}: {len(by_what[what])} codes")
        for code, detail in by_what[what]:
            print(f"  {code}  {detail}")
    print(f"\nconflicts (reported, list unchanged): {len(p.conflicts)}")
    for c in p.conflicts:
        print("  " + json.dumps(c, ensure_ascii=False))
    lone = sorted(p.lone, key=lambda c: (c["kind"], c["code"]))
    print(f"\nlone names (one document only; reported, not added): {len(lone)}")
    for c in lone:
        names = json.dumps(c["names"], ensure_ascii=False)
        print(f"  [{c['kind']}] {c['code']} list={c['list']} {names}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--names", action="store_true", help="print every (code, year) with its names")
    ap.add_argument("--json", type=Path, help="write observations and proposal as JSON")
    ap.add_argument("--write", action="store_true", help="apply the proposal to the CSVs")
    args = ap.parse_args(argv)
    if not (args.corpus / "INDEX.tsv").exists():
        print(f"corpus not found at {args.corpus}: nothing to harvest")
        return 0
    seen = harvest(args.corpus)
    if args.names:
        print_names(seen)
    p = propose(seen, {k: read_list(v) for k, v in FILES.items()})
    print_proposal(p, seen)
    if args.json:
        out = {
            "seen": [vars(s) for s in seen],
            "changes": p.changes,
            "conflicts": p.conflicts,
            "lone": p.lone,
            "years": dict(p.years),
        }
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.write:
        for kind, path in FILES.items():
            write_list(path, p.entries[kind])
        print(f"\nwrote {', '.join(str(f.relative_to(REPO)) for f in FILES.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
