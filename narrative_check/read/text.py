"""The plain-text reader: headings, paragraphs and tab-separated tables.

The layout is that of text extracted from published reports: markdown or
numbered headings, paragraphs cut by page breaks ("会\\n\\n同有关部门") or by
hard line wraps, tables as tab-separated rows with a title and a unit line
above and 备注 lines below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

from ..errors import InputError, InputErrorCode
from ..extract.normalize import LATIN_FULL_STOP, to_simplified
from ..models.document import (
    Cell,
    Document,
    Paragraph,
    Section,
    Sentence,
    Table,
    TableNote,
    TableRow,
    trusted,
)
from .decode import DEFAULT_MAX_BYTES, decode
from .numbering import match_marker

SENTENCE_END = "。！？!?"
_SENTENCE_END_AT = re.compile(f"[{SENTENCE_END}]|{LATIN_FULL_STOP}")
# A line ending in one of these (or in a Latin full stop) closes its paragraph: no page break
# splits there (the PDF reader asks the same of a line that ends a page).
PARAGRAPH_END = "。！？!?；;：:"
_CLOSED = re.compile(f"(?:[{PARAGRAPH_END}]|{LATIN_FULL_STOP})$")
_BLANK = regex.compile(r"^[\s\u3000\u00a0]*$")
# Page numbers as reports print them: "- 3 -", "第3页 共10页", "3/10", "Page 3 of 10".
_PAGE_NUMBER_FORMS = r"[-—－–]\s*\d{1,4}\s*[-—－–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?"
PAGE_FURNITURE = regex.compile(rf"^[\s\u3000]*(?:{_PAGE_NUMBER_FORMS})[\s\u3000]*$", regex.IGNORECASE)
# In a page's top or bottom margin a bare number ("3", "- 3") is a page number as well; in
# the text it may be a table's figure.
MARGIN_PAGE_NUMBER = regex.compile(rf"^[\s\u3000]*(?:{_PAGE_NUMBER_FORMS}|[-—－–]?\s*\d{{1,4}}\s*[-—－–]?)[\s\u3000]*$", regex.IGNORECASE)
_TABLE_TITLE = regex.compile(r"表(?:[（(][^）)]{0,20}[）)])?\s*$")
# "公开01表", "表3": a table's number, printed beside its title, not the title.
_TABLE_NUMBER = regex.compile(r"^\s*(?:公开)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*表\s*$|^\s*表\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*$")
_UNIT_LINE = regex.compile(r"(?:金额|金額)?(?:单位|單位)\s*[：:]\s*(?P<unit>亿元|億元|万元|萬元|千元|元)")
_UNIT_NAMES = {"億元": "亿元", "萬元": "万元"}
_NOTE_LINE = regex.compile(r"^\s*(?:备注|注|说明)\s*[0-9１-９]?\s*[：:]|^\s*注\s*\d*\s*[.．、]|^\s*表[一二三四五六七八九十\d]+\s*$")
_NUMBER_CELL = regex.compile(r"^[-－−]?\d[\d,，]*(?:[.．]\d+)?$")
_MD_HEADING = regex.compile(r"^\s*(#{1,6})\s*(.*?)\s*#*\s*$")
_HEADING_MAX = 30
_LONE_CR = regex.compile(r"\r(?!\n)")
_META_MAX = 60
_TITLE_LOOKBACK = 8
_CLAUSE_PUNCT = regex.compile(r"[，,；;：:]")
_ANY_PUNCT = regex.compile(r"[。，,；;：:、！？]")
_AMOUNT = regex.compile(r"\d\s*(?:亿元|万元|元|%|％)")
_ENDS_ON_FIGURE = regex.compile(_AMOUNT.pattern + "$")
_PIPES = regex.compile(r"[|｜]")
_RULE_LINE = regex.compile(r"^\s*[|｜]?\s*:?-{3,}:?\s*(?:[|｜]\s*:?-{3,}:?\s*)*[|｜]?\s*$")
_META_LINE = regex.compile(r"^\s*(?:公开部门|编制单位|单位名称|部门名称|\d{4}\s*年度?|公开\d+表)")


@dataclass(slots=True)
class _Line:
    index: int
    start: int
    end: int  # exclusive, before the line break
    text: str
    blank: bool = field(init=False)
    # The character cutting the line into cells when it is a table row, else None: a tab, or a
    # vertical bar as web pages and markdown leave them ("合 计 | 34.35 | 34.35 |").
    separator: str | None = field(init=False)
    # One filled cell and its bar ("(2)公务用车购置 | |"): a row whose figures are blank when it
    # carries on a barred table, a title or prose elsewhere.
    lone_cell: bool = field(init=False)

    def __post_init__(self) -> None:
        # Asked of every line several times over: decided once.
        self.blank = bool(_BLANK.match(self.text))
        self.separator = _separator(self.text)
        self.lone_cell = self.separator is None and _is_lone_cell(self.text)

    @property
    def tabbed(self) -> bool:
        """A table row: cells, and something in them."""
        return self.separator is not None


def _is_lone_cell(text: str) -> bool:
    # One filled cell, then only bars: a cell holds a label or a figure; a sentence left with a
    # bar after it is prose.
    if "|" not in text and "｜" not in text:
        return False
    content, rest = _PIPES.split(text, maxsplit=1)
    content = content.strip(" \u3000\t")
    return bool(content) and not rest.strip(" \u3000\t|｜") and len(content) <= _META_MAX and not closes_paragraph(content)


def _separator(text: str) -> str | None:
    if "\t" in text and text.strip("\t \u3000"):
        return "\t"
    if "|" in text or "｜" in text:
        if _RULE_LINE.match(text):
            return "|"  # a markdown divider: part of the table, no cells
        # Two cells with something in them: one filled cell between bars is a title or a line of
        # prose copied with its cell's border ("…情况说明 |"), not a row.
        filled = [c for c in _PIPES.split(text) if c.strip(" \u3000")]
        if len(filled) >= 2:
            return "|"
    return None


def closes_paragraph(line: str) -> bool:
    """Does the line (its end stripped of spaces) end on a mark that closes a paragraph?"""
    return bool(_CLOSED.search(line))


@dataclass(frozen=True)
class TextLimits:
    """How much decoded text a report may be, checked before any of it is parsed.

    Characters alone do not bound the work: the reader's cost goes by lines, the extractor's by
    the figures and report words it meets, and text made of little else ("一、" line after line,
    "较上年" over and over) costs ten times more per character than a report does."""

    max_chars: int | None = None
    max_lines: int | None = None

    def refuse_oversized(self, text: str, path: str | None) -> None:
        if self.max_chars is not None and len(text) > self.max_chars:
            raise InputError(InputErrorCode.TOO_LARGE, f"{len(text):,} characters > {self.max_chars:,}", path=path)
        if self.max_lines is not None:
            lines = text.count("\n") + len(_LONE_CR.findall(text)) + 1
            if lines > self.max_lines:
                raise InputError(InputErrorCode.TOO_LARGE, f"{lines:,} lines > {self.max_lines:,}", path=path)


def read_text(data: bytes, *, path: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    text, encoding = decode(data, path=path, max_bytes=max_bytes)
    return parse_text(text, path=path, encoding=encoding)


def parse_text(text: str, *, path: str | None = None, encoding: str = "str", limits: TextLimits | None = None) -> Document:
    """Build the document model from decoded text (refused first if it is over `limits`)."""
    if limits is not None:
        limits.refuse_oversized(text, path)
    # A lone carriage return (classic Mac line ends, a stray CR from PDF extraction) ends a
    # line as '\n' does; without this a CR-only report was one line with no claim and no
    # table, and came out clean. One character for one, so every offset still holds.
    text = _LONE_CR.sub("\n", text)
    lines = _split_lines(text)
    table_of_line: dict[int, int] = {}
    tables = _find_tables(lines, table_of_line)
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    open_sections: list[int] = []  # stack of section indices by level
    current: list[_Line] = []
    gap_since_current = False

    def close_paragraph() -> None:
        if not current:
            return
        segments = [(ln.start, ln.end) for ln in current]
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                start=current[0].start,
                end=current[-1].end,
                segments=segments,
                section=open_sections[-1] if open_sections else None,
                sentences=_sentences(text, segments),
            )
        )
        current.clear()

    for line in lines:
        if line.index in table_of_line:
            close_paragraph()
            continue
        if line.blank or PAGE_FURNITURE.match(line.text):
            gap_since_current = True
            continue
        heading = _heading(line)
        if heading is not None:
            close_paragraph()
            marker, level, title = heading
            while open_sections and sections[open_sections[-1]].level >= level:
                open_sections.pop()
            sections.append(
                Section(
                    index=len(sections),
                    level=level,
                    marker=marker,
                    title=title,
                    start=line.start,
                    end=line.end,
                    parent=open_sections[-1] if open_sections else None,
                )
            )
            open_sections.append(len(sections) - 1)
            continue
        if current and not _continues(current[-1], line, gap_since_current):
            close_paragraph()
        current.append(line)
        gap_since_current = False
    close_paragraph()

    if not paragraphs and not tables:
        raise InputError(InputErrorCode.NO_NARRATIVE, path=path)
    doc = Document(path=path, text=text, encoding=encoding, sections=sections, paragraphs=paragraphs, tables=tables)
    doc.locate()
    return doc


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for i, raw in enumerate(text.split("\n")):
        end = pos + len(raw)
        content_end = end - 1 if raw.endswith("\r") else end
        lines.append(_Line(i, pos, content_end, text[pos:content_end]))
        pos = end + 1
    return lines


def _heading(line: _Line) -> tuple[str, int, str] | None:
    """(marker, level, title) if the line is a heading."""
    md = _MD_HEADING.match(line.text)
    if md:
        body = md.group(2)
        numbered = match_marker(body)
        if numbered:
            return numbered[0], numbered[1], body[numbered[2]:].strip()
        return "#", len(md.group(1)) - 1, body
    stripped = line.text.strip(" \u3000")
    numbered = match_marker(stripped)
    if numbered:
        body = stripped[numbered[2]:].strip()
        if len(body) <= _HEADING_MAX and not _CLAUSE_PUNCT.search(body.rstrip("。.")) and not _has_amount(body):
            return numbered[0], numbered[1], body.rstrip("。.")
        return None
    if len(stripped) <= _HEADING_MAX and not _ANY_PUNCT.search(stripped) and not closes_paragraph(stripped) and not _has_amount(stripped):
        # A short unpunctuated line: a title ("2021年度部门决算情况说明").
        return "", 0, stripped
    return None


def _has_amount(text: str) -> bool:
    return bool(_AMOUNT.search(text))


def _continues(previous: _Line, line: _Line, across_gap: bool) -> bool:
    """Does `line` carry on the paragraph that `previous` ended?"""
    tail = previous.text.rstrip(" \u3000\t")
    if not tail or closes_paragraph(tail):
        return False
    if match_marker(line.text.lstrip(" \u3000")):
        return False
    if not across_gap:
        return True  # a hard wrap inside a paragraph
    # Across a blank line (a page break): only a long line cut mid-sentence carries on. One that
    # ends on a whole figure ('…为年初预算数 1 万元的 0%') has ended its clause: web pages drop the
    # full stop before a blank line far more often than a page break falls right after a figure.
    return len(tail) >= 25 and not _ENDS_ON_FIGURE.search(tail)


def _sentences(text: str, segments: list[tuple[int, int]]) -> list[Sentence]:
    # Sentence ends are found by pattern; only the spaces before a sentence are stepped over.
    out: list[Sentence] = []
    start: int | None = None
    last_end = segments[0][0]
    for seg_start, seg_end in segments:
        i = seg_start
        while i < seg_end:
            if start is None:
                if text[i].isspace():
                    i += 1
                    continue
                start = i
            m = _SENTENCE_END_AT.search(text, i, seg_end)
            if m is None:
                last_end = seg_end
                break
            out.append(Sentence(start=start, end=m.end()))
            start = None
            i = last_end = m.end()
    if start is not None:
        end = last_end
        while end > start and text[end - 1] in " \t\u3000\r":
            end -= 1
        out.append(Sentence(start=start, end=end))
    return out


# --- tables -------------------------------------------------------------------------------


def _find_tables(lines: list[_Line], table_of_line: dict[int, int]) -> list[Table]:
    tables: list[Table] = []
    n = len(lines)
    i = 0
    while i < n:
        if not lines[i].tabbed:
            stacked = _stacked(lines, i) if lines[i].lone_cell and i not in table_of_line else None
            if stacked is None:
                i += 1
                continue
            meta_lines, groups = stacked
            titles = [ln for ln in meta_lines if _is_title(_clean_title(ln.text))]
            body = [ln for group in groups for ln in group]
            table, i = _table(len(tables), lines, meta_lines, titles[-1] if titles else None, body, _stacked_rows(groups), table_of_line)
            tables.append(table)
            continue
        body_start = i
        body_end = i  # inclusive index of the last body line
        j = i + 1
        while j < n:
            if lines[j].lone_cell and lines[body_end].separator == "|":
                lines[j].separator = "|"
            if lines[j].tabbed:
                body_end = j
                j += 1
                continue
            # A run of non-tab lines: part of the table only if a tab line follows
            # and the run reads as wrapped cell text, not as narrative or a new table.
            k = j
            while k < n and not lines[k].tabbed:
                k += 1
            if k < n and _is_cell_spill(lines[j:k], lines[body_end]):
                body_end = k
                j = k + 1
                continue
            break
        # A unit line cut into cells ("? | 单位:万元 | |") at the top of the body is the table's
        # head, not a row whose cells would become column heads.
        first_row = body_start
        while first_row < body_end and _UNIT_LINE.search(lines[first_row].text):
            first_row += 1
        meta_lines, title_line = _table_head(lines, body_start, table_of_line)
        meta_lines += lines[body_start:first_row]
        body = lines[first_row : body_end + 1]
        table, i = _table(len(tables), lines, meta_lines, title_line, body, _rows(body), table_of_line)
        tables.append(table)
    return tables


def _table(index: int, lines: list[_Line], meta_lines: list[_Line], title_line: _Line | None, body: list[_Line],
           rows: list[TableRow], table_of_line: dict[int, int]) -> tuple[Table, int]:
    """The table whose body is `body` (read into `rows`), with its head lines and the notes below
    it; and the index of the first line after it."""
    note_lines = _table_notes(lines, body[-1].index + 1)
    for ln in [*meta_lines, *body, *note_lines]:
        table_of_line[ln.index] = index
    unit = None
    for ln in [*meta_lines, *note_lines]:
        m = _UNIT_LINE.search(ln.text)
        if m:
            unit = _UNIT_NAMES.get(m.group("unit"), m.group("unit"))
    first = meta_lines[0] if meta_lines else body[0]
    last = note_lines[-1] if note_lines else body[-1]
    table = Table(
        index=index,
        title=_clean_title(title_line.text) if title_line else None,
        title_span=(title_line.start, title_line.end) if title_line else None,
        unit=unit,
        meta=[TableNote(text=ln.text.strip(), start=ln.start, end=ln.end) for ln in meta_lines],
        notes=[TableNote(text=ln.text.strip(), start=ln.start, end=ln.end) for ln in note_lines],
        start=first.start,
        end=last.end,
        rows=rows,
    )
    return table, last.index + 1


_BARS_ONLY = regex.compile(r"^[\s|｜]*[|｜][\s|｜]*$")
# A run of one-cell lines is read as a table only from this many cells: a label and figure or two
# with their bars are more likely prose copied with its borders.
_STACKED_MIN_CELLS = 6


def _stacked(lines: list[_Line], i: int) -> tuple[list[_Line], list[list[_Line]]] | None:
    """A table copied one cell per line ("合计 |", "83.39 |", "1、因公出国(境)费用 |", "0 |" …), read
    back into rows: each row a label and the same number of figures (a bare bar is an empty cell),
    the head the label and column heads right above the first row. (Its head lines, its rows),
    or None when the run does not read so regularly (several figures per label, a running 序号
    column): then which cell goes with which cannot be told."""
    run: list[_Line] = []
    j = i
    while j < len(lines) and (lines[j].lone_cell or _BARS_ONLY.match(lines[j].text)):
        run.append(lines[j])
        j += 1
    cells = [ln for ln in run if ln.lone_cell]
    if len(cells) < _STACKED_MIN_CELLS:
        return None
    is_figure = [_lone_figure(ln) for ln in run]
    first = next((k for k, fig in enumerate(is_figure) if fig), None)
    label_at = next((k for k in range((first or 0) - 1, -1, -1) if run[k].lone_cell), None)
    if first is None or label_at is None or is_figure[label_at]:
        return None
    rows: list[list[_Line]] = []
    k = label_at
    while k < len(run) and run[k].lone_cell and not is_figure[k]:
        m = k + 1
        while m < len(run) and (is_figure[m] or not run[m].lone_cell):
            m += 1
        if m == k + 1:
            break
        rows.append(run[k:m])
        k = m
    width = {len(r) for r in rows}
    if len(rows) < 2 or len(width) != 1 or width == {1}:
        return None
    heads = [ln for ln in run[:label_at] if ln.lone_cell]
    head_row = heads[-width.pop():] if len(heads) >= len(rows[0]) else []
    if head_row and any(_UNIT_LINE.search(ln.text) or _is_title(_clean_title(ln.text)) for ln in head_row):
        head_row = []
    meta = [ln for ln in run[:label_at] if ln.lone_cell and ln not in head_row]
    return meta, ([head_row] if head_row else []) + rows


def _lone_figure(ln: _Line) -> bool:
    return ln.lone_cell and cell_number(_PIPES.split(ln.text, maxsplit=1)[0]) is not None


def _stacked_rows(groups: list[list[_Line]]) -> list[TableRow]:
    rows: list[TableRow] = []
    for r, group in enumerate(groups):
        cells = []
        for c, ln in enumerate(group):
            raw = "" if not ln.lone_cell else _PIPES.split(ln.text, maxsplit=1)[0]
            cells.append(trusted(Cell, {"start": ln.start, "end": ln.start + len(raw), "line": ln.index + 1, "column": 1,
                                        "row": r, "col": c, "text": raw.strip(), "value": cell_number(raw), "header": []}))
        rows.append(trusted(TableRow, {"start": group[0].start, "end": group[-1].end, "line": group[0].index + 1, "column": 1,
                                       "index": r, "cells": cells, "continuation": False}))
    return rows


def _is_cell_spill(run: list[_Line], previous_row: _Line) -> bool:
    content = [ln for ln in run if not ln.blank and not PAGE_FURNITURE.match(ln.text)]
    if not content:
        return True  # a page break inside a table
    if len(content) > 6:
        return False
    for ln in content:
        stripped = ln.text.strip()
        if _TABLE_TITLE.search(stripped.lstrip("#").strip()) or _UNIT_LINE.search(stripped) or _MD_HEADING.match(stripped):
            return False  # the head of another table
    if any(ln.text.lstrip().startswith("<") for ln in content):
        return True  # HTML residue of a cell
    # Narrative between tables is sentences; wrapped cell text follows a row cut short.
    # (A barred row always ends on its bar, so it cannot show that it was cut short.)
    cut_short = previous_row.separator == "|" or not previous_row.text.endswith("\t")
    return cut_short and not all(ln.text.rstrip().endswith("。") and len(ln.text) > 40 for ln in content)


def _table_head(lines: list[_Line], body_start: int, taken: dict[int, int]) -> tuple[list[_Line], _Line | None]:
    meta: list[_Line] = []
    k = body_start - 1
    seen = 0
    while k >= 0 and seen < _TITLE_LOOKBACK:
        ln = lines[k]
        if ln.index in taken:
            break
        if ln.blank or PAGE_FURNITURE.match(ln.text):
            k -= 1
            continue
        body = _clean_title(ln.text)
        if len(body) > _META_MAX or body.endswith(("。", "；", "：")) or (match_marker(body) and not _TABLE_TITLE.search(body)):
            break
        meta.append(ln)
        seen += 1
        if _is_title(body):
            break  # the title is the top of the head
        k -= 1
    meta.reverse()
    titles = [ln for ln in meta if _is_title(_clean_title(ln.text))]
    if titles:
        title = titles[-1]
        meta = meta[meta.index(titles[0]):]
    else:
        # No line names a table: keep only the unit/metadata lines right above the body.
        meta = [ln for ln in meta if _UNIT_LINE.search(ln.text) or _META_LINE.match(ln.text)]
        title = None
    return meta, title


def _is_title(text: str) -> bool:
    text = _title_without_unit(to_simplified(text))
    return bool(_TABLE_TITLE.search(text)) and not _UNIT_LINE.search(text) and not _TABLE_NUMBER.match(text)


# A unit printed at the end of a title line: '部门支出总表（单位：万元）', '“三公”经费支出决算表 单位：万元'.
_TRAILING_UNIT = regex.compile(r"[\s\u3000]*(?:[（(]\s*(?:金额)?单位\s*[：:][^）)]{1,6}[）)]|(?:金额)?单位\s*[：:]\s*\S{1,4})[\s\u3000]*$")


def _title_without_unit(text: str) -> str:
    return _TRAILING_UNIT.sub("", text)


def _table_notes(lines: list[_Line], k: int) -> list[_Line]:
    notes: list[_Line] = []
    n = len(lines)
    while k < n:
        ln = lines[k]
        if ln.blank or PAGE_FURNITURE.match(ln.text):
            k += 1
            continue
        if _NOTE_LINE.match(to_simplified(ln.text)) and not ln.tabbed:
            notes.append(ln)
            k += 1
            continue
        break
    return notes


def _clean_title(text: str) -> str:
    md = _MD_HEADING.match(text)
    return _title_without_unit((md.group(2) if md else text).strip(" \u3000|｜")).strip(" \u3000|｜")


def _rows(body: list[_Line]) -> list[TableRow]:
    # Thousands of cells per report: built trusted (every field typed here) and placed on
    # their line as they are cut, rather than validated and located one by one afterwards.
    rows: list[TableRow] = []
    for ln in body:
        if ln.blank or PAGE_FURNITURE.match(ln.text) or (ln.separator == "|" and _RULE_LINE.match(ln.text)):
            continue
        r = len(rows)
        line = ln.index + 1
        cells: list[Cell] = []
        continuation = not ln.tabbed
        if continuation:
            cells.append(trusted(Cell, {"start": ln.start, "end": ln.end, "line": line, "column": 1, "row": r, "col": 0,
                                        "text": ln.text.strip(), "value": None, "header": []}))
        else:
            for c, (start, raw) in enumerate(_cells(ln)):
                width = len(raw)
                cells.append(trusted(Cell, {"start": start, "end": start + width, "line": line, "column": start - ln.start + 1,
                                            "row": r, "col": c, "text": raw.strip(), "value": cell_number(raw), "header": []}))
        rows.append(trusted(TableRow, {"start": ln.start, "end": ln.end, "line": line, "column": 1, "index": r,
                                       "cells": cells, "continuation": continuation}))
    return rows


def _cells(ln: _Line) -> list[tuple[int, str]]:
    """(offset, raw text) of each cell of a row. Between bars, the empty text before a leading bar
    and after the closing one ("| 合计 | 34.35 |") is the border, not a cell."""
    pieces: list[tuple[int, str]] = []
    pos = ln.start
    for raw in (ln.text.split("\t") if ln.separator == "\t" else _PIPES.split(ln.text)):
        pieces.append((pos, raw))
        pos += len(raw) + 1
    if ln.separator == "|":
        if len(pieces) > 1 and not pieces[0][1].strip(" \u3000"):
            pieces.pop(0)
        if len(pieces) > 1 and not pieces[-1][1].strip(" \u3000"):
            pieces.pop()
    return pieces


_ASCII_NUMBER_CELL = re.compile(r"-?\d{1,3}(?:,\d{3})*(?:\.\d+)?|-?\d+(?:\.\d+)?", re.ASCII).fullmatch
# Any decimal digit, full-width included, before the normalising fallback.
_ANY_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=65536)  # a report prints the same few hundred figures over and over
def cell_number(raw: str) -> Decimal | None:
    """A cell's text as a number ('5,738.89' → 5738.89), or None for text, blanks and dashes."""
    stripped = raw.strip()
    if _ASCII_NUMBER_CELL(stripped):  # the common case, without normalising
        return Decimal(stripped.replace(",", ""))
    if not _ANY_DIGIT.search(stripped):
        return None
    from ..extract.normalize import normalize

    text = normalize(stripped)
    if not _NUMBER_CELL.match(text):
        return None
    try:
        return Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
