from __future__ import annotations

from ...link.empty_tables import NONE_STATEMENT, nonzero_figures, note_statements
from ...link.facts import find_scope
from ..base import Rule, register, table_name


@register
class EmptyTableStatement(Rule):
    """What it checks:
    A statement that a table is empty or that there was no such income or spending ("本部门无政府性
    基金收支，故此表无数据"; "本单位 2021 年度无国有资本经营预算财政拨款支出") against the table of
    that funding source: it must hold no figures other than zero.

    Why it matters:
    A "no data" note above a table full of figures tells the reader the opposite of the table; one
    of them was copied from another year.

    Example:
    政府性基金预算支出表 with 229 其他支出 35.00, and the note 备注：本部门无政府性基金收支，故此表无数据。

    Instead:
    Remove the note, or the figures if there really was no such spending.

    检查内容：
    称某表无数据或无此项收支的表述（“本部门无政府性基金收支，故此表无数据”“本单位 2021 年度无国有资本经营
    预算财政拨款支出”）与该资金来源的表：表中除 0 以外不得有数字。表下的备注只对其所在的表；正文中的表述
    对同一资金口径的各张表（绩效表、机构运行信息表除外）。

    为何重要：
    表下写“无数据”，表中却有数字，两者说的正好相反；其中之一是从别的年度照搬的。

    示例：
    政府性基金预算支出表列有 229 其他支出 35.00 万元，表下备注：本部门无政府性基金收支，故此表无数据。

    改为：
    删去该备注，说明中如实写明：本部门 2024 年政府性基金预算支出 35.00 万元，全部为其他支出（229）。
    （如确无此项支出，则删去表中的数字，保留备注。）
    """

    code = "XTB003"
    name = "empty-table-statement"
    severity = "error"
    summary = "称表无数据/无此收支，但表中有数"

    def check(self, ctx):
        statements = []
        for table in ctx.doc.tables:
            statements.extend((st.at, [table]) for st in note_statements(table))
        for para in ctx.doc.paragraphs:
            text = ctx.doc.text[para.start : para.end]
            for m in NONE_STATEMENT.finditer(text):
                scope = find_scope(m.group("what"))
                if scope is None:
                    continue
                tables = [t for t in ctx.doc.tables if t.scope == scope and t.flow not in ("performance", "info")]
                if tables:
                    span = ctx.doc.span(para.start + m.start(), para.start + m.end())
                    statements.append((span, tables))
        for where, tables in statements:
            for table in tables:
                figures = nonzero_figures(table)
                if not figures:
                    continue
                yield ctx.finding(
                    self,
                    where,
                    f"称无此收支或表无数据，但{table_name(table)}中有 {len(figures)} 个非零数字（如 {figures[0].text}）",
                    stated="无数据",
                    expected=f"{len(figures)} 个非零数字",
                    related=[(figures[0], table_name(table))],
                )

