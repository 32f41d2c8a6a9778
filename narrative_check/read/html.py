"""Web page (.html) reader: the report body of a government page, laid out for the text reader.

The charset comes from the page (BOM, <meta charset>, <meta http-equiv>) and is otherwise
detected as for text files. Scripts, styles, navigation, headers, footers and forms are
dropped; of what remains, the element holding most of the text is the report body (a page's
article, or the whole body when nothing stands out). Block elements and <br> end lines;
<table> is read as a table on its grid — a cell spanning rows or columns keeps its text in its
first position and leaves the others empty — unless it only lays the page out (it holds another
table). A <caption> is written as the table's title line.

Lost: pages (a web page has none), images, text drawn by scripts.
"""

from __future__ import annotations

import codecs
from functools import lru_cache

import regex

from ..errors import InputError, InputErrorCode
from ..lexicons import words
from ..models.document import SourceRef
from .decode import decode
from .layout import Layout, Piece, join_wrapped

_META_CHARSET = regex.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", regex.IGNORECASE
)
_DROP = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, select, object, [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true]"
_BLOCK = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "blockquote", "pre", "address", "center", "figure", "figcaption", "hr", "tr",
    "body", "caption",
}
_HEADING = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_MAX_SPAN = 200  # a colspan/rowspan beyond this is a broken page, not a table


def layout_html(data: bytes, *, path: str | None, max_bytes: int) -> tuple[Layout, str]:
    text, encoding = _decode(data, path=path, max_bytes=max_bytes)
    from selectolax.lexbor import LexborHTMLParser

    try:
        tree = LexborHTMLParser(text)
        body = tree.body
    except Exception as exc:  # the parser's own failures on hostile input
        raise InputError(InputErrorCode.MALFORMED, f"unreadable HTML: {exc}", path=path) from None
    if body is None or not body.text(strip=True):
        raise InputError(InputErrorCode.NO_NARRATIVE, "the HTML page has no body text", path=path)
    for node in body.css(_DROP):
        node.decompose()
    furniture = _furniture_words()
    for node in body.css("[class], [id]"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower()
        if furniture.search(names) and node.tag not in ("body", "html"):
            node.decompose()
    root = _report_body(body)
    walker = _Walker()
    walker.block(root)
    walker.flush()
    if not walker.layout.text.strip():
        raise InputError(InputErrorCode.NO_NARRATIVE, "the HTML page has no report text", path=path)
    return walker.layout, encoding


@lru_cache(maxsize=1)
def _furniture_words() -> regex.Pattern:
    """Class or id words of page furniture, whole words of a class or id ("nav", "foot-links")."""
    alternatives = "|".join(regex.escape(word.lower()) for word in words("html_furniture.tsv"))
    return regex.compile(rf"(?:^|[\s_-])(?:{alternatives})(?:$|[\s_-])")


def _decode(data: bytes, *, path: str | None, max_bytes: int) -> tuple[str, str]:
    declared = None
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
    if declared:
        if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80"):
            declared = "gb18030"  # pages labelled GB2312 use GBK characters; GB18030 reads both
        try:
            codecs.lookup(declared)
        except LookupError:
            declared = None
    if declared and declared not in ("utf-8", "utf8"):
        if len(data) > max_bytes:
            raise InputError(InputErrorCode.TOO_LARGE, f"{len(data):,} bytes > {max_bytes:,}", path=path)
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            text = None  # a wrong label: fall back to detection
        if text is not None:
            if not text.strip():
                raise InputError(InputErrorCode.EMPTY, path=path)
            return text, declared
    return decode(data, path=path, max_bytes=max_bytes)


def _text_length(node) -> int:
    return len(regex.sub(r"\s+", "", node.text(strip=True) or ""))


def _report_body(body):
    """The element holding the report: the smallest one with most of the page's text."""
    total = _text_length(body)
    best = body
    while True:
        children = [c for c in best.iter() if c.tag not in ("-text", "-comment")]
        if not children:
            return best
        lengths = [(_text_length(c), c) for c in children]
        length, child = max(lengths, key=lambda item: item[0])
        # Descend while one child holds nearly all the text (a wrapper around the article).
        if length >= 0.9 * _text_length(best) and length >= 0.5 * total and child.tag != "table":
            best = child
            continue
        return best


class _Walker:
    def __init__(self) -> None:
        self.layout = Layout()
        self.pieces: list[str] = []
        self.heading: int | None = None
        self.tables = 0

    def flush(self) -> None:
        text = "".join(self.pieces)
        self.pieces = []
        text = regex.sub(r"[ \t\r\n\f\v]+", " ", text).strip(" ")
        if text:
            prefix = "#" * self.heading + " " if self.heading else ""
            self.layout.paragraph([(prefix + text, None)])
        self.heading = None

    def block(self, node) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self.pieces.append(child.text(deep=False) or "")
            elif tag == "-comment":
                continue
            elif tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in _BLOCK:
                self.flush()
                if tag in _HEADING:
                    self.heading = _HEADING[tag]
                self.block(child)
                self.flush()
            else:
                self.block(child)  # inline: its text runs on

    def table(self, node) -> None:
        rows = [tr for tr in node.css("tr") if _owner_table(tr).mem_id == node.mem_id]
        if any(inner.mem_id != node.mem_id for inner in node.css("table")) or not rows:
            self.block(node)  # a layout table: read its cells as the page's blocks
            return
        caption = node.css_first("caption")
        if caption is not None:
            self.layout.paragraph([(caption.text(separator=" ", strip=True), None)])
        index = self.tables
        self.tables += 1
        grid: dict[tuple[int, int], list[Piece]] = {}
        covered: set[tuple[int, int]] = set()
        width = 0
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr.iter():
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in covered:
                    grid.setdefault((r, c), [("", SourceRef(table=index, row=r, col=c))])
                    c += 1
                colspan = _span(cell.attributes.get("colspan"))
                rowspan = _span(cell.attributes.get("rowspan"))
                grid[(r, c)] = [(_cell_text(cell), SourceRef(table=index, row=r, col=c))]
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if dr or dc:
                            covered.add((r + dr, c + dc))
                            grid.setdefault((r + dr, c + dc), [("", SourceRef(table=index, row=r + dr, col=c + dc))])
                c += colspan
                width = max(width, c)
        layout_rows = [[grid.get((r, c), [("", SourceRef(table=index, row=r, col=c))]) for c in range(width)] for r in range(len(rows))]
        self.layout.table(layout_rows)


def _owner_table(tr):
    node = tr.parent
    while node is not None and node.tag != "table":
        node = node.parent
    return node


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    lines: list[str] = []
    current: list[str] = []

    def walk(node) -> None:
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                current.append(child.text(deep=False) or "")
            elif child.tag == "br" or child.tag in _BLOCK:
                lines.append("".join(current))
                current.clear()
                walk(child)
                lines.append("".join(current))
                current.clear()
            elif child.tag != "-comment":
                walk(child)

    walk(cell)
    lines.append("".join(current))
    return join_wrapped([regex.sub(r"\s+", " ", line) for line in lines])
