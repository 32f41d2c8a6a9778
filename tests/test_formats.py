"""The same report as Word, web page and PDF: the same tables, the same findings, pages right."""

from __future__ import annotations

import io
import unicodedata
from decimal import Decimal

import pytest

from narrative_check import check_document, check_file
from narrative_check.read import read_bytes, read_file
from narrative_check.read.sniff import sniff_format

from report_formats import REPORTS, docx_to_pdf, finding_keys, soffice, write_docx, write_html


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """{(report, format): path} for the Word and HTML versions of both corpus reports."""
    out = tmp_path_factory.mktemp("formats")
    files = {}
    for name, source in REPORTS.items():
        text = source.read_text(encoding="utf-8")
        files[(name, "txt")] = source
        files[(name, "docx")] = write_docx(text, out / f"{name}.docx")
        files[(name, "html")] = write_html(text, out / f"{name}.html")
        files[(name, "gbk.html")] = write_html(text, out / f"{name}.gbk.html", encoding="gbk")
    return files


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory):
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("pdf")
    names = sorted(REPORTS)
    long_paragraph = _long_paragraph_docx(out / "long.docx")
    pdfs = docx_to_pdf([built[(name, "docx")] for name in names] + [long_paragraph], out)
    return {**dict(zip(names, pdfs)), "long": pdfs[-1]}


LONG_SENTENCE = "2021 年度一般公共预算财政拨款支出 9754.15 万元，较上年决算数增加 2001.7 万元，增长 25.8%，主要原因是就业补助资金增加。"


def _long_paragraph_docx(path):
    """A paragraph longer than a page, so the PDF cuts it (and sentences in it) at a page break."""
    import docx

    document = docx.Document()
    document.add_paragraph("2021年度部门决算情况说明")
    document.add_paragraph("一、部门决算情况说明")
    document.add_paragraph(LONG_SENTENCE * 40)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def final_pdf(pdfs):
    """The final-account report's PDF read and checked once: (document, report)."""
    doc = read_file(pdfs["final"])
    return doc, check_document(doc)


def _grid(table) -> list[list[str]]:
    width = max(len(row.cells) for row in table.rows)
    return [[cell.text for cell in row.cells] + [""] * (width - len(row.cells)) for row in table.rows]


@pytest.mark.parametrize("name", sorted(REPORTS))
@pytest.mark.parametrize("fmt", ["docx", "html", "gbk.html"])
def test_same_findings_as_text(built, name, fmt):
    assert finding_keys(check_file(built[(name, fmt)])) == finding_keys(check_file(built[(name, "txt")]))


@pytest.mark.parametrize("name", sorted(REPORTS))
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_same_tables_as_text(built, name, fmt):
    text_doc, doc = read_file(built[(name, "txt")]), read_file(built[(name, fmt)])
    assert [t.title for t in doc.tables] == [t.title for t in text_doc.tables]
    assert [_grid(t) for t in doc.tables] == [_grid(t) for t in text_doc.tables]


def test_final_report_findings_are_not_trivially_equal(built):
    # The comparison above means something only if the text version has the known findings.
    keys = finding_keys(check_file(built[("final", "docx")]))
    for rule in ("CON002", "TBL001", "TBL002", "LEX001", "KPI001", "CON003"):
        assert any(r == rule for r, _ in keys), rule


def test_docx_findings_point_at_their_paragraph_or_cell(built):
    import docx

    from narrative_check.read.docx import P_TAG, body_blocks, paragraph_text, table_cells

    path = built[("final", "docx")]
    blocks = list(body_blocks(docx.Document(str(path)).element.body))
    paragraphs = [b for b in blocks if b.tag == P_TAG]
    tables = [b for b in blocks if b.tag != P_TAG]
    report = check_file(path)
    assert report.findings
    for finding in report.findings:
        source = finding.source
        assert source is not None and source.page is None
        if source.table is None:
            text = paragraph_text(paragraphs[source.paragraph])
        else:
            cell = next(tc for r, c, tc, span in table_cells(tables[source.table]) if r == source.row and c <= source.col < c + span)
            cell_paragraphs = list(cell.iter(P_TAG)) if cell is not None else []
            text = paragraph_text(cell_paragraphs[source.paragraph]) if source.paragraph is not None else ""
        if source.char is not None:
            assert text[source.char : source.char + len(finding.quote)] == finding.quote
        else:
            assert finding.quote == "" or _norm(finding.quote) in _norm(text)


def test_pdf_same_findings_as_text(final_pdf, pdfs, built):
    assert finding_keys(final_pdf[1]) == finding_keys(check_file(built[("final", "txt")]))
    assert finding_keys(check_file(pdfs["budget"])) == finding_keys(check_file(built[("budget", "txt")]))


def test_pdf_findings_carry_the_right_page(final_pdf, pdfs):
    import pdfplumber

    report = final_pdf[1]
    with pdfplumber.open(pdfs["final"]) as pdf:
        page_text = []
        for page in pdf.pages:
            cells = [cell or "" for table in page.extract_tables() for row in table for cell in row]
            page_text.append((_norm(page.extract_text() or ""), {_norm(cell) for cell in cells}))
        pages = len(pdf.pages)
    assert report.findings
    for finding in report.findings:
        assert finding.page is not None and 1 <= finding.page <= pages
        assert finding.source is not None and finding.source.page == finding.page
        if not finding.quote.strip():
            continue
        text, cells = page_text[finding.page - 1]
        quote = _norm(finding.quote)
        assert quote in text or any(quote in cell for cell in cells), (finding.rule, finding.quote, finding.page)


def test_pdf_drops_running_heads_and_page_numbers(final_pdf):
    doc = final_pdf[0]
    assert "部门决算公开" not in doc.text  # the running head on every page
    assert not any(line.strip().startswith("第") and line.strip().endswith("页") for line in doc.text.splitlines())


def test_pdf_rejoins_a_paragraph_cut_by_page_breaks(pdfs):
    doc = read_file(pdfs["long"])
    long = [p for p in doc.paragraphs if LONG_SENTENCE[:20] in doc.text[p.start : p.end]]
    assert len(long) == 1
    paragraph = long[0]
    assert doc.source_at(paragraph.start).page == 1 and doc.source_at(paragraph.end - 1).page >= 2
    assert _norm(doc.text[paragraph.start : paragraph.end]) == _norm(LONG_SENTENCE * 40)
    # Every sentence is whole, the one the page break cut included.
    sentences = [_norm(doc.text[s.start : s.end]) for s in paragraph.sentences]
    assert sentences == [_norm(LONG_SENTENCE)] * 40
    assert any(doc.source_at(s.start).page != doc.source_at(s.end - 1).page for s in paragraph.sentences)


def test_pdf_tables_of_the_final_accounts_match_the_text(final_pdf, built):
    text_doc, doc = read_file(built[("final", "txt")]), final_pdf[0]
    assert len(doc.tables) == len(text_doc.tables)
    # The 公开 tables (all rows short enough to stay on a page) come out cell for cell; the
    # self-evaluation tables have cells taller than a page, which the PDF cuts.
    for pdf_table, text_table in zip(doc.tables[3:], text_doc.tables[3:]):
        assert pdf_table.title == text_table.title
        assert [[_norm(c) for c in row] for row in _grid(pdf_table)] == [[_norm(c) for c in row] for row in _grid(text_table)]


def test_pdf_row_cut_by_a_page_break_is_one_row():
    from narrative_check.read.pdf import _continued

    grid = [["功能分类科目编码", "", "科目名称", "合计"], ["20801", "", "人力资源", "1,439.1"]]
    assert _continued(grid, [["", "", "和社会保障管理事务", "9"], ["2080101", "", "行政运行", "906.84"]]) == [["2080101", "", "行政运行", "906.84"]]
    assert grid[-1] == ["20801", "", "人力资源和社会保障管理事务", "1,439.19"]
    grid = [["213059", "", "其他扶贫", "77.50"]]
    assert _continued(grid, [["9", "", "支出", ""]]) == [] and grid[-1] == ["2130599", "", "其他扶贫支出", "77.50"]


@pytest.mark.parametrize(
    "last, first",
    [
        (["2080505", "", "机关事业单位基本养老保险缴费支出", "129.18"], ["2080506", "", "机关事业单位职业年金缴费支出", "65.19"]),
        (["八、其他收入", "", "八、社会保障和就业支出", "5,557.64"], ["", "", "九、卫生健康支出", "3,039.92"]),
        (["", "", "十二、农林水支出", "659.60"], ["", "", "十三、交通运输支出", ""]),
        (["4", "年初指标", "补贴资金下达率", "100"], ["5", "年初指标", "补贴资金支付到位率", "100"]),
    ],
)
def test_pdf_rows_at_a_page_break_stay_apart(last, first):
    from narrative_check.read.pdf import _continued

    grid = [["项目", "", "科目", "金额"], list(last)]
    assert _continued(grid, [list(first)]) == [first] and grid[-1] == last


def test_pdf_repeated_header_row_read_once():
    from narrative_check.read.pdf import _continued

    head = ["科目编码", "科目名称", "合计"]
    grid = [head, ["208", "社会保障和就业支出", "5,557.65"]]
    assert _continued(grid, [head, ["210", "卫生健康支出", "3,039.92"]]) == [["210", "卫生健康支出", "3,039.92"]]


def test_pdf_cell_values_are_numbers(final_pdf):
    doc = final_pdf[0]
    total = next(t for t in doc.tables if t.title == "收入支出决算总表")
    values = {cell.value for row in total.rows for cell in row.cells if cell.value is not None}
    assert Decimal("9909.15") in values and Decimal("9754.15") in values


# --- formats by content ------------------------------------------------------------------


def test_format_is_sniffed_from_content_not_name(built, tmp_path):
    disguised = tmp_path / "report.txt"
    disguised.write_bytes(built[("final", "docx")].read_bytes())
    assert sniff_format(disguised.read_bytes(), path=str(disguised)) == "docx"
    assert finding_keys(check_file(disguised)) == finding_keys(check_file(built[("final", "txt")]))
    html_named_txt = tmp_path / "page.txt"
    html_named_txt.write_bytes(built[("budget", "html")].read_bytes())
    assert sniff_format(html_named_txt.read_bytes(), path=str(html_named_txt)) == "html"


def test_text_stays_text():
    data = REPORTS["budget"].read_bytes()
    assert sniff_format(data, path="x.txt") == "text"
    assert read_bytes(data).origins == []


# --- Word specifics ------------------------------------------------------------------------


def _docx_bytes(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_merged_cells_do_not_repeat_their_value():
    def build(document):
        document.add_paragraph("收入支出决算总表")
        document.add_paragraph("单位：万元")
        table = document.add_table(rows=4, cols=4)
        for r, row in enumerate([["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"], ["一、财政拨款收入", "9,754.15", "一、社会保障和就业支出", "5,557.64"], ["", "", "二、卫生健康支出", "3,039.92"]]):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).text = text
        table.cell(0, 0).merge(table.cell(0, 1))
        table.cell(0, 2).merge(table.cell(0, 3))
        table.cell(2, 0).merge(table.cell(3, 0))  # vertical
        table.cell(2, 1).merge(table.cell(3, 1))

    doc = read_bytes(_docx_bytes(build))
    assert _grid(doc.tables[0]) == [
        ["收入", "", "支出", ""],
        ["项目", "决算数", "项目", "决算数"],
        ["一、财政拨款收入", "9,754.15", "一、社会保障和就业支出", "5,557.64"],
        ["", "", "二、卫生健康支出", "3,039.92"],
    ]
    assert doc.tables[0].title == "收入支出决算总表" and doc.tables[0].unit == "万元"


def test_docx_automatic_numbering_and_heading_styles_make_sections():
    from docx.oxml import parse_xml

    numbering_xml = (
        '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:abstractNum w:abstractNumId="7">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>'
    )

    def numbered(paragraph, level):
        paragraph._p.get_or_add_pPr().append(parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr>'
        ))

    def build(document):
        numbering = document.part.numbering_part
        numbering._element = parse_xml(numbering_xml)
        numbered(document.add_paragraph("部门基本情况"), 0)
        numbered(document.add_paragraph("职能职责"), 1)
        document.add_paragraph("负责全区人力资源和社会保障工作。")
        numbered(document.add_paragraph("机构设置"), 1)
        numbered(document.add_paragraph("部门决算情况说明"), 0)
        document.add_paragraph("收支总体情况，含上年结转和本年各项收入及支出的分项说明", style="Heading 2")
        document.add_paragraph("2021 年度收入总计 9909.15 万元。")

    doc = read_bytes(_docx_bytes(build))
    assert [(s.marker, s.title) for s in doc.sections][:4] == [("一、", "部门基本情况"), ("（一）", "职能职责"), ("（二）", "机构设置"), ("二、", "部门决算情况说明")]
    # A styled heading opens a section even when its shape (long, with a comma) would not.
    assert doc.sections[4].title.startswith("收支总体情况")
    assert doc.paragraphs[-1].section == 4


def test_docx_tracked_insertions_read_deletions_not():
    from docx.oxml import parse_xml

    def build(document):
        p = document.add_paragraph("收入总计 ")
        ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        p._p.append(parse_xml(f'<w:del {ns} w:id="1" w:author="a"><w:r><w:delText>9000</w:delText></w:r></w:del>'))
        p._p.append(parse_xml(f'<w:ins {ns} w:id="2" w:author="a"><w:r><w:t>9909.15</w:t></w:r></w:ins>'))
        p.add_run(" 万元。")

    doc = read_bytes(_docx_bytes(build))
    assert "收入总计 9909.15 万元。" in doc.text and "9000" not in doc.text


# --- web pages -----------------------------------------------------------------------------


def test_html_drops_navigation_scripts_and_footer(built):
    doc = read_file(built[("final", "html")])
    assert "首页" not in doc.text and "var nav" not in doc.text and "网站标识码" not in doc.text


def test_html_charset_from_meta(built):
    assert read_file(built[("final", "gbk.html")]).encoding == "gb18030"
    assert read_file(built[("final", "html")]).encoding == "utf-8"


def test_html_rowspan_and_colspan_leave_covered_cells_empty():
    page = (
        "<html><body><p>部门收支总表</p><table>"
        "<tr><th colspan=2>收入</th><th colspan=2>支出</th></tr>"
        "<tr><td rowspan=2>财政拨款</td><td>9,754.15</td><td>社会保障和就业支出</td><td>5,557.64</td></tr>"
        "<tr><td>155.00</td><td>卫生健康支出</td><td>3,039.92</td></tr>"
        "</table></body></html>"
    ).encode()
    doc = read_bytes(page)
    assert _grid(doc.tables[0]) == [
        ["收入", "", "支出", ""],
        ["财政拨款", "9,754.15", "社会保障和就业支出", "5,557.64"],
        ["", "155.00", "卫生健康支出", "3,039.92"],
    ]
    source = doc.source_at(doc.tables[0].rows[2].cells[1].start)
    assert (source.table, source.row, source.col) == (0, 2, 1)


# --- workbooks -----------------------------------------------------------------------------


def _workbook(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公开05表"
    sheet.append(["一般公共预算财政拨款支出决算表"])
    sheet.append(["单位：万元"])
    sheet.append(["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    sheet.append(["", "合计", 9754.15, 1648.02, 8106.13])
    sheet.append(["208", "社会保障和就业支出", 5557.65, 1217.87, 4339.78])
    sheet.append(["210", "卫生健康支出", 4196.5, 430.15, 3766.53])  # 430.15 + 3766.53 ≠ 4196.50
    for row in sheet.iter_rows(min_row=4):
        for cell in row[2:]:
            cell.number_format = "#,##0.00"
    hidden = book.create_sheet("草稿")
    hidden.append(["不应读到", 1])
    hidden.sheet_state = "hidden"
    path = tmp_path / "tables.xlsx"
    book.save(path)
    return path


def test_xlsx_sheet_is_a_table_with_its_title_and_unit(tmp_path):
    doc = read_file(_workbook(tmp_path))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.title == "一般公共预算财政拨款支出决算表" and table.unit == "万元"
    assert _grid(table)[3] == ["210", "卫生健康支出", "4,196.50", "430.15", "3,766.53"]  # the cell format's decimals
    assert "不应读到" not in doc.text
    source = doc.source_at(table.rows[1].cells[2].start)
    assert (source.sheet, source.row, source.col) == ("公开05表", 3, 2)


def test_narrative_with_tables_workbook(tmp_path):
    narrative = tmp_path / "说明.txt"
    narrative.write_text(
        "2021年度部门决算情况说明\n\n一、部门决算情况说明\n\n"
        "2021 年度一般公共预算财政拨款支出 9754.15 万元，其中：基本支出 1648.02 万元，项目支出 8106.13 万元。"
        "社会保障和就业支出 5557.65 万元，卫生健康支出 4196.5 万元。\n",
        encoding="utf-8",
    )
    book = _workbook(tmp_path)
    alone = check_file(narrative)
    both = check_file(narrative, tables=book)
    assert alone.stats.tables_by_kind == {}
    assert sum(both.stats.tables_by_kind.values()) == 1
    assert both.stats.amounts_linked > alone.stats.amounts_linked
    # The workbook's own arithmetic is checked too, and its findings name the sheet.
    assert any(f.source is not None and f.source.sheet == "公开05表" for f in both.findings)


def test_cli_tables_option(tmp_path):
    from click.testing import CliRunner

    from narrative_check.cli import cli

    narrative = tmp_path / "n.txt"
    narrative.write_text("2021年度部门决算情况说明\n\n一般公共预算财政拨款支出 9754.15 万元。\n", encoding="utf-8")
    book = _workbook(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(narrative), "--tables", str(book), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    not_a_book = CliRunner().invoke(cli, ["check", str(narrative), "--tables", str(narrative)])
    assert not_a_book.exit_code == 2 and "E007" in not_a_book.output
