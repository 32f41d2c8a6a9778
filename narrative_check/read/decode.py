"""Bytes to text: UTF-8 (with or without BOM), else GB18030 or Big5; anything else is an InputError."""

from __future__ import annotations

import codecs

import regex

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
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _legacy_encoding(data)
    if encoding == "shift_jis":
        raise InputError(InputErrorCode.NOT_CHINESE, path=path)
    try:
        return data.decode(encoding), "big5" if encoding == "cp950" else encoding
    except UnicodeDecodeError:
        raise InputError(InputErrorCode.ENCODING, _guess_encoding(data), path=path) from None


# A GB2312 character's second byte is 0xA1 or above; in Big5 and Shift-JIS text about half are
# below (0x40–0xA0). GB18030 decodes almost any bytes, so Big5 or Shift-JIS read as GB18030 is
# mojibake with no figure a check can find: these bytes tell them apart before that.
_DOUBLE_BYTE = regex.compile(rb"[\x81-\xfe][\x40-\x7e\x80-\xfe]")
_LOW_TRAIL = regex.compile(rb"[\x81-\xfe][\x40-\x7e\x80-\xa0]")
_SAMPLE = 1 << 16
_LOW_TRAIL_SHARE = 0.1  # GBK text holds a few such characters (rare names), never a tenth


def _legacy_encoding(data: bytes) -> str:
    """gb18030, or cp950 (Big5, Traditional Chinese) or shift_jis when the bytes are those instead."""
    sample = data[:_SAMPLE]
    pairs = _DOUBLE_BYTE.findall(sample)
    low = sum(1 for pair in pairs if _LOW_TRAIL.fullmatch(pair))
    if not pairs or low < len(pairs) * _LOW_TRAIL_SHARE:
        return "gb18030"
    for encoding in ("cp950", "shift_jis"):  # strict: a GBK text is rarely valid in either
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "gb18030"


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
