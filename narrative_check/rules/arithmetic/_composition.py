"""Which figure of a "其中" list that does not add up is the slip: shared by ARI007, which
reports the list, and ARI006, which leaves the shares of such a list to it."""

from __future__ import annotations

from decimal import Decimal

from ...interval import sum_intervals
from ...models.claims import CompositionClaim
from ..base import RuleContext, one_slip_apart

WHOLE = "whole"


def adds_up(ctx: RuleContext, comp: CompositionClaim) -> bool:
    return sum_intervals(ctx.interval(p.value) for p in comp.parts).overlaps(ctx.interval(comp.whole))


def the_slip(ctx: RuleContext, comp: CompositionClaim) -> str | int | None:
    """WHOLE, the index of the one part, or None when the figures do not say which one slipped.

    With every part's share stated, the shares decide: all fitting the parts' own sum leave the
    whole; all but one fitting the whole, and that one fitting what the whole leaves for its part,
    leave that part. Without them, a figure one typing slip from the value the others give it is
    the slip, when it is the only such figure; the whole, when no figure is."""
    whole = comp.whole.yuan
    parts_sum = sum((p.value.yuan for p in comp.parts), Decimal(0))
    left_for = [whole - (parts_sum - p.value.yuan) for p in comp.parts]
    if all(p.percent is not None for p in comp.parts):
        total = sum_intervals(ctx.interval(p.value) for p in comp.parts)
        if all(_share_fits(ctx, p.percent, ctx.interval(p.value) / total) for p in comp.parts):
            return WHOLE
        whole_iv = ctx.interval(comp.whole)
        fitting = [_share_fits(ctx, p.percent, ctx.interval(p.value) / whole_iv) for p in comp.parts]
        odd = [j for j, ok in enumerate(fitting) if not ok]
        if len(odd) == 1 and left_for[odd[0]] > 0:
            j = odd[0]
            rest = whole_iv - sum_intervals(ctx.interval(p.value) for i, p in enumerate(comp.parts) if i != j)
            if _share_fits(ctx, comp.parts[j].percent, rest / whole_iv):
                return j
        return None
    slipped_parts = [j for j, p in enumerate(comp.parts) if left_for[j] > 0 and one_slip_apart(p.value, left_for[j] / p.value.scale)]
    whole_slipped = one_slip_apart(comp.whole, parts_sum / comp.whole.scale)
    if len(slipped_parts) == 1 and not whole_slipped:
        return slipped_parts[0]
    return WHOLE if not slipped_parts else None


def _share_fits(ctx: RuleContext, percent, ratio) -> bool:
    return ratio is not None and ratio.scale(Decimal(100)).overlaps(ctx.rate_interval(percent))
