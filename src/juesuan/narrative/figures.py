"""Checks of the figures the narrative states: amounts against the table cells they name, shares,
changes and completion rates against their base, 类/款/项 labels, listed parts against their
total, 年初预算 stated twice, 政府采购 parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from juesuan.model.amount import within_bounds
from juesuan.model.budget_lexicon import budget_lexicon
from juesuan.model.codes import normalize_name
from juesuan.model.layout import TableId
from juesuan.model.tables import Level, Row
from juesuan.narrative.audit import (
    ZERO,
    Audit,
    Hit,
    hit,
    matches,
    pct,
    pct_ok,
    places,
    ratio_interval,
    wan,
    yuan,
)
from juesuan.narrative.claims import (
    GENERIC,
    Claim,
    ClaimKind,
    is_budget,
    normalise,
)
from juesuan.narrative.link import (
    Quantity,
    is_budget_report,
    item_chain,
    lexicon_quantities,
    link,
    printed_labels,
    quantity,
    resolve_chain,
    rows_with_value,
)
from juesuan.rules.finding import Severity


def _other_quantities(a: Audit) -> Iterator[Quantity]:
    """Every quantity a figure could be confused with (for "a figure under the wrong name")."""
    seen: set[str] = set()
    for _scope, found in lexicon_quantities(a.report):
        if found.name not in seen:
            seen.add(found.name)
            yield found
    budget = is_budget_report(a.report)
    tid, column = (TableId.B05, "本年预算数") if budget else (TableId.T05, "合计")
    table = a.report.table(tid)
    for row in table.rows:
        if row.code and row.level is Level.CLASS:
            q = quantity(a.report, (f"{tid.value}:{row.code}:{column}",), f"{row.code} {row.label}")
            if q is not None:
                yield q


def check_amount(a: Audit) -> Iterator[Hit]:
    """A stated amount equals the table value it names (万元, within rounding). A figure that is
    another quantity's value is reported as a figure under the wrong name ("人员经费 161.22"
    where 161.22 is 基本支出), or, when a class label sits on another class's amount, by
    check_label."""
    candidates: list[Quantity] | None = None
    for c in a.claims:
        q = a.linked(c)
        if q is None:
            continue
        if matches(c, q):
            a.verify(c, q.name)
            continue
        if candidates is None:
            candidates = list(_other_quantities(a))
        others = [o for o in candidates if o.name != q.name and matches(c, o)]
        if any(_named(o) == _named(q) and o.table != q.table for o in others) or (
            _one_total(a, q, others)
        ):
            # the figure another table prints for the same quantity (重庆: the 收支总表's 一般
            # 公共预算拨款收入 counts the 上年结转, the 财政拨款收支总表's does not), or the total
            # it names on the other 口径 (西安: 预算支出 of the 本年支出合计): a warning on the
            # 口径, not a figure under another quantity's name
            yield hit(c, Severity.WARNING, named=c.subject, expected=wan(q.yuan), quantity=q.name)
        elif not others:
            # one unit of the last printed digit off (4.1651 printed 4.16: cut, not rounded;
            # a total restated from rounded parts): a rounding-level break, a notice
            severity = Severity.NOTICE if _last_digit_off(c, q) else None
            yield hit(c, severity, named=c.subject, expected=wan(q.yuan), quantity=q.name)
        elif _other_class(a, c) is None:
            yield hit(
                c,
                named=c.subject,
                expected=wan(q.yuan),
                quantity=q.name,
                other=others[0].name,
                rule="misnamed",
            )


def _one_total(a: Audit, q: Quantity, others: list[Quantity]) -> bool:
    """Is a 预算 figure the total it names on the other 口径 (with or without carry-overs)?"""
    if not others or not is_budget_report(a.report):
        return False
    lexicon = budget_lexicon()
    return any(lexicon.one_total(_named(q), _named(o)) for o in others)


def _named(q: Quantity) -> str:
    """The quantity's name without the table it is read from."""
    return q.name[: q.name.rfind("（")]


def _last_digit_off(claim: Claim, q: Quantity) -> bool:
    v, h = yuan(claim)
    return h > 0 and abs(v - q.yuan) <= 2 * h + q.tolerance


def lead_amount(claims: list[Claim], before: Claim) -> Claim | None:
    """The amount a share or rate refers to: the closest amount before it."""
    prior = [c for c in claims if c.kind is ClaimKind.AMOUNT and c.start < before.start]
    return prior[-1] if prior else None


def _respective(claims: list[Claim], share: Claim) -> Claim | None:
    """ "基本支出 a 万元、项目支出 b 万元，分别占 p%、q%": the k-th share after 分别 belongs to the
    k-th of the amounts listed before it."""
    marker = normalise(share.sentence).rfind("分别", 0, share.start)
    if marker < 0:
        return None
    group = [c for c in claims if c.kind is share.kind and c.start > marker]
    amounts = [c for c in claims if c.kind is ClaimKind.AMOUNT and c.end <= marker]
    if share not in group or len(amounts) < len(group):
        return None
    return amounts[len(amounts) - len(group) + group.index(share)]


# "“三公”经费财政拨款支出决算中，因公出国（境）费…占 0.00%；公务接待费…占 100.00%": the
# shares are of the whole the sentence opens with
_CONTAINED = re.compile(r"^(?P<head>[^，,。；;：:0-9]{2,30}?)中[，,]")


def _denominator(
    a: Audit, share: Claim, section_claims: list[Claim]
) -> tuple[tuple[Decimal, Decimal] | None, tuple[Decimal, Decimal] | None]:
    """(printed, exact) denominators of a share, each (value in 元, half-width)."""
    amounts = [c for c in section_claims if c.kind is ClaimKind.AMOUNT]
    printed: Claim | None = None
    contained = _CONTAINED.match(normalise(share.sentence))
    base_words = share.base or (contained.group("head") if contained else None)
    if base_words:
        base = normalize_name(base_words)
        probe = Claim(
            ClaimKind.AMOUNT,
            Decimal(0),
            "万元",
            base_words,
            share.section,
            "",
            0,
            0,
            scope=share.scope,
        )
        target = link(probe, a.report, a.codes)
        for c in amounts:
            subject = normalize_name(c.subject)
            loose = base.endswith(subject) and _same_year_scope(base, subject)
            if subject.endswith(base) or loose:
                printed = c
                break
            if target is not None and a.linked(c) == target:
                printed = c
                break
        exact = (target.yuan, target.tolerance) if target else None
    else:
        lead = _listed_total(share, section_claims)
        if lead is None:
            lead = next((c for c in amounts if c.subsection == share.subsection), None)
        if lead is not None and lead.sentence == share.sentence and lead.start >= share.start:
            lead = None
        printed = lead or (amounts[0] if amounts else None)
        q = a.linked(printed) if printed else None
        exact = (q.yuan, q.tolerance) if q else None
    return (yuan(printed) if printed else None), exact


_THIS_YEAR = re.compile(r"本年|当年")


def _same_year_scope(base: str, subject: str) -> bool:
    """ "占本年支出预算 53.59%" is not of "2026年支出预算 134133.33万元" when that total holds
    the 年终结转结余 besides this year's spending (北京): a base naming 本年 needs a subject
    that names it too."""
    return not _THIS_YEAR.search(base) or bool(_THIS_YEAR.search(subject))


_LISTING = re.compile(r"^(?:\d{4}\s*年度?)?(?P<head>[^，,；;。0-9]{2,30}?)(?:主要)?用于")


def _listed_total(share: Claim, section_claims: list[Claim]) -> Claim | None:
    """ "本年支出主要用于：城乡社区支出（类）7.83 万元，占 100.00%": the shares are of the amount
    the listing names (本年支出), stated earlier in the section."""
    m = _LISTING.match(normalise(share.sentence))
    if m is None:
        return None
    head = normalize_name(m.group("head"))
    if not head:
        return None
    found: Claim | None = None
    for c in section_claims:
        if c is share:
            break
        if c.kind is not ClaimKind.AMOUNT or not c.subject or GENERIC.match(c.subject):
            continue
        subject = normalize_name(c.subject)
        if subject.endswith(head) or head.endswith(subject):
            found = c
    return found


def check_share(a: Audit) -> Iterator[Hit]:
    """占 Y% = the ratio from the exact table figures or from the printed 万元 figures."""
    by_section: dict[str, list[Claim]] = {}
    for c in a.claims:
        by_section.setdefault(c.section, []).append(c)
    sentences = a.by_sentence()
    for c in a.claims:
        if c.kind is not ClaimKind.SHARE:
            continue
        num = _respective(sentences[(c.section, c.sentence)], c) or lead_amount(
            sentences[(c.section, c.sentence)], c
        )
        if num is None:
            continue
        printed_den, exact_den = _denominator(a, c, by_section[c.section])
        routes: list[Decimal] = []
        if printed_den is not None and printed_den[0] > 0:
            routes.append(yuan(num)[0] / printed_den[0])
        q = a.linked(num)
        if q is not None and exact_den is not None and exact_den[0] > 0:
            routes.append(q.yuan / exact_den[0])
        if not routes:
            den = printed_den or exact_den
            if den is not None and den[0] == 0 and c.value != 0:
                yield hit(c, expected="无（分母为 0）")
            continue
        if any(pct_ok(c.value, r) for r in routes):
            a.verify(c, f"{num.text} ÷ 分母")
            continue
        exact = (q is not None and q.tolerance == 0) or (
            exact_den is not None and exact_den[1] == 0
        )
        if not exact and printed_den is not None:
            # no exact figure on either side: the rounded ones only bound the ratio
            # (授予中小企业 0.59 万元 of a 总额 of 0.65 万元 may be 91.00%)
            bounds = ratio_interval(yuan(num), printed_den)
            if q is not None and exact_den is not None:
                bounds = ratio_interval((q.yuan, q.tolerance), exact_den) or bounds
            if bounds is not None and within(c.value, bounds):
                a.verify(c, "四舍五入区间内")
                continue
        yield hit(c, expected=f"{pct(routes[-1], places(c.value) or 2)}%")


within = within_bounds


def _other_class(a: Audit, c: Claim) -> Row | None:
    """五(二) "教育支出（类）210.33 万元" where 210.33 is another class (208) and 205 is not: the
    class row the amount belongs to (N.label reports it, N.misnamed leaves it)."""
    if c.scope != "gpb" or c.item or not re.search(r"[（(]类[）)]", c.subject):
        return None
    q = a.linked(c)
    if q is None or matches(c, q):
        return None
    v, h = yuan(c)
    t05 = a.report.table(TableId.T05)
    return (
        next(
            (r for r in rows_with_value(a.report, TableId.T05, v, h) if r.level is Level.CLASS),
            None,
        )
        if t05.rows
        else None
    )


def check_label(a: Audit) -> Iterator[Hit]:
    """类/款/项 labels are the year's official names and describe the amount they carry."""
    t05 = a.report.table(TableId.T05)
    done: set[tuple[str, str]] = set()  # (item, sentence): two items may print one label
    for c in a.claims:
        if c.scope != "gpb" or c.kind is not ClaimKind.AMOUNT:
            continue
        if re.search(r"[（(]类[）)]", c.subject) and not c.item:
            name = re.split(r"[（(]类[）)]", c.subject)[0]
            code = a.codes.function.class_by_name(name, a.report.year)
            entry = a.codes.function.lookup(code, a.report.year) if code else None
            if code is not None and entry is None:
                continue  # a class name of other years, and our list does not cover this one
            if entry and normalize_name(entry.name).removesuffix("支出") == normalize_name(
                name
            ).removesuffix("支出"):
                row = _other_class(a, c)
                if row is not None:  # an official name, but of another class than the amount's
                    yield hit(
                        c,
                        label=f"{name}（类）",
                        problem=f"该金额为 {row.code} {row.label}，不是 {code} {entry.name}",
                    )
                continue
            v, h = yuan(c)
            rows = rows_with_value(a.report, TableId.T05, v, h) if t05.rows else []
            actual = f"，该金额为 {rows[0].code} {rows[0].label}" if rows else ""
            official = f"（{code} 的 {a.report.year} 年规范名称为“{entry.name}”）" if entry else ""
            yield hit(
                c,
                label=f"{name}（类）",
                problem=f"不是 {a.report.year} 年的类级科目名称{official}{actual}",
            )
        elif c.item and (c.item, c.sentence) not in done and "决算" in c.subject:
            done.add((c.item, c.sentence))
            chain = item_chain(c.item)
            if chain is None:
                continue
            code, wrong = resolve_chain(chain, a.report.year, a.codes, printed_labels(a.report))
            v, h = yuan(c)
            rows = rows_with_value(a.report, TableId.T05, v, h) if t05.rows else []
            row = t05.row(code) if code else None
            amount_ok = row is not None and any(r.code == code for r in rows)
            if not wrong and (amount_ok or not t05.rows):
                continue
            actual = f"；支出决算 {c.text} 为 {rows[0].code} {rows[0].label}" if rows else ""
            problem = (
                f"“{'、'.join(wrong)}”不是该年度规范科目名称或上下级不符"
                if wrong
                else f"{code} 的支出决算与公开05表不符"
            )
            yield hit(c, label=c.item, problem=problem + actual)


_SUBLIST = re.compile(r"主要包括|主要用于|包括")


def check_items(a: Audit) -> Iterator[Hit]:
    """Listed parts (其中 / 主要包括) cannot add up to more than their total; a rounding-level
    excess is a notice (nine 万元 items may add to 50.49 against 50.47)."""
    previous: list[Claim] = []
    for (_section, sentence), claims in a.by_sentence().items():
        text = normalise(sentence)
        amounts = [c for c in claims if c.kind is ClaimKind.AMOUNT and not is_budget(c.subject)]
        groups: list[tuple[Claim, list[Claim]]] = []
        if text.startswith("其中") and previous:
            groups.append(
                (
                    previous[-1],
                    [
                        c
                        for c in amounts
                        if not _in_sublist(text, c) and not _in_parenthesis(text, c.start, 0)
                    ],
                )
            )
        marks = list(re.finditer(r"其中", text))
        for k, m in enumerate(marks):
            head = [c for c in amounts if c.end <= m.start()]
            stop = _closing(text, m.start())  # "（其中：基本支出 …，项目支出 …）" ends there
            if k + 1 < len(marks):
                # "收入 9,216.51 万元，其中：…；支出 9,216.51 万元，其中：…": the next 其中's
                # head starts another list
                ahead = [c for c in amounts if m.end() < c.start and c.end <= marks[k + 1].start()]
                stop = min(stop, ahead[-1].start if ahead else marks[k + 1].start())
            if head:
                groups.append(
                    (
                        head[-1],
                        [
                            c
                            for c in amounts
                            if m.end() < c.start < stop
                            and not _in_sublist(text, c, m.end())
                            and not _in_parenthesis(text, c.start, m.end())
                        ],
                    )
                )
        for m in _SUBLIST.finditer(text):
            head = [c for c in amounts if c.end <= m.start()]
            stop = min(
                (i for i in (text.find("；", m.end()), text.find(";", m.end())) if i > 0),
                default=len(text),
            )
            if head:
                groups.append((head[-1], [c for c in amounts if m.end() < c.start < stop]))
        for total, listed in groups:
            parts = [c for c in listed if not _in_reason(text, c)]
            if len(parts) < 2:
                continue
            t, t_h = yuan(total)
            s = sum((yuan(p)[0] for p in parts), ZERO)
            tol = t_h + sum((yuan(p)[1] for p in parts), ZERO)
            if s - t > tol:
                yield hit(
                    total, expected=wan(s), problem=f"所列各项合计 {wan(s)} 大于总数 {total.text}"
                )
            elif s > t:
                yield hit(
                    total,
                    Severity.NOTICE,
                    expected=wan(s),
                    problem=f"所列各项合计 {wan(s)}，与总数 {total.text} 相差在四舍五入误差以内",
                )
        # "…162.53万元，…，主要原因是…国内服务费3.2万元…。其中：…": the next sentence's 其中
        # details the figure the sentence states, not one its reason names
        stated = [c for c in amounts if "原因" not in text[: c.start]]
        if marks and not text.startswith("其中"):
            # "支出 25,859.6 万元，其中：工资福利支出 2,079.07 万元…。其中：…" (西安): after a
            # list of its own, the next 其中 details the sentence's total, not its last item
            stated = [c for c in stated if c.end <= marks[0].start()] or stated
        if stated and not text.startswith("主要原因"):
            previous = stated


def _in_reason(text: str, claim: Claim) -> bool:
    """ "因公出国（境）费86.47万元，…，主要原因是…国内服务费3.2万元…；公务用车…": a figure in
    the clause giving a reason is not one of the parts listed."""
    before = text[: claim.start]
    return "原因" in before[max(before.rfind("；"), before.rfind(";")) + 1 :]


def _closing(text: str, pos: int) -> int:
    """Where the parenthesis around ``pos`` closes (the end of the text when none is open)."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        if text[i] in "）)":
            depth += 1
        elif text[i] in "（(":
            if depth == 0:
                break
            depth -= 1
    else:
        return len(text)
    depth = 0
    for j in range(pos, len(text)):
        if text[j] in "（(":
            depth += 1
        elif text[j] in "）)":
            if depth == 0:
                return j
            depth -= 1
    return len(text)


def _in_parenthesis(text: str, pos: int, after: int) -> bool:
    """Is ``pos`` inside a parenthesis opened after ``after``? An item's own breakdown
    ("公务用车购置及运行维护费567.72万元（公务用车购置费230.55万元 …）") is not another item."""
    depth = 0
    for i in range(pos - 1, after - 1, -1):
        if text[i] in "）)":
            depth += 1
        elif text[i] in "（(":
            if depth == 0:
                return True
            depth -= 1
    return False


def _in_sublist(text: str, claim: Claim, start: int = 0) -> bool:
    """Is the claim inside a 主要包括 sub-list (which details an item, not the total)?"""
    for m in _SUBLIST.finditer(text, start):
        stop = min(
            (i for i in (text.find("；", m.end()), text.find(";", m.end())) if i > 0),
            default=len(text),
        )
        if m.end() < claim.start < stop:
            return True
    return False


def check_budget_total(a: Audit) -> Iterator[Hit]:
    """五(三): when the listed 项 account for the whole 支出决算, their 年初预算 add up to the
    stated total 年初预算 (the same quantity stated twice)."""
    gpb = [c for c in a.claims if c.scope == "gpb" and c.kind is ClaimKind.AMOUNT]
    totals = [c for c in gpb if not c.item and c.subsection == "三"]
    items = [c for c in gpb if c.item]
    total_budget = next((c for c in totals if is_budget(c.subject)), None)
    total_actual = next((c for c in totals if "决算" in c.subject), None)
    if total_budget is None or total_actual is None or not items:
        return
    budgets: dict[str, Claim] = {}
    actuals: dict[str, Claim] = {}
    for c in items:
        target = budgets if is_budget(c.subject) else actuals if "决算" in c.subject else None
        if target is not None and c.item is not None:
            target.setdefault(c.item, c)
    if not budgets or set(budgets) != set(actuals):
        return
    x_sum = sum((yuan(c)[0] for c in actuals.values()), ZERO)
    x_tol = sum((yuan(c)[1] for c in actuals.values()), ZERO) + yuan(total_actual)[1]
    if abs(x_sum - yuan(total_actual)[0]) > x_tol:
        return  # the items listed are not all of it
    b_sum = sum((yuan(c)[0] for c in budgets.values()), ZERO)
    b_tol = sum((yuan(c)[1] for c in budgets.values()), ZERO) + yuan(total_budget)[1]
    if abs(b_sum - yuan(total_budget)[0]) > b_tol:
        yield hit(
            total_budget,
            expected=wan(b_sum),
            problem=f"各项年初预算合计 {wan(b_sum)}，而总体年初预算为 {total_budget.text}",
        )


def check_procurement(a: Audit) -> Iterator[Hit]:
    """政府采购: 货物 + 工程 + 服务 = 总额; 中小企业 ≤ 总额; 小微企业 ≤ 中小企业."""
    claims = [c for c in a.claims if c.scope == "procurement" and c.kind is ClaimKind.AMOUNT]

    def find(word: str, but: Claim | None = None) -> Claim | None:
        return next((c for c in claims if word in c.subject and c is not but), None)

    total = find("总额")
    # the total's own subject may hold a part's word ("副中心工程办政府采购预算总额")
    parts = [p for p in (find(w, total) for w in ("货物", "工程", "服务")) if p is not None]
    if total is not None and len(parts) == 3 and not any("中小" in p.subject for p in parts):
        t, t_h = yuan(total)
        s = sum((yuan(p)[0] for p in parts), ZERO)
        if abs(s - t) > t_h + sum((yuan(p)[1] for p in parts), ZERO):
            yield hit(total, expected=wan(s), problem="货物、工程、服务支出之和与总额不符")
    sme, small = find("中小企业"), find("小微企业")
    for part, whole, what in (
        (sme, total, "授予中小企业合同金额大于政府采购支出总额"),
        (small, sme, "授予小微企业合同金额大于授予中小企业合同金额"),
    ):
        if (
            part is not None
            and whole is not None
            and yuan(part)[0] - yuan(whole)[0] > (yuan(part)[1] + yuan(whole)[1])
        ):
            yield hit(part, expected=f"≤ {whole.text}", problem=what)
    yield from _sme_awards(claims, total or _procurement_total(claims))


def _clause(c: Claim) -> str:
    text = normalise(c.sentence)[: c.start]
    return re.split(r"[；;。]", text)[-1]


def _procurement_total(claims: list[Claim]) -> Claim | None:
    return next((c for c in claims if "政府采购" in c.subject and "金额" in c.subject), None)


def _sme_awards(claims: list[Claim], total: Claim | None) -> Iterator[Hit]:
    """Awards to SMEs in the projects reserved for them plus those in the other projects
    cannot exceed all procurement (003: 21.07 reserved and 21.07 other of a total 21.07)."""
    if total is None:
        return
    reserved = next(
        (
            c
            for c in claims
            if "预留" in _clause(c) and "中小企业供应商" in _clause(c) and "小微" not in _clause(c)
        ),
        None,
    )
    other = next(
        (c for c in claims if "其他政府采购项目" in _clause(c) and "中小企业" in _clause(c)), None
    )
    if reserved is None or other is None:
        return
    both = yuan(reserved)[0] + yuan(other)[0]
    t, t_h = yuan(total)
    if both - t > t_h + yuan(reserved)[1] + yuan(other)[1]:
        yield hit(
            other,
            Severity.WARNING,
            expected=f"≤ {wan(t - yuan(reserved)[0])}",
            problem=(
                f"预留项目中授予中小企业 {reserved.text} 与其他项目中授予中小企业 {other.text} 之和"
                f"大于政府采购金额 {total.text}"
            ),
        )
