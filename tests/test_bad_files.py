"""Bad Word, PDF, web-page and workbook inputs: one InputError line and exit 2, never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from narrative_check import Settings, check_file
from narrative_check.cli import cli
from narrative_check.errors import InputError, InputErrorCode
from narrative_check.read import read_bytes

from report_formats import REPORTS, write_docx, write_html

E = InputErrorCode


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("2021年度部门决算情况说明")
    document.add_paragraph("2021 年度收入总计 9909.15 万元，支出总计 9909.15 万元。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes], **kwargs) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, **kwargs) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _minimal_pdf(page_content: bytes = b"", extra_trailer: bytes = b"", extra_objects: bytes = b"") -> bytes:
    """A one-page PDF built by hand, with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(page_content) + page_content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    out += extra_objects
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + extra_trailer + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _bomb(member: str) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", member: b"<" + b" " * (24 * 1024 * 1024) + b"/>"})


def _scanned_pdf() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(out, format="PDF")
    return out.getvalue()


_ENCRYPT = (
    b"/Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /P -44 "
    b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >> /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] "
)

CASES = {
    "empty.docx": (b"", E.EMPTY),
    "empty.pdf": (b"", E.EMPTY),
    "blank.html": (b"  \n\t ", E.EMPTY),
    "binary.txt": (bytes(range(256)) * 40, E.BINARY),
    "not-a-zip.docx": (b"This is not a Word file at all, just text with a .docx name.\n" * 3, E.MALFORMED),
    "not-a-pdf.pdf": ("二〇二一年度部门决算情况说明".encode() * 10, E.MALFORMED),
    "truncated.docx": (_docx_bytes()[:3000], E.MALFORMED),
    "truncated.pdf": (_minimal_pdf(b"BT /F1 12 Tf 72 712 Td (x) Tj ET")[:200], E.MALFORMED),
    "broken-xml.docx": (_zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document><w:body><w:p>"}), E.MALFORMED),
    "broken-xref.pdf": (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\nxref\nnot a table\ntrailer << /Root 1 0 R >>\nstartxref\n99999\n%%EOF\n",
        E.MALFORMED,
    ),
    "encrypted.pdf": (_minimal_pdf(extra_trailer=_ENCRYPT), E.ENCRYPTED),
    "scan.pdf": (_scanned_pdf(), E.NO_TEXT_LAYER),
    "blank-page.pdf": (_minimal_pdf(b"0 0 1 rg 10 10 100 100 re f"), E.NO_TEXT_LAYER),
    "no-body.html": (b"<!DOCTYPE html><html><head><title>2021</title><script>var a=1</script></head></html>", E.NO_NARRATIVE),
    "only-nav.html": (b"<html><body><nav><a href='/'>\xe9\xa6\x96\xe9\xa1\xb5</a></nav><script>x()</script></body></html>", E.NO_NARRATIVE),
    "bomb.docx": (_bomb("word/document.xml"), E.ARCHIVE_BOMB),
    "bomb.xlsx": (_bomb("xl/workbook.xml"), E.ARCHIVE_BOMB),
    "other.zip": (_zip({"readme.txt": b"hello"}), E.UNSUPPORTED_FORMAT),
    "encrypted-office.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 100, E.ENCRYPTED),
    "legacy.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, E.UNSUPPORTED_FORMAT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_an_input_error(tmp_path, name):
    data, code = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        check_file(path)
    assert info.value.code == code, info.value.message
    assert str(path) in info.value.message and "\n" not in info.value.message


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_exits_two_with_one_line(tmp_path, name):
    data, code = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and code.value in lines[0] and "Traceback" not in result.output


def test_encrypted_zip_member(tmp_path):
    data = bytearray(_docx_bytes())
    # Set the "encrypted" flag of every member in the central directory.
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        data[pos + 8] |= 0x1
        pos = data.find(b"PK\x01\x02", pos + 4)
    with pytest.raises(InputError) as info:
        read_bytes(bytes(data), path="x.docx")
    assert info.value.code == E.ENCRYPTED


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_over_the_size_limit(tmp_path, fmt):
    text = REPORTS["budget"].read_text(encoding="utf-8")
    path = write_docx(text, tmp_path / "r.docx") if fmt == "docx" else write_html(text, tmp_path / "r.html")
    with pytest.raises(InputError) as info:
        check_file(path, settings=Settings(max_bytes=path.stat().st_size - 1))
    assert info.value.code == E.TOO_LARGE


def test_tables_workbook_over_the_size_limit(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["收入决算表"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    with pytest.raises(InputError) as info:
        check_file(REPORTS["budget"], tables=path, settings=Settings(max_bytes=path.stat().st_size - 1))
    assert info.value.code == E.TOO_LARGE


def test_zip_member_ratio_is_checked_before_parsing(monkeypatch):
    # python-docx must never be reached with a bomb: the directory check refuses it first.
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("python-docx was called"))
    with pytest.raises(InputError):
        read_bytes(_bomb("word/document.xml"), path="b.docx")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]), st.binary(max_size=3000))
def test_garbage_behind_a_format_header_raises_only_input_error(header, tail):
    try:
        read_bytes(header + tail, path="fuzz")
    except InputError:
        pass


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=0, max_value=255))
def test_damaged_docx_raises_only_input_error(position, value):
    data = bytearray(_DOCX)
    data[position % len(data)] = value
    try:
        read_bytes(bytes(data), path="d.docx")
    except InputError:
        pass


_DOCX = _docx_bytes()
