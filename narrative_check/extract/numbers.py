"""Numbers, units and the tokens of change statements, on normalised text.

A stated figure keeps its digits: '9909.15 万元' is 9909.15 with exponent -2,
so rules know it stands for anything in [9909.145, 9909.155].
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache

import regex

from .. import lexicons
from ..models.claims import Figure

# Possessive quantifiers: the lookahead already rejects any shorter reading of a digit
# run, so backtracking into it can never match and is quadratic on long digit runs.
NUMBER = r"(?<![\d.A-Za-z])-?\d++(?:\.\d++)?+(?![\d.]*\d)"


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    scale: Decimal


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    return {row[0]: Unit(row[0], row[1], Decimal(row[2])) for row in lexicons.rows("units.tsv")}


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def figure_pattern() -> regex.Pattern:
    return regex.compile(rf"(?P<num>{NUMBER})(?P<unit>{_alternation(units())})")


def parse_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def round_half_up(value: Decimal, places: int) -> Decimal:
    """`value` rounded half up to `places` decimals, as Excel and a report's author round
    (12.5 → 13), at any magnitude: the default context's 28 digits would make quantize raise
    on a 30-digit figure or on 30 places."""
    digits = Context(prec=max(28, value.adjusted() + places + 2))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=digits)


def make_figure(number: str, unit: str, start: int, end: int, text: str) -> Figure | None:
    value = parse_decimal(number)
    if value is None:
        return None
    u = units()[unit]
    return Figure(
        kind=u.kind,  # type: ignore[arg-type]
        value=value,
        unit=unit,
        scale=u.scale,
        exponent=value.as_tuple().exponent,  # type: ignore[arg-type]
        text=text,
        start=start,
        end=end,
    )


def parse_figure(text: str) -> Figure | None:
    """A whole string read as one figure ('2,343.3 万元'), for tests and table cells."""
    from .normalize import normalize

    norm = normalize(text)
    m = figure_pattern().fullmatch(norm)
    if not m:
        return None
    return make_figure(m.group("num"), m.group("unit"), 0, len(text), text)
