"""--format docx: suggested edits written as Word tracked changes, and a re-check of an annotated
file replacing narrative-check's own earlier comments and suggestions (issue 13)."""

from __future__ import annotations

import copy
import io
import shutil
import subprocess

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run

from narrative_check import check_file
from narrative_check.models.document import SourceRef
from narrative_check.models.findings import Edit, Finding, Fix
from narrative_check.read.docx import SUGGESTION_AUTHOR
from narrative_check.render.docx import AUTHOR, annotate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "2021年度部门决算情况说明"
SLIP = "2021 年度收入总计 9909.15 万元，较上年决算数减少 2343.3 万元、下降 23.65%，主要原因一是工资政策调整。"
FIXED = SLIP.replace("23.65", "19.13")


# --- helpers: what Word does when the editor accepts or rejects every change -----------------


def accept_all(data: bytes) -> bytes:
    """The document with every tracked change accepted: insertions kept as plain runs,
    deletions gone."""
    document = docx.Document(io.BytesIO(data))
    for change in list(document.element.body.iter(f"{W}ins", f"{W}del")):
        if change.tag == f"{W}ins":
            for child in list(change):
                change.addprevious(child)
        change.getparent().remove(change)
    return _saved(document)


def reject_all(data: bytes) -> bytes:
    """The document with every tracked change rejected: insertions gone, deletions restored."""
    document = docx.Document(io.BytesIO(data))
    for change in list(document.element.body.iter(f"{W}ins", f"{W}del")):
        if change.tag == f"{W}del":
            for deleted in change.iter(f"{W}delText"):
                deleted.tag = f"{W}t"
            for child in list(change):
                change.addprevious(child)
        change.getparent().remove(change)
    return _saved(document)


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _texts(data: bytes) -> list[str]:
    """Body paragraphs' and table cells' text, in order (python-docx reads only plain runs)."""
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def _ours(data, tag: str) -> list:
    """narrative-check's w:ins or w:del in a document (its bytes, or the document opened)."""
    document = docx.Document(io.BytesIO(data)) if isinstance(data, bytes) else data
    return [e for e in document.element.body.iter(f"{W}{tag}") if e.get(f"{W}author") == AUTHOR]


def _changes_text(elements) -> list[str]:
    return ["".join(t.text or "" for t in e.iter(f"{W}t", f"{W}delText")) for e in elements]


def _document(*paragraphs, runs=None) -> docx.Document:
    """A document with the title and `paragraphs`, each one run; `runs` (a list of (text, bold))
    is one more paragraph made of those runs."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    for text in paragraphs:
        document.add_paragraph(text)
    if runs:
        p = document.add_paragraph()
        for text, bold in runs:
            p.add_run(text).bold = bold
    return document


def _finding(paragraph: int, text: str, quote: str, edits: list[tuple[str, str, int]], *, table=None, row=None, col=None,
             message: str = "文中下降 23.65%，下降率应为 19.13%") -> Finding:
    """A hand-made ARI001 finding on `quote` in `text` (body paragraph or cell paragraph
    `paragraph`), carrying edits (before, after, offset in the paragraph). Document offsets are
    the paragraph offsets: the writer uses them only to tell edits apart."""
    char = text.index(quote)

    def place(offset: int) -> SourceRef:
        return SourceRef(table=table, row=row, col=col, paragraph=paragraph, char=offset)

    made = [Edit(start=at, end=at + len(before), line=1, column=at + 1, before=before, after=after, source=place(at))
            for before, after, at in edits]
    return Finding(rule="ARI001", name="change-percent-mismatch", severity="error", message=message,
                   start=char, end=char + len(quote), line=1, column=char + 1, quote=quote, source=place(char),
                   stated="23.65%", expected="19.13%",
                   fix=Fix(message="；".join(f"将“{b}”改为“{a}”" for b, a, _ in edits), edits=made))


def _comments(data: bytes) -> list:
    return list(docx.Document(io.BytesIO(data)).comments)


# --- the checker's own finding, end to end ---------------------------------------------------


@pytest.fixture(scope="module")
def slip_docx(tmp_path_factory):
    path = tmp_path_factory.mktemp("tracked") / "slip.docx"
    _document(SLIP).save(path)
    return path


def test_ari001_fix_is_a_tracked_change_next_to_its_comment(slip_docx):
    report = check_file(slip_docx)
    [finding] = [f for f in report.findings if f.rule == "ARI001"]
    assert finding.fix and finding.fix.edits[0].source.char is not None
    out = annotate(slip_docx.read_bytes(), report.findings)
    opened = docx.Document(io.BytesIO(out))
    deleted, inserted = _ours(opened, "del"), _ours(opened, "ins")
    assert _changes_text(deleted) == ["23.65"] and _changes_text(inserted) == ["19.13"]
    assert deleted[0].getnext() is inserted[0]  # the new text right after the old
    for change in deleted + inserted:
        assert change.get(f"{W}id") and change.get(f"{W}date")
    ids = [e.get(f"{W}id") for e in deleted + inserted]
    assert len(set(ids)) == len(ids)
    # inside the comment's range: the start before, the end after both
    p = deleted[0].getparent()
    children = list(p)
    start = next(i for i, e in enumerate(children) if e.tag == f"{W}commentRangeStart")
    end = next(i for i, e in enumerate(children) if e.tag == f"{W}commentRangeEnd")
    assert start < children.index(deleted[0]) < children.index(inserted[0]) < end
    assert _texts(accept_all(out))[1] == FIXED
    assert _texts(reject_all(out))[1] == SLIP


def test_comment_names_the_rule_in_words_then_the_fix(slip_docx):
    report = check_file(slip_docx)
    [comment] = _comments(annotate(slip_docx.read_bytes(), report.findings))
    lines = comment.text.split("\n")
    assert lines[0].startswith("变动率与变动额、本年数不符（ARI001")
    assert lines[1] == next(f for f in report.findings if f.rule == "ARI001").message
    assert "文中：23.65%" in lines and "应为：19.13%" in lines
    assert lines[-1].startswith("建议修改：将“23.65%”改为“19.13%”") and "已在文中标为修订" in lines[-1]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_reads_the_tracked_changes(slip_docx, tmp_path):
    out = tmp_path / "annotated.docx"
    out.write_bytes(annotate(slip_docx.read_bytes(), check_file(slip_docx).findings))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "txt:Text",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    text = (tmp_path / "annotated.txt").read_text(encoding="utf-8-sig")
    assert "23.65" in text and "19.13" in text and "主要原因一是工资政策调整" in text  # both sides of the change shown


# --- the writer, on hand-made findings -------------------------------------------------------


def test_edit_in_the_middle_of_a_run():
    document = _document(SLIP)
    out = annotate(_saved(document), [_finding(1, SLIP, "下降 23.65%", [("23.65", "19.13", SLIP.index("23.65"))])])
    assert _changes_text(_ours(out, "del")) == ["23.65"]
    assert _texts(accept_all(out))[1] == FIXED and _texts(reject_all(out))[1] == SLIP


def test_edit_across_two_runs_keeps_each_runs_formatting():
    left, right = SLIP[: SLIP.index("23.65") + 4], SLIP[SLIP.index("23.65") + 4 :]  # "…23.6" | "5%…"
    document = _document(runs=[(left, False), (right, True)])
    out = annotate(_saved(document), [_finding(1, SLIP, "下降 23.65%", [("23.65", "19.13", SLIP.index("23.65"))])])
    [deleted] = _ours(out, "del")
    assert _changes_text([deleted]) == ["23.65"]
    runs = deleted.findall(f"{W}r")
    assert ["".join(t.text for t in r.iter(f"{W}delText")) for r in runs] == ["23.6", "5"]
    assert [bool(Run(r, None).bold) for r in runs] == [False, True]
    assert _texts(accept_all(out))[1] == FIXED and _texts(reject_all(out))[1] == SLIP
    accepted = docx.Document(io.BytesIO(accept_all(out))).paragraphs[1].runs
    assert [r.bold for r in accepted if "%" in r.text] == [True]  # the rest of the bold run stays bold


def test_edit_in_a_bold_run_inserts_bold_text():
    document = _document(runs=[(SLIP, True)])
    out = annotate(_saved(document), [_finding(1, SLIP, "下降 23.65%", [("23.65", "19.13", SLIP.index("23.65"))])])
    [inserted] = _ours(out, "ins")
    assert inserted.find(f"{W}r/{W}rPr/{W}b") is not None
    runs = docx.Document(io.BytesIO(accept_all(out))).paragraphs[1].runs
    assert "".join(r.text for r in runs) == FIXED and all(r.bold for r in runs if r.text)


def test_edit_in_a_table_cell():
    document = _document()
    cell_text = "增长 23.65%"
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "说明"
    table.cell(1, 0).text, table.cell(1, 1).text = "收入", cell_text
    finding = _finding(0, cell_text, cell_text, [("23.65", "19.13", 3)], table=0, row=1, col=1)
    out = annotate(_saved(document), [finding])
    [deleted] = _ours(out, "del")
    assert deleted.getparent().getparent().tag == f"{W}tc"  # w:del in w:p in w:tc
    assert _texts(accept_all(out))[-1] == "增长 19.13%"
    assert _texts(reject_all(out))[-1] == cell_text


def test_insertion_only_and_deletion_only_edits():
    text = "2021 年度支出总计 9909.15 万元，比上年上年增加 100 万元。"
    document = _document(text)
    insertion = _finding(1, text, "9909.15 万元", [("", "约", text.index("9909.15"))])
    deletion = _finding(1, text, "比上年上年", [("上年", "", text.index("上年上年"))])
    out = annotate(_saved(document), [insertion, deletion])
    assert _changes_text(_ours(out, "ins")) == ["约"] and _changes_text(_ours(out, "del")) == ["上年"]
    assert _texts(accept_all(out))[1] == "2021 年度支出总计 约9909.15 万元，比上年增加 100 万元。"
    assert _texts(reject_all(out))[1] == text


def test_insertion_at_the_start_of_a_paragraph():
    text = "收入总计 9909.15 万元。"
    out = annotate(_saved(_document(text)), [_finding(1, text, "收入总计", [("", "本年", 0)])])
    assert _texts(accept_all(out))[1] == "本年" + text and _texts(reject_all(out))[1] == text


def test_several_findings_with_one_edit_write_it_once():
    at = SLIP.index("23.65")
    findings = [_finding(1, SLIP, "下降 23.65%", [("23.65", "19.13", at)]), _finding(1, SLIP, "23.65%", [("23.65", "19.13", at)])]
    out = annotate(_saved(_document(SLIP)), findings)
    assert len(_ours(out, "del")) == 1 and len(_ours(out, "ins")) == 1
    assert len(_comments(out)) == 2 and all("已在文中标为修订" in c.text for c in _comments(out))
    assert _texts(accept_all(out))[1] == FIXED


def test_overlapping_edits_write_the_first_and_say_why_not_the_other():
    at = SLIP.index("23.65")
    first = _finding(1, SLIP, "下降 23.65%", [("23.65", "19.13", at)])
    other = _finding(1, SLIP, "23.65%", [("23.65%", "15.9%", at)])
    out = annotate(_saved(_document(SLIP)), [first, other])
    assert _changes_text(_ours(out, "ins")) == ["19.13"]
    assert _texts(accept_all(out))[1] == FIXED
    notes = sorted(c.text.split("\n")[-1] for c in _comments(out))
    assert "重叠" in notes[0] and "未标为修订" in notes[0] and "已在文中标为修订" in notes[1]


def _skipped_note(data: bytes, finding: Finding) -> str:
    out = annotate(data, [finding])
    assert not _ours(out, "ins") and not _ours(out, "del")
    assert _texts(out) == _texts(data)  # the text untouched
    [comment] = _comments(out)  # the comment is still written
    return comment.text.split("\n")[-1]


def test_edit_whose_before_does_not_match_is_left_in_words():
    finding = _finding(1, SLIP, "下降 23.65%", [("15.81", "19.13", SLIP.index("23.65"))])
    note = _skipped_note(_saved(_document(SLIP)), finding)
    assert "未标为修订" in note and "“23.65”" in note and "“15.81”" in note


def test_edit_crossing_paragraphs_is_left_in_words():
    tail = "下降 23.65%"
    text = "较上年决算数减少 1863.3 万元、" + tail
    finding = _finding(1, text, tail, [(tail + "，主要", "下降 19.13%，主要", text.index(tail))])
    note = _skipped_note(_saved(_document(text, "主要原因一是工资政策调整。")), finding)
    assert "跨段落" in note


def test_edit_over_a_field_is_left_in_words():
    document = _document(runs=[(SLIP[: SLIP.index("23.65") + 4], False), (SLIP[SLIP.index("23.65") + 4 :], False)])
    first = document.paragraphs[1].runs[0]._r
    first.addnext(_field_run())  # a field's end mark, holding no text, between the two halves
    note = _skipped_note(_saved(document), _finding(1, SLIP, "下降 23.65%", [("23.65", "19.13", SLIP.index("23.65"))]))
    assert "非纯文本" in note


def test_edit_in_a_hyperlink_and_out_of_it_is_left_in_words():
    document = _document(runs=[(SLIP[: SLIP.index("23.65") + 4], False)])
    p = document.paragraphs[1]._p
    link = OxmlElement("w:hyperlink", attrs={qn("w:anchor"): "note"})
    run = copy.deepcopy(p.findall(qn("w:r"))[0])
    run.find(qn("w:t")).text = SLIP[SLIP.index("23.65") + 4 :]
    link.append(run)
    p.append(link)
    note = _skipped_note(_saved(document), _finding(1, SLIP, "下降 23.65%", [("23.65", "19.13", SLIP.index("23.65"))]))
    assert "超链接" in note


def _field_run():
    r = OxmlElement("w:r")
    r.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): "end"}))
    return r


# --- re-checking an annotated file ------------------------------------------------------------


def _tracked(tag: str, author: str, text: str, *, bold: bool = False):
    """A w:ins or w:del by `author` holding one run of `text`."""
    change = OxmlElement(f"w:{tag}", attrs={qn("w:id"): "900" if tag == "ins" else "901", qn("w:author"): author,
                                            qn("w:date"): "2026-11-30T09:00:00Z"})
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if tag == "del" else "w:t")
    t.text = text
    r.append(t)
    change.append(r)
    return change


def _with_changes(deleted: str, inserted: str, author: str) -> bytes:
    """SLIP's paragraph with its rate written as a pending change by `author`: `deleted`
    struck out and `inserted` put in its place."""
    before, after = SLIP.split("23.65")
    document = _document(runs=[(before, False), (after, False)])
    first = document.paragraphs[1].runs[0]._r
    first.addnext(_tracked("ins", author, inserted))
    first.addnext(_tracked("del", author, deleted))
    return _saved(document)


def _ari001(data: bytes, tmp_path, name: str) -> list[Finding]:
    path = tmp_path / name
    path.write_bytes(data)
    return [f for f in check_file(path).findings if f.rule == "ARI001"]


def test_reader_reads_others_pending_changes_as_accepted(tmp_path):
    # someone else corrected the rate: Word shows 19.13, nothing to report
    assert not _ari001(_with_changes("23.65", "19.13", "张三"), tmp_path, "corrected.docx")
    # someone else wrote the slip: Word shows 23.65
    assert _ari001(_with_changes("19.13", "23.65", "张三"), tmp_path, "slipped.docx")


def test_reader_reads_own_pending_suggestions_as_rejected(tmp_path):
    # narrative-check's suggestion, not yet accepted: the editor's text still says 23.65
    [finding] = _ari001(_with_changes("23.65", "19.13", SUGGESTION_AUTHOR), tmp_path, "suggested.docx")
    assert finding.fix.edits[0].before == "23.65"


def test_recheck_replaces_own_comments_and_suggestions_and_keeps_others(tmp_path):
    document = _document(SLIP, "主要用于保障机构正常运转。")
    reviewed = document.paragraphs[2]
    document.add_comment(reviewed.runs, text="请核对用途。", author="李四", initials="LS")
    reviewed._p.append(_tracked("ins", "李四", "和履职"))
    path = tmp_path / "draft.docx"
    document.save(path)
    first = annotate(path.read_bytes(), check_file(path).findings)
    again_path = tmp_path / "again.docx"
    again_path.write_bytes(first)
    again = annotate(first, check_file(again_path).findings)
    ours = [c for c in _comments(again) if c.author == AUTHOR]
    theirs = [c for c in _comments(again) if c.author != AUTHOR]
    assert len(ours) == 1 and ours[0].text.startswith("变动率与变动额、本年数不符")
    assert [c.text for c in theirs] == ["请核对用途。"]
    assert _changes_text(_ours(again, "del")) == ["23.65"] and _changes_text(_ours(again, "ins")) == ["19.13"]
    body = docx.Document(io.BytesIO(again)).element.body
    others = [e for e in body.iter(f"{W}ins") if e.get(f"{W}author") == "李四"]
    assert _changes_text(others) == ["和履职"]
    # every comment mark left points at a comment that exists, once each
    ids = {str(c.comment_id) for c in _comments(again)}
    for mark in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        found = [e.get(f"{W}id") for e in body.iter(f"{W}{mark}")]
        assert sorted(found) == sorted(ids), mark
    assert _texts(reject_all(again))[1] == SLIP and _texts(accept_all(again))[1] == FIXED


def test_after_accepting_the_fix_a_recheck_leaves_no_comment_there(tmp_path):
    document = _document(SLIP)
    document.add_comment(document.paragraphs[0].runs, text="标题待定。", author="李四")
    path = tmp_path / "draft.docx"
    document.save(path)
    annotated = annotate(path.read_bytes(), check_file(path).findings)
    accepted = accept_all(annotated)  # the editor accepts the change in Word; the comment stays
    assert any(c.author == AUTHOR for c in _comments(accepted))
    assert not _ari001(accepted, tmp_path, "accepted.docx")
    accepted_path = tmp_path / "accepted.docx"
    rechecked = annotate(accepted, check_file(accepted_path).findings)
    assert [c.author for c in _comments(rechecked)] == ["李四"]
    assert not _ours(rechecked, "ins") and not _ours(rechecked, "del")
    assert _texts(rechecked)[1] == FIXED


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"


def _as_word_saves_it(data: bytes) -> bytes:
    """The annotated file as Word 2016 saves it: each comment's paragraph with a paraId, keyed
    to entries in commentsExtended (李四's reply to narrative-check's comment) and commentsIds."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = docx.Document(io.BytesIO(data))
    comments = list(document.comments)
    ours = next(c for c in comments if c.author == AUTHOR)
    reply = document.add_comment(document.paragraphs[1].runs[0], text="已改。", author="李四")
    para_ids = {}
    for k, comment in enumerate([ours, reply]):
        para_ids[comment.author] = f"0000000{k + 1}"
        comment.paragraphs[-1]._p.set(f"{{{W14}}}paraId", para_ids[comment.author])
    extended = (f'<w15:commentsEx xmlns:w15="{W15}"><w15:commentEx w15:paraId="{para_ids[AUTHOR]}" w15:done="0"/>'
                f'<w15:commentEx w15:paraId="{para_ids["李四"]}" w15:paraIdParent="{para_ids[AUTHOR]}" w15:done="0"/></w15:commentsEx>')
    ids = (f'<w16cid:commentsIds xmlns:w16cid="{W16CID}"><w16cid:commentId w16cid:paraId="{para_ids[AUTHOR]}" w16cid:durableId="11"/>'
           f'<w16cid:commentId w16cid:paraId="{para_ids["李四"]}" w16cid:durableId="22"/></w16cid:commentsIds>')
    for name, content_type, reltype, xml in (
        ("commentsExtended", "commentsExtended", "http://schemas.microsoft.com/office/2011/relationships/commentsExtended", extended),
        ("commentsIds", "commentsIds", "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds", ids),
    ):
        part = Part(PackURI(f"/word/{name}.xml"), f"application/vnd.openxmlformats-officedocument.wordprocessingml.{content_type}+xml",
                    xml.encode(), document.part.package)
        document.part.relate_to(part, reltype)
    return _saved(document)


def test_recheck_drops_word_s_extra_entries_of_its_removed_comments(tmp_path):
    from lxml import etree

    path = tmp_path / "draft.docx"
    _document(SLIP).save(path)
    saved = _as_word_saves_it(annotate(path.read_bytes(), check_file(path).findings))
    rechecked = annotate(saved, [])  # the slip fixed meanwhile: nothing to say
    assert [c.author for c in _comments(rechecked)] == ["李四"]
    parts = {str(p.partname): p.blob for p in docx.Document(io.BytesIO(rechecked)).part.package.iter_parts()}
    extended = etree.fromstring(parts["/word/commentsExtended.xml"])
    assert [(e.get(f"{{{W15}}}paraId"), e.get(f"{{{W15}}}paraIdParent")) for e in extended] == [("00000002", None)]
    ids = etree.fromstring(parts["/word/commentsIds.xml"])
    assert [e.get(f"{{{W16CID}}}durableId") for e in ids] == ["22"]


def test_a_reviewers_comment_on_a_suggested_insertion_survives_the_recheck():
    annotated = annotate(_saved(_document(SLIP)), [_finding(1, SLIP, "下降 23.65%", [("23.65", "19.13", SLIP.index("23.65"))])])
    document = docx.Document(io.BytesIO(annotated))
    [inserted] = _ours(document, "ins")
    run = Run(inserted.find(f"{W}r"), None)
    document.add_comment(run, text="改得对。", author="李四")  # its marks land inside the w:ins
    rechecked = annotate(_saved(document), [])
    [theirs] = _comments(rechecked)
    assert theirs.author == "李四"
    body = docx.Document(io.BytesIO(rechecked)).element.body
    for mark in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert [e.get(f"{W}id") for e in body.iter(f"{W}{mark}")] == [str(theirs.comment_id)], mark
    assert _texts(rechecked)[1] == SLIP


def test_every_rule_s_comment_starts_with_its_summary_cross_report_rules_included():
    from narrative_check.render.docx import comment_text
    from narrative_check.rules import all_rules

    rules = all_rules()
    assert "CON010" in rules  # compares reports with each other
    for code, rule in rules.items():
        finding = Finding(rule=code, name=rule.name, severity=rule.severity, message="m", start=0, end=1, line=1, column=1, quote="x")
        assert rule.summary and comment_text(finding).split("\n")[0].startswith(f"{rule.summary}（{code}，"), code


def test_tracked_change_ids_and_comment_ids_are_one_series(tmp_path):
    from narrative_check import check_file
    from report_formats import REPORTS, write_docx

    path = write_docx(REPORTS["final"].read_text(encoding="utf-8"), tmp_path / "final.docx")
    out = annotate(path.read_bytes(), check_file(path).findings)
    document = docx.Document(io.BytesIO(out))
    revisions = [e.get(f"{W}id") for tag in ("ins", "del") for e in document.element.body.iter(f"{W}{tag}")]
    comments = [str(c.comment_id) for c in document.comments]
    assert len(revisions) > 2 and len(comments) > 2 and not set(revisions) & set(comments)
