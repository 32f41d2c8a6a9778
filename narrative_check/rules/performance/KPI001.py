from __future__ import annotations

from decimal import Decimal

from ...extract.performance import number
from ..base import Rule, fmt, register
from ._common import interval, title, units

_CAP_SLACK = Decimal(105)


@register
class ExecutionRateMismatch(Rule):
    """What it checks:
    The 执行率 of a 绩效自评表 funds line against 全年执行数 ÷ 全年（调整）预算数 (÷ 年初预算数 when no
    adjusted budget is given). A rate written as 100% for a small overrun (up to 105%) is accepted as
    the usual cap. When 年初预算数 plus the 全年（调整）预算数 figure gives the stated rate, the
    column holds the adjustment, not the adjusted budget, and the finding says so at that cell.

    Why it matters:
    The execution rate carries points in the self-evaluation; a rate that does not follow from the
    funds line scores money that was not spent as planned — or hides that the 调整预算数 column
    holds something else.

    Example:
    年初预算数 8843.23 | 全年(调整)预算数 1065.92 | 全年执行数 9909.15 | 执行率 100

    Instead:
    年初预算数 8843.23 | 全年(调整)预算数 9909.15 | 全年执行数 9909.15 | 执行率 100

    检查内容：
    绩效自评表资金情况一行的执行率，应等于全年执行数 ÷ 全年（调整）预算数；没有填调整预算数的，
    ÷ 年初预算数。执行率按其印出的精度比较；略有超支（不超过 105%）而按惯例封顶写作 100% 的，不报告。
    年初预算数加上“全年（调整）预算数”一栏的数恰好得出所填执行率的，说明此栏填的是调整数而非调整后的
    全年预算数，在该单元格报告，建议填入二者之和。

    为何重要：
    执行率在自评中计分；与资金情况对不上的执行率，要么把没有按计划使用的资金也计了分，要么说明“全年
    （调整）预算数”一栏填的是别的数。

    示例：
    年初预算数 8843.23 | 全年（调整）预算数 1065.92 | 全年执行数 9909.15 | 执行率 100
    （9909.15 ÷ 1065.92 = 929.63%；而 8843.23 + 1065.92 = 9909.15，此栏填的是调整数。）

    改为：
    年初预算数 8843.23 | 全年（调整）预算数 9909.15 | 全年执行数 9909.15 | 执行率 100
    """

    code = "KPI001"
    name = "execution-rate-mismatch"
    severity = "error"
    summary = "执行率与执行数、预算数不符"

    def check(self, ctx):
        for unit in units(ctx):
            funds = unit.funds
            if funds is None or funds.rate is None or funds.executed is None:
                continue
            denominator = funds.adjusted if number(funds.adjusted) else funds.budget
            rate, executed, base = interval(funds.rate), interval(funds.executed), interval(denominator)
            if rate is None or executed is None or base is None or number(denominator) == 0:
                continue
            implied = executed / base
            if implied is None:
                continue
            implied = implied.scale(Decimal(100))
            if implied.overlaps(rate):
                continue
            exact = number(funds.executed) / number(denominator) * 100
            if number(funds.rate) == 100 and Decimal(100) < exact <= _CAP_SLACK:
                continue
            which = "全年（调整）预算数" if denominator is funds.adjusted else "年初预算数"
            if denominator is funds.adjusted and (adjustment := _an_adjustment(funds, rate)) is not None:
                yield self._adjustment_column(ctx, unit, funds, adjustment)
                continue
            yield ctx.finding(
                self,
                funds.rate,
                f"{title(unit)}执行率 {funds.rate.text}，按全年执行数 {funds.executed.text} ÷ {which} {denominator.text} 计算为 {fmt(exact, 2)}%",
                stated=funds.rate.text,
                expected=f"{fmt(exact, 2)}%",
                related=[(funds.executed, "全年执行数"), (denominator, which)],
            )

    def _adjustment_column(self, ctx, unit, funds, adjusted_budget: Decimal):
        written = funds.adjusted.text
        return ctx.finding(
            self,
            funds.adjusted,
            f"{title(unit)}全年（调整）预算数 {written} 栏填的是调整数：年初预算数 {funds.budget.text} + {written} = "
            f"{format(adjusted_budget, 'f')}，按此全年预算数，执行率 {funds.rate.text} 与全年执行数 {funds.executed.text} 相符；"
            f"此栏应填调整后的全年预算数",
            stated=written,
            expected=format(adjusted_budget, "f"),
            related=[(funds.budget, "年初预算数"), (funds.executed, "全年执行数"), (funds.rate, "执行率")],
            fix=ctx.fix([(funds.adjusted.start, funds.adjusted.end, format(adjusted_budget, "f"))]),
        )


def _an_adjustment(funds, rate) -> Decimal | None:
    """The full-year budget when the 全年（调整）预算数 column holds the adjustment instead: the
    year's opening budget plus that figure gives the stated rate, and the figure alone does not.
    None when the column reads as a budget, or the line gives no opening budget."""
    budget, adjusted, executed = interval(funds.budget), interval(funds.adjusted), interval(funds.executed)
    if budget is None or adjusted is None or executed is None or not number(funds.adjusted):
        return None
    implied = executed / (budget + adjusted)
    if implied is None or not implied.scale(Decimal(100)).overlaps(rate):
        return None
    return number(funds.budget) + number(funds.adjusted)
