from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal

from ...interval import Interval
from ..base import DIRECTION_WORD, Rule, fmt, register
from ..contradiction._common import signed_delta
from ._common import passage_span, passages


@register
class ReasonCopiedFromOtherChange(Rule):
    """What it checks:
    A reason list that breaks a change down into signed amounts ("一是……减少 326.25 万元；二是……增加
    2092.01 万元 ……") whose amounts add up not to the change it is attached to but to another change
    stated in the report — the list was copied from there.

    Why it matters:
    A breakdown that adds up exactly to a different figure is the trace of a paste: the reason
    explains the other change, and the change it stands under is left unexplained.

    Example:
    一般公共预算财政拨款支出……较上年决算数增加 2001.7 万元，主要原因一是人员经费减少 326.25 万元；二是就业补助
    资金增加 2572.01 万元，“三支一扶”等减少 1878.72 万元；三是民生支出增加 2114.66 万元
    (the amounts add up to +2481.7 万元, the 收入 change stated just before)

    Instead:
    Amounts that add up to the change the reason explains.

    检查内容：
    原因把变动分解为带增减方向的金额（“一是……减少 326.25 万元；二是……增加 2092.01 万元……”），
    各项合计不等于其所解释的变动，而恰好等于报告中另一处的变动——原因是从那里复制来的。

    为何重要：
    分项合计恰好等于另一个数，是复制留下的痕迹：原因解释的是另一处变动，本处的变动反而没有说明。

    示例：
    一般公共预算财政拨款支出……较上年决算数增加 2001.7 万元，主要原因一是人员经费减少 326.25 万元；二是就业补助资金增加 2572.01 万元，“三支一扶”等减少 1878.72 万元；三是民生支出增加 2114.66 万元
    （各项合计为增加 2481.7 万元，是前文所述收入的变动额。）

    改为：
    一般公共预算财政拨款支出……较上年决算数增加 2001.7 万元，主要原因一是人员经费减少 326.25 万元；二是就业补助资金增加 2572.01 万元，“三支一扶”等减少 1878.72 万元；三是民生支出增加 1634.66 万元
    （各项合计为增加 2001.7 万元，与所解释的变动相符。）
    """

    code = "RSN002"
    name = "reason-copied-from-other-change"
    severity = "error"
    summary = "原因所列金额合计等于另一处变动额，而非其所解释的变动"

    def check(self, ctx):
        index = _DeltaIndex(ctx)
        for passage in passages(ctx):
            if passage.explained is None or not passage.complete or len(passage.items) < 2:
                continue
            own = signed_delta(ctx, passage.explained)
            if own is None and passage.explained.direction == "flat":
                own = Interval.exact(Decimal(0))  # '与上年持平' explained by a list of amounts
            total = passage.total()
            if own is None or total is None:
                continue
            ctx.mark_checked(passage.reason)
            if total.overlaps(own):
                continue
            source = next((c for c in index.overlapping(total) if c.id != passage.explained.id), None)
            if source is None:
                continue
            mid = (total.lo + total.hi) / 2
            unit = passage.items[0].amount.amount
            said = f"{'增加' if mid >= 0 else '减少'} {fmt(abs(mid) / unit.scale)} {unit.unit}"
            yield ctx.finding(
                self,
                passage_span(ctx, passage),
                f"原因所列金额合计{said}，与所解释的{passage.explained.subject}{_stated(passage.explained)}不符，"
                f"却等于第 {source.line} 行{source.subject}的变动（"
                f"{DIRECTION_WORD[source.direction]} {source.delta.text}），疑为从该处复制",
                stated=said.replace(" ", ""),
                expected=_stated(passage.explained).replace(" ", ""),
                related=[(source, "合计与之相等的变动"), (passage.explained, "所解释的变动")],
            )


def _stated(change) -> str:
    if change.delta is None:
        return DIRECTION_WORD[change.direction]
    return f"{DIRECTION_WORD[change.direction]} {change.delta.text}"


class _DeltaIndex:
    """Changes sorted by the low end of their signed delta, for overlap look-ups without a scan."""

    def __init__(self, ctx) -> None:
        entries = [(d, c) for c in ctx.of_kind("change") if (d := signed_delta(ctx, c)) is not None]
        entries.sort(key=lambda e: e[0].lo)
        self._entries = entries
        self._lows = [d.lo for d, _ in entries]
        self._widest = max((d.hi - d.lo for d, _ in entries), default=0)

    def overlapping(self, interval):
        # Any overlapping delta starts no earlier than interval.lo - widest and no later than interval.hi.
        first = bisect_left(self._lows, interval.lo - self._widest)
        last = bisect_right(self._lows, interval.hi)
        for delta, change in self._entries[first:last]:
            if delta.overlaps(interval):
                yield change
