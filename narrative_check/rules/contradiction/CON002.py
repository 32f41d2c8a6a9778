from __future__ import annotations

from collections import defaultdict

from ...models.claims import ChangeClaim
from ..base import DIRECTION_WORD, Rule, baseline_word, register
from ._common import baseline_family, disagreements, quantity, signed_delta


@register
class SameChangeDisagrees(Rule):
    """What it checks:
    Two changes of the same quantity against the same baseline that state different amounts —
    including quantities a report must keep equal: 收入总计 and 支出总计 change by the same amount
    against the same year.

    Why it matters:
    "收支较上年决算数减少 2343.3 万元" and "收入总计……减少 1863.3 万元" cannot both be true when 收入总计
    equals 支出总计 in both years; one of them was edited without the other.

    Example:
    2021 年度收入总计 9909.15 万元，支出总计 9909.15 万元。收支较上年决算数减少 2343.3 万元 ……
    2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元

    Instead:
    The same 减少 2343.3 万元 in both places.
    """

    code = "CON002"
    name = "same-change-disagrees"
    severity = "error"
    summary = "同一数据的变动额前后不一致"

    def check(self, ctx):
        groups: dict[tuple, list[ChangeClaim]] = defaultdict(list)
        for change in ctx.of_kind("change"):
            current = ctx.by_id.get(change.current_claim) if change.current_claim else None
            q = quantity(getattr(current, "key", None))
            if q and signed_delta(ctx, change) is not None and baseline_family(change):
                groups[(q, baseline_family(change))].append(change)
        same = lambda a, b: signed_delta(ctx, a).overlaps(signed_delta(ctx, b))  # noqa: E731
        for first, other, agree in disagreements(groups.values(), same):
            ctx.mark_checked(other)
            if agree:
                continue
            yield ctx.finding(
                self,
                other,
                f"{other.subject}较{baseline_word(other)}{DIRECTION_WORD[other.direction]} {other.delta.text}，"
                f"而第 {first.line} 行{first.subject}较{baseline_word(first)}{DIRECTION_WORD[first.direction]} {first.delta.text}，"
                f"二者应相同",
                stated=f"{DIRECTION_WORD[other.direction]}{other.delta.text}",
                expected=f"{DIRECTION_WORD[first.direction]}{first.delta.text}",
                related=[(first, "前文表述")],
            )
