from __future__ import annotations

from collections import defaultdict

from ...link.facts import report_year
from ...link.tables import baseline_year
from ...models.claims import AmountClaim
from ..arithmetic._change import ChangeFigures, change_figures
from ..base import Rule, baseline_word, fmt_figure_value, register
from ._common import change_quantity, clusters_by_value, quantity

# The basis an explicit prior-year figure must have to be the base of a change against a baseline.
_BASIS_OF_BASELINE = {"prior_final": "final", "prior_budget": "budget", "year_final": "final", "year_budget": "budget"}


@register
class ImpliedPriorYearDisagrees(Rule):
    """What it checks:
    A prior-year figure the report states outright ("2020 年决算总收入 15832.56 万元", typically in the
    performance-evaluation section) against the prior-year figure a change statement implies
    (current − change: "收入总计 9909.15 万元，较上年决算数减少 2343.3 万元" implies 12252.45 万元 for
    2020). The quantities must match (after synonyms and 收入总计 = 支出总计), and the explicit
    figure's basis (决算/预算), when it names one, must be the baseline's.

    Why it matters:
    Last year's totals are quoted from last year's report; when they disagree with this year's
    change statements, either the change or the quotation is wrong.

    Example:
    2021 年度收入总计 9909.15 万元……收支较上年决算数减少 2343.3 万元 ……
    2020 年决算总收入 15832.56 万元

    Instead:
    The same prior-year total in both places (12252.45 万元), or a change computed from the quoted total.

    检查内容：
    报告直接写出的上年数（“2020 年决算总收入 15832.56 万元”，多见于绩效评价部分），
    与变动表述推算的上年数不一致。推算的上年数等于本年数减去变动额：“收入总计 9909.15 万元，
    较上年决算数减少 2343.3 万元”，推算 2020 年为 12252.45 万元。两处须为同一数据（同义名称归并，
    收入总计等于支出总计）；直接写出的上年数注明决算或预算的，须与变动的比较基数相同。

    为何重要：
    上年数引自上年报告；与本年的变动表述对不上，不是变动额错了，就是引用的上年数错了。

    示例：
    2021 年度收入总计 9909.15 万元……收支较上年决算数减少 2343.3 万元 ……
    2020 年决算总收入 15832.56 万元

    改为：
    2021 年度收入总计 9909.15 万元……收支较上年决算数减少 2343.3 万元 ……
    2020 年决算总收入 12252.45 万元
    """

    code = "CON004"
    name = "implied-prior-year-disagrees"
    severity = "error"
    summary = "变动推算的上年数与文中明示的上年数不一致"

    def check(self, ctx):
        year = report_year(ctx.doc)
        if year is None:
            return
        stated: dict[tuple, list[AmountClaim]] = defaultdict(list)  # (quantity, year, basis named)
        for amount in ctx.current_amounts():
            if amount.year is not None and amount.year < year and amount.value.kind == "money" and not amount.value.qualifier:
                q = quantity("/".join(amount.key.split("/")[:4])) if amount.key else None
                if q:
                    stated[(q, amount.year, amount.basis)].append(amount)
                    ctx.mark_checked(amount)
        if not stated:
            return
        clusters = {k: clusters_by_value(v, lambda a: ctx.interval(a.value)) for k, v in stated.items()}
        against: dict[int, list] = defaultdict(list)  # id(cluster) → (change, implied base) it contradicts
        for change in ctx.of_kind("change"):
            prior = baseline_year(change, year)
            q = change_quantity(ctx, change)
            if q is None or prior is None:
                continue
            wanted = _BASIS_OF_BASELINE.get(change.baseline.kind)
            bases = (None, wanted) if wanted else (None, "final", "budget")
            candidates = [c for b in bases for c in clusters.get((q, prior, b), [])]
            if not candidates:
                continue
            figures = change_figures(ctx, change)
            if not isinstance(figures, ChangeFigures) or figures.explicit_base:
                continue
            for cluster in candidates:
                if not ctx.interval(cluster[0].value).overlaps(figures.base):
                    against[id(cluster)].append((change, figures.base_point))
        disagreeing = {a.id: against[id(c)] for cs in clusters.values() for c in cs if against.get(id(c)) for a in c}
        # One finding per explicit figure, however many change statements it contradicts.
        for amount_id, found in disagreeing.items():
            amount = ctx.by_id[amount_id]
            change, base_point = found[0]
            implied = fmt_figure_value(base_point, amount.value)
            more = f"（另有 {len(found) - 1} 处变动表述推算结果也不同）" if len(found) > 1 else ""
            yield ctx.finding(
                self,
                amount,
                f"此处{amount.year}年{amount.subject}为 {amount.value.text}，而第 {change.line} 行{change.subject}"
                f"较{baseline_word(change)}的变动推算{amount.year}年为 {implied}{more}",
                stated=amount.value.text,
                expected=implied,
                related=[(c, f"推算上年数为 {fmt_figure_value(b, amount.value)} 的变动表述") for c, b in found],
            )
