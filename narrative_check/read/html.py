"""Web page (.html) reader: the report body of a government page, laid out for the text reader.

The charset comes from the page (BOM, <meta charset>, <meta http-equiv>) and is otherwise
detected as for text files; UTF-8, GB and single-byte labels are often wrong on Chinese pages,
so for them the bytes decide (UTF-8, else GB18030) and the label is the last resort. Scripts, styles, navigation, headers, footers and forms are
dropped; of what remains, the element holding most of the text is the report body (a page's
article, or the whole body when nothing stands out). Block elements and <br> end lines;
<table> is read as a table on its grid — a cell spanning rows or columns keeps its text in its
first position and leaves the others empty — unless it only lays the page out (it holds another
table, or its spans make a grid out of all proportion to its cells), when its cells are read as
blocks. A <caption> is written as the table's title line.

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
from .layout import MAX_SPAN, Layout, grid_out_of_proportion, join_wrapped

_META_CHARSET = regex.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", regex.IGNORECASE
)
_DROP = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, select, object, [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true]"
_BLOCK = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "blockquote", "pre", "address", "center", "figure", "figcaption", "hr", "tr",
    "body", "caption", "td", "th",
}
_HEADING = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Labels a page can only carry wrongly: a page decoded from bytes is never UTF-16/32 (HTML standard).
_UTF8_ALIASES = ("utf-16", "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be", "utf16", "utf32", "unicode")
_GB_LABELS = ("gb2312", "gbk", "x-gbk", "gb_2312-80", "gb18030", "cp936", "euc-cn")


def layout_html(data: bytes, *, path: str | None, max_bytes: int) -> tuple[Layout, str]:
    text, encoding = _decode(data, path=path, max_bytes=max_bytes)
    _refuse_deep_nesting(text, path)
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
        if furniture.search(names) and node.tag not in ("body", "html") and not _holds_content(node):
            node.decompose()
    root = _report_body(body)
    walker = _Walker()
    walker.block(root)
    walker.flush()
    if not walker.layout.text.strip():
        raise InputError(InputErrorCode.NO_NARRATIVE, "the HTML page has no report text", path=path)
    return walker.layout, encoding


# Elements nested deeper than this are refused before parsing: the parser's work grows faster
# than the depth (200,000 nested <div>s took 395 s), and so does finding the report body. A
# report page nests a few dozen deep, a generated one a few thousand; 10,000 take about 3 s.
_MAX_DEPTH = 10_000
# A table opens four levels: itself, its implied tbody, a row and a cell, which are not counted.
_TABLE_DEPTH = 4
_VOID = {
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
}
# Elements a sibling closes (<p>, <li>, <td> are often left open): counted, they would make a
# flat page look deep. A real nesting of them nests containers too (<ul>, <table>), counted.
_CLOSED_BY_SIBLINGS = {
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb", "rt", "rtc", "rp",
    "colgroup", "caption",
}
# Elements whose content is text up to their end tag, tags inside included; unclosed, to the end of the page.
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
_FOREIGN = {"svg", "math"}  # inside them "/>" closes an element, as in XML
# A tag without its ">" fails at the next "<", and possessive runs never give back what they
# took, so the scan stays linear whatever the page ("<a<a<a…" made a plain pattern cubic).
_TAG_OR_COMMENT = regex.compile(r"<!--|<(/?)([A-Za-z][^\t\n\f\r /<>]*+)([^<>]*+)>")


def _refuse_deep_nesting(text: str, path: str | None) -> None:
    """Refuse a page whose elements nest more than _MAX_DEPTH deep, from one pass over its tags
    (open tags less end tags, as the parser's stack of open elements goes), before the parser
    sees it. Comments and the content of raw-text elements hold no tags."""
    depth = foreign = 0
    position = 0
    while (match := _TAG_OR_COMMENT.search(text, position)) is not None:
        position = match.end()
        if match.group(0) == "<!--":
            end = text.find("-->", position)
            if end < 0:
                return  # the rest of the page is a comment
            position = end + 3
            continue
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or name in _CLOSED_BY_SIBLINGS:
            continue
        step = _TABLE_DEPTH if name == "table" else 1
        if closing:
            depth = max(depth - step, 0)
            if name in _FOREIGN:
                foreign = max(foreign - 1, 0)
            continue
        if rest.endswith("/") and (foreign or name in _FOREIGN):
            continue  # self-closed (an HTML element's "/>" is ignored: <div/> opens a div)
        depth += step
        if depth > _MAX_DEPTH:
            raise InputError(InputErrorCode.TOO_LARGE, f"elements nested more than {_MAX_DEPTH:,} deep", path=path)
        if name in _FOREIGN:
            foreign += 1
        elif name in _RAW_TEXT:
            end_tag = regex.compile(rf"</{name}[\t\n\f\r />]", regex.IGNORECASE).search(text, position)
            if end_tag is None:
                return  # the rest of the page is its text
            position = end_tag.start()  # its end tag is read next, as a closing tag


def _holds_content(node) -> bool:
    """A part of the report despite a furniture-like class: a table's own rows and cells
    ("table-header"), or a block holding a heading ("article-header" around the title)."""
    if node.tag in _HEADING or node.css_first("h1, h2, h3, h4, h5, h6") is not None:
        return True
    parent = node.parent
    while parent is not None:
        if parent.tag == "table":
            return True
        parent = parent.parent
    return False


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
    if declared in _UTF8_ALIASES:
        declared = "utf-8"
    if declared:
        try:
            info = codecs.lookup(declared)
        except LookupError:
            info = None
        # Only a text encoding can be a page's charset: zlib, base64, hex, rot13… are byte or
        # str transforms, and idna, punycode and undefined never decode a page.
        text_encoding = info is not None and info._is_text_encoding and info.name not in _NOT_PAGE_ENCODINGS
        declared = info.name if text_encoding else None
    if declared is None or declared == "utf-8" or declared in _GB_LABELS or _single_byte(declared):
        # UTF-8 and GB18030, the encodings of Chinese pages, are told apart by the bytes; a
        # single-byte label on a Chinese page is a wrong label (a GBK page marked iso-8859-1
        # would decode into Latin letters and hide every figure), so it is the last resort.
        try:
            return decode(data, path=path, max_bytes=max_bytes)
        except InputError as exc:
            if exc.code != InputErrorCode.ENCODING or declared is None or declared == "utf-8":
                raise
    if len(data) > max_bytes:
        raise InputError(InputErrorCode.TOO_LARGE, f"{len(data):,} bytes > {max_bytes:,}", path=path)
    try:
        text = data.decode(declared)
    except UnicodeError:
        return decode(data, path=path, max_bytes=max_bytes)  # a wrong label: detection decides
    if not text.strip():
        raise InputError(InputErrorCode.EMPTY, path=path)
    if "\x00" in text:
        raise InputError(InputErrorCode.BINARY, "NUL characters", path=path)
    return text, declared


_NOT_PAGE_ENCODINGS = {"idna", "punycode", "undefined", "raw-unicode-escape", "unicode-escape"}


def _single_byte(encoding: str) -> bool:
    """Does every byte decode to one character (iso-8859-*, windows-125*, koi8…)?"""
    try:
        return len(bytes(range(128, 256)).decode(encoding, "replace")) == 128
    except LookupError:
        return False


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


def _events(node, *, opens_table=lambda table: False):
    """The content of `node` in document order as ("text", node), ("br", node), ("table", node),
    ("open", block) and ("close", block) events. Walked with a stack of its own, not by
    recursion: pages nest elements thousands deep. A table `opens_table` refuses is walked
    as blocks (a layout table)."""
    stack = [(node.iter(include_text=True), None)]
    while stack:
        child = next(stack[-1][0], None)
        if child is None:
            _, block = stack.pop()
            if block is not None:
                yield "close", block
            continue
        tag = child.tag
        if tag == "-text":
            yield "text", child
        elif tag == "-comment":
            continue
        elif tag == "br":
            yield "br", child
        elif tag == "table" and opens_table(child):
            yield "table", child
        elif tag in _BLOCK or tag == "table":
            yield "open", child
            stack.append((child.iter(include_text=True), child))
        else:
            stack.append((child.iter(include_text=True), None))  # inline: its text runs on


class _Walker:
    def __init__(self) -> None:
        self.layout = Layout()
        self.pieces: list[str] = []
        self.heading: int | None = None
        self.tables = 0
        self.grids: dict[int, list[list[tuple[str, int, int]]]] = {}

    def flush(self) -> None:
        text = "".join(self.pieces)
        self.pieces = []
        text = regex.sub(r"[ \t\r\n\f\v]+", " ", text).strip(" ")
        if text:
            prefix = "#" * self.heading + " " if self.heading else ""
            self.layout.paragraph([(prefix + text, None)])
        self.heading = None

    def block(self, node) -> None:
        for event, child in _events(node, opens_table=self.data_table):
            if event == "text":
                self.pieces.append(child.text(deep=False) or "")
            elif event == "table":
                self.flush()
                self.table(child)
            else:
                self.flush()
                if event == "open" and child.tag in _HEADING:
                    self.heading = _HEADING[child.tag]

    def data_table(self, node) -> bool:
        """Is `node` a table of figures, rather than one laying the page out (it holds another
        table, or its spans make no grid)? Its grid is kept for `table`."""
        if any(inner.mem_id != node.mem_id for inner in node.css("table")):  # css() matches the node too
            return False
        rows = [tr for tr in node.css("tr") if _owner_table(tr).mem_id == node.mem_id]
        grid = _grid(rows) if rows else None
        if grid is None:
            return False
        self.grids[node.mem_id] = grid
        return True

    def table(self, node) -> None:
        grid = self.grids.pop(node.mem_id)
        caption = node.css_first("caption")
        if caption is not None:
            self.layout.paragraph([(caption.text(separator=" ", strip=True), None)])
        index = self.tables
        self.tables += 1
        self.layout.table([[[(text, SourceRef(table=index, row=r, col=c))] for text, r, c in row] for row in grid])


def _grid(rows) -> list[list[tuple[str, int, int]]] | None:
    """The table's grid: (text, row, column) for each position, a spanning cell's text in its
    first position and '' in those it covers; None when the spans are out of all proportion
    to the cells (a broken or hostile page)."""
    starts: dict[tuple[int, int], object] = {}
    spans: list[tuple[int, int, int]] = []  # (first column, end column, last row) of cells spanning down
    for r, tr in enumerate(rows):
        spans = sorted(span for span in spans if span[2] >= r)
        c = 0
        k = 0  # the first of `spans` not yet left behind; c only grows
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            while k < len(spans) and spans[k][0] <= c:  # past the cells above that span into this row
                c = max(c, spans[k][1])
                k += 1
            colspan = _span(cell.attributes.get("colspan"))
            # A rowspan runs to the table's end at most (rowspan=0 means exactly that).
            rowspan = _span(cell.attributes.get("rowspan"), zero=len(rows) - r)
            rowspan = min(rowspan, len(rows) - r)
            starts[(r, c)] = cell
            if rowspan > 1:
                spans.append((c, c + colspan, r + rowspan - 1))
            c += colspan
    if not starts:
        return None
    # Columns after the last one a cell starts in hold nothing: a wide colspan adds none.
    width = max(c for _, c in starts) + 1
    if grid_out_of_proportion(width * len(rows), len(starts)):
        return None
    return [
        [(_cell_text(starts[(r, c)]) if (r, c) in starts else "", r, c) for c in range(width)]
        for r in range(len(rows))
    ]


def _owner_table(tr):
    node = tr.parent
    while node is not None and node.tag != "table":
        node = node.parent
    return node


def _span(value: str | None, zero: int = 1) -> int:
    try:
        span = int(value or 1)
    except ValueError:
        return 1
    if span == 0:
        return zero
    return min(max(span, 1), MAX_SPAN)


def _cell_text(cell) -> str:
    lines: list[str] = []
    current: list[str] = []
    for event, child in _events(cell):
        if event == "text":
            current.append(child.text(deep=False) or "")
        else:  # a line or block boundary
            lines.append("".join(current))
            current.clear()
    lines.append("".join(current))
    return join_wrapped([regex.sub(r"\s+", " ", line) for line in lines])
