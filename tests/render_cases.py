"""Reports for the renderer tests: a hand-made one with hostile text, and the corpus reports."""

from __future__ import annotations

import regex

from narrative_check.models.document import LineIndex
from narrative_check.models.findings import Finding, Related, Report

HOSTILE_TEXT = (
    "标题 <b>粗</b> & 100%\r\n"
    "第二行 <script>alert('x')</script> 文中 ::error file=a:: 50% , : %0A\n"
    "\n"
    "跨行的引文开始\n"
    "结束。表\t\t12.5\t\n"
    "末行 \"引号\" 'single' &amp; \x0c分页"
)


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = [m.start() for m in regex.finditer(regex.escape(needle), text)][nth]
    return start, start + len(needle)


def _finding(text: str, index: LineIndex, rule: str, severity: str, start: int, end: int, **extra) -> Finding:
    line, column = index.position(start)
    return Finding(rule=rule, name=f"{rule.lower()}-name", severity=severity, start=start, end=end,
                   line=line, column=column, quote=text[start:end], **extra)


def hostile_report(file: str = "out,dir:x/报告 <1>%.txt") -> Report:
    """Findings whose quotes, messages and values carry markup, workflow-command syntax, '%', CR/LF,
    overlapping spans, an empty span, a span across lines and one across a CRLF."""
    text = HOSTILE_TEXT
    index = LineIndex(text)
    script = _at(text, "<script>alert('x')</script>")
    overlap = _at(text, "alert('x')</script> 文中")
    empty_cell = _at(text, "\t\t")[0] + 1
    across = _at(text, "跨行的引文开始\n结束")
    crlf = _at(text, "& 100%\r\n第二行")
    bold = _at(text, "<b>粗</b>")
    quotes = _at(text, "\"引号\" 'single' &amp; \x0c分页")
    findings = [
        _finding(text, index, "KPI001", "error", *crlf, message="跨 CRLF 的片段 100%"),
        _finding(text, index, "ARI001", "error", *script,
                 message="文中 <script>alert(1)</script> 与 %0A ::warning:: 100%\r\n第二行, a:b",
                 stated="<b>", expected="50%\n,:", sentence="第二行 <script>alert('x')</script>",
                 related=[Related(start=bold[0], end=bold[1], line=1, quote=text[bold[0]:bold[1]], role="<i>role</i>")]),
        _finding(text, index, "LEX001", "warning", *overlap, message="overlaps the previous one"),
        _finding(text, index, "CON003", "info", *across, message="多行\n引文"),
        _finding(text, index, "TBL002", "error", empty_cell, empty_cell, message="空单元格 ''"),
        _finding(text, index, "LEX002", "warning", *quotes, message="\"quotes\" & 'apostrophes' </a>",
                 related=[Related(start=3, end=9, line=4, quote="上年<数>", role="上年报告", file="prior,<2020>.txt")]),
    ]
    findings.sort(key=lambda f: (f.start, f.end))
    return Report(file=file, findings=findings, text=text)
