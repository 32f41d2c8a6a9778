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

    检查内容：
    绩效自评表中，按指标性质（≥、>、≤、<）判断全年完成值没有达到指标值，却给了与权重相同的满分。指标性质
    为“=”或定性指标的，不检查。

    为何重要：
    未达目标仍得满分，夸大了绩效；按绩效评价办法，应按未完成的程度扣分。只作提示。

    示例：
    实现全年同比增长 | 8.5 | % | ≥ | 权重 1 | 完成值 8.4 | 得分 1

    改为：
    实现全年同比增长 | 8.5 | % | ≥ | 权重 1 | 完成值 8.4 | 得分 0.99
    （按完成比例 8.4 ÷ 8.5 × 1 = 0.99。）
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
