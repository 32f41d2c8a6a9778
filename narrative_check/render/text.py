"""`path:line:col (place in the original): CODE severity message`, then the quoted sentence."""

from __future__ import annotations

import regex

from ..errors import printable
from ..lang import FIX_AND_TIED, Lang
from ..models.findings import Report
from .places import place


def render(reports: list[Report]) -> str:
    lines: list[str] = []
    for report in reports:
        name = report.file or "<text>"
        for f in report.findings:
            # path:line:col first, for editors' tools to jump to; then the place in a Word/PDF original
            where = f" ({words})" if (words := place(f.source, report.lang)) else ""
            lines.append(f"{name}:{f.line}:{f.column}{where}: {f.rule} {f.severity} {f.message}")
            context = _one_line(f.sentence or f.quote)
            lines.append(f"    > {context}")
            if said := f.stated_and_expected(report.lang):
                lines.append("      " + "   ".join(f"{label}: {value}" for label, value in said))
            fix_label, tied_label = FIX_AND_TIED[report.lang]
            if f.fix:
                lines.append(f"      {fix_label}: {f.fix.message}")
            for tied in f.tied:
                lines.append(f"      {tied_label} {tied.rule}: {tied.message}")
    # Names and quotes are the input's: no terminal escape, stray newline or '::' command gets through.
    return "".join(printable(line) + "\n" for line in lines)


def _one_line(text: str) -> str:
    """A quote on one line: page breaks and wraps inside Chinese text vanish, other runs of space become one."""
    text = regex.sub(r"(?<=[^\x00-\x7f])\s*\n\s*|\s*\n\s*(?=[^\x00-\x7f])", "", text)
    return " ".join(text.split())


def summary(reports: list[Report], lang: Lang = "zh") -> str:
    """One line for stderr, in the editor's language: what was found and how much could be checked."""
    errors = sum(1 for r in reports for f in r.findings if f.severity == "error")
    warnings = sum(1 for r in reports for f in r.findings if f.severity == "warning")
    infos = sum(1 for r in reports for f in r.findings if f.severity == "info")
    found = sum(sum(r.stats.claims_found.values()) for r in reports)
    checked = sum(r.stats.claims_checked for r in reports)
    # No error because nothing was found is not a pass: say so, naming the files.
    empty = [r.file or "<text>" for r in reports if not any(r.stats.claims_found.values())]
    named = f"{', '.join(empty[:3])}{' …' if len(empty) > 3 else ''}"
    if lang == "en":
        line = (f"{len(reports)} file(s): {errors} error(s), {warnings} warning(s), {infos} info; "
                f"{found} claims found, {checked} checked")
        if empty:
            line += f"; {len(empty)} file(s) with no claim found, nothing checked: {named}"
    else:
        line = (f"{len(reports)} 个文件：{errors} 个错误，{warnings} 个警告，{infos} 个提示；"
                f"识别 {found} 条数字表述，核验 {checked} 条")
        if empty:
            line += f"；{len(empty)} 个文件未识别到任何数字表述，未做核验：{named}"
    return printable(line)
