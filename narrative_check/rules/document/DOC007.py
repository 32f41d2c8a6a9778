from __future__ import annotations

import regex

from ...extract.normalize import normalize
from ...link.facts import report_title
from ..base import Rule, register, table_name
from .DOC001 import children_of, stale_heading

_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
# A title line that names what the report is ('2021年度部门决算', '2014年“三公”经费预算情况说明'):
# without one the text is an excerpt, whose first year may be any year it mentions.
_TITLE_WORDS = regex.compile(r"预算|决算|三公|经费")
# Tables that set years side by side, or another year's execution against this year's plan, name
# other years by design.
_COMPARING_TITLE = regex.compile(r"执行|对比|比较|上年|历年|以来|[-—－~～至到]\s*(?:19|20)\d{2}")
_PRIOR_HEAD = regex.compile(r"上年|上一年|去年|上年度|前一年")
_CURRENT_HEAD = regex.compile(r"本年|当年|本期")
_YEAR_ONLY_LINE = regex.compile(r"^\s*((?:19|20)\d{2})\s*年度?\s*$")
_BASIS_WORD = {"final": "决算", "budget": "预算"}
# A reason heading: '2015年“三公”经费支出下降的原因', '2015年…增减变化原因说明'.
_REASON_HEAD = regex.compile(
    r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])?\s*((?:19|20)\d{2})\s*年度?"
    r"[^。；：:\n]{0,40}?(?:增|减|下降|上升|增长|变动|变化)[^。；：:\n]{0,8}?原因"
)


def report_year_of_title(doc) -> tuple[int, str] | None:
    """The report's year and basis when its first line is a title naming one year: a text that
    opens otherwise is an excerpt, and the year its first sentence names need not be the report's."""
    first = next((line for line in doc.text.splitlines() if line.strip()), "")
    line = normalize(first)
    years = {int(y) for y in _YEAR.findall(line)}
    title = report_title(doc.text)
    if len(years) != 1 or not _TITLE_WORDS.search(line) or title.year not in years or title.basis is None:
        return None
    return title.year, title.basis


@register
class OtherYearsTable(Rule):
    """What it checks:
    In a report whose title names its year: a table whose title or year line names another year
    ("2020年部门收支决算总表" in the 2021 决算); a table whose columns for the report's own figures
    (决算数 in a 决算, 预算数 in a 预算, not those headed 上年) name only another year; a reason
    heading naming the previous year ("2015年“三公”经费下降的原因" in the 2016 report); and a 上年
    figure labelled with the report's own year ("上年（2021年）决算数" in the 2021 report). Tables
    that compare years by design (执行情况, 对比) are not checked; a heading whose whole section
    speaks of another year is DOC001's.

    Why it matters:
    Tables and paragraphs are copied from last year's report and updated in place; a year left
    unchanged tells the reader the figures are last year's, or that last year's figures were
    published again.

    Example:
    某某局2021年度部门决算情况说明 … 2020年部门收支决算总表

    Instead:
    2021年部门收支决算总表

    检查内容：
    标题写明年度的报告中：表名或表的年度行是另一年度（2021 年决算中的“2020年部门收支决算总表”）；
    表中本年数据的列（决算报告的决算数、预算报告的预算数，标为上年的除外）只写了另一年度；
    原因标题写的是上一年度（2016 年报告中的“2015年“三公”经费下降的原因”）；
    上年数标成了本报告年度（2021 年报告中的“上年（2021年）决算数”）。
    按设计比较各年的表（执行情况表、对比表）不检查；整个部分讲的都是另一年度的标题，由 DOC001 检查。

    为何重要：
    表格和段落从上年报告复制后就地修改；漏改的年份告诉读者这是上年的数据，
    或者上年的数据又公开了一遍。

    示例：
    某某局2021年度部门决算情况说明 …… 2020年部门收支决算总表

    改为：
    2021年部门收支决算总表
    """

    code = "DOC007"
    name = "other-years-table"
    severity = "warning"
    summary = "表格或原因标题的年份不是本报告年度"

    def check(self, ctx):
        doc = ctx.doc
        known = report_year_of_title(doc)
        if known is None:
            return
        year, basis = known
        for table in doc.tables:
            yield from self._table(ctx, table, year, basis)
        yield from self._reason_heads(ctx, year)
        yield from self._prior_labelled(ctx, year)

    def _table(self, ctx, table, year, basis):
        doc = ctx.doc
        if table.title and _COMPARING_TITLE.search(normalize(table.title)):
            return
        if table.title and table.title_span:
            title = normalize(table.title)
            years = {int(y) for y in _YEAR.findall(title)}
            if len(years) == 1 and year not in years and _BASIS_WORD[basis] in title:
                [other] = years
                start, end = table.title_span
                yield ctx.finding(self, doc.span(start, end), f"{table_name(table)}标题写 {other} 年，本报告为 {year} 年度",
                                  stated=f"{other}年", expected=f"{year}年")
                return
        for note in table.meta:
            m = _YEAR_ONLY_LINE.match(normalize(note.text))
            if m and int(m.group(1)) != year:
                yield ctx.finding(self, note, f"{table_name(table)}的年度行写 {m.group(1)} 年，本报告为 {year} 年度",
                                  stated=f"{m.group(1)}年", expected=f"{year}年")
                return
        own = []
        for col in table.columns:
            if col.kind != "value" or not col.header:
                continue
            head = normalize("".join(col.header))
            if _PRIOR_HEAD.search(head):
                continue
            if col.year is None:
                if col.basis == basis or _CURRENT_HEAD.search(head):
                    return  # a column of this year's figures that names no year: the others are comparisons
                continue
            if col.basis in (None, basis):
                own.append(col)
        if own and all(c.year != year for c in own):
            col = own[0]
            head_row = next((r for r in range(table.header_rows) if col.index < len(table.rows[r].cells)
                             and _YEAR.search(table.rows[r].cells[col.index].text)), None)
            at = table.rows[head_row].cells[col.index] if head_row is not None else table
            yield ctx.finding(self, at, f"{table_name(table)}的本年数列标为 {col.year} 年（“{'/'.join(col.header)}”），"
                                        f"本报告为 {year} 年度", stated=f"{col.year}年", expected=f"{year}年")

    def _reason_heads(self, ctx, year):
        doc = ctx.doc
        children = children_of(doc)
        stale_sections = {s.start for s in doc.sections if stale_heading(doc, s, children)}
        # A reason heading may open a section, a paragraph, or a sentence of a paragraph joined from wrapped lines.
        starts = [(s.start, s.end) for s in doc.sections] + [(p.start, p.end) for p in doc.paragraphs]
        starts += [(s.start, s.end) for p in doc.paragraphs for s in p.sentences]
        seen = set()
        for start, end in sorted(set(starts)):
            if start in stale_sections or start in seen:
                continue
            seen.add(start)
            m = _REASON_HEAD.match(doc.text, start, end)
            if m and int(m.group(1)) == year - 1:
                yield ctx.finding(self, doc.span(m.start(1), m.end()),
                                  f"原因段以 {year - 1} 年起首，本报告为 {year} 年度：“{m.group().strip()}”",
                                  stated=f"{year - 1}年", expected=f"{year}年")

    def _prior_labelled(self, ctx, year):
        """'上年（2021年）' or '2021年（上年）' in the 2021 report: 上年 is 2020."""
        doc = ctx.doc
        pattern = regex.compile(rf"(?:上年度?|上一年度?|去年)\s*[（(]?\s*({year})\s*年度?[）)]?|({year})\s*年度?\s*[（(]\s*(?:上年度?|上一年度?|去年)\s*[）)]")
        for m in pattern.finditer(doc.text):
            yield ctx.finding(self, doc.span(m.start(), m.end()), f"“{m.group()}”：本报告为 {year} 年度，上年应为 {year - 1} 年",
                              stated=f"{year}年", expected=f"{year - 1}年")
