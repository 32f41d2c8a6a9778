"""Reason passages as the RSN rules see them: what each explains, its signed amounts, its wording
with the numbers taken out, and the groups of passages that are the same text pasted around.

Grouping is indexed, never all-pairs: a passage is compared (rapidfuzz) only with the first
passage of each group it shares a component with, and boilerplate is bucketed by exact shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex
from rapidfuzz import fuzz

from ... import lexicons
from ...extract.normalize import normalize
from ...extract.numbers import NUMBER
from ...extract.subjects import subject_key
from ...extract.tables import squash
from ...interval import Interval, sum_intervals
from ...link.facts import FactKey, claim_key
from ...link.tables import section_scope
from ...models.claims import ChangeClaim, ReasonClaim, ReasonComponent, SignedAmount
from ..contradiction._common import quantity, signed_delta

# Two passages are "the same text" when their wording, numbers taken out, is this similar (0–100).
# partial_ratio, so a list that repeats the first three of five components still matches.
SAME_TEXT_SCORE = 85
_NUMBER = regex.compile(NUMBER)
_NOISE = regex.compile(r"[\s，。；、：,.;:“”\"'‘’]")


def shape(text: str) -> str:
    """A passage's wording with numbers replaced by '#' and spacing/punctuation dropped."""
    return _NOISE.sub("", _NUMBER.sub("#", normalize(text)))


@dataclass
class Item:
    component: ReasonComponent
    amount: SignedAmount
    signed: Interval

    @property
    def key(self) -> tuple[str, str]:
        return subject_key(squash(self.amount.subject)), self.amount.direction


@dataclass
class Passage:
    reason: ReasonClaim
    explained: ChangeClaim | None
    shape: str
    items: list[Item] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every component carries an amount: the list claims to break the change down."""
        return bool(self.reason.components) and all(c.items for c in self.reason.components)

    def total(self) -> Interval | None:
        return sum_intervals(i.signed for i in self.items) if self.items else None

    def quantity(self, ctx) -> tuple | None:
        """The explained change as a quantity: (quantity key, baseline family)."""
        if self.explained is None:
            return None
        current = ctx.by_id.get(self.explained.current_claim) if self.explained.current_claim else None
        q = quantity(getattr(current, "key", None))
        return (q, self.explained.baseline_family) if q else None

    def reconciles(self, ctx) -> bool:
        """The signed amounts add up to the explained change."""
        total, delta = self.total(), self.explained and signed_delta(ctx, self.explained)
        return self.complete and total is not None and delta is not None and total.overlaps(delta)


def passages(ctx) -> list[Passage]:
    """Every reason of the report, computed once and shared by the RSN rules."""
    if "rsn.passages" not in ctx.cache:
        out = []
        for reason in ctx.of_kind("reason"):
            explained = ctx.by_id.get(reason.change) if reason.change else None
            passage = Passage(reason, explained if isinstance(explained, ChangeClaim) else None, shape(reason.quote))
            for component in reason.components:
                for amount in component.items:
                    iv = ctx.interval(amount.amount)
                    signed = {"increase": iv, "decrease": -iv}.get(amount.direction, Interval.exact(iv.lo * 0))
                    passage.items.append(Item(component, amount, signed))
            out.append(passage)
        ctx.cache["rsn.passages"] = out
    return ctx.cache["rsn.passages"]


def same_text_groups(ctx) -> list[list[Passage]]:
    """Passages that are the same reason pasted in several places (numbers may differ)."""
    if "rsn.groups" in ctx.cache:
        return ctx.cache["rsn.groups"]
    groups: list[list[Passage]] = []
    group_of_key: dict[tuple[str, str], list[int]] = {}
    for passage in passages(ctx):
        if not passage.items:
            continue
        candidates = dict.fromkeys(g for item in passage.items for g in group_of_key.get(item.key, ()))
        home = next((g for g in candidates if fuzz.partial_ratio(passage.shape, groups[g][0].shape) >= SAME_TEXT_SCORE), None)
        if home is None:
            home = len(groups)
            groups.append([])
        groups[home].append(passage)
        for item in passage.items:
            keys = group_of_key.setdefault(item.key, [])
            if home not in keys:
                keys.append(home)
    ctx.cache["rsn.groups"] = [g for g in groups if len(g) > 1]
    return ctx.cache["rsn.groups"]


def item_key(ctx, passage: Passage, item: Item) -> FactKey | None:
    """The quantity a reason item names, in the scope of the section the reason stands in."""
    return claim_key(squash(item.amount.subject), context_scope=section_scope(ctx.doc, passage.reason.paragraph))


@lru_cache(maxsize=1)
def _whole_of() -> dict[str, str]:
    """Role → the role of the whole it is a disjoint part of (vehicle_operation → vehicle → total)."""
    return {part: row[1] for row in lexicons.rows("quantity_siblings.tsv") for part in row[0].split()}


def _ancestors(role: str) -> list[str]:
    chain: list[str] = []
    while role in _whole_of() and _whole_of()[role] not in chain:  # a cycle in the lexicon stops here
        role = _whole_of()[role]
        chain.append(role)
    return chain


def siblings(a: FactKey, b: FactKey) -> bool:
    """Disjoint parts of one whole, neither inside the other: 人员经费 and 公用经费, 公务接待费 and
    公务用车运行维护费, two 类 of the 功能分类 under one parent."""
    if a.flow != b.flow or (a.item, a.role) == (b.item, b.role):
        return False
    if a.item == b.item == "TOTAL":
        up_a, up_b = _ancestors(a.role), _ancestors(b.role)
        return bool(up_a) and bool(up_b) and a.role not in up_b and b.role not in up_a and bool(set(up_a) & set(up_b))
    if a.item.isdigit() and b.item.isdigit() and len(a.item) == len(b.item):
        return a.item[:-2] == b.item[:-2]
    return False


@lru_cache(maxsize=1)
def template_leftovers() -> list[tuple[regex.Pattern, str]]:
    return [(regex.compile(row[0]), row[1]) for row in lexicons.rows("template_leftovers.tsv")]


@lru_cache(maxsize=1)
def cause_words() -> regex.Pattern:
    words = sorted(lexicons.words("cause_words.tsv"), key=len, reverse=True)
    return regex.compile("|".join(regex.escape(w) for w in words))


def passage_span(ctx, passage: Passage):
    return ctx.doc.span(passage.reason.start, passage.reason.end)


def item_span(ctx, item: Item):
    return ctx.doc.span(item.component.start, item.amount.amount.end)
