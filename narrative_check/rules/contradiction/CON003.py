from __future__ import annotations

from collections import defaultdict

from ...extract.tables import squash
from ...link.facts import claim_key
from ...link.tables import section_scope
from ...models.claims import ChangeClaim, ReasonClaim
from ..base import DIRECTION_WORD, Rule, register
from ._common import clusters_by_value, signed_delta


@register
class ReasonComponentDisagrees(Rule):
    """What it checks:
    A reason that gives a component's change ("一是工资政策调整，人员经费减少 326.25 万元") against the
    report's own statement of that component's change against the same kind of baseline
    ("人员经费 1217.20 万元，较上年决算数减少 529.25 万元"). A warning: the two may cover different funding
    scopes (部门 vs 一般公共预算) without the text saying so.

    Why it matters:
    Reasons are pasted from section to section; a component amount that no longer matches the
    component's own change shows the reason was not updated.

    Example:
    收支较上年决算数减少 2343.3 万元，主要原因一是工资政策调整，人员经费减少 326.25 万元 ……
    人员经费 1217.20 万元，较上年决算数减少 529.25 万元

    Instead:
    Give the reason the component's stated change, or state the scope that makes them differ.

    检查内容：
    原因中列出的某一分项的变动额（“一是工资政策调整，人员经费减少 326.25 万元”），
    与报告对该分项自身、相对同类比较基数的变动表述（“人员经费 1217.20 万元，
    较上年决算数减少 529.25 万元”）不一致。两处可能是不同的资金范围（部门与一般公共预算），
    而文中没有写明，所以只作警告。

    为何重要：
    原因段落常在各部分之间复制；分项金额与该分项自身的变动对不上，说明原因没有随数据更新。

    示例：
    收支较上年决算数减少 2343.3 万元，主要原因一是工资政策调整，人员经费减少 326.25 万元 ……
    人员经费 1217.20 万元，较上年决算数减少 529.25 万元

    改为：
    收支较上年决算数减少 2343.3 万元，主要原因一是工资政策调整，人员经费减少 529.25 万元 ……
    人员经费 1217.20 万元，较上年决算数减少 529.25 万元
    （两处口径确实不同的，写明各自的资金范围。）
    """

    code = "CON003"
    name = "reason-component-disagrees"
    severity = "warning"
    summary = "原因中的分项变动额与该分项自身的变动不符"

    def check(self, ctx):
        # Changes of one component, clustered by amount: a reason item is compared with each cluster.
        own: dict[tuple, list[ChangeClaim]] = defaultdict(list)
        for change in ctx.of_kind("change"):
            current = ctx.by_id.get(change.current_claim) if change.current_claim else None
            key = getattr(current, "key", None)
            if key and signed_delta(ctx, change) is not None:
                own[(_unscoped(key), change.baseline_family)].append(change)
        clustered = {k: clusters_by_value(v, lambda c: signed_delta(ctx, c)) for k, v in own.items()}
        # One finding per pair of figures: a reason pasted in six places that says 326.25 where the
        # component's own change says 529.25 is one slip, its other places related to it.
        pairs: dict[tuple, tuple] = {}
        for reason in ctx.of_kind("reason"):
            reason: ReasonClaim
            explained = ctx.by_id.get(reason.change) if reason.change else None
            if not isinstance(explained, ChangeClaim):
                continue
            family = explained.baseline_family
            for component in reason.components:
                for item in component.items:
                    key = claim_key(squash(item.subject), context_scope=section_scope(ctx.doc, reason.paragraph))
                    if key is None or item.direction == "flat":
                        continue
                    stated = ctx.interval(item.amount)
                    stated = stated if item.direction == "increase" else -stated
                    differing = []
                    for cluster in clustered.get((_unscoped(key.text()), family), []):
                        others = [c for c in cluster[:6] if c.id != explained.id][:5]
                        if not others:
                            continue
                        ctx.mark_checked(reason)
                        if not stated.overlaps(signed_delta(ctx, cluster[0])):
                            differing.extend(others)
                    if not differing:
                        continue
                    # One finding per reason item, however often the component's change is restated.
                    span = ctx.doc.span(component.start, item.amount.end)
                    pair = (item.subject, item.direction, item.amount.value, tuple(c.id for c in differing))
                    if pair in pairs:
                        pairs[pair][2].append(span)
                    else:
                        pairs[pair] = (span, item, [], differing)
        for span, item, repeats, differing in pairs.values():
            change = differing[0]
            yield ctx.finding(
                self,
                span,
                f"原因中{item.subject}{DIRECTION_WORD[item.direction]} {item.amount.text}，"
                f"而第 {change.line} 行{change.subject}{DIRECTION_WORD[change.direction]} {change.delta.text}"
                + (f"（同一原因另有 {len(repeats)} 处）" if repeats else ""),
                stated=f"{DIRECTION_WORD[item.direction]}{item.amount.text}",
                expected=f"{DIRECTION_WORD[change.direction]}{change.delta.text}",
                related=[(c, "该分项的变动") for c in differing[:5]] + [(r, "同一原因的另一处") for r in repeats],
            )

def _unscoped(key: str) -> str:
    return "/".join(key.split("/")[1:])

