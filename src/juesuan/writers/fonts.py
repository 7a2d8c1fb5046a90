"""Chinese fonts for the outputs (../shared/STACK.md §4).

- Charts (matplotlib) and HTML/PDF (WeasyPrint) name the Noto CJK SC faces directly.
- Word documents name 宋体/黑体 as their east-Asian fonts, as official templates do. When
  LibreOffice renders them (DOCX → PDF/PNG), ``templates/fonts.conf`` maps those names to Noto;
  it is set as ``FONTCONFIG_FILE`` only in the environment of that subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

TEMPLATES = Path(__file__).with_name("templates")
FONTCONFIG_FILE = TEMPLATES / "fonts.conf"

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
CHART_FONTS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei")
# The names a Word document carries (w:eastAsia); fonts.conf maps them to Noto.
DOCX_BODY = "宋体"
DOCX_HEADING = "黑体"


def fontconfig_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A copy of ``base`` (default: this process's environment) with FONTCONFIG_FILE set to the
    alias file. The current process's environment is not changed."""
    env = dict(os.environ if base is None else base)
    env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    return env


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(
    source: Path, outdir: Path, fmt: str = "pdf", timeout: float = 120
) -> Path:
    """Convert a DOCX/XLSX with headless LibreOffice, 宋体/黑体 rendered as Noto. Uses a
    private profile so that it neither needs nor touches the user's profile."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="juesuan-lo-") as profile:
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(source),
            ],
            env=fontconfig_env(),
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    out = outdir / (source.stem + "." + fmt)
    if not out.exists():
        raise RuntimeError(f"LibreOffice did not write {out.name}")
    return out
