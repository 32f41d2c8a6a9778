"""What the figures of a change statement imply: shared by the change rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ... import not_checked
from ...interval import Interval
from ...models.claims import ChangeClaim
from ...not_checked import Reason
from ..base import RuleContext


@dataclass
class ChangeFigures:
    current: Interval
    delta: Interval
    base: Interval
    base_point: Decimal  # the base computed from the figures exactly as printed
    delta_point: Decimal
    explicit_base: bool


def change_figures(ctx: RuleContext, change: ChangeClaim) -> ChangeFigures | Reason:
    """The intervals of a change, or why they cannot be had."""
    if change.template:
        return not_checked.TEMPLATE_DIRECTION
    if change.direction not in ("increase", "decrease"):
        return not_checked.NO_DIRECTION
    sign = change.sign
    money = [f for f in (change.current, change.delta, change.base) if f is not None]
    if any(f.kind != "money" for f in money):
        return not_checked.FIGURES_NOT_AMOUNTS
    if any(f.qualifier for f in money):
        return not_checked.APPROXIMATE_FIGURE
    if change.base is not None and change.current is not None:
        c, b = ctx.interval(change.current), ctx.interval(change.base)
        d = (c - b) if sign > 0 else (b - c)
        return ChangeFigures(c, d, b, change.base.yuan, sign * (change.current.yuan - change.base.yuan), True)
    if change.current is None:
        return not_checked.CURRENT_NOT_STATED
    if change.delta is None:
        return not_checked.CHANGE_AMOUNT_NOT_STATED
    c, d = ctx.interval(change.current), ctx.interval(change.delta)
    b = (c - d) if sign > 0 else (c + d)
    base_point = change.current.yuan - sign * change.delta.yuan
    return ChangeFigures(c, d, b, base_point, change.delta.yuan, False)


def percent_changes(ctx: RuleContext):
    """(change, figures or the reason they are missing) for every change stating a percentage."""
    for change in ctx.of_kind("change"):
        if change.percent is not None:
            yield change, change_figures(ctx, change)


def implied_rate(ctx: RuleContext, change: ChangeClaim) -> tuple[Interval, ChangeFigures] | None:
    """The percentage (as an interval) a change's own figures give, with those figures; None when
    they give none (no figures, a base of zero or below)."""
    figs = change_figures(ctx, change)
    if isinstance(figs, Reason) or figs.base_point == 0 or figs.base.hi <= 0:
        return None
    implied = figs.delta / Interval(max(figs.base.lo, Decimal("1e-9")), figs.base.hi)
    return (implied.scale(Decimal(100)), figs) if implied is not None else None


def rate_fits(ctx: RuleContext, change: ChangeClaim) -> bool | None:
    """Does the stated percentage agree with the change's own figures? None when it cannot be told."""
    if change.percent is None:
        return None
    implied = implied_rate(ctx, change)
    return None if implied is None else implied[0].overlaps(ctx.rate_interval(change.percent))


def reading_fits(ctx: RuleContext, change: ChangeClaim, direction: str) -> bool | None:
    """Do the change's figures hold when every direction word of it reads `direction`? None when
    they cannot tell: an amount with neither a base nor a rate fits either direction."""
    reading = change.model_copy(update={"direction": direction, "conflicting_directions": []})
    figs = change_figures(ctx, reading)
    has_rate = reading.percent is not None and reading.percent.kind == "percent"
    if isinstance(figs, Reason) or not (figs.explicit_base or has_rate):
        return None
    verdicts = []
    if figs.explicit_base:
        verdicts.append(figs.delta.hi >= 0)
        if reading.delta is not None:
            verdicts.append(figs.delta.overlaps(ctx.interval(reading.delta)))
    elif figs.base.hi < 0:
        verdicts.append(False)
    if has_rate and (fits := rate_fits(ctx, reading)) is not None:
        verdicts.append(fits)
    return all(verdicts) if verdicts else None


def the_direction_the_figures_give(ctx: RuleContext, change: ChangeClaim) -> str | None:
    """The one direction in which the change's figures all hold, when exactly one does."""
    fits = {d: reading_fits(ctx, change, d) for d in ("increase", "decrease")}
    right = [d for d, ok in fits.items() if ok]
    return right[0] if len(right) == 1 and None not in fits.values() else None


def delta_fits_base(ctx: RuleContext, change: ChangeClaim) -> bool | None:
    """Does the stated amount of change agree with the named base and the current value? None
    when the change does not state all three."""
    if change.base is None or change.current is None or change.delta is None or change.direction not in ("increase", "decrease"):
        return None
    actual = ctx.interval(change.current) - ctx.interval(change.base)
    stated = ctx.interval(change.delta)
    return actual.overlaps(stated if change.direction == "increase" else -stated)


def pasted(ctx: RuleContext, change: ChangeClaim) -> bool:
    """Does another change state the same amount and rate, word for word ('增加60.00万元，增长6.4%'
    under two subjects)? Then the pair was copied, and either figure may be the one to rewrite."""
    def pair(c: ChangeClaim):
        return (c.delta.text.replace(" ", ""), c.percent.text.replace(" ", "")) if c.delta and c.percent else None

    mine = pair(change)
    return mine is not None and any(other is not change and pair(other) == mine for other in ctx.of_kind("change"))


def restated_otherwise(ctx: RuleContext, change: ChangeClaim) -> bool:
    """Does another statement of the same quantity's change against the same baseline give another
    amount? Then the amount is in question, and which statement slipped is not for one rule to say."""
    from ..contradiction._common import change_quantity, signed_delta

    key = change_quantity(ctx, change)
    mine = signed_delta(ctx, change)
    if key is None or mine is None or change.baseline is None:
        return False
    for other in ctx.of_kind("change"):
        if other is change or other.baseline is None or other.baseline_family != change.baseline_family or change_quantity(ctx, other) != key:
            continue
        theirs = signed_delta(ctx, other)
        if theirs is not None and not theirs.overlaps(mine) and change.baseline.may_name_the_figure_of(other.baseline):
            return True
    return False


def the_table_current_fits(ctx: RuleContext, change: ChangeClaim) -> bool:
    """Is the current value contested by the table, and does the table's figure make the rate fit?
    Then the current value is the slip (XTB001 reports it), not the rate."""
    from ..text_table._common import link_interval

    current = ctx.by_id.get(change.current_claim) if change.current_claim else None
    if current is None or change.delta is None or change.percent is None or change.base is not None:
        return False
    stated = ctx.interval(change.current)
    sign = change.sign
    for link in getattr(current, "links", []):
        if link.role != "value" or link.value is None:
            continue
        table = link_interval(ctx, link)
        if table.overlaps(stated):
            continue
        base = table - ctx.interval(change.delta).scale(Decimal(sign))
        if base.hi <= 0:
            continue
        implied = ctx.interval(change.delta) / Interval(max(base.lo, Decimal("1e-9")), base.hi)
        if implied is not None and implied.scale(Decimal(100)).overlaps(ctx.rate_interval(change.percent)):
            return True
    return False
