"""The tokens of a claim sentence: figures, baselines, direction words, markers.

The scanner runs one compiled pattern over normalised paragraph text. Every
word list comes from ``lexicons/``; only the grammar around them lives here.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

import regex

from .. import lexicons
from ..models.claims import Baseline
from .numbers import NUMBER, _alternation, units

_BASE_SUFFIX = "年初预算数|调整预算数|决算数|预算数|执行数|支出数|实际数|同期|决算|预算"
_YEAR = r"(?:19|20)\d{2}"


@dataclass(slots=True)
class Token:
    kind: str
    start: int
    end: int
    text: str
    number: str | None = None
    unit: str | None = None
    direction: str | None = None
    percent_only: bool = False
    bare: bool = True
    baseline: Baseline | None = None
    base_value_follows: bool = False
    position: int = 0  # an enumerator's place in its list ('一是' → 1), from the lexicon


@lru_cache(maxsize=1)
def _verbs() -> dict[str, tuple[str, bool, bool]]:
    """word → (direction, percent_only, bare)."""
    return {row[0]: (row[1], row[2] == "percent", (row[3] if len(row) > 3 else "yes") == "yes") for row in lexicons.rows("change_verbs.tsv")}


def direction_of(word: str) -> str | None:
    """'increase', 'decrease' or 'flat' for a direction word of the lexicon, None for other words."""
    entry = _verbs().get(word)
    return entry[0] if entry else None


@lru_cache(maxsize=1)
def direction_words() -> regex.Pattern:
    """Any direction word of the lexicon, the longest first (增长率 before 增长)."""
    return regex.compile("|".join(regex.escape(w) for w in sorted(_verbs(), key=len, reverse=True)))


@lru_cache(maxsize=1)
def direction_opposites() -> dict[str, str]:
    """Each direction word with the word of the other direction the template pairs it with
    (增加↔减少, 增长↔下降), from lexicons/change_verbs.tsv."""
    return {row[0]: row[4] for row in lexicons.rows("change_verbs.tsv") if len(row) > 4 and row[4]}


@lru_cache(maxsize=1)
def baseline_kinds() -> dict[str, str]:
    """Each baseline phrase (上年, 上年决算数, 年初预算 …) to its kind."""
    return {row[0]: row[1] for row in lexicons.rows("baselines.tsv")}


@lru_cache(maxsize=1)
def _enumerators() -> dict[str, int]:
    return {row[0]: int(row[1]) for row in lexicons.rows("enumerators.tsv")}


@lru_cache(maxsize=1)
def _per_unit_prefixes() -> tuple[str, ...]:
    return lexicons.words("per_unit.tsv")


_DELIMS = "，；。：:、！？!?"
# What the fixed parts of the pattern below can start with: the words of BASE, ENUM's and DIR's
# brackets, circled numbers, SHARE, COMP, DELIM, BRACKET, and a figure's sign or digit.
_FIXED_STARTS = "较比相对与由从同环（()）占其-" + _DELIMS


def _pattern() -> str:
    verbs = _verbs()
    ups = [w for w, (d, p, _) in verbs.items() if d == "increase" and not p]
    downs = [w for w, (d, p, _) in verbs.items() if d == "decrease" and not p]
    bases = _alternation(baseline_kinds())

    def year_base(g: str) -> str:
        return rf"(?P<{g}y>{_YEAR})年度?(?:的)?(?P<{g}s>{_BASE_SUFFIX})?"

    pattern = rf"""
      (?P<TEMPLATE>(?:{_alternation(ups)})[（(](?:{_alternation(downs)})[）)]|(?:{_alternation(downs)})[（(](?:{_alternation(ups)})[）)])
    | (?P<BASE>
          (?:较|比|相较于?|相比于?|相对于|对比)(?:{year_base('c')}|(?P<cp>{bases}))
        | 与(?:{year_base('w')}|(?P<wp>{bases}))(?:相比|比较|相较|对比)
        | 与(?:{year_base('f')}|(?P<fp>{bases}))(?=(?:基本)?(?:持平|一致|相同))
        | (?P<fro>由|从)(?:{year_base('r')}|(?P<rp>{bases}))?(?:的)?(?=-?\d)
        | (?P<yoy>同比|环比)
      )
    | (?P<REASON>{_alternation(lexicons.words("reason_markers.tsv"))})
    | (?P<USAGE>{_alternation(lexicons.words("usage_markers.tsv"))})
    | (?P<PERUNIT>{_alternation(_per_unit_prefixes())})
    | (?P<ENUM>{_alternation(_enumerators())}|[（(]\d{{1,2}}[）)]|[（(][一二三四五六七八九十]{{1,3}}[）)]|[①-⑳]|(?<![\d.])\d{{1,2}}[、.](?!\d))
    | (?P<FIG>(?P<num>{NUMBER})(?P<unit>{_alternation(units())}))
    | (?P<DIR>(?P<dirb>[（(])?(?P<verb>{_alternation(verbs)})(?(dirb)[）)]|)了?)
    | (?P<SHARE>占比|占)
    | (?P<COMP>其中)
    | (?P<DELIM>[{_DELIMS}])
    | (?P<BRACKET>[（()）])
    """
    return pattern


def _first_characters() -> str:
    """A character class of every character a token can start with."""
    words = [*_verbs(), *baseline_kinds(), *lexicons.words("reason_markers.tsv"), *lexicons.words("usage_markers.tsv"),
             *_per_unit_prefixes(), *_enumerators()]
    chars = sorted({w[0] for w in words if w} | set(_FIXED_STARTS))
    return "[" + "".join(regex.escape(c) for c in chars) + r"\d①-⑳]"


@lru_cache(maxsize=1)
def scanner() -> re.Pattern | regex.Pattern:
    # A look-ahead on the first character lets the engine pass over the positions no token
    # starts at (most of a paragraph) with one test instead of trying every alternative:
    # scanning takes a third of the time, with the same matches (tests/test_extract.py).
    # The stdlib engine runs this one large alternation about three times faster than `regex`
    # (it is every paragraph's first pass; benchmarks/bench_check.py), with the same matches
    # (tests/test_extract.py). Possessive quantifiers (in NUMBER) need Python 3.11 there.
    engine = re if sys.version_info >= (3, 11) else regex
    return engine.compile(f"(?={_first_characters()})(?:{_pattern()})", engine.VERBOSE)


_KINDS = ("TEMPLATE", "BASE", "REASON", "USAGE", "PERUNIT", "ENUM", "FIG", "DIR", "SHARE", "COMP", "DELIM", "BRACKET")


def scan(text: str, limit: int | None = None) -> list[Token]:
    """The tokens of a normalised paragraph; with `limit`, at most limit + 1 of them (enough for
    the caller to know there are more than it will take)."""
    tokens: list[Token] = []
    verbs = _verbs()
    bases = baseline_kinds()
    for m in scanner().finditer(text):
        if limit is not None and len(tokens) > limit:
            break
        # Each kind's group encloses its inner groups and so closes last: lastgroup names the kind.
        # The search over all kinds is kept for safety should an alternative ever end in a group.
        kind = m.lastgroup
        if kind not in _KINDS:
            kind = next(name for name in _KINDS if m.group(name) is not None)
        tok = Token(kind=kind, start=m.start(), end=m.end(), text=m.group())
        if kind == "FIG":
            tok.number, tok.unit = m.group("num"), m.group("unit")
        elif kind == "DIR":
            direction, percent_only, bare = verbs[m.group("verb")]
            tok.direction, tok.percent_only, tok.bare = direction, percent_only, bare
        elif kind == "BASE":
            tok.baseline, tok.base_value_follows = _baseline(m, bases)
        elif kind == "ENUM":
            tok.position = _enumerators().get(m.group(), 0)
        tokens.append(tok)
    return tokens


def _baseline(m: re.Match | regex.Match, bases: dict[str, str]) -> tuple[Baseline, bool]:
    if m.group("yoy"):
        return Baseline(kind="prior_year", text=m.group("yoy")), False
    for g in ("c", "w", "f", "r"):
        year = m.group(f"{g}y")
        phrase = m.group(f"{g}p")
        if year:
            suffix = m.group(f"{g}s") or ""
            kind = "year"
            if "年初预算" in suffix:
                kind = "initial_budget"
            elif "调整预算" in suffix:
                kind = "adjusted_budget"
            elif "决算" in suffix:
                kind = "year_final"
            elif "预算" in suffix:
                kind = "year_budget"
            return Baseline(kind=kind, text=m.group(), year=int(year)), g == "r"
        if phrase:
            return Baseline(kind=bases[phrase], text=m.group()), g == "r"
    if m.group("fro"):
        return Baseline(kind="stated", text=m.group()), True  # '由 2450 万元调整为 …': only its value is given
    return Baseline(kind="unknown", text=m.group()), False  # pragma: no cover
