"""Subjects: the phrase a figure is a figure of, cleaned of framing words."""

from __future__ import annotations

from functools import lru_cache

import regex

from .. import lexicons
from .segment import words

_EDGE = "，；：、。（）() 　的"
_TIME = regex.compile(
    r"^(?:截至|截止)?(?:\d{4}年(?:度)?(?:\d{1,2}月(?:\d{1,2}日)?(?:末)?)?|本年度|上年度|全年)"
)
_LABEL_MARKER = regex.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,2}[.、])")


@lru_cache(maxsize=1)
def _fillers() -> tuple[frozenset[str], frozenset[str]]:
    lead, trail = set(), set()
    for word, position in lexicons.rows("subject_fillers.tsv"):
        (lead if position == "lead" else trail).add(word)
    return frozenset(lead), frozenset(trail)


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(lexicons.words("generic_subjects.tsv"))


_CLAUSE_BREAK = regex.compile(r"[，；：:。]")


@lru_cache(maxsize=16384)
def clean_subject(raw: str) -> str:
    """'2021年度本部门“三公”经费支出共计' → '“三公”经费支出'."""
    text = _LABEL_MARKER.sub("", raw.strip(" 　")).strip(_EDGE)
    # Keep only the last clause-like stretch: '工资政策调整，人员经费' → '人员经费'.
    text = _CLAUSE_BREAK.split(text)[-1].strip(_EDGE)
    previous = None
    while text and text != previous:
        previous = text
        text = _TIME.sub("", text).strip(_EDGE)
        tokens = list(words(text))
        lead, trail = _fillers()
        while tokens and tokens[0] in lead:
            tokens.pop(0)
        while tokens and tokens[-1] in trail:
            tokens.pop()
        text = _balance_quotes("".join(tokens).strip(_EDGE))
    return text


def _balance_quotes(text: str) -> str:
    if text.startswith("”"):
        text = text[1:]
    if text.endswith("“"):
        text = text[:-1]
    if text.count("“") > text.count("”") and text.startswith("“"):
        text = text[1:]
    if text.count("”") > text.count("“") and text.endswith("”"):
        text = text[:-1]
    return text


def is_generic(subject: str) -> bool:
    return not subject or subject in _generic()


_NOT_COMPARED = regex.compile(r"[“”\"'‘’（）()《》〈〉、的\s]")


@lru_cache(maxsize=16384)
def subject_key(subject: str) -> str:
    """The form subjects are compared in: no quotes, brackets or 的."""
    return _NOT_COMPARED.sub("", subject)


def compatible(a: str, b: str) -> bool:
    """Can two subjects name the same quantity? One contains the other, after normalising."""
    ka, kb = subject_key(a), subject_key(b)
    if not ka or not kb:
        return False
    return ka in kb or kb in ka


_YEAR_NAMED = regex.compile(r"((?:19|20)\d{2})年(?!初|末)")
_PRIOR_NAMED = regex.compile(r"上年度?|上一年度?|去年")
_CURRENT_NAMED = regex.compile(r"本年|今年|当年")


def stated_year(raw: str, report_year: int | None, carried: int | None = None) -> int | None:
    """The year a subject's own time words name: '2020年收入总计' → 2020, '上年支出' → the year before.

    `carried` is the year of the amount before it in the same sentence: "2020 年决算总收入 X 万元，预算支出
    Y 万元" speaks of 2020 throughout, unless the subject names the current year (本年, 当年).
    """
    m = _YEAR_NAMED.search(raw)
    if m:
        return int(m.group(1))
    if _PRIOR_NAMED.search(raw) and report_year:
        return report_year - 1
    if _CURRENT_NAMED.search(raw):
        return None
    return carried
