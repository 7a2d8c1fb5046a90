"""The dataset's resources, declared once: their columns, types and meaning.

One declaration serves every output: the order of the values in a document's result file,
the DuckDB column types the Parquet files are written with, the Frictionless table schema of
``datapackage.json`` and the header of the CSV/XLSX exports. Money is ``DECIMAL`` (exact): a
value as printed (``value``, with ``decimals`` printed and its ``unit``) and the same value in 元
(``value_yuan``) so that tables in 元 and in 万元 can be summed together.

Pure data, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

RESULT_VERSION = 1  # the layout of a document's result file; a change reruns every document


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql: str  # DuckDB type
    description: str

    @property
    def frictionless(self) -> str:
        """The Frictionless field type of the DuckDB type."""
        base = self.sql.split("(")[0]
        return {
            "VARCHAR": "string",
            "INTEGER": "integer",
            "BIGINT": "integer",
            "DECIMAL": "number",
            "DOUBLE": "number",
            "BOOLEAN": "boolean",
        }[base]


@dataclass(frozen=True, slots=True)
class Resource:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, sql: str, description: str) -> Column:
    return Column(name, sql, description)


_SHA = _c("sha256", "VARCHAR", "文档内容的 SHA-256（文档的标识，与文件名、路径无关）")
_PAGE = _c("page", "INTEGER", "所在页（PDF）")
_LINE = _c("line", "INTEGER", "所在行（文本、网页）")
_BOX = (
    _c("x0", "DOUBLE", "所在框左（PDF 点，自页面左上角）"),
    _c("top", "DOUBLE", "所在框上"),
    _c("x1", "DOUBLE", "所在框右"),
    _c("bottom", "DOUBLE", "所在框下"),
)
_MONEY = "DECIMAL(20,4)"  # 万元 is printed with up to 4 decimals
_YUAN = "DECIMAL(22,2)"

DOCUMENTS = Resource(
    "documents",
    "文档",
    "每份文档一行：类型、单位、地区、年度、页数、格式、处理结果；无法读取、超时或崩溃的文档也是一行，"
    "写明原因。",
    (
        _SHA,
        _c("path", "VARCHAR", "文件路径（相对于输入目录或清单）"),
        _c("other_paths", "VARCHAR", "内容相同的其他文件（以“；”分隔）"),
        _c("file_name", "VARCHAR", "文件名"),
        _c("format", "VARCHAR", "格式：pdf、text、html、docx、doc、xlsx、xls、json"),
        _c("bytes", "BIGINT", "文件大小（字节）"),
        _c("pages", "INTEGER", "页数（PDF；其他格式为空）"),
        _c(
            "status",
            "VARCHAR",
            "audited 已审核 | recorded 已记录（非决算：预算、绩效等）| error 未能处理",
        ),
        _c(
            "error_kind",
            "VARCHAR",
            "unreadable 无法读取 | timeout 超时 | memory 超出内存 | crash 崩溃",
        ),
        _c("error", "VARCHAR", "未能处理的原因"),
        _c("kind", "VARCHAR", "文档类型：部门决算、单位决算、部门预算、单位预算、绩效评价、其他"),
        _c("unit", "VARCHAR", "单位名称（清单给出的优先，否则为文档所印）"),
        _c("unit_printed", "VARCHAR", "文档所印单位名称"),
        _c("unit_key", "VARCHAR", "跨年度比较用的单位名称（规范化后）"),
        _c("region", "VARCHAR", "地区（清单给出，或由单位名称推断）"),
        _c("region_source", "VARCHAR", "manifest 清单 | unit_name 由单位名称推断 | 空 未知"),
        _c("year", "INTEGER", "年度"),
        _c("unit_kind", "VARCHAR", "单位性质"),
        _c("tables_present", "VARCHAR", "有数据的表（01…09，以“,”分隔）"),
        _c("tables_empty", "VARCHAR", "印有空表的表"),
        _c("tables_missing", "VARCHAR", "未呈现或仅有标题的表"),
        _c("sections", "INTEGER", "情况说明的节数"),
        _c("cells", "INTEGER", "读到的金额单元格数"),
        _c("claims", "INTEGER", "情况说明中的数字数"),
        _c("errors", "INTEGER", "错误条数（未说明的）"),
        _c("warnings", "INTEGER", "警告条数"),
        _c("notices", "INTEGER", "提示条数"),
        _c("infos", "INTEGER", "信息条数"),
        _c(
            "completeness",
            "DOUBLE",
            "公开完整性得分（0–1，财预〔2016〕143号要求的各项中具备的比例）",
        ),
        _c("prior_sha256", "VARCHAR", "比较所用的上年报告（其 sha256）"),
        _c("prior_path", "VARCHAR", "上年报告的路径"),
        _c(
            "prior_method",
            "VARCHAR",
            "manifest 清单指定 | matched 自动匹配（同单位、同地区、上一年度）",
        ),
        _c("prior_confidence", "DOUBLE", "匹配的可信度（0–1）"),
        _c("prior_note", "VARCHAR", "匹配说明（未采用时写明原因）"),
        _c("reader_notes", "VARCHAR", "读取说明（以“；”分隔）"),
        _c("seconds", "DOUBLE", "处理用时（秒）"),
        _c("peak_mb", "DOUBLE", "处理进程的内存峰值（MB）"),
        _c("juesuan_version", "VARCHAR", "处理所用的 juesuan 版本"),
    ),
    ("sha256",),
)

CELLS = Resource(
    "cells",
    "表格单元格",
    "九张公开表中读到的每个金额单元格（空白单元格也列出，value 为空），带出处（页、框或行）。",
    (
        _SHA,
        _c("table_id", "VARCHAR", "表号 01…09"),
        _c("table_title", "VARCHAR", "表名（如所印）"),
        _c("unit", "VARCHAR", "金额单位：元 或 万元"),
        _c("row_key", "VARCHAR", "行：科目编码或规定的行名"),
        _c("row_label", "VARCHAR", "行名（如所印）"),
        _c("code", "VARCHAR", "科目编码"),
        _c("level", "VARCHAR", "类、款、项"),
        _c("side", "VARCHAR", "收入或支出（01、04 表）"),
        _c("column_name", "VARCHAR", "列（规定的列名）"),
        _c("value", _MONEY, "金额（按所印）"),
        _c("decimals", "INTEGER", "所印小数位数"),
        _c("value_yuan", _YUAN, "金额折合为元"),
        _PAGE,
        _LINE,
        *_BOX,
    ),
)

PRINTED_CELLS = Resource(
    "printed_cells",
    "其他表格",
    "九张公开表以外所印的表（预算表、绩效自评表、政府采购情况表等）的每个单元格文字。",
    (
        _SHA,
        _c("table_index", "INTEGER", "文档中的第几张其他表（从 1 起）"),
        _c("table_title", "VARCHAR", "表名（如所印）"),
        _c("unit", "VARCHAR", "金额单位"),
        _c("row_index", "INTEGER", "行（从 1 起）"),
        _c("column_index", "INTEGER", "列（从 1 起）"),
        _c("text", "VARCHAR", "所印文字"),
        _PAGE,
    ),
)

CLAIMS = Resource(
    "claims",
    "情况说明中的数字",
    "情况说明中所述的每个数字及其核对结果：verified 已核实、wrong 有误、notice 仅舍入差异、"
    "unverified 无可比对（从不猜测）。",
    (
        _SHA,
        _c("ordinal", "INTEGER", "在情况说明中的次序（从 1 起）"),
        _c("section", "VARCHAR", "节（一…十三，或部分）"),
        _c("subject", "VARCHAR", "所述对象（数字前的词）"),
        _c("text", "VARCHAR", "数字如所印（如 217.02万元）"),
        _c(
            "kind",
            "VARCHAR",
            "amount 金额 | change 增减额 | rate 增减率 | share 占比 | completion 完成率"
            " | percent 其他百分比 | count 个数",
        ),
        _c("value", _MONEY, "数值（按所印）"),
        _c("decimals", "INTEGER", "所印小数位数"),
        _c("unit", "VARCHAR", "单位（万元、元、%、个…）"),
        _c("value_yuan", _YUAN, "金额折合为元（金额、增减额）"),
        _c("status", "VARCHAR", "verified | wrong | notice | unverified"),
        _c("link", "VARCHAR", "与之比对的内容"),
        _c("rules", "VARCHAR", "报告此数的规则（以“,”分隔）"),
        _c("sentence", "VARCHAR", "原句"),
        _PAGE,
        _LINE,
    ),
)

FINDINGS = Resource(
    "findings",
    "审核结果",
    "每条审核结果：规则、严重程度、中文说明、位置（表、行、列或节）及出处。",
    (
        _SHA,
        _c("rule_id", "VARCHAR", "规则编号（见 docs/rules.md）"),
        _c("severity", "VARCHAR", "error 错误 | warning 警告 | notice 提示 | info 信息"),
        _c("message", "VARCHAR", "说明"),
        _c("table_id", "VARCHAR", "表号"),
        _c("row_key", "VARCHAR", "行"),
        _c("row_label", "VARCHAR", "行名（如所印）"),
        _c("column_name", "VARCHAR", "列"),
        _c("section", "VARCHAR", "情况说明的节"),
        _c("quote", "VARCHAR", "所涉原句"),
        _c("expected", "VARCHAR", "应为"),
        _c("found", "VARCHAR", "实为"),
        _c("difference", "VARCHAR", "相差"),
        _c("tolerance", "VARCHAR", "容差"),
        _PAGE,
        _LINE,
        *_BOX,
    ),
)

COMPLETENESS = Resource(
    "completeness",
    "公开完整性",
    "每份决算对照财预〔2016〕143号要求公开的各项：是否具备（为空：不适用）；"
    "要求见 juesuan/corpus/data/completeness.toml。",
    (
        _SHA,
        _c("item_id", "VARCHAR", "要求项编号"),
        _c("item", "VARCHAR", "要求项"),
        _c("present", "BOOLEAN", "是否具备"),
        _c("basis", "VARCHAR", "依据"),
    ),
)

RESOURCES: tuple[Resource, ...] = (DOCUMENTS, CELLS, PRINTED_CELLS, CLAIMS, FINDINGS, COMPLETENESS)
BY_NAME = {r.name: r for r in RESOURCES}


def descriptor(name: str, title: str) -> dict[str, object]:
    """The Frictionless data package descriptor (``datapackage.json``) of the dataset: one
    Parquet resource per table of :data:`RESOURCES`, each with its table schema; every table
    but ``documents`` refers to a document by its ``sha256``."""
    resources: list[dict[str, object]] = []
    for r in RESOURCES:
        schema: dict[str, object] = {
            "fields": [
                {"name": c.name, "type": c.frictionless, "description": c.description}
                for c in r.columns
            ],
        }
        if r.primary_key:
            schema["primaryKey"] = list(r.primary_key)
        if r is not DOCUMENTS:
            schema["foreignKeys"] = [
                {"fields": "sha256", "reference": {"resource": "documents", "fields": "sha256"}}
            ]
        resources.append(
            {
                "name": r.name,
                "title": r.title,
                "description": r.description,
                "path": f"{r.name}.parquet",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "resources": resources,
    }
