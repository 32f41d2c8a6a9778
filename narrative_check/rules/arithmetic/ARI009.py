from __future__ import annotations

from decimal import Decimal

from ... import not_checked
from ...interval import Interval
from ...models.claims import PerUnitClaim
from ..base import Rule, fmt_figure_value, one_slip_apart, register


@register
class PerUnitMismatch(Rule):
    """What it checks:
    A per-unit figure ("人均接待费 96.52 元", "车均维护费 3.00 万元") against the total and the count
    it is derived from, found by subject in the report ("公务接待费 2.78 万元", "接待 33 批次 288 人",
    "公务车保有量为 2 辆").

    Why it matters:
    Per-unit figures are what the public compares across departments; one computed from last
    year's total or the wrong count misleads exactly those readers.

    Example:
    公务接待费 2.78 万元……国内公务接待 33 批次 288 人……人均接待费 115.83 元。

    Instead:
    公务接待费 2.78 万元……国内公务接待 33 批次 288 人……人均接待费 96.53 元。

    检查内容：
    人均、车均等平均数（“人均接待费 96.53 元”“车均维护费 3.00 万元”）与计算它的总额和数量：按主语在报告
    中找到总额（“公务接待费 2.78 万元”）和数量（“接待 33 批次 288 人”“公务车保有量为 2 辆”），平均数应
    等于总额除以数量。找不到总额或数量、数量为零、金额为约数的，不检查。

    为何重要：
    平均数是公众跨部门比较的数字；用上年总额或错的数量算出的平均数，误导的正是这些读者。

    示例：
    公务接待费 2.78 万元……国内公务接待 33 批次 288 人……人均接待费 115.83 元。
    （27800 元 ÷ 288 人 = 96.53 元；115.83 元是按 240 人算的。）

    改为：
    公务接待费 2.78 万元……国内公务接待 33 批次 288 人……人均接待费 96.53 元。
    """

    code = "ARI009"
    name = "per-unit-mismatch"
    severity = "error"
    summary = "人均/车均数与总额、数量不符"

    def check(self, ctx):
        for claim in ctx.of_kind("per_unit"):
            claim: PerUnitClaim
            if claim.total is None or claim.count is None:
                ctx.skip(claim, not_checked.TOTAL_OR_COUNT_NOT_FOUND)
                continue
            if claim.count.value == 0:
                ctx.skip(claim, not_checked.COUNT_IS_ZERO)
                continue
            if claim.total.qualifier or claim.value.qualifier or claim.total.kind != "money" or claim.value.kind != "money":
                ctx.skip(claim, not_checked.NOT_EXACT_AMOUNTS)
                continue
            ctx.mark_checked(claim)
            implied = ctx.interval(claim.total) / Interval.exact(claim.count.value)
            if implied is None or implied.overlaps(ctx.interval(claim.value)):
                continue
            expected = claim.total.yuan / claim.count.value
            yield ctx.finding(
                self,
                claim,
                f"文中{claim.subject} {claim.value.text}，按{claim.total_subject} {claim.total.text} ÷ "
                f"{claim.count.text} 计算应为 {fmt_figure_value(expected, claim.value)}",
                stated=claim.value.text,
                expected=fmt_figure_value(expected, claim.value),
                fix=ctx.figure_fix(claim.value, expected / claim.value.scale) if not _total_or_count_slipped(claim) else None,
            )


def _total_or_count_slipped(claim: PerUnitClaim) -> bool:
    """Could the total or the count be the slip instead: the count the per-unit figure implies is
    a whole number one typing slip from the count written (139 for 193), or the total it implies
    one slip from the total written?"""
    implied_count = claim.total.yuan / claim.value.yuan if claim.value.yuan else None
    if implied_count is not None:
        whole = implied_count.to_integral_value()
        # a whole count, to within what the per-unit figure's rounding allows
        tolerance = implied_count * Decimal(1).scaleb(claim.value.exponent) / 2 / claim.value.value if claim.value.value else 0
        if whole > 0 and abs(implied_count - whole) <= tolerance and one_slip_apart(claim.count, whole):
            return True
    return one_slip_apart(claim.total, claim.value.yuan * claim.count.value / claim.total.scale)
