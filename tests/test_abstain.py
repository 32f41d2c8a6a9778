"""Abstain rather than guess: a claim whose figures' roles the words do not settle is counted as not
checked, with its reason, and no rule reports it — however wrong its figures look."""

from __future__ import annotations

import pytest

from narrative_check import check_text, not_checked

UNCLEAR = [
    # two figures and two rates: which rate goes with which figure is the reader's inference
    ("respectively", "中央单位、地方单位政府采购规模分别为 2666.3 亿元和 30400.7 亿元，占全国政府采购规模的 18.1%和 81.9%。"),
    ("rates-listed", "全国政府采购规模 33067.0 亿元。其中货物、服务采购 24519.1 亿元，同比分别增长 5.2%和 9.9%。"),
    # a rate named by its word alone: the text does not say which figures it divides
    ("named-rate", "全年实施公开招标项目 11 个，交易金额 14157 万元，平均节支率为 19.97%。"),
    # a ratio right after a list's last part may be of that part or of the list's whole
    ("ratio-after-a-list", "“三公”经费支出执行数为 860 万元，其中：公务接待费 300 万元，公务用车运行维护费 480 万元，"
     "为年初预算数 1000 万元的 86%。"),
    # a list of shares naming its whole once: each item's whole may be its own
    ("share-list", "从占比看，公务用车支出占比最高的为甲市，达 84.07%；乙市达 82.33%；丙县为 76.58%。"),
    # each item states two quantities: the list is no breakdown of one of them
    ("items-with-two-quantities", "2021 年“三公”经费支出 85.14 万元。其中：因公出国（境）费预算数 0 万元，"
     "决算数 0 万元；公务接待费预算数 45.00 万元，决算数 42.56 万元；公务用车运行维护费预算数 46.24 万元，决算数 52.58 万元。"),
]


@pytest.mark.parametrize(("name", "text"), UNCLEAR, ids=[n for n, _ in UNCLEAR])
def test_an_unclear_claim_is_never_reported_and_says_why(name, text):
    report = check_text(text)
    unclear = [c for c in report.claims if c.unclear]
    assert unclear, [c.kind for c in report.claims]
    assert [f for f in report.findings if f.severity in ("error", "warning")] == []
    reasons = report.stats.not_checked_reasons
    assert all(c.unclear in reasons for c in unclear), reasons


def test_a_named_rate_is_found_not_checked():
    report = check_text("实施比选项目 57 个，交易金额 6581 万元，节约资金 514 万元，节支率 7.24%。")
    rates = [c for c in report.claims if c.kind == "share" and c.part_subject == "节支率"]
    assert len(rates) == 1 and rates[0].quote == "节支率 7.24%"


def test_a_list_naming_every_part_must_make_its_whole():
    short = "2015 年“三公”经费合计 31.23 万元，其中：公务接待费 1.58 万元，公务用车购置及运行维护费 28.91 万元，因公出国（境）费 0 万元。"
    whole = short.replace("31.23", "30.49")
    partial = "2015 年“三公”经费合计 31.23 万元，其中：公务接待费 1.58 万元，公务用车购置及运行维护费 28.91 万元。"
    assert [f.rule for f in check_text(short).findings] == ["ARI007"]
    assert check_text(whole).findings == []
    assert check_text(partial).findings == []  # two of three parts: the third may make up the rest


def test_items_with_two_quantities_are_summed_where_named_as_the_whole():
    text = ("2021 年“三公”经费合计预算数 91.24 万元，决算数 85.14 万元。其中：因公出国（境）费预算数 0 万元，决算数 0 万元；"
            "公务接待费预算数 45.00 万元，决算数 42.56 万元；公务用车运行维护费预算数 46.24 万元，决算数 {} 万元。")
    assert check_text(text.format("42.58")).findings == []
    assert [f.rule for f in check_text(text.format("52.58")).findings] == ["ARI007"]


@pytest.mark.parametrize(("written", "value"), [("34.568.64", "34568.64"), ("1.234.567", "1234567"), ("12.5", "12.5")])
def test_full_stops_as_thousands_separators(written, value):
    from decimal import Decimal

    report = check_text(f"本年分配资金{written}万元。")
    assert [c.value.value for c in report.claims if c.kind == "amount"] == [Decimal(value)]


@pytest.mark.parametrize("text", ["网络地址 192.168.1.1 万元", "日期 2021.12.31 万元"])
def test_dotted_numbers_that_are_not_amounts_are_not_joined(text):
    assert all(c.value.value not in (192168, 20211231) for c in check_text(text).claims if c.kind == "amount")


def test_each_item_of_a_share_list_is_a_claim_of_its_own():
    report = check_text("分地区看，一般公共预算支出占比较高的是甲区，为 31.2%；乙区 22.5%；丙县仅为 9.8%。相比之下，丁县较低。")
    items = {c.part_subject: c.quote for c in report.claims if c.kind == "share" and c.unclear}
    assert items == {"乙区": "乙区 22.5%", "丙县": "丙县仅为 9.8%"}


def test_a_percent_after_a_change_is_not_a_share_list_item():
    report = check_text("税收收入占比为 70.9%，比上年下降 2.1 个百分点；非税收入增长 3.5%。")
    assert not [c for c in report.claims if c.kind == "share" and c.unclear]


def test_a_percentage_no_word_ties_to_a_figure_is_seen_not_checked():
    # a budget-execution table flattened onto one line, its percent columns unnamed
    report = check_text("收入执行情况表 单位:万元 2022年 2023年 2023年 完成数 预算数 完成数 税收收入小计 27,631 33,385 33,385 100.00% 20.82% "
                        "增值税 13,950 18,835 17,585 93.36% 26.06%")
    rates = [c for c in report.claims if c.kind == "share" and c.unclear == not_checked.PERCENT_TIED_TO_NO_FIGURE.zh]
    assert [c.quote for c in rates] == ["100.00%", "20.82%", "93.36%", "26.06%"]
    assert not report.findings


def test_another_items_change_after_a_settled_one_is_a_change_of_its_own():
    report = check_text("因公出国（境）费与上年持平，公务接待费减少 1.20 万元，公务用车运行维护费增加 0.80 万元。")
    assert [(c.subject, c.direction) for c in report.claims if c.kind == "change"] == [
        ("因公出国（境）费", "flat"), ("公务接待费", "decrease"), ("公务用车运行维护费", "increase")]
    assert not report.findings
