from __future__ import annotations

from collections import defaultdict

from ..base import DIRECTION_WORD, Rule, register
from ..contradiction._common import clusters_by_value
from ._common import item_span, same_text_groups


@register
class PastedReasonAmountDiffers(Rule):
    """What it checks:
    The same reason passage pasted in several places (the wording, numbers aside, is the same) that
    gives one of its components different amounts in different places. The amount most copies give
    is the reference; a copy that differs is an error when it explains the same quantity as a
    reference copy — or a quantity the report must keep equal, such as 收入总计 and 支出总计 —
    against the same kind of baseline; a warning when it explains a different quantity but its list
    does not add up to its own change either, so nothing accounts for the difference. A differing
    copy whose list adds up to its own (different) change was edited consistently and is not
    reported.

    Why it matters:
    Reasons are copied from the 收支总体情况 into the 收入, 支出 and 财政拨款 sections. When an amount
    is edited in one copy only, at most one of the copies is right, and readers cannot tell which.

    Example:
    收支较上年决算数减少 2343.3 万元……二是就业补助资金增加 2092.01 万元 ……
    收入总计……较上年决算数减少 1863.3 万元……二是就业补助资金增加 2572.01 万元

    Instead:
    The same 就业补助资金 amount in every copy of the reason, or a reason written for each quantity.

    检查内容：
    同一原因段落复制在多处（除数字外文字相同），其中某一分项在不同位置的金额不同。
    以多数副本的金额为准：金额不同的副本与基准副本解释的是同一数据（或应当相等的数据，
    如收入总计与支出总计），且比较基数同类的，报错误；解释的是另一数据，
    其分项合计又与自身的变动额不符、差异无从解释的，报警告。
    分项合计与自身变动额相符的副本是有意改写的，不报告。

    为何重要：
    原因常从收支总体情况复制到收入、支出和财政拨款各部分；只改了一处副本的金额，最多只有一处是对的，
    读者无从判断是哪一处。

    示例：
    收支较上年决算数减少 2343.3 万元……二是就业补助资金增加 2092.01 万元 ……
    收入总计……较上年决算数减少 1863.3 万元……二是就业补助资金增加 2572.01 万元

    改为：
    收支较上年决算数减少 2343.3 万元……二是就业补助资金增加 2092.01 万元 ……
    收入总计……较上年决算数减少 1863.3 万元……二是就业补助资金增加 2092.01 万元
    （或为每项数据分别写明原因。）
    """

    code = "RSN001"
    name = "pasted-reason-amount-differs"
    severity = "error"
    summary = "同一原因段落在不同位置给出的分项金额不同"

    def check(self, ctx):
        for group in same_text_groups(ctx):
            occurrences = defaultdict(list)
            for passage in group:
                for item in passage.items:
                    occurrences[item.key].append((passage, item))
            for found in occurrences.values():
                if len({id(p) for p, _ in found}) < 2:
                    continue
                for passage, _ in found:
                    ctx.mark_checked(passage.reason)
                yield from self._disagreements(ctx, found)

    def _disagreements(self, ctx, found):
        # The value most copies give is taken as the reference; every copy that no rounding
        # reconciles with it is reported once, with the reference copies as related places.
        clusters = clusters_by_value(found, lambda entry: entry[1].signed)
        if len(clusters) < 2:
            return
        reference = max(clusters, key=len)
        ref_quantities = {p.quantity(ctx) for p, _ in reference} - {None}
        ref_passage, ref_item = reference[0]
        other = f"{DIRECTION_WORD[ref_item.amount.direction]} {ref_item.amount.amount.text}"
        for cluster in clusters:
            if cluster is reference:
                continue
            for passage, item in cluster:
                if passage.quantity(ctx) in ref_quantities:
                    severity = "error"
                elif not passage.reconciles(ctx):
                    severity = "warning"  # its own change does not account for the different amount
                else:
                    continue
                said = f"{DIRECTION_WORD[item.amount.direction]} {item.amount.amount.text}"
                yield ctx.finding(
                    self,
                    item_span(ctx, item),
                    f"同一原因在第 {ref_passage.reason.line} 行写作{item.amount.subject}{other}，此处为{said}"
                    + ("；二者解释的是同一数据的变动" if severity == "error" else "；两处解释的变动不同，但此处所列金额合计与其所解释的变动也不相符"),
                    stated=said.replace(" ", ""),
                    expected=other.replace(" ", ""),
                    related=[(ctx.doc.span(i.component.start, i.amount.amount.end), f"第 {p.reason.line} 行的同一原因") for p, i in reference[:3]],
                    severity=severity,
                )
