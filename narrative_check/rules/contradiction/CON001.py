from __future__ import annotations

from collections import defaultdict

from ...link.facts import report_basis
from ...models.claims import AmountClaim
from ..base import Rule, register
from ._common import disagreements, quantity


@register
class SameQuantityDisagrees(Rule):
    """What it checks:
    Two statements of the same quantity in one report — the same subject, funding scope and year,
    after synonyms (``lexicons/concepts.tsv``) and the identities a report must satisfy (收入总计 =
    支出总计) — that give values no rounding can reconcile.

    Why it matters:
    A report repeats its key figures in the overview, the 收入 and 支出 sections and the 财政拨款
    section; when one repetition was not updated, readers quote whichever they read first.

    Example:
    2021 年度收入总计 9909.15 万元 …… 2.收入情况。2021 年度收入总计 9990.15 万元

    Instead:
    The same 9909.15 万元 wherever 收入总计 is stated.

    检查内容：
    同一报告中对同一数据的两处表述，数值相差超出四舍五入所能解释的范围。同一数据指项目、
    资金范围和年度都相同；名称不同但含义相同的（见 lexicons/concepts.tsv）视为同一项目，
    收入总计与支出总计视为应当相等的数据。

    为何重要：
    报告在总体情况、收入、支出和财政拨款各部分反复列出主要数据；一处改了另一处没改，读者引用哪个数，
    就看先读到哪一处。

    示例：
    2021 年度收入总计 9909.15 万元 …… 2.收入情况。2021 年度收入总计 9990.15 万元

    改为：
    2021 年度收入总计 9909.15 万元 …… 2.收入情况。2021 年度收入总计 9909.15 万元
    """

    code = "CON001"
    name = "same-quantity-disagrees"
    severity = "error"
    summary = "同一数据前后表述不一致"

    def check(self, ctx):
        groups: dict[tuple, list[AmountClaim]] = defaultdict(list)
        own_basis = report_basis(ctx.doc)
        for claim in ctx.current_amounts():
            q = quantity(claim.key)
            if q and claim.value.kind == "money" and not claim.value.qualifier:
                groups[(q, None if claim.basis == own_basis else claim.basis)].append(claim)  # '预算支出' and '决算支出' are different figures
        same = lambda a, b: ctx.interval(a.value).overlaps(ctx.interval(b.value))  # noqa: E731
        for first, other, agree in disagreements(groups.values(), same):
            ctx.mark_checked(other)
            if agree:
                continue
            yield ctx.finding(
                self,
                other,
                f"{other.subject} 此处为 {other.value.text}，第 {first.line} 行为 {first.value.text}（{first.subject}）",
                stated=other.value.text,
                expected=first.value.text,
                related=[(first, "前文表述")],
            )
