"""GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…::message` line per finding.

Escaping follows the runner's rules: in the message `%`, CR and LF are percent-encoded; in
property values `:` and `,` are too. Columns are given only for spans on one line, as GitHub
ignores them otherwise.
"""

from __future__ import annotations

from ..errors import escape_controls
from ..models.findings import Report
from .places import place
from .positions import Positions

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def render(reports: list[Report]) -> str:
    lines = []
    for report in reports:
        positions = Positions(report)
        for f in report.findings:
            end_line, end_column = positions.end(f.line, f.column, f.end, f.quote)
            props = {"file": report.file or "stdin", "line": f.line}
            if end_line == f.line:
                # An empty span (an empty table cell) still marks the column it sits at.
                props.update(col=f.column, endLine=end_line, endColumn=max(end_column, f.column + 1))
            else:
                props["endLine"] = end_line
            # line and column count in the extracted text: the title names the place in a Word/PDF original
            props["title"] = f"{f.rule} {f.name}" + (f" ({words})" if (words := place(f.source, report.lang)) else "")
            message = f.message
            if said := f.stated_and_expected(report.lang):
                message += "\n" + "  ".join(f"{label}：{value}" for label, value in said)
            # after the runner's escaping: a file name's ESC or bidi override is shown, not obeyed
            properties = ",".join(f"{key}={escape_controls(escape_property(str(value)))}" for key, value in props.items())
            lines.append(f"::{COMMAND[f.severity]} {properties}::{escape_controls(escape_data(message))}")
    return "".join(line + "\n" for line in lines)


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
