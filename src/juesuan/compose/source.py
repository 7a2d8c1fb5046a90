"""The build source file (TOML): the year's facts that are not in the nine tables.

Parsed with :mod:`tomllib` (numbers as ``Decimal``: ``parse_float=Decimal``, never float) into
the frozen :class:`BuildSource`. Every key is validated; any problem raises
:class:`juesuan.errors.InputError` with one line naming the key, e.g.
``source.toml: procurement.goods: expected a number, got a string``.

Amounts in the source are in ``narrative.unit`` (万元 by default: the figures a finance officer
has at hand); they are converted to exact 元 here (×10000 is exact in Decimal).
See ``docs/source-example.toml`` for a commented example of every key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from juesuan.errors import InputError
from juesuan.evaluation.compose import FormSpec, parse_forms
from juesuan.limits import Limits, number_digits, resolve
from juesuan.model.amount import Unit
from juesuan.model.report import UnitKind

T = TypeVar("T")

# Keys of PriorYear.totals a source may give (official row names; see model/disclosure.py).
PRIOR_KEYS = (
    "收入总计",
    "支出总计",
    "本年收入合计",
    "本年支出合计",
    "财政拨款收入总计",
    "财政拨款支出总计",
    "一般公共预算财政拨款支出",
    "基本支出",
    "项目支出",
    "人员经费",
    "公用经费",
    "机关运行经费",
    "三公经费",
    "年末结转和结余",
)

# Reasons a person writes for a change against last year, by topic key.
REASON_KEYS = {
    "total": "收、支总计变动",
    "income": "本年收入合计变动",
    "expenditure": "本年支出合计变动",
    "fiscal_total": "财政拨款收、支总计变动",
    "general_budget": "一般公共预算财政拨款支出变动",
    "basic": "一般公共预算财政拨款基本支出变动",
    "operating_costs": "机关运行经费变动",
    "sangong": "“三公”经费变动",
}

SANGONG_ITEMS = ("合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费")
SANGONG_REASON_KEYS = {
    "total": "合计",
    "abroad": "因公出国（境）费",
    "vehicles": "公务用车购置及运行费",
    "reception": "公务接待费",
}

VEHICLE_KINDS = {
    "leader": "领导干部用车",
    "confidential": "机要通信用车",
    "emergency": "应急保障用车",
    "law_enforcement": "执法执勤用车",
    "special": "特种专业技术用车",
    "retired": "离退休干部用车",
    "other": "其他用车",
}


@dataclass(frozen=True)
class Staff:
    authorized: int | None = None  # 核定编制
    leaders: int | None = None  # 领导职数
    technical: int | None = None  # 专业技术人员
    actual: int | None = None  # 年末实有在职人员
    retired: int | None = None  # 离退休人员


@dataclass(frozen=True)
class UnitFacts:
    name: str
    year: int
    kind: UnitKind
    duties: str = ""  # 部门职责
    organization: str = ""  # 机构设置
    composition: str = ""  # 决算单位构成
    staff: Staff = field(default_factory=Staff)


@dataclass(frozen=True)
class BudgetItem:
    """年初预算 of one 类/款/项 (for 五(三)), in 元."""

    code: str
    amount: Decimal
    reason: str | None = None


@dataclass(frozen=True)
class Sangong:
    abroad_groups: int = 0
    abroad_people: int = 0
    vehicles_purchased: int = 0
    vehicles_held: int = 0
    foreign_reception: Decimal = Decimal("0.00")  # 外宾接待支出, 元
    foreign_groups: int = 0
    foreign_people: int = 0
    domestic_groups: int = 0
    domestic_people: int = 0
    reasons: Mapping[str, str] = field(default_factory=dict)  # by SANGONG_ITEMS name


@dataclass(frozen=True)
class OperatingCosts:
    amount: Decimal | None = None  # 元; None = not reported (non-参公 事业单位)


@dataclass(frozen=True)
class Procurement:
    goods: Decimal = Decimal("0.00")
    works: Decimal = Decimal("0.00")
    services: Decimal = Decimal("0.00")
    sme: Decimal = Decimal("0.00")  # 授予中小企业合同金额
    small_micro: Decimal = Decimal("0.00")  # 其中授予小微企业合同金额

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


@dataclass(frozen=True)
class Assets:
    vehicles: Mapping[str, int] = field(default_factory=dict)  # by VEHICLE_KINDS key
    general_equipment_over_50: int = 0  # 单位价值50万元以上通用设备 台（套）
    special_equipment_over_100: int = 0  # 单位价值100万元以上专用设备 台（套）


@dataclass(frozen=True)
class Performance:
    projects: int = 0  # 支出项目共 n 个
    self_evaluated: int = 0  # 进行项目绩效自评 n 个
    self_evaluated_amount: Decimal = Decimal("0.00")  # 元
    key_evaluated: int = 0  # 纳入重点绩效评价 n 个
    key_evaluated_amount: Decimal = Decimal("0.00")  # 元
    score: Decimal | None = None  # 部门整体绩效自评得分
    results: str = ""  # 部门整体和项目绩效自评结果 (text)
    # the 绩效自评表 to print, from their indicators ([[performance.form]]; juesuan.evaluation)
    forms: tuple[FormSpec, ...] = ()


@dataclass(frozen=True)
class PriorSource:
    year: int
    file: Path | None = None
    totals: Mapping[str, Decimal] = field(default_factory=dict)  # 元


@dataclass(frozen=True)
class NarrativeOptions:
    unit: Unit = Unit.WAN_YUAN  # unit of the amounts written in this source file
    reason_threshold_amount: Decimal = Decimal(0)  # 万元
    reason_threshold_percent: Decimal = Decimal(0)  # %
    templates: Path | None = None  # a region's own templates (take precedence)
    marker: str = "【请填写原因】"


@dataclass(frozen=True)
class BuildSource:
    path: Path
    unit: UnitFacts
    tables: Path
    prior: PriorSource | None = None
    narrative: NarrativeOptions = field(default_factory=NarrativeOptions)
    reasons: Mapping[str, str] = field(default_factory=dict)  # by REASON_KEYS key
    budget: tuple[BudgetItem, ...] = ()
    sangong: Sangong = field(default_factory=Sangong)
    operating_costs: OperatingCosts = field(default_factory=OperatingCosts)
    procurement: Procurement = field(default_factory=Procurement)
    assets: Assets = field(default_factory=Assets)
    performance: Performance = field(default_factory=Performance)


# --- validation ------------------------------------------------------------------------------


class _Table:
    """A TOML table being read: every key must be consumed, else it is unknown."""

    def __init__(
        self, path: Path, data: Mapping[str, Any], prefix: str, limits: Limits | None = None
    ) -> None:
        self.path, self.data, self.prefix = path, data, prefix
        self.limits = resolve(limits)
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, reason: str) -> InputError:
        return InputError(self.path, f"{self.key(name)}: {reason}")

    def get(self, name: str, conv: Callable[[str, Any], T], default: T) -> T:
        self.used.add(name)
        if name not in self.data:
            return default
        return conv(name, self.data[name])

    def need(self, name: str, conv: Callable[[str, Any], T]) -> T:
        self.used.add(name)
        if name not in self.data:
            raise self.fail(name, "missing (required)")
        return conv(name, self.data[name])

    def sub(self, name: str, required: bool = False) -> _Table:
        self.used.add(name)
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.fail(name, "missing table (required)")
            value = {}
        if not isinstance(value, dict):
            raise self.fail(name, f"expected a table, got {_kind(value)}")
        return _Table(self.path, value, f"{self.key(name)}.", self.limits)

    def done(self) -> None:
        for k in self.data:
            if k not in self.used:
                raise self.fail(k, "unknown key")

    # converters ---------------------------------------------------------------------------

    def text(self, name: str, v: Any) -> str:
        if not isinstance(v, str):
            raise self.fail(name, f"expected a string, got {_kind(v)}")
        if len(v) > self.limits.text_chars:
            what = f"{self.key(name)}: {len(v):,} characters"
            raise self.limits.exceeded(self.path, "text_chars", what)
        return v.strip()

    def name(self, name: str, v: Any) -> str:
        """A name printed in headings and table headers (the unit's name)."""
        text = self.text(name, v)
        if len(text) > self.limits.name_chars:
            what = f"{self.key(name)}: {len(text):,} characters"
            raise self.limits.exceeded(self.path, "name_chars", what)
        return text

    def integer(self, name: str, v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(name, f"expected an integer, got {_kind(v)}")
        if v < 0:
            raise self.fail(name, "must not be negative")
        if number_digits(Decimal(v)) > self.limits.digits:
            what = f"{self.key(name)}: a number of {number_digits(Decimal(v)):,} digits"
            raise self.limits.exceeded(self.path, "digits", what)
        return v

    def number(self, name: str, v: Any) -> Decimal:
        if isinstance(v, bool) or not isinstance(v, int | Decimal):
            raise self.fail(name, f"expected a number, got {_kind(v)}")
        d = Decimal(v)
        if not d.is_finite():
            raise self.fail(name, "must be a finite number")
        digits = number_digits(d)
        if digits > self.limits.digits:
            what = f"{self.key(name)}: a number of {digits:,} digits"
            raise self.limits.exceeded(self.path, "digits", what)
        return d

    def maybe_int(self, name: str, v: Any) -> int | None:
        return self.integer(name, v)


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, int | Decimal):
        return "a number"
    if isinstance(v, dict):
        return "a table"
    if isinstance(v, list):
        return "an array"
    return f"a {type(v).__name__}"


def load_source(path: str | Path, limits: Limits | None = None) -> BuildSource:
    """Read and validate a source file; raises InputError (one line naming the key)."""
    from juesuan.fileio import read_input_text

    p = Path(path)
    return parse_source(read_input_text(p, limits, what="source file"), p, limits)


def parse_source(text: str, path: Path, limits: Limits | None = None) -> BuildSource:
    """Validate TOML text; relative file names are resolved against ``path``'s folder."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not valid TOML: {exc}") from None
    except RecursionError:  # arrays nested thousands deep
        raise InputError(path, "not valid TOML: nested too deeply") from None
    base = path.parent
    root = _Table(path, data, "", limits)

    nt = root.sub("narrative")
    unit_name = nt.get("unit", nt.text, "万元")
    if unit_name not in ("元", "万元"):
        raise nt.fail("unit", f"expected 元 or 万元, got {unit_name!r}")
    money_unit = Unit(unit_name)
    templates = nt.get("templates", nt.text, "")
    narrative = NarrativeOptions(
        unit=money_unit,
        reason_threshold_amount=nt.get("reason_threshold_amount", nt.number, Decimal(0)),
        reason_threshold_percent=nt.get("reason_threshold_percent", nt.number, Decimal(0)),
        templates=(base / templates) if templates else None,
        marker=nt.get("marker", nt.text, "【请填写原因】") or "【请填写原因】",
    )
    nt.done()
    if narrative.templates is not None and not narrative.templates.is_dir():
        raise nt.fail("templates", f"no such folder: {narrative.templates}")

    def money(t: _Table, name: str, v: Any) -> Decimal:
        return (t.number(name, v) * money_unit.in_yuan).quantize(Decimal("0.01"))

    def money_of(t: _Table) -> Callable[[str, Any], Decimal]:
        return lambda name, v: money(t, name, v)

    ut = root.sub("unit", required=True)
    kind_text = ut.need("kind", ut.text)
    try:
        kind = UnitKind(kind_text)
    except ValueError:
        allowed = "、".join(k.value for k in UnitKind)
        raise ut.fail("kind", f"expected one of {allowed}, got {kind_text!r}") from None
    year = ut.need("year", ut.integer)
    if not 1990 <= year <= 2100:
        raise ut.fail("year", f"not a plausible year: {year}")
    st = ut.sub("staff")
    staff = Staff(
        authorized=st.get("authorized", st.maybe_int, None),
        leaders=st.get("leaders", st.maybe_int, None),
        technical=st.get("technical", st.maybe_int, None),
        actual=st.get("actual", st.maybe_int, None),
        retired=st.get("retired", st.maybe_int, None),
    )
    st.done()
    unit = UnitFacts(
        name=ut.need("name", ut.name),
        year=year,
        kind=kind,
        duties=ut.get("duties", ut.text, ""),
        organization=ut.get("organization", ut.text, ""),
        composition=ut.get("composition", ut.text, ""),
        staff=staff,
    )
    if not unit.name:
        raise ut.fail("name", "must not be empty")
    ut.done()

    tt = root.sub("tables", required=True)
    tables_file = tt.need("file", tt.text)
    if not tables_file:
        raise tt.fail("file", "must not be empty")
    tables = base / tables_file
    tt.done()
    if not tables.is_file():
        raise tt.fail("file", f"no such file: {tables}")

    prior: PriorSource | None = None
    if "prior" in data:
        pt = root.sub("prior")
        prior_year = pt.get("year", pt.integer, year - 1)
        if prior_year != year - 1:
            raise pt.fail("year", f"{prior_year} is not the year before unit.year {year}")
        prior_file_name = pt.get("file", pt.text, "")
        prior_file = base / prior_file_name if prior_file_name else None
        if prior_file is not None and not prior_file.is_file():
            raise pt.fail("file", f"no such file: {prior_file}")
        tot = pt.sub("totals")
        totals = {k: money(tot, k, v) for k, v in tot.data.items()}
        for k in tot.data:
            if k not in PRIOR_KEYS:
                raise tot.fail(k, f"unknown key (known: {'、'.join(PRIOR_KEYS)})")
        pt.done()
        if prior_file is None and not totals:
            raise pt.fail("totals", "give last year's report (prior.file) or its totals")
        prior = PriorSource(prior_year, prior_file, totals)

    rt = root.sub("reasons")
    reasons = {k: rt.text(k, v) for k, v in rt.data.items()}
    for k in rt.data:
        if k not in REASON_KEYS:
            raise rt.fail(k, f"unknown key (known: {', '.join(REASON_KEYS)})")
    reasons = {k: v for k, v in reasons.items() if v}

    root.used.add("budget")
    budget_raw = data.get("budget", [])
    if not isinstance(budget_raw, list):
        raise root.fail(
            "budget", f"expected an array of tables ([[budget]]), got {_kind(budget_raw)}"
        )
    budget: list[BudgetItem] = []
    seen: set[str] = set()
    for i, entry in enumerate(budget_raw):
        if not isinstance(entry, dict):
            raise root.fail(f"budget[{i}]", f"expected a table, got {_kind(entry)}")
        bt = _Table(path, entry, f"budget[{i}].", limits)
        code = bt.need("code", bt.text)
        if len(code) not in (3, 5, 7) or not code.isdigit():
            raise bt.fail("code", f"expected a 类/款/项 code of 3, 5 or 7 digits, got {code!r}")
        if code in seen:
            raise bt.fail("code", f"{code} is given twice")
        seen.add(code)
        budget.append(
            BudgetItem(code, bt.need("amount", money_of(bt)), bt.get("reason", bt.text, "") or None)
        )
        bt.done()

    sg = root.sub("sangong")
    sr = sg.sub("reasons")
    sangong_reasons = {}
    for k, v in sr.data.items():
        if k not in SANGONG_REASON_KEYS:
            raise sr.fail(k, f"unknown key (known: {', '.join(SANGONG_REASON_KEYS)})")
        text_value = sr.text(k, v)
        if text_value:
            sangong_reasons[SANGONG_REASON_KEYS[k]] = text_value
    sangong = Sangong(
        abroad_groups=sg.get("abroad_groups", sg.integer, 0),
        abroad_people=sg.get("abroad_people", sg.integer, 0),
        vehicles_purchased=sg.get("vehicles_purchased", sg.integer, 0),
        vehicles_held=sg.get("vehicles_held", sg.integer, 0),
        foreign_reception=sg.get("foreign_reception", money_of(sg), Decimal("0.00")),
        foreign_groups=sg.get("foreign_groups", sg.integer, 0),
        foreign_people=sg.get("foreign_people", sg.integer, 0),
        domestic_groups=sg.get("domestic_groups", sg.integer, 0),
        domestic_people=sg.get("domestic_people", sg.integer, 0),
        reasons=sangong_reasons,
    )
    sg.done()

    ot = root.sub("operating_costs")
    operating = OperatingCosts(amount=ot.get("amount", money_of(ot), None))
    ot.done()
    if (
        kind in (UnitKind.ADMINISTRATIVE, UnitKind.CIVIL_SERVICE_MANAGED)
        and operating.amount is None
    ):
        raise ot.fail("amount", f"required for a {kind.value} (机关运行经费)")

    gt = root.sub("procurement")
    procurement = Procurement(
        goods=gt.get("goods", money_of(gt), Decimal("0.00")),
        works=gt.get("works", money_of(gt), Decimal("0.00")),
        services=gt.get("services", money_of(gt), Decimal("0.00")),
        sme=gt.get("sme", money_of(gt), Decimal("0.00")),
        small_micro=gt.get("small_micro", money_of(gt), Decimal("0.00")),
    )
    gt.done()
    for name, value in (
        ("goods", procurement.goods),
        ("works", procurement.works),
        ("services", procurement.services),
        ("sme", procurement.sme),
        ("small_micro", procurement.small_micro),
    ):
        if value < 0:
            raise gt.fail(name, "must not be negative")
    if procurement.sme > procurement.total:
        raise gt.fail("sme", "exceeds the total (goods + works + services)")
    if procurement.small_micro > procurement.sme:
        raise gt.fail("small_micro", "exceeds sme (小微企业 are part of 中小企业)")

    at = root.sub("assets")
    vt = at.sub("vehicles")
    vehicles = {}
    for k, v in vt.data.items():
        if k not in VEHICLE_KINDS:
            raise vt.fail(k, f"unknown key (known: {', '.join(VEHICLE_KINDS)})")
        vehicles[k] = vt.integer(k, v)
    assets = Assets(
        vehicles=vehicles,
        general_equipment_over_50=at.get("general_equipment_over_50", at.integer, 0),
        special_equipment_over_100=at.get("special_equipment_over_100", at.integer, 0),
    )
    at.done()

    ft = root.sub("performance")
    performance = Performance(
        projects=ft.get("projects", ft.integer, 0),
        self_evaluated=ft.get("self_evaluated", ft.integer, 0),
        self_evaluated_amount=ft.get("self_evaluated_amount", money_of(ft), Decimal("0.00")),
        key_evaluated=ft.get("key_evaluated", ft.integer, 0),
        key_evaluated_amount=ft.get("key_evaluated_amount", money_of(ft), Decimal("0.00")),
        score=ft.get("score", ft.number, None),
        results=ft.get("results", ft.text, ""),
        forms=ft.get("form", lambda _k, v: parse_forms(v, path, money_unit), ()),
    )
    ft.done()
    if performance.self_evaluated > performance.projects:
        raise ft.fail("self_evaluated", "exceeds projects")

    root.done()
    return BuildSource(
        path=path,
        unit=unit,
        tables=tables,
        prior=prior,
        narrative=narrative,
        reasons=reasons,
        budget=tuple(budget),
        sangong=sangong,
        operating_costs=operating,
        procurement=procurement,
        assets=assets,
        performance=performance,
    )
