from __future__ import annotations

from ...catalogue import name_key
from ..base import Rule, register, table_name
from ..table._common import analysed_tables
from .LEX001 import _label_cell


@register
class CodeNamedTwoWays(Rule):
    """What it checks:
    The same 功能分类 or 经济分类 code given different names in two tables of one report (names
    compared without spaces, quotes or bracket styles, 与/和 unified).

    Why it matters:
    Tables of one report are produced from one ledger; two names for one code show that one table
    was typed or edited by hand, and its figures deserve the same doubt.

    Example:
    收入决算表 2080110 劳动关系的维权 / 支出决算表 2080110 劳动关系和维权

    Instead:
    2080110 劳动关系和维权 in both tables.

    检查内容：
    同一功能分类或经济分类编码，在同一报告的两张表中名称不同（比较时不计空格、引号和括号样式，
    “与”“和”视为相同）。

    为何重要：
    同一报告的各张表出自同一套账；一个编码两个名称，说明有一张表是手工录入或修改过的，
    表中的数字也同样值得怀疑。

    示例：
    收入决算表 2080110 劳动关系的维权 / 支出决算表 2080110 劳动关系和维权

    改为：
    收入决算表 2080110 劳动关系和维权 / 支出决算表 2080110 劳动关系和维权
    """

    code = "LEX002"
    name = "code-named-two-ways"
    severity = "warning"
    summary = "同一科目编码在不同表中名称不同"

    def check(self, ctx):
        first_seen: dict[str, tuple] = {}
        for table in analysed_tables(ctx):
            for rec in table.records:
                if not rec.code or rec.code_inferred or not rec.label:
                    continue
                seen = first_seen.get(rec.code)
                if seen is None:
                    first_seen[rec.code] = (table, rec)
                    continue
                t0, r0 = seen
                if t0.index == table.index or name_key(r0.label) == name_key(rec.label):
                    continue
                yield ctx.finding(
                    self,
                    _label_cell(table, rec),
                    f"科目 {rec.code} 在{table_name(table)}中写作“{rec.label}”，在{table_name(t0)}中写作“{r0.label}”",
                    stated=rec.label,
                    expected=r0.label,
                    related=[(_label_cell(t0, r0), f"{table_name(t0)}")],
                )
