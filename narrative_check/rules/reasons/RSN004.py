from __future__ import annotations

from ..base import DIRECTION_WORD, Rule, register
from ._common import passage_span, passages

_OPPOSITE = {"increase": "decrease", "decrease": "increase"}


@register
class ReasonDirectionContradicts(Rule):
    """What it checks:
    A reason in which every direction word points the other way from the change it explains: an
    increase explained only by decreases ("支出增加 400 万元，主要原因是救助支出减少 400 万元"), or the
    reverse. An error when the reason gives amounts (the amounts cannot add up to the change); a
    warning when it only uses direction words, which may describe a cause rather than a component
    ("人员减少，人均补助提高" has both).

    Why it matters:
    A reason pasted from the opposite change, or a direction word flipped in one place only, tells
    the reader the change went the other way.

    Example:
    节能环保支出 400 万元，较年初预算数增加 400 万元，主要原因是煤炭去产能困难职工医疗救助相关支出减少 400 万元

    Instead:
    A reason that moves the same way as the change, or one that names the larger opposite item too.

    检查内容：
    原因中的增减方向词全部与所解释的变动相反：增加只用减少来解释（“支出增加 400 万元，
    主要原因是救助支出减少 400 万元”），或者反过来。
    原因列有金额的报错误（这些金额不可能合计为该变动）；只有方向词的报警告，
    因为方向词说的可能是起因而不是分项（“人员减少，人均补助提高”两个方向都有）。

    为何重要：
    从方向相反的变动处粘贴来的原因，或者只在一处改反了方向词，会让读者以为变动的方向反了。

    示例：
    节能环保支出 400 万元，较年初预算数增加 400 万元，主要原因是煤炭去产能困难职工医疗救助相关支出减少 400 万元

    改为：
    节能环保支出 400 万元，较年初预算数增加 400 万元，主要原因是煤炭去产能困难职工医疗救助相关支出增加 400 万元
    """

    code = "RSN004"
    name = "reason-direction-contradicts"
    severity = "error"
    summary = "原因的增减方向与所解释的变动相反"

    def check(self, ctx):
        for passage in passages(ctx):
            change = passage.explained
            if change is None or change.direction not in _OPPOSITE or change.template or change.conflicting_directions:
                continue
            words = [d for c in passage.reason.components for d in c.directions if d != "flat"]
            if not words:
                continue
            ctx.mark_checked(passage.reason)
            if any(d != _OPPOSITE[change.direction] for d in words):
                continue
            opposite = DIRECTION_WORD[_OPPOSITE[change.direction]]
            with_amounts = bool(passage.items)
            yield ctx.finding(
                self,
                passage_span(ctx, passage),
                f"{change.subject}{DIRECTION_WORD[change.direction]}，所给原因却只有{opposite}"
                + ("的金额" if with_amounts else "的表述"),
                stated=opposite,
                expected=DIRECTION_WORD[change.direction],
                related=[(change, "所解释的变动")],
                severity=None if with_amounts else "warning",
            )
