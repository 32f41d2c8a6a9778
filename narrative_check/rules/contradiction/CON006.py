from __future__ import annotations

from functools import lru_cache

from ... import lexicons
from ...link.facts import report_year
from ...models.claims import CountClaim
from ..arithmetic._identity import quantity_of
from ..base import Rule, register

_PURCHASE = ("sangong", "TOTAL", "vehicle_purchase")


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for word, role in lexicons.rows("purchase_counts.tsv"):
        out.setdefault(role, []).append(word)
    return {role: tuple(words) for role, words in out.items()}


def cars_bought(count: CountClaim) -> bool:
    """Does the count say how many cars were bought with the money the 三公 figures hold?"""
    words = _words()
    clause = count.subject
    return (count.value.unit == "辆" and any(w in clause for w in words["purchase"])
            and not any(w in clause for w in words["held"] + words["other_funds"]))


@register
class CarsBoughtWithoutPurchaseSpending(Rule):
    """What it checks:
    A count of official cars bought in the report's year ("本年度使用财政拨款购置公务用车 7 辆")
    against the 公务用车购置费 the same report states: cars bought with 财政拨款 cannot cost 0.
    Counts of cars held, retired or planned, and cars paid from other funds, are not compared.

    Why it matters:
    The purchase count and the purchase spending are filled in from different forms; a count
    copied from the 保有量 line, or a purchase left out of the spending, misstates exactly what the
    public checks most closely in the “三公” section.

    Example:
    公务用车购置费 0 万元……本年度使用公共预算财政拨款购置公务用车 7 辆，年末保有 7 辆。

    Instead:
    公务用车购置费 0 万元……本年度未购置公务用车，年末保有 7 辆。

    检查内容：
    报告所述本年度购置公务用车的数量（“本年度使用财政拨款购置公务用车 7 辆”），
    与同一报告列出的公务用车购置费对照：使用财政拨款购置了车辆，购置费不可能为 0。年末保有、报废、
    计划购置的车辆，以及用其他资金购置的车辆，不作比较。

    为何重要：
    购置数量和购置费用来自不同报表；误抄了保有量，或者购置费漏计，错的恰好是公众最关注的“三公”经费。

    示例：
    公务用车购置费 0 万元……本年度使用公共预算财政拨款购置公务用车 7 辆，年末保有 7 辆。

    改为：
    公务用车购置费 0 万元……本年度未购置公务用车，年末保有 7 辆。
    """

    code = "CON006"
    name = "cars-bought-without-purchase-spending"
    severity = "warning"
    summary = "购置车辆数与公务用车购置费不符"

    def check(self, ctx):
        year = report_year(ctx.doc)
        spent = [a for a in ctx.current_amounts()
                 if quantity_of(a, year) == _PURCHASE and a.basis != "budget" and not a.value.qualifier]
        if not spent or any(a.value.value != 0 for a in spent):
            return  # no purchase spending stated, or some of it is not zero
        for count in ctx.of_kind("count"):
            if not cars_bought(count) or count.value.value == 0 or count.year not in (None, year):
                continue
            ctx.mark_checked(count)
            yield ctx.finding(
                self, count,
                f"文中{count.subject} {count.value.text}，而{spent[0].subject} {spent[0].value.text}：购置车辆却无购置支出",
                stated=count.value.text, expected="0辆，或写明购置费",
                related=[(a, "公务用车购置费") for a in spent],
            )
