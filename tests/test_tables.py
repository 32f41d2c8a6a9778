"""Tables as data on the corpus reports: recognised kinds, heads, records, links and findings."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
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
    # 2080110 named two ways: LEX001 gives the official name where it is missed, and LEX002 does not
    # tell the two tables that have it right to write the slip
    assert ("LEX001", 521) in rules and not any(rule == "LEX002" for rule, _ in rules)
    assert ("KPI001", 173) in rules  # 全年（调整）预算数 1065.92 is the adjustment: 8843.23 + 1065.92 = 9909.15
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
@given(st.text(st.sampled_from(list("0123456789２０８.．, 　-—合计[]【】")), max_size=11))
def test_code_cells_read_as_the_squashed_text_says(text):
    # code_of shortcuts figures and plain digit runs; it must agree with reading the squashed text.
    from narrative_check.extract.tables import _PRINTED_CODE, CODE, code_of, squash

    m = _PRINTED_CODE.match(squash(text))
    printed = m.group(1).replace(" ", "") if m else None
    assert code_of.__wrapped__(text) == (printed if printed and CODE.match(printed) else None)


@pytest.mark.parametrize("printed, code", [
    ("2080101", "2080101"), ("208 01 01", "2080101"), ("[2080101]", "2080101"), ("【208】", "208"), ("２０８０１", "20801"),
    ("30101", "30101"), ("2021", None), ("208.01", None), ("1,439.19", None), ("2 0801", None), ("合计", None),
])
def test_codes_as_tables_print_them(printed, code):
    from narrative_check.extract.tables import code_of

    assert code_of(printed) == code


@pytest.mark.parametrize("label, both", [
    ("2080101 行政运行", ("2080101", "行政运行")), ("[2080101]行政运行", ("2080101", "行政运行")),
    ("301 工资福利支出", ("301", "工资福利支出")), ("2021年度支出", None), ("300 万元以下项目", None),
    ("208 01 01 行政运行", ("2080101", "行政运行")), ("人员经费", None),
])
def test_a_code_and_its_name_in_one_cell(label, both):
    from narrative_check.extract.tables import code_and_name

    assert code_and_name(label) == both


def _relaid(text: str, layout: str) -> str:
    """The 2021 report with its code | name tables (支出决算表, 一般公共预算财政拨款支出决算表) laid out
    as other reports print codes: spaced, bracketed, in one cell with the name, over 类 | 款 | 项."""
    from narrative_check.extract.tables import analyze, code_of
    from narrative_check.read.text import parse_text

    doc = parse_text(text)
    analyze(doc)
    pieces, cursor = [], 0
    for table in doc.tables:
        if table.title not in ("支出决算表", "一般公共预算财政拨款支出决算表"):
            continue
        lines, previous = [], ""
        for r, row in enumerate(table.rows):
            cells = [c.text for c in row.cells]
            code = code_of(cells[0]) if r >= table.header_rows else None
            if layout == "spaced" and code:
                cells[0] = " ".join(filter(None, (code[:3], code[3:5], code[5:])))
            elif layout == "bracketed" and code:
                cells[0] = f"[{code}]"
            elif layout == "joined":
                cells = [f"{cells[0]} {cells[1]}".strip(), *cells[2:]]
            elif layout in ("split", "carried"):
                parts = [code[:3], code[3:5], code[5:]] if code else [cells[0], "", ""]
                if layout == "carried" and code and len(code) > 3:
                    # a row leaves the parts it shares with the row above blank
                    parts = ["", code[3:5] if len(code) == 5 or previous[3:5] != code[3:5] else "", code[5:]]
                cells = [*parts, *cells[1:]]
                previous = code or previous
            lines.append("\t".join(cells))
            if layout in ("split", "carried") and r == table.header_rows - 1:
                lines.append("\t".join(["类", "款", "项"] + [""] * (len(cells) - 3)))
        pieces += [text[cursor : table.rows[0].start], "\n".join(lines)]
        cursor = table.rows[-1].end
    return "".join(pieces) + text[cursor:]


@pytest.mark.parametrize("layout", ["spaced", "bracketed", "joined", "split", "carried"])
def test_codes_read_alike_however_the_table_prints_them(final_report, layout):
    """Codes spaced (208 01 01), bracketed, in one cell with their name, or over 类 | 款 | 项 columns
    (with the parts a row shares with the rows above left blank) give the codes of the 2021
    report's own layout, and so the same findings (TBL002 parents, LEX names)."""
    from narrative_check import check_text

    relaid = _relaid(final_report.text, layout)
    assert relaid != final_report.text
    report = check_text(relaid)

    def records(rep):
        return [[(r.code, r.label) for r in t.records] for t in rep.tables if t.title in ("支出决算表", "一般公共预算财政拨款支出决算表")]

    assert records(report) == records(final_report)
    # (messages name column heads, which the relaid heads word differently; lines shift by the 类 | 款 | 项 head row)
    assert Counter(f.rule for f in report.findings) == Counter(f.rule for f in final_report.findings)


def test_line_and_column_numbers_of_the_template_are_not_figures(final_report):
    """财政部's 收入支出决算总表 prints a 行次 column in each block and a 栏次 row of column numbers
    under the heads: read as figures, they made 17 false findings (TBL004, TBL003, TBL005) of the
    2021 report's own table laid out so."""
    from narrative_check import check_text

    text = final_report.text
    table = next(t for t in final_report.tables if t.title == "收入支出决算总表")
    rows = [[c.text for c in r.cells] + [""] * 4 for r in table.rows]
    lines = ["\t".join([rows[0][0], "", "", rows[0][2], "", ""]),
             "\t".join([rows[1][0], "行次", rows[1][1], rows[1][2], "行次", rows[1][3]]),
             "\t".join(["栏次", "", "1", "", "", "2"])]
    for n, r in enumerate(rows[2:], start=1):
        lines.append("\t".join([r[0], str(n) if r[0] else "", r[1], r[2], str(n + 40) if r[2] else "", r[3]]))
    report = check_text(text[: table.rows[0].start] + "\n".join(lines) + text[table.rows[-1].end :])
    numbered = next(t for t in report.tables if t.title == "收入支出决算总表")

    def records(t):
        return [(r.label, [(v.role, v.value) for v in r.values]) for r in t.records]

    assert records(numbered) == records(table)
    assert [c.kind for c in numbered.columns] == ["label", "numbering", "value", "label", "numbering", "value"]
    assert Counter(f.rule for f in report.findings) == Counter(f.rule for f in final_report.findings)


@pytest.mark.parametrize("which", ["budget", "final"])
def test_a_row_of_column_numbers_under_the_heads_is_no_data(which, budget_report, final_report):
    """'栏次 | | 1 | 2 | 3 …' under the heads of every table of a report: the same records and findings."""
    from narrative_check import check_text

    report = budget_report if which == "budget" else final_report
    text, pieces, cursor = report.text, [], 0
    for table in report.tables:
        if not table.header_rows or table.kind is None:
            continue
        last_head = table.rows[table.header_rows - 1]
        width = max(len(r.cells) for r in table.rows)
        numbers = "\t".join(["栏次", ""] + [str(n) for n in range(1, width - 1)])
        pieces += [text[cursor : last_head.end], "\n" + numbers]
        cursor = last_head.end
    numbered = check_text("".join(pieces) + text[cursor:])
    assert [[(r.code, r.label, [(v.role, v.value) for v in r.values]) for r in t.records] for t in numbered.tables] == [
        [(r.code, r.label, [(v.role, v.value) for v in r.values]) for r in t.records] for t in report.tables]
    assert sorted((f.rule, f.quote) for f in numbered.findings) == sorted((f.rule, f.quote) for f in report.findings)
