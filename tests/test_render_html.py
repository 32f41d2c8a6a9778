from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st
from selectolax.lexbor import LexborHTMLParser

from conftest import BUDGET_2024, FINAL_2021
from render_cases import hostile_report
from narrative_check.cli import EXIT_FINDINGS, cli
from narrative_check.models.document import LineIndex
from narrative_check.models.findings import Finding, Report
from narrative_check.render import RENDERERS


def page(reports) -> LexborHTMLParser:
    return LexborHTMLParser(RENDERERS["html"].render(reports))


def marked_text(tree: LexborHTMLParser, rid: str = "r0") -> tuple[str, dict[str, str]]:
    """The text as the page holds it, and each finding's marked pieces read in order."""
    lines, pieces = [], defaultdict(list)
    # lines of text and the cells of tables drawn as tables, in document order
    for tx in tree.css(f"section#{rid} div.line > span.tx, section#{rid} div.tbl span.tx"):
        lines.append(tx.text(deep=True))
        for span in tx.css("span[data-f]"):
            for fid in span.attributes["data-f"].split():
                pieces[fid].append(span.text(deep=True))
    return "".join(lines), {fid: "".join(parts) for fid, parts in pieces.items()}


def test_text_and_every_finding_as_the_page_holds_them(final_report):
    tree = page([final_report])
    text, quotes = marked_text(tree)
    assert text == final_report.text
    for i, f in enumerate(final_report.findings):
        assert quotes.get(f"r0-f{i}", "") == f.quote, (i, f.rule)
        assert tree.css_first(f'a.anchor[id="r0-f{i}"]') is not None
        item = tree.css_first(f'a.finding[data-finding="r0-f{i}"]')
        assert f.message in item.text()
        if f.stated is not None:
            assert item.css_first("q.stated").text() == f.stated and item.css_first("q.expected").text() == str(f.expected)
        if f.fix is not None:
            assert item.css_first(".fix q").text() == f.fix.message
        tied = [li.text() for li in item.parent.css("li.tied")]
        assert len(tied) == len(f.tied) and all(t.message in li for t, li in zip(f.tied, tied))
    assert any(f.fix for f in final_report.findings) and any(f.tied for f in final_report.findings)


def test_findings_grouped_by_severity_then_rule(final_report):
    tree = page([final_report])
    groups = [(g.css_first("span.sev").text(), g.css_first("span.code").text()) for g in tree.css("details.group")]
    order = {"error": 0, "warning": 1, "info": 2}
    assert groups == sorted(groups, key=lambda g: (order[g[0]], g[1]))
    assert sum(len(g.css("li.item")) for g in tree.css("details.group")) == len(final_report.findings)


def test_summary_counts(final_report, budget_report):
    tree = page([final_report, budget_report])
    first, second = tree.css("section.report")
    errors = sum(f.severity == "error" for f in final_report.findings)
    assert first.css_first('li.count[data-severity="error"] b').text() == str(errors)
    assert first.css_first('b[data-stat="checked"]').text() == str(final_report.stats.claims_checked)
    assert first.css_first('b[data-stat="not-checked"]').text() == str(final_report.stats.claims_not_checked)
    assert first.css_first("h1.file").text() == final_report.file
    assert second.css_first("p.clean") is not None and not second.css("span.hl")


def test_linked_cells_are_marked(final_report):
    tree = page([final_report])
    cells = {span.attributes["data-c"]: span for span in tree.css("span[data-c]")}
    links = {(link.start, link.end) for c in final_report.claims for link in getattr(c, "links", None) or []}
    assert links and len({cid for span in tree.css("span[data-c]") for cid in span.attributes["data-c"].split()}) == len(links)
    with_cells = [a for a in tree.css("a.finding") if a.attributes["data-cells"]]
    assert with_cells, "some finding is on a claim tied to table cells"
    for item in with_cells:
        for cid in item.attributes["data-cells"].split():
            assert any(cid in key.split() for key in cells)


def test_hostile_text_is_escaped():
    report = hostile_report()
    html = RENDERERS["html"].render([report])
    tree = LexborHTMLParser(html)
    assert len(tree.css("script")) == 2  # only the page's own
    assert not tree.css("div.text b, div.text script, nav i, nav b")  # no markup from the text
    assert "<script>alert" not in html and "</script> 文中" not in html
    assert not tree.css("link, img, iframe, [src]") and "http" not in "".join(a.attributes.get("href") or "" for a in tree.css("a"))
    text, quotes = marked_text(tree)
    assert text == report.text
    for i, f in enumerate(report.findings):
        assert quotes.get(f"r0-f{i}", "") == f.quote
    assert tree.css_first("h1.file").text() == report.file
    ari = next(a for a in tree.css("a.finding") if "alert(1)" in a.text())
    assert ari.css_first("q.stated").text() == "<b>"
    assert "<i>role</i>" in tree.css_first("ul.related").text()
    elsewhere = tree.css_first("li.elsewhere")  # a place in another report: listed, not marked here
    assert "prior,<2020>.txt" in elsewhere.text() and "上年<数>" in elsewhere.text()
    assert len(tree.css("span.rel")) >= 1 and not tree.css('a.anchor[id$="-f5-r0"]')
    overlap = [s for s in tree.css("span.hl") if len(s.attributes["data-f"].split()) == 2]
    assert overlap and all("multi" in s.attributes["class"] for s in overlap)
    assert tree.css("span.hl.empty")


def _findings_at(text: str, spans, rule: str, severity: str) -> list[Finding]:
    """One finding per (start, length), clipped to the text."""
    index = LineIndex(text)
    findings = []
    for start, length in spans:
        start = min(start, len(text))
        end = min(start + length, len(text))
        line, column = index.position(start)
        findings.append(Finding(rule=rule, name="x-y", severity=severity, message="m", start=start, end=end,
                                line=line, column=column, quote=text[start:end]))
    return findings


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("预算<>&\"'%:\r\n\t a1\x0c"), min_size=1, max_size=60),
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=6),
)
def test_any_overlap_reads_back(text, spans):
    report = Report(file="t.txt", findings=_findings_at(text, spans, "ARI001", "warning"), text=text)
    page_text, quotes = marked_text(page([report]))
    assert page_text == text
    for i, f in enumerate(report.findings):
        assert quotes.get(f"r0-f{i}", "") == f.quote


TABLE_REPORT = (
    "2021年度某某局部门决算情况说明\n\n"
    "一、收入支出决算总体情况说明\n\n"
    "2021年度支出总计100万元。其中：基本支出50万元，项目支出30万元，合计85万元。\n\n"
    "表1 一般公共预算财政拨款支出决算表\n"
    "单位：万元\n"
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "208\t社会保障和就业支出\t1,439.19\t900.00\t539.19\n"
    "\n"
    "20801\t人力资源和社会保障管理事务\t1,439.19\t900.00\t529.19\n"
    "- 2 -\n"
    "\t合计\t1,439.19\t900.00\t539.19\n"
    "\n"
    "注：本表反映部门本年度一般公共预算财政拨款实际支出情况。\n"
)


@pytest.fixture(scope="module")
def table_report():
    from narrative_check import check_text

    return check_text(TABLE_REPORT, path="table.txt")


def test_tables_are_drawn_as_tables_with_the_flagged_cell_in_its_row_and_column(table_report):
    tree = page([table_report])
    table = table_report.tables[0]
    drawn = tree.css_first(f'div.tbl[data-table="{table.index}"] table')
    assert drawn is not None
    text, quotes = marked_text(tree)
    assert text == table_report.text  # the tabs and blank lines are in the page, hidden
    assert all(quotes.get(f"r0-f{i}", "") == f.quote for i, f in enumerate(table_report.findings))
    body_rows = [tr for tr in drawn.css("tbody tr") if "between" not in (tr.attributes.get("class") or "")]
    grid = [[td.css_first("span.tx").text(deep=True).strip() for td in tr.css("td")] for tr in body_rows]
    assert grid == [[c.text for c in row.cells] for row in table.rows[table.header_rows:]]
    assert [th.text(deep=True).strip() for th in drawn.css("thead th:not(.no)")] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    # the page number between two rows is shown as a row of its own, not hidden
    between = drawn.css_first("tr.between")
    assert between is not None and between.css_first("span.tx").text(deep=True).strip() == "- 2 -"
    flagged = {td.attributes["data-findings"]: td for td in drawn.css("td.flagged")}
    table_findings = [(i, f) for i, f in enumerate(table_report.findings) if f.rule.startswith("TBL")]
    assert {f.rule for _, f in table_findings} == {"TBL001", "TBL002"}
    for i, f in table_findings:
        td = next(td for ids, td in flagged.items() if f"r0-f{i}" in ids.split())
        cell = next(c for row in table.rows for c in row.cells if c.start == f.start)
        assert td.css_first("span.tx").text(deep=True).strip() == cell.text == f.quote
        assert f"sev-{f.severity}" in td.attributes["class"] and td.attributes["data-col"] == str(cell.col)
        assert td.parent.attributes["class"] == "flagged-row"
        column = [other for other in drawn.css(f'[data-col="{cell.col}"]') if other is not td]
        assert column and all("flagged-col" in other.attributes["class"] for other in column)
        link = td.css_first("a.cellref")
        assert link.attributes["href"] == f"#r0-f{i}" and link.text() == f.rule
    # the text before and after the table stays lines; the table's rows keep their line numbers
    lines = [int(div.attributes["data-n"]) for div in tree.css("div.line")]
    rows = [int(tr.attributes["data-n"]) for tr in drawn.css("tr")]
    assert lines == [1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 17]  # 17: the empty line after the final newline
    assert rows == [9, 10, 12, 13, 14]  # 11, a blank line between rows, is hidden in the row above


def test_findings_also_listed_in_document_order(final_report, table_report):
    for report in (final_report, table_report):
        tree = page([report])
        by_place = [a.attributes["data-finding-at"] for a in tree.css("ol.by-place a.finding-at")]
        by_rule = [a.attributes["data-finding"] for a in tree.css("div.by-rule a.finding")]
        assert sorted(by_place) == sorted(by_rule) and len(by_place) == len(report.findings)
        starts = [report.findings[int(fid.rsplit("-f", 1)[1])].start for fid in by_place]
        assert starts == sorted(starts) and by_place != by_rule
        # the switch works without script: two radio buttons ahead of the two lists
        inputs = tree.css("div.orders > input[type=radio]")
        assert [("checked" in i.attributes) for i in inputs] == [True, False]


def test_a_table_that_cannot_be_drawn_as_a_grid_stays_lines(table_report):
    """Text between cells that is not a separator (the reader's offsets disagree with the text)
    would be hidden in a grid: such a table is shown as its lines."""
    report = table_report.model_copy(deep=True)
    row = report.tables[0].rows[1]
    row.cells[1] = row.cells[1].model_copy(update={"start": row.cells[1].start + 2})
    tree = page([report])
    assert not tree.css("div.tbl")
    assert marked_text(tree)[0] == report.text


_CELL_TEXT = st.text(alphabet=st.sampled_from("收支合计<>&|｜ 1,0.-"), max_size=5)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.lists(_CELL_TEXT, min_size=2, max_size=4), min_size=1, max_size=5),
    between=st.lists(st.sampled_from(["", "\n", "- 2 -\n", "|---|---|\n", "  \n"]), min_size=5, max_size=5),
    spans=st.lists(st.tuples(st.integers(0, 120), st.integers(0, 9)), max_size=6),
)
def test_any_table_and_marks_read_back(rows, between, spans):
    """Whatever the reader makes a table of, the page holds the text in order and each finding's quote."""
    from narrative_check.extract.tables import analyze
    from narrative_check.read.text import parse_text

    body = "".join(between[k] + "\t".join(cells) + "\n" for k, cells in enumerate(rows))
    text = "表1 收入支出决算表\n单位：万元\n" + body + "注：本表金额保留两位小数。"
    doc = parse_text(text)
    analyze(doc)
    report = Report(file="t.txt", findings=_findings_at(text, spans, "TBL001", "error"), text=text, tables=doc.tables)
    tree = page([report])
    page_text, quotes = marked_text(tree)
    assert page_text == text
    for i, f in enumerate(report.findings):
        assert quotes.get(f"r0-f{i}", "") == f.quote
        assert len(tree.css(f'a.anchor[id="r0-f{i}"]')) == 1


def test_cli_html(tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["check", str(FINAL_2021), str(BUDGET_2024), "--format", "html", "--output", str(out)])
    assert result.exit_code == EXIT_FINDINGS, result.output
    tree = LexborHTMLParser(out.read_text(encoding="utf-8"))
    assert len(tree.css("section.report")) == 2


# ---- in a real browser ----------------------------------------------------------------------------


def _browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _dump_dom(browser: str, path, fragment: str) -> LexborHTMLParser:
    proc = subprocess.run(
        [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--window-size=1280,900",
         "--virtual-time-budget=5000", "--dump-dom", f"{path.as_uri()}#{fragment}"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return LexborHTMLParser(proc.stdout)


@pytest.mark.parametrize("which", ["final", "hostile", "table"])
def test_in_a_browser(which, final_report, table_report, tmp_path):
    browser = _browser()
    if browser is None:
        pytest.skip("no chromium")
    report = {"final": final_report, "hostile": hostile_report(), "table": table_report}[which]
    path = tmp_path / "report.html"
    path.write_text(RENDERERS["html"].render([report]), encoding="utf-8")
    tree = _dump_dom(browser, path, "selfcheck")
    root = tree.css_first("html").attributes
    assert root.get("data-js-errors") is None, root.get("data-js-errors")
    assert root.get("data-selfcheck") == "done" and root.get("data-ready") == "1"
    cells_of = {}
    for claim in report.claims:
        cells_of[claim.id] = bool(getattr(claim, "links", None))
    items = tree.css("a.finding")
    assert len(items) == len(report.findings)
    for item in items:
        i = int(item.attributes["data-finding"].rsplit("-f", 1)[1])
        f = report.findings[i]
        assert json.loads(item.attributes["data-rendered"]) == f.quote, (i, f.rule)  # what the browser shows at the anchor
        assert int(item.attributes["data-pieces"]) >= 1
        assert item.attributes["data-in-view"] == "1"  # selecting it scrolled the text there
        assert int(item.attributes["data-current"]) >= 1
        if cells_of.get(f.claim):
            assert int(item.attributes["data-current-cells"]) >= 1
    # opening the page at a finding's address selects it
    tree = _dump_dom(browser, path, "r0-f1")
    assert "active" in (tree.css_first('a.finding[data-finding="r0-f1"]').parent.attributes.get("class") or "")
    assert all("current" in (s.attributes.get("class") or "").split() for s in tree.css('span[data-f~="r0-f1"]'))
    if which == "table":
        # opening at a finding in a table cell outlines the drawn cell
        i = next(i for i, f in enumerate(report.findings) if f.rule == "TBL001")
        tree = _dump_dom(browser, path, f"r0-f{i}")
        cell = tree.css_first(f'td[data-findings~="r0-f{i}"]')
        assert "current-cell" in cell.attributes["class"].split() and "flagged" in cell.attributes["class"].split()


def test_labels_follow_the_language(final_report):
    english = page([final_report.model_copy(update={"lang": "en"})])
    fixed = next(a for a in english.css("a.finding") if a.css_first(".fix"))
    assert fixed.css_first(".fix").text().startswith("fix ") and "stated" in fixed.css_first(".values").text()
    assert english.css("li.tied") and all(li.text().startswith("the same slip also gives") for li in english.css("li.tied"))
