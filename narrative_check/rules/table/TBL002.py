from __future__ import annotations

from collections import defaultdict

from ..base import Rule, register, table_name
from ._common import analysed_tables, cell_of, column_mismatches, column_name, record_name, show


@register
class ChildrenSumMismatch(Rule):
    """What it checks:
    A 功能分类 or 经济分类 code against the codes below it in the same table and column: a 类 (3
    digits) is the sum of its 款 (5 digits), a 款 the sum of its 项 (7 digits); 301 is the sum of
    30101, 30102 …. Only parents whose children are listed are checked; rounding is allowed for.

    Why it matters:
    The classification is a tree; when a parent does not add up, a line was dropped, duplicated or
    mistyped, and totals built on it are wrong.

    Example:
    208	社会保障和就业支出	5,657.65 (its 款 add up to 5,557.65)

    Instead:
    208	社会保障和就业支出	5,557.65

    检查内容：
    同一张表、同一列中，功能分类或经济分类科目与其下级科目：类（3 位编码）应等于所列各款（5 位）之和，
    款应等于所列各项（7 位）之和；经济分类 301 应等于 30101、30102……之和。只检查表中列出了下级科目的
    上级科目；允许四舍五入误差。

    为何重要：
    科目是逐级汇总的；上级科目不等于下级科目之和，说明有一行漏列、重列或录错，据此汇总的合计也就错了。

    示例：
    208	社会保障和就业支出	5,657.65
    （其下各款合计为 5,557.65。）

    改为：
    208	社会保障和就业支出	5,557.65
    """

    code = "TBL002"
    name = "children-sum-mismatch"
    severity = "error"
    summary = "上级科目不等于下级科目之和"

    def check(self, ctx):
        for table in analysed_tables(ctx):
            by_block = defaultdict(list)
            for rec in table.records:
                if rec.code and not rec.code_inferred:
                    by_block[rec.block].append(rec)
            for records in by_block.values():
                codes = {r.code for r in records}
                # Children by parent code, in table order: one pass, not a scan of the block per line.
                children_of = defaultdict(list)
                for r in records:
                    children_of[r.code[:-2]].append(r)
                for parent in records:
                    children = children_of.get(parent.code, [])
                    if not children or len(parent.code) not in (3, 5) or parent.code not in codes:
                        continue
                    for pv, exact, cell in column_mismatches(ctx, table, parent, children, need_parts=False):
                        yield ctx.finding(
                            self,
                            cell,
                            f"{table_name(table)}{record_name(parent)}（{column_name(table, pv.col)}）为 {show(pv.value)}，"
                            f"其 {len(children)} 个下级科目合计 {exact}",
                            stated=show(pv.value),
                            expected=format(exact, "f"),
                            related=[(cell_of(table, c.row, pv.col), record_name(c)) for c in children if pv.col < len(table.rows[c.row].cells)],
                        )
