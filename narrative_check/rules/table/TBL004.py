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

    检查内容：
    同一数据印在两张表中时，两处应一致：同一科目编码（或表合计、总计），同一资金口径、收支方向、栏目含义、
    年度和预算或决算口径。《支出决算表》与《一般公共预算财政拨款支出决算表》只在两者口径相同之处比较；两数
    之差在四舍五入范围内（如 0.01）的不报告。同一行的预算数与决算数本就不同，不相比较；没有科目编码、只有
    自由名称的行不跨表比较，因为同一名称在不同表中可能所指不同。

    为何重要：
    读者会跨表核对；同一数据有两个数值，说明更正后有一张表没有跟着改。

    示例：
    《收入支出决算总表》本年支出合计 9,909.15，而《支出决算表》合计 9,809.15。

    改为：
    《收入支出决算总表》本年支出合计 9,909.15，《支出决算表》合计 9,909.15。
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
