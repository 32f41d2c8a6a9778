from __future__ import annotations

from ...extract.performance import number
from ...extract.tables import squash
from ..base import Rule, register
from ._common import title, units

_MISSED = {
    "≥": lambda actual, target: actual < target,
    ">": lambda actual, target: actual <= target,
    "≤": lambda actual, target: actual > target,
    "<": lambda actual, target: actual >= target,
}


@register
class FullMarksDespiteMiss(Rule):
    """What it checks:
    An indicator of a 绩效自评表 whose completion value misses its target by the indicator's own
    nature (≥, >, ≤, <) but is given the full weight as its score.

    Why it matters:
    Full marks for a missed target overstate performance; evaluation guidance deducts points in
    proportion to the shortfall.

    Example:
    实现全年同比增长 | 8.5 | % | ≥ | 权重 1 | 完成值 8.4 | 得分 1

    Instead:
    实现全年同比增长 | 8.5 | % | ≥ | 权重 1 | 完成值 8.4 | 得分 0.99
    """

    code = "KPI005"
    name = "full-marks-despite-miss"
    severity = "warning"
    summary = "未达目标仍得满分"

    def check(self, ctx):
        for unit in units(ctx):
            for ind in unit.indicators:
                nature = squash(ind.nature.text) if ind.nature else ""
                missed = _MISSED.get(nature)
                target, actual = number(ind.target), number(ind.actual)
                score, weight = number(ind.score), number(ind.weight)
                if missed is None or None in (target, actual, score, weight):
                    continue
                if missed(actual, target) and score >= weight:
                    yield ctx.finding(
                        self,
                        ind.score,
                        f"{title(unit)}“{ind.name}”目标 {nature}{ind.target.text}，完成值 {ind.actual.text} 未达标，却得满分 {ind.score.text}",
                        stated=ind.score.text,
                        expected=f"< {ind.weight.text}",
                        related=[(ind.actual, "完成值")],
                    )
