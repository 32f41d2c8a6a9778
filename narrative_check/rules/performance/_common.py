"""Helpers shared by the performance-table rules."""

from __future__ import annotations

from decimal import Decimal

from ...extract.performance import PerformanceUnit, number, performance_units
from ...interval import Interval
from ...models.document import Cell


def units(ctx) -> list[PerformanceUnit]:
    if "performance_units" not in ctx.cache:
        ctx.cache["performance_units"] = [u for t in ctx.doc.tables if t.flow == "performance" for u in performance_units(t)]
    return ctx.cache["performance_units"]


def interval(cell: Cell | None) -> Interval | None:
    value = number(cell)
    if value is None:
        return None
    return Interval.stated(value, value.as_tuple().exponent)  # type: ignore[arg-type]


def points(cell: Cell | None) -> Interval | None:
    """Weights and scores are set by hand, not rounded from a computation: they are exact."""
    value = number(cell)
    return None if value is None else Interval.exact(value)


def total(cells) -> tuple[Interval, Decimal]:
    """The exact sum of weights or scores."""
    present = [v for v in (number(c) for c in cells) if v is not None]
    exact = sum(present, Decimal(0))
    return Interval.exact(exact), exact


def rate_weight(unit: PerformanceUnit) -> Cell | None:
    return unit.funds.rate_weight if unit.funds and unit.funds.rate_weight else unit.rate_weight


def title(unit: PerformanceUnit) -> str:
    return f"《{unit.table.title or '绩效表'}》"
