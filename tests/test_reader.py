"""The plain-text reader on ugly input: encodings, binary, page breaks, hard wraps, tables."""

from __future__ import annotations

import codecs
import random
from decimal import Decimal
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from narrative_check import check_text
from narrative_check.errors import InputError, InputErrorCode
from narrative_check.read.text import parse_text, read_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# A small report in the layout of text extracted from a published PDF: a title, numbered
# headings, a paragraph cut by a page break ("会" / blank line / "同有关部门"), a hard-wrapped
# paragraph ("占支" / "出总预算"), a tab-separated table with title, unit line, empty cells
# and a 备注 line.
PAGE_BREAK_HEAD = (
    "4.统筹推进建立覆盖城乡的多层次社会保障体系。贯彻执行养老、医疗、工伤、失业、医疗救助等社会保障政策。"
    "会同相关部门编制社会保障基金预决算草案。会"
)
PAGE_BREAK_TAIL = "同有关部门实施全民参保计划。"
WRAP_HEAD = "（二）支出预算：2024 年年初预算数 5,738.89 万元，其中：基本支出 615.78 万元，占支"
WRAP_TAIL = "出总预算 10.73 %，项目支出 5,123.11 万元。"
HEADING = "（一）收入支出决算总体情况说明。"
TABLE_TITLE = "重庆市北碚区人力资源和社会保障局一般公共预算财政拨款支出预算表"
ROW_EMPTY = "20805\t行政事业单位养老支出\t205.16\t205.16\t\t"
ROW_THOUSANDS = "208\t社会保障和就业支出\t5,738.89\t615.78\t5,123.11\t"
NOTE = "备注：本表反映2024年当年一般公共预算财政拨款支出情况。"

REPORT_LINES = [
    "2024年部门预算情况说明",
    "",
    "一、部门基本情况",
    "",
    PAGE_BREAK_HEAD,
    "",
    PAGE_BREAK_TAIL,
    "",
    HEADING,
    "",
    WRAP_HEAD,
    WRAP_TAIL,
    "",
    TABLE_TITLE,
    "",
    "单位：万元",
    "",
    "科目编码\t科目名称\t合计\t基本支出\t项目支出\t备注",
    ROW_THOUSANDS,
    ROW_EMPTY,
    "2080505\t机关事业单位基本养老保险缴费支出\t223.89\t223.89\t\t",
    "",
    NOTE,
    "",
    "二、其他重要事项的情况说明",
    "",
    "2024 年本部门“三公”经费预算数 3.5 万元，比 2023 年减少 0.5 万元，下降 12.5%。",
    "",
]
REPORT = "\n".join(REPORT_LINES)


def _para_text(doc, para) -> str:
    return "".join(doc.text[s:e] for s, e in para.segments)


def _para_containing(doc, needle: str):
    found = [p for p in doc.paragraphs if needle in _para_text(doc, p)]
    assert len(found) == 1, f"{needle!r} in {len(found)} paragraphs"
    return found[0]


def _assert_offsets_consistent(doc) -> None:
    """Every offset of the document indexes the decoded text it carries."""
    n = len(doc.text)
    for para in doc.paragraphs:
        assert 0 <= para.start <= para.end <= n
        assert para.segments, para
        assert para.start == para.segments[0][0]
        assert para.end == para.segments[-1][1]
        previous_end = para.start
        for s, e in para.segments:
            assert previous_end <= s <= e <= n
            piece = doc.text[s:e]
            assert "\n" not in piece and "\r" not in piece
            previous_end = e
        for sentence in para.sentences:
            assert para.start <= sentence.start < sentence.end <= para.end
            text = doc.text[sentence.start : sentence.end]
            assert text == text.strip(), repr(text)
            # A sentence may span a page break, but starts and ends inside a segment.
            assert any(a <= sentence.start < b for a, b in para.segments)
            assert any(a < sentence.end <= b for a, b in para.segments)
    for section in doc.sections:
        assert 0 <= section.start <= section.end <= n
        assert section.title in doc.text[section.start : section.end]
    for table in doc.tables:
        assert 0 <= table.start <= table.end <= n
        if table.title_span:
            a, b = table.title_span
            assert table.title == doc.text[a:b].strip(" \u3000").lstrip("#").strip()
        for note in [*table.meta, *table.notes]:
            assert note.text == doc.text[note.start : note.end].strip()
        for row in table.rows:
            assert table.start <= row.start <= row.end <= table.end
            for cell in row.cells:
                assert row.start <= cell.start <= cell.end <= row.end
                assert cell.text == doc.text[cell.start : cell.end].strip()
                assert "\t" not in doc.text[cell.start : cell.end]


# --- empty and binary input ------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b" ",
        b"\n\n\n",
        b" \t\r\n\t \r\n",
        "\u3000\u3000\n\u3000".encode("utf-8"),
        "\u3000\r\n".encode("gb18030"),
        codecs.BOM_UTF8,
        codecs.BOM_UTF8 + b"  \n",
        " \n".encode("utf-16"),
        codecs.BOM_UTF16_BE + " \u3000\n".encode("utf-16-be"),
    ],
)
def test_empty_and_whitespace_only_bytes(data):
    with pytest.raises(InputError) as info:
        read_text(data)
    assert info.value.code is InputErrorCode.EMPTY
    with pytest.raises(InputError) as info:
        check_text(data)
    assert info.value.code is InputErrorCode.EMPTY


@pytest.mark.parametrize("text", ["", " ", "\n", "\t\t\n\r\n", "\u3000 \u3000"])
def test_empty_and_whitespace_only_str(text):
    with pytest.raises(InputError) as info:
        check_text(text)
    assert info.value.code is InputErrorCode.EMPTY


def test_input_error_message_names_code_and_path():
    with pytest.raises(InputError) as info:
        read_text(b"", path="report.txt")
    assert info.value.path == "report.txt"
    assert "E001" in str(info.value) and "report.txt" in str(info.value)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00",
        b"\x00\x00\x00\x00",
        "收入合计 9909.15 万元".encode("utf-8") + b"\x00" + "。".encode("utf-8"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x01\x02\x03\x04\nendstream",
        # UTF-16 without a BOM: every other byte is NUL.
        REPORT.encode("utf-16-le"),
        REPORT.encode("utf-16-be"),
        bytes(range(256)) * 4,
    ],
)
def test_binary_input_is_an_input_error(data):
    with pytest.raises(InputError):
        read_text(data)
    with pytest.raises(InputError):
        check_text(data)


def test_nul_bytes_are_binary():
    with pytest.raises(InputError) as info:
        read_text(b"abc\x00def" * 10)
    assert info.value.code is InputErrorCode.BINARY


def test_text_with_many_control_characters_is_binary():
    data = ("说明" + "\x01\x02\x03\x1b" * 20).encode("utf-8")
    with pytest.raises(InputError) as info:
        read_text(data)
    assert info.value.code is InputErrorCode.BINARY


@pytest.mark.parametrize("seed", range(25))
def test_random_bytes_raise_only_input_error(seed):
    rng = random.Random(seed)
    data = rng.randbytes(rng.randrange(512, 8192))
    with pytest.raises(InputError):
        read_text(data)
    with pytest.raises(InputError):
        check_text(data)


@pytest.mark.parametrize("seed", range(200))
def test_short_random_bytes_never_raise_anything_else(seed):
    """Short random blobs may happen to decode; reading them must still never crash."""
    rng = random.Random(1000 + seed)
    data = rng.randbytes(rng.randrange(1, 64))
    try:
        doc = read_text(data)
    except InputError:
        return
    _assert_offsets_consistent(doc)


def test_random_bytes_inside_text_never_raise_anything_else():
    rng = random.Random(7)
    base = bytearray(REPORT.encode("utf-8"))
    for _ in range(60):
        data = bytearray(base)
        for _ in range(rng.randrange(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            doc = read_text(bytes(data))
        except InputError:
            continue
        _assert_offsets_consistent(doc)


def test_too_large_is_an_input_error():
    with pytest.raises(InputError) as info:
        read_text(REPORT.encode("utf-8"), max_bytes=100)
    assert info.value.code is InputErrorCode.TOO_LARGE


# --- encodings -------------------------------------------------------------------------


def test_utf8_decodes():
    doc = read_text(REPORT.encode("utf-8"))
    assert doc.encoding == "utf-8"
    assert doc.text == REPORT


def test_gb18030_decodes():
    data = REPORT.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really exercises the fallback
    doc = read_text(data)
    assert doc.encoding == "gb18030"
    assert doc.text == REPORT
    _assert_offsets_consistent(doc)
    assert doc.tables and doc.tables[0].unit == "万元"


def test_gbk_subset_decodes_as_gb18030():
    data = REPORT.encode("gbk")
    doc = read_text(data)
    assert doc.encoding == "gb18030"
    assert doc.text == REPORT


def test_utf8_with_bom():
    doc = read_text(codecs.BOM_UTF8 + REPORT.encode("utf-8"))
    assert doc.encoding == "utf-8-sig"
    assert doc.text == REPORT  # the BOM is not part of the text: offsets start at the report
    _assert_offsets_consistent(doc)
    assert doc.text.startswith("2024年部门预算情况说明")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    if codec == "utf-16":
        data = REPORT.encode("utf-16")  # Python writes the native BOM
    elif codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le")
    else:
        data = codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be")
    doc = read_text(data)
    assert doc.encoding == "utf-16"
    assert doc.text == REPORT
    _assert_offsets_consistent(doc)
    assert len(doc.tables) == 1


def test_utf8_bom_with_invalid_utf8_is_an_encoding_error():
    with pytest.raises(InputError) as info:
        read_text(codecs.BOM_UTF8 + REPORT.encode("gb18030"))
    assert info.value.code is InputErrorCode.ENCODING


# --- structure ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc():
    return parse_text(REPORT)


def test_offsets_index_the_decoded_text(doc):
    _assert_offsets_consistent(doc)


def test_page_break_paragraph_is_one_paragraph_with_two_segments(doc):
    para = _para_containing(doc, "会同相关部门编制")
    assert len(para.segments) == 2
    (s1, e1), (s2, e2) = para.segments
    assert doc.text[s1:e1] == PAGE_BREAK_HEAD
    assert doc.text[s2:e2] == PAGE_BREAK_TAIL
    assert _para_text(doc, para) == PAGE_BREAK_HEAD + PAGE_BREAK_TAIL
    # The sentence cut by the page break is one sentence spanning the gap.
    last = para.sentences[-1]
    assert last.start < e1 and last.end == e2
    assert doc.text[last.start : last.end] == "会\n\n同有关部门实施全民参保计划。"


def test_short_line_before_page_break_is_not_joined():
    text = "一、部门基本情况\n\n本部门共有科室\n\n同有关部门实施全民参保计划。\n"
    doc = parse_text(text)
    assert all(len(p.segments) == 1 for p in doc.paragraphs)


def test_punctuated_line_before_blank_line_closes_paragraph():
    first = "会同相关部门编制社会保障基金预决算草案，会同有关部门实施全民参保计划。"
    text = f"{first}\n\n同有关部门实施全民参保计划，指导社会保险公共服务平台相关工作。\n"
    doc = parse_text(text)
    assert len(doc.paragraphs) == 2


def test_hard_wrap_stays_one_paragraph(doc):
    para = _para_containing(doc, "占支")
    assert "出总预算 10.73 %" in _para_text(doc, para)
    assert len(para.segments) == 2
    assert _para_text(doc, para) == WRAP_HEAD + WRAP_TAIL
    assert doc.text[para.start : para.end] == WRAP_HEAD + "\n" + WRAP_TAIL


def test_numbered_short_line_is_a_section_heading(doc):
    [section] = [s for s in doc.sections if s.marker == "（一）"]
    assert section.level == 2
    assert section.title == "收入支出决算总体情况说明"
    assert doc.text[section.start : section.end] == HEADING
    # A heading is not a paragraph.
    assert not any(HEADING in _para_text(doc, p) for p in doc.paragraphs)


def test_section_tree(doc):
    by_marker = {s.marker: s for s in doc.sections}
    assert by_marker["一、"].level == 1
    assert doc.sections[by_marker["（一）"].parent].marker == "一、"
    title = doc.sections[0]
    assert title.title == "2024年部门预算情况说明"
    assert title.marker == "" and title.level == 0
    # The unnumbered title line is the root: 一、 and 二、 both hang under it.
    assert by_marker["一、"].parent == by_marker["二、"].parent == title.index


def test_numbered_long_sentence_is_not_a_heading(doc):
    # "（二）支出预算：…" is a numbered line, but a sentence with figures: a paragraph.
    assert not any(s.marker == "（二）" for s in doc.sections)
    assert any(_para_text(doc, p).startswith("（二）支出预算") for p in doc.paragraphs)


def test_paragraph_sections(doc):
    wrap = _para_containing(doc, "占支")
    assert doc.sections[wrap.section].marker == "（一）"
    last = _para_containing(doc, "三公")
    assert doc.sections[last.section].marker == "二、"


def test_table_is_recognised(doc):
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.title == TABLE_TITLE
    assert table.unit == "万元"
    assert [m.text for m in table.meta] == [TABLE_TITLE, "单位：万元"]
    assert len(table.rows) == 4
    assert table.rows[0].cells[0].text == "科目编码"


def test_table_keeps_empty_cells_in_place(doc):
    table = doc.tables[0]
    [row] = [r for r in table.rows if r.cells[0].text == "20805"]
    fields = ROW_EMPTY.split("\t")
    # One cell per tab-separated field, trailing empties included: the brief's row
    # "20805 \t 名称 \t 205.16 \t 205.16 \t \t" has five tabs, so six fields.
    assert len(row.cells) == len(fields) == 6
    assert [c.text for c in row.cells] == fields
    assert [c.col for c in row.cells] == list(range(6))
    assert row.cells[-1].text == row.cells[-2].text == ""
    assert row.cells[-1].value is None and row.cells[-2].value is None
    assert row.cells[2].value == row.cells[3].value == Decimal("205.16")
    assert row.cells[0].value == Decimal("20805")
    assert row.cells[1].value is None


def test_table_row_with_five_cells_last_two_empty():
    text = "\n".join(
        [
            "一般公共预算财政拨款支出预算表",
            "单位：万元",
            "科目编码\t科目名称\t合计\t基本支出\t项目支出",
            "20805\t行政事业单位养老支出\t205.16\t\t",
            "",
        ]
    )
    doc = parse_text(text)
    [table] = doc.tables
    row = table.rows[1]
    assert [c.text for c in row.cells] == ["20805", "行政事业单位养老支出", "205.16", "", ""]
    assert [c.col for c in row.cells] == [0, 1, 2, 3, 4]
    # The empty cells sit where they are, at the row's end.
    assert row.cells[3].start == row.cells[3].end == row.cells[4].start - 1
    assert row.cells[4].end == row.end
    _assert_offsets_consistent(doc)


def test_leading_empty_cells_kept():
    text = "支出预算表\n单位：万元\n\t\t农林水支出\t158.35\t158.35\t\t\n\t\t住房保障支出\t202.87\t202.87\t\t\n"
    doc = parse_text(text)
    [table] = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["", "", "农林水支出", "158.35", "158.35", "", ""]
    assert table.rows[1].cells[3].value == Decimal("202.87")
    _assert_offsets_consistent(doc)


def test_thousands_separator_cell_value(doc):
    table = doc.tables[0]
    [row] = [r for r in table.rows if r.cells[0].text == "208"]
    assert row.cells[2].text == "5,738.89"
    assert row.cells[2].value == Decimal("5738.89")
    assert row.cells[4].value == Decimal("5123.11")


@pytest.mark.parametrize(
    "raw, value",
    [
        ("5,738.89", Decimal("5738.89")),
        ("5，738.89", Decimal("5738.89")),
        ("１，２３４．５", Decimal("1234.5")),
        (" 12.34 ", Decimal("12.34")),
        ("-3.5", Decimal("-3.5")),
        ("0", Decimal("0")),
        ("1,234,567", Decimal("1234567")),
        ("", None),
        ("-", None),
        ("—", None),
        ("合计", None),
        ("12.5%", None),
        ("<p>1</p>", None),
    ],
)
def test_cell_values(raw, value):
    text = f"收支总表\n单位：万元\n项目\t金额\n收入合计\t{raw}\n"
    doc = parse_text(text)
    cell = doc.tables[0].rows[1].cells[1]
    assert cell.value == value
    assert cell.text == raw.strip()
    _assert_offsets_consistent(doc)


def test_table_text_is_not_in_any_paragraph(doc):
    table = doc.tables[0]
    spans = [(p.start, p.end) for p in doc.paragraphs]
    for row in table.rows:
        for cell in row.cells:
            if cell.text:
                assert not any(a <= cell.start < b for a, b in spans), cell
    for note in [*table.meta, *table.notes]:
        assert not any(a <= note.start < b for a, b in spans), note
    for para in doc.paragraphs:
        assert not (table.start <= para.start < table.end)
        body = _para_text(doc, para)
        assert "\t" not in body
        assert "单位：万元" not in body and "备注" not in body and TABLE_TITLE not in body


def test_note_after_table_is_a_table_note(doc):
    table = doc.tables[0]
    assert [n.text for n in table.notes] == [NOTE]
    assert table.end == table.notes[-1].end
    assert doc.text[table.notes[0].start : table.notes[0].end] == NOTE


def test_narrative_after_table_is_a_paragraph(doc):
    para = _para_containing(doc, "三公")
    assert para.start > doc.tables[0].end


def test_markdown_table_title_and_unit_line():
    text = "## 部门收支总表\n\n单位：亿元\n\n收入\t金额\n合计\t1.23\n\n注：本表无政府性基金。\n"
    doc = parse_text(text)
    [table] = doc.tables
    assert table.title == "部门收支总表"
    assert table.unit == "亿元"
    assert [n.text for n in table.notes] == ["注：本表无政府性基金。"]
    _assert_offsets_consistent(doc)


# --- CRLF ------------------------------------------------------------------------------


def test_crlf_line_endings_keep_offsets_right():
    crlf = REPORT.replace("\n", "\r\n")
    lf_doc = parse_text(REPORT)
    doc = read_text(crlf.encode("utf-8"))
    assert doc.text == crlf
    _assert_offsets_consistent(doc)
    # Same structure as the LF text, with offsets into the CRLF text.
    assert len(doc.paragraphs) == len(lf_doc.paragraphs)
    for p, q in zip(doc.paragraphs, lf_doc.paragraphs):
        assert _para_text(doc, p) == _para_text(lf_doc, q)
        assert len(p.segments) == len(q.segments)
        assert [doc.text[s.start : s.end].replace("\r\n", "\n") for s in p.sentences] == [
            lf_doc.text[s.start : s.end] for s in q.sentences
        ]
    assert [(s.marker, s.title) for s in doc.sections] == [(s.marker, s.title) for s in lf_doc.sections]
    [table] = doc.tables
    assert table.unit == "万元" and table.title == TABLE_TITLE
    [row] = [r for r in table.rows if r.cells[0].text == "20805"]
    assert len(row.cells) == 6
    assert row.cells[-1].text == "" and not doc.text[row.cells[-1].start : row.cells[-1].end]
    assert doc.text[row.end] == "\r"
    para = _para_containing(doc, "会同相关部门编制")
    assert len(para.segments) == 2
    assert doc.text[para.segments[0][1] : para.segments[1][0]] == "\r\n\r\n"


def test_lone_cr_and_mixed_endings_do_not_crash():
    text = REPORT.replace("\n", "\r\n", 5).replace("\n\n", "\n\r\n", 3) + "\r"
    doc = parse_text(text)
    _assert_offsets_consistent(doc)


def test_page_furniture_between_page_break_pieces():
    text = PAGE_BREAK_HEAD + "\n\n- 3 -\n\n" + PAGE_BREAK_TAIL + "\n"
    doc = parse_text(text)
    [para] = doc.paragraphs
    assert len(para.segments) == 2
    assert "- 3 -" not in _para_text(doc, para)


def test_form_feed_page_break():
    text = PAGE_BREAK_HEAD + "\n\f\n" + PAGE_BREAK_TAIL + "\n"
    doc = read_text(text.encode("utf-8"))
    _assert_offsets_consistent(doc)
    assert any(PAGE_BREAK_TAIL in _para_text(doc, p) for p in doc.paragraphs)


# --- check_text never raises anything but InputError ---------------------------------------


def _check_or_input_error(text) -> None:
    try:
        check_text(text)
    except InputError:
        pass


@pytest.fixture(scope="module")
def corpus_report() -> str:
    return (CORPUS / "beibei-hrss-2024-budget.txt").read_text(encoding="utf-8")


def test_check_text_on_truncated_report(corpus_report):
    n = len(corpus_report)
    cuts = sorted({1, 2, 3, n - 1, *(n * k // 20 + k for k in range(1, 20))})
    assert len(cuts) >= 20
    for cut in cuts:
        _check_or_input_error(corpus_report[:cut])
        _check_or_input_error(corpus_report[:cut].encode("utf-8")[:-1].decode("utf-8", "ignore"))


def test_check_text_on_truncated_bytes(corpus_report):
    data = corpus_report.encode("utf-8")
    rng = random.Random(3)
    for cut in sorted(rng.sample(range(1, len(data)), 20)):
        _check_or_input_error(data[:cut])  # may cut a character in half


@pytest.mark.parametrize("seed", range(5))
def test_check_text_on_shuffled_lines(corpus_report, seed):
    lines = corpus_report.splitlines()
    random.Random(seed).shuffle(lines)
    _check_or_input_error("\n".join(lines))


def test_check_text_on_shuffled_lines_of_second_report():
    lines = (CORPUS / "wansheng-hrss-2021-final-accounts.txt").read_text(encoding="utf-8").splitlines()
    random.Random(42).shuffle(lines)
    _check_or_input_error("\n".join(lines[:300]))


@pytest.mark.parametrize(
    "text",
    [
        "\t" * 100_000,
        "\t" * 100_000 + "x",
        "一" * 200_000,
        "9" * 200_000,
        ("支出 9909.15 万元，占 16.6%，" * 10_000)[:200_000],
        ("a\tb\t" * 50_000),
        "\n" * 50_000 + "收入合计 9909.15 万元。",
        "（一）" * 20_000,
        "单位：万元\n" * 5_000,
        "表\n单位：万元\n1\t2\n" * 2_000,
        "１２３，４５６．７８％" * 10_000,
    ],
    ids=[
        "tabs",
        "tabs-x",
        "long-han-line",
        "long-digit-line",
        "long-figure-line",
        "long-tabbed-line",
        "many-newlines",
        "markers",
        "unit-lines",
        "tiny-tables",
        "fullwidth",
    ],
)
def test_check_text_on_pathological_input(text):
    _check_or_input_error(text)
    _check_or_input_error(text.encode("utf-8"))


def test_long_digit_run_is_linear():
    """Regression: a 200,000-digit line took minutes (the figure pattern backtracked
    quadratically into the digit run); it must take well under a second or two."""
    import time

    check_text("预热 1 万元。")
    started = time.perf_counter()
    for text in ("9" * 200_000, "9" * 200_000 + "万元", "1." * 100_000):
        _check_or_input_error(text)
    assert time.perf_counter() - started < 30


def test_only_tabs_is_empty():
    with pytest.raises(InputError) as info:
        check_text("\t" * 100_000)
    assert info.value.code is InputErrorCode.EMPTY


def test_text_longer_than_the_limit_is_refused():
    from narrative_check import InputError, Settings, check_text

    with pytest.raises(InputError) as caught:
        check_text("收入总计 100 万元。\n" * 50, settings=Settings(max_chars=100))
    assert caught.value.code.value == "E004" and "characters" in caught.value.message


def test_text_of_more_lines_than_the_limit_is_refused():
    from narrative_check import InputError, Settings, check_text

    with pytest.raises(InputError) as caught:
        check_text("收入总计 100 万元。\n" * 50, settings=Settings(max_lines=40))
    assert caught.value.code.value == "E004" and "51 lines > 40" in caught.value.message
    check_text("收入总计 100 万元。\n" * 39, settings=Settings(max_lines=40))


def test_lone_carriage_returns_count_as_lines():
    from narrative_check import InputError, Settings, check_text

    with pytest.raises(InputError):
        check_text("收入总计 100 万元。\r" * 50, settings=Settings(max_lines=40))


def test_narrative_of_more_tokens_than_the_limit_is_refused():
    from narrative_check import InputError, Settings, check_text

    text = "收入总计 100 万元，较上年增加 10 万元，增长 11.1%。\n\n" * 10  # nine tokens a paragraph
    with pytest.raises(InputError) as caught:
        check_text(text, settings=Settings(max_tokens=89))
    assert caught.value.code.value == "E004" and "more than 89 tokens" in caught.value.message
    assert len(check_text(text, settings=Settings(max_tokens=90)).claims) == 20


def test_limits_apply_to_files_before_they_are_parsed(tmp_path):
    from narrative_check import InputError, Settings, check_file

    path = tmp_path / "report.html"
    path.write_text("<html><body>" + "<p>收入总计 100 万元。</p>" * 50 + "</body></html>", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_file(path, settings=Settings(max_lines=40))
    assert "lines > 40" in caught.value.message


@pytest.mark.parametrize("name", ["beibei-hrss-2024-budget.txt", "wansheng-hrss-2021-final-accounts.txt"])
def test_trusted_elements_equal_validated_ones(name):
    """Rows, cells, records and cell links are built without validation
    (`models.document.trusted`): each must be exactly what validating its own fields gives, and
    rows and cells must carry the line and column `locate` would give."""
    from narrative_check.extract.tables import analyze
    from narrative_check.models.document import LineIndex

    text = (CORPUS / name).read_text(encoding="utf-8")
    doc = parse_text(text)
    analyze(doc)
    index = LineIndex(doc.text)
    checked = 0
    for table in doc.tables:
        for row in table.rows:
            elements = [row, *row.cells]
            for element in elements:
                assert type(element).model_validate(element.model_dump()) == element
                assert (element.line, element.column) == index.position(element.start)
                checked += 1
        for record in table.records:
            assert type(record).model_validate(record.model_dump()) == record
    assert checked > 1000
    links = [link for claim in check_text(text).claims for link in getattr(claim, "links", [])]
    assert links and all(type(link).model_validate(link.model_dump()) == link for link in links)


def test_line_index_positions():
    from narrative_check.models.document import LineIndex

    text = "一\n\n三行\r\nx"
    index = LineIndex(text)
    naive = {}
    line, column = 1, 1
    for offset, ch in enumerate(text):
        naive[offset] = (line, column)
        line, column = (line + 1, 1) if ch == "\n" else (line, column + 1)
    assert all(index.position(o) == p for o, p in naive.items())


def _sentences_char_by_char(text, segments):
    """The reference: sentences found one character at a time."""
    out, start, last_end = [], None, segments[0][0]
    for seg_start, seg_end in segments:
        for i in range(seg_start, seg_end):
            if start is None:
                if text[i].isspace():
                    continue
                start = i
            before = text[i - 1] if i > 0 else ""
            latin_stop = text[i] == "." and (before in "%)" and before != ""
                                             or ord(before or "a") > 127 and not "０" <= before <= "９" and not before.isspace())
            if text[i] in "。！？!?" or latin_stop:
                out.append((start, i + 1))
                start = None
            last_end = i + 1
    if start is not None:
        end = last_end
        while end > start and text[end - 1] in " \t\u3000\r":
            end -= 1
        out.append((start, end))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("收入。！？!? \u3000\t\r万元12.%)a１")), max_size=12), min_size=1, max_size=5))
def test_sentences_agree_with_a_character_walk(pieces):
    from narrative_check.read.text import _sentences

    text, segments = "", []
    for piece in pieces:
        segments.append((len(text), len(text) + len(piece)))
        text += piece + "\n"
    assert [(s.start, s.end) for s in _sentences(text, segments)] == _sentences_char_by_char(text, segments)


def test_trusted_instances_share_one_unchanging_field_set():
    from narrative_check.models.document import Cell, trusted

    fields = {"start": 0, "end": 3, "line": 1, "column": 1, "row": 0, "col": 0, "text": "1.5", "value": Decimal("1.5"), "header": []}
    a, b = trusted(Cell, dict(fields)), trusted(Cell, dict(fields))
    before = set(a.model_fields_set)
    a.value = Decimal("2")
    copy = b.model_copy(update={"text": "2"})
    assert a.model_fields_set == b.model_fields_set == before == set(Cell.model_fields)
    assert b.value == Decimal("1.5") and copy.text == "2" and b.text == "1.5"
    assert a.model_dump(exclude_unset=True) == a.model_dump()


@pytest.mark.parametrize("text, stops", [
    ("支出 9909.15 万元.其中", ["元."]), ("增长 19.1%.主要原因", ["%."]), ("收入情况.2021 年度", ["况."]),
    ("（一）收入情况.", ["况."]), ("(3).其他", [")."]), ("1.贯彻执行", []), ("１２．５ 万元", []), ("１２.５ 万元", []),
    ("见 www.gov.cn 网站", []), ("合计 8843. 23", []),
])
def test_a_latin_full_stop_is_told_from_a_decimal_point_and_an_item_number(text, stops):
    from narrative_check.extract.normalize import LATIN_FULL_STOP, normalize

    assert [text[m.start() - 1 : m.end()] for m in regex.finditer(LATIN_FULL_STOP, text)] == stops
    assert normalize(text).count("。") == len(stops)


# --- tables as web pages and markdown leave them: cells between bars ---------------------------

BARRED_TABLE = (
    "三、“三公”经费预算情况\n"
    "2024年“三公”经费预算安排28.50万元。\n"
    "某某局2024年“三公”经费预算表 | ||\n"
    "? | 单位:万元 | |\n"
    "项 目 | 本年预算数 | 其中:财政拨款 |\n"
    "合 计 | 28.50 | 28.50 |\n"
    "1.因公出国(境)费 | 0 | 0 |\n"
    "2.公务接待费 | 3.20 | 3.20 |\n"
    "3.公务用车购置及运行维护费 | 25.30 | 25.30 |\n"
    "其中:(1)公务用车运行维护费 | 25.30 | 25.30 |\n"
    "(2)公务用车购置费 | 0 | 0 |\n"
    "以上数据均为财政拨款安排。\n"
)


def test_barred_rows_are_a_table_with_cells_at_their_offsets():
    doc = parse_text(BARRED_TABLE)
    [table] = doc.tables
    assert table.title == "某某局2024年“三公”经费预算表"
    assert table.unit == "万元"  # the unit line cut into cells is the table's head, not a row
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["项 目", "本年预算数", "其中:财政拨款"]
    assert rows[1] == ["合 计", "28.50", "28.50"]
    for row in table.rows:
        for cell in row.cells:
            assert doc.text[cell.start:cell.end].strip() == cell.text
    # The narrative around the table stays narrative.
    texts = [doc.text[p.start:p.end] for p in doc.paragraphs]
    assert "2024年“三公”经费预算安排28.50万元。" in texts
    assert "以上数据均为财政拨款安排。" in texts


def test_markdown_table_borders_and_divider_are_not_cells():
    doc = parse_text("收入情况如下。\n\n| 项目 | 2023年 | 2024年 |\n| --- | ---: | ---: |\n| 收入合计 | 1,200.00 | 1,350.50 |\n")
    [table] = doc.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["项目", "2023年", "2024年"], ["收入合计", "1,200.00", "1,350.50"]]
    assert table.rows[1].cells[2].value == Decimal("1350.50")


@pytest.mark.parametrize("line", [
    "2021年度“三公”经费决算情况及增减变化原因说明 |",  # a title copied with its cell's border
    "一、收入支出预算总体情况 |",
    "|",
])
def test_a_line_with_one_filled_cell_between_bars_is_not_a_row(line):
    doc = parse_text(f"{line}\n本部门2021年收入合计1,234.56万元。\n")
    assert not doc.tables


def test_a_lone_cell_carries_on_a_barred_table_but_a_sentence_with_a_bar_does_not():
    doc = parse_text(
        "某某局2024年“三公”经费预算表 | ||\n"
        "项 目 | 本年预算数 |\n"
        "合 计 | 8 |\n"
        "1.因公出国(境)费用 | |\n"
        "2.公务接待费 | 8 |\n"
        "增减情况说明：2024年度“三公”经费预算数为8万元，与上年持平。 |\n"
    )
    [table] = doc.tables
    assert [row.cells[0].text for row in table.rows] == ["项 目", "合 计", "1.因公出国(境)费用", "2.公务接待费"]
    [paragraph] = doc.paragraphs
    assert doc.text[paragraph.start:paragraph.end].startswith("增减情况说明")


STACKED_TABLE = (
    "附件3 |\n"
    "|\n"
    "2024年“三公”经费预算财政拨款情况统计表 |\n"
    "|\n"
    "单位:万元 |\n"
    "项目 |\n"
    "本年预算数 |\n"
    "合计 |\n"
    "46.20 |\n"
    "1、因公出国(境)费用 |\n"
    "0 |\n"
    "2、公务接待费 |\n"
    "8.70 |\n"
    "3、公务用车费 |\n"
    "37.50 |\n"
    "其中:(1)公务用车运行维护费 |\n"
    "37.50 |\n"
    "(2)公务用车购置 |\n"
    "|\n"
    "2024年公务接待费预算 8.70 万元，与上年持平。\n"
)


def test_a_table_copied_one_cell_per_line_is_read_back_into_rows():
    doc = parse_text(STACKED_TABLE)
    [table] = doc.tables
    assert table.title == "2024年“三公”经费预算财政拨款情况统计表" and table.unit == "万元"
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["项目", "本年预算数"]
    assert rows[1] == ["合计", "46.20"] and rows[-1] == ["(2)公务用车购置", ""]
    for row in table.rows:
        for cell in row.cells:
            assert doc.text[cell.start:cell.end].strip() == cell.text
    [paragraph] = doc.paragraphs
    assert doc.text[paragraph.start:paragraph.end].startswith("2024年公务接待费预算")


def test_one_cell_per_line_with_a_running_number_column_is_not_guessed_into_rows():
    # 序号 | 项目 | 预算数 on one line each, with blank cells: which figure goes with which label cannot be told
    lines = ["序号 |", "项目 |", "预算数 |", "1 |", "一、一般公共预算拨款收入 |", "675.82 |", "2 |", "二、政府性基金预算拨款收入 |", "|",
             "3 |", "三、国有资本经营预算拨款收入 |", "|"]
    doc = parse_text("\n".join(lines) + "\n本部门2025年收入预算 675.82 万元。\n")
    assert not doc.tables


@pytest.mark.parametrize("title", ["部门支出总表（单位：万元）", "“三公”经费支出决算表(单位:万元)", "某某局部门支出总表 单位：万元"])
def test_a_unit_at_the_end_of_a_title_line_leaves_the_title(title):
    doc = parse_text(f"{title}\n项目\t金额\n基本支出\t1,864.35\n项目支出\t726.40\n本部门支出 2590.75 万元。\n")
    [table] = doc.tables
    assert table.title == title.split("（")[0].split("(")[0].split(" 单位")[0] and table.unit == "万元"
