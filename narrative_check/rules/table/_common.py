"""Helpers shared by the table rules."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from ... import lexicons
from ...interval import Interval, sum_intervals
from ...models.document import Cell, Record, RecordValue, Table
from ..base import RuleContext, fmt

ZERO = Decimal(0)


def cell_interval(ctx: RuleContext, value: Decimal | None) -> Interval:
    """An empty cell is an exact zero; a printed one stands for what rounds to it."""
    if value is None:
        return Interval.exact(ZERO)
    return Interval.stated(value, value.as_tuple().exponent, rounding=ctx.settings.rounding)  # type: ignore[arg-type]


def cell_of(table: Table, row: int, col: int) -> Cell:
    return table.rows[row].cells[col]


def record_name(rec: Record) -> str:
    if rec.code and rec.label:
        return f"{rec.code} {rec.label}"
    return rec.code or rec.label or f"第 {rec.row + 1} 行"


def column_name(table: Table, col: int) -> str:
    for c in table.columns:
        if c.index == col:
            return "/".join(c.header) or f"第 {col + 1} 列"
    return f"第 {col + 1} 列"


def show(value: Decimal | None) -> str:
    return format(value, "f") if value is not None else "空"


def sum_check(ctx: RuleContext, total: RecordValue | Decimal | None, parts: list) -> tuple[bool, Decimal]:
    """(consistent, exact sum of the parts as printed)."""
    t = total.value if isinstance(total, RecordValue) else total
    values = [p.value if isinstance(p, RecordValue) else p for p in parts]
    exact = sum((v for v in values if v is not None), ZERO)
    if exact == (ZERO if t is None else t):
        return True, exact  # the printed figures add up: every interval holds its printed value
    interval = sum_intervals(cell_interval(ctx, v) for v in values)
    return interval.overlaps(cell_interval(ctx, t)), exact


def column_mismatches(ctx: RuleContext, table: Table, whole: Record, parts: list[Record], *, need_parts: bool):
    """(whole's value, exact sum of the parts, whole's cell) for each column where they disagree.

    With `need_parts`, a column in which no part has a figure is passed over: a figure alone in
    its column is a shifted cell, not a sum.
    """
    by_col: dict[int, list[RecordValue]] = {}
    for p in parts:
        for v in p.values:
            by_col.setdefault(v.col, []).append(v)
    for wv in whole.values:
        values = by_col.get(wv.col, [])
        if wv.value is None and all(v.value is None for v in values):
            continue
        if need_parts and (wv.value is None or all(v.value is None for v in values)):
            continue
        ok, exact = sum_check(ctx, wv, values)
        if not ok:
            yield wv, exact, cell_of(table, whole.row, wv.col)


def fact_interval(ctx: RuleContext, fact) -> Interval:
    """A fact's printed value as an interval in 元."""
    return cell_interval(ctx, fact.value).scale(fact.scale)


def fact_text(fact) -> str:
    if fact.value is None:
        return "空"
    return f"{format(fact.value, 'f')} {fact.table.unit or '万元'}"


@lru_cache(maxsize=1)
def row_identities() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(total role, part roles, table flows) of `lexicons/row_identities.tsv`: TBL001 holds a line's
    columns to them, TBL003 a 合计 line to the lines below it."""
    return [(r[0], tuple(r[1].split(",")), tuple(r[2].split(","))) for r in lexicons.rows("row_identities.tsv")]


def analysed_tables(ctx: RuleContext):
    for table in ctx.doc.tables:
        if table.kind is not None and table.flow != "performance" and table.records:
            yield table


__all__ = ["ZERO", "analysed_tables", "row_identities", "column_mismatches", "fact_interval", "fact_text", "cell_interval", "cell_of", "column_name", "fmt", "record_name", "show", "sum_check"]
