"""A matching copy of report text, with a map back to the original offsets.

Matching works on a normalised copy: Traditional characters read as
Simplified, full-width digits and letters as ASCII, ASCII punctuation as its
CJK form, thousands separators and layout whitespace removed. Every character
of the copy remembers which original character it came from, so a match on the
copy yields exact offsets (and an exact quote) in the original.
"""

from __future__ import annotations

from functools import lru_cache

import regex

# Thousands separators: a comma (ASCII or full-width) or a space between digit
# groups, only where the digits before form a proper 1-3 digit leading group. Matched
# as whole numbers, not separator by separator: a look-behind over all the groups
# before each separator made a 200,000-character '123,123,…' quadratic.
_THOUSANDS = regex.compile(r"(?<![\d.])\d{1,3}(?:[,，]\d{3})+(?!\d)")
# Not after a comma-grouped number ('51,385 100.00%' is two figures of a flattened table) nor into
# a percentage (no rate has thousands).
_THOUSANDS_SPACE = regex.compile(r"(?<![\d.,，])\d{1,3}(?: \d{3})+(?!\d)(?!(?:\.\d+)?\s*[%％])")
# Full stops as separators, as some PDFs print them: a number with two stops or more, whose groups
# but a last one of one or two decimals have three digits ('34.568.64' is 34568.64, '1.234.567' is
# 1234567); one stop alone is a decimal point.
_THOUSANDS_DOT = regex.compile(r"(?<![\d.])\d{1,3}(?:\.\d{3})+(?=\.\d{1,2}(?![\d.]))|(?<![\d.])\d{1,3}(?:\.\d{3}){2,}(?![\d.])")


def _separators(piece: str) -> set[int]:
    """Offsets of the thousands separators in `piece`."""
    drop: set[int] = set()
    for pattern in (_THOUSANDS, _THOUSANDS_SPACE, _THOUSANDS_DOT):
        for m in pattern.finditer(piece):
            drop.update(m.start() + i for i, ch in enumerate(m.group()) if not ch.isdigit())
    return drop

_PUNCT = {
    ",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！",
    "．": ".", "％": "%", "﹪": "%", "〇": "〇", "−": "-", "－": "-", "–": "-",
    "“": "“", "”": "”", "\"": "“", "‘": "“", "’": "”", "「": "“", "」": "”",
    "『": "“", "』": "”", "﹙": "（", "﹚": "）", "【": "（", "】": "）",
}
_WHITESPACE = set(" \t\n\r\f\v\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff")


def _char_map(ch: str) -> str:
    code = ord(ch)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    return _PUNCT.get(ch, ch)


# A Latin full stop that ends a sentence: one that cannot be a decimal point or an item number
# ("1."), being right after a character that is no digit (ASCII or full-width), ASCII letter or
# space: after Han, a '%' or a ')' ('万元.其中', '增长 19.1%.主要原因', '收入情况.2021 年度').
# Reports typed with a Latin keyboard layout end their sentences so; read as '。', their claims
# and reasons stay apart.
LATIN_FULL_STOP = r"(?<=[^\x00-\x7f\uff10-\uff19\s]|%|\))\."
_LATIN_FULL_STOP = regex.compile(LATIN_FULL_STOP)


def _latin_stops_read_as_chinese(mapped: str) -> str:
    return _LATIN_FULL_STOP.sub("。", mapped) if "." in mapped else mapped

# The same one-for-one mapping as a str.translate table, so a paragraph is mapped in C.
_TABLE = str.maketrans({**{chr(c): chr(c - 0xFEE0) for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(r[0], r[1] + 1)}, **_PUNCT})
_WHITESPACE_CLASS = "[" + "".join(regex.escape(c) for c in sorted(_WHITESPACE)) + "]"
_WHITESPACE_RUN = regex.compile(_WHITESPACE_CLASS + "+")


def _ascii_alnum(ch: str | None) -> bool:
    return ch is not None and ch.isascii() and ch.isalnum()


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified, one character for one character (offsets depend on it)."""
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase conversion changed the length: fall back to single characters.
    convert = _t2s().convert
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


class NormalizedText:
    """The normalised copy of some pieces of an original text."""

    __slots__ = ("original", "text", "_orig")

    def __init__(self, original: str, segments: list[tuple[int, int]]) -> None:
        # Built from slices and ranges rather than character by character: what is dropped
        # (separators, layout whitespace) is found by regex, the rest is copied in C.
        self.original = original
        parts: list[str] = []
        orig: list[int] = []
        last: str | None = None  # the last character written, across segments
        for seg_start, seg_end in segments:
            piece = original[seg_start:seg_end]
            drop = _separators(piece)
            mapped = _latin_stops_read_as_chinese(to_simplified(piece).translate(_TABLE))
            cuts = [(i, i + 1, False) for i in drop]
            for m in _WHITESPACE_RUN.finditer(mapped):
                a, b = m.span()
                if b - a == 1 and a in drop:
                    continue  # a thousands separator, already cut
                # Keep one space only between two ASCII letters or digits ("PDF 2",
                # "4827946 2"); elsewhere layout spaces mean nothing.
                before = mapped[a - 1] if a else last
                after = mapped[b] if b < len(mapped) else None
                cuts.append((a, b, _ascii_alnum(before) and _ascii_alnum(after)))
            cuts.sort()
            cursor = 0
            for a, b, keep_space in cuts:
                parts.append(mapped[cursor:a])
                orig.extend(range(seg_start + cursor, seg_start + a))
                if keep_space:
                    parts.append(" ")
                    orig.append(seg_start + a)
                cursor = b
            parts.append(mapped[cursor:])
            orig.extend(range(seg_start + cursor, seg_end))
            last = next((p[-1] for p in reversed(parts) if p), None)
        self.text = "".join(parts)
        self._orig = orig

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span [a, b) that the normalised span [start, end) was made from."""
        if not self._orig:
            return 0, 0
        start = min(max(start, 0), len(self._orig) - 1)
        end = min(max(end, start + 1), len(self._orig))
        return self._orig[start], self._orig[end - 1] + 1

    def original_offset(self, index: int) -> int:
        return self._orig[min(max(index, 0), len(self._orig) - 1)]


# What the full mapping would drop: whitespace, or a comma or space between digit groups.
_NEEDS_CUTS = regex.compile(_WHITESPACE_CLASS + r"|\d[,，]\d{3}")


def normalize(text: str) -> str:
    """The normalised form of a whole string (table heads and labels, lexicon entries)."""
    # Most strings lose nothing: the one-for-one mapping alone, without an offset map.
    mapped = _latin_stops_read_as_chinese((text if text.isascii() else to_simplified(text)).translate(_TABLE))
    if not _NEEDS_CUTS.search(mapped):
        return mapped
    return NormalizedText(text, [(0, len(text))]).text
