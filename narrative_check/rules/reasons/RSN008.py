from __future__ import annotations

from collections import defaultdict

from ...extract.subjects import subject_key
from ..base import Rule, register
from ._common import passage_span, passages


@register
class BoilerplateReason(Rule):
    """What it checks:
    The same reason, word for word (numbers aside) and without amounts, given for
    ``boilerplate_min_uses`` or more different items (3 by default): "严格执行中央八项规定、坚持厉行节约的原则"
    under 三公经费, 公务接待费 and 会议费 alike. Information only.

    Why it matters:
    A stock phrase satisfies the template's "说明原因" without saying what changed for this item.
    Editors may want a specific reason where the change is large; nothing here is wrong.

    Example:
    公务接待费……主要原因是严格执行中央八项规定 …… 会议费……主要原因是严格执行中央八项规定 ……
    培训费……主要原因是严格执行中央八项规定

    Instead:
    A reason specific to each item where it matters.

    检查内容：
    同一条原因，除数字外一字不差且不含金额，用于 boilerplate_min_uses（默认 3）个及以上不同项目：
    例如“严格执行中央八项规定、坚持厉行节约的原则”同时用于“三公”经费、公务接待费和会议费。仅作提示。

    为何重要：
    套话满足了模板“说明原因”的要求，却没有说明本项目变了什么。变动较大的项目，
    编制人员可以考虑写明具体原因；这里并没有错误。

    示例：
    公务接待费……主要原因是严格执行中央八项规定 …… 会议费……主要原因是严格执行中央八项规定 ……
    培训费……主要原因是严格执行中央八项规定

    改为：
    公务接待费……主要原因是接待批次减少 …… 会议费……主要原因是部分会议改为视频会议 ……
    培训费……主要原因是严格执行中央八项规定
    """

    code = "RSN008"
    name = "boilerplate-reason"
    severity = "info"
    summary = "同一套话原因用于多个不同项目"

    def check(self, ctx):
        by_shape = defaultdict(list)
        for passage in passages(ctx):
            if passage.explained is not None and passage.reason.components and not passage.items:
                by_shape[passage.shape].append(passage)
        for group in by_shape.values():
            subjects = dict.fromkeys(subject_key(p.explained.subject) for p in group)
            if len(subjects) < ctx.settings.boilerplate_min_uses:
                continue
            first = group[0]
            for passage in group:
                ctx.mark_checked(passage.reason)
            yield ctx.finding(
                self,
                passage_span(ctx, first),
                f"同一原因表述用于 {len(subjects)} 个不同项目（{'、'.join(p.explained.subject for p in group[:5])}），未说明各自的具体原因",
                related=[(p.reason, f"第 {p.reason.line} 行：{p.explained.subject}") for p in group[1:]],
            )
