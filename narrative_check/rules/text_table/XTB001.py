from __future__ import annotations

from ...models.claims import AmountClaim
from ..base import Rule, register
from ._common import describe, link_cell, link_interval, link_yuan


@register
class TextTableMismatch(Rule):
    """What it checks:
    A figure in the narrative against the table cells that hold the same quantity: the cells are
    found by what the figure is of — its subject (with the synonyms and scope words of
    ``lexicons/``), the funding scope of its sentence or section, and the year and basis of the
    report — never by looking for an equal number. A difference within the rounding of the two
    printed figures is allowed.

    Why it matters:
    The narrative is what is read and quoted; when it disagrees with the table, readers cannot tell
    which one the department stands behind.

    Example:
    2021 年度一般公共预算财政拨款基本支出 1748.02 万元。(公开05表 合计/基本支出: 1,648.02)

    Instead:
    2021 年度一般公共预算财政拨款基本支出 1648.02 万元。

    检查内容：
    说明中的金额与表中同一数据的单元格。单元格按这个数“是什么”来找：主语（含词表中的同义词和口径词）、
    所在句或所在部分的资金口径、报告的年度和预算或决算口径；从不按数值相等去找。两数之差在各自印出精度的
    四舍五入范围内的，不报告；带“约”“以上”的约数不检查。

    为何重要：
    说明是被阅读和引用的部分；与表不一致，读者无从知道部门认定的是哪一个数。

    示例：
    2021 年度一般公共预算财政拨款基本支出 1748.02 万元。
    （公开 05 表合计行基本支出为 1,648.02 万元。）

    改为：
    2021 年度一般公共预算财政拨款基本支出 1648.02 万元。
    """

    code = "XTB001"
    name = "text-table-mismatch"
    severity = "error"
    summary = "文中数字与表中对应数据不符"

    def check(self, ctx):
        for claim in ctx.of_kind("amount"):
            claim: AmountClaim
            links = [l for l in claim.links if l.role == "value"]
            if not links or claim.value.qualifier or claim.value.kind != "money":
                continue
            ctx.mark_checked(claim)
            stated = ctx.interval(claim.value)
            if any(stated.overlaps(link_interval(ctx, l)) for l in links):
                continue
            first = links[0]
            yield ctx.finding(
                self,
                claim,
                f"文中{claim.subject} {claim.value.text}，而{describe(first)}",
                stated=claim.value.text,
                # a blank cell names no figure to write: the message says it is blank, and no correction is offered
                expected=None if first.value is None else f"{format(first.value, 'f')} {first.unit or '万元'}",
                related=[(link_cell(ctx, l), describe(l)) for l in links],
                fix=None if first.value is None else ctx.figure_fix(claim.value, link_yuan(first) / claim.value.scale),
            )
