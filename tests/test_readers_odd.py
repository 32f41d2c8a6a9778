"""Readers on odd but legal input: deep nesting, wild spans, wrong charset labels, page
furniture look-alikes, Word content controls and text boxes, Excel number formats."""

from __future__ import annotations

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
    import io

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
