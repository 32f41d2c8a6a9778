"""Claims to table cells: each amount to the cells holding the quantity its subject names."""

from __future__ import annotations

from .. import not_checked
from ..models.claims import AmountClaim, CellLink, ChangeClaim, CompositionClaim
from ..models.document import Document, trusted
from .facts import (
    Fact,
    FactIndex,
    FactKey,
    claim_key,
    concept,
    find_scope,
    report_basis,
    report_year,
    split_basis,
    split_scope,
    trailing_basis,
)


def section_scope(doc: Document, paragraph: int) -> str | None:
    for section in reversed(doc.section_path(doc.paragraphs[paragraph].section)):
        scope = find_scope(section.title)
        if scope:
            return scope
    return None


def _link(fact: Fact, key_text: str, role: str = "value") -> CellLink:
    cell = fact.cell
    record = fact.record
    # Built trusted: every field is typed here, and links are made for every linked claim.
    return trusted(CellLink, {
        "table": fact.table.index, "title": fact.table.title, "row": cell.row, "col": cell.col,
        "label": " ".join(x for x in (record.code, record.label) if x) or "合计",
        "column": "/".join(cell.header), "value": fact.value, "unit": fact.table.unit,
        "start": cell.start, "end": cell.end, "line": cell.line, "key": key_text, "role": role,
    })


def link_to_tables(doc: Document, claims: list, facts: list[Fact]) -> dict[str, not_checked.Why]:
    """Fill `links` on amount and change claims; return why the others could not be linked."""
    why: dict[str, not_checked.Why] = {}
    index = FactIndex(facts)
    basis = report_basis(doc)
    year = report_year(doc)
    part_context: dict[str, tuple[str | None, str | None, str | None]] = {}
    for comp in claims:
        if isinstance(comp, CompositionClaim):
            whole_scope = split_scope(comp.whole_subject)[0]
            whole = concept(comp.whole_subject)[1]
            # '“三公”经费预算 11324.44 万元，其中：因公出国（境）费 9605.80 万元': the parts of a budget are budget figures
            whole_basis = split_basis(comp.whole_subject)[0] or trailing_basis(comp.whole_subject)[0]
            for part in comp.parts:
                part_context.setdefault(part.claim, (whole_scope, whole[0] if whole else None, whole_basis))
    keys: dict[str, FactKey] = {}
    for claim in claims:
        if not isinstance(claim, AmountClaim):
            continue
        if claim.of_baseline is not None and claim.year is None and claim.of_baseline.earlier_year:
            why[claim.id] = not_checked.BASELINE_VALUE_YEAR_UNKNOWN
            continue
        whole_scope, whole_flow, whole_basis = part_context.get(claim.id, (None, None, None))
        scope = whole_scope or section_scope(doc, claim.paragraph)
        named_basis, bare = split_basis(claim.subject)
        closing_basis, before_basis = trailing_basis(claim.subject)
        named_basis = named_basis or closing_basis or whole_basis
        if claim.of_baseline is not None:
            named_basis = claim.of_baseline.basis  # '年初预算 X': the budget column, whatever the subject says
        claim.basis = named_basis
        key = claim_key(claim.subject, context_scope=scope, context_flow=whole_flow)
        if key is None and named_basis:
            key = claim_key(bare, context_scope=scope, context_flow=whole_flow)  # '决算总收入' names 总收入
        if key is None and closing_basis:
            key = claim_key(before_basis, context_scope=scope, context_flow=whole_flow)  # '基本支出预算' names 基本支出
        if key is None:
            why[claim.id] = not_checked.SUBJECT_NOT_IN_TABLES
            continue
        if claim.year is not None and claim.year != year:
            key = FactKey(key.scope, key.flow, key.item, key.role, claim.year)  # '2020年收入总计': that year's column
        keys[claim.id] = key
        claim.key = key.text()
        found = index.find(key, named_basis or basis, claim.start)
        if not found:
            why[claim.id] = not_checked.NO_CELL_HOLDS_QUANTITY if facts else not_checked.NO_TABLE
            continue
        claim.links = [_link(f, claim.key) for f in found]
    for change in claims:
        if not isinstance(change, ChangeClaim) or change.current_claim not in keys or change.baseline is None or year is None:
            continue
        prior = baseline_year(change, year)
        if prior is None:
            continue
        k = keys[change.current_claim]
        key = FactKey(k.scope, k.flow, k.item, k.role, prior)
        key_text = key.text()
        change.links = [_link(f, key_text, "base") for f in index.find(key, basis, change.start)]
    return why


def baseline_year(change: ChangeClaim, year: int) -> int | None:
    """The year whose column holds a change's baseline: '比2023年' or '上年' in a report for `year`."""
    b = change.baseline
    if b is None:
        return None
    if b.year:
        return b.year if b.year != year else None
    if b.kind in ("prior_year", "prior_budget", "prior_final"):
        return year - 1
    return None
