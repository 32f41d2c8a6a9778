from __future__ import annotations

from collections import defaultdict

from ..base import Rule, register
from ._common import fact_interval, fact_text


@register
class CrossTableMismatch(Rule):
    """What it checks:
    The same figure printed in two tables: the same code (or the table total, or the grand total),
    the same funding scope, flow, column role, year and basis. 《支出决算表》 and 《一般公共预算财政
    拨款支出决算表》 are compared only where their scopes coincide; a 0.01 difference from rounding is
    allowed.

    Why it matters:
    Readers cross-check tables; two values for one quantity mean one table was not updated after
    a correction.

    Example:
    《收入支出决算总表》本年支出合计 9,909.15 and 《支出决算表》合计 9,809.15

    Instead:
    The same 9,909.15 in both tables.
    """

    code = "TBL004"
    name = "cross-table-mismatch"
    severity = "error"
    summary = "同一数据在不同表中不一致"

    def check(self, ctx):
        groups = defaultdict(list)
        for fact in ctx.facts:
            if fact.key.item.startswith("L:"):
                continue  # a free label may mean different things in different tables
            groups[fact.key.loose()].append(fact)
        for facts in groups.values():
            tables = {f.table.index for f in facts}
            if len(tables) < 2:
                continue
            first = next((f for f in facts if f.value is not None), None)
            if first is None:
                continue
            a = fact_interval(ctx, first)
            for other in facts:
                if other.table.index == first.table.index:
                    continue
                if first.key.basis and other.key.basis and first.key.basis != other.key.basis:
                    continue  # 预算数 and 决算数 of one line differ by design
                if other.value == first.value and other.table.unit == first.table.unit:
                    continue  # the same printed figure (most pairs): no interval needed
                if a.overlaps(fact_interval(ctx, other)):
                    continue
                yield ctx.finding(
                    self,
                    other.cell,
                    f"{other.describe()} 为 {fact_text(other)}，而{first.describe()} 为 {fact_text(first)}",
                    stated=fact_text(other),
                    expected=fact_text(first),
                    related=[(first.cell, first.describe())],
                )
