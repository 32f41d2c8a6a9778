"""Word output: the editor's own .docx back, with a Word comment on each flagged span and each
suggested correction written as Word tracked changes.

The input is opened again and walked as the Word reader walked it, so a finding's source
reference (body paragraph, or table, row, column and paragraph in the cell, plus the character
offset) names the same paragraph. Runs are split at the span's edges, each part keeping the
run's formatting, and the comment is anchored on the runs between; a run holding more than
text (a field, a picture) is not split and the comment takes it whole. A finding on an empty
cell is anchored in that cell. Findings on a sheet of a separate workbook (--tables) have no
place in the Word file and get no comment.

A finding's fix becomes tracked changes next to its comment: the replaced runs wrapped in a
w:del (their text as w:delText), the new text in a w:ins after them with the first replaced
run's formatting, so the editor accepts or rejects each in Word. An edit is left as words in
the comment when it would take more than plain text runs under one parent (a field, a picture,
part of a hyperlink), cross paragraphs, or when its `before` is not the text found there; an
edit several findings carry is written once, and one overlapping an edit already written is
not written.

Positions are counted in the text as the reader reads it, narrative-check's own suggestions
rejected (read/docx.py): the deleted text counts, the inserted does not. So writing a tracked
change moves no other finding's offsets, and a re-check of an annotated file reads the same
text. Before annotating, the comments and tracked changes narrative-check wrote earlier are
removed (its insertions dropped, its deletions restored): a re-check replaces them. Those of
anyone else are left as they are.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import InputError, InputErrorCode
from ..lang import FIX_AND_TIED, SEVERITY_WORDS
from ..models.findings import Edit, Finding, Report
from ..read.docx import AUTHOR_ATTR, DEL_TAG, DEL_TEXT_TAG, INS_TAG, SUGGESTION_AUTHOR, W, is_suggestion
from .fixes import new_edits

AUTHOR = SUGGESTION_AUTHOR
INITIALS = "NC"


_ID = f"{{{W}}}id"
_R, _T, _RPR = (f"{{{W}}}{t}" for t in ("r", "t", "rPr"))
_COMMENT_MARKS = {f"{{{W}}}{t}" for t in ("commentRangeStart", "commentRangeEnd", "commentReference")}
_COMMENT_REFERENCE = f"{{{W}}}commentReference"
_W14_PARA_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
# Where a run may be rewrapped as a tracked change: the paragraph itself and the containers that
# only group runs. Not a field (fldSimple: Word recomputes its result) nor anyone's tracked change.
_PLAIN_PARENTS = {f"{{{W}}}{t}" for t in ("p", "hyperlink", "smartTag", "customXml", "sdtContent")}
# Marks that may sit between the runs of a tracked change and move into it with them.
_RANGE_MARKS = {f"{{{W}}}{t}" for t in ("bookmarkStart", "bookmarkEnd", "proofErr", "commentRangeStart", "commentRangeEnd", "permStart", "permEnd")}


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
    """The Word document in `data` with one comment per finding that has a source in it and
    its fix, where it can be written, as tracked changes; narrative-check's earlier comments
    and suggestions replaced."""
    import docx

    document = docx.Document(io.BytesIO(data))
    remove_own_annotations(document)
    places = _Places(document.element.body)
    in_order = sorted(findings, key=lambda f: (f.start, f.end))
    revisions = _Revisions(document, comments_to_add=len(in_order))
    unwritten = _write_fixes(in_order, places, revisions)
    for finding in in_order:
        source = finding.source
        if source is None or source.sheet is not None:
            continue  # a sheet of a --tables workbook is not in the Word file
        p = places.paragraph(source)
        if p is None:
            continue
        first, last = _anchor(p, source.char, len(finding.quote))
        comment = document.comments.add_comment(text=comment_text(finding, unwritten.get(id(finding))), author=AUTHOR, initials=INITIALS)
        _mark_comment_range(first, last, comment.comment_id)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- comment text ---------------------------------------------------------------------------


@cache
def _summaries() -> dict[str, str]:
    from ..rules import all_rules

    return {code: getattr(rule, "summary", "") for code, rule in all_rules().items()}


def comment_text(finding: Finding, unwritten: str | None = None) -> str:
    """The comment: the rule in words with its code, the message, what is stated and what it
    should be, and the suggested correction, saying whether it is in the text as a tracked
    change or, when it could not be written, why, and the other findings the same slip gave.
    Comments are written into the editor's Chinese document: in Chinese whatever --lang says."""
    summary = _summaries().get(finding.rule) or finding.name
    severity = SEVERITY_WORDS["zh"].get(finding.severity, finding.severity)
    lines = [f"{summary}（{finding.rule}，{severity}）", finding.message]
    lines += [f"{label}：{value}" for label, value in finding.stated_and_expected("zh")]
    if finding.fix is not None:
        how = f"未标为修订：{unwritten}" if unwritten else "已在文中标为修订，可接受或拒绝"
        lines.append(f"建议修改：{finding.fix.message}（{how}）")
    _, tied_label = FIX_AND_TIED["zh"]
    lines += [f"{tied_label} {tied.rule}：{tied.message}" for tied in finding.tied]
    return "\n".join(lines)


# --- finding the paragraph ----------------------------------------------------------------


class _Places:
    """The body's paragraphs and tables, indexed as the reader indexed them."""

    def __init__(self, body) -> None:
        from ..read.docx import P_TAG, body_blocks

        self.paragraphs, self.tables = [], []
        for block in body_blocks(body):
            (self.paragraphs if block.tag == P_TAG else self.tables).append(block)
        self._grids: dict[int, dict[tuple[int, int], object]] = {}

    def paragraph(self, source):
        """The w:p a source reference names, or None when the file has no such place."""
        from ..read.docx import cell_paragraphs

        if source.sheet is not None:
            return None
        if source.table is not None:
            if source.table >= len(self.tables):
                return None
            if source.table not in self._grids:  # walked once per table, not once per finding
                self._grids[source.table] = _cell_grid(self.tables[source.table])
            cell = self._grids[source.table].get((source.row or 0, source.col or 0))
            in_cell = cell_paragraphs(cell) if cell is not None else []
            return in_cell[min(source.paragraph or 0, len(in_cell) - 1)] if in_cell else None
        if source.paragraph is not None and source.paragraph < len(self.paragraphs):
            return self.paragraphs[source.paragraph]
        return None


def _cell_grid(tbl) -> dict[tuple[int, int], object]:
    """(row, grid column) → the w:tc showing it: a merged cell for every position it covers,
    a vertically merged one for the rows below it too."""
    from ..read.docx import table_cells

    grid: dict[tuple[int, int], object] = {}
    above: dict[int, object] = {}  # grid column → the last cell starting in it or spanning it
    for r, c, tc, span in table_cells(tbl):
        for col in range(c, c + span):
            if tc is not None:
                above[col] = tc
            if col in above:
                grid[(r, col)] = above[col]
    return grid


# --- runs -----------------------------------------------------------------------------------

_SIMPLE = {"rPr", "t", "tab", "br", "cr", "noBreakHyphen", "lastRenderedPageBreak"}
_BREAK_TYPE = f"{{{W}}}type"


def _splittable(r) -> bool:
    """Can the run be rewritten from its text? Not when it holds more than text, a page or
    column break included (its text shows none, so rewriting would drop it)."""
    return all(
        isinstance(child.tag, str)
        and child.tag.rsplit("}", 1)[-1] in _SIMPLE
        and not (child.tag.endswith("}br") and child.get(_BREAK_TYPE, "textWrapping") != "textWrapping")
        for child in r
    )


def _placed_runs(p) -> list[tuple[object, int, int]]:
    """(run, start, end) for the paragraph's runs, in the text as the reader reads it."""
    from ..read.docx import paragraph_runs, run_text

    placed, pos = [], 0
    for r in paragraph_runs(p):
        n = len(run_text(r))
        placed.append((r, pos, pos + n))
        pos += n
    return placed


def _in_suggestion(r) -> bool:
    parent = r.getparent()
    return parent is not None and is_suggestion(parent)


def _split(r, k: int):
    """Split run `r` at character k; both parts keep its formatting. Returns the right part."""
    from docx.text.run import Run

    from ..read.docx import run_text

    text = run_text(r)
    right = copy.deepcopy(r)
    r.addnext(right)
    Run(r, None).text = text[:k]
    Run(right, None).text = text[k:]
    return right


def _runs_over(p, start: int, end: int, *, split: bool) -> list:
    """The runs with text in [start, end) of the paragraph. With `split`, a plain run crossing an
    edge is split there, so the runs returned cover the span exactly where they can."""
    covered = []
    for r, r_start, r_end in _placed_runs(p):
        if r_end <= start or r_start >= end:
            continue
        if split and _splittable(r) and not _in_suggestion(r):
            if r_start < start:
                r = _split(r, start - r_start)
                r_start = start
            if end < r_end:
                _split(r, end - r_start)
        covered.append(r)
    return covered


# --- comments -------------------------------------------------------------------------------


def _anchor(p, char: int | None, length: int) -> tuple:
    """The first and last elements a comment on [char, char + length) of the paragraph spans,
    plain runs split at the edges; a tracked change of narrative-check's is taken whole, with
    the insertion that follows its deletion."""
    from docx.oxml import OxmlElement

    placed = _placed_runs(p)
    if not placed:
        r = OxmlElement("w:r")
        p.append(r)
        return r, r
    if char is None:  # text the reader added (numbering) or an empty cell: the whole paragraph
        covered = [placed[0][0], placed[-1][0]]
    else:
        covered = _runs_over(p, char, char + max(length, 1), split=True) or [placed[-1][0]]
    first, last = covered[0], covered[-1]
    if _in_suggestion(first):
        first = first.getparent()
    if _in_suggestion(last):
        last = last.getparent()
        following = last.getnext()
        if last.tag == DEL_TAG and following is not None and following.tag == INS_TAG and is_suggestion(following):
            last = following
    return first, last


def _mark_comment_range(first, last, comment_id: int) -> None:
    """commentRangeStart before `first`, commentRangeEnd after `last` and the reference run
    after that, as python-docx writes them, but on any run-level element."""
    from docx.oxml import OxmlElement

    first.addprevious(OxmlElement("w:commentRangeStart", attrs={_ID: str(comment_id)}))
    reference = OxmlElement("w:r")
    reference.get_or_add_rPr().style = "CommentReference"
    reference.append(OxmlElement("w:commentReference", attrs={_ID: str(comment_id)}))
    last.addnext(reference)
    last.addnext(OxmlElement("w:commentRangeEnd", attrs={_ID: str(comment_id)}))


# --- tracked changes ------------------------------------------------------------------------


class _Revisions:
    """Ids and a date for new w:ins and w:del: ids above every w:id in the document and every
    comment's, old or about to be added (`comments_to_add`), as annotations' ids are one series."""

    def __init__(self, document, comments_to_add: int) -> None:
        used = [int(v) for v in document.element.xpath("//@w:id") if v.lstrip("-").isdigit()]
        used += [c.comment_id for c in document.comments]
        self._next = max(used, default=0) + comments_to_add + 1
        self.date = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")

    def element(self, tag: str):
        from docx.oxml import OxmlElement

        made = OxmlElement(tag, attrs={_ID: str(self._next), AUTHOR_ATTR: AUTHOR, f"{{{W}}}date": self.date})
        self._next += 1
        return made


@dataclass
class _Planned:
    edit: Edit
    p: object
    start: int  # in the paragraph's text
    end: int


def _write_fixes(findings: list[Finding], places: _Places, revisions: _Revisions) -> dict[int, str]:
    """Write each finding's fix as tracked changes, all its edits or none; why a fix was not
    written, by id() of its finding."""
    written: list[Edit] = []
    unwritten: dict[int, str] = {}
    for finding in findings:
        if finding.fix is None:
            continue
        edits = new_edits(finding.fix, written)  # an edit another fix has is written once
        if edits is None:
            unwritten[id(finding)] = "与另一条已标为修订的建议修改重叠"
            continue
        planned: list[_Planned] = []
        reason = None
        for edit in edits:
            plan = _plan(edit, places)
            if isinstance(plan, str):
                reason = plan
                break
            planned.append(plan)
        if reason is not None:
            unwritten[id(finding)] = reason
            continue
        for plan in planned:
            _apply(plan, revisions)
            written.append(plan.edit)
    return unwritten


def _plan(edit: Edit, places: _Places) -> _Planned | str:
    """Where the edit goes, or why it cannot be written as a tracked change."""
    from ..read.docx import paragraph_text

    source = edit.source
    p = places.paragraph(source) if source is not None else None
    if p is None or source.char is None:
        return "所改文字不在此 Word 文件的正文或表格中"
    text = paragraph_text(p)
    start, end = source.char, source.char + len(edit.before)
    if end > len(text):
        return "所改文字跨段落"
    if text[start:end] != edit.before:
        return f"文件中此处文字为“{text[start:end]}”，不是建议修改的原文“{edit.before}”"
    plan = _Planned(edit, p, start, end)
    if start == end:
        return plan if _insertion_point(plan, split=False) is not None else "插入处不是纯文本"
    covered = _runs_over(p, start, end, split=False)
    parent = covered[0].getparent()
    if not all(r.getparent() is parent for r in covered) or parent.tag not in _PLAIN_PARENTS:
        return "所改文字跨越超链接、域或他人的修订"
    between = _siblings(covered[0], covered[-1])
    if not all(_splittable(e) if e.tag == _R else e.tag in _RANGE_MARKS for e in between):
        return "所改文字含域、图片等非纯文本内容"
    return plan


def _siblings(first, last) -> list:
    """`first`, `last` and the siblings between them."""
    found = [first]
    while found[-1] is not last:
        found.append(found[-1].getnext())
    return found


def _insertion_point(plan: _Planned, *, split: bool):
    """(element, after) where an insertion-only edit's w:ins goes: after the plain run ending at
    the point (split there when the point is inside it), else before the run starting there;
    None when neither is a plain run, and (paragraph, None) in a paragraph with no runs."""
    placed = _placed_runs(plan.p)
    if not placed:
        return plan.p, None
    for r, r_start, r_end in placed:
        plain = _splittable(r) and r.getparent().tag in _PLAIN_PARENTS
        if r_start < plan.start < r_end:
            if not plain:
                return None
            if split:
                _split(r, plan.start - r_start)
            return r, True
        if r_end == plan.start and r_end > r_start and plain:
            return r, True
        if r_start == plan.start and plain:
            return r, False
    return None


def _apply(plan: _Planned, revisions: _Revisions) -> None:
    from docx.oxml import OxmlElement
    from docx.text.run import Run

    edit = plan.edit
    model = None
    if plan.start < plan.end:
        covered = _runs_over(plan.p, plan.start, plan.end, split=True)
        model = covered[0]
        deletion = revisions.element("w:del")
        covered[0].addprevious(deletion)
        for element in _siblings(covered[0], covered[-1]):
            deletion.append(element)  # moves it
            if element.tag == _R:
                for t in element.findall(_T):
                    t.tag = DEL_TEXT_TAG
        at, after = deletion, True
    else:
        at, after = _insertion_point(plan, split=True)
        model = at if after is not None else None
    if not edit.after:
        return
    insertion = revisions.element("w:ins")
    r = OxmlElement("w:r")
    if model is not None and model.find(_RPR) is not None:
        r.append(copy.deepcopy(model.find(_RPR)))
    Run(r, None).text = edit.after
    insertion.append(r)
    if after is None:
        at.append(insertion)
    elif after:
        at.addnext(insertion)
    else:
        at.addprevious(insertion)


# --- replacing narrative-check's earlier annotations ------------------------------------------

_W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
_W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
_W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"


def remove_own_annotations(document) -> None:
    """Remove the comments and pending tracked changes narrative-check wrote: its comments
    with their ranges and references, its insertions dropped and its deletions restored as
    plain runs (rejected). Everyone else's are left alone."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = document.part
    comments = _related(part, RT.COMMENTS)
    removed, para_ids = set(), set()
    if comments is not None:
        for comment in list(comments.element):
            if comment.get(AUTHOR_ATTR) == AUTHOR:
                removed.add(comment.get(_ID))
                para_ids.update(v for v in (p.get(_W14_PARA_ID) for p in comment.iter(f"{{{W}}}p")) if v)
                comments.element.remove(comment)
    root = document.element
    for mark in [m for m in root.iter(*_COMMENT_MARKS) if m.get(_ID) in removed]:
        holder = mark.getparent()
        holder.remove(mark)
        if holder.tag == _R and all(child.tag == _RPR for child in holder):
            holder.getparent().remove(holder)
    for change in [c for c in root.iter(INS_TAG, DEL_TAG) if is_suggestion(c)]:
        if change.tag == DEL_TAG:
            for deleted in change.iter(DEL_TEXT_TAG):
                deleted.tag = _T
        for child in list(change):
            # A deletion's runs are restored; of an insertion only what others put in it is kept:
            # the marks and reference of a reviewer's comment on the suggested text.
            if change.tag == DEL_TAG or child.tag != _R or child.find(_COMMENT_REFERENCE) is not None:
                change.addprevious(child)
        change.getparent().remove(change)
    if para_ids:
        _remove_comment_extras(part, para_ids)


def _related(part, reltype):
    try:
        return part.part_related_by(reltype)
    except KeyError:
        return None


def _remove_comment_extras(part, para_ids: set[str]) -> None:
    """Word 2013 and later keep more about each comment in parts of their own, keyed by the
    paragraph id of its text: drop the entries of removed comments, and make a reply to one a
    comment of its own, so Word finds nothing dangling."""
    from lxml import etree

    extended = _related(part, "http://schemas.microsoft.com/office/2011/relationships/commentsExtended")
    ids = _related(part, "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds")
    extensible = _related(part, "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible")
    durable: set[str] = set()

    def edit_part(extra, change) -> None:
        if extra is None:
            return
        root = etree.fromstring(extra.blob)
        change(root)
        # python-docx keeps a part it has no class for as bytes; it saves what is in _blob.
        extra._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def extended_entries(root) -> None:
        for entry in list(root.iter(f"{{{_W15}}}commentEx")):
            if entry.get(f"{{{_W15}}}paraId") in para_ids:
                root.remove(entry)
            elif entry.get(f"{{{_W15}}}paraIdParent") in para_ids:
                del entry.attrib[f"{{{_W15}}}paraIdParent"]

    def id_entries(root) -> None:
        for entry in list(root.iter(f"{{{_W16CID}}}commentId")):
            if entry.get(f"{{{_W16CID}}}paraId") in para_ids:
                durable.add(entry.get(f"{{{_W16CID}}}durableId"))
                root.remove(entry)

    def extensible_entries(root) -> None:
        for entry in list(root.iter(f"{{{_W16CEX}}}commentExtensible")):
            if entry.get(f"{{{_W16CEX}}}durableId") in durable:
                root.remove(entry)

    edit_part(extended, extended_entries)
    edit_part(ids, id_entries)
    edit_part(extensible, extensible_entries)
