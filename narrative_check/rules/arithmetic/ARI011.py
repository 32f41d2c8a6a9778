from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ...interval import sum_intervals
from ...link.facts import report_year
from ..base import DIRECTION_WORD, Rule, baseline_word, fmt_figure_value, register
from ..contradiction._common import signed_delta
from ._change import rate_fits
from ._identity import exact_money, identities, quantity_of, sole_amounts


@register
class BreakdownMismatch(Rule):
    """What it checks:
    A total and every part a disclosure's definitions give it (``lexicons/fact_identities.tsv``:
    “三公”经费 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费; 公务用车购置及运行维护费 =
    购置费 + 运行维护费; 基本支出 = 人员经费 + 公用经费), stated anywhere in the narrative: the parts'
    amounts must add up to the total's, and their changes against one baseline to the total's change
    against it. Each quantity must be stated once: a quantity stated twice (two units' figures, a
    budget and an actual) leaves more than one reading, and is not checked. Rounding is allowed for.

    Why it matters:
    Sections written one item at a time ("一、因公出国（境）经费 …", "二、公务接待费 …") are edited one at a
    time; when the total's change was not redone, the sections no longer make the total the
    report opens with.

    Example:
    “三公”经费支出 3825 万元，比预算数减少 1188 万元。…… 因公出国（境）费 99 万元，比预算数减少 31 万元。
    …… 公务接待费 1014 万元，比预算数减少 850 万元。…… 公务用车购置及运行维护费 2712 万元，比预算数减少 107 万元。

    Instead:
    “三公”经费支出 3825 万元，比预算数减少 988 万元。(31 + 850 + 107 = 988)

    检查内容：
    口径规定了全部构成项的总数（见 lexicons/fact_identities.tsv：“三公”经费 = 因公出国（境）费 + 公务用车
    购置及运行维护费 + 公务接待费；公务用车购置及运行维护费 = 购置费 + 运行维护费；基本支出 = 人员经费 +
    公用经费），其各构成项在说明中任何位置写出时：各构成项金额之和应等于总数；对同一基数的变动额增减相抵后，
    也应等于总数的变动额。某一构成项本年实际支出为 0 而没有写变动的，对任何基数它只可能减少或不变，所以
    总数的变动（增加为正、减少为负）不应大于其余构成项变动之和。每个量须在说明中只写一次：同一个量写了
    两次（两个单位的数、预算数和决算数）有多种读法，不检查。构成项金额就列在总数“其中”之后的，由 ARI007 检查。
    允许四舍五入误差。总数的变动额与其变动率相符、而某一构成项的变动额与其变动率不符时，指出该构成项。

    为何重要：
    逐项分节编写的说明（“一、因公出国（境）经费……”“二、公务接待费……”）也是逐项修改的；总数的变动没有
    重算，各节加起来就不再等于开头的总数。

    示例：
    “三公”经费支出 3825 万元，比预算数减少 1188 万元。因公出国（境）费 99 万元，比预算数减少 31 万元。
    公务接待费 1014 万元，比预算数减少 850 万元。公务用车购置及运行维护费 2712 万元，比预算数减少 107 万元。
    （31 + 850 + 107 = 988 万元；金额 99 + 1014 + 2712 = 3825 万元，相符。）

    改为：
    “三公”经费支出 3825 万元，比预算数减少 988 万元。
    """

    code = "ARI011"
    name = "breakdown-mismatch"
    severity = "error"
    summary = "总数与其全部构成项之和不符"

    def check(self, ctx):
        amounts = sole_amounts(ctx)
        changes = _sole_changes(ctx)
        for whole_q, part_qs in identities():
            whole = amounts.get(whole_q)
            parts = [amounts.get(q) for q in part_qs]
            if whole is not None and all(parts) and not _listed_under(ctx, whole, parts):
                yield from self._check_amounts(ctx, whole, parts)
            for family, of_family in changes.items():
                whole_change = of_family.get(whole_q)
                part_changes = [of_family.get(q) for q in part_qs]
                if whole_change is None:
                    continue
                if all(part_changes):
                    yield from self._check_changes(ctx, whole_change, part_changes)
                elif len([c for c in part_changes if c is None]) == 1:
                    nil = amounts.get(part_qs[part_changes.index(None)])
                    if _nothing_now(nil):
                        yield from self._check_changes_past_nil(ctx, whole_change, [c for c in part_changes if c], nil)

    def _check_amounts(self, ctx, whole, parts):
        ctx.mark_checked(whole)
        total = sum_intervals(ctx.interval(p.value) for p in parts)
        if total.overlaps(ctx.interval(whole.value)):
            return
        exact = sum((p.value.yuan for p in parts), Decimal(0))
        names = "、".join(p.subject for p in parts)
        yield ctx.finding(
            self, whole,
            f"{names}合计 {fmt_figure_value(exact, whole.value)}，与{whole.subject} {whole.value.text} 不符",
            stated=whole.value.text, expected=fmt_figure_value(exact, whole.value),
            related=[(p, "构成项") for p in parts],
        )

    def _check_changes(self, ctx, whole, parts):
        ctx.mark_checked(whole)
        total = sum_intervals(signed_delta(ctx, p) for p in parts)
        if total.overlaps(signed_delta(ctx, whole)):
            return
        exact = sum((p.sign * p.delta.yuan for p in parts), Decimal(0))
        net = f"{DIRECTION_WORD['increase' if exact > 0 else 'decrease']} {fmt_figure_value(abs(exact), whole.delta)}" if exact else "为零"
        said = f"{DIRECTION_WORD[whole.direction]} {whole.delta.text}"
        names = "、".join(p.subject for p in parts)
        # Where the slip is: a part whose own rate does not fit its figures, when the whole's does.
        suspects = [p for p in parts if rate_fits(ctx, p) is False]
        at = suspects[0] if len(suspects) == 1 and rate_fits(ctx, whole) is True else whole
        if at is not whole:
            hint = f"（{at.subject}的变动额与其变动率也不符，疑为此处有误）"
        elif rate_fits(ctx, whole) is True:
            hint = f"（{whole.subject}的变动额与其变动率相符，疑为分项有误）"
        else:
            hint = ""
        yield ctx.finding(
            self, at,
            f"{names}较{baseline_word(whole)}的变动合计{net}，而{whole.subject}写{said}{hint}",
            stated=said, expected=net,
            related=[(c, "构成项的变动" if c is not whole else "总数的变动") for c in [whole, *parts] if c is not at],
        )


    def _check_changes_past_nil(self, ctx, whole, parts, nil):
        """One part has no change stated, but is 0 now: against any baseline it can only have fallen
        or stayed, so the whole's change is at most the named parts' net change."""
        named = sum_intervals(signed_delta(ctx, p) for p in parts)
        said = signed_delta(ctx, whole)
        if said.lo <= named.hi:
            return
        ctx.mark_checked(whole)
        exact = sum((p.sign * p.delta.yuan for p in parts), Decimal(0))
        net = f"{DIRECTION_WORD['increase' if exact > 0 else 'decrease']} {fmt_figure_value(abs(exact), whole.delta)}"
        bound = f"减少不应少于 {fmt_figure_value(-exact, whole.delta)}" if exact < 0 else f"增加不应多于 {fmt_figure_value(exact, whole.delta)}"
        stated = f"{DIRECTION_WORD[whole.direction]} {whole.delta.text}"
        names = "、".join(p.subject for p in parts)
        yield ctx.finding(
            self, whole,
            f"{names}较{baseline_word(whole)}的变动合计{net}，{nil.subject}为 {nil.value.text}（只可能减少或不变），"
            f"{whole.subject}的{bound}，而写{stated}",
            stated=stated, expected=bound,
            related=[(p, "构成项的变动") for p in parts] + [(nil, "为零的构成项")],
        )


def _nothing_now(amount) -> bool:
    """An exact 0 of the report's year and of actual spending, not of a budget."""
    return amount is not None and amount.value.value == 0 and getattr(amount, "basis", None) != "budget"


def _listed_under(ctx, whole, parts) -> bool:
    """Are the parts the list after the whole's own '其中'? Then ARI007 holds them to it."""
    lists = {p.part_of for p in parts}
    if len(lists) != 1 or None in lists:
        return False
    listed = ctx.by_id.get(lists.pop())
    return listed is not None and listed.whole_claim == whole.id


def _sole_changes(ctx) -> dict[str, dict]:
    """For each baseline family, each quantity with exactly one change stating its amount and
    direction against it (its value's claim naming the quantity)."""
    found: dict[tuple, list] = defaultdict(list)
    year = report_year(ctx.doc)
    for change in ctx.of_kind("change"):
        current = ctx.by_id.get(change.current_claim) if change.current_claim else None
        q = quantity_of(current, year) if current is not None else None
        if q is None or change.baseline_family is None:
            continue
        found[(change.baseline_family, q)].append(change)
    out: dict[str, dict] = defaultdict(dict)
    for (family, q), items in found.items():
        if len(items) == 1 and _stated(ctx, items[0]):
            out[family][q] = items[0]
    return out


def _stated(ctx, change) -> bool:
    """Does the change state an exact amount with its direction?"""
    return exact_money(change.delta) and signed_delta(ctx, change) is not None
