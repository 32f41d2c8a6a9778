"""The two real reports: what must and must not be found."""

from __future__ import annotations

import pytest

from narrative_check import Settings, check_file

from conftest import BUDGET_2024, FINAL_2021


def test_budget_report_has_no_error(budget_report):
    assert [f for f in budget_report.findings if f.severity == "error"] == []


def test_budget_report_claims(budget_report):
    found = budget_report.stats.claims_found
    assert found["amount"] >= 30
    assert found["change"] >= 10
    assert found["composition"] >= 5
    assert budget_report.stats.claims_checked > 0


def test_final_report_zero_baseline_growth(final_report):
    zero = [f for f in final_report.findings if f.rule == "ARI002"]
    quotes = " ".join(f.quote for f in zero)
    assert "增加 400 万元，增长 100%" in quotes
    assert "增加 0.51 万元，增长 100%" in quotes


def test_final_report_income_fall_percent(final_report):
    """The income paragraph's 减少 1863.3 万元、下降 15.80% was pasted: its rate does not fit its own
    amount (ARI001), and both differ from the 收支 line above (CON002). One slip, one finding: CON002,
    whose fix writes the amount and the rate of the line above, with ARI001 tied into it."""
    assert not [f for f in final_report.findings if f.rule == "ARI001"]
    (pasted,) = [f for f in final_report.findings if f.rule == "CON002"]
    assert pasted.line == 61 and [t.rule for t in pasted.tied] == ["ARI001"]
    assert [(e.before, e.after) for e in pasted.fix.edits] == [("1863.3", "2343.3"), ("15.80", "19.13")]
    alone = check_file(FINAL_2021, settings=Settings(select=["ARI001"])).findings
    assert [(f.line, f.stated, f.expected) for f in alone] == [(61, "15.80%", "15.83%")]


def test_final_report_most_changes_pass(final_report):
    """Most change and share claims of the final account are consistent and must not be flagged."""
    changes = [c for c in final_report.claims if c.kind == "change" and c.percent is not None]
    flagged = {f.claim for f in final_report.findings}
    assert len(changes) >= 20
    assert sum(1 for c in changes if c.id in flagged) <= 3
    shares = [c for c in final_report.claims if c.kind == "share"]
    assert shares and not any(s.id in flagged for s in shares)


def test_final_report_links(final_report):
    by_id = {c.id: c for c in final_report.claims}
    per_unit = {c.subject: c for c in final_report.claims if c.kind == "per_unit"}
    assert str(per_unit["人均接待费"].count.value) == "288"
    assert per_unit["车均维护费"].count.unit == "辆" and per_unit["车均维护费"].count.value == 2
    list_shares = [c for c in final_report.claims if c.kind == "share" and c.part_subject == "卫生健康支出"]
    assert list_shares[0].whole is not None and str(list_shares[0].whole.value) == "9754.15"
    reasons = [c for c in final_report.claims if c.kind == "reason" and len(c.components) == 5]
    assert reasons and all(by_id[r.change].kind == "change" for r in reasons)


def test_offsets_and_quotes_are_exact(budget_report, final_report):
    for path, report in ((BUDGET_2024, budget_report), (FINAL_2021, final_report)):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for item in [*report.claims, *report.findings]:
            assert text[item.start : item.end] == item.quote
            assert lines[item.line - 1][item.column - 1 :].startswith(item.quote.split("\n")[0])


def test_stats_never_count_unchecked_as_passed(final_report):
    stats = final_report.stats
    assert stats.claims_checked + stats.claims_not_checked == sum(stats.claims_found.values())
    assert sum(stats.not_checked_reasons.values()) == stats.claims_not_checked


def test_deterministic(final_report):
    from narrative_check import check_file

    again = check_file(FINAL_2021)
    assert again.model_dump() == final_report.model_dump()


def _where(report, prefix):
    return sorted((f.rule, f.line, f.severity) for f in report.findings if f.rule.startswith(prefix))


def test_final_report_contradictions(final_report):
    """收入总计's change disagrees with 支出总计's; the pasted reason keeps 人员经费 326.25 where the
    component's own paragraph says 529.25 — one finding for the pair, its five other places related;
    the evaluation section quotes a 2020 total no change implies."""
    assert _where(final_report, "CON") == [("CON002", 61, "error"), ("CON003", 59, "warning"), ("CON004", 377, "error")]
    pasted = next(f for f in final_report.findings if f.rule == "CON003")
    assert sorted(r.line for r in pasted.related if r.role == "同一原因的另一处") == [61, 65, 71, 77, 79]
    prior = next(f for f in final_report.findings if f.rule == "CON004")
    assert (prior.stated, prior.expected) == ("15832.56 万元", "12252.45 万元")
    assert {r.line for r in prior.related} == {59, 61}


def test_final_report_pasted_reasons(final_report):
    """The reason list pasted under 收入总计 says 就业补助资金增加 2572.01 where the copy under 支出总计
    (a quantity it must equal) says 2092.01; the gpb income/expenditure copies differ too but each adds
    up to its own change, so they are not reported."""
    assert _where(final_report, "RSN") == [("RSN001", 63, "error")]
    pasted = next(f for f in final_report.findings if f.rule == "RSN001")
    assert (pasted.stated, pasted.expected) == ("增加2572.01万元", "增加2092.01万元")


def test_budget_report_has_no_contradiction_or_reason_finding(budget_report):
    assert _where(budget_report, "CON") == [] and _where(budget_report, "RSN") == []


@pytest.mark.parametrize("name", ["budget", "final"])
def test_latin_punctuation_reads_as_chinese_punctuation(name, budget_report, final_report):
    """A report typed with a Latin keyboard layout ('万元.其中', '情况.2021 年度', ',' ';' ':' '('):
    full stops after Han, '%' or ')' end sentences, so the same sentences, paragraphs, claims and
    findings come out (before, reasons ran into the next change and raised six false findings)."""
    from narrative_check import check_text
    from narrative_check.read.text import parse_text

    report = budget_report if name == "budget" else final_report
    text = report.text
    latin = text.replace("。", ".").replace("，", ",").replace("；", ";").replace("：", ":").replace("（", "(").replace("）", ")")
    again = check_text(latin)
    assert [(f.rule, f.line, f.column) for f in again.findings] == [(f.rule, f.line, f.column) for f in report.findings]
    assert [(c.kind, c.start, c.end) for c in again.claims] == [(c.kind, c.start, c.end) for c in report.claims]
    original, typed = parse_text(text), parse_text(latin)
    assert [(s.start, s.end) for s in typed.sections] == [(s.start, s.end) for s in original.sections]
    assert [p.segments for p in typed.paragraphs] == [p.segments for p in original.paragraphs]


def test_a_report_divided_into_parts_restarts_its_numbering_in_each(final_report):
    """Many reports are divided into 第一部分 部门概况 / 第二部分 … with 一、 restarting in each:
    the restart is no repeat (LEX004 raised '序号“一、”重复' at each new part)."""
    from narrative_check import check_text

    parts = [("一、部门基本情况", "第一部分 部门概况\n\n一、部门基本情况"),
             ("二、部门决算情况说明", "第二部分 部门决算情况说明\n\n一、部门决算情况说明"),
             ("三、“三公”经费情况说明", "二、“三公”经费情况说明"), ("四、其他需要说明的事项", "三、其他需要说明的事项"),
             ("五、预算绩效管理情况说明", "四、预算绩效管理情况说明"),
             ("六、专业名词解释", "第三部分 名词解释\n\n一、专业名词解释"), ("七、决算公开联系方式", "二、决算公开联系方式")]
    text = final_report.text
    for heading, divided in parts:
        assert text.count("\n" + heading) == 1, heading
        text = text.replace("\n" + heading, "\n" + divided)
    report = check_text(text)
    assert sorted((f.rule, f.quote) for f in report.findings) == sorted((f.rule, f.quote) for f in final_report.findings)
    assert len(report.claims) == len(final_report.claims)
