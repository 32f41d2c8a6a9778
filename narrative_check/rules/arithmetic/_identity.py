"""The complete breakdowns a disclosure's definitions fix (“三公”经费 = 因公出国（境）费 + 公务用车购置及
运行维护费 + 公务接待费), matched to the narrative's claims by what each is of."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ... import lexicons
from ...link.facts import concept_at_end, report_year

Quantity = tuple[str, ...]  # flow, item, role[, year]: what a figure is of, whatever unit of government holds it


@lru_cache(maxsize=1)
def identities() -> list[tuple[Quantity, list[Quantity]]]:
    """(whole, parts) for every identity with two parts or more."""
    out = []
    for row in lexicons.rows("fact_identities.tsv"):
        parts = [_quantity(k.strip()) for k in row[1].split("+")]
        if len(parts) > 1:
            out.append((_quantity(row[0]), parts))
    return out


def _quantity(key: str) -> Quantity:
    return tuple(key.split("/")[1:])


def quantity_of(claim, report_year: int | None) -> Quantity | None:
    """The quantity an amount claim names, its scope left out: a report names 三公经费 of 财政拨款 and of
    一般公共预算财政拨款 alike, and the identities hold in either. A subject that only ends with a
    quantity's name ('州本级“三公经费”财政拨款支出') counts as that quantity here, where every quantity
    must be stated once: two units' 三公经费 make the sum unreadable, not one figure."""
    key = getattr(claim, "key", None)
    if key:
        return _quantity(key)
    at_end = concept_at_end(claim.subject) if getattr(claim, "subject", None) else None
    if at_end is None:
        return None
    return (*at_end, str(claim.year)) if claim.year and claim.year != report_year else at_end


def sole_amounts(ctx) -> dict[Quantity, object]:
    """Each quantity the narrative states exactly once, as an exact amount, to its claim. A quantity
    stated twice (two units' 三公经费, a budget and an actual) is left out: which of them a sum goes
    with has more than one reading."""
    found: dict[Quantity, list] = defaultdict(list)
    year = report_year(ctx.doc)
    for claim in ctx.current_amounts():
        q = quantity_of(claim, year)
        if q is not None:
            found[q].append(claim)
    return {q: claims[0] for q, claims in found.items() if len(claims) == 1 and exact_money(claims[0].value)}


def exact_money(figure) -> bool:
    """An amount stated as exact ('约 5 万元' and '5 万元以上' are not)."""
    return figure is not None and figure.kind == "money" and not figure.qualifier


def complete_parts(whole, parts: list, report_year: int | None) -> bool:
    """Are the amount claims `parts` exactly the parts an identity gives the quantity of `whole`?"""
    if whole is None or any(p is None for p in parts):
        return False
    q = quantity_of(whole, report_year)
    named = [quantity_of(p, report_year) for p in parts]
    if q is None or any(n is None for n in named):
        return False
    return any(w == q and sorted(p) == sorted(named) for w, p in identities())  # type: ignore[type-var]
