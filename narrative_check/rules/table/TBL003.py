from __future__ import annotations

from collections import defaultdict

from ...extract.tables import head_role
from ...read.numbering import OF_WHICH, marker_number, match_marker
from ..base import Rule, register, table_name
from ._common import analysed_tables, cell_of, column_mismatches, column_name, row_identities, show


@register
class TotalRowMismatch(Rule):
    """What it checks:
    A table's 合计 line (合计, 本年收入合计, 本年支出合计, 人员经费合计 …) against the lines it totals:
    the 类 lines (3-digit codes) of a coded table, or the numbered lines (一、二、…) above it in a
    收入/支出 overview. Rounding is allowed for: a sum of n printed parts may miss by n half-units.

    Why it matters:
    The 合计 line is the figure the narrative quotes; if the lines do not add up to it, either the
    narrative or the detail is wrong.

    Example:
    合计	9,909.15 with 类 lines 5,557.65 + 3,039.92 + 400.00 + 659.59 + 96.98 + 35.00 + 20.00

    Instead:
    合计	9,809.14, or the missing 100.01 restored to its line

    检查内容：
    表中的合计行（合计、本年收入合计、本年支出合计、人员经费合计……）与其所合计的各行：有科目编码的表，
    为各类（3 位编码）行之和；收入、支出总表中，为其上以“一、二、……”编号的各行之和；合计行在前的
    （“合计 | 1、因公出国（境）费 | 2、公务接待费 | ……”），为其下最外层编号的各行之和，或恰为口径规定的
    全部构成项的各行之和（其间夹有既无编号、又不以“其中”开头的行时不检查）。机构运行信息表各项互不相加，
    不检查。允许四舍五入误差：n 个分项之和最多可差 n 个半单位。

    为何重要：
    合计行是说明中引用的数字；各行加起来不等于它，说明文字或明细必有一处错。

    示例：
    合计	9,909.15
    （各类行为 5,557.65 + 3,039.92 + 400.00 + 659.59 + 96.98 + 35.00 + 20.00 = 9,809.14，差 100.01。）

    改为：
    合计	9,809.14
    （或把漏掉的 100.01 补回所属的类行。）
    """

    code = "TBL003"
    name = "total-row-mismatch"
    severity = "error"
    summary = "合计行不等于各类/各项之和"

    def check(self, ctx):
        for table in analysed_tables(ctx):
            if table.flow == "info":
                continue  # 机构运行信息表: a list of separate items, not a sum
            by_block = defaultdict(list)
            for rec in table.records:
                by_block[rec.block].append(rec)
            for records in by_block.values():
                if records and records[0].total == "subtotal" and not any(r.code for r in records):
                    # '合计' first, its numbered lines below ('合计 | 1、因公出国（境）费 | 2、公务接待费 | …')
                    parts = _outermost_numbered(table, records[1:]) or _defined_parts(table, records[1:])
                    if len(parts) > 1:
                        yield from self._compare(ctx, table, records[0], parts, where="其下")
                    continue
                coded = [r for r in records if r.code and len(r.code) == 3]
                pending = []
                for rec in records:
                    if rec.total == "subtotal":
                        parts = coded or pending
                        if parts:
                            yield from self._compare(ctx, table, rec, parts)
                        pending = []
                    elif rec.total == "grand":
                        pending = []
                    elif not coded and rec.marker and marker_number(rec.marker) is not None and _top_level(rec.marker):
                        pending.append(rec)

    def _compare(self, ctx, table, total, parts, where: str = "其上"):
        for tv, exact, cell in column_mismatches(ctx, table, total, parts, need_parts=True):
            yield ctx.finding(
                self,
                cell,
                f"{table_name(table)}{total.label}（{column_name(table, tv.col)}）为 {show(tv.value)}，"
                f"{where} {len(parts)} 行合计 {exact}",
                stated=show(tv.value),
                expected=format(exact, "f"),
            )


def _outermost_numbered(table, records: list) -> list:
    """The lines numbered in the outermost style among `records`, up to the next total line; none
    when a line neither numbered nor opening with 其中 stands among them (it may be a part the
    numbering left out)."""
    until = next((i for i, r in enumerate(records) if r.total), len(records))
    records = records[:until]
    levels = [m[1] for r in records if r.marker and (m := match_marker(r.marker))]
    if not levels:
        return []
    if any(not r.marker and not OF_WHICH.match(cell_of(table, r.row, r.label_col or 0).text) for r in records):
        return []
    top = min(levels)
    return [r for r in records if r.marker and (m := match_marker(r.marker)) and m[1] == top]


def _defined_parts(table, records: list) -> list:
    """Unnumbered lines that are exactly the parts a row identity gives the table's total ('合计' over
    因公出国（境）费 / 公务用车购置及运行费 / 公务接待费, `lexicons/row_identities.tsv`), the parts of those
    parts (公务用车购置费 under 公务用车购置及运行费) aside; none when any other line stands among them."""
    until = next((i for i, r in enumerate(records) if r.total), len(records))
    roles = [(r, found[0] if (found := head_role(r.label)) and found[1] == "item" else None) for r in records[:until]]
    if any(role is None for _, role in roles):
        return []
    for total, parts, flows in row_identities():
        if total != "total" or ("*" not in flows and table.flow not in flows):
            continue
        named = [r for r, role in roles if role in parts]
        nested = {q for t, ps, _ in row_identities() if t in parts for q in ps}
        if sorted(role for _, role in roles if role in parts) == sorted(parts) and all(role in parts or role in nested for _, role in roles):
            return named
    return []


def _top_level(marker: str) -> bool:
    """'一、' style markers number the lines a 合计 sums; '(一)' and '1.' are sub-lines."""
    return not marker.startswith(("（", "(")) and not marker[0].isdigit()
