from __future__ import annotations

from ..base import Rule, register
from .completeness import report_kind, required_parts, section_present, share_present


@register
class RequiredSectionMissing(Rule):
    """What it checks:
    A whole 部门/单位 预算 or 决算 说明 against the sections its template requires
    (`lexicons/required_parts.tsv`): the “三公”经费 explanation, 机关运行经费, 政府采购, 国有资产占用,
    绩效 and 名词解释. A section counts wherever the report gives it — a heading, or a numbered
    paragraph that opens with it ("（一）机关运行经费。…"); a term defined in the 名词解释 does not count
    for its section. A text is a whole report only when its title at the top names the kind of
    report, it does not start mid-list and at least half of the sections are there; otherwise
    nothing is reported. A warning instead of an error for 机关运行经费 in a 单位 report: a 事业单位 has
    none to explain.

    Why it matters:
    These sections are what the public reads; a report without its “三公”经费 explanation or
    名词解释 has dropped a required part, often in editing a copy of last year's report.

    Example:
    某某局2024年部门预算情况说明 with 一、部门基本情况 二、收支总体情况 … 五、其他重要事项（机关运行经费、政府采购、
    国有资产、绩效） 六、名词解释, and no “三公”经费 section.

    Instead:
    Add the section: 四、“三公”经费情况说明 — 2024年“三公”经费预算数 11.79 万元，比上年减少 4 万元 ….

    检查内容：
    完整的部门或单位预算、决算说明，对照模板要求的说明部分（lexicons/required_parts.tsv）：
    “三公”经费说明、机关运行经费、政府采购、国有资产占用、绩效和名词解释。这一部分以标题出现，
    或者以它开头的编号段落出现（“（一）机关运行经费。……”），都算有；名词解释中对该名词的解释不算。
    只有文首标题写明报告类型、不是从中间开始、且至少有一半说明部分在内的文本才算完整报告，
    否则不作检查。单位报告缺机关运行经费只报警告：事业单位没有机关运行经费可说明。

    为何重要：
    这些部分是公众阅读的重点；缺了“三公”经费说明或名词解释，就是漏了规定内容，
    多发生在修改上年报告副本的时候。

    示例：
    某某局2024年部门预算情况说明，有一、部门基本情况 二、收支总体情况 …… 五、其他重要事项（机关运行经费、政府采购、国有资产、绩效） 六、名词解释，没有“三公”经费部分。

    改为：
    补上这一部分：四、“三公”经费情况说明——2024年“三公”经费预算数 11.79 万元，比上年减少 4 万元……
    """

    code = "DOC005"
    name = "required-section-missing"
    severity = "error"
    summary = "完整报告缺少模板规定的说明部分"

    def check(self, ctx):
        report = report_kind(ctx)
        if report is None:
            return
        parts = required_parts(report, "section")
        missing = [p for p in parts if not section_present(ctx, p)]
        if not share_present(len(parts) - len(missing), len(parts)):
            return  # one section's page, or an excerpt: absence says nothing
        for part in missing:
            yield ctx.finding(
                self, report.title,
                f"{report.name}报告缺少{part.name}（标题、编号和段首均未见）",
                stated="缺", expected=part.name,
                severity="warning" if part.when == "may_lack" else None,
            )
