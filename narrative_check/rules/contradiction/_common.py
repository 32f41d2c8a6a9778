"""Quantity identity for the contradiction rules: claims naming the same quantity, indexed by key."""

from __future__ import annotations

from functools import lru_cache

from ... import lexicons


@lru_cache(maxsize=1)
def _equal_keys() -> dict[str, str]:
    """Keys a report must make equal (收入总计 = 支出总计): each mapped to one representative."""
    out: dict[str, str] = {}
    for row in lexicons.rows("fact_identities.tsv"):
        right = [k.strip() for k in row[1].split("+")]
        if len(right) == 1:
            out[right[0]] = row[0]
    return out


def quantity(key: str | None) -> str | None:
    """The representative of a claim key's class; a year suffix is kept."""
    if key is None:
        return None
    parts = key.split("/")
    base, year = "/".join(parts[:4]), parts[4:]
    return "/".join([_equal_keys().get(base, base), *year])


def change_quantity(ctx, change) -> str | None:
    """The quantity a change is a change of: that of the amount claim of its current value."""
    current = ctx.by_id.get(change.current_claim) if change.current_claim else None
    return quantity(getattr(current, "key", None))


def disagreements(groups, compare):
    """(first, other, compare(first, other)) for every later statement of each group: each is
    compared with the group's first, so a group costs one comparison per statement."""
    for items in groups:
        first = items[0]
        for other in items[1:]:
            yield first, other, compare(first, other)


def signed_delta(ctx, change):
    if change.delta is None or change.direction not in ("increase", "decrease"):
        return None
    interval = ctx.interval(change.delta)
    return interval if change.direction == "increase" else -interval


def clusters_by_value(items, interval_of) -> list[list]:
    """Items grouped by agreeing value: each joins the first cluster whose first item's interval
    overlaps its own. Restatements agree, so a report has one or two clusters per quantity, and
    comparing against clusters instead of items keeps the rules linear in the report's length."""
    clusters: list[list] = []
    for item in items:
        iv = interval_of(item)
        home = next((c for c in clusters if interval_of(c[0]).overlaps(iv)), None)
        if home is None:
            clusters.append([item])
        else:
            home.append(item)
    return clusters
