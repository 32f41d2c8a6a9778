from __future__ import annotations

from decimal import Decimal

from ...extract.performance import number
from ...interval import Interval
from ..base import Rule, fmt, register
from ._common import rate_weight, title, total, units

HUNDRED = Decimal(100)


@register
class WeightsTotal(Rule):
    """What it checks:
    The indicator weights of one 绩效目标表 or 绩效自评表 unit add up to 100, or to 100 minus the
    预算执行率 weight when the table gives one (90 + 10).

    Why it matters:
    Scores are shares of the weights; weights that do not make 100 make every score, and the
    total, mean something other than what the table says.

    Example:
    指标权重 20, 10, 20, 10, 10, 10, 10 (90) with no 执行率权重

    Instead:
    指标权重 20, 10, 20, 10, 10, 10, 20 (100)

    检查内容：
    同一张绩效目标表或绩效自评表中，各项指标权重之和应等于 100；表中另设执行率权重的，也可以是 100 减去执行率
    权重（如指标 90 + 执行率 10）。权重是人工设定的，按原数相加，不留误差。有权重的指标少于两项的，不检查。

    为何重要：
    得分按权重计；权重合计不是 100，各项得分和总分的含义就与表上所写的不同。

    示例：
    指标权重 20、10、20、10、10、10、10（合计 90），表中未设执行率权重。

    改为：
    指标权重 20、10、20、10、10、10、20（合计 100）。
    """

    code = "KPI003"
    name = "weights-total"
    severity = "error"
    summary = "指标权重合计不为 100"

    def check(self, ctx):
        for unit in units(ctx):
            weights = [i.weight for i in unit.indicators if i.weight is not None]
            if len(weights) < 2:
                continue
            interval, exact = total(weights)
            rw = number(rate_weight(unit))
            targets = [HUNDRED] + ([HUNDRED - rw] if rw else [])
            if any(interval.overlaps(Interval.exact(t)) for t in targets):
                continue
            expected = " 或 ".join(fmt(t, 0) for t in targets)
            yield ctx.finding(
                self,
                weights[0],
                f"{title(unit)}{len(weights)} 项指标权重合计 {fmt(exact, 2)}，应为 {expected}",
                stated=fmt(exact, 2),
                expected=expected,
            )
