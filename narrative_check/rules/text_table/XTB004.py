from __future__ import annotations

from ...link.facts import claim_key
from ...link.tables import section_scope
from ...models.claims import AmountClaim
from ..base import Rule, register


@register
class CategoryMissingFromTables(Rule):
    """What it checks:
    A 功能分类 category the narrative gives a non-zero amount ("节能环保支出 400 万元") that no table of
    the report lists, although the report has tables coded by 功能分类.

    Why it matters:
    Spending described in the text but absent from every table cannot be traced; usually the
    sentence was carried over from another year or another department.

    Example:
    （3）节能环保支出 400 万元…… with no 211 line in any table.

    Instead:
    Add the 211 lines to the tables, or remove the sentence.
    """

    code = "XTB004"
    name = "category-missing-from-tables"
    severity = "warning"
    summary = "文中科目在各表中均无"

    def check(self, ctx):
        codes = {f.key.item for f in ctx.facts if f.key.item[:1].isdigit()}
        if not any(len(c) == 3 and c.startswith("2") for c in codes):
            return
        for claim in ctx.current_amounts():
            claim: AmountClaim
            if claim.links or claim.value.value == 0:
                continue
            key = claim_key(claim.subject, context_scope=section_scope(ctx.doc, claim.paragraph))
            if key is None or not key.item[:1].isdigit() or key.item in codes:
                continue
            ctx.mark_checked(claim)
            yield ctx.finding(
                self,
                claim,
                f"文中{claim.subject}（{key.item}）{claim.value.text}，但各表均无 {key.item} 科目",
                stated=claim.value.text,
                expected=f"表中应有 {key.item} 科目",
            )
