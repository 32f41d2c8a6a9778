from __future__ import annotations

from collections import defaultdict

from ...models.claims import ShareClaim
from ..base import Rule, register
from ._common import clusters_by_value, quantity


@register
class SameShareDisagrees(Rule):
    """What it checks:
    Two statements of one part's share of one whole — the same part and whole quantities, after
    synonyms and the identities a report must satisfy — that give percentages no rounding
    reconciles ("社会保障和就业支出……占 57%" in one section, "占 59%" in another).

    Why it matters:
    The shares of the 支出 categories are repeated in the overview, the 财政拨款 section and the
    功能分类 paragraphs; a share recomputed in one place and not the other leaves two answers.

    Example:
    其中：基本支出 1648.02 万元，占 16.6% …… 基本支出占支出合计的 18.6%

    Instead:
    The same 16.6% wherever the share of 基本支出 in 支出合计 is stated.

    检查内容：
    同一部分占同一总体的比重，
    在两处表述中的百分比相差超出四舍五入所能解释的范围（一处写“社会保障和就业支出……占 57%”，
    另一处写“占 59%”）。部分和总体按同义名称和应当相等的数据归并后比较。

    为何重要：
    各类支出的占比在总体情况、财政拨款和功能分类各段重复出现；一处重新计算了而另一处没改，
    同一个比重就有了两个答案。

    示例：
    其中：基本支出 1648.02 万元，占 16.6% …… 基本支出占支出合计的 18.6%

    改为：
    其中：基本支出 1648.02 万元，占 16.6% …… 基本支出占支出合计的 16.6%
    """

    code = "CON005"
    name = "same-share-disagrees"
    severity = "error"
    summary = "同一部分占同一总体的比重前后不一致"

    def check(self, ctx):
        groups: dict[tuple, list[ShareClaim]] = defaultdict(list)
        for share in ctx.of_kind("share"):
            part = ctx.by_id.get(share.part_claim) if share.part_claim else None
            whole = ctx.by_id.get(share.whole_claim) if share.whole_claim else None
            key = (quantity(getattr(part, "key", None)), quantity(getattr(whole, "key", None)))
            if all(key) and share.percent.kind == "percent":
                groups[key].append(share)
        for shares in groups.values():
            clusters = clusters_by_value(shares, lambda s: ctx.interval(s.percent))
            first = shares[0]
            for share in shares[1:]:
                ctx.mark_checked(share)
            for cluster in clusters:
                if first in cluster:
                    continue
                for share in cluster:
                    yield ctx.finding(
                        self,
                        share,
                        f"{share.part_subject}占{first.whole_subject or '总体'}的比重此处为 {share.percent.text}，"
                        f"第 {first.line} 行为 {first.percent.text}",
                        stated=share.percent.text,
                        expected=first.percent.text,
                        related=[(first, "前文表述")],
                    )
