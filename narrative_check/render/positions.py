"""Line and column of offsets, for formats that give both ends of a span (SARIF, GitHub)."""

from __future__ import annotations

from ..models.document import LineIndex
from ..models.findings import Report


class Positions:
    """Line and column (1-based, in characters) of offsets into one report's text.

    Without the text (a report read back from JSON), a span's end is worked out from its start
    and its quote, which is the exact text of the span.
    """

    def __init__(self, report: Report) -> None:
        self._index = LineIndex(report.text) if report.text is not None else None

    @property
    def has_text(self) -> bool:
        return self._index is not None

    def start(self, offset: int) -> tuple[int, int] | None:
        return self._index.position(offset) if self._index else None

    def end(self, start_line: int, start_column: int, end: int, quote: str) -> tuple[int, int]:
        """Line and column of the character after the span."""
        if self._index is not None:
            return self._index.position(end)
        if "\n" in quote:
            return start_line + quote.count("\n"), len(quote) - quote.rfind("\n")
        return start_line, start_column + len(quote)
