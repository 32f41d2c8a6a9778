"""PDF reader: text in reading order with its page, ruled tables as tables, laid out for the
text reader.

PDFium (pypdfium2) parses the file and gives each page's characters with their boxes and the
straight segments of its paths, turned as the page is displayed (/Rotate); pdfplumber's
geometry reads them: ruled tables are found from the ruling lines (its lattice finder), text
lines from the characters outside them. (pdfplumber's own parser, pdfminer, is pure Python:
nine tenths of the reading time went into parsing content streams, which PDFium does in C++.)
A cell's text wrapped over several lines is joined into one cell. The text outside the tables
is read line by line and the lines are joined into paragraphs by their geometry: a paragraph
ends where a line stops short of the right margin (that of the pages of its width: a landscape
table page has its own), where the next line is indented, set apart by more space than the
document's usual line step, or is a numbered item after a closed sentence.
Lines that repeat at the top or bottom of most pages (running heads, footers) and page numbers
are dropped. A paragraph cut by a page break is joined again when the page ends on a full line
and the next page does not start a new paragraph; a table cut by a page break is one table, a
row cut by it one row, and a repeated header row is read once.

Every stretch of text records its 1-based page. A PDF without a text layer (a scan) is refused
with its own error: reading it needs OCR, which this tool does not do.

Lost: the order of multi-column pages, unruled tables (read as lines of text), text in images.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import math
import statistics
import threading
import zlib
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import regex

from ..errors import InputError, InputErrorCode
from ..models.document import SourceRef
from .layout import Layout, Piece, join_wrapped
from .numbering import match_marker
from .text import MARGIN_PAGE_NUMBER, cell_number, closes_paragraph

_CODE = regex.compile(r"^\d{3,}")  # a classification code opens a row
_CODE_LENGTHS = (3, 5, 7)
_BAND = 0.09  # top and bottom share of the page where running heads and footers sit
_MAX_PAGES = 3000
# PDFium is not thread-safe, and Dask runs a worker's files in threads: one document at a time
# per process.
_PDFIUM = threading.Lock()
# How far a path segment may lean and still count as a horizontal or vertical ruling line.
_AXIS_TOLERANCE = 0.05
# More crossings of ruling positions than any page of tables has (60 rows by 30 columns is
# 1,800): a vector drawing, a hatched chart or a hostile file. pdfplumber's cell search grows
# faster than the square of the crossings (a 150 × 150 grid took 17 s), so such a page is read
# as text only.
_MAX_CROSSINGS = 4000
# Path segments on one page beyond which it is a drawing, not ruled tables (a table page has a
# few thousand): its paths are not walked further.
_MAX_SEGMENTS = 100_000

# What one document may cost to read, so that no file, however small, takes more than a few
# seconds and a few hundred megabytes; past any of these it is refused (E004). The first two are
# PDFium's parsing, checked before a page is loaded (a form XObject is parsed anew each time it
# is drawn: a 3 KB file drawing a form that draws another four times, ten levels deep, made
# PDFium parse a million forms, 240 s and 12 GB); the others are this reader's own work.
# An 85-page report (the final accounts of the corpus, printed by LibreOffice) parses 0.8 MB of
# content and draws no form; it walks 18,000 objects and 3,000 segments, and its tables cost
# 57,000 units of table work: each limit is 17 to 80 times that.
_MAX_CONTENT_BYTES = 64 * 1024 * 1024  # page content parsed, a form's once each time it is drawn
_MAX_FORM_DRAWS = 20_000  # form XObjects drawn, nested ones included
_MAX_FORM_DEPTH = 32  # forms drawn inside forms (a report's nest two or three deep)
_MAX_OBJECTS = 1_000_000  # page objects walked for paths, in forms as often as they are drawn
_MAX_DOCUMENT_SEGMENTS = 150_000  # path segments read as possible ruling lines (about 25 µs each)
# pdfplumber's cell search over a page's ruling grows as its crossings times the grid's shorter
# side (measured: a 60 × 60 grid 0.55 s, 45 × 45 0.19 s, 20 × 150 0.10 s): about 2.5 s for this
# limit, for which the 85-page report's tables would have to be there 17 times over.
_MAX_TABLE_WORK = 1_000_000
_DEFAULT_MAX_CHARS = 2_000_000  # when the caller sets no limit: each character costs a few µs
# Text objects on one page, forms' included: PDFium's text page compares each with those before
# it (to drop doubled glyphs), so a page of tens of thousands costs seconds to minutes (65,536
# copies of a form's text, overlapping: 15 s). A page of a report has a few hundred to a thousand.
_MAX_PAGE_TEXT_OBJECTS = 20_000


class _Budget:
    """The work one document has left: every reading step spends from it, and the step that
    overspends refuses the document, naming the page."""

    def __init__(self, path: str | None, max_chars: int) -> None:
        self.path = path
        self.page = 0
        self.page_texts = 0
        self.spent: Counter[str] = Counter()
        self.limits = {"page objects": _MAX_OBJECTS, "path segments": _MAX_DOCUMENT_SEGMENTS,
                       "units of ruled-table search": _MAX_TABLE_WORK, "characters": max_chars}

    def spend(self, what: str, amount: int) -> None:
        self.spent[what] += amount
        limit = self.limits[what]
        if self.spent[what] > limit:
            where = f" by page {self.page}" if self.page else ""
            raise InputError(InputErrorCode.TOO_LARGE, f"more than {limit:,} {what}{where}", path=self.path)

    def begin_page(self, number: int) -> None:
        self.page = number
        self.page_texts = 0

    def text_object(self) -> None:
        self.page_texts += 1
        if self.page_texts > _MAX_PAGE_TEXT_OBJECTS:
            raise InputError(InputErrorCode.TOO_LARGE, f"more than {_MAX_PAGE_TEXT_OBJECTS:,} text objects on page {self.page}",
                             path=self.path)


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
    """A ruled table found on one page: rows of (x0, x1, text) cells, merged cells once."""

    page: int
    top: float
    x0: float
    x1: float
    rows: list[list[tuple[float, float, str]]]


def layout_pdf(data: bytes, *, path: str | None, max_bytes: int, max_chars: int | None = None) -> Layout:
    """The PDF laid out as text; refused as soon as its pages hold more than `max_chars` characters
    (reading costs by the character, and so long a text would be refused once read)."""
    if len(data) > max_bytes:
        raise InputError(InputErrorCode.TOO_LARGE, f"{len(data):,} bytes > {max_bytes:,}", path=path)
    if b"%%EOF" not in data[-8192:]:
        # PDFium would rebuild what it can of a cut file and report a shorter document as whole.
        raise InputError(InputErrorCode.MALFORMED, "truncated PDF (no %%EOF at the end)", path=path)
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise InputError(InputErrorCode.ENCRYPTED, "encrypted PDF (a password is needed to open it)", path=path) from None
            raise InputError(InputErrorCode.MALFORMED, f"unreadable PDF: {exc}", path=path) from None
        try:
            pages = len(pdf)
            if not pages:
                raise InputError(InputErrorCode.MALFORMED, "the PDF has no pages", path=path)
            if pages > _MAX_PAGES:
                raise InputError(InputErrorCode.TOO_LARGE, f"{pages:,} pages > {_MAX_PAGES:,}", path=path)
            _refuse_heavy_content(data, pages, path)
            budget = _Budget(path, max_chars if max_chars is not None else _DEFAULT_MAX_CHARS)
            content = []
            for number in range(1, pages + 1):
                budget.begin_page(number)
                content.append(_read_page(pdf, number, budget))
        except InputError:
            raise
        except Exception as exc:
            raise InputError(InputErrorCode.MALFORMED, f"unreadable PDF: {type(exc).__name__}: {exc}".rstrip(": "), path=path) from None
        finally:
            pdf.close()
    if not any(lines or tables for lines, tables, _ in content):
        raise InputError(InputErrorCode.NO_TEXT_LAYER, f"{pages} page(s), no text", path=path)
    furniture = _furniture(content)
    return _lay_out(content, furniture)


# A form XObject drawn in a content stream: its name, then the Do operator. (Found in strings
# and inline images too, which can only overcount.)
_DRAW_FORM = regex.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")
_NAME_ESCAPE = regex.compile(rb"#([0-9A-Fa-f]{2})")
_INFLATE_STEP = 1 << 16


def _refuse_heavy_content(data: bytes, pages: int, path: str | None) -> None:
    """Refuse a PDF whose pages would have PDFium parse more than _MAX_CONTENT_BYTES of content
    or draw more than _MAX_FORM_DRAWS form XObjects, before PDFium loads a page: PDFium parses
    a form again each time it is drawn, in C, where no budget reaches. Measured on the file's
    objects with pdfminer, each stream inflated once and at most to the budget, each form's
    cost worked out once and multiplied by the times it is drawn.

    A file pdfminer cannot read is left to PDFium, as before: the budgets of objects and text
    objects walked on each loaded page (_Budget) still bound this reader's work and keep
    PDFium's text page from being built over a bomb, but PDFium's loading of the page is then
    bounded only by PDFium's own limits."""
    import logging

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    logging.getLogger("pdfminer").addHandler(logging.NullHandler())  # its warnings are not ours to print
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        cost = _ContentCost(path)
        for number, page in enumerate(itertools.islice(PDFPage.create_pages(document), pages), start=1):
            cost.page(page, number)
    except InputError:
        raise
    except Exception:  # pdfminer's many failures on a file PDFium may still read (RecursionError included)
        return


class _ContentCost:
    """The content bytes and form draws of a document's pages, summed page by page against the budget."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.bytes = 0
        self.draws = 0
        self.streams: dict[int, tuple[int, Counter[bytes]]] = {}  # object number -> (inflated size, forms drawn by name)
        self.forms: dict[tuple[int, int | None], tuple[int, int]] = {}  # (form, inherited resources) -> (bytes, draws)

    def page(self, page, number: int) -> None:
        from pdfminer.pdftypes import resolve1

        resources = resolve1(page.resources)
        for stream in page.contents:
            size, draws = self._drawn(resolve1(stream), resources if isinstance(resources, dict) else {}, set(), 0, number)
            self.bytes += size
            self.draws += draws
            if self.bytes > _MAX_CONTENT_BYTES:
                raise InputError(InputErrorCode.TOO_LARGE, f"more than {_MAX_CONTENT_BYTES // 2**20:,} MB of page content"
                                 f" to parse by page {number}", path=self.path)
            if self.draws > _MAX_FORM_DRAWS:
                raise InputError(InputErrorCode.TOO_LARGE, f"more than {_MAX_FORM_DRAWS:,} form XObjects drawn by page {number}",
                                 path=self.path)

    def _drawn(self, stream, resources: dict, active: set[int], depth: int, number: int) -> tuple[int, int]:
        """(bytes, form draws) of drawing `stream` with `resources`, the forms it draws included."""
        from pdfminer.pdftypes import PDFStream, resolve1

        if not isinstance(stream, PDFStream):
            return 0, 0
        size, names = self._stream(stream)
        xobjects = resolve1(resources.get("XObject"))
        if not names or not isinstance(xobjects, dict):
            return size, 0
        draws = 0
        for name, times in names.items():
            form = resolve1(xobjects.get(_name(name)))
            if not isinstance(form, PDFStream) or getattr(resolve1(form.attrs.get("Subtype")), "name", None) != "Form":
                continue
            if form.objid in active:
                # PDFium draws a form inside itself again and again, forty deep: drawing itself
                # twice, a form of a few bytes is drawn 2 ** 40 times.
                raise InputError(InputErrorCode.MALFORMED, f"a form XObject draws itself (object {form.objid}, page {number})",
                                 path=self.path)
            own = resolve1(form.attrs.get("Resources"))
            key = (form.objid, None if isinstance(own, dict) else id(resources))  # a form without resources uses its drawer's
            if key not in self.forms:
                if depth >= _MAX_FORM_DEPTH:
                    raise InputError(InputErrorCode.TOO_LARGE, f"form XObjects nested more than {_MAX_FORM_DEPTH} deep on page"
                                     f" {number}", path=self.path)
                active.add(form.objid)
                self.forms[key] = self._drawn(form, own if isinstance(own, dict) else resources, active, depth + 1, number)
                active.discard(form.objid)
            form_size, form_draws = self.forms[key]
            size += times * form_size
            draws += times * (1 + form_draws)
        return size, draws

    def _stream(self, stream) -> tuple[int, Counter[bytes]]:
        key = stream.objid if stream.objid is not None else id(stream)
        if key not in self.streams:
            content = _decoded(stream, _MAX_CONTENT_BYTES - self.bytes)
            self.streams[key] = (len(content), Counter(_DRAW_FORM.findall(content)))
        return self.streams[key]


def _name(raw: bytes) -> str:
    """A PDF name's bytes as pdfminer keys its dictionaries."""
    raw = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _decoded(stream, limit: int) -> bytes:
    """The stream's content as PDFium would parse it, but never more than `limit` + 1 bytes: a
    megabyte of deflate holds a gigabyte. Filters of images (no operators) end the decoding."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.lzw import LZWDecoder

    data = stream.rawdata if stream.rawdata is not None else (stream.data or b"")
    if stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    for kind, _ in stream.get_filters():
        name = getattr(kind, "name", kind)
        if name in ("FlateDecode", "Fl"):
            data = _inflate(data, limit)
        elif name in ("LZWDecode", "LZW"):
            pieces, size = [], 0
            for piece in LZWDecoder(io.BytesIO(data)).run():  # LZW too expands thousands of times
                pieces.append(piece)
                size += len(piece)
                if size > limit:
                    break
            data = b"".join(pieces)
        elif name in ("ASCII85Decode", "A85"):
            data = ascii85decode(data)
        elif name in ("ASCIIHexDecode", "AHx"):
            data = asciihexdecode(data)
        elif name in ("RunLengthDecode", "RL"):
            data = b"\0" * min(len(data) * 64, limit + 1)  # at most 64-fold; its operators cannot be told without decoding
        else:
            break
        if len(data) > limit:
            break
    return data


def _inflate(data: bytes, limit: int) -> bytes:
    """Up to `limit` + 1 bytes of a zlib stream, fed a step at a time so that a damaged stream
    gives what came before the damage, as PDFium reads it."""
    inflater = zlib.decompressobj()
    pieces, size = [], 0
    view = memoryview(data)
    for start in range(0, len(view), _INFLATE_STEP):
        try:
            piece = inflater.decompress(view[start : start + _INFLATE_STEP], limit + 1 - size)
        except zlib.error:
            break
        pieces.append(piece)
        size += len(piece)
        if size > limit or inflater.unconsumed_tail or inflater.eof:
            break
    return b"".join(pieces)


@dataclass
class _PageObjects:
    """One page as pdfplumber's table finder and text-line grouping read it: characters and
    ruling edges as its object dicts, in points from the top left of the page as displayed."""

    width: float
    height: float
    chars: list[dict]
    edges: list[dict]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)


def _read_page(pdf, number: int, budget: _Budget) -> tuple[list[_Line], list[_Table], tuple[float, float]]:
    """The page's lines, tables and size."""
    from pdfplumber.table import TableFinder, TableSettings
    from pdfplumber.utils import chars_to_textmap

    page = pdf[number - 1]
    try:
        objects = _page_objects(page, budget)
    finally:
        page.close()
    tables: list[_Table] = []
    boxes = []
    finder = None
    if not _ruled_finely(objects.edges):
        budget.spend("units of ruled-table search", _table_work(objects.edges))
        # TableFinder reads only a page's bbox and edges, and its tables its chars: _PageObjects has them.
        finder = TableFinder(objects, TableSettings.resolve(None))  # type: ignore[arg-type]
    found_tables = finder.tables if finder is not None else []
    for found in found_tables:
        texts = found.extract()
        rows = [
            [(box[0], box[2], _cell_text(text)) for box, text in zip(row.cells, row_texts) if box is not None]
            for row, row_texts in zip(found.rows, texts)
        ]
        if not rows or max(len(row) for row in rows) < 2:
            continue
        tables.append(_Table(number, found.bbox[1], found.bbox[0], found.bbox[2], rows))
        boxes.append(found.bbox)

    def outside(char: dict) -> bool:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    chars = [char for char in objects.chars if outside(char)] if boxes else objects.chars
    lines = []
    if chars:
        textmap = chars_to_textmap(chars, layout_bbox=objects.bbox, layout_width=objects.width, layout_height=objects.height)
        for raw in textmap.extract_text_lines(strip=True, return_chars=True):
            text = raw["text"]
            if not text.strip():
                continue
            sizes = [c["size"] for c in raw["chars"] if c["text"].strip()]
            lines.append(_Line(number, text, raw["x0"], raw["x1"], raw["top"], raw["bottom"], statistics.median(sizes) if sizes else 10.0))
    return lines, tables, (objects.width, objects.height)


def _grid_size(edges: list[dict]) -> tuple[int, int]:
    rows = {round(edge["top"]) for edge in edges if edge["orientation"] == "h"}
    columns = {round(edge["x0"]) for edge in edges if edge["orientation"] == "v"}
    return len(rows), len(columns)


def _ruled_finely(edges: list[dict]) -> bool:
    rows, columns = _grid_size(edges)
    return rows * columns > _MAX_CROSSINGS


def _table_work(edges: list[dict]) -> int:
    """What pdfplumber's cell search over these ruling lines costs, in the units of _MAX_TABLE_WORK
    (its crossings times the shorter side of its grid)."""
    rows, columns = _grid_size(edges)
    return rows * columns * min(rows, columns)


def _page_objects(page, budget: _Budget | None = None) -> _PageObjects:
    """The page's characters and ruling edges from PDFium, turned to the page as displayed."""
    budget = budget or _Budget(None, _DEFAULT_MAX_CHARS)
    left, bottom, right, top = page.get_bbox()
    if not all(map(math.isfinite, (left, bottom, right, top))) or right <= left or top <= bottom:
        left, bottom, right, top = 0.0, 0.0, 612.0, 792.0  # a page box that is no box: measure from a Letter page
    rotation = page.get_rotation() % 360
    if rotation == 90:
        def display(x: float, y: float) -> tuple[float, float]:
            return y - bottom, x - left
    elif rotation == 180:
        def display(x: float, y: float) -> tuple[float, float]:
            return right - x, y - bottom
    elif rotation == 270:
        def display(x: float, y: float) -> tuple[float, float]:
            return top - y, right - x
    else:
        def display(x: float, y: float) -> tuple[float, float]:
            return x - left, top - y
    width, height = (right - left, top - bottom) if rotation in (0, 180) else (top - bottom, right - left)
    # The paths first: walking them counts the page's objects, form XObjects' included, against
    # the budget before PDFium's text page (whose cost grows faster than its objects) is built.
    edges = _edges(page, display, budget)
    return _PageObjects(float(width), float(height), _chars(page, display, rotation, budget), edges)


def _chars(page, display, rotation: int, budget: _Budget) -> list[dict]:
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    handle = textpage.raw
    box = pdfium_c.FS_RECTF()
    chars = []
    try:
        count = textpage.count_chars()
        budget.spend("characters", count)  # before a loop that costs a few µs a character
        for i in range(count):
            if pdfium_c.FPDFText_IsGenerated(handle, i) == 1:
                continue  # a space or line break PDFium inferred; words and lines are found from the boxes
            code = pdfium_c.FPDFText_GetUnicode(handle, i)
            if code in (0, 0x0A, 0x0D, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(handle, i, box):
                continue
            if not all(map(math.isfinite, (box.left, box.right, box.top, box.bottom))):
                continue  # a glyph drawn through a degenerate matrix has no place on the page
            x0, t0 = display(box.left, box.top)
            x1, t1 = display(box.right, box.bottom)
            x0, x1 = min(x0, x1), max(x0, x1)
            t0, t1 = min(t0, t1), max(t0, t1)
            angle = pdfium_c.FPDFText_GetCharAngle(handle, i)
            # Upright as the page is displayed: PDFium measures the glyph's angle clockwise, the
            # page's /Rotate turns it further clockwise.
            upright = angle < 0 or abs((math.degrees(angle) + rotation + 180) % 360 - 180) < 1
            size = pdfium_c.FPDFText_GetFontSize(handle, i)
            chars.append({
                "object_type": "char", "text": chr(code), "x0": x0, "x1": x1, "top": t0, "bottom": t1, "doctop": t0,
                "width": x1 - x0, "height": t1 - t0, "size": size if math.isfinite(size) else 0.0, "upright": upright,
            })
    finally:
        textpage.close()
    return chars


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix that applies `inner`, then `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    p, q, r, s, t, u = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _paths(parent, count, get, matrix: tuple, out: list, budget: _Budget, depth: int = 0) -> None:
    """Every path object on the page or inside its form XObjects, with its matrix to page space
    (past _MAX_SEGMENTS of them, no more). Every object is counted against the budget, paths
    past that number and text included, and text objects against the page's limit, before
    PDFium's text page is built."""
    import pypdfium2.raw as pdfium_c

    found = pdfium_c.FS_MATRIX()
    objects = count(parent)
    budget.spend("page objects", objects)
    for i in range(objects):
        obj = get(parent, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH and len(out) <= _MAX_SEGMENTS:  # past it, enough to know the page is a drawing
            own = (found.a, found.b, found.c, found.d, found.e, found.f) if pdfium_c.FPDFPageObj_GetMatrix(obj, found) else _IDENTITY
            out.append((obj, _compose(own, matrix)))
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            budget.text_object()
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 12:
            own = (found.a, found.b, found.c, found.d, found.e, found.f) if pdfium_c.FPDFPageObj_GetMatrix(obj, found) else _IDENTITY
            _paths(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, _compose(own, matrix), out, budget,
                   depth + 1)


def _edges(page, display, budget: _Budget) -> list[dict]:
    """The page's horizontal and vertical path segments as pdfplumber edges (a rectangle gives
    its four sides, as pdfplumber makes of a rect; curves and slanted strokes are no rulings)."""
    import pypdfium2.raw as pdfium_c

    paths: list = []
    _paths(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, _IDENTITY, paths, budget)
    counts = [pdfium_c.FPDFPath_CountSegments(obj) for obj, _ in paths[: _MAX_SEGMENTS + 1]]
    if sum(counts) > _MAX_SEGMENTS:
        return []  # a drawing: no ruled table is looked for
    budget.spend("path segments", sum(counts))
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[dict] = []
    for (obj, (a, b, c, d, e, f)), count in zip(paths, counts):
        start = previous = None
        for i in range(count):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            point = display(x.value * a + y.value * c + e, x.value * b + y.value * d + f)
            if not (math.isfinite(point[0]) and math.isfinite(point[1])):
                start = previous = None
                continue
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or previous is None:
                start = previous = point
                continue
            if kind == pdfium_c.FPDF_SEGMENT_LINETO:
                _add_edge(previous, point, edges)
            previous = point
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_edge(point, start, edges)
                previous = start
    return edges


def _add_edge(p: tuple[float, float], q: tuple[float, float], edges: list[dict]) -> None:
    (x0, t0), (x1, t1) = p, q
    if abs(t0 - t1) <= _AXIS_TOLERANCE and x0 != x1:
        x0, x1 = min(x0, x1), max(x0, x1)
        edges.append({"object_type": "line", "orientation": "h", "x0": x0, "x1": x1, "top": t0, "bottom": t0,
                      "doctop": t0, "width": x1 - x0, "height": 0.0})
    elif abs(x0 - x1) <= _AXIS_TOLERANCE and t0 != t1:
        t0, t1 = min(t0, t1), max(t0, t1)
        edges.append({"object_type": "line", "orientation": "v", "x0": x0, "x1": x0, "top": t0, "bottom": t1,
                      "doctop": t0, "width": 0.0, "height": t1 - t0})


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
        if repeated or MARGIN_PAGE_NUMBER.match(line.text):
            drop.add((line.page, i))
    return drop


def _lay_out(content, furniture: set[tuple[int, int]]) -> Layout:
    layout = Layout()
    margins = _margins(content)
    leading = _leading(content)
    paragraph: list[_Line] = []
    table_parts: list[_Table] = []  # one table's parts, a part per page it runs over
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
        if table_parts:
            layout.table(_table_grid(table_parts, table_index))
            table_parts.clear()

    for lines, tables, (width, _) in content:
        left, right = margins.get(round(width), (0.0, 0.0))
        page_lines = [line for i, line in enumerate(lines) if (line.page, i) not in furniture]
        items = [(line.top, "line", line) for line in page_lines] + [(table.top, "table", table) for table in tables]
        items.sort(key=lambda item: item[0])
        first_on_page = True
        for _, kind, item in items:
            if kind == "table":
                flush_paragraph()
                continues = (
                    first_on_page and table_parts and last_kind == "table"
                    and abs(item.x0 - table_parts[-1].x0) < 3 and abs(item.x1 - table_parts[-1].x1) < 3
                )
                if not continues:
                    flush_table()
                    table_index += 1
                table_parts.append(item)
                last_kind = "table"
            else:
                flush_table()
                if paragraph and _starts_paragraph(paragraph[-1], item, left, right, leading, first_on_page):
                    flush_paragraph()
                paragraph.append(item)
                last_kind = "line"
            first_on_page = False
    flush_paragraph()
    flush_table()
    return layout


def _margins(content) -> dict[int, tuple[float, float]]:
    """(left, right) text margin of the pages of each width: a landscape table page has its own,
    and its longer lines must not make every portrait line look short."""
    by_width: dict[int, list[_Line]] = {}
    for lines, _, (width, _) in content:
        by_width.setdefault(round(width), []).extend(lines)
    return {
        width: (float(_mode([round(line.x0) for line in lines])), max(line.x1 for line in lines))
        for width, lines in by_width.items()
        if lines
    }


def _leading(content) -> float:
    """The distance from one line's top to the next line's inside a paragraph, in font sizes:
    1.2 for tight type, near 1.8 in official documents (28-point lines for 16-point type).
    Only space beyond it sets a paragraph apart. Taken low in the spread (the first quartile)
    because where paragraphs are short most steps are between paragraphs."""
    ratios = [
        (line.top - previous.top) / max(previous.size, 1.0)
        for lines, _, _ in content
        for previous, line in pairwise(lines)
        if abs(line.size - previous.size) <= 1.0
    ]
    ratios = [ratio for ratio in ratios if 0.9 <= ratio < 4]  # not lines side by side, not page gaps
    if len(ratios) < 2:
        return 1.2
    return statistics.quantiles(ratios, n=4)[0]


def _table_grid(parts: list[_Table], table_index: int) -> list[list[list[Piece]]]:
    """One table from its parts on successive pages: columns from the cells' left edges (so a
    part holding only a merged header row still lines up), a header row repeated on the next
    page read once, a row cut by the page break joined to its first part."""
    edges: list[float] = []
    for x0 in sorted(x0 for part in parts for row in part.rows for x0, _, _ in row):
        if not edges or x0 - edges[-1] > 2:
            edges.append(x0)

    def column(x: float) -> int:
        return min(range(len(edges)), key=lambda i: abs(edges[i] - x))

    grid: list[list[str]] = []
    pages: list[int] = []
    for part in parts:
        rows = []
        for row in part.rows:
            cells = [""] * len(edges)
            for x0, _, text in row:
                cells[column(x0)] = text
            rows.append(cells)
        if grid:
            rows = _continued(grid, rows)
        grid.extend(rows)
        pages.extend([part.page] * len(rows))
    return [
        [[(text, SourceRef(page=page, table=table_index, row=r, col=c))] for c, text in enumerate(cells)]
        for r, (cells, page) in enumerate(zip(grid, pages))
    ]


def _cell_text(cell: str | None) -> str:
    return join_wrapped(cell.split("\n")) if cell else ""


def _continued(grid: list[list[str]], rows: list[list[str]]) -> list[list[str]]:
    """The rows of a table's next page, less a repeated header; a row cut by the page break is
    joined into the last row of `grid`."""
    while rows and rows[0] in grid[:3] and rows[0] != grid[-1]:
        rows = rows[1:]  # a header row repeated at the top of the page
    if not rows:
        return rows
    last, first = grid[-1], rows[0]
    # A row cut by the page break: its first cell (a code, a number) fit above, so the part
    # below has text only where the row above has text, none of it opens a row, and a figure
    # below completes the figure above ("1,439.1" / "9").
    def completes(c: int, text: str) -> bool:
        if c == 0 and _completes_code(last[0], text):
            return True
        if match_marker(text) or _CODE.match(text):
            return False
        if cell_number(text) is None:
            return True
        return cell_number(last[c]) is not None and cell_number(join_wrapped([last[c], text])) is not None

    cut = (
        (not first[0] or _completes_code(last[0], first[0]))
        and {c for c, text in enumerate(first) if text} <= {c for c, text in enumerate(last) if text}
        and all(completes(c, text) for c, text in enumerate(first) if text)
    )
    if cut:
        for c, text in enumerate(first):
            if text:
                last[c] = join_wrapped([last[c], text])
        rows = rows[1:]
    return rows


def _completes_code(above: str, below: str) -> bool:
    """A classification code cut in two: the part above is not a code's length (3, 5 or 7
    digits: 类, 款, 项), the two together are ("213059" / "9")."""
    return above.isdigit() and below.isdigit() and len(above) not in _CODE_LENGTHS and len(above + below) in _CODE_LENGTHS


def _needs_space(previous: str, text: str) -> bool:
    return bool(join_wrapped([previous[-1:], text[:1]]).count(" "))


def _starts_paragraph(previous: _Line, line: _Line, left: float, right: float, leading: float, first_on_page: bool) -> bool:
    """Does `line` begin a new paragraph rather than carry on the one `previous` is in?"""
    size = max(previous.size, 1.0)
    tail = previous.text.rstrip()
    if previous.x1 < right - 1.5 * size:
        return True  # the previous line stopped short: its paragraph ended there
    if line.x0 > left + 0.8 * line.size:
        return True  # first-line indent, or a centred heading
    if abs(line.size - previous.size) > 1.0:
        return True  # a heading set in another size
    if not tail or closes_paragraph(tail) and match_marker(line.text):
        return True  # a numbered item after a closed sentence: "…支出。" / "（十三）…"
    if first_on_page:
        # Across a page break: a full line carries on unless it closed a sentence.
        return closes_paragraph(tail)
    return line.top - previous.top > (leading + 0.5) * size  # set apart by extra space


def _mode(values: list[int]) -> int:
    return Counter(values).most_common(1)[0][0]
