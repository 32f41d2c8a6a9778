"""--format docx: the editor's Word file back, with a comment on each flagged span."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from docx.text.run import Run

from narrative_check import check_file
from narrative_check.cli import cli
from narrative_check.read.docx import paragraph_runs, paragraph_text, run_text
from narrative_check.render.docx import AUTHOR, annotate

from report_formats import REPORTS, finding_keys, write_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def final_docx(tmp_path_factory):
    return write_docx(REPORTS["final"].read_text(encoding="utf-8"), tmp_path_factory.mktemp("docx") / "final.docx")


def _commented_text(document) -> dict[str, str]:
    """comment id → the text between its range marks, in document order, as the editor wrote it
    (narrative-check's suggested deletions read, its insertions not)."""
    body = document.element.body
    open_ranges: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for element in body.iter():
        if element.tag == f"{W}commentRangeStart":
            open_ranges[element.get(f"{W}id")] = []
        elif element.tag == f"{W}commentRangeEnd":
            cid = element.get(f"{W}id")
            done[cid] = "".join(open_ranges.pop(cid, []))
        elif element.tag in (f"{W}t", f"{W}delText") and not _suggested_insertion(element):
            for parts in open_ranges.values():
                parts.append(element.text or "")
    return done


def _suggested_insertion(element) -> bool:
    return any(a.tag == f"{W}ins" and a.get(f"{W}author") == AUTHOR for a in element.iterancestors())


def test_cli_writes_comments_on_the_flagged_text(final_docx, tmp_path):
    import docx

    out = tmp_path / "checked.docx"
    result = CliRunner().invoke(cli, ["check", str(final_docx), "--format", "docx", "--output", str(out)])
    assert result.exit_code == 1, result.output  # the report has errors
    report = check_file(final_docx)
    document = docx.Document(str(out))
    comments = {str(c.comment_id): c for c in document.comments}
    assert len(comments) == len(report.findings)
    assert all(c.author == AUTHOR for c in comments.values())
    anchored = _commented_text(document)
    by_rule: dict[str, list[str]] = {}
    for cid, comment in comments.items():
        code = comment.text.split("\n")[0].split("（")[-1].split("，")[0]  # 变动率…不符（ARI001，错误）
        by_rule.setdefault(code, []).append(anchored[cid])
    for finding in report.findings:
        # Each finding's comment sits on exactly its quote (an empty cell's comment on the cell).
        assert finding.quote in by_rule[finding.rule], (finding.rule, finding.quote)
    pasted = next(f for f in report.findings if f.rule == "CON002")
    comment = next(c for c in comments.values() if c.text.startswith("同一数据的变动额或变动率前后不一致（CON002"))
    assert pasted.message in comment.text and f"应为：{pasted.expected}" in comment.text
    # its suggested correction (the amount and the rate, ARI001 tied in) is in the text as tracked changes
    suggested = ["".join(t.text for t in e.iter(f"{W}t")) for e in document.element.body.iter(f"{W}ins")
                 if e.get(f"{W}author") == AUTHOR]
    assert [e.after for e in pasted.fix.edits] == [a for a in suggested if a in ("2343.3", "19.13")]


def test_annotated_copy_reads_the_same(final_docx, tmp_path):
    import docx

    report = check_file(final_docx)
    annotated = tmp_path / "annotated.docx"
    annotated.write_bytes(annotate(final_docx.read_bytes(), report.findings))
    original = docx.Document(str(final_docx))
    # the text as the reader reads it: narrative-check's own suggestions as rejected
    assert [paragraph_text(p._p) for p in docx.Document(str(annotated)).paragraphs] == [p.text for p in original.paragraphs]
    assert finding_keys(check_file(annotated)) == finding_keys(report)


def test_bold_run_split_at_span_edges_stays_bold(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("2021年度部门决算情况说明")
    p = document.add_paragraph()
    bold = p.add_run("2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元、下降 15.80%。")
    bold.bold = True
    path = tmp_path / "bold.docx"
    document.save(path)
    report = check_file(path)
    flagged = [f for f in report.findings if f.rule == "ARI001"]
    assert flagged, [f.rule for f in report.findings]
    annotated = docx.Document(io.BytesIO(annotate(path.read_bytes(), flagged)))
    runs = [Run(r, None) for r in paragraph_runs(annotated.paragraphs[1]._p)]  # the suggested deletion's too
    assert "".join(run_text(r._r) for r in runs) == bold.text
    assert len(runs) >= 3 and all(r.bold for r in runs if r.text)
    assert flagged[0].quote == "".join(run_text(r._r) for r in runs[1:-1])  # split at the quote's edges


def test_docx_format_needs_output(final_docx):
    result = CliRunner().invoke(cli, ["check", str(final_docx), "--format", "docx"])
    assert result.exit_code == 2 and "--output" in result.output


def test_docx_format_needs_a_word_input(tmp_path):
    out = tmp_path / "x.docx"
    result = CliRunner().invoke(cli, ["check", str(REPORTS["budget"]), "--format", "docx", "--output", str(out)])
    assert result.exit_code == 2
    assert "E007" in result.output and "Traceback" not in result.output
    assert not out.exists()
