"""PDF reader: text in reading order with its page, ruled tables as tables, laid out for the
text reader.

Per page, ruled tables are found from their lines (pdfplumber's lattice finder); a cell's text
wrapped over several lines is joined into one cell. The text outside the tables is read line by
line and the lines are joined into paragraphs by their geometry: a paragraph ends where a line
stops short of the right margin, where the next line is indented or set apart by extra space.
Lines that repeat at the top or bottom of most pages (running heads, footers) and page numbers
are dropped. A paragraph cut by a page break is joined again when the page ends on a full line
and the next page does not start a new paragraph; a table cut by a page break is one table, a
row cut by it one row, and a repeated header row is read once.

Every stretch of text records its 1-based page. A PDF without a text layer (a scan) is refused
with its own error: reading it needs OCR, which this tool does not do.

Lost: the order of multi-column pages, unruled tables (read as lines of text), text in images.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter
from dataclasses import dataclass, field

import regex

from ..errors import InputError, InputErrorCode
from ..models.document import SourceRef
from .layout import Layout, Piece, join_wrapped
from .numbering import match_marker
from .text import cell_number

_PAGE_NUMBER = regex.compile(
    r"^[\s\u3000]*(?:[-—－–]?\s*\d{1,4}\s*[-—－–]?|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[\s\u3000]*$",
    regex.IGNORECASE,
)
_CODE = regex.compile(r"^\d{3,}")  # a classification code opens a row
_BAND = 0.09  # top and bottom share of the page where running heads and footers sit
_MAX_PAGES = 3000
_SENTENCE_END = "。！？!?；;：:"


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class _Table:
    page: int
    top: float
    bottom: float
    rows: list[list[str | None]]
    row_tops: list[float] = field(default_factory=list)


def layout_pdf(data: bytes, *, path: str | None, max_bytes: int) -> Layout:
    if len(data) > max_bytes:
        raise InputError(InputErrorCode.TOO_LARGE, f"{len(data):,} bytes > {max_bytes:,}", path=path)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise InputError(InputErrorCode.ENCRYPTED, f"encrypted PDF ({type(exc).__name__})", path=path) from None
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise InputError(InputErrorCode.MALFORMED, f"unreadable PDF: {type(exc).__name__}: {exc}".rstrip(": "), path=path) from None
    if not pages:
        raise InputError(InputErrorCode.MALFORMED, "the PDF has no pages", path=path)
    if len(pages) > _MAX_PAGES:
        raise InputError(InputErrorCode.TOO_LARGE, f"{len(pages):,} pages > {_MAX_PAGES:,}", path=path)
    try:
        with pdf:
            content = [_read_page(page, number) for number, page in enumerate(pages, start=1)]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(InputErrorCode.MALFORMED, f"unreadable PDF: {type(exc).__name__}: {exc}".rstrip(": "), path=path) from None
    if not any(lines or tables for lines, tables, _ in content):
        raise InputError(InputErrorCode.NO_TEXT_LAYER, f"{len(pages)} page(s), no text", path=path)
    furniture = _furniture(content)
    return _lay_out(content, furniture)


def _read_page(page, number: int) -> tuple[list[_Line], list[_Table], tuple[float, float]]:
    tables: list[_Table] = []
    boxes = []
    for found in page.find_tables():
        rows = found.extract()
        if not rows or max(len(row) for row in rows) < 2:
            continue
        tables.append(_Table(number, found.bbox[1], found.bbox[3], rows, [row.bbox[1] for row in found.rows]))
        boxes.append(found.bbox)

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = []
    for raw in text_page.extract_text_lines(strip=True, return_chars=True):
        text = raw["text"]
        if not text.strip():
            continue
        sizes = [c.get("size", 0) for c in raw["chars"] if c.get("text", "").strip()]
        lines.append(_Line(number, text, raw["x0"], raw["x1"], raw["top"], raw["bottom"], statistics.median(sizes) if sizes else 10.0))
    return lines, tables, (float(page.width), float(page.height))


def _shape(text: str) -> str:
    return regex.sub(r"\d+", "#", regex.sub(r"\s+", "", text))


def _furniture(content) -> set[tuple[int, int]]:
    """(page, line index) of running heads, footers and page numbers."""
    in_band: list[tuple[int, int, str]] = []
    for page_index, (lines, _, (_, height)) in enumerate(content):
        for i, line in enumerate(lines):
            if line.top < height * _BAND or line.bottom > height * (1 - _BAND):
                in_band.append((page_index, i, _shape(line.text)))
    pages = len(content)
    seen = Counter(shape for _, _, shape in {(p, 0, s) for p, _, s in in_band})
    drop = set()
    for page_index, i, shape in in_band:
        line = content[page_index][0][i]
        repeated = pages >= 3 and seen[shape] >= max(2, pages // 2)
        if repeated or _PAGE_NUMBER.match(line.text):
            drop.add((line.page, i))
    return drop


def _lay_out(content, furniture: set[tuple[int, int]]) -> Layout:
    layout = Layout()
    all_lines = [line for lines, _, _ in content for line in lines]
    left = _mode([round(line.x0) for line in all_lines]) if all_lines else 0
    right = max((line.x1 for line in all_lines), default=0)
    paragraph: list[_Line] = []
    open_table: list[list[Piece]] | None = None  # rows of the table still open at a page break
    open_width = 0
    table_index = -1
    last_kind = None

    def flush_paragraph() -> None:
        if not paragraph:
            return
        pieces: list[Piece] = []
        for line in paragraph:
            text = line.text.strip()
            if pieces and _needs_space(pieces[-1][0], text):
                pieces.append((" ", None))
            pieces.append((text, SourceRef(page=line.page)))
        layout.paragraph(pieces)
        paragraph.clear()

    def flush_table() -> None:
        nonlocal open_table
        if open_table:
            layout.table([[[piece] for piece in row] for row in open_table])
        open_table = None

    for lines, tables, _ in content:
        page_lines = [line for i, line in enumerate(lines) if (line.page, i) not in furniture]
        items = [(line.top, "line", line) for line in page_lines] + [(table.top, "table", table) for table in tables]
        items.sort(key=lambda item: item[0])
        first_on_page = True
        for _, kind, item in items:
            if kind == "table":
                flush_paragraph()
                rows = [[_cell_text(cell) for cell in row] for row in item.rows]
                width = max(len(row) for row in rows)
                if first_on_page and open_table is not None and width == open_width and last_kind == "table":
                    rows = _continue_table(open_table, rows, item.page, table_index)
                else:
                    flush_table()
                    table_index += 1
                    open_table, open_width = [], width
                for row in rows:
                    open_table.append([(text, SourceRef(page=item.page, table=table_index, row=len(open_table), col=c)) for c, text in enumerate(row)])
                last_kind = "table"
            else:
                line = item
                if open_table is not None:
                    flush_table()
                if paragraph and _starts_paragraph(paragraph[-1], line, left, right, first_on_page):
                    flush_paragraph()
                paragraph.append(line)
                last_kind = "line"
            first_on_page = False
    flush_paragraph()
    flush_table()
    return layout


def _cell_text(cell: str | None) -> str:
    return join_wrapped(cell.split("\n")) if cell else ""


def _continue_table(open_table: list[list[Piece]], rows: list[list[str]], page: int, table_index: int) -> list[list[str]]:
    """The rows of a table's next page, less a repeated header, with a row cut by the page break
    joined to its first part."""
    previous = [[text for text, _ in row] for row in open_table]
    while rows and previous and rows[0] in previous[:3] and rows[0] != previous[-1]:
        rows = rows[1:]  # a header row repeated at the top of the page
    if rows and previous:
        last, first = previous[-1], rows[0]
        # A row cut by the page break: its short cells (a number, a code) fit above, so the part
        # below has text only where the row above has text, and none of it opens a row.
        continuing = [text for text in first if text]
        cut = (
            not first[0]
            and {c for c, text in enumerate(first) if text} <= {c for c, text in enumerate(last) if text}
            and all(cell_number(text) is None and not match_marker(text) and not _CODE.match(text) for text in continuing)
        )
        if cut:
            merged = open_table[-1]
            for c, text in enumerate(first):
                if text:
                    joined = join_wrapped([merged[c][0], text])
                    merged[c] = (joined, merged[c][1])
            rows = rows[1:]
    return rows


def _needs_space(previous: str, text: str) -> bool:
    return bool(join_wrapped([previous[-1:], text[:1]]).count(" "))


def _starts_paragraph(previous: _Line, line: _Line, left: float, right: float, first_on_page: bool) -> bool:
    """Does `line` begin a new paragraph rather than carry on the one `previous` is in?"""
    size = max(previous.size, 1.0)
    tail = previous.text.rstrip()
    if previous.x1 < right - 1.5 * size:
        return True  # the previous line stopped short: its paragraph ended there
    if line.x0 > left + 0.8 * line.size:
        return True  # first-line indent, or a centred heading
    if abs(line.size - previous.size) > 1.0:
        return True  # a heading set in another size
    if first_on_page:
        # Across a page break: a full line carries on unless it closed a sentence.
        return not tail or tail[-1] in _SENTENCE_END
    return line.top - previous.bottom > 0.6 * size


def _mode(values: list[int]) -> int:
    return Counter(values).most_common(1)[0][0]
