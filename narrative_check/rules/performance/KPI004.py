from __future__ import annotations

from ...extract.performance import number
from ..base import Rule, fmt, register
from ._common import points, title, total, units


@register
class TotalScoreMismatch(Rule):
    """What it checks:
    The 自评总分 of a 绩效自评表 against its parts: the sum of the indicator scores, with or without
    the 执行率得分 (templates differ on whether the execution rate counts towards the total).

    Why it matters:
    The total score is the one figure published and compared; when it is not the sum of its
    scores, the evaluation was edited after the fact or copied from another table.

    Example:
    自评总分 97.99 with indicator scores adding up to 97.60 and 执行率得分 10

    Instead:
    自评总分 97.60 (or 107.60 where the execution rate counts)

    检查内容：
    绩效自评表的自评总分与各项得分之和：应等于各项指标得分之和，或再加上执行率得分（各地模板对执行率得分
    是否计入总分做法不一，两种都认可）。得分是人工评定的，按原数相加，不留误差。有得分的指标少于两项的，
    不检查。

    为何重要：
    自评总分是对外公开、用来比较的那一个数；它不等于各项得分之和，说明评分事后改过，或是从别的表抄来的。

    示例：
    各项指标得分合计 87.60 | 执行率得分 10 | 自评总分 97.99
    （87.60 + 10 = 97.60；不计执行率得分则为 87.60。）

    改为：
    各项指标得分合计 87.60 | 执行率得分 10 | 自评总分 97.60
    """

    code = "KPI004"
    name = "total-score-mismatch"
    severity = "error"
    summary = "自评总分与各项得分之和不符"

    def check(self, ctx):
        for unit in units(ctx):
            stated = points(unit.total_score)
            scores = [i.score for i in unit.indicators if number(i.score) is not None]
            if stated is None or len(scores) < 2:
                continue
            indicators, exact = total(scores)
            options = [(indicators, exact)]
            rate_score = unit.funds.rate_score if unit.funds else None
            if number(rate_score) is not None:
                r = points(rate_score)
                options.append((indicators + r, exact + number(rate_score)))
            if any(iv.overlaps(stated) for iv, _ in options):
                continue
            expected = " 或 ".join(fmt(e, 2) for _, e in options)
            yield ctx.finding(
                self,
                unit.total_score,
                f"{title(unit)}自评总分 {unit.total_score.text}，各项得分之和为 {expected}",
                stated=unit.total_score.text,
                expected=expected,
            )
