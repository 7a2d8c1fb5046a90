"""HTML pages (lxml.html): tables and the text around them.

The page is walked in document order. Text outside data tables becomes paragraphs (a block
element or ``<br>`` ends one); a ``<table>`` without nested tables is a data table, a table that
contains tables is page layout and is walked like a ``<div>``. In a data table ``rowspan`` and
``colspan`` are expanded to the grid positions the text format uses: the text at the first
(top-left) position, the spanned positions empty. A cell's text is all its text joined without
separators, so a number split across tags (``2,170,<span>014</span>.34``) is one number again;
runs of whitespace become one space. Scripts, styles and comments are ignored.

Encoding: the BOM, else the ``<meta charset>`` (GB2312 and GBK are read as their superset
GB18030), else UTF-8 when valid, else charset-normalizer's guess.

Provenance: ``Source(file=path, line=n)`` where ``n`` is the line of the HTML file on which the
element (the ``<td>``/``<th>`` of a cell, the element holding a paragraph) starts.

Images (``<img>``) embedded in the page (``data:`` URIs) or saved beside it (a relative path
to a file in the page's folder) are read by OCR where they hold a table or the page is little
else (:mod:`juesuan.readers.image`); an image on a web server is never fetched.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from juesuan.errors import InputError
from juesuan.limits import Limits, resolve
from juesuan.model.report import Report
from juesuan.model.source import Source
from juesuan.readers.blocks import Block, Paragraph, TableBlock
from juesuan.readers.layout import GridCell
from juesuan.readers.ocr import OcrOptions

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_BLOCK_TAGS = frozenset(
    (
        *("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd"),
        *("section", "article", "header", "footer", "nav", "aside", "main", "blockquote"),
        *("pre", "address", "center", "form", "fieldset", "figure", "figcaption", "hr"),
        *("title", "caption", "tr", "td", "th", "body", "html"),
    )
)
_SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "head"))
_SPACES = re.compile(r"\s+")


def decode_html(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    m = _META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        name = _SUPERSETS.get(name, name)
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(path, "not an HTML page (unknown encoding or binary content)")
    encoding = _SUPERSETS.get(best.encoding.lower(), best.encoding)
    return data.decode(encoding, errors="replace")


def read_html(
    data: bytes, path: Path, *, limits: Limits | None = None, ocr: OcrOptions | None = None
) -> Report:
    from juesuan.readers.image import assemble_with_images

    images: list[tuple[int, bytes, int | None]] = []
    blocks = html_blocks(data, path, limits, images)
    return assemble_with_images(blocks, images, path, ocr, "HTML page")


def html_blocks(
    data: bytes,
    path: Path,
    limits: Limits | None = None,
    images: list[tuple[int, bytes, int | None]] | None = None,
) -> list[Block]:
    """The page's blocks; its local and embedded images go to ``images`` as (index of the block
    before them, image bytes, line)."""
    import lxml.etree
    import lxml.html

    text = decode_html(data, path)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(path, f"not a readable HTML page ({exc})") from None
    _check_depth(root, path, resolve(limits))
    walker = _Walker(str(path), path.parent if images is not None else None)
    walker.walk(root)
    walker.flush()
    if images is not None:
        images.extend(walker.images)
    return walker.blocks


def _check_depth(root: Any, path: Path, limits: Limits) -> None:
    """The walk below recurses per element: refuse pages nested deeper than ``xml_depth``
    (real pages nest 20–40 deep, layout tables included)."""
    import lxml.etree

    depth = 0
    for event, _ in lxml.etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > limits.xml_depth:
                raise limits.exceeded(path, "xml_depth", "elements nested too deep")
        else:
            depth -= 1


def _image_bytes(src: str, folder: Path) -> bytes | None:
    """An image's bytes from a ``data:`` URI or a file in the page's folder; None for anything
    on a server (never fetched) or missing."""
    import base64
    import binascii
    from urllib.parse import unquote, urlparse

    src = src.strip()
    if src.startswith("data:"):
        head, _, payload = src.partition(",")
        if ";base64" not in head:
            return None
        try:
            return base64.b64decode(payload, validate=False)
        except (binascii.Error, ValueError):
            return None
    url = urlparse(src)
    if url.scheme not in ("", "file") or url.netloc:
        return None
    target = (folder / unquote(url.path)).resolve()
    try:
        if folder.resolve() not in target.parents or not target.is_file():
            return None
        return target.read_bytes()
    except OSError:
        return None


def _text(el: Any) -> str:
    parts: list[str] = []

    def visit(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS:
            pass
        elif tag == "br":
            parts.append(" ")
        elif tag:
            if node.text:
                parts.append(node.text)
            for child in node:
                visit(child)
        if node is not el and node.tail:
            parts.append(node.tail)

    visit(el)
    return _SPACES.sub(" ", "".join(parts)).strip()


class _Walker:
    def __init__(self, file: str, folder: Path | None = None) -> None:
        self.file = file
        self.folder = folder  # where a page's own images are; None: images are not collected
        self.images: list[tuple[int, bytes, int | None]] = []
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.line: int | None = None

    def source(self, el: Any) -> Source:
        line = getattr(el, "sourceline", None)
        return Source(file=self.file, line=line if isinstance(line, int) else None)

    def flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.buffer)).strip()
        if text:
            self.blocks.append(Paragraph(text, Source(file=self.file, line=self.line)))
        self.buffer = []
        self.line = None

    def add(self, text: str | None, el: Any) -> None:
        if text:
            if self.line is None and text.strip():
                line = getattr(el, "sourceline", None)
                self.line = line if isinstance(line, int) else None
            self.buffer.append(text)

    def walk(self, el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP_TAGS:
            self.add(el.tail, el)
            return
        if tag == "table" and not el.xpath(".//table"):
            self.flush()
            self.blocks.append(self.table(el))
            self.add(el.tail, el)
            return
        if tag == "img" and self.folder is not None:
            data = _image_bytes(el.get("src") or "", self.folder)
            if data:
                self.flush()
                line = getattr(el, "sourceline", None)
                self.images.append(
                    (len(self.blocks) - 1, data, line if isinstance(line, int) else None)
                )
        block = tag in _BLOCK_TAGS
        if block or tag == "br":
            self.flush()
        if tag != "br":
            self.add(el.text, el)
            for child in el:
                self.walk(child)
        if block:
            self.flush()
        self.add(el.tail, el)

    def table(self, table: Any) -> TableBlock:
        rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        grid: dict[tuple[int, int], GridCell] = {}
        width = 0
        for r, tr in enumerate(rows):
            c = 0
            for td in tr.xpath("./td|./th"):
                while (r, c) in grid:
                    c += 1
                rs = _span(td.get("rowspan"))
                cs = _span(td.get("colspan"))
                source = self.source(td)
                for dr in range(rs):
                    for dc in range(cs):
                        grid[(r + dr, c + dc)] = GridCell("", source)
                grid[(r, c)] = GridCell(_text(td), source)
                c += cs
                width = max(width, c)
        out: list[list[GridCell]] = []
        for r, tr in enumerate(rows):
            blank = GridCell("", self.source(tr))
            out.append([grid.get((r, c), blank) for c in range(width)])
        return TableBlock(out, self.source(table))


def _span(value: str | None) -> int:
    try:
        n = int((value or "1").strip())
    except ValueError:
        return 1
    return min(max(n, 1), 1000)
