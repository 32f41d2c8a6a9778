from __future__ import annotations

from ...not_checked import Reason
from ...models.claims import ChangeClaim
from ..base import RATE_WORD, Rule, baseline_word, fmt_figure_value, register
from ._change import percent_changes


@register
class PercentOfZeroBase(Rule):
    """What it checks:
    A percentage change whose base, as the figures state it, is zero: the current value equals the
    increase ("节能环保支出 400 万元，较年初预算数增加 400 万元，增长 100%"), or the sentence names a
    base of 0.

    Why it matters:
    A growth rate over nothing is undefined. Writing "增长 100%" suggests the item doubled when it
    is in fact new; readers and auditors take it at its word.

    Example:
    本年度会议费支出 0.51 万元，较上年决算数增加 0.51 万元，增长 100%。

    Instead:
    本年度会议费支出 0.51 万元，较上年决算数增加 0.51 万元（上年无此项支出）。

    检查内容：
    按文中数字推算基数为零却仍写了变动率的变动：本年数等于增加额（“节能环保支出 400 万元，较年初预算数
    增加 400 万元，增长 100%”），或句中写明的基数就是 0。只写增加额、不写变动率的，不报告。

    为何重要：
    基数为零时变动率无从计算。写“增长 100%”，看起来是该项支出翻了一番，实际上是新增项目；读者和审计
    都会照字面理解。

    示例：
    本年度会议费支出 0.51 万元，较上年决算数增加 0.51 万元，增长 100%。
    （上年数为 0.51 − 0.51 = 0 万元。）

    改为：
    本年度会议费支出 0.51 万元，较上年决算数增加 0.51 万元（上年无此项支出）。
    """

    code = "ARI002"
    name = "percent-of-zero-base"
    severity = "error"
    summary = "基数为零仍计算变动率"

    def check(self, ctx):
        for change, figs in percent_changes(ctx):
            change: ChangeClaim
            if isinstance(figs, Reason) or figs.base_point != 0:
                continue
            ctx.mark_checked(change)
            rate = RATE_WORD[change.direction]
            yield ctx.finding(
                self,
                change,
                f"按文中数字推算{baseline_word(change)}为 {fmt_figure_value(figs.base_point, change.current)}，"
                f"基数为零时{rate}率无从计算，不应写作{rate} {change.percent.text}",
                stated=change.percent.text,
                expected="基数为零，不计算变动率",
            )
