from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ..base import Rule, register, table_name
from ._common import analysed_tables, cell_of, column_name, record_name, row_identities, show, sum_check


@lru_cache(maxsize=64)
def _nested(parts: tuple[str, ...]) -> frozenset[str]:
    """The parts of the parts (公务用车购置费 of 公务用车购置及运行费): not other parts of the total."""
    return frozenset(q for t, ps, _ in row_identities() if t in parts for q in ps)


@register
class RowTotalMismatch(Rule):
    """What it checks:
    Within one line of a table, a total column against the columns it is the total of, by the
    identities of the table type (``lexicons/row_identities.tsv``): 合计 = 基本支出 + 项目支出 (+ 上缴上级、
    经营、对附属单位补助支出); 小计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算; 基本支出 = 人员经费 +
    公用经费; "三公"合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费; 公务用车购置及运行费 = 购置费 +
    运行费. Rounding is allowed for: each part may be off by half a unit of its last digit.

    Why it matters:
    A line whose total is not the sum of its parts is wrong somewhere, and every later table and
    sentence that quotes it inherits the error.

    Example:
    20801	人力资源和社会保障管理事务	1,439.19	988.55	460.63

    Instead:
    20801	人力资源和社会保障管理事务	1,439.19	988.55	450.64

    检查内容：
    表中同一行内，合计列与其各分项列，按该类表适用的恒等关系（lexicons/row_identities.tsv）核对：合计 =
    基本支出 + 项目支出（+ 上缴上级支出、经营支出、对附属单位补助支出）；小计 = 一般公共预算 + 政府性基金
    预算 + 国有资本经营预算；基本支出 = 人员经费 + 公用经费；“三公”经费合计 = 因公出国（境）费 + 公务用车
    购置及运行费 + 公务接待费；公务用车购置及运行费 = 购置费 + 运行费。只在同一年度、同一预算或决算口径的
    列之间核对，且至少列出两个分项；该行还有恒等关系未列出的分项（如事业收入）有数的，不检查。每个分项允许
    末位半个单位的四舍五入误差。

    为何重要：
    一行的合计不等于分项之和，这一行必有错处，之后引用它的各表和文字都会跟着错。

    示例：
    20801	人力资源和社会保障管理事务	1,439.19	988.55	460.63
    （三列依次为合计、基本支出、项目支出：988.55 + 460.63 = 1,449.18，不等于合计 1,439.19。）

    改为：
    20801	人力资源和社会保障管理事务	1,439.19	988.55	450.64
    （988.55 + 450.64 = 1,439.19。）
    """

    code = "TBL001"
    name = "row-total-mismatch"
    severity = "error"
    summary = "表内一行的合计与分项不符"

    def check(self, ctx):
        for table in analysed_tables(ctx):
            identities = [(t, parts) for t, parts, flows in row_identities() if "*" in flows or table.flow in flows]
            if not identities:
                continue
            for rec in table.records:
                if len(rec.values) < 3:
                    continue  # a total and at least two parts
                groups: dict[tuple, dict] = defaultdict(dict)
                for v in rec.values:
                    name = v.scope if (v.role == "total" and v.scope) else v.role
                    groups[(v.year, v.basis, v.flow)].setdefault(name, v)
                for total_name, parts in identities:
                    for group in groups.values():
                        total = group.get(total_name)
                        present = [group[p] for p in parts if p in group]
                        if total is None or len(present) < 2:
                            continue
                        if total.value is None and all(p.value is None for p in present):
                            continue
                        others = [v for name, v in group.items() if name != total_name and name not in parts and name not in _nested(parts) and v.value]
                        if others:
                            continue  # the total has other parts this identity does not name (事业收入 …)
                        ok, exact = sum_check(ctx, total, present)
                        if ok:
                            continue
                        cell = cell_of(table, rec.row, total.col)
                        terms = " + ".join(f"{column_name(table, p.col)} {show(p.value)}" for p in present)
                        yield ctx.finding(
                            self,
                            cell,
                            f"{table_name(table)}{record_name(rec)}：{column_name(table, total.col)} {show(total.value)}，"
                            f"而 {terms} = {exact}",
                            stated=show(total.value),
                            expected=format(exact, "f"),
                            related=[(cell_of(table, rec.row, p.col), column_name(table, p.col)) for p in present],
                        )
