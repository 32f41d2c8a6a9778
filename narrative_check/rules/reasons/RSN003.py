from __future__ import annotations

from decimal import Decimal

from ..base import DIRECTION_WORD, Rule, fmt, register
from ..contradiction._common import signed_delta
from ._common import passage_span, passages


@register
class ReasonExceedsChange(Rule):
    """What it checks:
    A reason whose amounts all move the same way as the change it explains and together add up to
    more than the change ("支出增加 96.7 万元，主要原因是 A 增加 80 万元、B 增加 60 万元"). A warning: a
    "主要原因" list may leave items out, but items that all push one way cannot exceed the total
    unless something the text does not mention pulled the other way.

    Why it matters:
    Over-explained changes usually mean an amount was pasted from a larger change or typed with a
    digit too many.

    Example:
    一般公共预算财政拨款支出较年初预算增加 96.7 万元，主要原因是城乡医疗救助增加 80 万元、就业补助资金增加 60 万元

    Instead:
    Amounts that fit inside the change, or the offsetting decreases named as well.

    检查内容：
    原因所列金额的方向全部与所解释的变动相同，合计却超过变动额（“支出增加 96.7 万元，
    主要原因是 A 增加 80 万元、B 增加 60 万元”）。“主要原因”可以不列全，但同向的各项不会超过总数，
    除非还有文中没有提到的反向变动，所以只作警告。

    为何重要：
    原因解释的比变动还多，通常是金额从更大的变动处粘贴过来，或者多打了一位数字。

    示例：
    一般公共预算财政拨款支出较年初预算增加 96.7 万元，主要原因是城乡医疗救助增加 80 万元、就业补助资金增加 60 万元

    改为：
    一般公共预算财政拨款支出较年初预算增加 96.7 万元，主要原因是城乡医疗救助增加 80 万元、就业补助资金增加 60 万元，其他社会保障支出减少 43.3 万元
    """

    code = "RSN003"
    name = "reason-exceeds-change"
    severity = "warning"
    summary = "原因所列同向金额合计超过变动额"

    def check(self, ctx):
        for passage in passages(ctx):
            change = passage.explained
            if change is None or not passage.items or change.direction not in ("increase", "decrease"):
                continue
            if any(i.amount.direction != change.direction for i in passage.items):
                continue
            if passage.complete and len(passage.items) > 1:
                continue  # a full breakdown: ARI010 holds its sum to the change, either way
            own, total = signed_delta(ctx, change), passage.total()
            if own is None or total is None:
                continue
            ctx.mark_checked(passage.reason)
            # Same sign throughout, so compare magnitudes: the smallest the items can add up to
            # against the largest the change can be.
            least = min(abs(total.lo), abs(total.hi))
            most = max(abs(own.lo), abs(own.hi))
            if least <= most:
                continue
            unit = change.delta
            printed = sum((i.amount.amount.yuan for i in passage.items), Decimal(0))  # the sum as printed, not an interval's end
            said = f"{DIRECTION_WORD[change.direction]} {fmt(printed / unit.scale)} {unit.unit}"
            yield ctx.finding(
                self,
                passage_span(ctx, passage),
                f"原因所列金额合计{said}，超过{change.subject}的变动额{DIRECTION_WORD[change.direction]} {unit.text}",
                stated=said.replace(" ", ""),
                expected=f"不超过{DIRECTION_WORD[change.direction]}{unit.text}",
                related=[(change, "所解释的变动")],
            )
