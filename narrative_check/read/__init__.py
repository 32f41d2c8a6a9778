"""Readers: bytes in, `Document` out, whatever the format.

The format is sniffed from the content (see sniff.py). Word, PDF, HTML and workbook readers
lay their content out in the plain-text layout and leave the structure to `parse_text`
(see layout.py), so one set of rules reads headings, page breaks and tables for all of them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError, InputErrorCode
from ..models.document import Document
from .decode import DEFAULT_MAX_BYTES, decode
from .layout import Layout
from .sniff import sniff_format
from .text import TextLimits, parse_text


def read_bytes(
    data: bytes,
    *,
    path: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    tables: bytes | None = None,
    tables_path: str | None = None,
    limits: TextLimits | None = None,
) -> Document:
    """The document in `data`; `tables`, an .xlsx workbook, adds its sheets as tables. Text over
    `limits` is refused before it is parsed."""
    if len(data) > max_bytes:
        raise InputError(InputErrorCode.TOO_LARGE, f"{len(data):,} bytes > {max_bytes:,}", path=path)
    if not data.strip():
        raise InputError(InputErrorCode.EMPTY, path=path)
    kind = sniff_format(data, path=path)
    if kind == "text" and tables is None:
        text, encoding = decode(data, path=path, max_bytes=max_bytes)
        return parse_text(text, path=path, encoding=encoding, limits=limits)
    layout, encoding = _layout(kind, data, path=path, max_bytes=max_bytes, limits=limits)
    if tables is not None:
        if len(tables) > max_bytes:
            raise InputError(InputErrorCode.TOO_LARGE, f"{len(tables):,} bytes > {max_bytes:,}", path=tables_path)
        if not tables.strip():
            raise InputError(InputErrorCode.EMPTY, path=tables_path)
        if sniff_format(tables, path=tables_path) != "xlsx":
            raise InputError(InputErrorCode.UNSUPPORTED_FORMAT, "the tables must be an Excel workbook (.xlsx)", path=tables_path)
        from .xlsx import layout_xlsx

        layout_xlsx(tables, path=tables_path, max_bytes=max_bytes, layout=layout)
    return layout.document(path=path, encoding=encoding, limits=limits)


def read_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, tables: str | Path | None = None, limits: TextLimits | None = None
) -> Document:
    """The document in the file at `path`, with the workbook at `tables` when given."""
    data = _read(path, max_bytes)
    workbook = _read(tables, max_bytes) if tables is not None else None
    return read_bytes(data, path=str(path), max_bytes=max_bytes, tables=workbook, tables_path=str(tables) if tables else None,
                      limits=limits)


def _read(path: str | Path, max_bytes: int) -> bytes:
    """The file's bytes, read only from a regular file and never more than `max_bytes` of them.

    A FIFO would block the read forever and a device (/dev/zero, /dev/urandom) never ends, and
    both say size 0; even opening some devices does something (a tape rewinds), so the kind is
    asked of stat() before the file is opened, and again of the open file, which may have been
    swapped meanwhile (opened non-blocking, so a FIFO put in its place cannot hang the open).
    A file that grows past its stated size, or under-reports it (/proc), is caught by reading
    one byte more than the limit."""
    name = str(path)
    try:
        _refuse_irregular(os.stat(path).st_mode, name)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(InputErrorCode.UNREADABLE, exc.strerror or str(exc), path=name) from None
    with os.fdopen(fd, "rb") as file:
        try:
            status = os.fstat(file.fileno())
            _refuse_irregular(status.st_mode, name)
            if status.st_size > max_bytes:
                raise InputError(InputErrorCode.TOO_LARGE, f"{status.st_size:,} bytes > {max_bytes:,}", path=name)
            data = file.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(InputErrorCode.UNREADABLE, exc.strerror or str(exc), path=name) from None
    if len(data) > max_bytes:
        raise InputError(InputErrorCode.TOO_LARGE, f"more than {max_bytes:,} bytes", path=name)
    return data


def _refuse_irregular(mode: int, path: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = (
        "a directory" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode)
        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
        else "not a file"
    )
    raise InputError(InputErrorCode.UNREADABLE, f"{kind}, not a regular file", path=path)


def _layout(kind: str, data: bytes, *, path: str | None, max_bytes: int, limits: TextLimits | None) -> tuple[Layout, str]:
    if kind == "docx":
        from .docx import layout_docx

        return layout_docx(data, path=path, max_bytes=max_bytes), "docx"
    if kind == "pdf":
        from .pdf import layout_pdf

        return layout_pdf(data, path=path, max_bytes=max_bytes, max_chars=limits.max_chars if limits else None), "pdf"
    if kind == "html":
        from .html import layout_html

        return layout_html(data, path=path, max_bytes=max_bytes)
    if kind == "xlsx":
        from .xlsx import layout_xlsx

        return layout_xlsx(data, path=path, max_bytes=max_bytes), "xlsx"
    text, encoding = decode(data, path=path, max_bytes=max_bytes)
    layout = Layout()
    layout.raw(text)
    return layout, encoding
