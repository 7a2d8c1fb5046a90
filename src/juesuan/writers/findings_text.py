"""Plain-text rendering of check results for the terminal (Chinese by default)."""

from __future__ import annotations

from juesuan.api import CheckResult
from juesuan.model.layout import FINAL_TABLES, SPECS, TableId
from juesuan.model.tables import TableStatus
from juesuan.rules.finding import Severity

_STATUS = {
    TableStatus.PRESENT: "有数据",
    TableStatus.EMPTY: "空表",
    TableStatus.TITLE_ONLY: "仅标题",
    TableStatus.ABSENT: "缺失",
}


def render_text(result: CheckResult, *, show_notices: bool = True) -> str:
    r = result.report
    out: list[str] = []
    who = " ".join(x for x in (r.unit_name, f"{r.year}年度" if r.year else None) if x)
    budget = r.kind is not None and r.kind.is_budget
    kind = r.kind.value if r.kind is not None and (r.kind.is_final or budget) else "部门决算"
    # the file checked (a report JSON names its original in source_file)
    checked = result.checked_file or r.source_file or ""
    out.append(f"{who or '（未识别单位）'}{kind}校验　{checked}".rstrip())
    if r.source_file and result.checked_file and r.source_file != result.checked_file:
        out.append(f"原始文件：{r.source_file}")
    if budget:
        # a budget's tables by kind, as found (the kinds a region adds only when printed)
        out.append(
            "表格："
            + "　".join(f"{SPECS[t].label} {_STATUS[tb.status]}" for t, tb in r.tables.items())
        )
    else:
        out.append(
            "表格：" + "　".join(f"{t.value} {_STATUS[r.table(t).status]}" for t in FINAL_TABLES)
        )
    for note in r.reader_notes:
        out.append(f"读取说明：{note}")
    c = result.counts
    out.append(
        f"错误 {c[Severity.ERROR]} 条　警告 {c[Severity.WARNING]} 条　"
        f"提示 {c[Severity.NOTICE]} 条　信息 {c[Severity.INFO]} 条"
    )
    for severity in Severity:
        items = [f for f in result.findings if f.severity is severity and not f.explanation]
        if not items or (severity in (Severity.NOTICE, Severity.INFO) and not show_notices):
            continue
        out.append("")
        out.append(f"{severity.chinese}（{len(items)}）")
        for f in items:
            where = f.location.describe()
            out.append(f"  [{f.rule_id}] {f.message}")
            if where and f.location.source is not None and f.location.source.short():
                out.append(f"      位置：{where}")
            if f.ocr is not None:
                out.append(f"      识别：{f.ocr.note}")
    explained = [f for f in result.findings if f.explanation]
    if explained:
        out.append("")
        out.append(f"已说明（{len(explained)}，不计为错误）")
        for f in explained:
            out.append(f"  [{f.rule_id}] {f.message}")
            out.append(f"      说明：{f.explanation}")
    out.append("")
    if result.has_errors:
        out.append(f"结论：发现 {c[Severity.ERROR]} 处错误，需要更正。")
    elif not any(t.status is TableStatus.PRESENT for t in r.tables.values()):
        out.append("结论：未读到任何表格数据，无法校验表内及表间关系。")
    elif r.unread_cells:
        out.append(
            f"结论：未发现错误，但有 {len(r.unread_cells)} 个单元格未能读取，有关核对不完整。"
        )
    else:
        out.append("结论：未发现错误。")
    return "\n".join(out) + "\n"


def table_title(table_id: TableId) -> str:
    return SPECS[table_id].title
