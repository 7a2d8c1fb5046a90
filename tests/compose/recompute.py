"""Independent re-computation of every figure in a generated 情况说明.

The verifier parses the generated sentences with regular expressions, recomputes each figure
from the tables, the source and last year's totals with plain Decimal arithmetic (it does not
call :mod:`juesuan.compose.numbers`), and finally insists that every ``…万元`` and ``…%`` figure
in the text was checked by some rule: nothing is left unverified.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from juesuan.compose.narrative import Narrative
from juesuan.compose.source import BuildSource
from juesuan.model.codes import reference_codes
from juesuan.model.disclosure import PriorYear
from juesuan.model.report import Report
from juesuan.model.tables import Table

CENT = Decimal("0.01")
NUM = r"(\d+\.\d{2})"


def q(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def w(yuan: Decimal) -> Decimal:
    """元 → printed 万元."""
    return q(yuan / 10000)


def cell(t: Table, key: str, col: str) -> Decimal:
    row = t.row(key)
    v = row.value(col) if row else None
    if v is None:
        return Decimal(0)
    return v * (t.unit.in_yuan if t.unit else 1)


def share(part: Decimal, whole: Decimal) -> Decimal:
    return q(part * 100 / whole)


class Verifier:
    def __init__(
        self, report: Report, source: BuildSource, prior: PriorYear | None, nar: Narrative
    ) -> None:
        self.r, self.s, self.p, self.nar = report, source, prior, nar
        self.year = source.unit.year
        self.checked = 0
        self.text: dict[str, str] = {sec.number: sec.text for sec in nar.explanations}
        self.spans: dict[str, set[tuple[int, int]]] = {k: set() for k in self.text}
        self.codes = reference_codes().function

    def t(self, tid: str) -> Table:
        return self.r.table(tid)

    def eq(self, sec: str, m: re.Match[str], group: int | str, expected: Decimal) -> None:
        found = Decimal(m.group(group))
        assert found == expected, f"{sec}: {m.group(0)!r}: {found} != {expected}"
        self.spans[sec].add(m.span(group))
        self.checked += 1

    def find(self, sec: str, pattern: str) -> list[re.Match[str]]:
        return list(re.finditer(pattern, self.text[sec]))

    def one(self, sec: str, pattern: str) -> re.Match[str]:
        found = self.find(sec, pattern)
        assert len(found) == 1, f"{sec}: {pattern!r} found {len(found)} times in {self.text[sec]}"
        return found[0]

    # --- changes ---------------------------------------------------------------------------

    def change(self, sec: str, subject: str, current: Decimal, prior_key: str) -> None:
        pattern = subject + r"各?(增加|减少)" + NUM + r"万元(?:，(增长|下降)" + NUM + r"%)?"
        found = self.find(sec, pattern)
        flat = self.find(sec, subject + "持平")
        if self.p is None or prior_key not in self.p.totals:
            assert not found and not flat, f"{sec}: change stated without a prior figure"
            return
        cur, pri = w(current), w(self.p.totals[prior_key])
        delta = cur - pri
        if delta == 0:
            assert flat and not found, f"{sec}: expected 持平 for {subject}"
            return
        assert len(found) == 1, f"{sec}: {subject} change not stated"
        m = found[0]
        assert m.group(1) == ("增加" if delta > 0 else "减少"), m.group(0)
        self.eq(sec, m, 2, abs(delta))
        if pri == 0:
            assert m.group(4) is None and "不计算增长率" in self.text[sec]
        else:
            assert m.group(3) == ("增长" if delta > 0 else "下降"), m.group(0)
            self.eq(sec, m, 4, q(abs(delta) * 100 / pri))

    # --- sections --------------------------------------------------------------------------

    def s01(self) -> None:
        t01 = self.t("01")
        income, spending = cell(t01, "收入总计", "决算数"), cell(t01, "支出总计", "决算数")
        if w(income) == w(spending):
            self.eq("一", self.one("一", r"收、支总计均为" + NUM + "万元"), 1, w(income))
            if self.p and w(self.p.totals.get("收入总计", Decimal(-1))) == w(
                self.p.totals.get("支出总计", Decimal(-2))
            ):
                self.change("一", "收、支总计", income, "收入总计")
                return
        else:
            self.eq("一", self.one("一", r"收入总计" + NUM + "万元，"), 1, w(income))
            self.eq("一", self.one("一", r"支出总计" + NUM + "万元。"), 1, w(spending))
        self.change("一", "收入总计", income, "收入总计")
        self.change("一", "支出总计", spending, "支出总计")

    def s02(self) -> None:
        t01 = self.t("01")
        total = cell(t01, "本年收入合计", "决算数")
        self.eq("二", self.one("二", r"收入合计" + NUM + "万元，其中"), 1, w(total))
        fiscal = sum(
            cell(t01, k, "决算数")
            for k in (
                "一般公共预算财政拨款收入",
                "政府性基金预算财政拨款收入",
                "国有资本经营预算财政拨款收入",
            )
        )
        values = {"财政拨款收入": Decimal(fiscal)}
        for k in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"):
            values[k] = cell(t01, k, "决算数")
        found = self.find("二", r"([\u4e00-\u9fff]+收入)" + NUM + r"万元(?:，占" + NUM + "%)?")
        assert {m.group(1) for m in found} == set(values)
        for m in found:
            self.eq("二", m, 2, w(values[m.group(1)]))
            if total:
                self.eq("二", m, 3, share(values[m.group(1)], total))
        self.change("二", "收入合计", total, "本年收入合计")

    def s03(self) -> None:
        t01, t03 = self.t("01"), self.t("03")
        total = cell(t01, "本年支出合计", "决算数") or cell(t03, "合计", "本年支出合计")
        self.eq("三", self.one("三", r"支出合计" + NUM + "万元，其中"), 1, w(total))
        found = self.find("三", r"([\u4e00-\u9fff]+支出)" + NUM + r"万元(?:，占" + NUM + "%)?")
        assert len(found) == 5
        for m in found:
            v = cell(t03, "合计", m.group(1))
            self.eq("三", m, 2, w(v))
            if total:
                self.eq("三", m, 3, share(v, total))
        self.change("三", "支出合计", total, "本年支出合计")

    def s04(self) -> None:
        t04 = self.t("04")
        income, spending = cell(t04, "收入总计", "决算数"), cell(t04, "支出总计", "合计")
        if w(income) == w(spending):
            m = self.one("四", r"财政拨款收、支总计均为" + NUM + "万元")
            self.eq("四", m, 1, w(income))
            if self.p and w(self.p.totals.get("财政拨款收入总计", Decimal(-1))) == w(
                self.p.totals.get("财政拨款支出总计", Decimal(-2))
            ):
                self.change("四", "财政拨款收、支总计", income, "财政拨款收入总计")
                self._funds()
                return
        else:
            self.eq("四", self.one("四", r"财政拨款收入总计" + NUM + "万元"), 1, w(income))
            self.eq("四", self.one("四", r"财政拨款支出总计" + NUM + "万元"), 1, w(spending))
        self.change("四", "财政拨款收入总计", income, "财政拨款收入总计")
        self.change("四", "财政拨款支出总计", spending, "财政拨款支出总计")
        self._funds()

    def _funds(self) -> None:
        t04 = self.t("04")
        for m in self.find("四", r"((?:一般公共|政府性基金|国有资本经营)预算财政拨款)收入" + NUM):
            self.eq("四", m, 2, w(cell(t04, m.group(1), "决算数")))

    def s05(self) -> None:
        t01, t05 = self.t("01"), self.t("05")
        total = cell(t05, "合计", "合计")
        all_spending = cell(t01, "本年支出合计", "决算数")
        m = self.one(
            "五",
            r"（一）总体情况\n\d{4}年度一般公共预算财政拨款支出"
            + NUM
            + r"万元(?:，占本年支出合计的"
            + NUM
            + "%)?",
        )
        self.eq("五", m, 1, w(total))
        if all_spending:
            self.eq("五", m, 2, share(total, all_spending))
        self.change("五", "一般公共预算财政拨款支出", total, "一般公共预算财政拨款支出")
        # (二) structure: each class, official name of the year
        for m in self.find("五", r"支出" + NUM + "万元，主要用于以下方面"):
            self.eq("五", m, 1, w(total))
        for m in self.find("五", r"([\u4e00-\u9fff]+)（类）" + NUM + r"万元，占" + NUM + "%"):
            code = self._code(m.group(1), 3, "")
            v = cell(t05, code, "合计")
            self.eq("五", m, 2, w(v))
            self.eq("五", m, 3, share(v, total))
        # (三) budget items
        budget = {b.code: b.amount for b in self.s.budget}
        head = self.find(
            "五",
            r"年初预算为"
            + NUM
            + r"万元，支出决算为"
            + NUM
            + r"万元，(?:完成年初预算的"
            + NUM
            + "%)?",
        )
        items = self.find(
            "五",
            r"\d+\. ([^\n]+?（[类款项]）)。年初预算为"
            + NUM
            + r"万元，支出决算为"
            + NUM
            + r"万元，(?:完成年初预算的"
            + NUM
            + r"%|年初预算为零，不计算完成率)。(?:决算数(大于|小于)年初预算数)?",
        )
        if budget:
            assert len(head) == len(items) + 1
            total_budget = w(sum(budget.values(), Decimal(0)))
            h = head[0]
            self.eq("五", h, 1, total_budget)
            self.eq("五", h, 2, w(total))
            if total_budget:
                self.eq("五", h, 3, q(w(total) * 100 / total_budget))
        for m in items:
            code = self._label_code(m.group(1))
            a, b = w(budget.get(code, Decimal(0))), w(cell(t05, code, "合计"))
            self.eq("五", m, 2, a)
            self.eq("五", m, 3, b)
            if a:
                self.eq("五", m, 4, q(b * 100 / a))
            if a != b:
                assert m.group(5) == ("大于" if b > a else "小于"), m.group(0)
            else:
                assert m.group(5) is None
        if not budget:
            m = self.one("五", r"支出决算为" + NUM + r"万元，年初预算【")
            self.eq("五", m, 1, w(total))
            for m in self.find("五", r"\d+\. ([^\n]+?（[类款项]）)。支出决算为" + NUM + "万元。"):
                self.eq("五", m, 2, w(cell(t05, self._label_code(m.group(1)), "合计")))

    def _code(self, name: str, length: int, prefix: str) -> str:
        hits = [
            e.code
            for e in self.codes.by_name(name, self.year, length)
            if e.code.startswith(prefix) and e.name == name
        ]
        assert hits, f"{name!r} is not the {self.year} name of a code under {prefix!r}"
        return hits[0]

    def _label_code(self, label: str) -> str:
        code = ""
        parts = re.split(r"（([类款项])）", label)
        for name, level in zip(parts[0::2], parts[1::2], strict=False):
            code = self._code(name, {"类": 3, "款": 5, "项": 7}[level], code)
        return code

    def s06(self) -> None:
        t05, t06 = self.t("05"), self.t("06")
        self.eq(
            "六", self.one("六", r"基本支出" + NUM + "万元"), 1, w(cell(t05, "合计", "基本支出"))
        )
        self.eq(
            "六",
            self.one("六", r"人员经费" + NUM + "万元"),
            1,
            w(cell(t06, "人员经费合计", "决算数")),
        )
        self.eq(
            "六",
            self.one("六", r"公用经费" + NUM + "万元"),
            1,
            w(cell(t06, "公用经费合计", "决算数")),
        )
        econ = reference_codes().economic
        for m in self.find("六", r"主要包括：([^；。]+)"):
            for name in m.group(1).split("、"):
                hits = [e.code for e in econ.by_name(name, self.year, 5)]
                assert any(cell(t06, c, "决算数") for c in hits), f"六: {name} has no spending"
        self.change("六", "基本支出", cell(t05, "合计", "基本支出"), "基本支出")

    def s07(self) -> None:
        t07 = self.t("07")

        def v(part: str, item: str) -> Decimal:
            return cell(t07, "三公经费", f"{part}/{item}")

        m = self.one(
            "七",
            r"支出预算为" + NUM + r"万元，支出决算为" + NUM + r"万元，(?:完成预算的" + NUM + "%)?",
        )
        a, b = w(v("预算数", "合计")), w(v("决算数", "合计"))
        self.eq("七", m, 1, a)
        self.eq("七", m, 2, b)
        if a:
            self.eq("七", m, 3, q(b * 100 / a))
        for m in self.find(
            "七",
            r"\d\. ([^年]+)年初预算为"
            + NUM
            + r"万元，支出决算为"
            + NUM
            + r"万元，(?:完成年初预算的"
            + NUM
            + "%)?",
        ):
            a, b = w(v("预算数", m.group(1))), w(v("决算数", m.group(1)))
            self.eq("七", m, 2, a)
            self.eq("七", m, 3, b)
            if a:
                self.eq("七", m, 4, q(b * 100 / a))
        self.eq(
            "七", self.one("七", r"公务用车购置支出" + NUM), 1, w(v("决算数", "公务用车购置费"))
        )
        self.eq(
            "七", self.one("七", r"公务用车运行支出" + NUM), 1, w(v("决算数", "公务用车运行费"))
        )
        foreign = self.s.sangong.foreign_reception
        self.eq("七", self.one("七", r"外宾接待支出" + NUM), 1, w(foreign))
        self.eq(
            "七",
            self.one("七", r"国内公务接待支出" + NUM),
            1,
            w(v("决算数", "公务接待费") - foreign),
        )
        self.change("七", "“三公”经费支出决算", v("决算数", "合计"), "三公经费")

    def s08_09(self) -> None:
        for sec, tid in (("八", "08"), ("九", "09")):
            t = self.t(tid)
            if not t.has_data:
                assert "没有" in self.text[sec]
                continue
            for word, col in (
                ("年初结转和结余", "年初结转和结余"),
                ("本年收入", "本年收入"),
                ("本年支出", "本年支出/合计"),
                ("基本支出", "本年支出/基本支出"),
                ("项目支出", "本年支出/项目支出"),
                ("年末结转和结余", "年末结转和结余"),
            ):
                self.eq(sec, self.one(sec, word + NUM + "万元"), 1, w(cell(t, "合计", col)))
            total = cell(t, "合计", "本年支出/合计")
            for m in self.find(sec, r"([\u4e00-\u9fff]+)（类）" + NUM + r"万元，占" + NUM + "%"):
                code = self._code(m.group(1), 3, "")
                self.eq(sec, m, 2, w(cell(t, code, "本年支出/合计")))
                self.eq(sec, m, 3, share(cell(t, code, "本年支出/合计"), total))

    def s10_13(self) -> None:
        oc = self.s.operating_costs.amount
        if oc is not None:
            self.eq("十", self.one("十", r"机关运行经费支出" + NUM + "万元"), 1, w(oc))
            self.change("十", "机关运行经费支出", oc, "机关运行经费")
        elif "没有机关运行经费支出" not in self.text["十"]:
            assert "【请填写机关运行经费】" in self.text["十"]
        p = self.s.procurement
        total = p.goods + p.works + p.services
        self.eq("十一", self.one("十一", r"支出总额" + NUM), 1, w(total))
        for word, value in (("货物支出", p.goods), ("工程支出", p.works), ("服务支出", p.services)):
            self.eq("十一", self.one("十一", word + NUM), 1, w(value))
        for word, value in (("中小企业合同金额", p.sme), ("小微企业合同金额", p.small_micro)):
            for m in self.find("十一", word + NUM + r"万元，占政府采购支出总额的" + NUM + "%"):
                self.eq("十一", m, 1, w(value))
                self.eq("十一", m, 2, share(value, total))
        vehicles = sum(self.s.assets.vehicles.values())
        assert f"共有车辆{vehicles}辆" in self.text["十二"]
        t05, t06 = self.t("05"), self.t("06")
        pf = self.s.performance
        for word, value in (
            ("支出总额为", cell(t05, "合计", "合计")),
            ("人员经费", cell(t06, "人员经费合计", "决算数")),
            ("公用经费", cell(t06, "公用经费合计", "决算数")),
            ("支出金额", cell(t05, "合计", "项目支出")),
        ):
            self.eq("十三", self.one("十三", word + NUM), 1, w(value))
        amounts = self.find("十三", r"评价金额" + NUM)
        self.eq("十三", amounts[0], 1, w(pf.self_evaluated_amount))
        self.eq("十三", amounts[1], 1, w(pf.key_evaluated_amount))

    def run(self) -> int:
        self.s01()
        self.s02()
        self.s03()
        self.s04()
        self.s05()
        self.s06()
        self.s07()
        self.s08_09()
        self.s10_13()
        self.all_checked()
        return self.checked

    def all_checked(self) -> None:
        """Every 万元 / % figure of the text was verified above (a figure no rule covers
        would be a typed or unexplained number)."""
        for sec, text in self.text.items():
            for m in re.finditer(r"(\d+(?:\.\d+)?)(万元|%)", text):
                if text[m.end() : m.end() + 2] == "以上":
                    continue  # 单位价值50万元以上 (a category, not a figure)
                assert m.span(1) in self.spans[sec], (
                    f"{sec}: unverified figure {m.group(0)!r} in {text}"
                )


def hygiene(nar: Narrative) -> None:
    """Unit and wording errors the published reports are full of must be impossible."""
    for sec in (*nar.explanations, *nar.overview):
        text = sec.text
        assert "万万元" not in text, text
        assert not re.search(r"\d(?:\.\d+)?元", text), f"bare 元 figure in {text}"
        assert not re.search(r"万元元", text)
        assert not re.search(r"占\s*%", text), "blank share left from a template"
        assert "XX" not in text and "××" not in text
        for m in re.finditer(r"(\d+(?:\.\d+)?)万元", text):
            if text[m.end() : m.end() + 2] != "以上":
                assert re.fullmatch(r"\d+\.\d{2}", m.group(1)), m.group(0)
        for m in re.finditer(r"(\d+(?:\.\d+)?)%", text):
            assert re.fullmatch(r"\d+\.\d{2}", m.group(1)), m.group(0)
