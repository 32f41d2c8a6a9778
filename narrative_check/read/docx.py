"""Word (.docx) reader: body paragraphs and real tables, laid out for the text reader.

Reads the body in order (content controls included): each paragraph becomes a line, Word's
automatic numbering written out in front of it ("一、", "（二）") since the text reader reads
headings by their numbering; a paragraph styled as a heading is marked as one ("#") so a
heading the text reader would not recognise by its shape still opens a section. Tables are
read cell by cell on the table grid: a merged cell's text stands in its first grid column
and the columns or rows it covers are left empty, as published text tables leave them, so
no figure is counted twice. Pending tracked changes are read as Word shows the document with
them accepted (insertions read, deletions not), except the suggestions narrative-check itself
wrote (--format docx, author SUGGESTION_AUTHOR): those are read as rejected, the original text,
so a re-check finds the same slip until the editor accepts the fix.

Lost: page numbers (Word has none before layout), headers, footers, footnotes, comments,
text boxes (in the body and in table cells) and images.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex
from lxml import etree

from ..errors import InputError, InputErrorCode
from ..models.document import SourceRef
from .layout import MAX_SPAN, Layout, Piece, grid_out_of_proportion
from .numbering import cn_numeral
from .sniff import bounded_package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
P_TAG, _TBL, _SDT, _TR, _TC, _R = (f"{{{W}}}{t}" for t in ("p", "tbl", "sdt", "tr", "tc", "r"))
_SDT_CONTENT, _CUSTOM_XML = f"{{{W}}}sdtContent", f"{{{W}}}customXml"
# Text boxes: Word writes each twice (mc:Choice for new readers, mc:Fallback for old ones);
# the reader leaves them out, in the body as in cells.
_NOT_READ = {f"{{{W}}}txbxContent", f"{{{MC}}}Fallback"}
# Containers whose runs are part of the visible text; w:del (a tracked deletion) is not one.
_RUN_CONTAINERS = {f"{{{W}}}{t}" for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "sdt", "sdtContent", "moveTo")}
INS_TAG, DEL_TAG, DEL_TEXT_TAG = (f"{{{W}}}{t}" for t in ("ins", "del", "delText"))
AUTHOR_ATTR = f"{{{W}}}author"
# The author of the comments and tracked changes --format docx writes: its pending suggestions
# are read as rejected, and a new annotation replaces them.
SUGGESTION_AUTHOR = "narrative-check"
_HEADING_STYLE = regex.compile(r"^(?:heading|标题)\s*(\d)$", regex.IGNORECASE)


def layout_docx(data: bytes, *, path: str | None, max_bytes: int) -> Layout:
    # python-docx reads the package from a copy whose every member was inflated by a bounded
    # reader: a bomb is refused before python-docx inflates anything.
    package = bounded_package(data, path=path, max_bytes=max_bytes)
    import docx

    try:
        document = docx.Document(package)
        body = document.element.body
        styles = _heading_styles(document)
        numbering = _Numbering(document)
    except InputError:
        raise
    except Exception as exc:  # python-docx/lxml raise many kinds on a damaged package
        raise InputError(InputErrorCode.MALFORMED, f"not a readable Word document: {type(exc).__name__}: {exc}", path=path) from None
    layout = Layout()
    paragraph_index = 0
    table_index = 0
    for block in body_blocks(body):
        if block.tag == P_TAG:
            text = paragraph_text(block)
            prefix = numbering.label(block, styles)
            level = _heading_level(block, styles)
            pieces: list[Piece] = []
            if level is not None and text.strip():
                pieces.append(("#" * max(level, 1) + " ", None))
            if prefix and text.strip():
                pieces.append((prefix, SourceRef(paragraph=paragraph_index)))
            pieces.append((text, SourceRef(paragraph=paragraph_index, char=0)))
            layout.paragraph(pieces)
            paragraph_index += 1
        else:
            layout.table(_table_rows(block, table_index, numbering, styles))
            table_index += 1
    return layout


def body_blocks(body: etree._Element) -> Iterator[etree._Element]:
    """The body's paragraphs and tables in reading order, looking inside content controls.
    The renderer walks the same sequence, so indices in a SourceRef find the same element."""
    return _children(body, (P_TAG, _TBL))


def _children(parent: etree._Element, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """The children of `parent` with one of `tags`, in order, including those wrapped in
    content controls (w:sdt/w:sdtContent) and custom XML (w:customXml), which can wrap body
    blocks, table rows and cells alike."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tags)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, tags)


def cell_paragraphs(tc: etree._Element) -> list[etree._Element]:
    """The paragraphs of a table cell, those of nested tables included, in order; not those
    of text boxes (written twice, and left out in the body too)."""
    found = []
    stack = [iter(tc)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.tag in _NOT_READ or not isinstance(child.tag, str):
            continue
        if child.tag == P_TAG:
            found.append(child)
        stack.append(iter(child))
    return found


def paragraph_runs(p: etree._Element) -> Iterator[etree._Element]:
    """The paragraph's runs as Word shows them with changes accepted: inside hyperlinks, fields
    and tracked insertions too, but not tracked deletions; narrative-check's own suggestions
    the other way round (as rejected), so the text is the editor's own."""
    for child in p:
        if child.tag == _R:
            yield child
        elif child.tag in _RUN_CONTAINERS or child.tag == DEL_TAG:
            if is_suggestion(child) == (child.tag == DEL_TAG):
                yield from paragraph_runs(child)


def is_suggestion(element: etree._Element) -> bool:
    """Is this a tracked change (w:ins, w:del) narrative-check wrote?"""
    return element.tag in (INS_TAG, DEL_TAG) and element.get(AUTHOR_ATTR) == SUGGESTION_AUTHOR


_TEXT_TAGS = {f"{{{W}}}t", DEL_TEXT_TAG}
_RUN_TEXT = etree.XPath("w:br | w:cr | w:noBreakHyphen | w:ptab | w:t | w:tab | w:delText", namespaces={"w": W})


def run_text(r: etree._Element) -> str:
    """python-docx's CT_R.text (w:t, tabs and breaks as \t and \n), with the text of a run in
    one of narrative-check's own deletions (w:delText), read as rejected."""
    return "".join((e.text or "") if e.tag in _TEXT_TAGS else str(e) for e in _RUN_TEXT(r))


def paragraph_text(p: etree._Element) -> str:
    return "".join(run_text(r) for r in paragraph_runs(p))


def table_cells(tbl: etree._Element) -> Iterator[tuple[int, int, etree._Element | None, int]]:
    """(row, grid column, cell or None when covered by a merge, span) for each cell.

    Spans (gridSpan, gridBefore) are read up to MAX_SPAN; when they spread the cells over a grid
    out of all proportion to them (a damaged or hostile file), every cell takes one column."""
    cells: list[tuple[int, int, etree._Element | None, int]] = []
    positions = 0
    for r, tr in enumerate(_children(tbl, (_TR,))):
        col = min(max(_int_attr(tr.find(f"{{{W}}}trPr/{{{W}}}gridBefore"), 0), 0), MAX_SPAN)
        for tc in _children(tr, (_TC,)):
            tc_pr = tc.find(f"{{{W}}}tcPr")
            span = min(max(_int_attr(tc_pr.find(f"{{{W}}}gridSpan") if tc_pr is not None else None, 1), 1), MAX_SPAN)
            v_merge = tc_pr.find(f"{{{W}}}vMerge") if tc_pr is not None else None
            covered = v_merge is not None and v_merge.get(f"{{{W}}}val", "continue") != "restart"
            cells.append((r, col, None if covered else tc, span))
            col += span
        positions += col
    if grid_out_of_proportion(positions, len(cells)):
        counted: dict[int, int] = {}
        for r, _, tc, _ in cells:
            counted[r] = counted.get(r, -1) + 1
            yield r, counted[r], tc, 1
        return
    yield from cells


def _table_rows(tbl: etree._Element, table_index: int, numbering: "_Numbering", styles: dict[str, int | None]) -> list[list[list[Piece]]]:
    rows: list[list[list[Piece]]] = []
    for r, col, tc, span in table_cells(tbl):
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        while len(row) < col + span:
            row.append([("", SourceRef(table=table_index, row=r, col=len(row)))])
        if tc is None:
            continue
        pieces: list[Piece] = []
        # Nested tables are read as their paragraphs: a cell is one line of the layout.
        for k, p in enumerate(cell_paragraphs(tc)):
            text = paragraph_text(p)
            if not text.strip():
                continue
            if pieces:
                pieces.append((" " if _ascii_edge(pieces[-1][0][-1:], text[:1]) else "", None))
            prefix = numbering.label(p, styles)
            if prefix:
                pieces.append((prefix, SourceRef(table=table_index, row=r, col=col, paragraph=k)))
            pieces.append((text, SourceRef(table=table_index, row=r, col=col, paragraph=k, char=0)))
        row[col] = pieces or [("", SourceRef(table=table_index, row=r, col=col))]
    return rows


def _ascii_edge(left: str, right: str) -> bool:
    return bool(left and right and left.isascii() and left.isalnum() and right.isascii() and right.isalnum())


def _int_attr(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{{{W}}}val", default))
    except (TypeError, ValueError):
        return default


# --- headings and automatic numbering ------------------------------------------------------


def _heading_styles(document) -> dict[str, int | None]:
    """style id → heading level (0 for Title) for heading styles, by name or outline level."""
    levels: dict[str, int | None] = {}
    for style in document.styles.element.iterchildren(f"{{{W}}}style"):
        style_id = style.get(f"{{{W}}}styleId")
        name_el = style.find(f"{{{W}}}name")
        name = (name_el.get(f"{{{W}}}val") if name_el is not None else "") or ""
        outline = style.find(f"{{{W}}}pPr/{{{W}}}outlineLvl")
        m = _HEADING_STYLE.match(name.strip())
        if m:
            levels[style_id] = int(m.group(1))
        elif name.strip().lower() in ("title", "标题"):
            levels[style_id] = 0
        elif outline is not None and _int_attr(outline, 9) < 9:
            levels[style_id] = _int_attr(outline, 9) + 1
    return levels


def _style_id(p: etree._Element) -> str | None:
    style = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
    return style.get(f"{{{W}}}val") if style is not None else None


def _heading_level(p: etree._Element, styles: dict[str, int | None]) -> int | None:
    outline = p.find(f"{{{W}}}pPr/{{{W}}}outlineLvl")
    if outline is not None and _int_attr(outline, 9) < 9:
        return _int_attr(outline, 9) + 1
    return styles.get(_style_id(p) or "")


_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _format_number(n: int, fmt: str) -> str | None:
    if fmt in ("decimal", "decimalZero"):
        return str(n) if fmt == "decimal" or n >= 10 else f"0{n}"
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return cn_numeral(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(ord("①") + n - 1)
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _TIANGAN[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and n >= 1:
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return None  # bullets and formats a report does not number headings with


class _Numbering:
    """Word's automatic numbering, counted through the document as Word counts it."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → ilvl → (start, fmt, text)
        self._abstract_of: dict[str, str] = {}
        self._counters: dict[str, list[int]] = {}
        self._style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.iterchildren(f"{{{W}}}abstractNum"):
            levels = {}
            for lvl in an.iterchildren(f"{{{W}}}lvl"):
                ilvl = int(lvl.get(f"{{{W}}}ilvl", "0"))
                fmt = lvl.find(f"{{{W}}}numFmt")
                text = lvl.find(f"{{{W}}}lvlText")
                levels[ilvl] = (
                    _int_attr(lvl.find(f"{{{W}}}start"), 1),
                    fmt.get(f"{{{W}}}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{{{W}}}val", "") if text is not None else "",
                )
            abstract[an.get(f"{{{W}}}abstractNumId")] = levels
        for num in root.iterchildren(f"{{{W}}}num"):
            ref = num.find(f"{{{W}}}abstractNumId")
            abstract_id = ref.get(f"{{{W}}}val") if ref is not None else None
            levels = dict(abstract.get(abstract_id, {}))
            for override in num.iterchildren(f"{{{W}}}lvlOverride"):
                start = override.find(f"{{{W}}}startOverride")
                ilvl = int(override.get(f"{{{W}}}ilvl", "0"))
                if start is not None and ilvl in levels:
                    levels[ilvl] = (_int_attr(start, 1), *levels[ilvl][1:])
            self._levels[num.get(f"{{{W}}}numId")] = levels
            self._abstract_of[num.get(f"{{{W}}}numId")] = abstract_id or ""
        for style in document.styles.element.iterchildren(f"{{{W}}}style"):
            num_pr = style.find(f"{{{W}}}pPr/{{{W}}}numPr")
            if num_pr is not None:
                num_id = num_pr.find(f"{{{W}}}numId")
                if num_id is not None:
                    self._style_num[style.get(f"{{{W}}}styleId")] = (num_id.get(f"{{{W}}}val"), _int_attr(num_pr.find(f"{{{W}}}ilvl"), 0))

    def label(self, p: etree._Element, styles: dict[str, int | None]) -> str:
        """The number Word shows before the paragraph ("一、", "（2）"), counting it; '' if none."""
        num_id, ilvl = None, 0
        num_pr = p.find(f"{{{W}}}pPr/{{{W}}}numPr")
        if num_pr is not None:
            num_el = num_pr.find(f"{{{W}}}numId")
            num_id = num_el.get(f"{{{W}}}val") if num_el is not None else None
            ilvl = _int_attr(num_pr.find(f"{{{W}}}ilvl"), 0)
        elif _style_id(p) in self._style_num:
            num_id, ilvl = self._style_num[_style_id(p) or ""]
        if not num_id or num_id == "0" or num_id not in self._levels or ilvl not in self._levels[num_id]:
            return ""
        levels = self._levels[num_id]
        # Lists sharing one abstract definition continue one count, as Word does by default.
        key = self._abstract_of.get(num_id) or num_id
        counters = self._counters.setdefault(key, [None] * 9)  # type: ignore[list-item]
        start, fmt, template = levels[ilvl]
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if fmt == "bullet" or fmt == "none":
            return ""

        def level_number(m: regex.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            value = counters[k] if counters[k] is not None else levels[k][0]
            return _format_number(value, levels[k][1] if k != ilvl else fmt) or ""

        return regex.sub(r"%(\d)", level_number, template)
