from __future__ import annotations

from ...extract.normalize import normalize
from ..base import Rule, register
from ._common import passage_span, passages, template_leftovers


@register
class ReasonEmptyOrTemplate(Rule):
    """What it checks:
    A reason lead-in followed by nothing ("主要原因是。") or by a reason template left unfilled:
    "增加（减少）", "（说明原因）" (listed in ``lexicons/template_leftovers.tsv``). Placeholder marks
    such as "主要原因是XX" are DOC002's, which finds them anywhere in a report.

    Why it matters:
    The 决算公开 template requires a reason for every change; a lead-in with nothing behind it is a
    draft published by mistake, and readers see the template instead of the answer.

    Example:
    “三公”经费支出 8.78 万元，较上年决算数减少 5.22 万元，主要原因是。

    Instead:
    The actual reason, or no lead-in when the change needs none.

    检查内容：
    说明原因的引导语后面什么也没有（“主要原因是。”），或者只有没填写的原因模板：
    “增加（减少）”“（说明原因）”（见 lexicons/template_leftovers.tsv）。
    “主要原因是XX”一类占位符由 DOC002 在全文检查。

    为何重要：
    决算公开模板要求每项变动都说明原因；引导语后面空着，是把草稿发布了出去，
    读者看到的是模板而不是答案。

    示例：
    “三公”经费支出 8.78 万元，较上年决算数减少 5.22 万元，主要原因是。

    改为：
    “三公”经费支出 8.78 万元，较上年决算数减少 5.22 万元，主要原因是严格控制公务接待标准，接待批次减少。
    （变动不需要说明原因的，删去“主要原因是”。）
    """

    code = "RSN006"
    name = "reason-empty-or-template"
    severity = "error"
    summary = "原因为空或保留了模板占位内容"

    def check(self, ctx):
        for passage in passages(ctx):
            reason = passage.reason
            ctx.mark_checked(reason)
            if not reason.components:
                yield ctx.finding(
                    self,
                    passage_span(ctx, passage),
                    f"“{reason.marker}”之后没有给出原因",
                    stated=reason.quote.strip(),
                    expected="具体原因",
                )
                continue
            for component in reason.components:
                text = normalize(component.text)
                found = next((what for pattern, what in template_leftovers() if pattern.search(text)), None)
                if found is None:
                    continue
                yield ctx.finding(
                    self,
                    ctx.doc.span(component.start, component.end),
                    f"原因中保留了模板占位内容（{found}）：“{component.text}”",
                    stated=component.text,
                    expected="具体原因",
                )
