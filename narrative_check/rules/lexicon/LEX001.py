from __future__ import annotations

from ...catalogue import catalogue, name_key
from ...link.facts import report_year
from ..base import Rule, register, table_name
from ..table._common import analysed_tables, cell_of


@register
class CodeNameMismatch(Rule):
    """What it checks:
    A table line's 功能分类 or 经济分类 code against the official name of that code in the
    《政府收支分类科目》 catalogue shipped in ``lexicons/gov_classification.tsv``, for the report's
    year. Names are compared without spaces, quotes, bracket styles, and with 与/和 unified.

    Why it matters:
    The code is what ties a line to the national classification; a name that is not the code's
    name means either the code or the name is wrong, and the line is summed under the wrong head.

    Example:
    2080110	劳动关系的维权	5.00

    Instead:
    2080110	劳动关系和维权	5.00

    检查内容：
    表格行的功能分类或经济分类科目编码，
    对照 lexicons/gov_classification.tsv 所收报告年度《政府收支分类科目》中该编码的规范名称。
    比较时不计空格、引号和括号样式，“与”“和”视为相同。

    为何重要：
    编码把这一行对应到全国统一的分类；名称与编码的规范名称不符，不是编码错了就是名称错了，
    这一行会汇总到错误的科目下。

    示例：
    2080110     劳动关系的维权 5.00

    改为：
    2080110     劳动关系和维权 5.00
    """

    code = "LEX001"
    name = "code-name-mismatch"
    severity = "warning"
    summary = "科目编码与规范名称不符"

    def check(self, ctx):
        cat = catalogue()
        year = report_year(ctx.doc)
        for table in analysed_tables(ctx):
            for rec in table.records:
                if not rec.code or rec.code_inferred or not rec.label or not cat.knows(rec.code):
                    continue
                if cat.name_matches(rec.code, rec.label, year):
                    continue
                other = [e for e in cat.names(rec.code) if name_key(e.name) == name_key(rec.label)]
                if other and any("uncertain" in e.note for e in other):
                    continue  # the catalogue's year boundary for this rename is not certain
                official = [e.name for e in cat.names(rec.code, year) if "alias" not in e.note] or [e.name for e in cat.names(rec.code)]
                cell = _label_cell(table, rec)
                if other:
                    span = "、".join(f"{e.from_year or ''}–{e.to_year or ''}" for e in other)
                    message = f"科目 {rec.code} 在 {year} 年的名称为“{official[0]}”，表中“{rec.label}”是 {span} 年的名称"
                else:
                    message = f"科目 {rec.code} 的规范名称为“{official[0]}”，表中写作“{rec.label}”"
                edit = None if _names_a_code_one_slip_away(cat, rec.code, rec.label) else ctx.text_edit(cell, rec.label, official[0])
                yield ctx.finding(self, cell, f"{table_name(table)}{message}", stated=rec.label, expected=official[0],
                                  fix=ctx.fix([edit]) if edit else None)


def _label_cell(table, rec):
    return cell_of(table, rec.row, rec.label_col or 0)


def _names_a_code_one_slip_away(cat, code: str, label: str) -> bool:
    """Is the name written the official name of a code one typing slip from the code written
    (社会保险经办机构 beside 2080107, the name of 2080109)? Then the code may be the slip, not the name."""
    from rapidfuzz.distance import OSA

    return any(other != code and len(other) == len(code) and OSA.distance(other, code) <= 1
               for other in cat.by_name.get(name_key(label), ()))
