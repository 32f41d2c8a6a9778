from __future__ import annotations

from ...models.claims import ChangeClaim, Figure
from ...models.findings import Fix
from ..base import DIRECTION_WORD, RATE_WORD, Rule, baseline_word, fmt_figure_value, one_slip_apart, register
from ._change import delta_fits_base, rate_fits


@register
class ChangeAmountMismatch(Rule):
    """What it checks:
    A change that names its base value as well as the current value and the amount of change
    ("较2020年的 1746.45 万元减少 529.25 万元"): current minus base must equal the stated change.
    A stated rate tells which figure slipped: one that fits base and current leaves the amount to
    correct, one that fits the amount leaves the base; with a rate that fits neither, no edit is offered.

    Why it matters:
    With all three figures printed, a reader can do the subtraction; when it fails, one of the
    figures was not updated.

    Example:
    人员经费 1217.20 万元，较2020年的 1746.45 万元减少 539.25 万元。

    Instead:
    人员经费 1217.20 万元，较2020年的 1746.45 万元减少 529.25 万元。

    检查内容：
    同时写明本年数、基数和变动额的变动（“较2020年的 1746.45 万元减少 529.25 万元”）：本年数减基数应等于
    所写的变动额（增加为正，减少为负）。三个数都须是金额；各数按其末位的四舍五入精度比较，尾差不报告。
    同时写了变动率的，由变动率判断错在哪个数：变动率与基数、本年数相符，建议改变动额；与变动额相符，
    建议改基数；都不相符的，不给改法。

    为何重要：
    三个数都印在文中，读者自己就能做减法；减不出来，说明其中有一个数没有随之更新。

    示例：
    人员经费 1217.20 万元，较2020年的 1746.45 万元减少 539.25 万元。
    （1746.45 − 1217.20 = 529.25 万元。）

    改为：
    人员经费 1217.20 万元，较2020年的 1746.45 万元减少 529.25 万元。
    """

    code = "ARI005"
    name = "change-amount-mismatch"
    severity = "error"
    summary = "本年数、基数与变动额不符"
    settles = frozenset({"ARI001"})  # its fix is the one figure that makes the rate hold too

    def check(self, ctx):
        for change in ctx.of_kind("change"):
            change: ChangeClaim
            if change.base is None or change.current is None or change.delta is None or change.direction not in ("increase", "decrease"):
                continue
            if any(f.kind != "money" for f in (change.base, change.current, change.delta)):
                continue
            if change.conflicting_directions:
                continue  # ARI003: which way it went is the question, and the words disagree
            ctx.mark_checked(change)
            if delta_fits_base(ctx, change):
                continue
            diff = change.current.yuan - change.base.yuan
            message = (f"本年 {change.current.text} 与{baseline_word(change)} {change.base.text} 相差 "
                       f"{fmt_figure_value(abs(diff), change.delta)}，文中写{DIRECTION_WORD[change.direction]} {change.delta.text}")
            stated, expected = change.delta.text, fmt_figure_value(abs(diff), change.delta)
            fix, slipped = _the_one_edit(ctx, change, diff)
            if slipped is change.base:
                base = change.current.yuan - change.sign * change.delta.yuan
                stated, expected = change.base.text, fmt_figure_value(base, change.base)
                message += f"；变动额与{RATE_WORD[change.direction]}率相符，{baseline_word(change)}应为 {expected}"
            yield ctx.finding(self, change, message, stated=stated, expected=expected, fix=fix)


def _the_one_edit(ctx, change: ChangeClaim, diff) -> tuple[Fix | None, Figure | None]:
    """The figure whose rewriting makes the whole statement hold, judged by the rate: a rate that
    agrees with the base and current value leaves the amount as the slip (so does no rate: the
    amount is the figure worked out from the others); a rate that agrees with the amount and
    current value leaves the base. When the rate agrees with neither, or both, no edit is offered."""
    by_base = rate_fits(ctx, change)
    by_amount = rate_fits(ctx, change.model_copy(update={"base": None}))
    goes_as_written = (diff > 0) == (change.direction == "increase")  # else ARI003: the word is the slip
    if by_base is None and by_amount is None and _base_or_current_may_have_slipped(change):
        return None, None  # no rate to decide, and a single typing slip elsewhere explains it as well
    if goes_as_written and by_base is not False and by_amount is not True:
        return ctx.figure_fix(change.delta, abs(diff) / change.delta.scale), change.delta
    if by_amount is True and by_base is False:
        sign = change.sign
        return ctx.figure_fix(change.base, (change.current.yuan - sign * change.delta.yuan) / change.base.scale), change.base
    return None, None


def _base_or_current_may_have_slipped(change: ChangeClaim) -> bool:
    """Is the base, or the current value, one typing slip from the value the other two figures give it?"""
    sign = change.sign
    base = change.current.yuan - sign * change.delta.yuan
    current = change.base.yuan + sign * change.delta.yuan
    return one_slip_apart(change.base, base / change.base.scale) or one_slip_apart(change.current, current / change.current.scale)
