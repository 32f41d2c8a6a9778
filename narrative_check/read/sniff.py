"""What a file is, from its first bytes (and a zip's directory), not from its name.

Also the guard every zip-based reader passes first: the sizes a zip's directory declares are
what `zipfile` will decompress at most, so refusing implausible ones before parsing stops a
zip bomb from taking the memory or the time.
"""

from __future__ import annotations

import io
import zipfile
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


def read_member(archive: zipfile.ZipFile, name: str, *, path: str | None) -> bytes:
    """One member's bytes; a damaged member is the file's fault, said in one line."""
    try:
        return archive.read(name)
    except KeyError:
        raise InputError(InputErrorCode.MALFORMED, f"missing {name}", path=path) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise InputError(InputErrorCode.MALFORMED, f"damaged {name}: {exc}", path=path) from None
