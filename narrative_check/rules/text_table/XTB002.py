from __future__ import annotations

from ...not_checked import Reason
from ...models.claims import ChangeClaim
from ..arithmetic._change import change_figures
from ..base import Rule, baseline_word, fmt_figure_value, register
from ._common import describe, link_cell, link_interval


@register
class BaselineTableMismatch(Rule):
    """What it checks:
    A change against the table column of the year it is compared with: the baseline the
    narrative implies (current value minus the increase, plus the decrease) against the cell of the
    same quantity in that year's column ("2023年预算数").

    Why it matters:
    A change computed from a different base than the one the tables print is a change of nothing
    the reader can verify; it usually means the prior-year figure was revised and the text was not.

    Example:
    2024年一般公共预算财政拨款支出5,738.89万元，比2023年增加1,154.93万元。(2023年预算数 合计 4,683.96)

    Instead:
    2024年一般公共预算财政拨款支出5,738.89万元，比2023年增加1,054.93万元。

    检查内容：
    变动所依据的基数与表中比较年度那一列：按本年数减去增加额（或加上减少额）推算出的基数，句中写明基数的
    则用写明的数，应等于表中同一数据在该年度列（“2023年预算数”）中的数。允许四舍五入误差；约数和写作
    “增加（减少）”的模板句不检查。

    为何重要：
    用与表中不同的基数算出的变动，读者无从核对；通常是上年数修订后，文字没有跟着改。

    示例：
    2024年一般公共预算财政拨款支出5,738.89万元，比2023年增加1,154.93万元。
    （推算 2023 年数为 5,738.89 − 1,154.93 = 4,583.96 万元，而表中 2023 年预算数合计为 4,683.96 万元。）

    改为：
    2024年一般公共预算财政拨款支出5,738.89万元，比2023年增加1,054.93万元。
    """

    code = "XTB002"
    name = "baseline-table-mismatch"
    severity = "error"
    summary = "变动的基数与表中上年数不符"

    def check(self, ctx):
        for change in ctx.of_kind("change"):
            change: ChangeClaim
            links = [l for l in change.links if l.role == "base"]
            if not links:
                continue
            figs = change_figures(ctx, change)
            if isinstance(figs, Reason):
                continue
            ctx.mark_checked(change)
            if any(figs.base.overlaps(link_interval(ctx, l)) for l in links):
                continue
            first = links[0]
            yield ctx.finding(
                self,
                change,
                f"按文中数字推算{baseline_word(change)}为 {fmt_figure_value(figs.base_point, change.current)}，"
                f"而{describe(first)}",
                stated=fmt_figure_value(figs.base_point, change.current),
                # a blank cell names no figure to write: the message says it is blank, and no correction is offered
                expected=None if first.value is None else f"{format(first.value, 'f')} {first.unit or '万元'}",
                related=[(link_cell(ctx, l), describe(l)) for l in links],
            )
