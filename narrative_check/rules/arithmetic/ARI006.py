from __future__ import annotations

from decimal import Decimal

from ... import not_checked
from ...models.claims import ShareClaim
from ..base import Rule, fmt, one_slip_within, percent_places, register
from ._composition import adds_up, the_slip


@register
class SharePercentMismatch(Rule):
    """What it checks:
    A share ("基本支出 1648.02 万元，占 16.6%") against the whole it is a share of: the whole named
    in the sentence ("占政府采购支出总额的 0%"), the total a "其中" list belongs to, or the total
    named by the paragraph that introduces a numbered list.

    Why it matters:
    Shares are recomputed by hand when figures change, and often are not. A wrong share misstates
    the structure of spending.

    Example:
    2021 年度支出合计 9909.15 万元……其中：基本支出 1648.02 万元，占 18.6%。

    Instead:
    2021 年度支出合计 9909.15 万元……其中：基本支出 1648.02 万元，占 16.6%。

    检查内容：
    占比（“基本支出 1648.02 万元，占 16.6%”）与其所占的总数：总数取句中写明的总数（“占政府采购支出总额的
    0%”），或“其中”所列分项所属的合计，或引出编号列表的段落中写明的合计。占比应等于分项金额除以总数；
    完成预算的比例可以超过 100%。占比末位相差 1 个单位的，视为分步四舍五入，不报告。找不到分项或总数、
    金额为约数的不检查；“分别占……”一句列出多个占比、对应关系有多种读法的，也不检查。

    为何重要：
    数字调整后，占比要手工重算，常被漏掉。占比错了，支出结构就说错了。

    示例：
    2021 年度支出合计 9909.15 万元，其中：基本支出 1648.02 万元，占 18.6%。
    （1648.02 ÷ 9909.15 = 16.6%。）

    改为：
    2021 年度支出合计 9909.15 万元，其中：基本支出 1648.02 万元，占 16.6%。
    """

    code = "ARI006"
    name = "share-percent-mismatch"
    severity = "error"
    summary = "占比与部分、总数不符"

    def check(self, ctx):
        for share in ctx.of_kind("share"):
            share: ShareClaim
            if share.part is None:
                ctx.skip(share, not_checked.PART_NOT_STATED)
                continue
            if share.whole is None:
                ctx.skip(share, not_checked.WHOLE_NOT_STATED)
                continue
            if share.part.kind != "money" or share.whole.kind != "money" or share.part.qualifier or share.whole.qualifier:
                ctx.skip(share, not_checked.NOT_EXACT_AMOUNTS)
                continue
            whole = ctx.interval(share.whole)
            ctx.mark_checked(share)
            implied = ctx.interval(share.part) / whole
            if implied is None:
                continue  # a share of a zero whole: nothing to compare
            implied = implied.scale(Decimal(100))
            if implied.overlaps(ctx.rate_interval(share.percent)):
                continue
            if _a_list_slip_explains(ctx, share):
                continue  # ARI007 reports the list, with the one figure whose slip the shares point to
            expected = fmt(share.part.yuan / share.whole.yuan * 100, percent_places(share.percent))
            yield ctx.finding(
                self,
                share,
                f"文中{share.part_subject} {share.part.text} 占 {share.percent.text}，按{share.whole_subject or '总数'} "
                f"{share.whole.text} 计算应占 {expected}%",
                stated=share.percent.text,
                expected=f"{expected}%",
                fix=None if _part_or_whole_may_have_slipped(ctx, share) else ctx.figure_fix(share.percent, share.part.yuan / share.whole.yuan * 100),
                related=[(ctx.by_id[share.whole_claim], "总数")] if share.whole_claim in ctx.by_id else [],
            )


def _a_list_slip_explains(ctx, share: ShareClaim) -> bool:
    """Is the share one of a "其中" list that does not add up to its whole, where one slipped
    figure (the whole or a part) explains the shares? Then the share is right as written."""
    for comp in ctx.of_kind("composition"):
        if comp.whole_claim == share.whole_claim and any(p.claim == share.part_claim for p in comp.parts):
            return not adds_up(ctx, comp) and the_slip(ctx, comp) is not None
    return False


def _part_or_whole_may_have_slipped(ctx, share: ShareClaim) -> bool:
    """Does one typing slip of the part or of the whole read as a figure the stated percentage
    fits? Then the percentage may be right, and no edit is offered."""
    rate = ctx.rate_interval(share.percent).scale(Decimal("0.01"))
    if rate.lo <= 0:
        return False
    parts = (ctx.interval(share.whole) * rate).scale(1 / share.part.scale)
    wholes = (ctx.interval(share.part) / rate)
    return one_slip_within(share.part, parts) or (wholes is not None and one_slip_within(share.whole, wholes.scale(1 / share.whole.scale)))
