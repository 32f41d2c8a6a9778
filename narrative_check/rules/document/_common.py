"""Helpers the document rules share: where the narrative is, as against the tables."""

from __future__ import annotations

from bisect import bisect_right

from ...models.document import Document


class TableSpans:
    """The stretches of the text a table holds (its title, heads, body and notes), to tell a match in a
    table's cell from one in the narrative: a table's heads print what the narrative must not
    ("增长%" as a column head, "合计 | 合计" across a row)."""

    def __init__(self, doc: Document) -> None:
        spans = sorted((t.start, t.end) for t in doc.tables)
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def holds(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]
