from __future__ import annotations

from ...models.claims import ChangeClaim
from ..base import DIRECTION_WORD, Rule, baseline_word, fmt_figure_value, register


@register
class ChangeAmountMismatch(Rule):
    """What it checks:
    A change that names its base value as well as the current value and the amount of change
    ("较2020年的 1746.45 万元减少 529.25 万元"): current minus base must equal the stated change.

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

    def check(self, ctx):
        for change in ctx.of_kind("change"):
            change: ChangeClaim
            if change.base is None or change.current is None or change.delta is None or change.direction not in ("increase", "decrease"):
                continue
            if any(f.kind != "money" for f in (change.base, change.current, change.delta)):
                continue
            ctx.mark_checked(change)
            actual = ctx.interval(change.current) - ctx.interval(change.base)
            stated = ctx.interval(change.delta)
            if change.direction == "decrease":
                stated = -stated
            if actual.overlaps(stated):
                continue
            diff = change.current.yuan - change.base.yuan
            yield ctx.finding(
                self,
                change,
                f"本年 {change.current.text} 与{baseline_word(change)} {change.base.text} 相差 "
                f"{fmt_figure_value(abs(diff), change.delta)}，文中写{DIRECTION_WORD[change.direction]} {change.delta.text}",
                stated=change.delta.text,
                expected=fmt_figure_value(abs(diff), change.delta),
            )
