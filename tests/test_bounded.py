"""Every input bounded in time and memory (issue 14): files built to make a reader run for
minutes or take gigabytes are refused with one InputError line, in the library and in `check`.

Each reproducer is generated here, small, and runs under the hang guard of test_hostile; each
is also run through `narrative-check check` in a subprocess with a hard timeout and an address
space cap, so a regression shows as a failed test, not as a machine out of memory.
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from narrative_check import check_file
from narrative_check.errors import InputError, InputErrorCode
from test_hostile import hang_guard

# The address space a `check` subprocess may take: several times what a refused input needs
# (the interpreter and its libraries take about 250 MB of it), far below what the hostile files
# took before they were bounded (gigabytes).
_CHECK_ADDRESS_SPACE = 1536 * 1024 * 1024
_CHECK_SECONDS = 60


def _limit_address_space() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (_CHECK_ADDRESS_SPACE, _CHECK_ADDRESS_SPACE))


def _refused(path: Path | str, code: InputErrorCode, what: str) -> InputError:
    """check_file refuses `path` with `code`, within the hang guard."""
    with hang_guard(what=what):
        with pytest.raises(InputError) as caught:
            check_file(path)
    assert caught.value.code == code, caught.value.message
    return caught.value


def _check_cli_refuses(path: Path | str, code: InputErrorCode, *args: str) -> str:
    """`narrative-check check [args] path` exits 2 with one line on stderr naming `code` and
    `path`, and no traceback."""
    run = subprocess.run(
        [sys.executable, "-m", "narrative_check", "check", *args, str(path)],
        capture_output=True, text=True, timeout=_CHECK_SECONDS, preexec_fn=_limit_address_space,
    )
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2, run.stderr[-2000:]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert code.value in lines[0] and str(path) in lines[0]
    return lines[0]


# ---- only regular files, never more than the size limit -------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    """Reading a FIFO nobody writes to blocked forever; its kind is asked first."""
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    error = _refused(fifo, InputErrorCode.UNREADABLE, "a FIFO")
    assert "named pipe" in error.message
    assert "named pipe" in _check_cli_refuses(fifo, InputErrorCode.UNREADABLE)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_without_reading_it(device):
    """/dev/zero and /dev/urandom say size 0 and never end: read whole, they took memory without bound."""
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert "a device" in _refused(device, InputErrorCode.UNREADABLE, device).message
    _check_cli_refuses(device, InputErrorCode.UNREADABLE)


def test_a_directory_is_refused(tmp_path):
    assert "a directory" in _refused(tmp_path, InputErrorCode.UNREADABLE, "a directory").message


def test_a_file_is_never_read_past_the_size_limit(tmp_path):
    """A file whose size says nothing (as /proc's say 0) is read to the limit and one byte more."""
    from narrative_check.read import _read

    path = tmp_path / "report.txt"
    path.write_bytes(b"x" * 101)
    assert _read(path, 101) == b"x" * 101
    with pytest.raises(InputError) as caught:
        _read(path, 100)
    assert caught.value.code == InputErrorCode.TOO_LARGE
    proc = Path("/proc/self/status")
    if proc.exists() and proc.stat().st_size == 0:  # Linux: a regular file of size 0 that holds text
        assert _read(proc, 10_000).startswith(b"Name:")
        with pytest.raises(InputError) as caught:
            _read(proc, 10)
        assert caught.value.code == InputErrorCode.TOO_LARGE


# ---- zip members inflated no further than they state ----------------------------------------


def _deflate_beyond(prefix: bytes, extra_mib: int) -> bytes:
    """A raw deflate stream of `prefix` followed by `extra_mib` MiB of spaces: the spaces' blocks,
    compressed once after a full flush (which resets the window), repeat byte for byte."""
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    mib = b" " * (1 << 20)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH) == block
    return head + block * extra_mib + compressor.flush()


def _with_member_overflowing(package: bytes, member: str, extra_mib: int) -> bytes:
    """`package` rewritten by hand with `member`'s deflate stream running on for `extra_mib` MiB
    past its content, while its directory entry states the content's true size and checksum."""
    import struct
    import zipfile
    import zlib

    source = zipfile.ZipFile(io.BytesIO(package))
    out, central = bytearray(), bytearray()
    for info in source.infolist():
        content = source.read(info)
        if info.filename == member:
            stored, method = _deflate_beyond(content, extra_mib), zipfile.ZIP_DEFLATED
        else:
            stored, method = zlib.compress(content, 9)[2:-4], zipfile.ZIP_DEFLATED
        name = info.filename.encode()
        sizes = (zlib.crc32(content), len(stored), len(content))
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, *sizes, len(name), 0, 0, 0, 0, 0, len(out)) + name
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, *sizes, len(name), 0) + name + stored
    count = len(source.infolist())
    return bytes(out + central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0))


def _docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["项目", "2021年"])
    workbook.active.append(["一般公共预算收入", 9909.15])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_NARRATIVE = "一、收入支出决算总体情况\n2021年度收入总计9909.15万元，较上年增加99.8万元，增长1.0%。"


def test_the_honest_package_is_read():
    """The package the bombs below are made of reads as it should (the rewriting keeps it valid)."""
    from narrative_check.read import read_bytes
    from narrative_check.read.xlsx import layout_xlsx

    docx = _with_member_overflowing(_docx_bytes(_NARRATIVE), "word/document.xml", 0)
    assert "9909.15" in read_bytes(docx, path="report.docx").text
    xlsx = _with_member_overflowing(_xlsx_bytes(), "xl/worksheets/sheet1.xml", 0)
    assert "9909.15" in layout_xlsx(xlsx, path="t.xlsx", max_bytes=10**8).text


@pytest.mark.parametrize("kind, member", [("docx", "word/document.xml"), ("xlsx", "xl/workbook.xml")])
def test_a_member_inflating_beyond_its_stated_size_is_refused(tmp_path, kind, member):
    """The directory states the true sizes (so its check passes) while the member's deflate stream
    runs on for a gigabyte: zipfile's read() inflated all of it before cutting it to size."""
    package = _docx_bytes(_NARRATIVE) if kind == "docx" else _xlsx_bytes()
    bomb = tmp_path / f"bomb.{kind}"
    bomb.write_bytes(_with_member_overflowing(package, member, extra_mib=1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    if kind == "docx":
        error = _refused(bomb, InputErrorCode.ARCHIVE_BOMB, f"a {kind} bomb")
    else:  # a workbook is read as the tables of a narrative
        narrative = tmp_path / "report.txt"
        narrative.write_text(_NARRATIVE, encoding="utf-8")
        with hang_guard(what=f"a {kind} bomb"), pytest.raises(InputError) as caught:
            check_file(narrative, tables=bomb)
        error = caught.value
        assert error.code == InputErrorCode.ARCHIVE_BOMB
    assert member in error.message and "inflates beyond" in error.message
    if kind == "docx":
        _check_cli_refuses(bomb, InputErrorCode.ARCHIVE_BOMB)
    else:
        _check_cli_refuses(bomb, InputErrorCode.ARCHIVE_BOMB, str(narrative), "--tables")


def test_a_member_compressed_other_than_by_deflate_is_refused():
    """bzip2 and LZMA members inflate with no output limit in zipfile; Word and Excel never write them."""
    import zipfile

    from narrative_check.read import read_bytes

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b" " * 1000)
    with pytest.raises(InputError) as caught:
        read_bytes(out.getvalue(), path="bz2.docx")
    assert caught.value.code == InputErrorCode.MALFORMED and "method 12" in caught.value.message


# ---- HTML nesting refused before the parser sees it -----------------------------------------

_HTML_TEXT = "一、收入支出预算总体情况。收入 100 万元。".encode()


def test_html_nested_200000_deep_is_refused_at_once(tmp_path):
    """200,000 nested <div>s took 395 s: the parser's and the body search's work grow with the
    square of the depth. A pass over the tags refuses it before parsing."""
    depth = 200_000
    page = tmp_path / "deep.html"
    page.write_bytes(b"<html><body>" + b"<div>" * depth + _HTML_TEXT + b"</div>" * depth + b"</body></html>")
    assert "nested more than 10,000 deep" in _refused(page, InputErrorCode.TOO_LARGE, "deep HTML").message
    _check_cli_refuses(page, InputErrorCode.TOO_LARGE)


@pytest.mark.parametrize("shape, deep", [
    ("<div>" * 10_001, True),
    ("<div/>" * 10_001, True),  # an HTML element's "/>" is ignored: each opens a div
    ("<b>" * 10_001, True),  # unclosed formatting elements nest too
    ("<table><tr><td>" * 2501, True),  # four levels each
    ("<div>" * 9999 + "</div>" * 9999 + "<div>" * 9999, False),
    ("<p>x" * 20_000 + "<li>y" * 20_000 + "<table><tr><td>z</table>" * 5000, False),  # siblings close them
    ("<svg>" + "<path d='M0 0'/>" * 20_000 + "</svg>", False),  # self-closed in SVG
    ("<script>" + "<div>" * 20_000 + "</script>", False),  # raw text holds no tags
    ("<!--" + "<div>" * 20_000 + "-->", False),
    ("<div>x</div>" * 50_000, False),
    ("<a" * 200_000, False),  # tags never closed by ">": the scan stays linear
    ("<" + "a" * 1_000_000, False),
    ("<script>" * 100_000, False),
])
def test_nesting_depth_is_measured_as_the_parser_nests(shape, deep):
    from narrative_check.read.html import _refuse_deep_nesting

    with hang_guard(seconds=5, what="the nesting pre-scan"):
        if deep:
            with pytest.raises(InputError):
                _refuse_deep_nesting(shape, "page.html")
        else:
            _refuse_deep_nesting(shape, "page.html")


def test_a_page_nested_as_deep_as_allowed_is_read():
    from narrative_check.read.html import _MAX_DEPTH, layout_html

    depth = _MAX_DEPTH - 10
    page = b"<html><body>" + b"<div>" * depth + _HTML_TEXT + b"</div>" * depth + b"</body></html>"
    with hang_guard(what="HTML nested just under the limit"):
        layout, _ = layout_html(page, path="page.html", max_bytes=10**8)
    assert "100 万元" in layout.text


# ---- PDF: PDFium's parsing and this reader's work within a budget ---------------------------

_FONT = b"/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
_PDF_TEXT = b"BT /F1 12 Tf 72 712 Td (2021 9909.15) Tj ET\n"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, attributes: bytes = b"", *, compress: bool = False) -> bytes:
    import zlib

    if compress:
        content, attributes = zlib.compress(content, 9), attributes + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(content), attributes) + content + b"\nendstream"


def _xobject_bomb(levels: int = 10, fanout: int = 4) -> bytes:
    """A page drawing form 5, which draws form 6 `fanout` times, … `levels` deep; the last draws
    a line of text: fanout ** (levels - 1) copies of it, from a file of 3 KB."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s /XObject << /X 5 0 R >> >>"
        b" /Contents 4 0 R >>" % _FONT,
        _stream(_PDF_TEXT + b"q /X Do Q\n"),
    ]
    form = b" /Type /XObject /Subtype /Form /BBox [0 0 595 842]"
    for level in range(levels - 1):
        draws = b"".join(b"q 1 0 0 1 %d 0 cm /X Do Q\n" % i for i in range(fanout))
        objects.append(_stream(draws, form + b" /Resources << /XObject << /X %d 0 R >> >>" % (6 + level)))
    objects.append(_stream(b"BT /F1 9 Tf 72 700 Td (1234.56) Tj ET\n", form + b" /Resources << %s >>" % _FONT))
    return _pdf(objects)


def _pages_sharing(content: bytes, pages: int = 3000) -> bytes:
    """`pages` pages, every one drawing the same (compressed) content stream."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 3 0 R /Contents 4 0 R >>"
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                 b"<< %s >>" % _FONT, _stream(content, compress=True)] + [page] * pages)


def _ruling(rows: int, columns: int, times: int = 1) -> bytes:
    """A grid of `rows` × `columns` ruling lines, drawn `times` over."""
    lines = [b"36 %d m 559 %d l S" % (100 + 10 * i, 100 + 10 * i) for i in range(rows)]
    lines += [b"%.1f 100 m %.1f %d l S" % (40 + 8.5 * i, 40 + 8.5 * i, 100 + 10 * (rows - 1)) for i in range(columns)]
    return b"\n".join(lines * times) + b"\n"


def test_a_form_xobject_bomb_is_refused_before_pdfium_parses_it(tmp_path):
    """A 3 KB page drawing a form that draws another four times, ten levels deep: PDFium parsed
    a quarter of a million copies of the last form and built a text page of them (240 s, 12 GB)."""
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_xobject_bomb())
    assert bomb.stat().st_size < 4096
    error = _refused(bomb, InputErrorCode.TOO_LARGE, "a form XObject bomb")
    assert "form XObjects drawn by page 1" in error.message
    _check_cli_refuses(bomb, InputErrorCode.TOO_LARGE)


def test_a_form_xobject_bomb_pdfminer_cannot_read_is_still_bounded(monkeypatch):
    """The pre-scan reads the file with pdfminer; a file it cannot read goes to PDFium as before,
    where counting the objects of each loaded page stops the bomb before its text page is built."""
    import pdfminer.pdfdocument

    from narrative_check.read.pdf import layout_pdf

    def unreadable(*args, **kwargs):
        raise pdfminer.pdfdocument.PDFSyntaxError("no xref")

    monkeypatch.setattr(pdfminer.pdfdocument.PDFDocument, "__init__", unreadable)
    with hang_guard(what="a form XObject bomb past the pre-scan"), pytest.raises(InputError) as caught:
        layout_pdf(_xobject_bomb(), path="bomb.pdf", max_bytes=10**8)
    assert caught.value.code == InputErrorCode.TOO_LARGE and "text objects on page 1" in caught.value.message


def test_forms_drawn_a_few_times_are_read():
    from narrative_check.read.pdf import layout_pdf

    text = layout_pdf(_xobject_bomb(levels=3, fanout=2), path="forms.pdf", max_bytes=10**8).text
    assert "9909.15" in text and "6666" in text  # the form's four copies overlap, glyph on glyph


def test_a_form_drawing_itself_is_refused():
    """PDFium draws a form inside itself forty deep: a form of a few bytes drawing itself twice
    would be drawn 2 ** 40 times. The PDF format forbids it; the pre-scan refuses it."""
    form = b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X 5 0 R >> %s >>" % _FONT
    looped = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s /XObject << /X 5 0 R >> >>"
        b" /Contents 4 0 R >>" % _FONT,
        _stream(b"q /X Do Q\n"),
        _stream(_PDF_TEXT + b"q /X Do Q\n" * 2, form),
    ])
    from narrative_check.read import read_bytes

    with hang_guard(what="a form drawing itself"), pytest.raises(InputError) as caught:
        read_bytes(looped, path="loop.pdf")
    assert caught.value.code == InputErrorCode.MALFORMED and "draws itself" in caught.value.message


def test_3000_pages_sharing_one_finely_ruled_stream_are_refused(tmp_path):
    """3,000 pages drawing one 6,000-line content stream (400 KB of file): reading each page's
    ruling and searching its grid for cells ran for more than 25 minutes. PDFium would parse
    450 MB of content: refused before a page is loaded."""
    path = tmp_path / "ruled.pdf"
    path.write_bytes(_pages_sharing(_PDF_TEXT + _ruling(60, 60, times=25)))
    assert path.stat().st_size < 1024 * 1024
    error = _refused(path, InputErrorCode.TOO_LARGE, "3,000 finely ruled pages")
    assert "MB of page content to parse" in error.message
    _check_cli_refuses(path, InputErrorCode.TOO_LARGE)


def test_3000_pages_of_one_ruled_grid_are_refused_by_the_table_search_budget(tmp_path):
    """The same grid drawn once a page is little content but half a second of cell search a page:
    the document's budget of table search refuses it within a few pages."""
    path = tmp_path / "grid.pdf"
    path.write_bytes(_pages_sharing(_PDF_TEXT + _ruling(60, 60)))
    error = _refused(path, InputErrorCode.TOO_LARGE, "3,000 ruled pages")
    assert "ruled-table search by page" in error.message


def test_a_content_stream_inflating_to_a_gigabyte_is_refused_without_inflating_it():
    """The pre-scan inflates a content stream no further than the budget it has left."""
    from narrative_check.read.pdf import layout_pdf

    # A zlib stream of a gigabyte of spaces, its blocks repeated as _deflate_beyond builds them.
    import zlib

    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    head = compressor.compress(_PDF_TEXT) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(b" " * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    body = head + block * 1024 + compressor.flush()
    pdf = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents 4 0 R >>" % _FONT,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
    ])
    with hang_guard(what="a content stream bomb"), pytest.raises(InputError) as caught:
        layout_pdf(pdf, path="inflating.pdf", max_bytes=10**8)
    assert caught.value.code == InputErrorCode.TOO_LARGE and "MB of page content" in caught.value.message


# ---- a scan worker held to a memory limit, not only a time limit ----------------------------


def _greedy_check(path, **kwargs):
    """A check that wants 3 GiB, touched (as a parser holding a bomb's output would)."""
    return b"x" * (3 * 1024**3)


def test_a_scan_worker_is_held_to_its_memory_limit(tmp_path, monkeypatch):
    """A worker taking memory without bound ran until the time limit, the machine swapping; held
    to its address-space limit, the allocation fails at once and the file is recorded as too large."""
    from narrative_check import scan
    from narrative_check.config import ScanOptions, Settings

    monkeypatch.setattr(scan, "check_file", _greedy_check)  # the pool's workers are forked: they see it
    report = tmp_path / "report.txt"
    report.write_text(_NARRATIVE, encoding="utf-8")
    with hang_guard(what="a scan worker over its memory limit"):
        lines = list(scan.local_lines([str(report)], Settings(), ScanOptions(jobs=1, timeout=30)))
    assert [line["code"] for line in lines] == [InputErrorCode.TOO_LARGE.value], lines
    assert "more memory than a worker may use" in lines[0]["error"]


def test_scan_records_every_hostile_file_as_refused(tmp_path):
    """The same files in a scan: each a failure line with its code, none a timeout or a dead worker."""
    from narrative_check import scan
    from narrative_check.config import ScanOptions, Settings

    files = {
        "bomb.pdf": (_xobject_bomb(), InputErrorCode.TOO_LARGE),
        "ruled.pdf": (_pages_sharing(_PDF_TEXT + _ruling(60, 60, times=25)), InputErrorCode.TOO_LARGE),
        "bomb.docx": (_with_member_overflowing(_docx_bytes(_NARRATIVE), "word/document.xml", 256), InputErrorCode.ARCHIVE_BOMB),
        "deep.html": (b"<html><body>" + b"<div>" * 200_000 + _HTML_TEXT + b"</body></html>", InputErrorCode.TOO_LARGE),
    }
    expected = {}
    for name, (data, code) in files.items():
        (tmp_path / name).write_bytes(data)
        expected[str(tmp_path / name)] = code.value
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")
        expected[str(tmp_path / "pipe.txt")] = InputErrorCode.UNREADABLE.value
    with hang_guard(seconds=60, what="a scan of hostile files"):
        lines = list(scan.local_lines(sorted(expected), Settings(), ScanOptions(jobs=2, timeout=30)))
    assert {line["file"]: line["code"] for line in lines} == expected


# ---- the worker's memory limit as a setting (ScanOptions.worker_memory, --worker-memory) ----


def _address_space() -> int:
    """This process's address space now: a forked worker starts with as much."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    pytest.skip("no /proc/self/status")


def _wants_600_mib(path, **kwargs):
    """big.txt takes 600 MiB while it is checked; every file is then checked as usual."""
    if Path(path).name == "big.txt":
        taken = b"x" * (600 * 1024**2)
        del taken
    return check_file(path, **kwargs)


def test_worker_memory_is_the_limit_a_worker_is_held_to(tmp_path, monkeypatch):
    """The same file, needing 600 MiB more: recorded as too large under the smallest setting,
    checked under a roomy one; the scan goes on to the other file either way (which, forked from
    this process's free heap, may or may not fit in the smallest setting)."""
    from narrative_check import scan
    from narrative_check.config import MIN_WORKER_MEMORY, ScanOptions, physical_memory

    roomy = _address_space() + 2 * 1024**3  # a forked worker starts with this process's address space
    if roomy > (physical_memory() or roomy):
        pytest.skip("this machine has less memory than the roomy limit the test needs")
    monkeypatch.setattr(scan, "check_file", _wants_600_mib)  # the pool's workers are forked: they see it
    for name in ("big.txt", "small.txt"):
        (tmp_path / name).write_text(_NARRATIVE, encoding="utf-8")
    with hang_guard(what="a scan with one file over the worker's memory"):
        tight = scan.scan([str(tmp_path)], tmp_path / "tight.jsonl", options=ScanOptions(jobs=1, worker_memory=MIN_WORKER_MEMORY))
        room = scan.scan([str(tmp_path)], tmp_path / "room.jsonl", options=ScanOptions(jobs=1, worker_memory=roomy))
    failed = {Path(line["file"]).name: line for line in tight.failures}
    assert "big.txt" in failed and failed["big.txt"]["code"] == InputErrorCode.TOO_LARGE.value, tight.failures
    assert "more memory than a worker may use" in failed["big.txt"]["error"]
    assert tight.reports + len(tight.failures) == 2 and not tight.interrupted
    assert room.failures == [] and room.reports == 2


def test_a_tiny_worker_memory_flag_records_the_file_and_the_scan_ends_normally(tmp_path, monkeypatch):
    """--worker-memory at its floor (256 MiB) through the command line: the file needing more is
    a failure line with the memory error code, listed in the summary; no traceback, no broken pool."""
    import json

    from click.testing import CliRunner

    from narrative_check import scan
    from narrative_check.cli import cli
    from narrative_check.config import MIN_WORKER_MEMORY

    monkeypatch.setattr(scan, "check_file", _wants_600_mib)
    for name in ("big.txt", "small.txt"):
        (tmp_path / name).write_text(_NARRATIVE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with hang_guard(what="--worker-memory at its floor"):
        result = CliRunner().invoke(cli, ["scan", str(tmp_path / "big.txt"), str(tmp_path / "small.txt"), "-o", str(out),
                                          "-j", "2", "--worker-memory", str(MIN_WORKER_MEMORY)])
    # 2 when small.txt did not fit either (every file failed), else 0/1 by its findings
    assert result.exit_code in (0, 1, 2) and isinstance(result.exception, (SystemExit, type(None))), result.stderr
    assert "Traceback" not in result.stderr and "无法核验的文件" in result.stderr
    lines = {Path(line["file"]).name: line for line in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(lines) == {"big.txt", "small.txt"}
    assert lines["big.txt"]["code"] == InputErrorCode.TOO_LARGE.value
    assert "more memory than a worker may use" in lines["big.txt"]["error"]
