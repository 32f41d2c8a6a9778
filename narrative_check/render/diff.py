"""`--format diff`: the suggested edits as a unified diff of each report's text.

The diff is of the text narrative_check read (for Word, PDF and web pages, the extracted text,
whose lines are its paragraphs), so `patch` applies it to a plain-text report and an editor
reads it as a list of corrections anywhere else. Edits that overlap one already taken are left
out whole (a fix is never half applied), as a linter leaves out a second fix for the same
characters; each edit is written once however many findings suggest it.
"""

from __future__ import annotations

import difflib

from ..errors import escape_controls
from ..models.findings import Edit, Report
from . import fixes


def render(reports: list[Report]) -> str:
    out: list[str] = []
    for report in reports:
        if report.text is None:
            continue
        edits = chosen_edits(report)
        if not edits:
            continue
        # A file name may hold control characters: shown, never obeyed. The lines of the text are
        # the report's own, written as they are so that `patch` applies them.
        name = escape_controls(report.file or "<text>")
        diff = difflib.unified_diff(report.text.splitlines(keepends=True), apply(report.text, edits).splitlines(keepends=True),
                                    fromfile=f"a/{name}", tofile=f"b/{name}")
        for line in diff:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def chosen_edits(report: Report) -> list[Edit]:
    """The report's suggested edits in text order: each fix whole or not at all, each edit once."""
    return fixes.chosen_edits(report.findings)


def apply(text: str, edits: list[Edit]) -> str:
    """`text` with non-overlapping `edits` (in text order) made."""
    pieces, at = [], 0
    for edit in edits:
        pieces.append(text[at : edit.start])
        pieces.append(edit.after)
        at = edit.end
    pieces.append(text[at:])
    return "".join(pieces)
