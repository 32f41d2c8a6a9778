from __future__ import annotations

from decimal import Decimal

from ... import not_checked
from ...interval import sum_intervals
from ...models.claims import ChangeClaim, ReasonClaim
from ..base import DIRECTION_WORD, Rule, fmt_figure_value, register


@register
class ReasonSumMismatch(Rule):
    """What it checks:
    A reason list in which every component states a signed amount ("一是……减少 326.25 万元；二是……
    增加 2092.01 万元……") against the change it explains: the signed amounts should add up to it.

    Why it matters:
    When each cause carries an amount, readers take the list as the full account of the change.
    A list that adds up to something else was usually pasted from another section with only some
    of its numbers edited. It is a warning, not an error, because "主要原因" may leave minor causes out.

    Example:
    支出比 2023 年增加 1,054.93 万元，主要是基本支出增加 96.87 万元，项目支出增加 858.06 万元。

    Instead:
    支出比 2023 年增加 1,054.93 万元，主要是基本支出增加 96.87 万元，项目支出增加 958.06 万元。

    检查内容：
    原因说明中每一项都写了带方向的金额（“一是……减少 326.25 万元；二是……增加 2092.01 万元……”）时，各项
    金额增减相抵后的合计，应等于所解释的变动额。有一项原因没有写金额、写了金额的不足两项，或所解释的变动
    没有写变动额的，不检查。

    为何重要：
    每条原因都带金额时，读者会把它当作变动的完整说明；合计对不上，多半是从别处粘贴、只改了部分数字。
    “主要原因”可以略去次要因素，所以只作提示，不作错误。

    示例：
    支出比 2023 年增加 1,054.93 万元，主要是基本支出增加 96.87 万元，项目支出增加 858.06 万元。
    （96.87 + 858.06 = 954.93 万元，比变动额少 100 万元。）

    改为：
    支出比 2023 年增加 1,054.93 万元，主要是基本支出增加 96.87 万元，项目支出增加 958.06 万元。
    """

    code = "ARI010"
    name = "reason-sum-mismatch"
    severity = "warning"
    summary = "原因分项金额合计与变动额不符"

    def check(self, ctx):
        for reason in ctx.of_kind("reason"):
            reason: ReasonClaim
            change = ctx.by_id.get(reason.change) if reason.change else None
            items = [item for comp in reason.components for item in comp.items]
            if not isinstance(change, ChangeClaim) or change.delta is None or change.direction not in ("increase", "decrease"):
                ctx.skip(reason, not_checked.NO_CHANGE_TO_COMPARE)
                continue
            if len(items) < 2 or any(not comp.items for comp in reason.components):
                ctx.skip(reason, not_checked.COMPONENT_WITHOUT_AMOUNT)
                continue
            ctx.mark_checked(reason)
            total = sum_intervals(
                ctx.interval(i.amount) if i.direction == "increase" else -ctx.interval(i.amount)
                for i in items if i.direction != "flat"
            )
            delta = ctx.interval(change.delta)
            if change.direction == "decrease":
                delta = -delta
            if total.overlaps(delta):
                continue
            point = sum((i.signed_yuan for i in items), Decimal(0))
            word = "增加" if point >= 0 else "减少"
            yield ctx.finding(
                self,
                reason,
                f"原因中 {len(items)} 项金额合计{word} {fmt_figure_value(abs(point), change.delta)}，"
                f"与所解释的{change.subject}{DIRECTION_WORD[change.direction]} {change.delta.text} 不符",
                stated=f"{word}{fmt_figure_value(abs(point), change.delta)}",
                expected=f"{DIRECTION_WORD[change.direction]}{change.delta.text}",
                related=[(change, "所解释的变动")],
            )
