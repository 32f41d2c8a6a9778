from __future__ import annotations

from ...extract.performance import number
from ..base import Rule, register
from ._common import rate_weight, title, units


@register
class ScoreExceedsWeight(Rule):
    """What it checks:
    Each score of a 绩效自评表 against its weight: an indicator's 指标得分 cannot exceed its 指标权重,
    nor the 执行率得分 its 执行率权重.

    Why it matters:
    A score above its weight inflates the self-evaluation total that ranks the department's
    spending; it is usually a score typed into the wrong column.

    Example:
    执行率 100% | 执行率权重 10 | 执行率得分 100

    Instead:
    执行率 100% | 执行率权重 10 | 执行率得分 10

    检查内容：
    绩效自评表中每一项得分与其权重：指标得分不得超过该指标的权重，执行率得分不得超过执行率权重。

    为何重要：
    得分超过权重，会抬高据以排名的自评总分；这多半是把得分填进了别的栏。

    示例：
    执行率 100% | 执行率权重 10 | 执行率得分 100

    改为：
    执行率 100% | 执行率权重 10 | 执行率得分 10
    """

    code = "KPI002"
    name = "score-exceeds-weight"
    severity = "error"
    summary = "得分超过权重"

    def check(self, ctx):
        for unit in units(ctx):
            pairs = [(i.score, i.weight, i.name) for i in unit.indicators]
            if unit.funds is not None:
                pairs.append((unit.funds.rate_score, rate_weight(unit), "执行率"))
            for score, weight, name in pairs:
                s, w = number(score), number(weight)
                if s is None or w is None or s <= w:
                    continue
                yield ctx.finding(
                    self,
                    score,
                    f"{title(unit)}“{name}”得分 {score.text} 超过其权重 {weight.text}",
                    stated=score.text,
                    expected=f"≤ {weight.text}",
                    related=[(weight, "权重")],
                )
