from __future__ import annotations

from collections import Counter

import regex

from ...models.document import Document, Section
from ..base import Rule, register

_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
# A year the text compares with or counts from is not the year it reports on: '较2014年度',
# '比2013年', '与2019年相比', '2013年以来', '2019—2021年'.
_COMPARED = regex.compile(r"(?:较|比|与|同|和|对比|相比|自|从|截至|至|[-—－~～])\s*(?:\d{4}\s*年度?)?\s*$")
_COUNTED_FROM = regex.compile(r"^\s*年?度?\s*(?:以来|起|至|到|[-—－~～]|底|末|前)")
# Body years needed before a heading's year is called stale: one mention may be an aside.
_MIN_MENTIONS = 2


@register
class HeadingYearMismatch(Rule):
    """What it checks:
    A heading or title that names a year ("2020年度“三公”经费决算情况说明") against the years the text
    under it reports on: when the text names another year, at least twice, and never the heading's
    own, the heading was left from the previous year's report. Years the text compares with or
    counts from ("较2020年", "2019年以来") are not years it reports on.

    Why it matters:
    Reports are written over last year's; a title or section heading not updated tells the public
    the figures below are for another year, and a search for the year's report misses it.

    Example:
    迪庆州州本级2020年度“三公”经费决算情况说明 / 2021年，州本级“三公”经费支出决算汇总数为1134万元……2021年度……

    Instead:
    迪庆州州本级2021年度“三公”经费决算情况说明

    检查内容：
    标题或小标题中的年份（“2020年度“三公”经费决算情况说明”），与其下正文所报告的年份对照：
    正文至少两次写到另一个年份、却从未写到标题中的年份时，标题是沿用上年报告没有改。
    作为比较基数或起算点的年份（“较2020年”“2019年以来”）不算正文所报告的年份。

    为何重要：
    报告通常在上年报告的基础上修改；标题或小标题的年份没改，等于告诉公众下面是另一年度的数据，
    按年度检索也找不到这份报告。

    示例：
    迪庆州州本级2020年度“三公”经费决算情况说明 / 2021年，州本级“三公”经费支出决算汇总数为1134万元……2021年度……

    改为：
    迪庆州州本级2021年度“三公”经费决算情况说明
    """

    code = "DOC001"
    name = "heading-year-mismatch"
    severity = "warning"
    summary = "标题年份与正文所述年份不符"

    def check(self, ctx):
        doc = ctx.doc
        children = children_of(doc)
        for section in doc.sections:
            stale = stale_heading(doc, section, children)
            if stale is None:
                continue
            heading_year, body_year, mentions = stale
            yield ctx.finding(
                self, section,
                f"标题写 {heading_year} 年，而其下正文所述为 {body_year} 年（{mentions} 处），未提及 {heading_year} 年",
                stated=f"{heading_year}年", expected=f"{body_year}年",
            )


def stale_heading(doc: Document, section: Section, children: dict[int | None, list[int]]) -> tuple[int, int, int] | None:
    """(heading's year, the one year the text under it reports on, its mentions) when the heading's
    year was left from another report; None otherwise. DOC007 asks it too, so that a reason
    heading DOC001 reports is not reported twice."""
    years = {int(y) for y in _YEAR.findall(section.title)}
    if len(years) != 1:
        return None
    [heading_year] = years
    reported = _reported_years(doc, _under(section, children))
    if heading_year in reported or len(reported) != 1:
        return None
    [(body_year, mentions)] = reported.items()
    if mentions < _MIN_MENTIONS:
        return None
    return heading_year, body_year, mentions


def children_of(doc: Document) -> dict[int | None, list[int]]:
    out: dict[int | None, list[int]] = {}
    for s in doc.sections:
        out.setdefault(s.parent, []).append(s.index)
    return out


def _under(section: Section, children: dict[int | None, list[int]]) -> set[int]:
    """The section and every section nested in it; a title of level 0 holds what follows it up
    to the next title of its level, which the reader already records as its children."""
    found, stack = set(), [section.index]
    while stack:
        i = stack.pop()
        found.add(i)
        stack.extend(children.get(i, []))
    return found


def _reported_years(doc: Document, sections: set[int]) -> Counter:
    years: Counter = Counter()
    for p in doc.paragraphs:
        if p.section not in sections:
            continue
        text = doc.text[p.start : p.end]
        for m in _YEAR.finditer(text):
            if _COMPARED.search(text, max(0, m.start() - 8), m.start()) or _COUNTED_FROM.match(text, m.end()):
                continue
            years[int(m.group(1))] += 1
    return years
