from __future__ import annotations

from ..base import Rule, register
from .completeness import funded, report_kind, required_parts, share_present, tables_by_kind


@register
class RequiredTableMissing(Rule):
    """What it checks:
    A whole 部门/单位 预算 or 决算 report against the tables its template publishes
    (`lexicons/required_parts.tsv`): 预算 — 收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算支出表,
    一般公共预算基本支出表, “三公”经费支出表, 政府性基金预算支出表, 国有资本经营预算支出表; 决算 — the nine
    公开 tables and 机构运行信息表. Tables are known by what they are — their title's kind in any
    province's wording (`lexicons/table_kinds.tsv`), or, for an unusual title, heads and lines only
    that kind has — not by one province's titles. A text is a whole report only when its title at
    the top names the kind of report, it does not start mid-list and at least half of the tables
    are there; otherwise nothing is reported. An error when a table every report publishes is
    absent; a warning when the report may have none of its money (国有资本经营 when the text states
    no such funds either way) or the template may lack it (机构运行信息表).

    Why it matters:
    The tables are the disclosure; a table left out — often the empty 政府性基金 or 国有资本经营
    table — breaks the publication rules and leaves the reader unable to tell "none" from "hidden".

    Example:
    某某局2021年度部门决算 with 收入支出决算总表, 收入决算表, 财政拨款收入支出决算总表 … but no 支出决算表.

    Instead:
    Publish every table of the template, an empty one with a note that it is empty
    ("本部门无政府性基金收支，故此表无数据").

    检查内容：
    完整的部门或单位预算、决算报告，对照模板规定公开的表格（lexicons/required_parts.tsv）：
    预算为收支总表、收入总表、支出总表、财政拨款收支总表、一般公共预算支出表、
    一般公共预算基本支出表、“三公”经费支出表、政府性基金预算支出表、国有资本经营预算支出表；
    决算为九张公开表和机构运行信息表。表格按实际内容识别：
    各省不同写法的表名（lexicons/table_kinds.tsv），表名不常见的，按该类表独有的表头和行次，
    而不是只认某一个省的表名。只有文首标题写明报告类型、不是从中间开始、
    且至少有一半表格在内的文本才算完整报告，否则不作检查。每份报告都应公开的表缺失，报错误；
    报告可能根本没有该项资金（国有资本经营，
    且正文未说明有没有此项资金）或模板可能没有该表（机构运行信息表）的，报警告。

    为何重要：
    表格本身就是公开的内容；漏掉一张表（多是空的政府性基金表或国有资本经营表），不符合公开规定，
    读者也分不清是“没有”还是“没公开”。

    示例：
    某某局2021年度部门决算，有收入支出决算总表、收入决算表、财政拨款收入支出决算总表……，但没有支出决算表。

    改为：
    公开模板规定的全部表格；没有数据的表也要公开，并注明“本部门无政府性基金收支，故此表无数据”。
    """

    code = "DOC004"
    name = "required-table-missing"
    severity = "error"
    summary = "完整报告缺少模板规定的公开表"

    def check(self, ctx):
        report = report_kind(ctx)
        if report is None:
            return
        parts = required_parts(report, "table")
        present = tables_by_kind(ctx, report)
        missing = [p for p in parts if not any(k in present for k in p.matched_by)]
        if not share_present(len(parts) - len(missing), len(parts)):
            return  # tables published elsewhere, or an excerpt: absence says nothing
        for part in missing:
            severity = None
            if part.when.startswith("funded:"):
                has = funded(ctx, part.when.removeprefix("funded:"))
                if has is False:
                    continue  # no such money: some templates then leave its table out
                if has is None:
                    severity = "warning"
            elif part.when == "may_lack":
                severity = "warning"
            yield ctx.finding(
                self, report.title,
                f"{report.name}报告缺少《{part.name}》（或各地同类表），而其他公开表都在文中",
                stated="缺", expected=part.name, severity=severity,
            )
