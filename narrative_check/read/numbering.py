"""Numbering markers of Chinese official documents: 第一部分, 一、 （一） 1. （1） ①.

Used for section headings by the reader and for enumerated reasons by the
extractor, so both agree on what a marker is.
"""

from __future__ import annotations

import regex

CN_DIGITS = "〇零一二三四五六七八九十百"

# Level of each marker style, outermost first (GB/T 9704 公文 numbering), under the parts a
# report is divided into (第一部分 部门概况, 第三部分 2021年度部门决算情况说明), level 0.
MARKER = regex.compile(
    rf"""^(?:
        (?P<l0>第[{CN_DIGITS}\d]{{1,3}}(?:部分|章|节|篇)[、：:.．]?)
      | (?P<l1>[{CN_DIGITS}]{{1,3}}[、.．])
      | (?P<l2>[（(][{CN_DIGITS}]{{1,3}}[）)])
      | (?P<l3>\d{{1,2}}(?:[.．、](?!\d)|\s*[.．]\s+|[.．](?=(?:19|20)\d{{2}}\s*年)))
      | (?P<l4>[（(]\d{{1,2}}[）)])
      | (?P<l5>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])
    )\s*""",
    regex.VERBOSE,
)

# '其中：' opens a nested list and may stand before its first number ('其中：（1）运行维护费').
OF_WHICH = regex.compile(r"^\s*其中\s*[:：]\s*")

_CN_DIGIT = "零一二三四五六七八九"
_CN_VALUE = {"〇": 0, **{digit: value for value, digit in enumerate(_CN_DIGIT)}}


def match_marker(text: str) -> tuple[str, int, int] | None:
    """(marker, level, end) for a numbering marker at the start of `text`, else None."""
    m = MARKER.match(text)
    if not m:
        return None
    for level in range(0, 6):
        if m.group(f"l{level}"):
            return m.group(f"l{level}").strip(), level, m.end()
    return None  # pragma: no cover - one group always matches


def match_item_marker(text: str) -> tuple[str, int, int] | None:
    """match_marker at the start of a list item, past a '其中：' before it."""
    skip = of_which.end() if (of_which := OF_WHICH.match(text)) else 0
    m = match_marker(text[skip:])
    return (m[0], m[1], m[2] + skip) if m else None


_NOT_ORDINAL = regex.compile(r"[^\d〇零一二三四五六七八九十百①-⑳]")


def renumbered(marker: str, n: int) -> str:
    """`marker` written for the ordinal `n` in its own style: ('二、', 1) → '一、', ('（3）', 4) → '（4）',
    ('②', 3) → '③'."""
    digits = _ORDINAL_RUN.search(marker)
    if digits is None:
        return marker
    run = digits.group()
    if run.isascii():
        new = str(n)
    elif "①" <= run[0] <= "⑳":
        new = chr(ord("①") + n - 1) if 1 <= n <= 20 else str(n)
    else:
        new = cn_numeral(n)
    return marker[: digits.start()] + new + marker[digits.end() :]


_ORDINAL_RUN = regex.compile(r"[\d〇零一二三四五六七八九十百①-⑳]+")


def marker_number(marker: str) -> int | None:
    """The ordinal a marker stands for: '（三）' → 3, '12.' → 12, '②' → 2."""
    digits = _NOT_ORDINAL.sub("", marker)
    if not digits:
        return None
    if digits.isdigit() and digits.isascii():
        return int(digits)
    if len(digits) == 1 and "①" <= digits <= "⑳":
        return ord(digits) - ord("①") + 1
    return cn_ordinal(digits)


def cn_ordinal(text: str) -> int | None:
    """Small Chinese numerals as written in numbering: 一 … 九十九."""
    if not text:
        return None
    if "十" in text:
        tens, _, units = text.partition("十")
        t = _CN_VALUE.get(tens, None) if tens else 1
        u = _CN_VALUE.get(units, None) if units else 0
        if t is None or u is None:
            return None
        return t * 10 + u
    if len(text) == 1:
        return _CN_VALUE.get(text)
    return None


def cn_numeral(n: int) -> str:
    """The Chinese numeral of an ordinal as numbering writes it: 3 → 三, 12 → 十二, 40 → 四十;
    cn_ordinal's inverse (from 100 on, Arabic digits)."""
    if n < 10:
        return _CN_DIGIT[n]
    if n < 20:
        return "十" + (_CN_DIGIT[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGIT[n // 10] + "十" + (_CN_DIGIT[n % 10] if n % 10 else "")
    return str(n)
