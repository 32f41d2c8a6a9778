"""What the fuzzer runs on each input, importable without atheris: tests/test_fuzz.py runs the
inputs it once crashed on (tests/fuzz/regressions/) through the same function.

The first byte of an input picks the entry point, the rest is the document:
  0  check_text(str)   the rest decoded as UTF-8 (invalid bytes replaced): text reader onwards
  1  check_text(bytes) the rest as a file's bytes: decoding (UTF-8, GB18030, BOMs) as well
  2  read_bytes + check_document: the rest as a file of any format (sniffing; web pages, PDF)
  3  the rest as a Word file's word/document.xml, zipped into a Word package
  4  the rest as a workbook's first sheet (xl/worksheets/sheet1.xml), zipped into a workbook
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from narrative_check import check_document, check_text
from narrative_check.errors import InputError
from narrative_check.read import read_bytes
from test_hostile import _assert_quotes_exact

ROOT = Path(__file__).resolve().parent.parent.parent

MODES = 5
MAX_LEN = 12_000
WORD_PART = "word/document.xml"
SHEET_PART = "xl/worksheets/sheet1.xml"
XML_WORDS = ["<w:gridSpan w:val=\"", "<w:vMerge/>", "<w:vMerge w:val=\"restart\"/>", "<w:gridBefore w:val=\"", "<w:tc>",
             "</w:tc>", "<w:tr>", "</w:tr>", "<w:tbl>", "<w:numPr>", "<w:ilvl w:val=\"", "<w:numId w:val=\"", "<w:p>",
             "<w:r><w:t>", "</w:t></w:r>", "<w:br w:type=\"page\"/>", "<w:tab/>", "<w:ins>", "<w:del>", "<w:sdtContent>",
             "<c r=\"", "\" t=\"s\">", "\" t=\"n\">", "\" t=\"inlineStr\"><is><t>", "<v>", "</v>", "<row r=\"",
             "<mergeCell ref=\"", "s=\"", "XFD1048576", "1E+308", "NaN"]


def check_one(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0] % MODES, data[1:]
    given: str | bytes = body.decode("utf-8", "replace") if mode == 0 else body
    try:
        if mode in (0, 1):
            report = check_text(given)
        elif mode == 2:
            report = check_document(read_bytes(body, path="fuzz"))
        else:
            package, part = (word_package(), WORD_PART) if mode == 3 else (workbook_package(), SHEET_PART)
            report = check_document(read_bytes(with_part(package, part, body), path="fuzz"))
    except InputError:
        return
    # The hostile-input tests' own check: offsets index the text, every quote is the text there.
    _assert_quotes_exact(given if mode in (0, 1) else b"", report)


def with_part(package: bytes, part: str, body: bytes) -> bytes:
    """`package` (a zip) with its member `part` replaced by `body`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for item in source.infolist():
            target.writestr(item.filename, body if item.filename == part else source.read(item.filename))
    return out.getvalue()


def part_of(package: bytes, part: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read(part)


def corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]


@lru_cache(maxsize=1)
def word_package() -> bytes:
    """A Word file made from the start of a corpus report: its parts stay, its body is the input."""
    from report_formats import write_docx

    with tempfile.TemporaryDirectory() as tmp:
        return write_docx(corpus_texts()[0][:600], Path(tmp) / "window.docx").read_bytes()


@lru_cache(maxsize=1)
def workbook_package() -> bytes:
    """A workbook of one table from a corpus report: its parts stay, its first sheet is the input."""
    import openpyxl

    from narrative_check.extract.tables import analyze
    from narrative_check.read.text import parse_text

    doc = parse_text(corpus_texts()[-1])
    analyze(doc)
    table = next(t for t in doc.tables if 4 <= len(t.rows) <= 12)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([table.title or "表"])
    sheet.append(["单位：万元"])
    for row in table.rows:
        sheet.append([cell.text for cell in row.cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


