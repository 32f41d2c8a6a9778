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

    检查内容：
    说明中写了非零金额的功能分类科目（“节能环保支出 400 万元”），报告的各张表中却都没有这一科目；只在报告
    有按功能分类编码的表时检查。金额为 0 的，以及只作比较基数写出的上年数（“上年为 400 万元”），不报告。

    为何重要：
    文中有、各表均无的支出无从追溯；通常是从别的年度或别的部门沿用的句子。只作提示。

    示例：
    （3）节能环保支出 400 万元，主要用于煤炭去产能困难职工医疗救助。
    （各表均无 211 节能环保支出科目。）

    改为：
    在各表中补列 211 节能环保支出及其款、项；如确无此项支出，删去这句话。
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
