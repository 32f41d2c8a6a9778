"""CON010: last year's figures as a report states them, against last year's own report."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FINAL_2021
from narrative_check import check_file, check_text
from narrative_check.config import Settings
from narrative_check.link.facts import report_title
from narrative_check.models.findings import Report
from narrative_check.multiyear import add_cross_year_findings, cross_year_findings, unit_key

SOURCE = FINAL_2021.read_text(encoding="utf-8").splitlines()
WRONG_BASE = ("9754.15 万元，较上年决算数增加 2001.7 万元，增长 25.8%", "9954.15 万元，较上年决算数增加 300 万元，增长 3.1%")
RIGHT_BASE = ("9754.15 万元，较上年决算数增加 2001.7 万元，增长 25.8%", "9954.15 万元，较上年决算数增加 200 万元，增长 2.1%")


def _edit(line: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in line, old
        line = line.replace(old, new)
    return line.replace("2021", "2022")


def successor(spending_edit=WRONG_BASE, *, title_edit=("", ""), extra: str = "") -> str:
    """The 2021 report's title and overview sentences, edited into a 2022 report whose
    prior-year figures agree with 2021's, except where `spending_edit` says otherwise."""
    title = "\n".join(SOURCE[:5]).replace("2021", "2022")
    if title_edit[0]:
        title = title.replace(*title_edit)
    overall = _edit(SOURCE[58], ("收入总计 9909.15 万元，支出总计 9909.15 万元。收支较上年决算数减少 2343.3 万元、下降 19.1%",
                                 "收入总计 10909.15 万元，支出总计 10909.15 万元。收支较上年决算数增加 1000 万元、增长 10.1%"))
    income = _edit(SOURCE[76], ("9754.15 万元，较上年决算数增加 2481.7 万元，增长 34.1%", "9954.15 万元，较上年决算数增加 200 万元，增长 2.1%"))
    spending = _edit(SOURCE[78], spending_edit)
    parts = [title, SOURCE[54], SOURCE[56], overall, SOURCE[74], income, extra, spending]
    return "\n\n".join(p for p in parts if p) + "\n"


@pytest.fixture(scope="module")
def year_2021() -> Report:
    return check_file(FINAL_2021)


def report_2022(text: str, name: str = "wansheng-2022.txt") -> Report:
    return check_text(text, path=name)


def test_title_gives_unit_year_and_basis(year_2021, budget_report):
    assert (year_2021.unit, year_2021.year, year_2021.basis) == ("重庆市万盛经开区人力资源和社会保障局", 2021, "final")
    assert (budget_report.unit, budget_report.year, budget_report.basis) == ("重庆市北碚区人力资源和社会保障局", 2024, "budget")
    one_line = check_text("重庆市万盛经开区人力社会保障局2021年部门决算情况说明\n\n2021 年度收入总计 9909.15 万元。\n")
    assert (one_line.unit, one_line.year, one_line.basis) == ("重庆市万盛经开区人力社会保障局", 2021, "final")
    assert unit_key("重庆市 万盛经开区人力社会保障局(汇总)") == unit_key("重庆市万盛经开区人力社会保障局")
    assert (year_2021.scope, budget_report.scope, one_line.scope) == ("部门（汇总）",) * 3  # a 部门 report is its 汇总


@pytest.mark.parametrize("title, scope", [
    ("重庆市万盛经开区人力社会保障局\n\n（汇总）2021年度部门决算情况说明", "部门（汇总）"),
    ("重庆市万盛经开区人力社会保障局（本级）\n\n2021年度部门决算情况说明", "部门（本级）"),
    ("重庆市万盛经开区人力社会保障局2021年度部门决算（机关本级）情况说明", "部门（本级）"),
    ("重庆市万盛经开区就业服务中心2021年度单位决算情况说明", "单位"),
    ("重庆市万盛经开区人力社会保障局2021年度部门（单位）决算情况说明", "部门（汇总）"),
    ("重庆市万盛经开区人力社会保障局\n\n2021年决算情况说明", None),
    # titles that open with the year, the unit between it and the kind of report
    ("2021年度重庆市万盛经开区人力社会保障局部门决算情况说明", "部门（汇总）"),
    ("2021年重庆市万盛经开区人力社会保障局（本级）单位决算", "单位（本级）"),
])
def test_title_gives_the_scope(title, scope):
    found = report_title(title + "\n\n一、部门基本情况\n")
    assert found.scope == scope
    assert found.year == 2021 and found.basis == "final" and found.unit.startswith("重庆市万盛经开区")


def test_changed_prior_year_figure_is_flagged_with_both_files(year_2021):
    later = report_2022(successor())
    found = cross_year_findings([year_2021, later])
    assert list(found) == ["wansheng-2022.txt"]
    [finding] = found["wansheng-2022.txt"]
    assert finding.rule == "CON010" and finding.severity == "warning"
    assert finding.quote == "较上年决算数增加 300 万元，增长 3.1%"
    assert (finding.stated, finding.expected) == ("9654.15 万元（9954.15 万元 − 300 万元）", "9754.15 万元")
    assert str(FINAL_2021) in finding.message
    [related] = finding.related
    assert related.file == str(FINAL_2021) and related.line == 79 and "9754.15" in related.quote


def test_agreeing_years_give_nothing(year_2021):
    assert cross_year_findings([year_2021, report_2022(successor(RIGHT_BASE))]) == {}


def test_prior_year_amount_stated_outright(year_2021):
    agrees = report_2022(successor(RIGHT_BASE, extra="2021年一般公共预算财政拨款支出 9754.15 万元。"))
    assert cross_year_findings([year_2021, agrees]) == {}
    differs = report_2022(successor(RIGHT_BASE, extra="2021年一般公共预算财政拨款支出 9654.15 万元。"))
    [finding] = cross_year_findings([year_2021, differs])["wansheng-2022.txt"]
    assert finding.quote.startswith("2021年一般公共预算财政拨款支出")


def test_only_the_same_unit_basis_and_consecutive_years_are_compared(year_2021):
    other_unit = report_2022(successor(title_edit=("万盛经开区", "綦江区")))
    assert other_unit.unit == "重庆市綦江区人力资源和社会保障局"
    assert cross_year_findings([year_2021, other_unit]) == {}
    budget = report_2022(successor(title_edit=("部门决算", "部门预算")))
    assert budget.basis == "budget"
    assert cross_year_findings([year_2021, budget]) == {}
    own_only = report_2022(successor(title_edit=("（汇总）", "（本级）")))
    assert own_only.unit == year_2021.unit and own_only.scope == "部门（本级）"
    assert cross_year_findings([year_2021, own_only]) == {}
    one_unit = report_2022(successor(title_edit=("部门决算", "单位决算")))
    assert one_unit.unit == year_2021.unit and one_unit.scope.startswith("单位")
    assert cross_year_findings([year_2021, one_unit]) == {}
    two_years_on = report_2022(successor().replace("2022", "2023"))
    assert two_years_on.year == 2023
    assert cross_year_findings([year_2021, two_years_on]) == {}


def test_works_on_json_lines_of_an_earlier_run(year_2021):
    later = report_2022(successor())
    direct = cross_year_findings([year_2021, later])
    reloaded = [Report.model_validate_json(r.model_dump_json(exclude={"tables"})) for r in (year_2021, later)]
    again = cross_year_findings(reloaded)
    assert [f.model_dump() for f in again["wansheng-2022.txt"]] == [f.model_dump() for f in direct["wansheng-2022.txt"]]


def test_settings_select_and_severity(year_2021):
    later = report_2022(successor())
    assert cross_year_findings([year_2021, later], Settings(ignore=["CON010"])) == {}
    [finding] = cross_year_findings([year_2021, later], Settings(severity={"CON": "error"}))["wansheng-2022.txt"]
    assert finding.severity == "error"


def test_added_to_the_reports_in_order(year_2021):
    later = report_2022(successor())
    before = len(later.findings)
    add_cross_year_findings([year_2021.model_copy(deep=True), later])
    assert len(later.findings) == before + 1
    assert [f.start for f in later.findings] == sorted(f.start for f in later.findings)


def test_corpus_reports_of_different_units_give_nothing(year_2021, budget_report):
    assert cross_year_findings([year_2021, budget_report]) == {}


def test_cli_check_reports_it_with_the_other_file(tmp_path):
    from click.testing import CliRunner

    from narrative_check.cli import cli

    later = tmp_path / "wansheng-2022.txt"
    later.write_text(successor(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(FINAL_2021), str(later), "--select", "CON010"])
    assert result.exit_code == 0, result.output  # a warning
    assert f"{later}:17:" in result.stdout and "CON010" in result.stdout
    assert "CON010" in CliRunner().invoke(cli, ["rules"]).stdout
    assert "检查内容" in CliRunner().invoke(cli, ["rules", "--explain", "con010"]).stdout


def test_reports_without_identity_are_left_alone(year_2021):
    anonymous = check_text("2022 年度收入总计 10909.15 万元，较上年决算数增加 5 万元。\n", path=str(Path("x.txt")))
    assert anonymous.unit is None
    assert cross_year_findings([year_2021, anonymous]) == {}


@pytest.mark.parametrize("rate, flagged", [("增长 2%", False), ("增长 5%", True)])
def test_percent_only_change_implies_the_base(year_2021, rate, flagged):
    text = successor(("9754.15 万元，较上年决算数增加 2001.7 万元，增长 25.8%", f"9954.15 万元，较上年决算数{rate}"))
    found = cross_year_findings([year_2021, report_2022(text)])
    assert bool(found) == flagged
    if flagged:
        assert "÷ (1 + 5%)" in found["wansheng-2022.txt"][0].stated


@pytest.mark.parametrize("edit, paired", [(None, True), (("（汇总）", "（本级）"), False), (("部门决算", "单位决算"), False)])
def test_a_report_of_another_scope_is_not_last_years(year_2021, edit, paired):
    """The whole 2021 report restated as 2020's: its figures differ from the 上年 figures the 2021
    report gives, so it pairs with many findings; as the 本级 or a 单位 report it does not pair."""
    text = FINAL_2021.read_text(encoding="utf-8").replace("2021", "2020")
    if edit:
        text = text.replace(*edit)
    found = cross_year_findings([year_2021, check_text(text, path="wansheng-2020.txt")])
    assert bool(found) == paired
    if paired:
        assert len(found[str(FINAL_2021)]) > 5
