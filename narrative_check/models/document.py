"""The document model: what a reader makes of a report, before any claim is read.

Offsets (`start`/`end`) are Python ``str`` indices into ``Document.text``, the
decoded input before any normalisation; they are the truth. ``line`` and
``column`` (1-based) are derived from them.
"""

from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field


class Span(BaseModel):
    """A stretch of the input text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    line: int = Field(description="1-based line of `start`")
    column: int = Field(description="1-based column of `start`, in characters")
    page: int | None = Field(default=None, description="1-based page, for paged inputs")


class LineIndex:
    """Maps character offsets to 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self._line_starts = [0]
        self._line_starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


class Located(BaseModel):
    """An element of the document: its offsets, and the line and column they start at."""

    start: int
    end: int
    line: int = Field(default=0, description="1-based line of `start` (derived)")
    column: int = Field(default=0, description="1-based column of `start` (derived)")


class Sentence(Located):
    pass


class Paragraph(Located):
    """A logical paragraph: physical lines re-joined across wraps and page breaks."""

    index: int
    segments: list[tuple[int, int]] = Field(
        description="the physical pieces (start, end) the paragraph was joined from"
    )
    section: int | None = Field(default=None, description="index of the innermost section")
    sentences: list[Sentence] = Field(default_factory=list)


class Section(Located):
    index: int
    level: int = Field(description="1 for 一、 or #, deeper for （一）, 1., （1）…")
    marker: str = Field(description="the numbering as written: '一、', '（二）', '3.', '#', ''")
    title: str
    parent: int | None = None


class Cell(Located):
    row: int
    col: int
    text: str
    value: Decimal | None = Field(default=None, description="the cell read as a number, if it is one")


class TableRow(Located):
    index: int
    cells: list[Cell]
    continuation: bool = Field(
        default=False,
        description="a line without tabs inside the table: text that wrapped out of a cell above",
    )


class TableNote(Located):
    text: str


class Table(Located):
    index: int
    title: str | None
    title_span: tuple[int, int] | None = None
    unit: str | None = Field(default=None, description="the table's money unit: 元, 万元, 亿元")
    meta: list[TableNote] = Field(default_factory=list, description="lines between title and body")
    notes: list[TableNote] = Field(default_factory=list, description="备注/注 lines after the body")
    rows: list[TableRow]


class Document(BaseModel):
    """A report as read: the decoded text and its structure."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: str | None = None
    text: str
    encoding: str
    sections: list[Section] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)

    @cached_property
    def line_index(self) -> LineIndex:
        return LineIndex(self.text)

    def locate(self) -> None:
        """Fill in `line` and `column` of every element from its `start`."""
        index = self.line_index
        elements: list[Located] = [*self.sections]
        for p in self.paragraphs:
            elements.append(p)
            elements.extend(p.sentences)
        for t in self.tables:
            elements.append(t)
            elements.extend(t.meta)
            elements.extend(t.notes)
            for r in t.rows:
                elements.append(r)
                elements.extend(r.cells)
        for element in elements:
            element.line, element.column = index.position(element.start)

    def span(self, start: int, end: int) -> Span:
        line, column = self.line_index.position(start)
        return Span(start=start, end=end, line=line, column=column)

    def section_path(self, section: int | None) -> list[Section]:
        """The section and its ancestors, outermost first."""
        path: list[Section] = []
        while section is not None:
            path.append(self.sections[section])
            section = self.sections[section].parent
        return path[::-1]
