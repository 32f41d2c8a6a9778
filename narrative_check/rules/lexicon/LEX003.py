from __future__ import annotations

from collections import defaultdict

import regex

from ..base import Rule, register, table_name
from ..table._common import analysed_tables, cell_of

_DIGITS = regex.compile(r"^\d{2,9}$")


@register
class CodeLevelMismatch(Rule):
    """What it checks:
    The digits of the codes in a table's code column: 功能分类 codes have 3 (类), 5 (款) or 7 (项)
    digits, 经济分类 codes 3 or 5; and in a listing, each 款 or 项 stands under a 类 or 款 it
    belongs to (its first digits are its parent's code).

    Why it matters:
    A code of the wrong length, or a line filed under the wrong parent, breaks the tree every
    subtotal of the table is built on.

    Example:
    208	社会保障和就业支出 / 2101101	行政单位医疗 (a 210 line under 208)

    Instead:
    The 2101101 line under 210 卫生健康支出 and its 款 21011.

    检查内容：
    表格编码列中编码的位数：功能分类编码为 3 位（类）、5 位（款）或 7 位（项），
    经济分类编码为 3 位或 5 位；逐行列示时，每个款、项都应列在其所属的类、
    款之下（编码的前几位就是上级的编码）。

    为何重要：
    位数不对的编码，或者列错了上级的行，会打乱表中各级小计所依据的层级。

    示例：
    208 社会保障和就业支出 / 2101101     行政单位医疗（210 类的行列在了 208 类下）

    改为：
    210 卫生健康支出 / 21011 行政事业单位医疗 / 2101101     行政单位医疗
    """

    code = "LEX003"
    name = "code-level-mismatch"
    severity = "warning"
    summary = "科目编码位数或层级不符"

    def check(self, ctx):
        for table in analysed_tables(ctx):
            code_cols = [c.index for c in table.columns if c.kind == "code"]
            by_block = defaultdict(list)
            for rec in table.records:
                if rec.code and not rec.code_inferred:
                    by_block[rec.block].append(rec)
            for row in table.rows[table.header_rows :]:
                for col in code_cols:
                    if col >= len(row.cells):
                        continue
                    cell = row.cells[col]
                    text = cell.text.strip()
                    if _DIGITS.match(text) and len(text) not in (3, 5, 7):
                        yield ctx.finding(self, cell, f"{table_name(table)}科目编码 {text} 为 {len(text)} 位，应为 3、5 或 7 位",
                                          stated=text, expected="3/5/7 位编码")
            for records in by_block.values():
                stack: list[str] = []
                for rec in records:
                    while stack and len(stack[-1]) >= len(rec.code):
                        stack.pop()
                    if stack and not rec.code.startswith(stack[-1]):
                        yield ctx.finding(
                            self,
                            cell_of(table, rec.row, rec.code_col or 0),
                            f"{table_name(table)}科目 {rec.code} 列在 {stack[-1]} 之下，但不属于该科目",
                            stated=f"{stack[-1]} 之下",
                            expected=f"{rec.code[: len(stack[-1])]} 之下",
                        )
                    stack.append(rec.code)
