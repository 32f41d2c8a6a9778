from __future__ import annotations

from ...not_checked import Reason
from ...models.claims import ChangeClaim
from ..base import DIRECTION_WORD, Rule, baseline_word, fmt_figure_value, register
from ._change import change_figures


@register
class ChangeDirectionConflict(Rule):
    """What it checks:
    The direction word of a change against its own numbers: two direction words in one change that
    disagree ("增加 12.5 万元，下降 3.2%"); an increase larger than the current value (the base would
    be negative); a named base and current value whose difference goes the other way.

    Why it matters:
    A change written as an increase that was a decrease misstates the trend itself, which is the
    first thing a reader of the 说明 takes away. It usually comes from editing a template sentence.

    Example:
    公用经费 430.82 万元，较上年决算数增加 99.8 万元，下降 30.1%。

    Instead:
    公用经费 430.82 万元，较上年决算数增加 99.8 万元，增长 30.1%。
    """

    code = "ARI003"
    name = "change-direction-conflict"
    severity = "error"
    summary = "变动方向词与数字方向矛盾"

    def check(self, ctx):
        for change in ctx.of_kind("change"):
            change: ChangeClaim
            if change.conflicting_directions and change.direction in DIRECTION_WORD:
                ctx.mark_checked(change)
                yield ctx.finding(
                    self,
                    change,
                    f"同一变动既写“{change.direction_text}”又写“{'、'.join(change.conflicting_directions)}”，方向相互矛盾",
                    stated=f"{change.direction_text}/{'、'.join(change.conflicting_directions)}",
                    expected="同一方向",
                )
                continue
            figs = change_figures(ctx, change)
            if isinstance(figs, Reason):
                continue
            if figs.explicit_base:
                ctx.mark_checked(change)
                if figs.delta.hi < 0:
                    actual = "减少" if change.direction == "increase" else "增加"
                    yield ctx.finding(
                        self,
                        change,
                        f"文中写“{change.direction_text}”，但{baseline_word(change)} {change.base.text} 到本年 "
                        f"{change.current.text} 实为{actual}",
                        stated=change.direction_text,
                        expected=actual,
                    )
                continue
            if change.direction == "increase" and figs.base.hi < 0 and change.current.value >= 0:
                ctx.mark_checked(change)
                yield ctx.finding(
                    self,
                    change,
                    f"增加额 {change.delta.text} 大于本年数 {change.current.text}，推算{baseline_word(change)}为 "
                    f"{fmt_figure_value(figs.base_point, change.current)}（负数），应为减少或数字有误",
                    stated=change.direction_text,
                    expected="减少，或增加额不大于本年数",
                )
