"""Interval arithmetic over stated figures (the XBRL calculation 1.1 idea).

A figure printed as '19.1' stands for any value that rounds to it:
[19.05, 19.15]. A check fails only when no choice of values inside the
stated intervals reproduces what was stated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Literal

from .models.claims import Figure

Rounding = Literal["round", "truncate", "either"]

HALF = Decimal("0.5")


@dataclass(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    @classmethod
    def exact(cls, value: Decimal) -> "Interval":
        return cls(value, value)

    @classmethod
    def stated(cls, value: Decimal, exponent: int, scale: Decimal = Decimal(1), rounding: Rounding = "round") -> "Interval":
        """The values that print as `value` with `exponent` digits, times `scale`."""
        unit = Decimal(1).scaleb(exponent)
        if rounding == "round":
            lo, hi = value - unit * HALF, value + unit * HALF
        elif value == 0:
            # A truncated zero ("0", "-0") may have been cut from either side of zero.
            lo, hi = -unit, unit
        elif rounding == "truncate":
            lo, hi = (value, value + unit) if value > 0 else (value - unit, value)
        else:
            lo, hi = (value - unit * HALF, value + unit) if value > 0 else (value - unit, value + unit * HALF)
        return cls(lo * scale, hi * scale)

    @classmethod
    def of(cls, figure: Figure, rounding: Rounding = "round") -> "Interval":
        return cls.stated(figure.value, figure.exponent, figure.scale, rounding)

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: "Interval") -> "Interval":
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __neg__(self) -> "Interval":
        return Interval(-self.hi, -self.lo)

    def __mul__(self, other: "Interval") -> "Interval":
        products = [self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi]
        return Interval(min(products), max(products))

    def scale(self, factor: Decimal) -> "Interval":
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def contains_zero(self) -> bool:
        return self.lo <= 0 <= self.hi

    def __truediv__(self, other: "Interval") -> "Interval | None":
        """None when the divisor may be zero: the quotient is then unbounded."""
        if other.contains_zero():
            return None
        with localcontext() as ctx:
            ctx.prec = 34
            candidates = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(candidates), max(candidates))

    def overlaps(self, other: "Interval") -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def intersect(self, other: "Interval") -> "Interval | None":
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return Interval(lo, hi) if lo <= hi else None


def sum_intervals(intervals) -> Interval:
    total = Interval.exact(Decimal(0))
    for iv in intervals:
        total = total + iv
    return total
