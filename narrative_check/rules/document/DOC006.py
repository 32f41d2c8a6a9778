from __future__ import annotations

from ...link.empty_tables import is_about, named_subject, narrative_statements, nonzero_figures, says_empty
from ...link.facts import report_basis
from ..base import Rule, register, table_name
from .completeness import table_kind, whole_for_tables

# The subjects an empty-table note names that tell one template table from another.
_SUBJECTS = {"gpb", "gov_fund", "state_capital", "sangong"}


@register
class EmptyTableUnexplained(Rule):
    """What it checks:
    A standard table of the report (收支总表, 政府性基金预算支出表, 国有资本经营预算财政拨款支出决算表,
    “三公”经费支出表 …) with no figure other than zero must say it is empty — in a note under it or in
    the narrative ("本部门无政府性基金收支，故此表无数据", "此表无数据", "本表为空表", "本单位无国有资本经营预算财政拨款
    支出"). A note that says a table is empty but names another table's money ("本部门无政府性基金收支"
    under the 国有资本经营 table) was pasted from that table and is reported too. An empty table
    with no statement is an error in a whole report (see DOC004) and a warning in an excerpt, where
    the statement may be in a part not shown. XTB003 is the reverse check: a "no data" statement
    above a table with figures.

    Why it matters:
    An empty table without a word reads as data left out; the template requires the reason. A note
    copied from the table beside it tells the reader about the wrong money.

    Example:
    国有资本经营预算支出表 with only a blank 合计 line, and under it 备注：本部门无政府性基金收支，故此表无数据。

    Instead:
    备注：本部门无国有资本经营预算收支，故此表无数据。

    检查内容：
    报告的标准表格（收支总表、政府性基金预算支出表、国有资本经营预算财政拨款支出决算表、
    “三公”经费支出表……）除 0 以外没有任何数字的，
    须在表下注释或正文中说明是空表（“本部门无政府性基金收支，
    故此表无数据”“此表无数据”“本表为空表”“本单位无国有资本经营预算财政拨款支出”）。
    空表说明写的却是另一张表的资金（国有资本经营表下写“本部门无政府性基金收支”），
    是从那张表复制来的，也报告。没有说明的空表，在完整报告中报错误（见 DOC004），在节选中报警告，
    因为说明可能在没有给出的部分。反向的检查（有数据的表写着“无数据”）见 XTB003。

    为何重要：
    空表不加说明，看起来像漏报了数据，模板要求说明原因；从旁边表格复制来的说明，
    告诉读者的是另一项资金。

    示例：
    国有资本经营预算支出表只有一行空白的合计，表下注：备注：本部门无政府性基金收支，故此表无数据。

    改为：
    备注：本部门无国有资本经营预算收支，故此表无数据。
    """

    code = "DOC006"
    name = "empty-table-unexplained"
    severity = "error"
    summary = "空表未说明无数据，或空表说明写的是别的表"

    def check(self, ctx):
        doc = ctx.doc
        basis = "决算" if report_basis(doc) == "final" else "预算"
        narrative = None
        whole = None
        for table in doc.tables:
            kind = table_kind(table, basis)
            if kind is None or kind.startswith("performance") or kind == "final_operation_info" or table.flow in ("performance", "info"):
                continue  # only the funding tables of the template must state they are empty
            notes = [n for n in [*table.meta, *table.notes] if says_empty(n.text)]
            yield from self._pasted(ctx, table, notes)
            if not table.rows or nonzero_figures(table):
                continue
            if notes:
                continue
            if narrative is None:
                narrative = list(narrative_statements(doc))
            if any(is_about(st.text, table) for st in narrative):
                continue
            if whole is None:
                whole = whole_for_tables(ctx)
            at = doc.span(*table.title_span) if table.title_span else table
            yield ctx.finding(
                self, at,
                f"{table_name(table)}没有数字，但表下和正文都未说明此表无数据（如“本部门无…，故此表无数据”）",
                stated="空表", expected="无数据说明", severity=None if whole else "warning",
            )

    def _pasted(self, ctx, table, notes):
        own = "sangong" if table.flow == "sangong" else table.scope
        if own not in _SUBJECTS:
            return
        for note in notes:
            subject = named_subject(note.text)
            if subject in _SUBJECTS and subject != own:
                yield ctx.finding(
                    self, note,
                    f"{table_name(table)}的空表说明写的是另一类资金（{_WORD[subject]}），像是从别的表抄来",
                    stated=_WORD[subject], expected=_WORD[own],
                )


_WORD = {"gpb": "一般公共预算", "gov_fund": "政府性基金", "state_capital": "国有资本经营", "sangong": "“三公”经费"}
