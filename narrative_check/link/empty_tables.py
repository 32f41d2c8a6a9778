"""What a report says about empty tables, in one place: statements that a table has no data
("此表无数据", "本表为空表") or that there was no such income or spending ("本部门无政府性基金收支"),
which table kind such a statement is about, and whether a table holds any figure.

XTB003 holds these statements against tables with figures; DOC006 asks every table without figures
for one.
"""

from __future__ import annotations

from typing import Iterator, NamedTuple

import regex

from ..extract.normalize import normalize
from ..extract.tables import CODE
from ..models.document import Cell, Document, Span, Table
from .facts import find_scope

# '本部门无政府性基金收支，故此表无数据', '本表为空表', '此表为空', '以空表列示' (中央部门), '本表无数据'
EMPTY_NOTE = regex.compile(
    r"(?:此表|本表|该表)(?:为)?(?:无数据|为空|空表)|空表列示|(?:无|没有)[^。；]{0,30}(?:收支|收入|支出|经费)[^。；]{0,12}(?:故|因此|所以)?[^。；]{0,6}(?:无数据|为空|空表)"
)
# '本单位 2021 年度无国有资本经营预算财政拨款支出', '我部门没有使用政府性基金安排的支出'
NONE_STATEMENT = regex.compile(
    r"(?:本部门|本单位|我部门|我单位)[^。；，]{0,12}(?:无|没有)(?:使用)?(?P<what>[^。；，]{2,30}?(?:收支|收入|支出|经费))"
)


class Statement(NamedTuple):
    at: Span
    text: str  # what the statement says there was none of, or the whole note


def nonzero_figures(table: Table) -> list[Cell]:
    """The cells of a table's body holding a figure other than zero; a classification code is no figure."""
    return [c for r in table.rows[table.header_rows :] for c in r.cells if c.value not in (None, 0) and not CODE.match(c.text.strip())]


def says_empty(text: str) -> bool:
    """A note or sentence saying a table is empty or there was none of its kind of money, in
    Traditional or full-width characters too ('故本表無數據')."""
    text = normalize(text)
    return bool(EMPTY_NOTE.search(text) or NONE_STATEMENT.search(text))


def note_statements(table: Table) -> Iterator[Statement]:
    for note in table.notes:
        if says_empty(note.text):
            yield Statement(note, note.text)


def narrative_statements(doc: Document) -> Iterator[Statement]:
    """Sentences of the narrative that say there was none of some money ('本单位无…支出'), with the
    money they name."""
    for para in doc.paragraphs:
        raw = doc.text[para.start : para.end]
        # Matched on the Simplified text when reading it so keeps every offset, else as printed.
        text = simplified if len(simplified := normalize(raw)) == len(raw) else raw
        for m in NONE_STATEMENT.finditer(text):
            yield Statement(doc.span(para.start + m.start(), para.start + m.end()), m.group("what"))
        for m in EMPTY_NOTE.finditer(text):
            yield Statement(doc.span(para.start + m.start(), para.start + m.end()), m.group())


def named_subject(text: str) -> str | None:
    """What kind of table a statement is about: a funding scope (gov_fund, state_capital, gpb,
    fiscal) or 'sangong'; None when it names none."""
    if "三公" in text:
        return "sangong"
    return find_scope(text)


def is_about(text: str, table: Table) -> bool:
    """A statement names the table's subject: its funding scope, or “三公” for a “三公” table."""
    subject = named_subject(text)
    if table.flow == "sangong":
        return subject == "sangong"
    return subject is not None and subject == table.scope
