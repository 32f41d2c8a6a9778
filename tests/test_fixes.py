"""Suggested edits: the correction that explains a slip, findings it settles tied into one,
and the edits written out as a diff."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

from hypothesis import given, settings as hsettings, strategies as st

from narrative_check import check_text
from narrative_check.render import diff as diff_renderer
from narrative_check.render import text as text_renderer

TOTALS = (
    "1.总体情况。2021 年度收入总计 9909.15 万元，支出总计 9909.15 万元。收支较上年决算数减少 2343.3 万元、下降 19.1%。\n"
    "2.收入情况。2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元、下降 15.80%。\n"
)


def test_a_pasted_change_is_one_finding_whose_fix_mends_amount_and_rate():
    report = check_text(TOTALS)
    on_second = [f for f in report.findings if f.line == 2 and f.severity == "error"]
    assert [f.rule for f in on_second] == ["CON002"], [(f.rule, f.message) for f in on_second]
    finding = on_second[0]
    assert [t.rule for t in finding.tied] == ["ARI001"]
    assert [(e.before, e.after) for e in finding.fix.edits] == [("1863.3", "2343.3"), ("15.80", "19.13")]
    fixed = diff_renderer.apply(TOTALS, finding.fix.edits)
    assert not [f for f in check_text(fixed).findings if f.severity == "error"]


def test_a_rate_against_an_inconsistent_earlier_statement_is_not_rewritten_after_it():
    # the earlier statement does not hold in itself (2343.3 of 12252.45 is 19.1%, not 21.0%):
    # either may be the slip, and CON002 offers no edit, so ARI001 stays a finding of its own
    text = TOTALS.replace("下降 19.1%", "下降 21.0%")
    report = check_text(text)
    con002 = [f for f in report.findings if f.rule == "CON002" and f.line == 2]
    assert con002 and con002[0].fix is None and not con002[0].tied


def test_text_output_says_the_edit_and_what_it_settles():
    out = text_renderer.render([check_text(TOTALS)])
    assert "建议: 将“1863.3”改为“2343.3”；将“15.80”改为“19.13”" in out
    assert "同一处笔误另致 ARI001" in out


def test_diff_lists_each_edit_once_and_applies(tmp_path):
    report = check_text(TOTALS, path="report.txt")
    out = diff_renderer.render([report])
    assert out.startswith("--- a/report.txt\n+++ b/report.txt\n")
    assert "-2.收入情况。2021 年度收入总计 9909.15 万元，较上年决算数减少 1863.3 万元、下降 15.80%。" in out
    assert "+2.收入情况。2021 年度收入总计 9909.15 万元，较上年决算数减少 2343.3 万元、下降 19.13%。" in out
    if shutil.which("patch"):
        (tmp_path / "report.txt").write_text(TOTALS, encoding="utf-8")
        subprocess.run(["patch", "-p1", "-s"], input=out.encode(), cwd=tmp_path, check=True)
        assert (tmp_path / "report.txt").read_text(encoding="utf-8") == diff_renderer.apply(TOTALS, diff_renderer.chosen_edits(report))


def test_diff_of_a_clean_report_is_empty():
    assert diff_renderer.render([check_text("2021 年度收入总计 9909.15 万元，较上年决算数减少 2343.3 万元、下降 19.1%。")]) == ""


def test_overlapping_edits_are_taken_once():
    from narrative_check.models import Edit, Finding, Fix, Report

    def finding(start, end, after):
        edit = Edit(start=start, end=end, line=1, column=start + 1, before="x" * (end - start), after=after)
        return Finding(rule="ARI001", name="n", severity="error", message="m", start=start, end=end, line=1, column=1,
                       quote="q", fix=Fix(message="m", edits=[edit]))

    report = Report(findings=[finding(0, 3, "abc"), finding(0, 3, "abc"), finding(2, 5, "zz"), finding(6, 7, "y")], text="xxxxxxxx")
    assert [(e.start, e.after) for e in diff_renderer.chosen_edits(report)] == [(0, "abc"), (6, "y")]


_UP, _DOWN = ("增加", "增长"), ("减少", "下降")


@hsettings(max_examples=60, deadline=None)
@given(
    base=st.integers(min_value=1000, max_value=999999),
    current=st.integers(min_value=1000, max_value=999999),
    slip_in_rate=st.booleans(),
)
def test_a_turned_round_direction_word_is_turned_back(base, current, slip_in_rate):
    """A consistent change with one direction word turned round: the fix restores the text as it was."""
    if abs(current - base) * 20 < base:
        return  # a change under 5%: a rate rounded to one place cannot tell the two readings apart
    words = _UP if current > base else _DOWN
    delta = Decimal(abs(current - base)) / 100
    rate = (Decimal(abs(current - base)) / base * 100).quantize(Decimal("0.1"))
    right = f"支出 {Decimal(current) / 100} 万元，较上年决算数{words[0]} {delta} 万元，{words[1]} {rate}%。"
    wrong_words = _DOWN if words is _UP else _UP
    wrong = (right.replace(words[1], wrong_words[1]) if slip_in_rate else right.replace(words[0], wrong_words[0], 1))
    report = check_text(wrong)
    ari003 = [f for f in report.findings if f.rule == "ARI003"]
    assert ari003 and ari003[0].fix is not None, [f.message for f in report.findings]
    assert diff_renderer.apply(wrong, ari003[0].fix.edits) == right
    assert not [f for f in report.findings if f.rule in ("ARI001", "ARI005")]


def _figure(text: str):
    from narrative_check.models.claims import Figure

    value = Decimal(text.replace(",", ""))
    return Figure(kind="money", value=value, unit="万元", scale=Decimal(10000), exponent=value.as_tuple().exponent,
                  text=f"{text}万元", start=0, end=len(text) + 2)


@hsettings(max_examples=80, deadline=None)
@given(digits=st.text(alphabet="0123456789", min_size=3, max_size=7), point=st.integers(1, 2),
       slip=st.sampled_from(["change", "swap", "drop", "add"]), at=st.integers(0, 6), digit=st.sampled_from("0123456789"))
def test_one_typing_slip_is_recognised_and_two_are_not(digits, point, slip, at, digit):
    from narrative_check.interval import Interval
    from narrative_check.rules.base import one_slip_apart, one_slip_within

    digits = digits.lstrip("0") or "1"
    if len(digits) <= point:
        return
    written = digits[:-point] + "." + digits[-point:]
    raw = written.replace(".", "")
    at = at % len(raw)
    if slip == "change":
        other = raw[:at] + digit + raw[at + 1 :]
    elif slip == "swap":
        at = min(at, len(raw) - 2)
        if at + 1 == len(raw) - point:
            return  # the two digits stand either side of the point: not neighbours as written
        other = raw[:at] + raw[at + 1] + raw[at] + raw[at + 2 :]
    elif slip == "drop":
        other = raw[:at] + raw[at + 1 :]
    else:
        other = raw[:at] + digit + raw[at:]
    if other == raw or not other or other.startswith("0"):
        return
    true = Decimal(other[:-point] + "." + other[-point:]) if len(other) > point else None
    if true is None or true == Decimal(written):
        return
    # `written` is one slip of the true figure when the point keeps its place among the digits
    assert one_slip_apart(_figure(written), true) or len(other) != len(raw)
    far = Decimal(written) * 3 + 7
    assert not one_slip_within(_figure(written), Interval(far, far))


def test_a_fix_is_written_whole_or_not_at_all():
    from narrative_check.models import Edit, Finding, Fix, Report

    def edit(start, end, after):
        return Edit(start=start, end=end, line=1, column=start + 1, before="x" * (end - start), after=after)

    def finding(*edits):
        return Finding(rule="CON002", name="n", severity="error", message="m", start=edits[0].start, end=edits[-1].end,
                       line=1, column=1, quote="q", fix=Fix(message="m", edits=list(edits)))

    first = finding(edit(0, 3, "abc"))
    # its second edit overlaps the first fix: neither of its edits is taken
    pair = finding(edit(6, 8, "yy"), edit(2, 4, "zz"))
    report = Report(findings=[first, pair], text="xxxxxxxxxx")
    assert [(e.start, e.after) for e in diff_renderer.chosen_edits(report)] == [(0, "abc")]
