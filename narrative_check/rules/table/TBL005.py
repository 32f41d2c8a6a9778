from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ... import lexicons
from ...interval import sum_intervals
from ..base import Rule, register
from ._common import fact_interval, fact_text


def _key(text: str) -> tuple:
    scope, flow, item, role = text.split("/")
    return (scope, flow, item, role, None)


@lru_cache(maxsize=1)
def _identities() -> list[tuple[tuple, list[tuple], str]]:
    return [(_key(r[0]), [_key(k.strip()) for k in r[1].split("+")], r[2] if len(r) > 2 else "") for r in lexicons.rows("fact_identities.tsv")
            if len(r) < 4 or r[3] != "narrative"]


@register
class TableIdentityMismatch(Rule):
    """What it checks:
    Identities between tables, or between the two sides of one table, listed in
    ``lexicons/fact_identities.tsv``: 收入总计 = 支出总计 in the 收入支出总表 and the 财政拨款收入支出总表;
    the 基本支出 of the 一般公共预算财政拨款支出表 = 人员经费 + 公用经费 of the 基本支出表. Rounding is
    allowed for.

    Why it matters:
    These identities hold by construction of the accounts; when one fails, a table was produced
    from a different version of the ledger than the others.

    Example:
    《一般公共预算财政拨款支出决算表》合计/基本支出 1,748.02 with 人员经费合计 1,217.20 and 公用经费合计 430.82

    Instead:
    基本支出 1,648.02

    检查内容：
    表与表之间、或同一张表两侧之间的勾稽关系（lexicons/fact_identities.tsv）：收入支出总表和财政拨款收入
    支出总表中，收入总计 = 支出总计；一般公共预算财政拨款支出表的基本支出 = 一般公共预算财政拨款基本支出表
    的人员经费合计 + 公用经费合计。允许四舍五入误差。

    为何重要：
    这些关系由会计核算本身决定，不成立就说明其中一张表出自另一个版本的账。

    示例：
    《一般公共预算财政拨款支出决算表》合计行基本支出 1,748.02；《一般公共预算财政拨款基本支出决算表》人员
    经费合计 1,217.20，公用经费合计 430.82。
    （1,217.20 + 430.82 = 1,648.02。）

    改为：
    《一般公共预算财政拨款支出决算表》合计行基本支出 1,648.02。
    """

    code = "TBL005"
    name = "table-identity-mismatch"
    severity = "error"
    summary = "表间勾稽关系不成立"

    def check(self, ctx):
        by_key = defaultdict(list)
        for fact in ctx.facts:
            if fact.value is not None:
                by_key[fact.key.loose()].append(fact)
        for left, right, meaning in _identities():
            lefts = by_key.get(left, [])
            rights = [by_key.get(k, []) for k in right]
            if not lefts or not all(rights):
                continue
            parts = [facts[0] for facts in rights]
            total = sum_intervals(fact_interval(ctx, f) for f in parts)
            exact = sum(f.value * f.scale for f in parts)
            for fact in lefts:
                if fact_interval(ctx, fact).overlaps(total):
                    continue
                unit = parts[0].scale
                yield ctx.finding(
                    self,
                    fact.cell,
                    f"{fact.describe()} 为 {fact_text(fact)}，而 " + " + ".join(f"{p.describe()} {fact_text(p)}" for p in parts)
                    + f" = {format(exact / unit, 'f')}（{meaning}）",
                    stated=fact_text(fact),
                    expected=format(exact / unit, "f"),
                    related=[(p.cell, p.describe()) for p in parts],
                )
