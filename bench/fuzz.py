"""Fuzzing every reader, the build source and the rule file (issue 10): no input may crash
juesuan, hang it or take the memory.

Targets: text, HTML, JSON, DOCX, XLSX, PDF reports (each read and then audited: tables, rules
and narrative), the build source (``prepare_build``: source, tables, check, generated text) and
a user rule file (loaded and evaluated on seed 002). Seeds are real: the seeds and the crawled
narratives of ``../shared``, pages cut from the corpus PDFs and the test PDFs, seed 002 printed
as Word, Excel and web pages the way publishers lay them out (``tests/readers/fixtures_office``),
juesuan's own JSON, the example source and the built-in rule files. Each input is a slice of a
seed (so that one run tries many inputs) with mutations drawn by Hypothesis: bytes flipped,
inserted, cut and spliced; lines dropped, doubled and shuffled; numbers replaced by hostile
ones (1e999999, 30 digits, full-width, NaN); tokens that broke parsers elsewhere (lone
surrogates, NUL, DTDs, huge spans, deep brackets); inside DOCX/XLSX the XML parts are mutated
as text and the package zipped again.

An input that is read, or refused with one line (:class:`juesuan.errors.InputError`), is fine.
Any other exception is a crash: the input is kept under ``tests/data/fuzz/`` (its test,
``tests/test_fuzz_found.py``, reads every file there) and the run exits 1. An input that takes
longer than ``--hang`` seconds is a hang. Printed: inputs tried, crashes, hangs, the slowest
input, peak memory (the largest resident set of any worker: an upper bound for every input).

Run: ``python bench/fuzz.py [--inputs 20000] [--jobs 2] [--only text,pdf] [--seed N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SHARED = REPO.parent / "shared"
CRASHES = REPO / "tests" / "data" / "fuzz"
SUFFIX = {
    "text": ".txt",
    "html": ".html",
    "json": ".json",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "pdf": ".pdf",
    "source": ".toml",
    "rules": ".toml",
}
# Inputs per target for the default 20,000: the cheap text formats get more.
SHARE = {
    "text": 0.16,
    "html": 0.14,
    "json": 0.14,
    "docx": 0.12,
    "xlsx": 0.12,
    "pdf": 0.12,
    "source": 0.10,
    "rules": 0.10,
}

NUMBERS = [
    "1e999999",
    "9" * 30,
    "9" * 30 + ".99",
    "-0.00",
    "１２３.４５",
    "(1,234.56)",
    "NaN",
    "Infinity",
    "-",
    "−12.30",
    "1,2,3,4",
    "0.000000000000000000000001",
    "12.",
    ".5",
    "4.5E+3",
    "１２,３４５．６７",
    "2,170,014.34",
    "0",
    "",
]
TOKENS = [
    "\x00",
    "\ufeff",
    "\u202e",
    "\u3000",
    "\t",
    "\r",
    "\n\n\n",
    "万万元",
    "%",
    "％",
    "合计",
    "本年收入合计",
    "总计",
    "一、",
    "（一）",
    "第三部分",
    "公开01表",
    "收入支出决算总表",
    "金额单位：万元",
    "金额单位：元",
    "2021年度",
    "1900年",
    "增长-100%",
    "占0%",
    "某" * 3000,
    "[" * 300,
    "{" * 300,
    "{{",
    "{nosuch}",
    "&#xD800;",
    "&#0;",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "<![CDATA[",
    "]]>",
    '<td rowspan="99999" colspan="0">',
    '<td colspan="1000">',
    "<table><tr><td>",
    "</table>",
    '"value": "1e5"',
    '"year": -1',
    "[[rule]]",
    'kind = "sum"',
    'total = ":::"',
    'parts = ["-"]',
    "-@类",
]
BYTES = [b"\xed\xa0\x80", b"\xff\xfe", b"\x00" * 64, b"%PDF-1.7\n", b"PK\x03\x04", b"%%EOF"]


# --- seeds -------------------------------------------------------------------------------------


def _text_seeds() -> list[bytes]:
    from tests.conftest import EXAMPLE

    files = [EXAMPLE, *sorted((SHARED / "seeds").glob("*.txt"))]
    files += sorted((SHARED / "corpus" / "final-accounts").glob("*.txt"))
    return [p.read_bytes() for p in files if p.is_file()]


def _fragment_reports(n: int, rng: random.Random) -> list[Any]:
    """Reports read from slices of seed 002 (a few tables and some narrative), and the whole."""
    from tests.conftest import EXAMPLE

    from juesuan.errors import InputError
    from juesuan.readers.text import read_text

    text = EXAMPLE.read_text(encoding="utf-8")
    lines = text.split("\n")
    out = [read_text(text.encode(), EXAMPLE)]
    while len(out) < n:
        a = rng.randrange(len(lines))
        b = min(len(lines), a + rng.randrange(40, 250))
        try:
            out.append(read_text("\n".join(lines[:6] + lines[a:b]).encode(), EXAMPLE))
        except InputError:
            continue
    return out


def _office_seeds(kind: str, work: Path, rng: random.Random) -> list[bytes]:
    from tests.readers import fixtures_office as office

    out = []
    for i, report in enumerate(_fragment_reports(8, rng)):
        doc = office.printed(report)
        if not doc.tables:
            continue
        path = work / f"seed{i}.{kind}"
        if kind == "docx":
            office.write_docx(doc, path)
        elif kind == "xlsx":
            office.write_xlsx(doc, path, numbers_as_text=bool(i % 2))
        else:
            office.write_html(doc, path, encoding="gb18030" if i % 3 == 0 else "utf-8")
        out.append(path.read_bytes())
    return out


def _html_seeds(work: Path, rng: random.Random) -> list[bytes]:
    found = [
        p.read_bytes()
        for p in sorted((SHARED / "corpus").rglob("*"))
        if p.suffix in (".html", ".jsp") and p.is_file()
    ]
    return found + _office_seeds("html", work, rng)


def _json_seeds(rng: random.Random) -> list[bytes]:
    from juesuan.model.serialize import dumps

    return [dumps(r).encode() for r in _fragment_reports(6, rng)]


def _pdf_seeds(rng: random.Random) -> list[bytes]:
    """Single pages (and pairs) cut from the test PDFs and from corpus PDFs of many producers."""
    import pypdfium2 as pdfium

    files = sorted((REPO / "tests" / "data" / "pdfs").glob("*.pdf"))
    files += sorted((SHARED / "corpus" / "final-accounts").glob("*.pdf"))
    budgets = sorted((SHARED / "corpus").rglob("*.pdf"))
    files += rng.sample([p for p in budgets if p not in files], min(6, len(budgets)))
    out = []
    for path in files:
        try:
            src = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            continue
        try:
            pages = len(src)
            for _ in range(2):
                start = rng.randrange(pages)
                dst = pdfium.PdfDocument.new()
                dst.import_pages(src, list(range(start, min(pages, start + rng.choice((1, 2))))))
                buf = io.BytesIO()
                dst.save(buf)
                dst.close()
                out.append(buf.getvalue())
        finally:
            src.close()
    from tests import nasty

    text = (REPO / "src" / "juesuan" / "examples" / "jiaozuo-2021.txt").read_text("utf-8")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    for _ in range(4):  # an uncompressed text layer, so that mutations hit its operators
        start = rng.randrange(len(lines))
        chosen: list[str] = []
        chars: set[str] = set()
        for line in lines[start:]:
            if len(chars | set(line)) > 200 or len(chosen) >= 50:
                break
            chosen.append(line)
            chars |= set(line)
        if chosen:
            out.append(nasty.text_layer_pdf(chosen))
    return out


def _source_seeds() -> list[bytes]:
    examples = REPO / "src" / "juesuan" / "examples"
    return [
        (examples / "jiaozuo-2021.toml").read_bytes(),
        (REPO / "docs" / "source-example.toml").read_bytes(),
    ]


def _rule_seeds() -> list[bytes]:
    folder = REPO / "src" / "juesuan" / "rules" / "builtin"
    # the built-in files under new ids, so that they add to the built-ins instead of clashing
    return [
        re.sub(rb'^id = "', b'id = "MY.', p.read_bytes(), flags=re.M)
        for p in sorted(folder.glob("*.toml"))
    ]


def seeds(target: str, work: Path, rng: random.Random) -> list[bytes]:
    if target == "text":
        return _text_seeds()
    if target == "html":
        return _html_seeds(work, rng)
    if target == "json":
        return _json_seeds(rng)
    if target in ("docx", "xlsx"):
        return _office_seeds(target, work, rng)
    if target == "pdf":
        return _pdf_seeds(rng)
    if target == "source":
        return _source_seeds()
    return _rule_seeds()


# --- mutations ---------------------------------------------------------------------------------

Draw = Callable[[Any], Any]


def _mutate_text(text: str, draw: Draw, st: Any, fragment: bool) -> str:
    lines = text.split("\n")
    if fragment and len(lines) > 60 and draw(st.integers(0, 4)) > 0:
        a = draw(st.integers(0, len(lines) - 1))
        b = min(len(lines), a + draw(st.integers(10, 300)))
        lines = lines[: draw(st.integers(0, 8))] + lines[a:b]
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.integers(0, 9))
        line = lines[i]
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[draw(st.integers(0, len(lines) - 1))])
        elif op == 2:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:  # a number replaced by a hostile one
            nums = list(re.finditer(r"\d[\d,.]*", line))
            if nums:
                m = nums[draw(st.integers(0, len(nums) - 1))]
                lines[i] = line[: m.start()] + draw(st.sampled_from(NUMBERS)) + line[m.end() :]
        elif op == 4:
            pos = draw(st.integers(0, len(line)))
            lines[i] = line[:pos] + draw(st.sampled_from(TOKENS)) + line[pos:]
        elif op == 5:
            pos = draw(st.integers(0, len(line)))
            lines[i] = line[:pos] + draw(st.text(max_size=20)) + line[pos:]
        elif op == 6:
            lines[i] = line.replace("\t", draw(st.sampled_from(["", " ", "\t\t"])))
        elif op == 7 and line:
            a = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:a] + line[a + draw(st.integers(1, 20)) :]
        elif op == 8:
            lines[i] = line * draw(st.integers(2, 50))
        else:
            lines[i] = line.replace(
                draw(st.sampled_from(["，", "：", "。", "、", "万元", "元"])), ""
            )
    return "\n".join(lines)


def _mutate_bytes(data: bytes, draw: Draw, st: Any, seeds: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.integers(0, 5))
        pos = draw(st.integers(0, max(len(buf) - 1, 0)))
        if op == 0 and buf:
            buf[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == 1:
            buf[pos:pos] = draw(st.sampled_from(BYTES))
        elif op == 2:
            del buf[pos : pos + draw(st.integers(1, 4096))]
        elif op == 3:
            buf = buf[: draw(st.integers(0, len(buf)))]
        elif op == 4:
            other = draw(st.sampled_from(seeds))
            cut = draw(st.integers(0, len(other)))
            buf = buf[:pos] + bytearray(other[cut : cut + draw(st.integers(1, 20_000))])
        else:
            n = draw(st.integers(1, 512))
            buf[pos:pos] = buf[pos : pos + n] * draw(st.integers(2, 20))
    return bytes(buf)


def _overwrite(data: bytes, draw: Draw, st: Any) -> bytes:
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 12))):
        pos = draw(st.integers(0, max(len(buf) - 1, 0)))
        if draw(st.booleans()):
            buf[pos] ^= 1 << draw(st.integers(0, 7))
        else:
            n = draw(st.integers(1, 64))
            src = draw(st.integers(0, max(len(buf) - n, 0)))
            buf[pos : pos + n] = buf[src : src + n][: len(buf) - pos]
    return bytes(buf[: len(data)])


def _mutate_zip(data: bytes, draw: Draw, st: Any) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    names = sorted(members)
    xml = [n for n in names if n.endswith((".xml", ".rels"))]
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.integers(0, 5))
        if op == 0 and len(names) > 1:
            members.pop(draw(st.sampled_from(names)), None)
        elif xml:
            name = draw(st.sampled_from(xml))
            text = members.get(name, b"").decode("utf-8", "replace")
            if op == 1:  # an attribute value made extreme (spans, merges, sizes, refs)
                attrs = list(re.finditer(r'="([^"]*)"', text))
                if attrs:
                    m = attrs[draw(st.integers(0, len(attrs) - 1))]
                    value = draw(st.sampled_from(["99999", "0", "-1", "", "A1048576", "XFD1"]))
                    text = text[: m.start(1)] + value + text[m.end(1) :]
            elif op == 2:  # an element doubled or dropped
                elems = list(re.finditer(r"<(w:tc|w:tr|w:p|c|row|w:t|v|t)[ >].*?</\1>", text))
                if elems:
                    m = elems[draw(st.integers(0, len(elems) - 1))]
                    twice = draw(st.booleans())
                    text = text[: m.start()] + (m.group() * 2 if twice else "") + text[m.end() :]
            else:  # the text of a cell or run replaced
                runs = list(re.finditer(r"<(w:t|t|v)(?: [^>]*)?>([^<]*)</\1>", text))
                if runs:
                    m = runs[draw(st.integers(0, len(runs) - 1))]
                    value = draw(st.sampled_from(NUMBERS + TOKENS[:30]))
                    text = text[: m.start(2)] + _xml_escape(value) + text[m.end(2) :]
            members[name] = text.encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, value in members.items():
            out.writestr(name, value)
    return buf.getvalue()


def _mutate_json(data: bytes, draw: Draw, st: Any) -> bytes:
    """Values of the parsed document replaced, dropped, doubled or retyped, then dumped again:
    byte flips alone almost never get past the JSON parser."""
    doc = json.loads(data)
    nodes: list[tuple[Any, Any]] = []  # (container, key) of every value

    def walk(obj: Any) -> None:
        items = obj.items() if isinstance(obj, dict) else enumerate(obj)
        for key, value in items:
            nodes.append((obj, key))
            if isinstance(value, dict | list) and len(nodes) < 50_000:
                walk(value)

    walk(doc)
    hostile: list[Any] = [None, True, 0, -1, 10**30, 1.5, "", [], {}, "x" * 5000, *NUMBERS]
    hostile += TOKENS[:20]
    for _ in range(draw(st.integers(1, 6))):
        if not nodes:
            break
        container, key = nodes[draw(st.integers(0, len(nodes) - 1))]
        op = draw(st.integers(0, 3))
        try:
            value = container[key]
        except (KeyError, IndexError):
            continue
        if op == 0:
            container[key] = draw(st.sampled_from(hostile))
        elif op == 1 and isinstance(container, dict):
            del container[key]
        elif op == 2 and isinstance(value, list):
            container[key] = value * draw(st.integers(0, 3))
        elif isinstance(value, str):
            container[key] = draw(st.sampled_from(NUMBERS)) if draw(st.booleans()) else value[::-1]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mutate(target: str, seed: bytes, draw: Draw, st: Any, seeds: list[bytes]) -> bytes:
    how = draw(st.integers(0, 9))
    if target in ("docx", "xlsx"):
        if how < 7:
            return _mutate_zip(seed, draw, st)
        return _mutate_bytes(seed, draw, st, seeds)
    if target == "json" and how < 6:
        return _mutate_json(seed, draw, st)
    if target == "pdf" and how < 8 and len(seed) > 2048:
        # the header and the trailer kept (else nearly every input stops at the first check)
        head, body, tail = seed[:16], seed[16:-1024], seed[-1024:]
        if b"/FlateDecode" not in seed and how < 5:
            # an uncompressed text layer: its operators and numbers mutated as text
            text = _mutate_text(body.decode("latin-1"), draw, st, False)
            return head + text.encode("latin-1", "replace") + tail
        if how < 6:  # same length: offsets in the cross-reference table stay right
            return head + _overwrite(body, draw, st) + tail
        return head + _mutate_bytes(body, draw, st, seeds) + tail
    if target == "pdf" or how >= 8:
        return _mutate_bytes(seed, draw, st, seeds)
    encoding = (
        "gb18030" if target in ("text", "html") and b"charset=gb2312" in seed[:500] else "utf-8"
    )
    text = seed.decode(encoding, "replace")
    fragment = target in ("text", "html", "json")
    return _mutate_text(text, draw, st, fragment).encode(encoding, "surrogatepass")


# --- running one input ---------------------------------------------------------------------------


class Hang(BaseException):
    pass


@dataclass
class Tally:
    inputs: int = 0
    read: int = 0
    refused: int = 0
    crashes: list[dict[str, str]] = field(default_factory=list)
    hangs: list[dict[str, str]] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    peak_rss_mb: float = 0.0
    peak_input: str = ""


def exercise(target: str, path: Path, context: dict[str, Any]) -> None:
    """What a user would do with this input; raises what juesuan lets escape."""
    from juesuan import api

    limits = context["limits"]
    if target == "source":
        from juesuan.compose import prepare_build

        prepare_build(path, limits=limits)
    elif target == "rules":
        api.check(context["report"], rule_files=[path], limits=limits)
    else:
        api.audit(path, limits=limits)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_target(target: str, n: int, seed: int, hang: float, keep: bool) -> Tally:
    from dataclasses import replace

    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from tests.conftest import EXAMPLE

    from juesuan.errors import InputError
    from juesuan.limits import DEFAULT
    from juesuan.readers.text import read_text

    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix=f"juesuan-fuzz-{target}-"))
    pool = seeds(target, work, rng)
    examples = REPO / "src" / "juesuan" / "examples"
    # the build source names its tables relative to itself: they sit beside the input
    (work / "jiaozuo-2021.txt").write_bytes((examples / "jiaozuo-2021.txt").read_bytes())
    context = {
        "limits": replace(DEFAULT, seconds=0),  # the fuzzer's own timer tells hangs apart
        "report": read_text(EXAMPLE.read_bytes(), EXAMPLE),
    }
    tally = Tally()

    expired_flag: list[bool] = []

    def expired(signum: int, frame: Any) -> None:
        expired_flag.append(True)
        # again in a second: an exception raised inside a garbage-collector callback (which
        # Hypothesis installs) is printed and ignored by Python
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        raise Hang

    signal.signal(signal.SIGALRM, expired)

    @settings(
        max_examples=n,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(st.data())
    def one(data: Any) -> None:
        seed_bytes = data.draw(st.sampled_from(pool))
        payload = mutate(target, seed_bytes, data.draw, st, pool)
        digest = hashlib.sha256(payload).hexdigest()[:12]
        path = work / f"input-{digest}{SUFFIX[target]}"
        path.write_bytes(payload)
        tally.inputs += 1
        start = time.perf_counter()
        expired_flag.clear()
        signal.setitimer(signal.ITIMER_REAL, hang)
        try:
            exercise(target, path, context)
            if expired_flag:
                raise Hang
            tally.read += 1
        except InputError as exc:
            if expired_flag:
                tally.hangs.append({"target": target, "input": _keep(path, target, keep)})
            else:
                tally.refused += 1
            assert "\n" not in exc.one_line(), exc.one_line()
        except Hang:
            tally.hangs.append({"target": target, "input": _keep(path, target, keep)})
        except Exception as exc:  # everything else that escapes is a crash
            where = traceback.extract_tb(exc.__traceback__)[-1]
            tally.crashes.append(
                {
                    "target": target,
                    "input": _keep(path, target, keep),
                    "error": f"{type(exc).__name__}: {str(exc)[:200]}",
                    "at": f"{where.filename.split('src/')[-1]}:{where.lineno}",
                }
            )
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.perf_counter() - start
        if seconds > tally.slowest[0]:
            tally.slowest = (seconds, f"{target}: {len(payload):,} bytes")
        rss = _rss_mb()
        if rss > tally.peak_rss_mb:
            tally.peak_rss_mb, tally.peak_input = rss, f"{target}: {len(payload):,} bytes"
        path.unlink(missing_ok=True)

    try:
        one()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"  {target}: {tally.inputs} inputs, {len(tally.crashes)} crashes, {len(tally.hangs)}"
        " hangs",
        file=sys.stderr,
        flush=True,
    )
    return tally


def _keep(path: Path, target: str, keep: bool) -> str:
    """A crashing or hanging input goes to tests/data/fuzz (its test reads every file there)."""
    if not keep:
        return str(path)
    CRASHES.mkdir(parents=True, exist_ok=True)
    dest = CRASHES / f"{target}-{path.stem.split('-')[-1]}{path.suffix}"
    dest.write_bytes(path.read_bytes())
    return str(dest.relative_to(REPO))


def _worker(args: tuple[str, int, int, float, bool]) -> tuple[str, Tally]:
    target, n, seed, hang, keep = args
    return target, run_target(target, n, seed, hang, keep)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=20_000, help="inputs in total")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--only", default="", help="comma-separated targets")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--hang", type=float, default=30.0, help="seconds that make a hang")
    parser.add_argument("--no-keep", action="store_true", help="do not save crashing inputs")
    parser.add_argument("--json", type=Path, help="write the figures here")
    opts = parser.parse_args()
    targets = [t for t in SHARE if not opts.only or t in opts.only.split(",")]
    total_share = sum(SHARE[t] for t in targets)
    # each target in a few chunks, so that two workers stay busy to the end
    tasks = []
    for i, t in enumerate(targets):
        n = max(1, round(opts.inputs * SHARE[t] / total_share))
        chunks = 4
        for c in range(chunks):
            size = n // chunks + (1 if c < n % chunks else 0)
            if size:
                tasks.append((t, size, opts.seed * 1000 + i * 10 + c, opts.hang, not opts.no_keep))
    start = time.perf_counter()
    if opts.jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(opts.jobs, maxtasksperchild=1) as pool:
            results = pool.map(_worker, tasks, chunksize=1)
    else:
        results = [_worker(t) for t in tasks]
    elapsed = time.perf_counter() - start
    by_target: dict[str, Tally] = {}
    for target, tally in results:
        acc = by_target.setdefault(target, Tally())
        acc.inputs += tally.inputs
        acc.read += tally.read
        acc.refused += tally.refused
        acc.crashes += tally.crashes
        acc.hangs += tally.hangs
        acc.slowest = max(acc.slowest, tally.slowest)
        if tally.peak_rss_mb > acc.peak_rss_mb:
            acc.peak_rss_mb, acc.peak_input = tally.peak_rss_mb, tally.peak_input
    print(
        f"{'target':<8} {'inputs':>7} {'read':>7} {'refused':>8} {'crashes':>8} {'hangs':>6}"
        f" {'slowest s':>10} {'peak MB':>8}"
    )
    for t in targets:
        a = by_target[t]
        print(
            f"{t:<8} {a.inputs:>7,} {a.read:>7,} {a.refused:>8,} {len(a.crashes):>8}"
            f" {len(a.hangs):>6} {a.slowest[0]:>10.2f} {a.peak_rss_mb:>8.0f}"
        )
    inputs = sum(a.inputs for a in by_target.values())
    crashes = [c for a in by_target.values() for c in a.crashes]
    hangs = [h for a in by_target.values() for h in a.hangs]
    slowest = max(a.slowest for a in by_target.values())
    peak = max(by_target.values(), key=lambda a: a.peak_rss_mb)
    print(
        f"\ninputs tried {inputs:,} in {elapsed:.0f} s ({inputs / elapsed:.1f}/s, {opts.jobs}"
        f" workers)"
    )
    print(f"crashes {len(crashes)}, hangs {len(hangs)} (over {opts.hang:g} s)")
    print(f"slowest input {slowest[0]:.2f} s ({slowest[1]})")
    print(f"peak memory {peak.peak_rss_mb:.0f} MB (largest worker resident set; {peak.peak_input})")
    for c in crashes:
        print(f"  CRASH {c['target']} {c['error']} at {c['at']} -> {c['input']}")
    for h in hangs:
        print(f"  HANG {h['target']} -> {h['input']}")
    if opts.json:
        opts.json.write_text(
            json.dumps(
                {
                    "inputs": inputs,
                    "seconds": round(elapsed),
                    "crashes": crashes,
                    "hangs": hangs,
                    "slowest_seconds": round(slowest[0], 2),
                    "peak_rss_mb": round(peak.peak_rss_mb),
                    "by_target": {t: a.inputs for t, a in by_target.items()},
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 1 if crashes or hangs or peak.peak_rss_mb > 500 else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
