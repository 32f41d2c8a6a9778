from __future__ import annotations

from ...not_checked import Reason
from ...models.claims import ChangeClaim
from ..base import RATE_WORD, DIRECTION_WORD, Rule, baseline_word, fmt, fmt_figure_value, percent_places, register
from ._change import percent_changes, rate_fits


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
            if figs.base.hi <= 0:
                continue  # ARI003: the base would be negative
            ctx.mark_checked(change)
            if rate_fits(ctx, change) is not False:
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
                fix=ctx.figure_fix(change.percent, expected),
                related=[(ctx.by_id[change.current_claim], "本年数")] if change.current_claim in ctx.by_id and ctx.by_id[change.current_claim].paragraph != change.paragraph else [],
            )
