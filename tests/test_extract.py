"""Claim extraction across the phrasing variety of real reports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrative_check import check_text


def changes(text: str):
    return [c for c in check_text(text).claims if c.kind == "change"]


@pytest.mark.parametrize(
    ("text", "direction", "delta", "percent", "baseline"),
    [
        ("人员经费 1217.20 万元，较上年决算数减少 529.25 万元，下降 30.3%。", "decrease", "529.25", "30.3", "prior_final"),
        ("支出 500 万元，比上年增加 50 万元，增幅 11.1%。", "increase", "50", "11.1", "prior_year"),
        ("支出 500 万元，同比减少 50 万元，减幅 9.09 %。", "decrease", "50", "9.09", "prior_year"),
        ("支出 500 万元，较年初预算减少了 50 万元，下降了 9.091%。", "decrease", "50", "9.091", "initial_budget"),
        ("支出 500 万元，比2023年增长 11.1%。", "increase", None, "11.1", "year"),
        ("支出 500 萬元，較上年增長 11.1%。", "increase", None, "11.1", "prior_year"),
        ("支出 1.5 亿元，较上年(减少)0.5 亿元。", "decrease", "0.5", None, "prior_year"),
        ("支出 500 万元，增长 11.1%，增加 50 万元。", "increase", "50", "11.1", None),
        # the baseline said again for the rate: one change, measured from the first baseline
        ("一般公共预算财政拨款收入 9754.15 万元，较上年决算数增加 2481.7 万元，同比增长 34.1%。", "increase", "2481.7", "34.1", "prior_final"),
        ("支出 500 万元，比上年减少 50 万元，较上年下降 9.09%。", "decrease", "50", "9.09", "prior_year"),
    ],
)
def test_change_phrasings(text, direction, delta, percent, baseline):
    (change,) = changes(text)
    assert change.direction == direction
    assert (change.delta.value if change.delta else None) == (Decimal(delta) if delta else None)
    assert (change.percent.value if change.percent else None) == (Decimal(percent) if percent else None)
    assert (change.baseline.kind if change.baseline else None) == baseline
    assert change.current is not None


@pytest.mark.parametrize("text", [
    "支出 9754.15 万元，较年初预算数增加 96.7 万元，同比增长 1%。",  # against the budget, then the year before: two
    "公务接待费 1.08 万元，较上年支出数增加 0.00 万元，与上年持平。",  # a flat statement of its own (ARI004)
    "支出 500 万元，较上年增加 50 万元，增长 11.1%，同比增长 9%。",  # the change already has its rate
])
def test_a_second_baseline_that_is_not_a_restatement_is_a_second_change(text):
    assert len(changes(text)) == 2


def test_flat_phrasings():
    for text in ("结转结余 0 万元，同比无增减变化。", "公务接待费4.79万元，与上年持平。", "运行维护费 6 万元，费用支出较年初预算数无变化。"):
        (change,) = changes(text)
        assert change.direction == "flat", text


def test_explicit_base():
    (change,) = changes("人员经费 1217.20 万元，较2020年的 1746.45 万元减少 529.25 万元。")
    assert change.base.value == Decimal("1746.45") and change.baseline.year == 2020


def test_template_direction_is_marked():
    (change,) = changes("支出 500 万元，较上年增加（减少）50 万元。")
    assert change.template and change.direction is None


def test_units_scale():
    claims = check_text("收入 1.2 亿元，支出 12000 万元，结余 5000 元。").claims
    amounts = [c for c in claims if c.kind == "amount"]
    assert [a.value.yuan for a in amounts] == [Decimal("120000000.0"), Decimal("120000000"), Decimal("5000")]


def test_thresholds_and_rates_are_not_amounts():
    claims = check_text("单价 50 万元（含）以上通用设备 0 台（套），公务用车经费定额为3.5万元/年/车。").claims
    assert [c for c in claims if c.kind == "amount"] == []


def test_wrapped_line_inside_a_figure_sentence():
    text = "一般公共预算财政拨款支出 1000 万元，其中：教育支出 107.3 万元，占支\n出总预算 10.73 %。"
    shares = [c for c in check_text(text).claims if c.kind == "share"]
    assert shares and shares[0].percent.value == Decimal("10.73")
    assert shares[0].whole_subject == "支出总预算"


def test_token_scanner_matches_like_the_regex_module():
    """The scanner may run on the stdlib engine for speed; its matches must be the regex module's."""
    import regex
    from conftest import BUDGET_2024, FINAL_2021

    from narrative_check.extract.tokens import scanner

    pattern = scanner()
    reference = regex.compile(pattern.pattern, regex.VERBOSE)
    for path in (BUDGET_2024, FINAL_2021):
        text = path.read_text(encoding="utf-8")
        assert [(m.span(), m.lastgroup) for m in pattern.finditer(text)] == [
            (m.span(), m.lastgroup) for m in reference.finditer(text)
        ]


def _unguarded_scanner():
    import re

    from narrative_check.extract.tokens import _pattern

    return re.compile(_pattern(), re.VERBOSE)


def _same_tokens(text):
    from narrative_check.extract.tokens import scanner

    expected = [(m.span(), m.lastgroup) for m in _unguarded_scanner().finditer(text)]
    assert [(m.span(), m.lastgroup) for m in scanner().finditer(text)] == expected


def test_first_character_guard_keeps_every_token_on_the_corpus():
    from conftest import BUDGET_2024, FINAL_2021

    for path in (BUDGET_2024, FINAL_2021):
        _same_tokens(path.read_text(encoding="utf-8"))


def _lexicon_words():
    from narrative_check import lexicons

    words = []
    for name in ("change_verbs.tsv", "baselines.tsv", "reason_markers.tsv", "usage_markers.tsv", "per_unit.tsv",
                 "enumerators.tsv", "units.tsv"):
        words += [row[0] for row in lexicons.rows(name)]
    return sorted(set(words) | set("较比相对与由从同环占其"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_lexicon_words()) | st.text(st.sampled_from(list("较比上年与相同期由从（(）)①⑫-1.5万元%其中占，。：、 ")), max_size=4),
                max_size=12))
def test_first_character_guard_keeps_every_token(pieces):
    """The scanner's look-ahead on first characters must not lose a token the pattern finds."""
    _same_tokens("".join(pieces))


def test_first_character_guard_keeps_every_lexicon_phrase():
    # Every lexicon word, alone and after each fixed opener ('较' + '上年', '与' + '上年' + '相比'), in a sentence.
    words = _lexicon_words()
    for opener in ["", *"较比与由从", "相较", "相比", "相对于"]:
        for word in words:
            _same_tokens(f"支出{opener}{word}相比增加（减少）10.5万元，下降2%。")
