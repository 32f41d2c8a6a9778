"""One renderer per output format, behind one small interface.

A renderer takes the reports and returns the whole output: `str` for text formats, `bytes`
for binary ones. Each report carries what a renderer may need besides its findings: `file`
(the source path, for formats that annotate the original) and `text` (the decoded text the
offsets point into, for formats that show it). The CLI looks a format up in `RENDERERS` and
writes what it returns; no format is special-cased there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..models.findings import Report
from . import diff as diff_renderer
from . import docx as docx_renderer
from . import github as github_renderer
from . import html as html_renderer
from . import json as json_renderer
from . import sarif as sarif_renderer
from . import statistics as statistics_renderer
from . import text as text_renderer

Renderer = Callable[[list[Report]], "str | bytes"]


@dataclass(frozen=True)
class Format:
    render: Renderer
    help: str
    binary: bool = False
    """The output is bytes: written only to --output, never to the terminal."""


RENDERERS: dict[str, Format] = {
    "text": Format(text_renderer.render, "path:line:col (page, paragraph or table cell of a Word/PDF original): CODE severity message, then the quote"),
    "json": Format(json_renderer.render, "the reports as JSON (see `narrative-check schema`)"),
    "sarif": Format(sarif_renderer.render, "SARIF 2.1.0, for code-scanning tools"),
    "github": Format(github_renderer.render, "GitHub Actions workflow annotations"),
    "html": Format(html_renderer.render, "one self-contained page with the findings marked in the text"),
    "diff": Format(diff_renderer.render, "the suggested edits as a unified diff of each report's text"),
    "docx": Format(docx_renderer.render, "the Word input back, with a comment on each finding (needs --output)", binary=True),
}

STATISTICS: dict[str, Renderer] = {
    "text": statistics_renderer.render,
    "json": statistics_renderer.render_json,
}
"""`--statistics`: counts per rule instead of the findings, in the formats that support it."""
