"""Tables as data on the corpus reports: recognised kinds, heads, records, links and findings."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st


def _rules(report):
    return {(f.rule, f.line) for f in report.findings}


def test_budget_tables_recognised(budget_report):
    kinds = budget_report.stats.tables_by_kind
    for kind in ("budget_fiscal_overview", "budget_gpb_expenditure", "budget_gpb_basic", "budget_sangong",
                 "budget_gov_fund", "budget_overview", "budget_expenditure", "performance_target_department"):
        assert kind in kinds, kind
    assert "unknown" not in kinds


def test_final_tables_recognised(final_report):
    kinds = final_report.stats.tables_by_kind
    for kind in ("final_overview", "final_income", "final_expenditure", "final_fiscal_overview", "final_gpb_expenditure",
                 "final_gpb_basic", "final_gov_fund", "final_state_capital", "final_operation_info"):
        assert kinds.get(kind) == 1, kind


def test_heads_are_aligned_over_shifted_exports(final_report):
    expenditure = next(t for t in final_report.tables if t.kind == "final_expenditure")
    roles = {c.role for c in expenditure.columns if c.kind == "value"}
    assert {"total", "basic", "project"} <= roles
    row_208 = next(r for r in expenditure.records if r.code == "208")
    values = {v.role: v.value for v in row_208.values}
    assert values["total"] == Decimal("5557.65") and values["basic"] == Decimal("1217.87")


def test_two_year_groups_of_the_sangong_table(budget_report):
    sangong = next(t for t in budget_report.tables if t.kind == "budget_sangong")
    years = {c.index: c.year for c in sangong.columns}
    assert years[5] == 2023 and years[6] == 2024


def test_budget_report_has_no_table_error(budget_report):
    assert [f for f in budget_report.findings if f.severity == "error"] == []


def test_final_report_table_problems(final_report):
    rules = _rules(final_report)
    assert ("TBL001", 642) in rules  # 229 其他支出: 合计 35.00, 基本 and 项目 empty
    assert ("TBL001", 604) in rules  # 2080599: 合计 10.79, 基本 and 项目 empty
    assert ("TBL002", 721) in rules  # 20805 whose 项 do not add up
    assert any(rule == "LEX002" for rule, _ in rules)  # 2080110 named two ways
    assert ("KPI001", 173) in rules  # 执行率 100 with 9909.15 / 1065.92
    assert ("KPI002", 316) in rules  # 执行率得分 100 > 权重 10
    assert ("KPI004", 171) in rules  # 自评总分 97.99 ≠ sum of scores


def test_narrative_amounts_linked_to_cells(final_report, budget_report):
    for report, floor in ((final_report, 25), (budget_report, 15)):
        assert report.stats.amounts_linked >= floor
    linked = {c.subject: c for c in final_report.claims if c.kind == "amount" and c.links}
    cell = linked["一般公共预算财政拨款基本支出"].links[0]
    assert cell.value == Decimal("1648.02") and "基本支出" in cell.column
    changes = [c for c in budget_report.claims if c.kind == "change" and c.links]
    assert any(link.value == Decimal("4683.96") for c in changes for link in c.links)



def test_bound_reports_link_each_claim_to_its_own_tables(final_report):
    """One file binding several units' reports repeats every table: each claim is tied to the copy
    of its own report (the tables after it), never to another unit's."""
    from conftest import FINAL_2021

    from narrative_check import check_text

    one = FINAL_2021.read_text(encoding="utf-8")
    bound = check_text(one + "\n\n" + one)
    middle = len(one)
    claims = [c for c in bound.claims if getattr(c, "links", None)]
    assert len(claims) == 2 * len([c for c in final_report.claims if getattr(c, "links", None)])
    for claim in claims:
        assert all((link.start >= middle) == (claim.start >= middle) for link in claim.links), claim.quote
    assert [len(c.links) for c in claims[: len(claims) // 2]] == [len(c.links) for c in claims[len(claims) // 2 :]]

def test_json_carries_tables(final_report):
    data = final_report.model_dump(mode="json")
    table = data["tables"][3]
    assert table["title"] == "收入支出决算总表" and table["unit"] == "万元"
    cell = table["rows"][2]["cells"][1]
    assert {"row", "col", "start", "end", "value", "header"} <= set(cell)


def test_traditional_and_full_width_reports_read_the_same(final_report):
    """A report published in Traditional characters, or with full-width digits, gives the same findings."""
    import opencc
    from conftest import FINAL_2021

    from narrative_check import check_text

    text = FINAL_2021.read_text(encoding="utf-8")
    expected = sorted((f.rule, f.line) for f in final_report.findings)
    for variant in (opencc.OpenCC("s2t").convert(text), text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})):
        report = check_text(variant)
        assert sorted((f.rule, f.line) for f in report.findings) == expected
        assert report.stats.amounts_linked == final_report.stats.amounts_linked


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("0123456789２０８.．, 　-—合计")), max_size=9))
def test_code_cells_read_as_the_squashed_text_says(text):
    # _code_text shortcuts figures and plain digit runs; it must agree with matching the squashed text.
    from narrative_check.extract.tables import CODE, _code_text, squash

    assert _code_text.__wrapped__(text) == bool(CODE.match(squash(text)))
