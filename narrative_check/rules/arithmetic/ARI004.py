from __future__ import annotations

from collections import defaultdict

from ...models.claims import ChangeClaim
from ..base import Rule, baseline_word, register


@register
class FlatWithNonzeroChange(Rule):
    """What it checks:
    "持平" / "无变化" stated for a figure that the same sentence says changed against the same
    baseline: a non-zero amount or percentage of change, or a named base different from the
    current value.

    Why it matters:
    "与上年持平" is a claim in its own right; next to a non-zero change it leaves the reader unsure
    which one is true. It is a classic leftover of a template copied from another item.

    Example:
    公务接待费 4.79 万元，较上年增加 1.2 万元，与上年持平。

    Instead:
    公务接待费 4.79 万元，较上年增加 1.2 万元，增长 33.4%。

    检查内容：
    对同一数据、同一基数既写“持平”“无变化”，又写出了不为零的变动：变动额或变动率不为零，或写明的基数与本年数
    不同。只在同一本年数、同一基数（上年数、预算数）之间比较：“较年初预算数无变化”与“较上年支出数减少
    1.13 万元”比的不是同一基数，不报告；变动额写作 0.00 万元的“持平”也不报告。

    为何重要：
    “与上年持平”本身就是一项表述；它与不为零的变动并列，读者无从判断哪一个是真的。这多半是从别的项目
    复制模板句后没有改干净。

    示例：
    公务接待费 4.79 万元，较上年增加 1.2 万元，与上年持平。

    改为：
    公务接待费 4.79 万元，较上年增加 1.2 万元，增长 33.4%。
    （上年数为 4.79 − 1.2 = 3.59 万元，1.2 ÷ 3.59 = 33.4%。）
    """

    code = "ARI004"
    name = "flat-with-nonzero-change"
    severity = "error"
    summary = "写“持平/无变化”但变动不为零"

    def check(self, ctx):
        groups: dict[tuple, list[ChangeClaim]] = defaultdict(list)
        for change in ctx.of_kind("change"):
            change: ChangeClaim
            key = (change.current_claim or change.subject, change.baseline_family)
            groups[key].append(change)
        for changes in groups.values():
            flats = [c for c in changes if c.direction == "flat" or (c.conflicting_directions and "持平" in "".join(c.conflicting_directions))]
            if not flats:
                continue
            for flat in flats:
                ctx.mark_checked(flat)
                for other in changes:
                    moved = [f for f in (other.delta, other.percent, other.points) if f is not None and not ctx.interval(f).contains_zero()]
                    if other.base is not None and other.current is not None and not (ctx.interval(other.current) - ctx.interval(other.base)).contains_zero():
                        moved.append(other.base)
                    if moved:
                        yield ctx.finding(
                            self,
                            flat,
                            f"文中称与{baseline_word(flat)}持平（无变化），但同一处又写变动 {moved[0].text}",
                            stated="持平",
                            expected=f"变动 {moved[0].text}",
                            related=[(other, "变动")] if other is not flat else [],
                        )
                        break
