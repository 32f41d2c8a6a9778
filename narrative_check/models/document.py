"""The document model: what a reader makes of a report, before any claim is read.

Offsets (`start`/`end`) are Python ``str`` indices into ``Document.text``, the
decoded input before any normalisation; they are the truth. ``line`` and
``column`` (1-based) are derived from them.
"""

from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal
from functools import cached_property
from itertools import accumulate
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Span(BaseModel):
    """A stretch of the input text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    line: int = Field(description="1-based line of `start`")
    column: int = Field(description="1-based column of `start`, in characters")
    page: int | None = Field(default=None, description="1-based page, for paged inputs")


class SourceRef(BaseModel):
    """Where a stretch of extracted text sits in the original file (Word, PDF, web page, workbook).

    Plain text needs none: its offsets are already positions in the file.
    """

    model_config = ConfigDict(frozen=True)

    page: int | None = Field(default=None, description="1-based page of a PDF")
    table: int | None = Field(default=None, description="0-based index of the table in the file (a workbook's sheet)")
    row: int | None = Field(default=None, description="0-based row of that table in the file")
    col: int | None = Field(default=None, description="0-based grid column of that table in the file")
    paragraph: int | None = Field(
        default=None,
        description="0-based index of the Word paragraph: among the body's paragraphs, or inside the cell when `table` is set",
    )
    char: int | None = Field(
        default=None,
        description="0-based offset into that paragraph's text where the stretch begins; None for text the reader added (automatic numbering)",
    )
    sheet: str | None = Field(default=None, description="the workbook sheet the table came from")


class Origin(BaseModel):
    """One stretch [start, end) of the extracted text and where it came from."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    source: SourceRef


class LineIndex:
    """Maps character offsets to 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        # Line lengths summed in C: a generator over every character cost more than parsing.
        self._line_starts = [0, *accumulate(len(line) + 1 for line in text.split("\n"))][:-1]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


_M = TypeVar("_M", bound=BaseModel)
_new = object.__new__
_set = object.__setattr__


def trusted(cls: type[_M], fields: dict[str, Any]) -> _M:
    """A model built from values the reader has typed itself, without validating them again.

    For the thousands of table cells of a report: validation was half of reading them. `fields`
    must hold every field, defaults included, with the declared types; tests compare the
    result with the validated model.
    """
    obj = _new(cls)
    _set(obj, "__dict__", fields)
    _set(obj, "__pydantic_fields_set__", _EVERY_FIELD.get(cls) or _every_field(cls))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_EVERY_FIELD: dict[type, set[str]] = {}


def _every_field(cls: type[BaseModel]) -> set[str]:
    """One set of all its field names per model class, shared by its trusted instances: every
    field is set, so assigning one adds a name already there and the set never changes. (A set
    per instance was a third of the objects a check left for the garbage collector to walk.)"""
    names = _EVERY_FIELD.get(cls)
    if names is None:
        names = _EVERY_FIELD[cls] = set(cls.model_fields)
    return names


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
    header: list[str] = Field(default_factory=list, description="the column heads above the cell, outermost first")


class TableRow(Located):
    index: int
    cells: list[Cell]
    continuation: bool = Field(
        default=False,
        description="a line without tabs inside the table: text that wrapped out of a cell above",
    )


class TableNote(Located):
    text: str


class Column(BaseModel):
    index: int
    block: int = Field(description="side-by-side blocks (收入 | 支出, 人员经费 | 公用经费) are numbered from 0")
    header: list[str] = Field(default_factory=list)
    kind: str = Field(description="code, code_part (the 款 or 项 digits of a code printed over 类 | 款 | 项 columns), label, "
                                  "value, numbering (line numbers under 行次 or 序号) or empty")
    role: str | None = Field(default=None, description="total, basic, project, gpb, … from the head")
    year: int | None = Field(default=None, description="a year named in the head ('2023年预算数')")
    basis: str | None = Field(default=None, description="'budget' (预算数) or 'final' (决算数) when the head says")


class RecordValue(BaseModel):
    role: str
    col: int
    value: Decimal | None
    scope: str | None = Field(default=None, description="the funding source a column narrows to (gpb …)")
    flow: str | None = Field(default=None, description="income or expenditure when the head says ('本年收入')")
    year: int | None = None
    basis: str | None = None


class Record(BaseModel):
    """One line of one block of a table: a code and name (or a label) with its figures."""

    row: int
    block: int
    code: str | None = None
    code_inferred: bool = Field(default=False, description="the code was found from the name in the catalogue")
    code_col: int | None = Field(default=None, description="the column the code was read from (its first printed part "
                                                           "when it is printed over 类 | 款 | 项)")
    label: str = ""
    label_col: int | None = Field(default=None, description="the column the label was read from")
    marker: str = Field(default="", description="the numbering the label carried ('一、', '(1)')")
    total: str | None = Field(default=None, description="'subtotal' or 'grand' for 合计/总计 rows")
    flow: str | None = Field(default=None, description="income or expenditure for a block of an overview table")
    values: list[RecordValue] = Field(default_factory=list)


class Table(Located):
    index: int
    title: str | None
    title_span: tuple[int, int] | None = None
    unit: str | None = Field(default=None, description="the table's money unit: 元, 万元, 亿元")
    meta: list[TableNote] = Field(default_factory=list, description="lines between title and body")
    notes: list[TableNote] = Field(default_factory=list, description="备注/注 lines after the body")
    rows: list[TableRow]
    kind: str | None = Field(default=None, description="the standard table this is, from its title")
    scope: str | None = None
    flow: str | None = None
    header_rows: int = 0
    columns: list[Column] = Field(default_factory=list)
    records: list[Record] = Field(default_factory=list)


class Document(BaseModel):
    """A report as read: the decoded text and its structure."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    path: str | None = None
    text: str
    encoding: str
    sections: list[Section] = Field(default_factory=list)
    paragraphs: list[Paragraph] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    origins: list[Origin] = Field(
        default_factory=list,
        description="where each stretch of `text` came from, in order of `start`; empty for plain text",
    )

    @cached_property
    def line_index(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def _origin_starts(self) -> list[int]:
        return [o.start for o in self.origins]

    def source_at(self, offset: int) -> SourceRef | None:
        """The place in the original file of the character at `offset`, if the reader recorded one."""
        i = bisect_right(self._origin_starts, offset) - 1
        if i < 0:
            return None
        origin = self.origins[i]
        if offset >= origin.end and not (offset == origin.end == origin.start):
            return None
        if origin.source.char is None or offset == origin.start:
            return origin.source
        return origin.source.model_copy(update={"char": origin.source.char + offset - origin.start})

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
            # Rows and cells are placed by the reader, which knows their line.
        for element in elements:
            # Straight into the field storage: derived values, set for tens of thousands of
            # elements, need neither validation nor pydantic's __setattr__.
            fields = element.__dict__
            fields["line"], fields["column"] = index.position(element.start)

    def span(self, start: int, end: int) -> Span:
        line, column = self.line_index.position(start)
        source = self.source_at(start)
        return Span(start=start, end=end, line=line, column=column, page=source.page if source else None)

    def section_path(self, section: int | None) -> list[Section]:
        """The section and its ancestors, outermost first."""
        path: list[Section] = []
        while section is not None:
            path.append(self.sections[section])
            section = self.sections[section].parent
        return path[::-1]
