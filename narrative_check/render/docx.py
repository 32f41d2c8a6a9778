"""Word output: the editor's own .docx back, with a Word comment on each flagged span.

The input is opened again and walked as the Word reader walked it, so a finding's source
reference (body paragraph, or table, row, column and paragraph in the cell, plus the character
offset) names the same paragraph. Runs are split at the span's edges, each part keeping the
run's formatting, and the comment is anchored on the runs between; a run holding more than
text (a field, a picture) is not split and the comment takes it whole. A finding on an empty
cell is anchored in that cell. Findings on a sheet of a separate workbook (--tables) have no
place in the Word file and get no comment.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from ..errors import InputError, InputErrorCode
from ..models.findings import Finding, Report

AUTHOR = "narrative-check"
INITIALS = "NC"


def render(reports: list[Report]) -> bytes:
    if len(reports) != 1:
        raise InputError(InputErrorCode.UNSUPPORTED_FORMAT, f"--format docx annotates one Word file at a time, not {len(reports)}")
    report = reports[0]
    from ..read.sniff import sniff_format

    data = _original(report)
    if sniff_format(data, path=report.file) != "docx":
        raise InputError(InputErrorCode.UNSUPPORTED_FORMAT, "--format docx annotates a Word (.docx) input only", path=report.file)
    return annotate(data, report.findings)


def _original(report: Report) -> bytes:
    if not report.file:
        raise InputError(InputErrorCode.UNSUPPORTED_FORMAT, "--format docx needs the report's file")
    try:
        return Path(report.file).read_bytes()
    except OSError as exc:
        raise InputError(InputErrorCode.UNREADABLE, exc.strerror or str(exc), path=report.file) from None


def annotate(data: bytes, findings: list[Finding]) -> bytes:
    """The Word document in `data` with one comment per finding that has a source in it."""
    import docx

    from ..read.docx import P_TAG, body_blocks, cell_paragraphs

    document = docx.Document(io.BytesIO(data))
    paragraphs, tables = [], []
    for block in body_blocks(document.element.body):
        (paragraphs if block.tag == P_TAG else tables).append(block)
    # Later spans first: splitting a run never moves an earlier span's characters.
    for finding in sorted(findings, key=lambda f: (f.source.char or 0) if f.source else 0, reverse=True):
        source = finding.source
        if source is None or source.sheet is not None:
            continue  # a sheet of a --tables workbook is not in the Word file
        if source.table is not None:
            if source.table >= len(tables):
                continue
            cell = _cell(tables[source.table], source.row or 0, source.col or 0)
            if cell is None:
                continue
            in_cell = cell_paragraphs(cell)
            if not in_cell:
                continue
            p = in_cell[min(source.paragraph or 0, len(in_cell) - 1)]
        elif source.paragraph is not None and source.paragraph < len(paragraphs):
            p = paragraphs[source.paragraph]
        else:
            continue
        runs = _anchor(p, source.char, len(finding.quote))
        document.add_comment(runs, text=_comment_text(finding), author=AUTHOR, initials=INITIALS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _comment_text(finding: Finding) -> str:
    text = f"{finding.rule} {finding.name}（{finding.severity}）：{finding.message}"
    if finding.stated is not None:
        text += f"\n原文 / stated：{finding.stated}"
    if finding.expected is not None:
        text += f"\n应为 / expected：{finding.expected}"
    return text


def _cell(tbl, row: int, col: int):
    """The w:tc showing grid position (row, col): a merged cell for the positions it covers."""
    from ..read.docx import table_cells

    above = None
    for r, c, tc, span in table_cells(tbl):
        if c <= col < c + span:
            if tc is not None:
                above = tc if r <= row else above
            if r == row:
                return tc if tc is not None else above
    return None


_SIMPLE = {"rPr", "t", "tab", "br", "cr", "noBreakHyphen", "lastRenderedPageBreak"}
_BREAK_TYPE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type"


def _splittable(r) -> bool:
    """Can the run be rewritten from its text? Not when it holds more than text, a page or
    column break included (its text shows none, so rewriting would drop it)."""
    return all(
        isinstance(child.tag, str)
        and child.tag.rsplit("}", 1)[-1] in _SIMPLE
        and not (child.tag.endswith("}br") and child.get(_BREAK_TYPE, "textWrapping") != "textWrapping")
        for child in r
    )


def _anchor(p, char: int | None, length: int) -> list:
    """The runs covering [char, char + length) of the paragraph, split at the edges."""
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    from ..read.docx import paragraph_runs, run_text

    parent = Paragraph(p, None)
    runs = list(paragraph_runs(p))
    if not runs:
        return [parent.add_run("")]
    if char is None:  # text the reader added (numbering) or an empty cell: the whole paragraph
        return [Run(runs[0], parent), Run(runs[-1], parent)]
    start, end = char, char + max(length, 1)
    covered = []
    pos = 0
    for r in runs:
        text = run_text(r)
        r_start, r_end = pos, pos + len(text)
        pos = r_end
        if r_end <= start or r_start >= end or not text:
            continue
        if _splittable(r) and r_start < start < r_end:
            r = _split(r, start - r_start, parent)  # keep the right part
            r_start, text = start, run_text(r)
        if _splittable(r) and r_start < end < r_start + len(text):
            _split(r, end - r_start, parent)  # the right part is outside the span
        covered.append(r)
    if not covered:
        return [Run(runs[-1], parent)]
    return [Run(covered[0], parent), Run(covered[-1], parent)]


def _split(r, k: int, parent):
    """Split run `r` at character k; both parts keep its formatting. Returns the right part."""
    from docx.text.run import Run

    from ..read.docx import run_text

    text = run_text(r)
    right = copy.deepcopy(r)
    r.addnext(right)
    Run(r, parent).text = text[:k]
    Run(right, parent).text = text[k:]
    return right
