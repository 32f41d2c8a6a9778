from __future__ import annotations

import regex

from ...link.facts import find_scope
from ..base import Rule, register, table_name

# '本部门无政府性基金收支，故此表无数据', '本单位2021年度无国有资本经营预算财政拨款支出'
_EMPTY_NOTE = regex.compile(r"(?:此表|本表|该表)(?:为)?(?:无数据|为空|空表)|无[^。；]{0,30}(?:收支|收入|支出)[^。；]{0,12}(?:故|因此|所以)?[^。；]{0,6}(?:无数据|为空|空表)")
_NONE_STATEMENT = regex.compile(r"(?:本部门|本单位|我部门|我单位)[^。；，]{0,12}无(?:使用)?(?P<what>[^。；，]{2,30}?(?:收支|收入|支出))")


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
    """

    code = "XTB003"
    name = "empty-table-statement"
    severity = "error"
    summary = "称表无数据/无此收支，但表中有数"

    def check(self, ctx):
        statements = []
        for table in ctx.doc.tables:
            for note in table.notes:
                if _EMPTY_NOTE.search(note.text):
                    statements.append((note, [table]))
        for para in ctx.doc.paragraphs:
            text = ctx.doc.text[para.start : para.end]
            for m in _NONE_STATEMENT.finditer(text):
                scope = find_scope(m.group("what"))
                if scope is None:
                    continue
                tables = [t for t in ctx.doc.tables if t.scope == scope and t.flow not in ("performance", "info")]
                if tables:
                    span = ctx.doc.span(para.start + m.start(), para.start + m.end())
                    statements.append((span, tables))
        for where, tables in statements:
            for table in tables:
                figures = [c for r in table.rows[table.header_rows :] for c in r.cells if c.value not in (None, 0) and not _code_like(c.text)]
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


def _code_like(text: str) -> bool:
    from ...extract.tables import CODE

    return bool(CODE.match(text.strip()))
