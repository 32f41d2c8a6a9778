"""Hostile input: check_text raises nothing but InputError, and never hangs.

Every case runs under a generous alarm (HANG_SECONDS): that is a hang guard, not a timing test
— a case that trips it is a loop or a backtracking regex gone quadratic, not a slow machine.
The shapes below are the ones that broke the pipeline before: a figure with hundreds of digits
(InvalidOperation when a message rounded it), a 240,000-character '123,123,…' (a thousands
look-behind re-reading every group), thousands of '占 1%' or '较上年增加' clauses after one
amount, and a 30,000-line table (a children scan per line).
"""

from __future__ import annotations

import contextlib
import random
import re
import signal

import pytest

from conftest import BUDGET_2024, FINAL_2021
from narrative_check import check_text
from narrative_check.errors import InputError

HANG_SECONDS = 20


@contextlib.contextmanager
def hang_guard(seconds: int = HANG_SECONDS, what: str = ""):
    """Fail (not error) when the body runs longer than `seconds`."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - Windows
        yield
        return

    def on_alarm(signum, frame):
        pytest.fail(f"no result after {seconds} s: {what}", pytrace=False)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check_or_input_error(data, what: str = ""):
    """check_text's report for `data`, or None when it is refused with an InputError."""
    with hang_guard(what=what):
        try:
            report = check_text(data)
        except InputError:
            return None
    _assert_quotes_exact(data, report)
    return report


def _assert_quotes_exact(data, report) -> None:
    """Offsets index the decoded text, which keeps the input's length (a lone CR reads as a line break)."""
    text = report.text
    if isinstance(data, str):
        assert text is not None and len(text) == len(data)
    for item in [*report.claims, *report.findings]:
        assert text[item.start : item.end] == item.quote, item


FINAL = FINAL_2021.read_text(encoding="utf-8")
BUDGET = BUDGET_2024.read_text(encoding="utf-8")
SOURCES = {"final": FINAL, "budget": BUDGET}

JUNK = ["—", "－", "１２３．４５", "1e308", "NaN", "（12.5）", "−5", "壹佰", "-", "Infinity", "9" * 400,
        "0.0000000001", "1,2,3", "１，２３４．５", "(5)", "12.5%", "5万元", "٣٤٥", "𝟙𝟚𝟛", "½", "Ⅻ", "+5", "--5", ".5", "5."]
_TABLE_NUMBER = re.compile(r"(?<=\t)\d[\d,]*(?:\.\d+)?(?=\t|\r?\n)")
_TABLE_CELL = re.compile(r"(?<=\t)[^\t\n]+(?=\t|\r?\n)")
_NARRATIVE_MONEY = re.compile(r"\d[\d,]*(?:\.\d+)?(?= ?万元)")
_NARRATIVE_PERCENT = re.compile(r"\d+(?:\.\d+)?(?=%)")


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_every_table_number(source, junk):
    check_or_input_error(_TABLE_NUMBER.sub(lambda m: junk, SOURCES[source]), f"{source} table cells → {junk[:12]}")


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_some_cells_and_in_the_narrative(junk):
    rng = random.Random(junk)
    text = _TABLE_CELL.sub(lambda m: junk if rng.random() < 0.3 else m.group(), FINAL)
    text = _NARRATIVE_MONEY.sub(lambda m: junk if rng.random() < 0.3 else m.group(), text)
    text = _NARRATIVE_PERCENT.sub(lambda m: junk if rng.random() < 0.3 else m.group(), text)
    check_or_input_error(text, f"junk {junk[:12]}")


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_truncated_reports(source):
    text = SOURCES[source]
    for cut in range(1, len(text), max(1, len(text) // 12)):
        check_or_input_error(text[:cut], f"{source}[:{cut}]")
        check_or_input_error(text[cut:], f"{source}[{cut}:]")


def test_truncated_bytes_mid_character():
    data = FINAL.encode("utf-8")
    for cut in (1, 2, 1001, 5002, len(data) // 2 + 1, len(data) - 1):
        check_or_input_error(data[:cut], f"bytes[:{cut}]")
    gb = BUDGET.encode("gb18030")
    check_or_input_error(gb[: len(gb) // 2 + 1], "gb18030 cut")


@pytest.mark.parametrize("seed", range(6))
def test_shuffled_lines(seed):
    rng = random.Random(seed)
    lines = rng.choice([FINAL, BUDGET]).split("\n")
    rng.shuffle(lines)
    check_or_input_error("\n".join(lines), f"shuffled {seed}")


DENSE_CLAIMS = "收入 9909.15 万元，较上年增加 1 万元，增长 1%，"
LARGE = {
    "100,000 tabs": "\t" * 100_000,
    "100,000 tabs after a sentence": "收入 9909.15 万元。\n" + "\t" * 100_000,
    "200,000-character line of Han": "一" * 200_000,
    "200,000-character line of digits": "收入" + "1" * 200_000 + "万元",
    "200,000-character percentage": "增长 " + "1" * 200_000 + "%",
    "200,000-character line of claims": "收入" + DENSE_CLAIMS * (200_000 // len(DENSE_CLAIMS)),
    "240,000-character thousands run": "收入 " + ",".join(["123"] * 60_000) + " 万元",
    "120,000-character decimal run": "收入 " + "1." * 60_000 + " 万元",
    "一是 × 30,000": "主要原因" + "一是" * 30_000,
    "一是 with amounts × 30,000": "收入 5 万元，较上年增加 1 万元，增长 25%，主要原因" + "一是人员经费增加 1 万元；" * 30_000,
    "（一） × 30,000": "（一）" * 30_000,
    "一、 lines × 30,000": "一、\n" * 30_000,
    "其中 parts × 30,000": "支出 5 万元，其中：" + "基本支出 1 万元，" * 30_000,
    "占 × 30,000 after one amount": "支出 5 万元，" + "占 1%，" * 30_000,
    "其中 parts with shares × 10,000": "支出 5 万元，其中：" + "基本支出 1 万元，占 1%，" * 10_000,
    "较上年 × 20,000 after one amount": "收入 5 万元" + "，较上年增加 1 万元，增长 25%" * 20_000,
    "较上年 × 50,000 alone": "较上年" * 50_000,
    "增加 × 100,000": "增加" * 100_000,
    "人均 × 30,000": "人均" * 30_000 + "5 万元",
    "（ × 100,000": "（" * 100_000,
    "% × 200,000": "%" * 200_000,
    "万元 × 100,000": "万元" * 100_000,
    "# × 100,000": "# " + "#" * 100_000,
    "200,000 line breaks": "\n" * 200_000 + "说明",
    "200,000 carriage returns": "\r" * 200_000 + "说明",
    "40,000 figures": " ".join(["1.5 万元"] * 40_000),
    "table 20,000 columns wide": "收入支出决算总表\n单位：万元\n" + "\t".join(["1"] * 20_000) + "\n" + "\t".join(["2"] * 20_000),
    "table 10,000 lines of one parent": "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\n"
    + "".join(f"208{i % 100:02d}\t名称\t{i}.00\n" for i in range(10_000)),
    "table 10,000 lines of sibling codes": "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\n208\t社会保障和就业支出\t1\n"
    + "".join(f"208{i:02d}\t名称\t{i}.00\n" for i in range(100)) * 100,
    "report × 8": FINAL * 8,
}


@pytest.mark.parametrize("name", list(LARGE))
def test_large_and_repetitive_input(name):
    check_or_input_error(LARGE[name], name)


# Text within max_chars made almost entirely of what the pipeline works on: each cost ten times
# more per character than a report, and ran 9 to 24 seconds at 1.9 million characters before
# the line and token limits refused it.
DENSE = {
    "一、 lines": ("收入 5 万元。\n", "一、\n"),
    "table rows": ("一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\n", "20801\t名称\t1.00\n"),
    "较上年 alone": ("", "较上年"),
    "较上年 after one amount": ("收入 5 万元", "，较上年增加 1 万元，增长 25%"),
    "一是 with amounts": ("收入 5 万元，较上年增加 1 万元，增长 25%，主要原因", "一是人员经费增加 1 万元；"),
    "占 after one amount": ("支出 5 万元，", "占 1%，"),
    "sentences": ("", "收入 5 万元。"),
}


@pytest.mark.parametrize("name", list(DENSE))
def test_text_dense_with_lines_or_tokens_is_refused_before_the_work(name):
    head, unit = DENSE[name]
    text = head + unit * ((1_900_000 - len(head)) // len(unit))
    with hang_guard(what=name):
        with pytest.raises(InputError) as info:
            check_text(text)
    assert info.value.code.value == "E004"
    assert "lines" in info.value.message or "tokens" in info.value.message


def test_a_file_binding_twenty_reports_is_within_the_limits():
    """The limits sit far above real input: twenty copies of the 2021 report (17,600 lines,
    21,000 tokens) are checked, not refused."""
    with hang_guard(what="twenty bound reports"):
        report = check_text(FINAL * 20)
    assert len(report.claims) == 20 * len(check_text(FINAL).claims)


def test_huge_figures_are_reported_not_crashed():
    """A 400-digit figure in a table or the text must come out as a finding, not InvalidOperation."""
    big = "9" * 400
    text = _TABLE_NUMBER.sub(lambda m: big if m.start() % 3 == 0 else m.group(), FINAL)
    report = check_or_input_error(text, "400-digit cells")
    assert report is not None and report.findings
    report = check_or_input_error(_NARRATIVE_PERCENT.sub(big, FINAL), "400-digit percentages")
    assert report is not None and any(f.rule.startswith("ARI") for f in report.findings)


@pytest.mark.parametrize("seed", range(8))
def test_random_bytes_and_control_characters(seed):
    rng = random.Random(seed)
    check_or_input_error(rng.randbytes(rng.randrange(1, 20_000)), f"random bytes {seed}")
    noise = "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 5_000)))
    check_or_input_error(noise, f"random characters {seed}")


@pytest.mark.parametrize("line_end", ["\r", "\r\n"])
def test_other_line_ends_read_like_newlines(line_end):
    """A CR-only report was read as one line: no claim, no table, and no finding — a false clean."""
    plain = check_text(FINAL)
    report = check_or_input_error(FINAL.replace("\n", line_end), repr(line_end))
    assert report is not None
    assert [(f.rule, f.line) for f in report.findings] == [(f.rule, f.line) for f in plain.findings]
    assert len(report.claims) == len(plain.claims) and len(report.tables) == len(plain.tables)
