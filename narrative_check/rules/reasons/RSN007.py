from __future__ import annotations

from decimal import Decimal

from ...link.facts import report_basis
from ..arithmetic._change import ChangeFigures, change_figures
from ..base import Rule, fmt, register
from ._common import cause_words


@register
class LargeChangeUnexplained(Rule):
    """What it checks:
    In a 决算 说明, a change of ``explain_threshold`` percent or more (10 % by default; set it in the
    configuration) with no reason: no "主要原因是……" after it in its paragraph and no cause word
    (``lexicons/cause_words.tsv``: 由于, 所致 …) in its paragraph. The percent is the one stated or,
    when only the amounts are given, the one they imply. A report that explains its changes in a
    place of their own (a heading or title naming 原因, reasons tied to no change) is not held to
    it. A warning.

    Why it matters:
    The 部门决算公开 rules ask for the reason of every significant change against 上年 and 年初预算;
    an unexplained 30 % change is the first thing a reviewer asks about.

    Example:
    人员经费 1217.20 万元，较上年决算数减少 529.25 万元，下降 30.3%。

    Instead:
    人员经费 1217.20 万元，较上年决算数减少 529.25 万元，下降 30.3%，主要原因是工资政策调整。

    检查内容：
    决算说明中，变动幅度达到 explain_threshold（默认 10%，可在配置文件中设置）及以上的变动，
    所在段落中其后没有“主要原因是……”，也没有表示原因的词（见 lexicons/cause_words.tsv：由于、
    所致……）。变动率取文中所列的；只列金额的，取金额推算的变动率。
    报告在专门位置集中说明变动原因的（标题中写明“原因”，或原因不紧接变动），不作检查。只作警告。

    为何重要：
    部门决算公开要求对与上年、与年初预算相比的较大变动说明原因；变动 30% 而不说明原因，
    是审核时首先会问的。

    示例：
    人员经费 1217.20 万元，较上年决算数减少 529.25 万元，下降 30.3%。

    改为：
    人员经费 1217.20 万元，较上年决算数减少 529.25 万元，下降 30.3%，主要原因是工资政策调整。
    """

    code = "RSN007"
    name = "large-change-unexplained"
    severity = "warning"
    summary = "变动幅度较大但未说明原因"

    def check(self, ctx):
        if report_basis(ctx.doc) != "final":
            return
        if _reasons_have_their_own_place(ctx):
            return
        threshold = ctx.settings.explain_threshold
        explained_from: dict[int, int] = {}  # paragraph → start of its first reason
        for reason in ctx.of_kind("reason"):
            explained_from[reason.paragraph] = min(reason.start, explained_from.get(reason.paragraph, reason.start))
        changes = ctx.of_kind("change")
        for change in changes:
            if change.direction not in ("increase", "decrease") or change.reason or _broken_down(ctx, change, changes):
                continue
            percent = _percent(ctx, change)
            if percent is None or percent < threshold:
                continue
            ctx.mark_checked(change)
            if explained_from.get(change.paragraph, len(ctx.doc.text)) > change.start:
                if not cause_words().search(_paragraph(ctx, change)):
                    yield ctx.finding(
                        self,
                        change,
                        f"{change.subject}变动 {fmt(percent, 1)}%，达到需说明原因的幅度（{threshold}%），但未说明原因",
                        stated="未说明原因",
                        expected="变动原因",
                    )


def _broken_down(ctx, change, changes) -> bool:
    """Is the change followed, in its paragraph, by a 其中 list of its parts' changes ('增加 15.15 万元。
    其中：公务接待费减少 0.26 万元，公务用车运行维护费增加 14.79 万元')? Then the parts account for
    it, and each part's change is held to a reason of its own."""
    for other in changes:
        if other.paragraph != change.paragraph or other.start < change.end:
            continue
        between = ctx.doc.text[change.end : other.start]
        of_which = between.find("其中")
        if of_which >= 0 and between.count("。", 0, of_which) <= 1:  # in its sentence or the next
            return True
    return False


def _percent(ctx, change) -> Decimal | None:
    """The size of the change in percent: as stated, else as its amounts imply (the smallest value
    the rounding allows, so a borderline case is not flagged)."""
    if change.percent is not None and change.percent.kind == "percent":
        return abs(change.percent.value)
    figures = change_figures(ctx, change)
    if not isinstance(figures, ChangeFigures):
        return None
    implied = figures.delta / figures.base
    if implied is None:
        return None  # a zero base: ARI002's business
    return min(abs(implied.lo), abs(implied.hi)) * 100


def _paragraph(ctx, change) -> str:
    """The change's paragraph: a cause given before the change ('由于……，支出较上年减少 X 万元') or
    after it in the same paragraph explains it as well as one in its own sentence."""
    para = ctx.doc.paragraphs[change.paragraph]
    return ctx.doc.text[para.start : para.end]


def _reasons_have_their_own_place(ctx) -> bool:
    """Does the report explain its changes apart from them: a heading or title naming 原因
    ('三、“三公”经费变动原因', '……增减变化原因说明'), or a reason tied to no change? Then any change
    may be explained there, and none is reported as unexplained."""
    if any("原因" in section.title for section in ctx.doc.sections):
        return True
    first_line = ctx.doc.text.lstrip()[:200].split("\n", 1)[0]
    if "原因" in first_line:
        return True
    return any(reason.change is None for reason in ctx.of_kind("reason"))
