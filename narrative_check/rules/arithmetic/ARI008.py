from __future__ import annotations

from decimal import Decimal

from ...interval import sum_intervals
from ...models.claims import CompositionClaim
from ..base import Rule, fmt, register


@register
class CompositionSharesTotal(Rule):
    """What it checks:
    The shares stated for the parts of one whole. They can never add up to more than 100%; when the
    parts add up to the whole, their shares must add up to 100%. Each share may be off by half a unit
    of its last digit, so 57% + 31.2% + 4.1% + 6.8% + 1% = 100.1% is fine.

    Why it matters:
    Shares that add up to 104% tell the reader at once that the figures cannot be trusted.

    Example:
    2021 年度支出合计 9909.15 万元。其中：基本支出 1648.02 万元，占 16.6%；项目支出 8261.13 万元，占 88.4%。

    Instead:
    2021 年度支出合计 9909.15 万元。其中：基本支出 1648.02 万元，占 16.6%；项目支出 8261.13 万元，占 83.4%。

    检查内容：
    同一总数下各分项所写占比之和：无论如何不得超过 100%；各分项金额之和等于总数时，占比之和应等于 100%。
    每个占比允许末位半个单位的四舍五入误差，所以 57% + 31.2% + 4.1% + 6.8% + 1% = 100.1% 不报告。
    写了占比的分项少于两个的，不检查。

    为何重要：
    占比合计为 104% 的表述，读者一眼就知道数字不可信；各项占比常在金额修改后手工重算，漏改一项就会如此。

    示例：
    2021 年度支出合计 9909.15 万元，其中：基本支出 1648.02 万元，占 16.6%；项目支出 8261.13 万元，占 88.4%。
    （占比合计 105%。）

    改为：
    2021 年度支出合计 9909.15 万元，其中：基本支出 1648.02 万元，占 16.6%；项目支出 8261.13 万元，占 83.4%。
    （8261.13 ÷ 9909.15 = 83.4%，16.6% + 83.4% = 100%。）
    """

    code = "ARI008"
    name = "composition-shares-total"
    severity = "error"
    summary = "分项占比合计不为 100%"

    def check(self, ctx):
        for comp in ctx.of_kind("composition"):
            comp: CompositionClaim
            shares = [p.percent for p in comp.parts if p.percent is not None]
            if len(shares) < 2:
                continue
            ctx.mark_checked(comp)
            total = sum_intervals(ctx.interval(s) for s in shares)
            stated_sum = sum((s.value for s in shares), Decimal(0))
            hundred = Decimal(100)
            covers_whole = len(shares) == len(comp.parts) and (
                sum_intervals(ctx.interval(p.value) for p in comp.parts).overlaps(ctx.interval(comp.whole))
            )
            if total.lo > hundred or (covers_whole and total.hi < hundred):
                yield ctx.finding(
                    self,
                    comp,
                    f"{comp.whole_subject}的 {len(shares)} 个分项占比合计 {fmt(stated_sum, 2)}%，"
                    + ("超过 100%" if total.lo > hundred else "而分项金额之和等于总数，占比合计应为 100%"),
                    stated=f"{fmt(stated_sum, 2)}%",
                    expected="100%",
                )
