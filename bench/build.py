"""How long writing the published package takes (target: 5 s for the whole package).

Run from the repository root: ``python bench/build.py``. Builds the seed-002 disclosure (the
焦作 2021 report with its 情况说明 and a 2020 comparison) once, then times each output alone
and the whole ``write_package``, in a fresh process each so that import costs (matplotlib,
WeasyPrint, python-docx) are counted as a user meets them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 5.0

_SETUP = """
import sys, time, json
from decimal import Decimal as D
from pathlib import Path
sys.path.insert(0, {src!r})
from juesuan.model.disclosure import Disclosure, PriorYear
from juesuan.model.report import NarrativeSection
from juesuan.readers.text import read_text
path = Path({example!r})
report = read_text(path.read_bytes(), path)
d = Disclosure(
    report,
    overview=(NarrativeSection("一", "部门职责", "负责劳动保障信息系统的规划、设计、建设。"),),
    explanations=report.sections,
    glossary=(("财政拨款收入", "单位从同级政府财政部门取得的财政预算资金。"),),
    prior=PriorYear(2020, {{"收入总计": D("2080384.18"), "支出总计": D("2080384.18"),
        "财政拨款收入总计": D("2080314.34"), "财政拨款支出总计": D("2080314.34")}}),
)
out = Path({out!r})
out.mkdir(parents=True, exist_ok=True)
(out / "figures").mkdir(exist_ok=True)
"""

_STEPS = {
    "xlsx": """
from juesuan.writers.xlsx import write_tables_xlsx
t = time.perf_counter(); write_tables_xlsx(report, out / "公开表.xlsx")
""",
    "charts": """
from juesuan.writers.charts import make_charts
t = time.perf_counter(); make_charts(d, out / "figures")
""",
    "html": """
from juesuan.writers.charts import make_charts
figs = make_charts(d, out / "figures")
from juesuan.writers.html import write_html
t = time.perf_counter(); write_html(d, out / "index.html", figs)
""",
    "pdf": """
from juesuan.writers.charts import make_charts
from juesuan.writers.html import write_html
figs = make_charts(d, out / "figures")
html = write_html(d, out / "index.html", figs)
from juesuan.writers.pdf import write_pdf
t = time.perf_counter(); write_pdf(html, out / "决算公开.pdf", out)
""",
    "docx": """
from juesuan.writers.charts import make_charts
figs = make_charts(d, out / "figures")
from juesuan.writers.docx import write_docx
t = time.perf_counter(); write_docx(d, out / "决算公开.docx", figs)
""",
    "write_package": """
from juesuan.writers import write_package
t = time.perf_counter(); write_package(d, out)
""",
}


def run(step: str, out: Path) -> float:
    example = ROOT / "src" / "juesuan" / "examples" / "jiaozuo-2021.txt"
    code = _SETUP.format(src=str(ROOT / "src"), example=str(example), out=str(out))
    code += _STEPS[step] + "\nprint(json.dumps(time.perf_counter() - t))\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return float(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    print("seed 002 (焦作市劳动保障信息中心 2021), fresh process per output, imports included")
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="juesuan-bench-") as tmp:
        for step in _STEPS:
            times[step] = run(step, Path(tmp) / step)
    for step, seconds in times.items():
        print(f"  {step:<14} {seconds:6.2f} s")
    total = times["write_package"]
    ratio = total / TARGET_SECONDS
    print(f"whole package {total:.2f} s; target {TARGET_SECONDS:.0f} s; ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
