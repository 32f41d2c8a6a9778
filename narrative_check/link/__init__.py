"""Link claims to one another: the value a change is a change of, the whole of a
share, the list a paragraph introduces, the total and count of a per-unit figure.

Links are made by subject and position, never by looking for an equal number:
that would hide exactly the mismatches the rules must report.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from .. import lexicons
from ..extract.claims import ParagraphClaims
from ..extract.subjects import compatible, is_generic, subject_key
from ..models.claims import AmountClaim, ChangeClaim, CompositionClaim, CompositionPart, CountClaim, PerUnitClaim, ShareClaim
from ..models.document import Document
from .facts import without_tails


@lru_cache(maxsize=1)
def _per_unit_rules() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    out = {}
    for row in lexicons.rows("per_unit.tsv"):
        units = tuple(u for u in row[1].split(",") if u)
        words = tuple(w for w in (row[2].split(",") if len(row) > 2 else ()) if w)
        out[row[0]] = (units, words)
    return out


class AmountIndex:
    """Amount claims by subject key, for lookups that stay linear in the report size."""

    def __init__(self, amounts: list[AmountClaim], doc: Document) -> None:
        self.doc = doc
        self.by_key: dict[str, list[AmountClaim]] = defaultdict(list)
        self.amounts = amounts
        for a in amounts:
            if a.subject:
                self.by_key[subject_key(a.subject)].append(a)

    def find(self, subject: str, *, before: int, paragraphs: set[int] | None = None) -> AmountClaim | None:
        """The nearest amount before `before` naming `subject` (exactly, else compatibly)."""
        if is_generic(subject):
            return None
        key = subject_key(subject)
        exact = [a for a in self.by_key.get(key, ()) if a.start < before and (paragraphs is None or a.paragraph in paragraphs)]
        if exact:
            return exact[-1]
        loose = [
            a for a in self.amounts
            if a.start < before and a.subject and compatible(a.subject, subject) and (paragraphs is None or a.paragraph in paragraphs)
        ]
        return loose[-1] if loose else None


def link_claims(doc: Document, per_paragraph: list[ParagraphClaims]) -> list:
    claims = [c for pc in per_paragraph for c in pc.claims]
    amounts = [c for c in claims if isinstance(c, AmountClaim) and c.of_baseline is None]
    index = AmountIndex(amounts, doc)
    section_paragraphs = _paragraphs_by_section(doc)
    intro_of = _list_intros(per_paragraph)

    for claim in claims:
        if isinstance(claim, ChangeClaim) and claim.current is None and claim.subject:
            scope = section_paragraphs.get(doc.paragraphs[claim.paragraph].section, {claim.paragraph})
            found = index.find(claim.subject, before=claim.start, paragraphs=scope)
            if found is not None:
                claim.current, claim.current_claim = found.value, found.id
        elif isinstance(claim, ShareClaim) and claim.whole is None:
            subject = claim.whole_subject or intro_of.get(claim.paragraph)
            if subject:
                claim.whole_subject = subject
                found = index.find(subject, before=claim.start)
                if found is not None and found.id != claim.part_claim:
                    claim.whole, claim.whole_claim = found.value, found.id
        elif isinstance(claim, PerUnitClaim):
            _link_per_unit(claim, per_paragraph[claim.paragraph], index)

    next_id = 1 + sum(1 for c in claims if isinstance(c, CompositionClaim))
    claims.extend(_list_compositions(doc, per_paragraph, intro_of, index, next_id))
    return claims


def _paragraphs_by_section(doc: Document) -> dict[int | None, set[int]]:
    out: dict[int | None, set[int]] = defaultdict(set)
    for p in doc.paragraphs:
        out[p.section].add(p.index)
    return out


def _list_intros(per_paragraph: list[ParagraphClaims]) -> dict[int, str]:
    """Item paragraph index → the subject its introducing paragraph names."""
    out: dict[int, str] = {}
    current: str | None = None
    for i, pc in enumerate(per_paragraph):
        if pc.intro_subject:
            current = pc.intro_subject
            continue
        if current and pc.starts_with_marker:
            out[i] = current
        else:
            current = None
    return out


def _list_compositions(
    doc: Document, per_paragraph: list[ParagraphClaims], intro_of: dict[int, str], index: AmountIndex, next_id: int
) -> list[CompositionClaim]:
    """'…主要用于以下几个方面：' followed by '（1）A x 万元…（2）B y 万元…': one composition."""
    groups: list[list[int]] = []
    for i in sorted(intro_of):
        if groups and groups[-1][-1] == i - 1 and intro_of[groups[-1][-1]] == intro_of[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    out: list[CompositionClaim] = []
    for items in groups:
        heads = []
        for i in items:
            head = next((c for c in per_paragraph[i].claims if isinstance(c, AmountClaim) and c.part_of is None), None)
            if head is not None:
                heads.append(head)
        if len(heads) < 2:
            continue
        whole = index.find(intro_of[items[0]], before=heads[0].start)
        if whole is None:
            continue
        first, last = heads[0], heads[-1]
        parts = []
        for h in heads:
            share = next((c for c in per_paragraph[h.paragraph].claims if isinstance(c, ShareClaim) and c.part_claim == h.id), None)
            parts.append(CompositionPart(subject=h.subject, value=h.value, percent=share.percent if share else None, claim=h.id))
        out.append(
            CompositionClaim(
                id=f"M{next_id + len(out)}",
                start=first.start, end=last.end, line=first.line, column=first.column,
                quote=doc.text[first.start : last.end], paragraph=first.paragraph,
                whole_subject=whole.subject, whole=whole.value, whole_claim=whole.id, parts=parts,
            )
        )
    return out


# A subject naming two quantities joined ('公务用车购置及运行维护费') is not the total of either.
_JOINED = ("及", "和", "与", "、")


def _link_per_unit(claim: PerUnitClaim, pc: ParagraphClaims, index: AmountIndex) -> None:
    units, naming = _per_unit_rules().get(claim.per, ((), ()))
    stem = claim.total_subject or ""
    # The lexicon's naming words first (车均 counts the fleet, not the cars bought), then the stem.
    preferred = list(naming) + [w for w in (stem.rstrip("费"), stem) if len(w) >= 2]
    candidates = [(c.value, c.subject) for c in pc.claims if isinstance(c, CountClaim) and c.value.unit in units and c.start < claim.start]
    for word in preferred:
        chosen = [f for f, clause in candidates if word in clause]
        if chosen:
            claim.count = chosen[-1]
            break
    if stem:
        stem = without_tails(stem)[-1]
        # '运行维护费合计 18.10 万元' is the total of 车均运行维护费; '购置及运行维护费' is not: more than it
        totals = [a for a in index.amounts
                  if (bare := without_tails(a.subject)[-1]).endswith(stem) and not bare[: -len(stem)].endswith(_JOINED)]
        before = [a for a in totals if a.start < claim.start]
        found = before[-1] if before else (totals[0] if totals else None)
        if found is not None:
            claim.total, claim.total_subject = found.value, found.subject
