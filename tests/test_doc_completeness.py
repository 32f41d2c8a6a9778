"""DOC004–DOC006 on the two sample reports and on copies of them with a part taken out (issue 15):
the samples are whole reports with every part, so they raise nothing; a copy without a table, the
“三公” section or an empty table's note is reported; the real excerpts, which are not whole reports,
raise nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUDGET_2024, FINAL_2021
from narrative_check import Settings, check_text

RULES = ["DOC004", "DOC005", "DOC006"]
REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-dev" / "texts"


def _doc(text: str) -> list[tuple[str, str, str | None]]:
    report = check_text(text, settings=Settings(select=RULES))
    return [(f.rule, f.severity, f.expected) for f in report.findings if f.rule in RULES]


def _without(text: str, start: str, until: str) -> str:
    """The text with everything from `start` up to (not including) `until` taken out."""
    i = text.index(start)
    j = text.index(until, i + len(start))
    return text[:i] + text[j:]


@pytest.fixture(scope="module")
def budget() -> str:
    return BUDGET_2024.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def final() -> str:
    return FINAL_2021.read_text(encoding="utf-8")


def test_samples_are_whole_and_raise_nothing(budget, final):
    assert _doc(budget) == []
    assert _doc(final) == []


def test_budget_report_still_has_no_finding_at_all(budget_report):
    assert budget_report.findings == []


def test_a_table_taken_out_of_the_budget_report(budget):
    copy = _without(budget, "## 重庆市北碚区人力资源和社会保障局一般公共预算财政拨款基本支出预算表",
                    "## 重庆市北碚区人力资源和社会保障局一般公共预算“三公”经费支出表")
    assert _doc(copy) == [("DOC004", "error", "一般公共预算基本支出表")]


def test_the_sangong_table_taken_out_of_the_budget_report(budget):
    copy = _without(budget, "## 重庆市北碚区人力资源和社会保障局一般公共预算“三公”经费支出表",
                    "## 重庆市北碚区人力资源和社会保障局政府性基金预算支出表")
    assert _doc(copy) == [("DOC004", "error", "一般公共预算“三公”经费支出表")]


def test_the_sangong_section_taken_out_of_either_report(budget, final):
    assert _doc(_without(budget, "### 四、“三公”经费情况说明", "### 五、")) == [("DOC005", "error", "“三公”经费情况说明")]
    assert _doc(_without(final, "\n三、“三公”经费情况说明", "\n四、其他需要说明的事项")) == [("DOC005", "error", "“三公”经费情况说明")]


def test_a_table_taken_out_of_the_final_report(final):
    copy = _without(final, "\n支出决算表\n", "\n财政拨款收入支出决算总表\n")
    assert _doc(copy) == [("DOC004", "error", "支出决算表")]


def test_an_empty_tables_note_taken_out(budget, final):
    assert _doc(budget.replace("备注：本部门无政府性基金收支，故此表无数据。", "")) == [("DOC006", "error", "无数据说明")]
    # The 2021 report also says it in the narrative; only without both is the empty table unexplained.
    note = "备注：本单位无国有资本经营预算财政拨款支出，故本表无数据。"
    assert _doc(final.replace(note, "")) == []
    assert _doc(final.replace(note, "").replace("本单位 2021 年度无国有资本经营预算财政拨款支出。", "")) == [("DOC006", "error", "无数据说明")]


def test_an_empty_tables_note_pasted_from_another_table(final):
    copy = final.replace("备注：本单位无国有资本经营预算财政拨款支出，故本表无数据。", "备注：本单位无政府性基金预算财政拨款支出，故本表无数据。")
    assert _doc(copy) == [("DOC006", "error", "国有资本经营")]


def test_a_page_of_one_part_of_a_report_raises_nothing(final):
    """The 三公 section alone, under the report's own title, is a page of one part, not a report."""
    start = final.index("\n三、“三公”经费情况说明")
    page = final[: final.index("\n一、部门基本情况")] + final[start : final.index("\n四、其他需要说明的事项")]
    assert _doc(page) == []


@pytest.mark.skipif(not REAL_DEV.is_dir(), reason="the shared real-dev excerpts are not here")
def test_real_excerpts_are_not_whole_reports():
    found = {}
    for path in sorted(REAL_DEV.glob("*.txt")):
        doc = [f for f in _doc(path.read_text(encoding="utf-8")) if f[0] in ("DOC004", "DOC005")]
        if doc:
            found[path.name] = doc
    assert found == {}


def test_a_placeholder_put_into_the_budget_report_is_its_only_finding(budget):
    sentence = next(line for line in budget.splitlines() if "“三公”经费" in line and "万元" in line and not line.startswith("#"))
    copy = budget.replace(sentence, sentence.replace("万元", "万元（其中XX万元）", 1), 1)
    report = check_text(copy)
    assert [(f.rule, f.severity) for f in report.findings] == [("DOC002", "error")]
