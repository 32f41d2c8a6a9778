from __future__ import annotations

from ...extract.tokens import direction_of, direction_opposites, direction_words
from ...models.claims import ChangeClaim
from ...models.findings import Fix
from ...not_checked import Reason
from ..base import DIRECTION_WORD, Rule, baseline_word, fmt_figure_value, register
from ._change import change_figures, the_direction_the_figures_give


@register
class ChangeDirectionConflict(Rule):
    """What it checks:
    The direction word of a change against its own numbers: two direction words in one change that
    disagree ("增加 12.5 万元，下降 3.2%"); an increase larger than the current value (the base would
    be negative); a named base and current value whose difference goes the other way. When the
    figures hold in one direction only, the words that read the other way are the slip, and the
    fix turns them round as the text writes them (减少 → 增加, 下降 → 增长).

    Why it matters:
    A change written as an increase that was a decrease misstates the trend itself, which is the
    first thing a reader of the 说明 takes away. It usually comes from editing a template sentence.

    Example:
    公用经费 430.82 万元，较上年决算数增加 99.8 万元，下降 30.1%。

    Instead:
    公用经费 430.82 万元，较上年决算数增加 99.8 万元，增长 30.1%。

    检查内容：
    变动的方向词与其数字是否一致，有三种情形：同一变动中两个方向词相互矛盾（“增加 12.5 万元，下降 3.2%”）；
    增加额大于本年数，推算出的基数为负；句中写明了基数，而从基数到本年数的实际变动方向与方向词相反
    （“日常公用经费 1286 万元，较上年 1331 万元增加 45 万元”）。方向写作“增加（减少）”的模板句不检查。
    数字只在一个方向上成立的，与之相反的方向词即为笔误，建议按原文用词改正（减少→增加，下降→增长）。

    为何重要：
    把减少写成增加，说错的是变动趋势本身，而这正是读者从说明中首先得到的信息。这类错误多由改写模板句而来。

    示例：
    公用经费 430.82 万元，较上年决算数增加 99.8 万元，下降 30.1%。
    （增加额与“下降”方向相反；上年数为 430.82 − 99.8 = 331.02 万元，增长率为 99.8 ÷ 331.02 = 30.1%。）

    改为：
    公用经费 430.82 万元，较上年决算数增加 99.8 万元，增长 30.1%。
    """

    code = "ARI003"
    name = "change-direction-conflict"
    severity = "error"
    summary = "变动方向词与数字方向矛盾"
    # Its fix turns the slipped words round only where the figures then all hold, so the rate and
    # the amount of the change are right as written.
    settles = frozenset({"ARI001", "ARI005"})

    def check(self, ctx):
        for change in ctx.of_kind("change"):
            change: ChangeClaim
            if change.conflicting_directions and change.direction in DIRECTION_WORD:
                ctx.mark_checked(change)
                right = the_direction_the_figures_give(ctx, change)
                fix = _turn_round(ctx, change, right) if right else None
                words = f"既写“{change.direction_text}”又写“{'、'.join(change.conflicting_directions)}”"
                yield ctx.finding(
                    self,
                    change,
                    f"同一变动{words}，方向相互矛盾" + (f"；按文中数字应为{DIRECTION_WORD[right]}，{fix.message}" if fix else ""),
                    stated=f"{change.direction_text}/{'、'.join(change.conflicting_directions)}",
                    expected=DIRECTION_WORD[right] if fix else "同一方向",
                    fix=fix,
                )
                continue
            figs = change_figures(ctx, change)
            if isinstance(figs, Reason):
                continue
            if figs.explicit_base:
                ctx.mark_checked(change)
                if figs.delta.hi < 0:
                    actual = "减少" if change.direction == "increase" else "增加"
                    right = the_direction_the_figures_give(ctx, change)
                    yield ctx.finding(
                        self,
                        change,
                        f"文中写“{change.direction_text}”，但{baseline_word(change)} {change.base.text} 到本年 "
                        f"{change.current.text} 实为{actual}",
                        stated=change.direction_text,
                        expected=actual,
                        fix=_turn_round(ctx, change, right) if right else None,
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


def _turn_round(ctx, change: ChangeClaim, right: str) -> Fix | None:
    """The edit turning every direction word of the change that reads against `right` into its
    opposite (增长 → 下降), the text otherwise as written; None when a word has no opposite to
    write, or none reads the other way."""
    opposites = direction_opposites()
    edits = []
    for match in direction_words().finditer(ctx.doc.text, change.start, change.end):
        direction = direction_of(match.group())
        if direction == "flat":
            return None
        if direction != right:
            if match.group() not in opposites:
                return None
            edits.append((match.start(), match.end(), opposites[match.group()]))
    return ctx.fix(edits) if edits else None
