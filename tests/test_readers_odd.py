"""Readers on odd but legal input: deep nesting, wild spans, wrong charset labels, page
furniture look-alikes, Word content controls and text boxes, Excel number formats."""

from __future__ import annotations

import io

import pytest

from narrative_check.errors import InputError, InputErrorCode
from narrative_check.read import read_bytes

HEAD = "<html><body><h1>2021年度部门决算情况说明</h1><h2>一、收入支出决算总体情况说明</h2>"
P = "2021年度收入总计100万元，支出总计90万元。"


def _html(body: str, head: str = HEAD) -> bytes:
    return (head + body + "</body></html>").encode("utf-8")


# --- HTML ------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["div", "span", "table"])
def test_html_nested_thousands_deep_is_read(tag):
    if tag == "table":
        body = "<table><tr><td>" * 1500 + f"<p>{P}</p>" + "</td></tr></table>" * 1500
    else:
        body = f"<{tag}>" * 3000 + f"<p>{P}</p>" + f"</{tag}>" * 3000
    doc = read_bytes(_html(body), path="deep.html")
    assert P in doc.text


def test_html_huge_spans_are_not_a_grid():
    rows = "".join(f"<tr><td colspan=200 rowspan=200>{i}</td><td>1</td></tr>" for i in range(300))
    doc = read_bytes(_html(f"<p>{P}</p><table>{rows}</table>"), path="span.html")
    # Read as a layout table: every cell's text once, on lines of its own, no 60,000-column rows.
    assert doc.tables == []
    assert "299" in doc.text.split("\n")
    assert len(doc.text) < 5000


@pytest.mark.parametrize("rowspan", ["150", "0"])
def test_html_rowspan_runs_to_the_table_end_at_most(rowspan):
    table = f"<table><tr><td rowspan={rowspan}>项目</td><td>收入</td></tr><tr><td>100</td></tr><tr><td>200</td></tr></table>"
    doc = read_bytes(_html(f"<p>{P}</p>{table}"), path="rowspan.html")
    assert doc.text.endswith("项目\t收入\n\t100\n\t200\n")


def test_html_wide_colspan_adds_no_empty_columns():
    table = "<table><tr><td colspan=200>表头</td></tr><tr><td>收入</td><td>100</td></tr></table>"
    doc = read_bytes(_html(f"<p>{P}</p>{table}"), path="colspan.html")
    assert "表头\t\n收入\t100\n" in doc.text


def test_html_layout_table_cells_do_not_run_together():
    inner = "<table><tr><td>收入</td><td>100</td></tr></table>"
    layout = f"<table><tr><td>左侧</td><td><p>{P}</p>{inner}</td></tr><tr><td>100</td><td>200</td></tr></table>"
    doc = read_bytes(_html(layout), path="layout.html")
    lines = doc.text.split("\n")
    assert "100" in lines and "200" in lines
    assert "100200" not in doc.text


@pytest.mark.parametrize(
    ("label", "encoding"),
    [("iso-8859-1", "gbk"), ("windows-1252", "gbk"), ("utf-16", "utf-8"), ("UTF-32", "utf-8"), ("gb2312", "utf-8")],
)
def test_html_wrong_charset_label_on_a_chinese_page(label, encoding):
    data = (f"<html><head><meta charset='{label}'></head><body><p>{P}</p></body></html>").encode(encoding)
    doc = read_bytes(data, path="label.html")
    assert P in doc.text


def test_html_single_byte_label_still_reads_a_latin_page():
    data = "<html><head><meta charset='iso-8859-1'></head><body><p>Café 2021: 100</p></body></html>".encode("latin-1")
    doc = read_bytes(data, path="latin.html")
    assert "Café" in doc.text


def test_html_declared_charset_refuses_binary():
    data = b"<html><head><meta charset='iso-8859-1'></head><body><p>abc\x00\x00\x00\x00\x01\x02</p></body></html>"
    with pytest.raises(InputError) as exc:
        read_bytes(data, path="nul.html")
    assert exc.value.code == InputErrorCode.BINARY


def test_html_furniture_look_alikes_are_kept():
    page = (
        '<html><body><div class="article"><div class="article-header"><h1>2021年度部门决算情况说明</h1></div>'
        f"<h2>一、收入支出决算总体情况说明</h2><p>{P}</p><p>表1 收入支出决算总表</p><p>单位：万元</p>"
        '<table><tr class="table-header"><th>项目</th><th>2021年决算数</th></tr><tr><td>收入</td><td>100</td></tr></table>'
        '<div class="footer">版权所有</div></div></body></html>'
    )
    doc = read_bytes(page.encode(), path="furniture.html")
    assert "2021年度部门决算情况说明" in doc.text
    assert "项目\t2021年决算数" in doc.text
    assert "版权所有" not in doc.text


# --- Excel number formats ----------------------------------------------------------------------


def _xlsx(cells: list[tuple[object, str]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收入支出决算总表"
    sheet.append(["项目", "金额"])
    for k, (value, number_format) in enumerate(cells, start=2):
        sheet.cell(row=k, column=1, value=f"行{k}")
        sheet.cell(row=k, column=2, value=value).number_format = number_format
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_with_cell_at(row: int, column: int, value) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收入支出决算总表"
    sheet.append(["项目", "金额"])
    sheet.append(["本年收入合计", 9909.15])
    sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("row, column", [(20_000, 1_000), (1_048_576, 16_384)])
def test_xlsx_stray_cell_far_out_does_not_make_a_grid_of_millions(row, column):
    """A 5 KB workbook with one value at row 20,000, column 1,000 spans 20 million cells: only
    the rows and columns holding values are read (iter_rows took minutes, creating each cell)."""
    from test_hostile import hang_guard

    with hang_guard(seconds=20, what=f"a value at ({row}, {column})"):
        doc = read_bytes(_xlsx_with_cell_at(row, column, "注：单位万元"), path="book.xlsx")
    rows = [[cell.text for cell in r.cells] for r in doc.tables[0].rows]
    assert rows[:2] == [["项目", "金额", ""], ["本年收入合计", "9909.15", ""]]
    assert rows[-1][-1] == "注：单位万元"


def test_xlsx_values_spread_over_millions_of_cells_are_refused():
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for k in range(1, 600):
        sheet.cell(row=k * 3, column=k * 2, value=k)  # a diagonal: 599 rows × 599 columns of values
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(InputError) as info:
        read_bytes(out.getvalue(), path="diagonal.xlsx")
    assert info.value.code == InputErrorCode.TOO_LARGE and "599 rows × 599 columns" in info.value.message


def test_xlsx_numbers_rounded_half_up_at_any_size():
    data = _xlsx([(12.5, "0"), (8843.225, "0.00"), (1e26, "0.00"), (1.5, "0." + "0" * 30), (-0.125, "0.00%")])
    doc = read_bytes(data, path="book.xlsx")
    shown = ["13", "8843.23", "100000000000000000000000000.00", "1.5" + "0" * 29, "-12.50%"]
    for k, text in enumerate(shown, start=2):
        assert f"行{k}\t{text}\n" in doc.text


def test_round_half_up_is_the_messages_rounding():
    from decimal import Decimal

    from narrative_check.extract.numbers import round_half_up
    from narrative_check.rules.base import fmt

    assert round_half_up(Decimal("2.345"), 2) == Decimal("2.35")
    assert round_half_up(Decimal("-2.345"), 2) == Decimal("-2.35")
    assert round_half_up(Decimal("9" * 30), 2) == Decimal("9" * 30)
    assert fmt(Decimal("12.5"), 0) == "13"
    assert fmt(Decimal("-0.001")) == "0.00"


# --- Word: content controls, text boxes, breaks, workbook sources ------------------------------

_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)
_TEXT_BOX_RUN = (
    f"<w:r {_NS}><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic><a:graphicData>"
    "<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>50</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
    "<w:txbxContent><w:p><w:r><w:t>50</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)


def _docx_with_table(rows, tmp_path, name="t.docx"):
    import docx

    document = docx.Document()
    document.add_paragraph("2021年度部门决算情况说明")
    document.add_paragraph(P)
    document.add_paragraph("表1 收入支出决算总表")
    document.add_paragraph("单位：万元")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return document, table


def _save(document, path):
    document.save(path)
    return path


@pytest.mark.parametrize("wrapper", ["sdt", "customXml"])
def test_docx_rows_and_cells_in_content_controls_are_read(tmp_path, wrapper):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document, table = _docx_with_table([("项目", "金额"), ("收入", "100"), ("支出", "90")], tmp_path)

    def wrap(element):
        if wrapper == "sdt":
            box = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent/></w:sdt>')
            element.addprevious(box)
            box[1].append(element)
        else:
            box = parse_xml(f'<w:customXml {nsdecls("w")} w:element="row"/>')
            element.addprevious(box)
            box.append(element)

    wrap(table._tbl.tr_lst[2])  # a row
    wrap(table._tbl.tr_lst[1].tc_lst[1])  # a cell
    doc = read_bytes(_save(document, tmp_path / "wrapped.docx").read_bytes(), path="wrapped.docx")
    assert "项目\t金额\n收入\t100\n支出\t90\n" in doc.text


def _set_grid(element, tag: str, value: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if tag == "w:gridSpan":
        properties = element.get_or_add_tcPr()
    else:
        properties = element.get_or_add_trPr()
    child = OxmlElement(tag)
    child.set(qn("w:val"), value)
    properties.append(child)


@pytest.mark.parametrize("span", ["5000000", "-3", "x"])
def test_docx_grid_span_out_of_range_is_read_within_bounds(tmp_path, span):
    """gridSpan="5000000" in a 2-column table padded its row with five million empty cells."""
    from test_hostile import hang_guard

    document, table = _docx_with_table([("项目", "金额"), ("收入", "100"), ("支出", "90")], tmp_path)
    _set_grid(table._tbl.tr_lst[0].tc_lst[0], "w:gridSpan", span)
    _set_grid(table._tbl.tr_lst[1], "w:gridBefore", span)
    with hang_guard(seconds=20, what=f"gridSpan {span}"):
        doc = read_bytes(_save(document, tmp_path / "span.docx").read_bytes(), path="span.docx")
    rows = [[cell.text for cell in row.cells if cell.text] for row in doc.tables[0].rows]
    assert rows == [["项目", "金额"], ["收入", "100"], ["支出", "90"]]
    assert max(len(row.cells) for row in doc.tables[0].rows) <= 2 * 200 + 2


def test_docx_cells_all_spanning_wide_are_read_one_column_each(tmp_path):
    """Every cell spanning 200 columns spreads 300 cells over 60,000 positions: spans gone wrong,
    so each cell takes one column (and the rows still line up)."""
    rows = [tuple(f"{r}{c}" for c in range(10)) for r in range(30)]
    document, table = _docx_with_table(rows, tmp_path)
    for tr in table._tbl.tr_lst:
        for tc in tr.tc_lst:
            _set_grid(tc, "w:gridSpan", "200")
    doc = read_bytes(_save(document, tmp_path / "wide.docx").read_bytes(), path="wide.docx")
    assert [[cell.text for cell in row.cells] for row in doc.tables[0].rows] == [list(row) for row in rows]


def test_docx_text_box_in_a_cell_is_not_read_twice_and_comments_find_the_paragraph(tmp_path):
    import docx
    from docx.oxml import parse_xml

    from narrative_check.models.document import SourceRef
    from narrative_check.models.findings import Finding
    from narrative_check.render.docx import annotate

    document, table = _docx_with_table([("项目", "金额"), ("收入", "")], tmp_path)
    cell = table.cell(1, 1)
    cell.paragraphs[0]._p.append(parse_xml(_TEXT_BOX_RUN))
    cell.add_paragraph("80")
    path = _save(document, tmp_path / "box.docx")
    doc = read_bytes(path.read_bytes(), path=str(path))
    assert "收入\t80\n" in doc.text
    start = doc.text.index("收入\t80") + 3
    source = next(o.source for o in doc.origins if o.start <= start < o.end)
    assert (source.table, source.row, source.col, source.char) == (0, 1, 1, 0)
    finding = Finding(rule="TBL001", name="x", severity="error", message="m", start=start, end=start + 2, line=1, column=1, source=source, quote="80")
    annotated = docx.Document(io.BytesIO(annotate(path.read_bytes(), [finding])))
    assert _commented(annotated) == ["80"]
    # A finding on a sheet of a --tables workbook has no place in the Word file.
    on_sheet = finding.model_copy(update={"source": SourceRef(table=0, row=1, col=1, paragraph=1, char=0, sheet="表1")})
    assert _commented(docx.Document(io.BytesIO(annotate(path.read_bytes(), [on_sheet])))) == []


def test_docx_comment_keeps_a_page_break_in_the_run(tmp_path):
    import docx
    from docx.enum.text import WD_BREAK

    from narrative_check.render.docx import annotate

    document = docx.Document()
    document.add_paragraph("2021年度部门决算情况说明")
    document.add_paragraph("一、收入支出决算总体情况说明")
    run = document.add_paragraph().add_run("2021年度收入总计100万元，")
    run.add_break(WD_BREAK.PAGE)
    run.add_text("支出总计90万元。其中：基本支出50万元，项目支出30万元，合计80万元。")
    path = _save(document, tmp_path / "break.docx")
    from narrative_check import check_file

    findings = [f for f in check_file(path).findings if f.source is not None and f.source.paragraph == 2]
    assert findings
    annotated = docx.Document(io.BytesIO(annotate(path.read_bytes(), findings)))
    assert annotated.element.xml.count('w:type="page"') == 1
    assert _commented(annotated)


def _commented(document) -> list[str]:
    """The text under each comment's range, in document order."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    open_ranges: dict[str, list[str]] = {}
    done = []
    for element in document.element.body.iter():
        if element.tag == f"{w}commentRangeStart":
            open_ranges[element.get(f"{w}id")] = []
        elif element.tag == f"{w}commentRangeEnd":
            done.append("".join(open_ranges.pop(element.get(f"{w}id"), [])))
        elif element.tag == f"{w}t":
            for parts in open_ranges.values():
                parts.append(element.text or "")
    return done


# --- one definition each: page numbers, paragraph ends, Chinese ordinals ----------------------


@pytest.mark.parametrize("line", ["- 3 -", "—12—", "第3页 共10页", "第 3 页", "3/10", "Page 3 of 10", "page 7"])
def test_page_numbers_are_dropped_in_text_and_in_pdf_margins(line):
    from narrative_check.read.text import MARGIN_PAGE_NUMBER, PAGE_FURNITURE

    assert PAGE_FURNITURE.match(line) and MARGIN_PAGE_NUMBER.match(line)
    text = f"2021年度部门决算情况说明\n\n2021年度一般公共预算财政拨款收入总计100万元，支出总\n\n{line}\n\n计90万元。\n"
    doc = read_bytes(text.encode(), path="pages.txt")
    assert len(doc.paragraphs) == 1  # the page number neither stands alone nor stops the join


@pytest.mark.parametrize("line", ["3", "- 3", "2021"])
def test_a_bare_number_is_a_page_number_only_in_a_margin(line):
    from narrative_check.read.text import MARGIN_PAGE_NUMBER, PAGE_FURNITURE

    assert MARGIN_PAGE_NUMBER.match(line) and not PAGE_FURNITURE.match(line)


def test_chinese_ordinals_read_back_as_written():
    from hypothesis import given
    from hypothesis import strategies as st

    from narrative_check.read.numbering import cn_numeral, cn_ordinal, marker_number

    @given(st.integers(min_value=1, max_value=99))
    def round_trip(n):
        assert cn_ordinal(cn_numeral(n)) == n
        assert marker_number(f"（{cn_numeral(n)}）") == n

    round_trip()


# --- PDF: wrapped lines in official-document spacing, portrait and landscape pages ------------

_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
_LONG = "2021年度收入总计100万元，支出总计90万元。其中：基本支出50万元，项目支出30万元，合计80万元。与上年相比，增加20万元，增长25%，主要原因是人员增加。"


def test_pdf_wrapped_lines_stay_one_paragraph_in_official_spacing_beside_a_landscape_page():
    import os

    fpdf = pytest.importorskip("fpdf")
    if not os.path.exists(_FONT):
        pytest.skip("the WenQuanYi Zen Hei font is not installed")
    pdf = fpdf.FPDF()
    pdf.add_font("wqy", fname=_FONT)
    pdf.add_page()
    pdf.set_font("wqy", size=16)
    # GB/T 9704 spacing: 16-point type on 28-point lines (10.2 mm).
    pdf.multi_cell(0, 10.2, "2021年度部门决算情况说明", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.multi_cell(0, 10.2, "一、收入支出决算总体情况说明", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 10.2, "\u3000\u3000" + _LONG, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 10.2, "\u3000\u3000" + _LONG, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page(orientation="L")
    pdf.set_font("wqy", size=12)
    note = "注：本表反映部门本年度的总收支和年末结转结余情况。本表金额转换为万元时，因四舍五入可能存在尾差，请以表格为准。"
    pdf.multi_cell(0, 6, note, new_x="LMARGIN", new_y="NEXT")
    doc = read_bytes(bytes(pdf.output()), path="gongwen.pdf")
    paragraphs = [doc.text[p.start:p.end] for p in doc.paragraphs]
    assert [text.replace("\n", "").strip("\u3000 ") for text in paragraphs] == [_LONG, _LONG, note]
    assert all("\n" not in text for text in paragraphs)


def _landscape_table_page() -> bytes:
    fpdf = pytest.importorskip("fpdf")
    import os

    if not os.path.exists(_FONT):
        pytest.skip("the WenQuanYi Zen Hei font is not installed")
    pdf = fpdf.FPDF(orientation="L", unit="pt", format="A4")
    pdf.add_font("wqy", fname=_FONT)
    pdf.add_page()
    pdf.set_font("wqy", size=12)
    pdf.multi_cell(0, 20, "一般公共预算财政拨款支出决算表", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.multi_cell(0, 20, "单位：万元", new_x="LMARGIN", new_y="NEXT")
    rows = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["208", "社会保障和就业支出", "1,439.19", "900.00", "539.19"],
            ["20801", "人力资源和社会保障管理事务", "1,439.19", "900.00", "539.19"]]
    with pdf.table(headings_style=fpdf.FontFace(emphasis=None)) as table:
        for cells in rows:
            row = table.row()
            for text in cells:
                row.cell(text)
    pdf.multi_cell(0, 20, "注：本表反映部门本年度一般公共预算财政拨款实际支出情况。", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_pdf_page_turned_by_its_rotate_entry_reads_as_displayed(rotation):
    """A landscape table is often a portrait page whose content is drawn sideways and turned
    upright by /Rotate; read as displayed, it gives the text and table of the upright page."""
    from report_formats import turned_pdf

    upright = _landscape_table_page()
    expected, got = read_bytes(upright, path="upright.pdf"), read_bytes(turned_pdf(upright, rotation), path="turned.pdf")
    assert got.text == expected.text
    assert [[c.text for c in row.cells] for row in got.tables[0].rows] == [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["208", "社会保障和就业支出", "1,439.19", "900.00", "539.19"],
        ["20801", "人力资源和社会保障管理事务", "1,439.19", "900.00", "539.19"],
    ]


_READ_IN_THREADS = r"""
import sys
from concurrent.futures import ThreadPoolExecutor
from narrative_check.read import read_bytes
data = open(sys.argv[1], "rb").read()
with ThreadPoolExecutor(4) as pool:
    texts = list(pool.map(lambda _: read_bytes(data, path="threads.pdf").text, range(12)))
print(len(set(texts)), len(texts[0]))
"""


def test_pdf_read_in_several_threads_at_once(tmp_path):
    """A Dask worker checks its files in threads, and PDFium is not thread-safe (two documents
    parsed at once crash the process): run in a subprocess, so a crash fails this test only."""
    import subprocess
    import sys

    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    for _ in range(6):
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        for line in range(30):
            pdf.multi_cell(0, 16, f"{line} 9909.15 2343.3 19.1% 326.25", new_x="LMARGIN", new_y="NEXT")
        with pdf.table() as table:
            for cells in (["208", "1,439.19", "900.00"], ["20801", "1,439.19", "900.00"]):
                row = table.row()
                for text in cells:
                    row.cell(text)
    path = tmp_path / "threads.pdf"
    path.write_bytes(bytes(pdf.output()))
    run = subprocess.run([sys.executable, "-c", _READ_IN_THREADS, str(path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    distinct, length = map(int, run.stdout.split())
    assert distinct == 1 and length > 1000


def test_pdf_page_ruled_more_finely_than_any_table_is_read_as_text():
    """A 200 × 200 grid of ruling lines (a vector drawing, or a hostile file) is no table:
    pdfplumber's cell search over its 40,000 crossings would run for minutes."""
    from test_bad_files import _minimal_pdf
    from test_hostile import hang_guard

    from narrative_check.read.pdf import layout_pdf

    lines = [b"0 %.2f m 595 %.2f l S" % (i * 4.0, i * 4.0) for i in range(200)]
    lines += [b"%.2f 0 m %.2f 842 l S" % (i * 2.9, i * 2.9) for i in range(200)]
    content = b"\n".join(lines) + b"\nBT /F1 12 Tf 72 712 Td (2021 9909.15) Tj ET"
    fonts = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> "
    data = _minimal_pdf(content).replace(b"/Contents 4 0 R", fonts + b"/Contents 4 0 R")
    with hang_guard(seconds=20, what="a finely ruled PDF page"):
        layout = layout_pdf(data, path="drawing.pdf", max_bytes=10**8)
    assert layout.text == "2021 9909.15\n"


def _pdf_with_fonts(content: bytes) -> bytes:
    from test_bad_files import _minimal_pdf

    fonts = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> "
    return _minimal_pdf(content).replace(b"/Contents 4 0 R", fonts + b"/Contents 4 0 R")


def test_pdf_page_of_a_quarter_million_strokes_is_a_drawing():
    """240,000 short strokes on a page (a vector drawing): walking every segment in Python took
    seconds a page; past 100,000 segments the page is no table and its paths are left alone."""
    from test_hostile import hang_guard

    from narrative_check.read.pdf import _MAX_SEGMENTS, _page_objects, layout_pdf

    import pypdfium2 as pdfium

    def page(strokes: int) -> bytes:
        content = b"".join(b"%d %d m %d %d l S\n" % (i % 500, i // 500, i % 500 + 3, i // 500) for i in range(strokes))
        return _pdf_with_fonts(content + b"BT /F1 12 Tf 72 712 Td (2021 9909.15) Tj ET")

    assert len(_page_objects(pdfium.PdfDocument(page(1000))[0]).edges) == 1000
    drawing = page(240_000)
    assert 240_000 > _MAX_SEGMENTS and _page_objects(pdfium.PdfDocument(drawing)[0]).edges == []
    with hang_guard(seconds=20, what="a page of strokes"):
        layout = layout_pdf(drawing, path="d.pdf", max_bytes=10**9)
    assert layout.text == "2021 9909.15\n"


def test_pdf_reading_stops_at_the_character_limit():
    from narrative_check.read import read_bytes
    from narrative_check.read.text import TextLimits

    lines = b"".join(b"BT /F1 9 Tf 10 %d Td (%s) Tj ET\n" % (800 - i * 10, b"9909.15 " * 10) for i in range(60))
    data = _pdf_with_fonts(lines)
    with pytest.raises(InputError) as info:
        read_bytes(data, path="long.pdf", limits=TextLimits(max_chars=1000))
    assert info.value.code == InputErrorCode.TOO_LARGE and "more than 1,000 characters by page 1" in info.value.message
    assert "9909.15" in read_bytes(data, path="long.pdf", limits=TextLimits(max_chars=10_000)).text


@pytest.mark.parametrize("line, marker, level", [
    ("第二部分 部门决算情况说明", "第二部分", 0), ("第三部分：名词解释", "第三部分：", 0), ("第十二节 附则", "第十二节", 0),
    ("一、部门基本情况", "一、", 1), ("第一是", None, None), ("第一次会议", None, None),
])
def test_parts_of_a_report_are_the_outermost_numbering(line, marker, level):
    from narrative_check.read.numbering import match_marker

    m = match_marker(line)
    assert (m[0], m[1]) == (marker, level) if marker else m is None
