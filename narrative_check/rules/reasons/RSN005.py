from __future__ import annotations

from ...link.facts import FactKey
from ..base import Rule, register
from ._common import item_key, passage_span, passages, siblings


@register
class ReasonNamesOtherQuantity(Rule):
    """What it checks:
    A reason whose amounts all belong to a sibling of the quantity it explains — a part of the same
    whole that is not this quantity nor inside it: 公务接待费 explained by 公务用车运行维护费, 人员经费 by
    公用经费, 社会保障和就业支出 by 卫生健康支出 (sibling 类 of the 功能分类). A warning: the text may
    mean a knock-on effect, but usually the reason was pasted from the neighbouring paragraph.

    Why it matters:
    The 三公 and 基本支出 paragraphs are written from one template, item after item; a reason left
    under the wrong item explains nothing about it.

    Example:
    公务接待费支出 2.77 万元，较上年决算数减少 5.22 万元，主要原因是公务用车运行维护费减少 5.22 万元

    Instead:
    The reason for this item's own change.

    检查内容：
    原因所列金额全部属于所解释项目的并列项目，即同一总体下、
    既不是本项目也不包含在本项目内的另一部分：用公务用车运行维护费解释公务接待费，
    用公用经费解释人员经费，用卫生健康支出解释社会保障和就业支出（功能分类中并列的类）。
    文中也可能是指连带影响，所以只作警告；但多数情况是原因从相邻段落粘贴过来。

    为何重要：
    “三公”经费和基本支出各段按同一模板逐项写成；原因留在了别的项目下，对本项目的变动什么也没有说明。

    示例：
    公务接待费支出 2.77 万元，较上年决算数减少 5.22 万元，主要原因是公务用车运行维护费减少 5.22 万元

    改为：
    公务接待费支出 2.77 万元，较上年决算数减少 5.22 万元，主要原因是严格控制接待标准，接待批次减少
    """

    code = "RSN005"
    name = "reason-names-other-quantity"
    severity = "warning"
    summary = "原因所述为另一并列项目，而非所解释的项目"

    def check(self, ctx):
        for passage in passages(ctx):
            change = passage.explained
            current = ctx.by_id.get(change.current_claim) if change is not None and change.current_claim else None
            own = _key(getattr(current, "key", None))
            if own is None or not passage.items:
                continue
            named = [item_key(ctx, passage, item) for item in passage.items]
            if any(k is None for k in named):
                continue  # an item the tables do not name: cannot tell what it is part of
            ctx.mark_checked(passage.reason)
            if not all(siblings(own, k) for k in named):
                continue
            others = "、".join(dict.fromkeys(i.amount.subject for i in passage.items))
            yield ctx.finding(
                self,
                passage_span(ctx, passage),
                f"所解释的是{change.subject}的变动，原因所列却是与之并列的{others}",
                stated=others,
                expected=f"{change.subject}自身的变动原因",
                related=[(change, "所解释的变动")],
            )


def _key(text: str | None) -> FactKey | None:
    """A claim's stored key ('gpb/sangong/TOTAL/reception') back as a FactKey; None with a year."""
    if not text:
        return None
    parts = text.split("/")
    return FactKey(*parts) if len(parts) == 4 else None
