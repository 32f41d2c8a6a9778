"""The common ground of every reader: the plain-text layout, with where each stretch came from.

A Word, PDF, HTML or workbook reader does not build the document model itself. It lays its
content out the way the text reader expects a report extracted to text — one line per
paragraph or heading with a blank line between, a title line above each table, one line per
table row with cells separated by tabs — records the origin of every stretch it writes, and
hands the text to `parse_text`. Headings, page-break joining and table analysis therefore
live in one place and behave the same whatever the input was.
"""

from __future__ import annotations

import regex

from ..models.document import Document, Origin, SourceRef
from .text import TextLimits, parse_text

# Characters that carry structure in the layout: inside a paragraph or a cell they are
# replaced one for one by a space, so character offsets into the source text stay valid.
_LAYOUT_CHARS = regex.compile(r"[\t\n\r\f\v\u2028\u2029\x0b\x0c]")
_WORD_END = regex.compile(r"[A-Za-z]$")
_WORD_START = regex.compile(r"^[A-Za-z]")
# Table spans (HTML colspan/rowspan, Word gridSpan/gridBefore): one beyond MAX_SPAN columns or
# rows is a damaged file, not a table.
MAX_SPAN = 200
# A grid this many times larger than the cells in it (plus some slack) is spans gone wrong.
_MAX_GRID_PER_CELL = 20
_MAX_GRID_SLACK = 400


def grid_out_of_proportion(positions: int, cells: int) -> bool:
    """Do `cells` cells spread over `positions` grid positions? Then their spans are broken or
    hostile (a 2 MB file of cells each spanning 200 columns would make a grid of hundreds of
    millions), and the table is read without them."""
    return positions > _MAX_GRID_PER_CELL * cells + _MAX_GRID_SLACK


def flat(text: str) -> str:
    """Text made safe for one line or one cell of the layout, with the same length."""
    return _LAYOUT_CHARS.sub(" ", text)


def join_wrapped(pieces: list[str]) -> str:
    """Join the lines a cell or paragraph wrapped over: nothing between, except a space between
    two Latin words (the wrap ate the space there). Narrow cells break numbers anywhere
    ("8843." / "23"), so digits are joined as they are."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and _WORD_END.search(out) and _WORD_START.match(piece):
            out += " "
        out += piece
    return out


Piece = tuple[str, SourceRef | None]


def _cell(pieces: list[Piece]) -> list[Piece]:
    """A cell's pieces made safe and trimmed; an empty cell keeps its origin as an empty piece,
    so a finding on it (a missing figure) still knows where the cell is."""
    sources = [source for _, source in pieces if source is not None]
    trimmed = _trimmed([(flat(text), source) for text, source in pieces if text])
    if not trimmed and sources:
        return [("", sources[0].model_copy(update={"char": None}))]
    return trimmed


def _trimmed(pieces: list[Piece]) -> list[Piece]:
    """A cell's pieces without the spaces around the cell text, origins' offsets kept right."""
    while pieces and not pieces[0][0].strip():
        pieces = pieces[1:]
    while pieces and not pieces[-1][0].strip():
        pieces = pieces[:-1]
    if not pieces:
        return []
    first_text, first_source = pieces[0]
    lead = len(first_text) - len(first_text.lstrip())
    if lead and first_source is not None and first_source.char is not None:
        first_source = first_source.model_copy(update={"char": first_source.char + lead})
    pieces = [(first_text[lead:], first_source), *pieces[1:]]
    last_text, last_source = pieces[-1]
    pieces[-1] = (last_text.rstrip(), last_source)
    return pieces


class Layout:
    """Text being laid out, with the origin of each stretch."""

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self._length = 0
        self.origins: list[Origin] = []
        self._pending_blank = False

    def _write(self, text: str, source: SourceRef | None = None) -> None:
        if source is not None:
            self.origins.append(Origin(start=self._length, end=self._length + len(text), source=source))
        self._chunks.append(text)
        self._length += len(text)

    def _open_line(self) -> None:
        """Start a block: a blank line after the previous one, as between paragraphs of extracted text."""
        if self._length and self._pending_blank:
            self._write("\n")
        self._pending_blank = False

    def paragraph(self, pieces: list[Piece]) -> None:
        """One paragraph or heading: a line of its own, set off by blank lines."""
        self._text_line(pieces, set_off=True)

    def line(self, pieces: list[Piece]) -> None:
        """A line right under the previous one (a table's unit or metadata line, a wrapped line)."""
        self._text_line(pieces, set_off=False)

    def _text_line(self, pieces: list[Piece], *, set_off: bool) -> None:
        pieces = [(flat(text), source) for text, source in pieces if text]
        if not "".join(text for text, _ in pieces).strip():
            return
        if set_off:
            self._open_line()
        else:
            self._pending_blank = False
        for text, source in pieces:
            self._write(text, source)
        self._write("\n")
        self._pending_blank = set_off

    def table(self, rows: list[list[list[Piece]]]) -> None:
        """A table: rows of cells, each cell the pieces of its text, written as tab-separated
        lines. Rows with no text are dropped (an empty line would end the table); a table of
        one column is not a table to the text reader, so its cells are written as paragraphs
        (Word uses one-cell tables as frames)."""
        rows = [[_cell(cell) for cell in row] for row in rows]
        rows = [row for row in rows if any(text for cell in row for text, _ in cell)]
        if not rows:
            return
        width = max(len(row) for row in rows)
        if width < 2:
            for row in rows:
                for cell in row:
                    self.paragraph(cell)
            return
        self._open_line()
        for row in rows:
            for c in range(width):
                if c:
                    self._write("\t")
                for text, source in row[c] if c < len(row) else []:
                    self._write(text, source)
            self._write("\n")
        self._pending_blank = True

    def raw(self, text: str) -> None:
        """Text already in the layout (a .txt file), with no origin to record."""
        self._open_line()
        self._write(text)
        if not text.endswith("\n"):
            self._write("\n")
        self._pending_blank = True

    @property
    def text(self) -> str:
        return "".join(self._chunks)

    def document(self, *, path: str | None, encoding: str, limits: TextLimits | None = None) -> Document:
        doc = parse_text(self.text, path=path, encoding=encoding, limits=limits)
        doc.origins = self.origins
        return doc
