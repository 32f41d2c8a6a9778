"""Bytes to text: UTF-8 (with or without BOM), else GB18030; anything else is an InputError."""

from __future__ import annotations

import codecs

from ..errors import InputError, InputErrorCode

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Control characters a text report never contains; tab, newlines, form feed and
# carriage return are layout, not binary.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


def decode(data: bytes, *, path: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Return (text, encoding) or raise InputError."""
    if len(data) > max_bytes:
        raise InputError(
            InputErrorCode.TOO_LARGE, f"{len(data):,} bytes > {max_bytes:,}", path=path
        )
    text, encoding = _decode(data, path)
    if not text.strip():
        raise InputError(InputErrorCode.EMPTY, path=path)
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if "\x00" in text or controls > max(8, len(text) // 200):
        raise InputError(InputErrorCode.BINARY, f"{controls} control characters", path=path)
    return text, encoding


def _decode(data: bytes, path: str | None) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise InputError(InputErrorCode.ENCODING, f"UTF-8 BOM but invalid UTF-8 at byte {exc.start}", path=path) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Word's "Unicode text" export: unambiguous thanks to its BOM.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(InputErrorCode.ENCODING, "UTF-16 BOM but invalid UTF-16", path=path) from None
    if b"\x00" in data[:4096]:
        raise InputError(InputErrorCode.BINARY, "NUL bytes", path=path)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(InputErrorCode.ENCODING, _guess_encoding(data), path=path)


def _guess_encoding(data: bytes) -> str:
    """A hint for the message: what the bytes look like, so the user knows what to convert from."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - declared dependency
        return "unknown encoding"
    best = from_bytes(data[:65536]).best()
    if best is None:
        return "unknown encoding; convert the file to UTF-8"
    return f"looks like {best.encoding}; convert the file to UTF-8"
