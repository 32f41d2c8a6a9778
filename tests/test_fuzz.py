"""Fuzzing the reader and the extractors: random edits of real report text, and hypothesis.

Whatever the input, check_text returns a report whose offsets index the text, or raises
InputError; and the same input gives the same findings in the same order, also across
processes with different hash seeds (set iteration order must never leak into the output).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUDGET_2024, FINAL_2021
from narrative_check import check_text
from narrative_check.errors import InputError
from narrative_check.read.text import parse_text
from test_hostile import check_or_input_error, hang_guard
from test_reader import _assert_offsets_consistent

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [FINAL_2021.read_text(encoding="utf-8"), BUDGET_2024.read_text(encoding="utf-8")]
FUZZ_CASES = 300
# A window of a report rather than the whole: a few hundred cases stay within seconds, and a
# window cut anywhere is itself a hostile input (a table without its head, half a sentence).
WINDOW = (300, 6000)
INSERTS = ["\t", "\n", "\n\n", "。", "，", "；", "%", "万元", "0", "-", "—", "（", "）", "一是", "其中：", "较上年",
           "增加", "减少", "增长", "下降", "占", "合计", "  ", "\u3000", "\r", "１２３．４５", "1,234.56", "#", "一、", "（1）"]


def _mutate(rng: random.Random) -> str | bytes:
    text = rng.choice(SOURCES)
    start = rng.randrange(len(text))
    text = text[start : start + rng.randrange(*WINDOW)]
    op = rng.randrange(5)
    if op == 0:  # characters replaced, inserted, deleted
        chars = list(text)
        for _ in range(rng.randrange(1, 60)):
            i = rng.randrange(len(chars) + 1)
            what = rng.randrange(3)
            if what == 0 and i < len(chars):
                chars[i] = rng.choice(INSERTS)
            elif what == 1:
                chars.insert(i, rng.choice(INSERTS))
            elif i < len(chars):
                del chars[i]
        return "".join(chars)
    if op == 1:  # lines shuffled, duplicated, dropped
        lines = text.split("\n")
        for _ in range(rng.randrange(1, 10)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            action = rng.randrange(3)
            if action == 0:
                lines[i], lines[j] = lines[j], lines[i]
            elif action == 1:
                lines.insert(i, lines[j])
            elif len(lines) > 1:
                del lines[i]
        return "\n".join(lines)
    if op == 2:  # bytes flipped in the UTF-8 encoding
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if op == 3:  # tabs and line breaks swapped: tables become prose and prose tables
        table = {"\t": "\n", "\n": "\t"} if rng.random() < 0.5 else {"，": "\t", "\t": "，"}
        return "".join(table.get(ch, ch) if rng.random() < 0.3 else ch for ch in text)
    # digits replaced: every figure changes, the structure stays
    return "".join(str(rng.randrange(10)) if ch.isdigit() and rng.random() < 0.5 else ch for ch in text)


def _signature(report) -> list:
    return [(f.rule, f.start, f.end, f.message, f.stated, f.expected) for f in report.findings]


def test_seeded_random_edits_of_corpus_text():
    rng = random.Random(20240601)
    for case in range(FUZZ_CASES):
        data = _mutate(rng)
        report = check_or_input_error(data, what=f"fuzz case {case}")
        if report is not None and case % 10 == 0:
            again = check_text(data)  # the same input just ran within the hang guard
            assert _signature(again) == _signature(report), f"fuzz case {case} not deterministic"
            assert [c.model_dump() for c in again.claims] == [c.model_dump() for c in report.claims]


def test_seeded_random_edits_keep_reader_offsets_consistent():
    rng = random.Random(7)
    for case in range(FUZZ_CASES):
        data = _mutate(rng)
        if isinstance(data, bytes):
            continue
        with hang_guard(what=f"reader case {case}"):
            try:
                doc = parse_text(data)
            except InputError:
                continue
        _assert_offsets_consistent(doc)


# Report-like text built from the pieces reports are made of, so hypothesis reaches the
# extractors (changes, shares, lists, reasons, tables) rather than only the reader.
SUBJECTS = st.sampled_from(["收入", "支出", "基本支出", "项目支出", "一般公共预算财政拨款支出", "“三公”经费", "人员经费",
                            "公务接待费", "社会保障和就业支出", "人均接待费", "本年收入", "2021年度收入总计"])
PIECES = st.sampled_from([
    "较上年", "较年初预算数", "比2023年", "增加", "减少", "增长", "下降", "持平", "占", "其中：", "主要原因", "一是", "二是",
    "（1）", "一、", "合计", "万元", "元", "%", "个百分点", "人", "，", "；", "。", "：", "\t", "\n", "\n\n", " ",
    "208", "20801", "2080101", "表", "单位：万元", "—", "增加（减少）",
])
NUMBERS = st.builds(
    lambda whole, frac: f"{whole}{frac}",
    st.one_of(st.integers(min_value=0, max_value=10**5), st.integers(min_value=0, max_value=10**30)).map(str),
    st.sampled_from(["", ".0", ".5", ".25", ".125", ".00"]),
)
DIRECTIONS = st.sampled_from([("增加", "增长"), ("减少", "下降"), ("增加", "下降"), ("增加（减少）", "增长（下降）")])


@st.composite
def sentences(draw) -> str:
    out = [draw(SUBJECTS), " ", draw(NUMBERS), draw(st.sampled_from([" 万元", "万元", " 元", " 亿元"]))]
    if draw(st.booleans()):
        amount_word, rate_word = draw(DIRECTIONS)
        out += ["，", draw(st.sampled_from(["较上年", "较年初预算数", "比2020年", "较上年决算数"])), amount_word, " ", draw(NUMBERS), " 万元"]
        if draw(st.booleans()):
            out += ["，", rate_word, " ", draw(NUMBERS), "%"]
    if draw(st.booleans()):
        out += ["，占 ", draw(NUMBERS), "%"]
    if draw(st.booleans()):
        parts = draw(st.lists(st.tuples(SUBJECTS, NUMBERS), min_size=1, max_size=4))
        out += ["，其中："] + ["；".join(f"{name} {value} 万元" for name, value in parts)]
    if draw(st.booleans()):
        items = draw(st.lists(st.tuples(SUBJECTS, DIRECTIONS, NUMBERS), min_size=1, max_size=3))
        markers = ["一是", "二是", "三是"]
        out += ["，主要原因"] + ["；".join(f"{markers[i]}{name}{d[0]} {value} 万元" for i, (name, d, value) in enumerate(items))]
    out.append(draw(st.sampled_from(["。", "；", "", "\n"])))
    return "".join(out)


@st.composite
def tables(draw) -> str:
    rows = draw(st.lists(st.tuples(st.sampled_from(["208", "20801", "2080101", "20802", "合计", "301", "30101"]), SUBJECTS,
                                   NUMBERS, NUMBERS, NUMBERS), min_size=1, max_size=8))
    title = draw(st.sampled_from(["一般公共预算财政拨款支出决算表", "收入支出决算总表", "支出决算表", "“三公”经费支出表"]))
    body = "\n".join("\t".join(row) for row in rows)
    return f"{title}\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n{body}\n"


REPORTISH = st.lists(st.one_of(sentences(), sentences(), tables(), PIECES, NUMBERS), min_size=1, max_size=25).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORTISH)
def test_reportish_text_never_crashes_and_is_deterministic(text):
    first = check_or_input_error(text, what=repr(text[:80]))
    if first is not None:
        assert _signature(check_text(text)) == _signature(first)


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_any_text_never_crashes(text):
    check_or_input_error(text, what=repr(text[:80]))


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=1, max_size=2000))
def test_any_bytes_never_crash(data):
    check_or_input_error(data, what=repr(data[:40]))


def test_findings_do_not_depend_on_the_hash_seed():
    """Two processes with different PYTHONHASHSEED print byte-identical JSON for one report."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        run = subprocess.run(
            [sys.executable, "-m", "narrative_check", "check", "--format", "json", "--exit-zero", str(FINAL_2021)],
            capture_output=True, env=env, cwd=ROOT, timeout=120,
        )
        assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
        outputs.append(run.stdout)
    assert outputs[0] and outputs[0] == outputs[1]


REGRESSIONS = ROOT / "tests" / "fuzz" / "regressions"


@pytest.mark.parametrize("name", sorted(p.name for p in REGRESSIONS.iterdir()))
def test_inputs_the_coverage_guided_fuzzer_crashed_on(name):
    """Each input atheris once crashed on (tests/fuzz/fuzz_check.py), run as it ran it: a report
    with exact quotes or an InputError.
    pdf-nan-glyph-box: a glyph drawn through a degenerate matrix had a NaN box, and the PDF's
    margins could not be rounded.
    lex003-code-in-a-label-cell: a code read from a '2080101 行政运行' cell of a table without a
    code column, listed under a parent it does not belong to: LEX003 looked for a code column."""
    sys.path.insert(0, str(REGRESSIONS.parent))
    from targets import check_one

    with hang_guard(what=name):
        check_one((REGRESSIONS / name).read_bytes())
