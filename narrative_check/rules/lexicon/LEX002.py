from __future__ import annotations

from ...catalogue import catalogue, name_key
from ..base import Rule, register, table_name
from ..table._common import analysed_tables
from .LEX001 import _label_cell


@register
class CodeNamedTwoWays(Rule):
    """What it checks:
    The same 功能分类 or 经济分类 code given different names in two tables of one report (names
    compared without spaces, quotes or bracket styles, 与/和 unified), for codes the 政府收支分类科目
    catalogue does not know; for the codes it knows, LEX001 gives the official name at each place
    that misses it. The name most tables give is the report's own, and the odd one is reported with
    it as the correction; with no such name, the two are reported as differing.

    Why it matters:
    Tables of one report are produced from one ledger; two names for one code show that one table
    was typed or edited by hand, and its figures deserve the same doubt.

    Example:
    支出决算表 2080198 人才服务专项经费 / 财政拨款支出决算表 2080198 人才服务专项 / 政府性基金支出决算表 2080198 人才服务专项经费

    Instead:
    2080198 人才服务专项经费 in every table.

    检查内容：
    同一功能分类或经济分类编码，在同一报告的几张表中名称不同（比较时不计空格、引号和括号样式，
    “与”“和”视为相同）。只查《政府收支分类科目》未收录的编码；已收录的编码，由 LEX001 在每处不合
    规范名称的地方给出规范名称。多数表格使用的名称视为本报告的名称，另一名称作为笔误报告并给出改法；
    没有多数时，只报告两处名称不同。

    为何重要：
    同一报告的各张表出自同一套账；一个编码两个名称，说明有一张表是手工录入或修改过的，
    表中的数字也同样值得怀疑。

    示例：
    支出决算表 2080198 人才服务专项经费 / 财政拨款支出决算表 2080198 人才服务专项 / 政府性基金支出决算表 2080198 人才服务专项经费

    改为：
    三张表都写作 2080198 人才服务专项经费。
    """

    code = "LEX002"
    name = "code-named-two-ways"
    severity = "warning"
    summary = "同一科目编码在不同表中名称不同"

    def check(self, ctx):
        cat = catalogue()
        places: dict[str, list[tuple]] = {}
        for table in analysed_tables(ctx):
            for rec in table.records:
                if rec.code and not rec.code_inferred and rec.label:
                    places.setdefault(rec.code, []).append((table, rec))
        for code, seen in places.items():
            by_name: dict[str, list[tuple]] = {}
            for table, rec in seen:
                by_name.setdefault(name_key(rec.label), []).append((table, rec))
            if len(by_name) < 2 or len({t.index for t, _ in seen}) < 2:
                continue
            if cat.knows(code):
                continue  # LEX001 gives the official name at each place that misses it
            ranked = sorted(by_name.values(), key=len, reverse=True)
            # The name most tables give is the report's own; with no such name, neither is preferred.
            usual = ranked[0] if len(ranked[0]) > len(ranked[1]) else None
            for odd in ranked[1:] if usual else ranked[1:2]:
                yield self._odd_name(ctx, code, odd, usual or ranked[0])

    def _odd_name(self, ctx, code: str, odd: list[tuple], usual: list[tuple]):
        table, rec = odd[0]
        t0, r0 = usual[0]
        cell = _label_cell(table, rec)
        fix = None
        if len(usual) > len(odd):
            edits = [ctx.text_edit(_label_cell(t, r), r.label, r0.label) for t, r in odd]
            fix = ctx.fix(edits) if all(edits) else None
        return ctx.finding(
            self,
            cell,
            f"科目 {code} 在{table_name(table)}中写作“{rec.label}”，在{table_name(t0)}" + (f"等 {len(usual)} 处" if len(usual) > 1 else "")
            + f"中写作“{r0.label}”",
            stated=rec.label,
            expected=r0.label if len(usual) > len(odd) else None,
            related=[(_label_cell(t, r), table_name(t)) for t, r in odd[1:] + usual],
            fix=fix,
        )
