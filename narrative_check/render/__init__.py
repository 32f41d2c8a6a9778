"""One renderer per output format, behind one small interface.

A renderer takes the reports and returns the whole output: `str` for text formats, `bytes`
for binary ones. Each report carries what a renderer may need besides its findings: `file`
(the source path, for formats that annotate the original) and `text` (the decoded text the
offsets point into, for formats that show it). The CLI looks a format up in `RENDERERS` and
writes what it returns; no format is special-cased there. A format's module is imported when
it renders, so a check printing text does not pay for the page, SARIF and Word renderers.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

from ..models.findings import Report
from . import statistics as statistics_renderer

Renderer = Callable[[list[Report]], "str | bytes"]


@dataclass(frozen=True)
class Format:
    module: str
    """The module of this package whose `render(reports)` makes the output."""
    help: str
    binary: bool = False
    """The output is bytes: written only to --output, never to the terminal."""

    def render(self, reports: list[Report]) -> str | bytes:
        return import_module(f"{__name__}.{self.module}").render(reports)


RENDERERS: dict[str, Format] = {
    "text": Format("text", "path:line:col (page, paragraph or table cell of a Word/PDF original): CODE severity message, then the quote"),
    "json": Format("json", "the reports as JSON (see `narrative-check schema`)"),
    "sarif": Format("sarif", "SARIF 2.1.0, for code-scanning tools"),
    "github": Format("github", "GitHub Actions workflow annotations"),
    "html": Format("html", "one self-contained page with the findings marked in the text"),
    "diff": Format("diff", "the suggested edits as a unified diff of each report's text"),
    "docx": Format("docx", "the Word input back, with a comment on each finding and its suggested edits as tracked changes (needs --output)", binary=True),
}

STATISTICS: dict[str, Renderer] = {
    "text": statistics_renderer.render,
    "json": statistics_renderer.render_json,
}
"""`--statistics`: counts per rule instead of the findings, in the formats that support it."""
