"""Generate a corpus of N varied, consistent 部门决算 reports through the build, for scale tests.

Run from the repository root: ``python bench/make_corpus.py N [-o DIR] [--seed S]``.

Each report is a unit of one of several regions and departments, for a year of 2019–2024, with
a size of 6–40 spending 项 (:func:`tests.synth.generate_report`: every table identity holds),
in 元 or 万元, with or without the fund tables 08/09. A unit may have two or three consecutive
years: its later reports name the earlier one as ``[prior] file``, so that their 情况说明 state
the changes against last year's published figures, and table 01's 年初结转和结余 is carried
over from last year's 年末结转和结余 (only where the tables then still pass the check; else
the later year is given a unit of its own). Every report goes through the build
(:func:`juesuan.compose.prepare_build`: the source file, the check, the 情况说明 from the
templates) and is written in one of the formats the build writes (its writers: JSON, HTML, DOCX,
PDF, XLSX tables only), so readers of every kind are exercised. About one report in ten gets
one of the audit's mutations (``bench/mutate.py``: a wrong amount, share, rate, year …).

Deterministic: the same N and seed give the same files. Writes ``DIR/manifest.csv`` too (path,
region, unit, year, mutation).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.synth import generate_report, to_wan_yuan

from juesuan.model.layout import FINAL, TableId
from juesuan.model.report import DocumentKind, Report

REGIONS = ("示例省甲市", "示例省乙市丙区", "示例市丁县", "示例自治区戊市", "示例省己县")
DEPARTMENTS = (
    "教育局", "民政局", "卫生健康委员会", "人力资源和社会保障局", "农业农村局", "自然资源和规划局",
    "文化广电和旅游局", "财政局", "司法局", "统计局", "生态环境局", "交通运输局", "水利局",
    "市场监督管理局", "应急管理局", "医疗保障局", "档案馆", "机关事务管理局",
)
# share of each format (the build's outputs); XLSX carries the tables only
FORMATS = (("json", 30), ("html", 30), ("docx", 15), ("pdf", 15), ("xlsx", 10))
MUTATED_PERCENT = 10
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Plan:
    index: int
    unit: str
    region: str
    year: int
    seed: int
    n_items: int
    wan: bool
    funds: bool
    fmt: str
    mutate: bool
    prior: int | None  # index of last year's report of the unit


def plan(n: int, seed: int) -> list[Plan]:
    rng = random.Random(seed)
    plans: list[Plan] = []
    unit_no = 0
    while len(plans) < n:
        unit_no += 1
        region = rng.choice(REGIONS)
        dept = DEPARTMENTS[unit_no % len(DEPARTMENTS)]
        unit = f"{region}{dept}" + ("" if unit_no <= len(DEPARTMENTS) else f"第{unit_no}分局")
        years = rng.choice((1, 1, 2, 3))
        first = rng.randint(2019, 2024 - years + 1)
        prior: int | None = None
        for year in range(first, first + years):
            if len(plans) >= n:
                break
            fmt = rng.choices([f for f, _ in FORMATS], [w for _, w in FORMATS])[0]
            plans.append(
                Plan(
                    len(plans), unit, region, year, rng.randint(0, 10**6), rng.randint(6, 40),
                    rng.random() < 0.6, years == 1 and rng.random() < 0.4, fmt,
                    rng.randint(1, 100) <= MUTATED_PERCENT, prior,
                )
            )
            prior = len(plans) - 1
    return plans


def _tables(p: Plan) -> Report:
    report = generate_report(p.seed, year=p.year, n_items=p.n_items, with_funds=p.funds)
    return replace(report, unit_name=p.unit, kind=DocumentKind.DEPARTMENT_FINAL)


def _cell(r: Report, table: str, key: str, column: str = FINAL) -> Decimal:
    row = r.table(TableId(table)).row(key)
    v = row.value(column) if row is not None else None
    return v if v is not None else Decimal(0)


# (table, row, column) raised together to carry a balance over: the opening balance, the
# totals it is part of and the closing balance. Table 04 (财政拨款, general budget only: a
# chained unit prints no fund tables) moves table 01 with it, which keeps 04 within 01.
_CARRY_01 = tuple(
    ("01", key, FINAL) for key in ("年初结转和结余", "收入总计", "支出总计", "年末结转和结余")
)
_GENERAL = "一般公共预算财政拨款"
_CARRY_04 = (
    ("04", "年初财政拨款结转和结余", FINAL),
    ("04", f"年初/{_GENERAL}", FINAL),
    ("04", "收入总计", FINAL),
    ("04", "年末财政拨款结转和结余", "合计"),
    ("04", "年末财政拨款结转和结余", _GENERAL),
    ("04", "支出总计", "合计"),
    ("04", "支出总计", _GENERAL),
    *_CARRY_01,
)


def _raised(report: Report, cells: tuple[tuple[str, str, str], ...], delta: Decimal) -> Report:
    from juesuan.model.edit import add_to_cell

    for table, key, column in cells:
        report = add_to_cell(report, table, key, column, delta)
    return report


def _carry(
    out: list[Report], cells: tuple[tuple[str, str, str], ...], closing: tuple[str, str, str],
    opening: tuple[str, str, str],
) -> None:
    for i in range(1, len(out)):
        delta = _cell(out[i - 1], *closing) - _cell(out[i], *opening)
        if delta > 0:  # this year's opening is raised
            out[i] = _raised(out[i], cells, delta)
        elif delta < 0:  # every earlier year's, so that no balance goes below zero
            out[:i] = [_raised(r, cells, -delta) for r in out[:i]]


def chain(years: list[Report]) -> list[Report] | None:
    """A unit's consecutive years with each 年初 balance (table 04's 财政拨款 one, then table
    01's) equal to last year's 年末: where last year's is larger this year's is raised, where
    smaller every earlier year's. None when the tables then fail the check."""
    from juesuan.api import check

    out = list(years)
    _carry(out, _CARRY_04, ("04", "年末财政拨款结转和结余", "合计"),
           ("04", "年初财政拨款结转和结余", FINAL))
    _carry(out, _CARRY_01, ("01", "年末结转和结余", FINAL), ("01", "年初结转和结余", FINAL))
    if any(check(r).has_errors for r in out):
        return None
    return out


def _source_toml(p: Plan, tables: Path, prior_tables: Path | None, rng: random.Random) -> str:
    kind = rng.choice(("行政单位", "参照公务员法管理的事业单位", "事业单位"))
    groups, held = rng.randint(0, 2), rng.randint(1, 6)
    lines = [
        "[unit]",
        f'name = "{p.unit}"',
        f"year = {p.year}",
        f'kind = "{kind}"',
        f'duties = "负责{p.unit}职责范围内的各项工作。"',
        'organization = "内设办公室、业务科等机构。"',
        "",
        "[tables]",
        f'file = "{tables.name}"',
        "",
        "[narrative]",
        'unit = "元"',
        "",
        "[reasons]",
        'total = "工作任务调整"',
        'income = "财政拨款增加"',
        'expenditure = "项目支出增加"',
        'fiscal_total = "工作任务调整"',
        'general_budget = "工作任务调整"',
        'basic = "人员变动"',
        'operating_costs = "压减一般性支出"',
        'sangong = "严格执行中央八项规定"',
        "",
        "[sangong]",
        f"abroad_groups = {groups}",
        f"abroad_people = {groups * rng.randint(1, 3)}",  # each group takes someone
        f"vehicles_purchased = {rng.randint(0, 1)}",
        f"vehicles_held = {held}",
        f"domestic_groups = {rng.randint(1, 30)}",
        f"domestic_people = {rng.randint(30, 200)}",
        "",
        "[sangong.reasons]",
        'total = "严格控制三公经费"',
        "",
        "[assets.vehicles]",  # the vehicles held for 三公 are vehicles the unit owns
        f"law_enforcement = {held}",
        "",
    ]
    if kind != "事业单位":
        lines += ["[operating_costs]", f"amount = {rng.randint(100_000, 3_000_000)}.00", ""]
    goods = rng.randint(0, 500_000)
    lines += [
        "[procurement]",
        f"goods = {goods}.00",
        "works = 0",
        f"services = {rng.randint(0, 300_000)}.00",
        f"sme = {goods // 2}.00",
        f"small_micro = {goods // 4}.00",
        "",
        "[performance]",
        f"projects = {rng.randint(2, 10)}",
        "self_evaluated = 2",
        f"score = {rng.randint(80, 98)}",
        "",
    ]
    if prior_tables is not None:
        lines += ["[prior]", f"year = {p.year - 1}", f'file = "{prior_tables.name}"', ""]
    return "\n".join(lines)


def _mutated(report: Report, rng: random.Random) -> tuple[Report, str | None]:
    from bench.mutate import KINDS, apply

    kinds = list(KINDS)
    rng.shuffle(kinds)
    for kind in kinds:
        try:
            sites = list(kind.sites(report, rng))
        except RuntimeError:  # a site finder with nothing to change in this text
            continue
        if sites:
            return apply(report, rng.choice(sites)), kind.name
    return report, None


def build_one(
    p: Plan, tables: Report, outdir: Path, work: Path, chained: bool
) -> tuple[str, str | None]:
    """Build report ``p`` into ``outdir`` in its format; returns (file name, mutation)."""
    from juesuan.compose import prepare_build
    from juesuan.model.serialize import dumps

    rng = random.Random(p.seed)
    prior_tables: Path | None = None
    if p.prior is not None and chained:
        prior_tables = work / f"tables-{p.prior:05d}.json"
    printed = to_wan_yuan(tables) if p.wan else tables
    table_file = work / f"tables-{p.index:05d}.json"
    table_file.write_text(dumps(printed), encoding="utf-8")
    source = work / f"source-{p.index:05d}.toml"
    unit = tables.unit_name or p.unit
    source.write_text(
        _source_toml(replace(p, unit=unit), table_file, prior_tables, rng), encoding="utf-8"
    )
    prepared = prepare_build(source)
    disclosure = prepared.disclosure
    mutation = None
    if p.mutate:
        report, mutation = _mutated(disclosure.report, rng)
        disclosure = replace(disclosure, report=report, explanations=report.sections)
    name = f"{p.index:05d}_{p.year}.{p.fmt}"
    target = outdir / name
    _write(disclosure, p.fmt, target, work / f"figures-{p.index:05d}")
    return name, mutation


def _write(disclosure: object, fmt: str, target: Path, scratch: Path) -> None:
    from juesuan.model.disclosure import Disclosure
    from juesuan.model.serialize import dumps
    from juesuan.writers.docx import write_docx
    from juesuan.writers.html import write_html
    from juesuan.writers.pdf import write_pdf
    from juesuan.writers.xlsx import write_tables_xlsx

    assert isinstance(disclosure, Disclosure)
    scratch.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        target.write_text(dumps(disclosure.report), encoding="utf-8")
    elif fmt == "xlsx":
        write_tables_xlsx(disclosure.report, target)
    elif fmt == "html":
        write_html(disclosure, target, ())
    elif fmt == "pdf":
        write_pdf(write_html(disclosure, scratch / "index.html", ()), target, scratch)
    else:
        write_docx(disclosure, target, ())


def _build_batch(args: tuple[list[Plan], str, str]) -> list[tuple[int, str, str | None]]:
    """A unit's years, chained, built in order (a later year reads the earlier one)."""
    plans, outdir, work = args
    tables = [_tables(p) for p in plans]
    chained = chain(tables) if len(tables) > 1 else tables
    if chained is None:  # the years stay apart: each its own unit
        plans = [replace(p, unit=f"{p.unit}（{p.year}）", prior=None) for p in plans]
        tables = [replace(t, unit_name=p.unit) for t, p in zip(tables, plans, strict=True)]
    else:
        tables = chained
    return [
        (p.index, *build_one(p, t, Path(outdir), Path(work), chained is not None))
        for p, t in zip(plans, tables, strict=True)
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=2, help="processes building reports")
    args = ap.parse_args()
    outdir: Path = args.output or Path("bench") / "out" / f"corpus-{args.n}"
    outdir.mkdir(parents=True, exist_ok=True)
    plans = plan(args.n, args.seed)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="make-corpus-") as work:
        # a unit's years are built in order in one batch (a later year reads the earlier one)
        batches: dict[str, list[Plan]] = {}
        for p in plans:
            batches.setdefault(p.unit, []).append(p)
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            built = [
                row
                for rows in pool.map(
                    _build_batch, [(b, str(outdir), work) for b in batches.values()]
                )
                for row in rows
            ]
    by_index = {i: (name, mutation) for i, name, mutation in built}
    with (outdir / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["path", "region", "unit", "year", "mutation"])
        for p in plans:
            name, mutation = by_index[p.index]
            w.writerow([name, p.region, p.unit, p.year, mutation or ""])
    formats = Counter(p.fmt for p in plans)
    mutated = sum(1 for _, m in by_index.values() if m)
    pairs = sum(1 for p in plans if p.prior is not None)
    print(
        f"{len(plans)} reports in {time.perf_counter() - t0:.1f} s into {outdir}: "
        + ", ".join(f"{f} {n}" for f, n in sorted(formats.items()))
        + f"; {pairs} with last year's report, {mutated} mutated"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
