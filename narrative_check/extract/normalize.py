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
# groups, only where the digits before form a proper 1-3 digit leading group.
_THOUSANDS = regex.compile(r"(?<=(?<![\d.])\d{1,3}(?:[,，]\d{3})*)[,，](?=\d{3}(?!\d))")
_THOUSANDS_SPACE = regex.compile(r"(?<=(?<![\d.])\d{1,3}(?: \d{3})*) (?=\d{3}(?!\d))")

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
        self.original = original
        out: list[str] = []
        orig: list[int] = []
        for seg_start, seg_end in segments:
            piece = original[seg_start:seg_end]
            drop = {m.start() for m in _THOUSANDS.finditer(piece)}
            drop.update(m.start() for m in _THOUSANDS_SPACE.finditer(piece))
            simplified = to_simplified(piece)
            for i, ch in enumerate(simplified):
                if i in drop:
                    continue
                if ch in _WHITESPACE:
                    # Keep one space only between two ASCII letters or digits
                    # ("PDF 2", "4827946 2"); elsewhere layout spaces mean nothing.
                    if out and out[-1] != " " and out[-1].isascii() and out[-1].isalnum():
                        nxt = _next_visible(simplified, i + 1)
                        if nxt is not None and nxt.isascii() and nxt.isalnum():
                            out.append(" ")
                            orig.append(seg_start + i)
                    continue
                out.append(_char_map(ch))
                orig.append(seg_start + i)
            if out and out[-1] == " ":
                out.pop()
                orig.pop()
        self.text = "".join(out)
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


def _next_visible(text: str, i: int) -> str | None:
    n = len(text)
    while i < n:
        if text[i] not in _WHITESPACE:
            return _char_map(text[i])
        i += 1
    return None


def normalize(text: str) -> str:
    """The normalised form of a whole string (for lexicon entries and tests)."""
    return NormalizedText(text, [(0, len(text))]).text
