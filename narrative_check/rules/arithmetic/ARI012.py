from __future__ import annotations

from decimal import Decimal

from ... import not_checked
from ...models.claims import ShareClaim
from ..base import Rule, fmt, percent_places, register


@register
class NamedRateFitsNoWhole(Rule):
    """What it checks:
    A rate named by its word alone, after the amount it is of ("支付 21966.95 万元，支付率 68.7%"),
    against every amount named before that one in the sentence ("收到直达资金 34509 万元，分配资金
    34568.64 万元"): the text does not say which of them the rate divides by, so it is reported only
    when it fits none of them. A rate one unit off in its last place fits (a rounding chain).

    Why it matters:
    分配率, 支付率, 执行率 and 到位率 are the figures supervisors read first. One that no figure of
    its own sentence gives was left from an earlier draft or computed from another period's amounts.

    Example:
    收到直达资金 34509 万元，分配资金 34568.64 万元，分配率 100.7%，支付 21966.95 万元，支付率 68.7%。

    Instead:
    收到直达资金 34509 万元，分配资金 34568.64 万元，分配率 100.2%，支付 21966.95 万元，支付率 63.7%。

    检查内容：
    只用“某某率”一词、紧跟在所对应金额之后的比率（“支付 21966.95 万元，支付率 68.7%”），与同一句中在它
    之前写出的每一个金额（“收到直达资金 34509 万元，分配资金 34568.64 万元”）逐一比较：文中没有说明以哪个
    金额为基数，所以只有用其中任何一个作基数都算不出该比率时才报告。比率末位相差 1 个单位的，视为分步
    四舍五入，不报告。句中此前没有确切金额的，不检查。

    为何重要：
    分配率、支付率、执行率、到位率是监管部门最先看的数字。句中任何数字都算不出的比率，多半是前稿遗留，
    或用了别的时期的金额。因基数有多种读法，只作提示。

    示例：
    收到直达资金 34509 万元，分配资金 34568.64 万元，分配率 100.7%，支付 21966.95 万元，支付率 68.7%。
    （分配率：34568.64 ÷ 34509 = 100.2%；支付率：21966.95 ÷ 34509 = 63.7%，÷ 34568.64 = 63.5%，都不是 68.7%。）

    改为：
    收到直达资金 34509 万元，分配资金 34568.64 万元，分配率 100.2%，支付 21966.95 万元，支付率 63.7%。
    """

    code = "ARI012"
    name = "named-rate-fits-no-whole"
    severity = "warning"
    summary = "某某率与句中任何可作基数的金额都不符"

    def check(self, ctx):
        for share in ctx.of_kind("share"):
            share: ShareClaim
            if not share.whole_candidates or share.part is None or share.part.qualifier:
                continue
            wholes = [ctx.by_id[i] for i in share.whole_candidates if i in ctx.by_id]
            wholes = [w for w in wholes if not w.value.qualifier and w.value.value]
            if not wholes:
                ctx.skip(share, not_checked.NO_AMOUNT_FOR_RATE)
                continue
            ctx.mark_checked(share)
            stated = ctx.rate_interval(share.percent)
            readings = []
            for whole in wholes:
                implied = ctx.interval(share.part) / ctx.interval(whole.value)
                if implied is None or implied.scale(Decimal(100)).overlaps(stated):
                    break  # one reading fits: nothing to report
                readings.append((whole, fmt(share.part.yuan / whole.value.yuan * 100, percent_places(share.percent))))
            else:
                tried = "；".join(f"÷ {w.subject} {w.value.text} = {value}%" for w, value in readings)
                yield ctx.finding(
                    self, share,
                    f"文中{share.part_subject} {share.part.text}，{share.percent.text} 与句中任何可作基数的金额都不符：{tried}",
                    stated=share.percent.text,
                    expected=" 或 ".join(f"{value}%" for _, value in readings),
                    related=[(w, "可能的基数") for w, _ in readings],
                )
