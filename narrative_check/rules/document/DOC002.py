from __future__ import annotations

from functools import lru_cache

import regex

from ... import lexicons
from ..base import Rule, register
from ._common import TableSpans


@lru_cache(maxsize=1)
def placeholders() -> tuple[tuple[regex.Pattern, bool, str], ...]:
    """(pattern, narrative only, what it is) from ``lexicons/placeholders.tsv``."""
    return tuple((regex.compile(r[0]), r[1] == "narrative", r[2]) for r in lexicons.rows("placeholders.tsv"))


@register
class PlaceholderLeft(Rule):
    """What it checks:
    A template's fill-in mark left anywhere in the report, narrative, headings, table cells and
    notes: "XX单位", "××", "20XX年", "待填写", "（略）", "{单位}", "X万元", a percentage with no
    figure ("占%"). The marks are listed in ``lexicons/placeholders.tsv``; "XX" inside a Latin word or
    an address and "×" between two numbers (3×4) are not marks; nor is 某某, with which published
    texts anonymise names.

    Why it matters:
    A placeholder is a part of the template nobody filled in: the report was published as a draft,
    and the figure, name or date the public needs is not there.

    Example:
    2021年“三公”经费支出XX万元，占部门支出总额的%。

    Instead:
    2021年“三公”经费支出12.30万元，占部门支出总额的0.42%。

    检查内容：
    报告任何位置（正文、标题、表格单元格、注释）留有模板的待填标记：
    “XX单位”“××”“20XX年”“待填写”“（略）”“{单位}”“X万元”，以及没有数字的百分号（“占%”）。
    标记列在 lexicons/placeholders.tsv 中；拉丁字母单词或地址中的“XX”、
    两个数字之间的“×”（3×4）不算；公开文本用来隐去名称的“某某”也不算。

    为何重要：
    占位符是模板中没人填写的部分：报告是按草稿发布的，公众需要的数字、名称或日期都不在。

    示例：
    2021年“三公”经费支出XX万元，占部门支出总额的%。

    改为：
    2021年“三公”经费支出12.30万元，占部门支出总额的0.42%。
    """

    code = "DOC002"
    name = "placeholder-left"
    severity = "error"
    summary = "保留了模板占位符"

    def check(self, ctx):
        doc = ctx.doc
        tables = TableSpans(doc)
        taken: list[tuple[int, int]] = []
        for pattern, narrative_only, what in placeholders():
            for m in pattern.finditer(doc.text):
                start, end = m.span()
                if start == end or (narrative_only and tables.holds(start)):
                    continue
                if any(s < end and start < e for s, e in taken):
                    continue  # one mark, one finding: "20XX年" is not also "XX"
                taken.append((start, end))
                yield ctx.finding(self, doc.span(start, end), f"保留了模板占位符（{what}）：“{m.group()}”",
                                  stated=m.group(), expected="实际内容")
