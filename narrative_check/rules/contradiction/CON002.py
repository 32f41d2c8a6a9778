from __future__ import annotations

from collections import defaultdict

from ...models.claims import ChangeClaim
from ...models.findings import Fix
from ..arithmetic._change import implied_rate, rate_fits
from ..base import DIRECTION_WORD, RATE_WORD, Rule, baseline_word, fmt, register
from ._common import change_quantity, disagreements, signed_delta


@register
class SameChangeDisagrees(Rule):
    """What it checks:
    Two changes of the same quantity against the same baseline that state different amounts or
    different percentages — including quantities a report must keep equal: 收入总计 and 支出总计
    change by the same amount, and the same percentage, against the same year.

    Why it matters:
    "收支较上年决算数减少 2343.3 万元" and "收入总计……减少 1863.3 万元" cannot both be true when 收入总计
    equals 支出总计 in both years; one of them was edited without the other.

    Example:
    2021 年度收入总计 9909.15 万元，支出总计 9909.15 万元。收支较上年决算数减少 2343.3 万元 ……
    2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元

    Instead:
    The same 减少 2343.3 万元 in both places.

    检查内容：
    同一数据相对同一比较基数的两处变动表述，变动额或变动率不一致。应当相等的数据也一并比较：
    收入总计与支出总计相对同一年度的变动额和变动率应当相同。

    为何重要：
    收入总计等于支出总计时，
    “收支较上年决算数减少 2343.3 万元”与“收入总计……减少 1863.3 万元”不可能同时成立，
    说明其中一处改了，另一处没有跟着改。

    示例：
    2021 年度收入总计 9909.15 万元，支出总计 9909.15 万元。收支较上年决算数减少 2343.3 万元 ……
    2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元

    改为：
    2021 年度收入总计 9909.15 万元，支出总计 9909.15 万元。收支较上年决算数减少 2343.3 万元 ……
    2021 年度收入总计 9909.15 万元，较上年决算数减少 2343.3 万元
    """

    code = "CON002"
    name = "same-change-disagrees"
    severity = "error"
    summary = "同一数据的变动额或变动率前后不一致"
    # Its fix rewrites the later statement after the earlier one only where the earlier is whole
    # in itself and the rewritten later one is too, its rate included.
    settles = frozenset({"ARI001"})

    def check(self, ctx):
        groups: dict[tuple, list[ChangeClaim]] = defaultdict(list)
        for change in ctx.of_kind("change"):
            q = change_quantity(ctx, change)
            measured = signed_delta(ctx, change) is not None or _signed_percent(ctx, change) is not None
            if q and measured and change.baseline_family:
                groups[(q, change.baseline_family)].append(change)
        for first, other, differs in disagreements(groups.values(), lambda a, b: _difference(ctx, a, b)):
            ctx.mark_checked(other)
            if differs is None:
                continue
            said, earlier = (_amount_text if differs == "delta" else _percent_text)(other), (_amount_text if differs == "delta" else _percent_text)(first)
            yield ctx.finding(
                self,
                other,
                f"{other.subject}较{baseline_word(other)}{said}，而第 {first.line} 行{first.subject}较{baseline_word(first)}{earlier}，二者应相同",
                stated=said.replace(" ", ""),
                expected=earlier.replace(" ", ""),
                related=[(first, "前文表述")],
                fix=_as_the_other_says(ctx, other, first, differs),
            )


def _as_the_other_says(ctx, change: ChangeClaim, model: ChangeClaim, differs: str) -> Fix | None:
    """The edits writing `change` as `model` states it, when that explains the slip: `model`'s
    own figures agree with each other and `change` rewritten holds together with its own current
    value (a rate recomputed from the new amount). None when either statement may be the wrong one."""
    if change.direction != model.direction or rate_fits(ctx, model) is False or change.current is None:
        return None
    if rate_fits(ctx, change) is not False:
        return None  # the later statement holds in itself too: either may be the one that slipped
    edits = []
    if differs == "delta":
        new_delta = model.delta.yuan
        edits.append(ctx.figure_edit(change.delta, fmt(new_delta / change.delta.scale, max(0, -change.delta.exponent))))
        sign = change.sign
        base = change.current.yuan - sign * new_delta
        if base <= 0:
            return None
        rate = new_delta / base * 100
        if change.percent is not None:
            if model.percent is not None and not ctx.rate_interval(model.percent).contains(rate):
                return None
            if not ctx.rate_interval(change.percent).contains(rate):
                edits.append(ctx.figure_edit(change.percent, fmt(rate, max(0, -change.percent.exponent))))
    else:
        if rate_fits(ctx, change) is not False:
            return None  # the rate fits its own figures: the slip may be in the other statement
        implied = implied_rate(ctx, change)
        if implied is None or not implied[0].overlaps(ctx.rate_interval(model.percent)):
            return None
        edits.append(ctx.figure_edit(change.percent, model.percent.text.rstrip("%％ ")))
    if any(e is None for e in edits):
        return None
    return ctx.fix(edits)


def _signed_percent(ctx, change):
    p = change.percent
    if p is None or p.kind != "percent" or change.direction not in ("increase", "decrease"):
        return None
    interval = ctx.interval(p)
    return interval if change.direction == "increase" else -interval


def _difference(ctx, a, b) -> str | None:
    """'delta' or 'percent' when the two changes state that measure differently; None when they agree
    on everything both state, or are against baselines that name different figures (上年预算数 and
    上年决算数 are both last year's, but not one figure)."""
    if not a.baseline.may_name_the_figure_of(b.baseline):
        return None
    for measure, signed in (("delta", signed_delta), ("percent", _signed_percent)):
        x, y = signed(ctx, a), signed(ctx, b)
        if x is not None and y is not None and not x.overlaps(y):
            return measure
    return None


def _amount_text(change) -> str:
    return f"{DIRECTION_WORD[change.direction]} {change.delta.text}"


def _percent_text(change) -> str:
    return f"{RATE_WORD[change.direction]} {change.percent.text}"
