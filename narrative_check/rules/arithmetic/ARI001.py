from __future__ import annotations

from ...interval import Interval
from ...models.claims import ChangeClaim
from ...not_checked import Reason
from ..base import RATE_WORD, DIRECTION_WORD, Rule, baseline_word, fmt, fmt_figure_value, one_slip_within, percent_places, register
from ._change import delta_fits_base, pasted, percent_changes, rate_fits, restated_otherwise, the_table_current_fits


@register
class ChangePercentMismatch(Rule):
    """What it checks:
    A change stated with both an amount and a percentage ("较上年决算数增加 2481.7 万元，增长 34.1%")
    against the value it is a change of. The base is the current value minus the increase (plus
    the decrease), or the base the sentence names; the percentage must be the change over that base.

    Why it matters:
    The percentage is usually typed by hand after the amounts were edited. When the two disagree,
    at least one of them is wrong, and readers compare years by the percentage.

    Example:
    2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元、下降 15.80%。
    (上年数 9909.15 + 1863.3 = 11772.45 万元, so the fall is 15.83%.)

    Instead:
    2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元、下降 15.83%。

    检查内容：
    同时写出变动额和变动率的变动（“较上年决算数增加 2481.7 万元，增长 34.1%”），变动率应等于变动额除以
    基数。基数取句中写明的上年数或预算数；未写明的，按本年数减去增加额（或加上减少额）推算。变动率按其
    末位的精度比较，末位相差 1 个单位的不报告：作者常用比印出的数更细的数计算（合计以亿元印出、按万元计算），
    或分两步四舍五入。方向写作“增加（减少）”的模板句、带“约”“以上”的约数不检查；推算基数为零或为负的，
    分别由 ARI002、ARI003 报告。发现不符时，给出按文中数字重算的变动率作为修改建议。

    为何重要：
    变动率多是金额改定之后手工填写的。变动额与变动率对不上，至少有一个是错的，而读者比较年度变化时看的
    正是变动率。

    示例：
    2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元、下降 15.80%。
    （上年数为 9909.15 + 1863.3 = 11772.45 万元，下降率是 1863.3 ÷ 11772.45 = 15.83%。）

    改为：
    2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元、下降 15.83%。
    """

    code = "ARI001"
    name = "change-percent-mismatch"
    severity = "error"
    summary = "变动率与变动额、本年数不符"

    def check(self, ctx):
        for change, figs in percent_changes(ctx):
            change: ChangeClaim
            if isinstance(figs, Reason):
                ctx.skip(change, figs)
                continue
            if figs.base_point == 0:
                continue  # ARI002: a percentage of nothing
            if change.conflicting_directions:
                continue  # ARI003: which way it went is the question, and the words disagree
            if figs.base.hi <= 0:
                continue  # ARI003: the base would be negative
            ctx.mark_checked(change)
            if rate_fits(ctx, change) is not False or the_table_current_fits(ctx, change):
                continue
            places = percent_places(change.percent)
            expected = fmt(figs.delta_point / figs.base_point * 100, places)
            rate = RATE_WORD[change.direction]
            delta_word = "变动额" if figs.explicit_base else f"{DIRECTION_WORD[change.direction]}额"
            delta_text = fmt_figure_value(abs(figs.delta_point), change.current) if figs.explicit_base else change.delta.text
            yield ctx.finding(
                self,
                change,
                f"文中{rate} {change.percent.text}，按{delta_word} {delta_text} 推算{baseline_word(change)} "
                f"{fmt_figure_value(figs.base_point, change.current)}，{rate}率应为 {expected}%",
                stated=change.percent.text,
                expected=f"{expected}%",
                fix=ctx.figure_fix(change.percent, figs.delta_point / figs.base_point * 100) if _the_rate_is_the_slip(ctx, change, figs) else None,
                related=[(ctx.by_id[change.current_claim], "本年数")] if change.current_claim in ctx.by_id and ctx.by_id[change.current_claim].paragraph != change.paragraph else [],
            )


def _the_rate_is_the_slip(ctx, change: ChangeClaim, figs) -> bool:
    """Is the rate, and not the amount, the figure to rewrite?

    With a named base, when the amount agrees with base and current value (else ARI005 finds which
    one figure explains both). Without one, only when nothing speaks for the amount's being the
    slip: the pair is not pasted from another change, no other statement of the same change gives
    another amount, and no single typing slip of the amount reads as one the rate allows (10.00 for
    100.00; 1863.3 for 1861.3 beside 15.80% for 15.83%): then the rate was worked out wrong, as when
    it is taken of the current value instead of the base."""
    if figs.explicit_base:
        return delta_fits_base(ctx, change) is True
    if pasted(ctx, change) or restated_otherwise(ctx, change):
        return False
    amounts = _amounts_the_rate_allows(ctx, change)
    return amounts is not None and not one_slip_within(change.delta, amounts)


def _amounts_the_rate_allows(ctx, change: ChangeClaim) -> Interval | None:
    """current × r / (100 ± r) over the rate's interval, in the amount's unit."""
    rate = ctx.rate_interval(change.percent)
    sign = change.sign
    if rate.lo < 0 or (sign < 0 and rate.hi >= 100):
        return None
    current = ctx.interval(change.current).scale(1 / change.delta.scale)
    ends = [c * r / (100 + sign * r) for c in (current.lo, current.hi) for r in (rate.lo, rate.hi)]
    return Interval(min(ends), max(ends))
