"""What a file is, from its first bytes (and a zip's directory), not from its name.

Also the guard every zip-based reader passes first: implausible sizes in a zip's directory are
refused before anything is inflated, and then each member is inflated by a reader that stops
at the size the directory states (a deflate stream can hold far more), so a zip bomb takes
neither the memory nor the time.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import PurePath

import regex

from ..errors import InputError, InputErrorCode

FORMATS = ("docx", "xlsx", "pdf", "html", "text")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = regex.compile(rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title)\b", regex.IGNORECASE | regex.DOTALL)
_EXTENSIONS = {".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".txt": "text"}

# A report's parts expand to a few megabytes; XML compresses well, but not a thousandfold.
_MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # small members may compress absurdly well (a run of spaces)
_MAX_MEMBERS = 10_000
# Word and Excel store or deflate their parts; the other methods zipfile knows (bzip2, LZMA)
# inflate a few kilobytes into many megabytes with no output limit.
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# A member's local header: signature, version, flags, method, time, date, CRC, sizes, then the
# lengths of the name and of the extra field that stand between it and the member's data.
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def sniff_format(data: bytes, *, path: str | None = None) -> str:
    """One of FORMATS. The name only breaks ties the content leaves open (an HTML fragment);
    a name promising a binary format the content does not have is an error."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf")
    expected = _EXTENSIONS.get(PurePath(path).suffix.lower()) if path else None
    if head.startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and expected == "pdf"):
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, path)
    if head.startswith(_OLE2):
        # Word 97 files and password-protected .docx/.xlsx are both OLE2 containers.
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data[:1 << 20]:
            raise InputError(InputErrorCode.ENCRYPTED, "password-protected Office file", path=path)
        raise InputError(
            InputErrorCode.UNSUPPORTED_FORMAT, "legacy .doc/.xls (OLE2) file; save it as .docx or .xlsx", path=path
        )
    if expected in ("docx", "xlsx", "pdf"):
        what = "a zip archive" if expected != "pdf" else "a PDF (no %PDF- header)"
        raise InputError(InputErrorCode.MALFORMED, f"named {PurePath(path).suffix} but not {what}", path=path)
    if _HTML_START.match(head) or expected == "html":
        return "html"
    return "text"


def _zip_kind(data: bytes, path: str | None) -> str:
    names = {info.filename for info in open_zip(data, path=path, max_bytes=None).infolist()}
    if "word/document.xml" in names:
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if "EncryptedPackage" in names:
        raise InputError(InputErrorCode.ENCRYPTED, path=path)
    raise InputError(
        InputErrorCode.UNSUPPORTED_FORMAT, "a zip archive that is neither a Word (.docx) nor an Excel (.xlsx) file", path=path
    )


def open_zip(data: bytes, *, path: str | None, max_bytes: int | None) -> zipfile.ZipFile:
    """The zip, after checking its directory: readable, not encrypted, not a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(InputErrorCode.MALFORMED, f"broken zip archive: {exc}", path=path) from None
    if len(infos) > _MAX_MEMBERS:
        raise InputError(InputErrorCode.ARCHIVE_BOMB, f"{len(infos):,} members", path=path)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(InputErrorCode.ENCRYPTED, f"encrypted member {info.filename}", path=path)
        if info.compress_type not in _METHODS:
            raise InputError(
                InputErrorCode.MALFORMED, f"{info.filename} is compressed with method {info.compress_type}, not deflate", path=path
            )
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
            raise InputError(
                InputErrorCode.ARCHIVE_BOMB,
                f"{info.filename} expands {info.file_size // max(info.compress_size, 1):,}-fold",
                path=path,
            )
    if max_bytes is not None and total > 4 * max_bytes:
        raise InputError(InputErrorCode.ARCHIVE_BOMB, f"{total:,} bytes uncompressed", path=path)
    return archive


def read_member(data: bytes, info: zipfile.ZipInfo, *, path: str | None) -> bytes:
    """One member's bytes, inflated by a reader that stops one byte past the size the directory
    states: a deflate stream may hold far more than that (1.2 MB of it inflates to gigabytes),
    and zipfile's own read() inflates all of it before cutting it to the stated size. A member
    that holds more than it states is a bomb; less, or a wrong checksum, a damaged file."""
    view = memoryview(data)
    header = bytes(view[info.header_offset : info.header_offset + _LOCAL_HEADER.size])
    if len(header) < _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
        raise InputError(InputErrorCode.MALFORMED, f"damaged {info.filename}: no local header", path=path)
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    stored = view[start : start + info.compress_size]
    if len(stored) < info.compress_size:
        raise InputError(InputErrorCode.MALFORMED, f"damaged {info.filename}: cut short", path=path)
    if info.compress_type == zipfile.ZIP_STORED:
        content = bytes(stored[: info.file_size + 1])
    else:  # deflate: open_zip refused every other method
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            content = inflater.decompress(stored, info.file_size + 1)
        except zlib.error as exc:
            raise InputError(InputErrorCode.MALFORMED, f"damaged {info.filename}: {exc}", path=path) from None
    if len(content) > info.file_size:
        raise InputError(
            InputErrorCode.ARCHIVE_BOMB, f"{info.filename} inflates beyond the {info.file_size:,} bytes it states", path=path
        )
    if len(content) < info.file_size or zlib.crc32(content) != info.CRC:
        raise InputError(InputErrorCode.MALFORMED, f"damaged {info.filename}: wrong size or checksum", path=path)
    return content


def bounded_package(data: bytes, *, path: str | None, max_bytes: int) -> io.BytesIO:
    """The zip package again with every member inflated by `read_member` and stored uncompressed,
    for python-docx and openpyxl: they read members with zipfile's read(), which inflates a
    member's whole stream whatever size the directory states. Storing costs a copy of the
    package's stated size, which open_zip has bounded."""
    archive = open_zip(data, path=path, max_bytes=max_bytes)
    # The last member of a name is the one zipfile reads, and so the one the libraries would see.
    members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_STORED) as stored:
        for name, info in members.items():
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            stored.writestr(entry, read_member(data, info, path=path))
    package.seek(0)
    return package
