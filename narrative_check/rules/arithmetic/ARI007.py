from __future__ import annotations

from decimal import Decimal

from ... import not_checked
from ...interval import sum_intervals
from ...models.claims import CompositionClaim
from ...link.facts import report_year
from ..base import Rule, fmt_figure_value, register
from ._composition import WHOLE, the_slip
from ._identity import complete_parts


@register
class CompositionSumMismatch(Rule):
    """What it checks:
    The parts listed after "其中" (or after a colon, or in a numbered list a paragraph introduces)
    against their whole. Parts may leave something out, so they must not add up to more than the
    whole; when the text gives every part a share and the shares make 100%, or the parts are every
    part a disclosure's definitions give the whole (“三公”经费: 因公出国（境）费, 公务用车购置及运行维护费,
    公务接待费; ``lexicons/fact_identities.tsv``), the parts must add up to the whole. Rounding is
    allowed for: each part may be off by half a unit of its last digit.

    Why it matters:
    Parts that exceed their total mean a figure was mistyped or copied from another year; a list
    presented as complete that falls short hides spending. A list whose first parts, up to a
    semicolon, make the whole ended there ("基本支出 X 元，其中工资福利支出 A 元，商品和服务支出 B 元；
    项目支出 Y 元" goes on with the whole's sibling), and is not held to the items after it.

    Example:
    2024 年年初预算数 5,738.89 万元，其中：一般公共服务支出 160 万元，社会保障和就业支出 5,148.53 万元，
    卫生健康支出 169.14 万元，农林水支出 158.35 万元，住房保障支出 202.87 万元。

    Instead:
    2024 年年初预算数 5,738.89 万元，其中：一般公共服务支出 160 万元，社会保障和就业支出 5,048.53 万元，
    卫生健康支出 169.14 万元，农林水支出 158.35 万元，住房保障支出 202.87 万元。

    检查内容：
    “其中”（或冒号、或段落引出的编号列表）所列各分项与其总数。所列分项可以不全，因此分项之和不得大于总数；
    各分项都写了占比且占比合计为 100%，或文中称所列即为全部，或所列恰是口径规定的全部构成项（如“三公”
    经费 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费，见 lexicons/fact_identities.tsv）时，
    分项之和还应等于总数。每个分项允许末位半个单位的四舍五入误差。分号前的几项已凑足总数的（“基本支出
    X 万元，其中工资福利支出 A 万元，商品和服务支出 B 万元；项目支出 Y 万元”），列表到分号为止，分号后
    与总数并列的项不计入。

    为何重要：
    分项之和超过总数，说明有数字录错或套用了别的年度；称为全部的分项之和不足总数，则有支出没有交代。

    示例：
    2024 年年初预算数 5,738.89 万元，其中：一般公共服务支出 160 万元，社会保障和就业支出 5,148.53 万元，
    卫生健康支出 169.14 万元，农林水支出 158.35 万元，住房保障支出 202.87 万元。
    （五项合计 5,838.89 万元，比总数多 100 万元。）

    改为：
    2024 年年初预算数 5,738.89 万元，其中：一般公共服务支出 160 万元，社会保障和就业支出 5,048.53 万元，
    卫生健康支出 169.14 万元，农林水支出 158.35 万元，住房保障支出 202.87 万元。
    """

    code = "ARI007"
    name = "composition-sum-mismatch"
    severity = "error"
    summary = "分项之和与总数不符"

    def check(self, ctx):
        for comp in ctx.of_kind("composition"):
            comp: CompositionClaim
            figures = [comp.whole, *(p.value for p in comp.parts)]
            if any(f.kind != "money" or f.qualifier for f in figures):
                ctx.skip(comp, not_checked.NOT_EXACT_AMOUNTS)
                continue
            ctx.mark_checked(comp)
            total = sum_intervals(ctx.interval(p.value) for p in comp.parts)
            whole = ctx.interval(comp.whole)
            parts_sum = sum((p.value.yuan for p in comp.parts), Decimal(0))
            shares = [p.percent for p in comp.parts]
            complete = (comp.said_complete or (all(shares) and sum_intervals(ctx.interval(s) for s in shares).contains(Decimal(100)))
                        or _names_every_part(ctx, comp))
            if total.lo > whole.hi and _ended_early(ctx, comp, whole):
                continue
            if total.lo > whole.hi:
                problem = "超过"
            elif complete and total.hi < whole.lo:
                problem = "少于"
            else:
                continue
            message = (f"{len(comp.parts)} 个分项合计 {fmt_figure_value(parts_sum, comp.whole)}，{problem}{comp.whole_subject} "
                       f"{comp.whole.text}" + (("（文中各项占比合计为 100%）" if all(shares) else "（文中称所列为其全部）" if comp.said_complete
                                               else "（所列为其全部构成项）") if problem == "少于" else ""))
            stated, expected, fix = comp.whole.text, fmt_figure_value(parts_sum, comp.whole), None
            slip = the_slip(ctx, comp)
            if slip == WHOLE and _only_here(ctx, comp):
                fix = ctx.figure_fix(comp.whole, parts_sum / comp.whole.scale)
            elif isinstance(slip, int):
                part = comp.parts[slip]
                left = comp.whole.yuan - (parts_sum - part.value.yuan)
                stated, expected = part.value.text, fmt_figure_value(left, part.value)
                message += f"；按{comp.whole_subject}与其余各项，{part.subject}应为 {expected}"
                fix = ctx.figure_fix(part.value, left / part.value.scale)
            yield ctx.finding(self, comp, message, stated=stated, expected=expected, fix=fix)


def _only_here(ctx, comp: CompositionClaim) -> bool:
    """Is the whole stated here and tied to nothing else (a table cell, a wider list it is a part
    of)? Only then does rewriting it explain the slip: elsewhere, the other figure backs it and a
    part is what was mistyped."""
    whole = ctx.by_id.get(comp.whole_claim)
    if whole is None or getattr(whole, "links", None):
        return False
    return not any(p.claim == comp.whole_claim for other in ctx.of_kind("composition") if other is not comp for p in other.parts)


def _ended_early(ctx, comp: CompositionClaim, whole) -> bool:
    """Do the parts before one that follows a semicolon add up to the whole?"""
    for i, part in enumerate(comp.parts):
        if i >= 2 and part.opens_clause and sum_intervals(ctx.interval(p.value) for p in comp.parts[:i]).overlaps(whole):
            return True
    return False


def _names_every_part(ctx, comp: CompositionClaim) -> bool:
    return complete_parts(ctx.by_id.get(comp.whole_claim), [ctx.by_id.get(p.claim) for p in comp.parts], report_year(ctx.doc))
