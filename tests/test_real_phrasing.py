"""Claims read from sentences phrased the way real 部门预算/决算说明, “三公”经费说明, 预算执行
reports and fiscal bulletins phrase them (invented sentences, not corpus text).

Each test checks what was extracted (report.claims) and, where a rule depends on it, which
findings the text does or does not produce.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from narrative_check import check_text


def _d(value):
    return None if value is None else Decimal(value)


def _value(figure):
    return None if figure is None else figure.value


def of_kind(report, kind):
    return [c for c in report.claims if c.kind == kind]


def rules_found(report):
    return {f.rule for f in report.findings}


# --- 1-4, 7: change words, baselines, explicit bases, signed and bracketed rates ------------------

CHANGES = [
    # text, direction, current, base, delta, percent, baseline kind
    pytest.param("全年一般公共预算收入完成 25630 万元，同比增收 1630 万元，增长 6.8%。",
                 "increase", "25630", None, "1630", "6.8", "prior_year", id="zengshou"),
    pytest.param("政府性基金收入完成 12440 万元，同比减收 2560 万元，下降 17.1%。",
                 "decrease", "12440", None, "2560", "17.1", "prior_year", id="jianshou"),
    pytest.param("一般公共预算支出 48210 万元，比上年增支 3210 万元，增长 7.1%。",
                 "increase", "48210", None, "3210", "7.1", "prior_year", id="zengzhi"),
    pytest.param("一般公共预算支出 48210 万元，比上年减支 2790 万元，下降 5.5%。",
                 "decrease", "48210", None, "2790", "5.5", "prior_year", id="jianzhi"),
    pytest.param("2023年一般公共预算支出调整预算数为 6360 万元，较年初预算调减 640 万元，下降 9.1%。",
                 "decrease", "6360", None, "640", "9.1", "initial_budget", id="tiaojian-after-baseline"),
    pytest.param("2023年一般公共预算支出调整预算数为 7640 万元，较年初预算调增 640 万元，增长 9.1%。",
                 "increase", "7640", None, "640", "9.1", "initial_budget", id="tiaozeng-after-baseline"),
    pytest.param("“三公”经费支出 86.5 万元，较年初预算节支 13.5 万元，下降 13.5%。",
                 "decrease", "86.5", None, "13.5", "13.5", "initial_budget", id="jiezhi-after-baseline"),
    pytest.param("会议费支出 18.4 万元，较年初预算少支 1.6 万元，下降 8%。",
                 "decrease", "18.4", None, "1.6", "8", "initial_budget", id="shaozhi-after-baseline"),
    pytest.param("全年非税收入 3271 万元，同比负增长 0.94%。",
                 "decrease", "3271", None, None, "0.94", "prior_year", id="negative-growth"),
    pytest.param("全年非税收入 3271 万元，比上年减少 31 万元，负增长 0.94%。",
                 "decrease", "3271", None, "31", "0.94", "prior_year", id="negative-growth-with-amount"),
    pytest.param("2022年度一般公共预算财政拨款支出 1860 万元，较预算数 2000 万元减少 140 万元，下降 7%。",
                 "decrease", "1860", "2000", "140", "7", "budget", id="budget-figure"),
    pytest.param("公务接待费支出 4.2 万元，较预算减少 0.8 万元，下降 16%。",
                 "decrease", "4.2", None, "0.8", "16", "budget", id="budget"),
    pytest.param("机关运行经费 215 万元，比去年增加 15 万元，增长 7.5%。",
                 "increase", "215", None, "15", "7.5", "prior_year", id="bi-qunian"),
    pytest.param("1-6月全市税收收入 36450 万元，较上年同期增长 12.5%，增收 4050 万元。",
                 "increase", "36450", None, "4050", "12.5", "prior_year", id="same-period-last-year"),
    pytest.param("2021 年度财政拨款支出 3320 万元，与上年决算数相比，增加 320 万元，增长 10.7%。",
                 "increase", "3320", None, "320", "10.7", "prior_final", id="compared-with-prior-final"),
    pytest.param("2022 年一般公共预算收入 45720 万元，比上年同口径增长 38.6%。",
                 "increase", "45720", None, None, "38.6", "comparable", id="comparable-basis"),
    pytest.param("日常公用经费 1286 万元，较上年 1331 万元减少 45 万元，下降 3.4%。",
                 "decrease", "1286", "1331", "45", "3.4", "prior_year", id="explicit-prior-value"),
    pytest.param("截至 6 月底，一般公共预算支出 251 万元，比上年累计支出 285 万元下降 34 万元，下降 11.9%。",
                 "decrease", "251", "285", "34", "11.9", "prior_year", id="explicit-cumulative-value"),
    pytest.param("2021年“三公”经费支出 2548 万元，较2020年的2601万元减少53万元，下降 2.0%。",
                 "decrease", "2548", "2601", "53", "2.0", "year", id="explicit-year-value"),
    pytest.param("全年住房保障支出 3700 万元，比上年增长 -7.5%。",
                 "decrease", "3700", None, None, "7.5", "prior_year", id="signed-growth"),
    pytest.param("全年住房保障支出 3700 万元，比上年减少 300 万元，增长 -7.5%。",
                 "decrease", "3700", None, "300", "7.5", "prior_year", id="signed-growth-with-amount"),
    pytest.param("公务接待费 9.80 万元，较上年减少 18.50 万元（65.37%），主要原因是严格执行接待标准。",
                 "decrease", "9.80", None, "18.50", "65.37", "prior_year", id="bracketed-rate"),
    pytest.param("公务用车购置及运行维护费 1738 万元（其中：公务用车运行维护费 1615 万元，公务用车购置费 123 万元），"
                 "较上年减少 14 万元，下降 0.80%。",
                 "decrease", "1738", None, "14", "0.80", "prior_year", id="aside-in-brackets"),
    # a baseline's value named by the baseline alone, between the value and the change: the stated base
    pytest.param("2023年，县本级政府性基金预算收入完成 8.52 亿元，上年为 6.10 亿元，比上年增收 2.42 亿元，增长 39.7%。",
                 "increase", "8.52", "6.10", "2.42", "39.7", "prior_year", id="stated-prior-value-between"),
    pytest.param("2024年部门预算收入 4,126.30 万元，上年预算为 3,870.50 万元，比上年增加 255.80 万元，增长 6.6%。",
                 "increase", "4126.30", "3870.50", "255.80", "6.6", "prior_year", id="stated-prior-budget-between"),
    pytest.param("1-9月，全县税收收入 5.24 亿元，上年同期为 4.96 亿元，同比增收 0.28 亿元，增长 5.6%。",
                 "increase", "5.24", "4.96", "0.28", "5.6", "prior_year", id="stated-same-period-between"),
    pytest.param("1-9月，全县税收收入 5.24 亿元，去年同期 4.96 亿元，增收 0.28 亿元，增长 5.6%。",
                 "increase", "5.24", "4.96", "0.28", "5.6", "prior_year", id="last-year-same-period-gives-the-baseline"),
    pytest.param("公务接待费 5.28 万元（上年为 6.40 万元），比上年减少 1.12 万元，下降 17.5%。",
                 "decrease", "5.28", "6.40", "1.12", "17.5", "prior_year", id="stated-prior-value-in-brackets"),
    # a base stated by its value alone, and the value it became
    pytest.param("2023年一般公共预算支出由 3,120.00 万元调整为 3,386.50 万元，增加 266.50 万元，增长 8.5%。",
                 "increase", "3386.50", "3120.00", "266.50", "8.5", "stated", id="adjusted-from-to"),
    pytest.param("机关运行经费由上年的 85.2 万元增加到 96.4 万元，增长 13.1%。",
                 "increase", "96.4", "85.2", None, "13.1", "prior_year", id="increased-from-to"),
    # a period word names the figure again past a 其中 part of another period
    pytest.param("1-9月，全县一般公共预算收入累计完成 31.50 亿元，其中 9 月份完成 3.20 亿元，累计同比增收 1.80 亿元，增长 6.1%。",
                 "increase", "31.50", None, "1.80", "6.1", "prior_year", id="cumulative-named-again"),
    # a year's own budget after last year's actual, past a semicolon: the year names the figure
    pytest.param("2023年决算支出 3,012.80 万元；2024年预算 3,218.60 万元，比2023年决算增加 205.80 万元，增长 6.8%。",
                 "increase", "3218.60", None, "205.80", "6.8", "year_final", id="budget-after-last-years-actual"),
    # the year before the one just named: that year's value of the same quantity
    pytest.param("2024年预算数 128.00 万元，2023年预算数 120.00 万元，增加 8.00 万元，增长 6.7%。",
                 "increase", "128.00", "120.00", "8.00", "6.7", "year", id="prior-year-named-by-its-year"),
    # the value the change came to, after it
    pytest.param("公务接待费比上年减少 0.75 万元，下降 20%，为 3.00 万元。",
                 "decrease", "3.00", None, "0.75", "20", "prior_year", id="value-after-the-change"),
    # a value of another baseline between: neither the current value nor this change's base
    pytest.param("2023年“三公”经费决算 14.62 万元，年初预算 18.00 万元，较上年减少 1.38 万元，下降 8.6%。",
                 "decrease", "14.62", None, "1.38", "8.6", "prior_year", id="budget-value-between"),
]


@pytest.mark.parametrize(("text", "direction", "current", "base", "delta", "percent", "baseline"), CHANGES)
def test_change_read_from_real_phrasing(text, direction, current, base, delta, percent, baseline):
    report = check_text(text)
    (change,) = of_kind(report, "change")
    assert change.unclear is None
    assert change.direction == direction
    assert _value(change.current) == _d(current)
    assert _value(change.base) == _d(base)
    assert _value(change.delta) == _d(delta)
    assert _value(change.percent) == _d(percent)
    assert change.baseline is not None and change.baseline.kind == baseline
    assert not {"ARI001", "ARI003", "ARI005"} & rules_found(report)


def test_change_words_need_a_baseline():
    """调增/调减/节支 with no baseline before them are not changes."""
    report = check_text("年中调减项目支出 50 万元，调增基本支出 30 万元。本年节支 12 万元。")
    assert of_kind(report, "change") == []


def test_comparable_basis_is_a_baseline_of_its_own():
    text = "2022 年一般公共预算收入 45720 万元，比上年增长 8.3%，比上年同口径增长 38.6%。"
    report = check_text(text)
    plain, comparable = of_kind(report, "change")
    assert (plain.baseline.kind, plain.baseline_family, plain.percent.value) == ("prior_year", "prior", Decimal("8.3"))
    assert (comparable.baseline_family, comparable.percent.value) == ("comparable", Decimal("38.6"))
    assert plain.current.value == comparable.current.value == Decimal("45720")
    assert "CON002" not in rules_found(report)


def test_plain_prior_year_stated_twice_differently_is_a_contradiction():
    report = check_text("2022 年一般公共预算收入 45720 万元，比上年增长 8.3%。\n\n"
                        "2022 年一般公共预算收入 45720 万元，比上年增长 38.6%。\n")
    assert "CON002" in rules_found(report)


TWO_BASELINES = "公务接待费为 97 万元，较上年 118 万元减少 21 万元，下降 {first}%，较预算数 265 万元减少 {delta} 万元，下降 {second}%。"


def test_two_baselines_in_one_sentence():
    report = check_text(TWO_BASELINES.format(first="17.8", delta="168", second="63.4"))
    prior, budget = of_kind(report, "change")
    assert (prior.current.value, prior.base.value, prior.delta.value, prior.baseline_family) == (97, 118, 21, "prior")
    assert (budget.current.value, budget.base.value, budget.delta.value, budget.baseline_family) == (97, 265, 168, "budget")
    assert budget.percent.value == Decimal("63.4")
    assert not {"ARI001", "ARI003", "ARI005"} & rules_found(report)


@pytest.mark.parametrize(
    ("first", "delta", "second", "rule", "stated"),
    [
        ("17.8", "168", "36.4", "ARI001", "36.4%"),
        ("19.8", "168", "63.4", "ARI001", "19.8%"),
        ("17.8", "178", "63.4", "ARI005", "178 万元"),
    ],
)
def test_two_baselines_each_checked_against_its_own_base(first, delta, second, rule, stated):
    report = check_text(TWO_BASELINES.format(first=first, delta=delta, second=second))
    found = [f for f in report.findings if f.rule == rule]
    assert [f.stated for f in found] == [stated]
    assert found[0].severity == "error"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        pytest.param("全年一般公共预算收入完成 25630 万元，同比增收 1630 万元，增长 7.8%。", "ARI001", id="zengshou"),
        pytest.param("2023年一般公共预算支出调整预算数为 6360 万元，较年初预算调减 640 万元，下降 10.1%。", "ARI001", id="tiaojian"),
        pytest.param("全年非税收入 3271 万元，比上年减少 31 万元，负增长 1.94%。", "ARI001", id="negative-growth"),
        pytest.param("2022年度一般公共预算财政拨款支出 1860 万元，较预算数 2000 万元减少 140 万元，下降 8.0%。", "ARI001", id="budget-figure"),
        pytest.param("日常公用经费 1286 万元，较上年 1331 万元减少 45 万元，下降 3.8%。", "ARI001", id="explicit-prior-value"),
        pytest.param("截至 6 月底，一般公共预算支出 251 万元，比上年累计支出 285 万元下降 34 万元，下降 13.5%。", "ARI001", id="explicit-cumulative"),
        pytest.param("2021年“三公”经费支出 2548 万元，较2020年的2601万元减少53万元，下降 2.5%。", "ARI001", id="explicit-year-value"),
        pytest.param("日常公用经费 1286 万元，较上年 1331 万元增加 45 万元。", "ARI003", id="explicit-base-other-way"),
        pytest.param("全年住房保障支出 3700 万元，比上年减少 300 万元，增长 -9.5%。", "ARI001", id="signed-growth"),
        pytest.param("公务接待费 9.80 万元，较上年减少 18.50 万元（56.37%），主要原因是严格执行接待标准。", "ARI001", id="bracketed-rate"),
        pytest.param("公务用车购置及运行维护费 1738 万元（其中：公务用车运行维护费 1615 万元，公务用车购置费 123 万元），"
                     "较上年减少 14 万元，下降 0.90%。", "ARI001", id="aside-in-brackets"),
    ],
)
def test_wrong_change_is_flagged(text, rule):
    assert rule in rules_found(check_text(text))


# --- 1: a 其中 list after a change sentence ------------------------------------------------------

QIZHONG_AFTER_CHANGE = ("全年一般公共预算收入 24530 万元，同比减收 1070 万元，下降 4.2%。其中：税收收入 {tax} 万元，"
                        "比上年增收 1284 万元；非税收入 6427 万元，比上年减收 2354 万元。")


def test_list_after_a_change_is_a_composition_of_the_total():
    report = check_text(QIZHONG_AFTER_CHANGE.format(tax="18103"))
    (composition,) = of_kind(report, "composition")
    assert composition.whole.value == Decimal("24530")
    assert [p.value.value for p in composition.parts] == [Decimal("18103"), Decimal("6427")]
    head = of_kind(report, "change")[0]
    assert (head.current.value, head.delta.value, head.direction) == (Decimal("24530"), Decimal("1070"), "decrease")
    assert "ARI007" not in rules_found(report)


def test_list_after_a_change_exceeding_the_total_is_flagged():
    report = check_text(QIZHONG_AFTER_CHANGE.format(tax="19103"))
    (finding,) = [f for f in report.findings if f.rule == "ARI007"]
    assert finding.stated == "24530 万元"


# --- 5: ratios with their whole stated ----------------------------------------------------------

def test_ratio_with_its_whole_stated():
    text = "1-6月，全县一般公共预算收入累计完成 48372 万元，占年初预算数 86150 万元的 56.1%，同比增长 9.4%，增收 4156 万元。"
    report = check_text(text)
    (share,) = of_kind(report, "share")
    assert (share.part.value, share.whole.value, share.percent.value) == (48372, 86150, Decimal("56.1"))
    assert share.ratio == "completion"
    assert [a.value.value for a in of_kind(report, "amount")] == [Decimal("48372")]  # the whole is not an amount claim
    (change,) = of_kind(report, "change")
    assert (change.current.value, change.delta.value, change.percent.value) == (48372, 4156, Decimal("9.4"))
    assert not {"ARI001", "ARI006"} & rules_found(report)


@pytest.mark.parametrize(
    ("text", "part", "whole", "percent"),
    [
        pytest.param("2022 年一般公共预算财政拨款支出 4118.3 万元，为年初预算数 5240 万元的 78.59%。",
                     "4118.3", "5240", "78.59", id="wei-initial-budget"),
        pytest.param("前三季度，全市一般公共预算收入 424.6 亿元，完成年度预算 552.8 亿元的 76.8%。",
                     "424.6", "552.8", "76.8", id="wancheng-annual-budget"),
        pytest.param("全年政府性基金收入 8440 万元，为年初预算 7800 万元的 108.2%。",
                     "8440", "7800", "108.2", id="above-hundred"),
    ],
)
def test_completion_rates(text, part, whole, percent):
    report = check_text(text)
    (share,) = of_kind(report, "share")
    assert share.ratio == "completion"
    assert (share.part.value, share.whole.value, share.percent.value) == (Decimal(part), Decimal(whole), Decimal(percent))
    assert "ARI006" not in rules_found(report)


@pytest.mark.parametrize(
    ("percent", "flagged"),
    [("78.59", False), ("78.60", False), ("78.58", False), ("78.61", True), ("78.57", True), ("87.59", True)],
)
def test_completion_rate_rounding_chain(percent, flagged):
    """4118.30 / 5240.00 = 78.5935 %: one unit off in the last place is a rounding chain, two are a slip."""
    report = check_text(f"2022 年一般公共预算财政拨款支出 4118.30 万元，为年初预算数 5240.00 万元的 {percent}%。")
    assert ("ARI006" in rules_found(report)) is flagged


# --- 6: asides in brackets ------------------------------------------------------------------------

SANGONG = ("2022 年“三公”经费支出 2626 万元，其中：因公出国（境）费 76 万元，公务接待费 {reception} 万元，"
           "公务用车购置及运行维护费 1738 万元（其中：公务用车运行维护费 {upkeep} 万元，公务用车购置费 123 万元）。")


def test_bracket_aside_is_a_nested_composition():
    report = check_text(SANGONG.format(reception="812", upkeep="1615"))
    by_whole = {c.whole.value: c for c in of_kind(report, "composition")}
    assert set(by_whole) == {Decimal("2626"), Decimal("1738")}
    assert [p.value.value for p in by_whole[Decimal("2626")].parts] == [76, 812, 1738]
    assert [p.value.value for p in by_whole[Decimal("1738")].parts] == [1615, 123]
    assert "ARI007" not in rules_found(report)


@pytest.mark.parametrize(("reception", "upkeep", "stated"), [("822", "1615", "2626 万元"), ("812", "1625", "1738 万元")])
def test_outer_and_bracket_lists_each_checked_against_their_own_whole(reception, upkeep, stated):
    report = check_text(SANGONG.format(reception=reception, upkeep=upkeep))
    assert [f.stated for f in report.findings if f.rule == "ARI007"] == [stated]


@pytest.mark.parametrize(
    "text",
    [
        "全年发行政府债券 64800 万元，其中：一般债券 41500 万元（新增债券 22300 万元、再融资债券 29200 万元），专项债券 23300 万元。",
        "一般债券 41500 万元（新增债券 22300 万元、再融资债券 29200 万元）。",
    ],
)
def test_bracket_list_without_qizhong_is_not_summed(text):
    report = check_text(text)
    for composition in of_kind(report, "composition"):
        assert all(p.subject not in ("新增债券", "再融资债券") for p in composition.parts)
    assert "ARI007" not in rules_found(report)


# --- 8: percent lists with 分别 -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("2022 年，全省政府采购规模中，货物类、服务类采购分别为 1843.6 亿元和 21377.2 亿元，"
                     "占全省政府采购规模的 7.9%和 92.1%。", "share", id="shares"),
        pytest.param("全省政府采购规模 23220.8 亿元。其中货物类、服务类采购分别为 1843.6 亿元和 21377.2 亿元，"
                     "占全省政府采购规模的 7.9%和 92.1%。", "share", id="shares-with-whole"),
        pytest.param("税收收入、非税收入分别为 18103 万元和 6427 万元，同比分别增长 5% 和 6%。", "change", id="changes"),
    ],
)
def test_fenbie_lists_are_unclear_and_not_checked(text, kind):
    report = check_text(text)
    claims = of_kind(report, kind)
    assert claims and all(c.unclear for c in claims)
    assert not [f for f in report.findings if f.severity == "error" and f.rule.startswith("ARI")]


# --- 9-11: lists whose items state several quantities, 其中 twice, a list ended at a semicolon --------

TENDERS = ("全年完成工程建设项目招标 9 个，交易金额 1.7 亿元，节约资金 1033 万元。其中：房屋市政类项目 7 个，"
           "交易金额 1.171 亿元，节约资金 {housing} 万元；交通类项目 1 个，交易金额 382 万元，节约资金 68 万元；"
           "水利类项目 1 个，交易金额 5000 万元，节约资金 345 万元。")


def test_items_with_several_quantities_keep_the_parts_named_like_the_whole():
    report = check_text(TENDERS.format(housing="620"))
    (composition,) = of_kind(report, "composition")
    assert composition.unclear is None
    assert (composition.whole_subject, composition.whole.value) == ("节约资金", Decimal("1033"))
    assert [p.value.value for p in composition.parts] == [620, 68, 345]
    assert "ARI007" not in rules_found(report)


def test_items_with_several_quantities_exceeding_the_whole_are_flagged():
    report = check_text(TENDERS.format(housing="720"))
    assert [f.stated for f in report.findings if f.rule == "ARI007"] == ["1033 万元"]


def test_items_with_budget_and_final_each_are_not_summed():
    text = ("2022 年“三公”经费支出 38.6 万元。其中：因公出国（境）费预算数 0 万元，决算数 0 万元；公务接待费预算数 15 万元，"
            "决算数 12.4 万元；公务用车购置及运行维护费预算数 30 万元，决算数 26.2 万元。")
    report = check_text(text)
    assert all(c.unclear for c in of_kind(report, "composition"))
    assert "ARI007" not in rules_found(report)


DEBT = ("截至 2022 年底，全市政府债务限额 842.6 亿元，其中一般债务 {limit_general} 亿元、专项债务 339.5 亿元，"
        "债务余额为 815.24 亿元，其中一般债务 {balance_general} 亿元、专项债务 328.31 亿元。")


def test_qizhong_twice_in_one_sentence_makes_two_compositions():
    report = check_text(DEBT.format(limit_general="503.1", balance_general="486.93"))
    compositions = sorted(of_kind(report, "composition"), key=lambda c: c.start)
    assert [c.whole.value for c in compositions] == [Decimal("842.6"), Decimal("815.24")]
    assert [[p.value.value for p in c.parts] for c in compositions] == [
        [Decimal("503.1"), Decimal("339.5")], [Decimal("486.93"), Decimal("328.31")]]
    assert "ARI007" not in rules_found(report)


@pytest.mark.parametrize(
    ("limit_general", "balance_general", "stated"),
    [("513.1", "486.93", "842.6 亿元"), ("503.1", "496.93", "815.24 亿元")],
)
def test_qizhong_twice_each_list_checked_against_its_own_whole(limit_general, balance_general, stated):
    report = check_text(DEBT.format(limit_general=limit_general, balance_general=balance_general))
    assert [f.stated for f in report.findings if f.rule == "ARI007"] == [stated]


SEMICOLON = ("2024 年部门经费预算 6382417 元，基本支出 3915276 元，其中工资福利支出 {wages} 元，商品和服务支出 716390 元，"
             "对个人和家庭补助支出 394355 元；项目支出 2467141 元。")


@pytest.mark.parametrize(("wages", "flagged"), [("2804531", False), ("2904531", True)])
def test_list_ended_at_a_semicolon(wages, flagged):
    report = check_text(SEMICOLON.format(wages=wages))
    assert ("ARI007" in rules_found(report)) is flagged


# --- 12: a line ending on a figure before a blank line ends its paragraph ----------------------

def test_line_ending_on_a_figure_does_not_run_across_a_blank_line():
    first = "2022 年度会议费财政拨款支出 0 万元，为年初预算数 3 万元的 0%"
    assert len(first) >= 25
    report = check_text(first + "\n\n州本级政府采购支出 320 万元，其中：货物类 120 万元，服务类 180 万元。\n")
    (share,) = of_kind(report, "share")
    (composition,) = of_kind(report, "composition")
    assert share.paragraph != composition.paragraph
    assert composition.whole.value == Decimal("320")


def test_list_ending_on_a_figure_does_not_take_the_next_paragraph_as_a_part():
    report = check_text("全年“三公”经费财政拨款支出 860 万元，其中：公务接待费 380 万元，公务用车运行维护费 480 万元\n\n"
                        "州本级政府采购支出 80 万元。\n")
    (composition,) = of_kind(report, "composition")
    assert [p.value.value for p in composition.parts] == [380, 480]
    (later,) = [a for a in of_kind(report, "amount") if a.value.value == 80]
    assert later.part_of is None and later.paragraph != composition.paragraph
    assert "ARI007" not in rules_found(report)


def test_long_line_cut_mid_clause_still_runs_across_a_blank_line():
    """The contrast: a long line that does not end on a figure carries on after the blank line."""
    report = check_text("全年“三公”经费财政拨款支出 860 万元，其中：公务接待费 380 万元，公务用车运行维护费 480 万元，占年初预算的\n\n"
                        "州本级政府采购支出 80 万元。\n")
    (later,) = [a for a in of_kind(report, "amount") if a.value.value == 80]
    assert later.paragraph == of_kind(report, "amount")[0].paragraph


# --- 13: RSN007 in a 决算 report ---------------------------------------------------------------

FINAL_TITLE = "XX 县市场监督管理局 2021 年度部门决算情况说明\n\n"
BUDGET_TITLE = "XX 县市场监督管理局 2022 年度部门预算情况说明\n\n"
DROP = "2021 年度“三公”经费支出 30 万元，较上年决算数减少 10 万元，下降 25.0%。\n"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        pytest.param(FINAL_TITLE + DROP, True, id="no-reason"),
        pytest.param(FINAL_TITLE + DROP + "\n三、“三公”经费变动原因\n\n严格落实中央八项规定精神，压减公务接待。\n",
                     False, id="reasons-under-a-heading"),
        pytest.param(FINAL_TITLE + "由于严格控制公务接待，" + DROP, False, id="cause-word-earlier"),
        pytest.param(BUDGET_TITLE + "2022 年度“三公”经费预算 30 万元，较上年减少 10 万元，下降 25.0%。\n",
                     False, id="budget-report"),
    ],
)
def test_large_change_without_reason_in_a_final_account(text, flagged):
    found = [f for f in check_text(text).findings if f.rule == "RSN007"]
    assert bool(found) is flagged
    assert all(f.severity == "warning" for f in found)


def test_a_stated_prior_value_checks_a_rate_given_without_an_amount():
    report = check_text("1-9月，全县一般公共预算收入 7.38 亿元，上年同期为 6.92 亿元，同比增长 7.6%。")
    assert "ARI001" in rules_found(report)  # 0.46 / 6.92 = 6.65%


def test_a_stated_prior_value_is_not_a_second_statement_of_the_current_value():
    report = check_text("全年收入 320.00 万元，上年为 365.00 万元，比上年增加 45.00 万元，增长 12.3%。")
    assert "CON001" not in rules_found(report)
    # 365 → 320 is a decrease: the words are the slip, and turning them round settles the amount too
    (turned,) = [f for f in report.findings if f.rule == "ARI003"]
    assert sorted(t.rule for t in turned.tied) == ["ARI001", "ARI005"]
    assert [(e.before, e.after) for e in turned.fix.edits] == [("增加", "减少"), ("增长", "下降")]


def test_a_prior_budget_value_is_not_the_base_of_a_change_against_the_prior_final():
    report = check_text("2024年“三公”经费预算 28.00 万元，上年预算为 30.00 万元，比上年决算增加 1.60 万元，增长 6.1%。")
    (change,) = of_kind(report, "change")
    assert change.base is None and _value(change.current) == Decimal("28.00")
    assert not report.findings


# --- 分别: as many figures as rates, paired in order -------------------------------------------

def test_respective_shares_pair_the_listed_amounts_with_the_listed_percentages_in_order():
    report = check_text("2023年基本支出 1,250.00 万元，其中：人员经费 1,075.00 万元、公用经费 175.00 万元，分别占基本支出的 86.0%和 14.0%。")
    shares = [(c.part_subject, _value(c.part), _value(c.percent)) for c in of_kind(report, "share")]
    assert shares == [("人员经费", Decimal("1075.00"), Decimal("86.0")), ("公用经费", Decimal("175.00"), Decimal("14.0"))]
    assert not report.findings


def test_a_respective_share_that_does_not_fit_its_part_is_reported():
    report = check_text("2023年基本支出 1,250.00 万元，其中：人员经费 1,075.00 万元、公用经费 175.00 万元，分别占基本支出的 86.0%和 15.0%。")
    assert [f.rule for f in report.findings] == ["ARI006"]


def test_respective_lists_of_unequal_length_are_not_paired():
    report = check_text("人员经费 1,075.00 万元、公用经费 175.00 万元、其他 3.00 万元，分别占基本支出的 86.0%和 14.0%。")
    assert all(c.unclear for c in of_kind(report, "share"))


def test_an_adjustment_whose_amount_is_not_the_difference_is_reported():
    report = check_text("2023年一般公共预算支出由 3,120.00 万元调整为 3,386.50 万元，增加 256.50 万元。")
    assert "ARI005" in rules_found(report)


def test_a_rate_that_does_not_fit_the_value_named_after_the_change_is_reported():
    report = check_text("公务接待费比上年减少了 25%，减少 0.75 万元，为 3.00 万元。")
    assert "ARI001" in rules_found(report)  # 0.75 / 3.75 = 20%


def test_points_after_a_rate_are_a_change_of_the_rate_not_a_second_direction():
    report = check_text("上半年全县一般公共预算收入增长 6.2%，增幅比一季度回落 2.5 个百分点。")
    changes = of_kind(report, "change")
    assert [(c.direction, _value(c.percent), _value(c.points)) for c in changes] == [
        ("increase", Decimal("6.2"), None), ("decrease", None, Decimal("2.5"))]
    assert not report.findings


def test_a_rate_is_checked_against_this_years_budget_named_by_its_baseline_word():
    report = check_text("年初预算 80.00 万元，全年预算数 100.00 万元，全年执行数 98.50 万元，执行率 98.5%。")
    assert not report.findings
    report = check_text("年初预算 80.00 万元，全年预算数 100.00 万元，全年执行数 98.50 万元，执行率 96.5%。")
    assert [f.rule for f in report.findings] == ["ARI012"]


@pytest.mark.parametrize("text", [
    "安排资金 3,600.00 万元，其中省级 2,400.00 万元、市级 1,200.00 万元，已拨付 3,312.00 万元。",
    "2023年收入 1,326.70 万元，其中财政拨款收入 1,280.40 万元，其他收入 46.30 万元，支出 1,290.00 万元。",
    "会议费支出 12.00 万元，其中：差旅费 8.00 万元，另安排培训费 3.60 万元。",
])
def test_a_list_ends_when_its_parts_make_its_whole_or_an_amount_is_another(text):
    report = check_text(text)
    assert "ARI007" not in rules_found(report)
