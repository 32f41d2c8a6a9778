"""Issue 13, in the editor's language: Chinese by default, English with --lang en.

Rule documentation, the summaries, the labels of stated and expected values and the reasons a
claim is not checked follow the language; finding messages stay Chinese (they quote the report).
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
import regex
import yaml
from click.testing import CliRunner

from conftest import BUDGET_2024, FINAL_2021
from narrative_check import Settings, check_text, not_checked
from narrative_check.cli import EXIT_FINDINGS, EXIT_USAGE, cli
from narrative_check.not_checked import CATALOGUE, CLAIM_KINDS, KIND_NOT_CHECKABLE, Reason, Term
from narrative_check.lang import SEVERITY_WORDS
from narrative_check.read.text import parse_text
from narrative_check.rules import all_rules
from narrative_check.rules.base import RuleContext, explain

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "rules"
SLIPPED = "2021年度收入总计9909.15万元，较上年决算数减少1863.3万元，下降15.80%。"  # 15.83%


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


# ---- rule documentation ---------------------------------------------------------------------


def test_explain_gives_the_chinese_sections_by_default_and_the_english_ones_on_request():
    rule = all_rules()["CON001"]
    assert [h for h, _ in explain(rule)] == ["检查内容：", "为何重要：", "示例：", "改为："]
    assert [h for h, _ in explain(rule, "en")] == ["What it checks:", "Why it matters:", "Example:", "Instead:"]
    # the English section ends where the Chinese ones begin
    assert "检查内容" not in dict(explain(rule, "en"))["Instead:"]


def test_a_rule_not_yet_written_in_chinese_is_explained_in_english():
    class Untranslated:
        """What it checks:
        a.

        Why it matters:
        b.

        Example:
        c.

        Instead:
        d.
        """

    assert explain(Untranslated, "zh") == explain(Untranslated, "en") == [
        ("What it checks:", "a."), ("Why it matters:", "b."), ("Example:", "c."), ("Instead:", "d.")]


def test_rules_explain_prints_chinese_by_default_english_with_lang_en():
    zh = run("rules", "--explain", "rsn007")
    assert zh.exit_code == 0
    assert "检查内容：\n决算说明中" in zh.stdout and "What it checks" not in zh.stdout and "(警告)" in zh.stdout
    en = run("rules", "--explain", "RSN007", "--lang", "en")
    assert "What it checks:\nIn a 决算 说明" in en.stdout and "检查内容" not in en.stdout and "(warning)" in en.stdout
    cross = run("rules", "--explain", "CON010")
    assert "检查内容：" in cross.stdout and "改为：" in cross.stdout


def test_the_rule_list_shows_the_chinese_summary_and_in_english_the_name_only():
    zh = run("rules").stdout.splitlines()
    every = all_rules()
    assert len(zh) == len(every)
    for line, (code, rule) in zip(zh, every.items()):
        assert line.startswith(code) and SEVERITY_WORDS["zh"][rule.severity] in line and line.endswith(rule.summary)
    en = run("rules", "--lang", "en").stdout.splitlines()
    assert [line.split() for line in en] == [[code, rule.name, rule.severity] for code, rule in every.items()]


def test_lang_comes_from_the_configuration_file_and_a_bad_value_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "narrative-check.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert "What it checks:" in run("rules", "--explain", "CON001").stdout
    assert "检查内容：" in run("rules", "--explain", "CON001", "--lang", "zh").stdout  # the flag wins
    (tmp_path / "narrative-check.toml").write_text('lang = "fr"\n', encoding="utf-8")
    bad = run("rules")
    assert bad.exit_code == EXIT_USAGE and "lang" in bad.stderr and "Traceback" not in bad.output
    assert run("check", FINAL_2021, "--lang", "fr").exit_code == EXIT_USAGE


# ---- summaries and labels -------------------------------------------------------------------


def test_check_summary_and_labels_follow_lang(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(SLIPPED, encoding="utf-8")
    zh = run("check", report)
    assert zh.exit_code == EXIT_FINDINGS
    assert zh.stderr.startswith("1 个文件：1 个错误") and "file(s)" not in zh.stderr
    assert "文中: 15.80%   应为: 15.83%" in zh.stdout
    en = run("check", report, "--lang", "en")
    assert en.stderr.startswith("1 file(s): 1 error(s)") and "个文件" not in en.stderr
    assert "stated: 15.80%   expected: 15.83%" in en.stdout
    assert [line for line in zh.stdout.splitlines() if "ARI001" in line] == [
        line for line in en.stdout.splitlines() if "ARI001" in line]  # the message itself stays Chinese
    github = run("check", report, "--lang", "en", "--format", "github").stdout
    assert "stated：15.80%" in github
    sarif = json.loads(run("check", report, "--lang", "en", "--format", "sarif").stdout)
    assert "stated：15.80%" in sarif["runs"][0]["results"][0]["message"]["text"]


def test_statistics_say_the_severity_in_the_language():
    zh = run("check", FINAL_2021, "--statistics").stdout.splitlines()
    en = run("check", FINAL_2021, "--statistics", "--lang", "en").stdout.splitlines()
    assert {line.split()[-1] for line in zh} <= {"错误", "警告", "提示"}
    assert {line.split()[-1] for line in en} <= {"error", "warning", "info"}
    assert [line.split()[:3] for line in zh] == [line.split()[:3] for line in en]
    assert run("check", FINAL_2021, "--statistics", "--format", "json", "--lang", "en").stdout == \
        run("check", FINAL_2021, "--statistics", "--format", "json").stdout  # data, not words


@pytest.mark.parametrize("lang, words", [("zh", ["批量核验", "各规则发现的问题", "问题最多的文件", "无法核验的文件", "错误"]),
                                         ("en", ["scan", "findings per rule", "files with the most findings",
                                                 "files that could not be checked", "error"])])
def test_the_scan_summary_follows_lang(lang, words):
    from rich.console import Console

    from narrative_check.scan import ScanSummary, print_summary

    summary = ScanSummary(files=2, checked=1, reports=1, findings_by_file={"a.txt": Counter(error=1)},
                          findings_by_rule={"ARI001": 1}, files_by_rule={"ARI001": 1},
                          findings_by_severity={"error": 1}, failures=[{"file": "b.txt", "error": "b.txt: E001 empty"}])
    console = Console(file=io.StringIO(), width=200)
    print_summary(summary, console, lang)
    shown = "".join(console.file.getvalue().split())  # however the titles wrap
    assert all("".join(word.split()) in shown for word in words), shown
    assert not regex.search(r"\p{Han}", shown) if lang == "en" else "findings" not in shown


def test_scan_takes_lang(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(SLIPPED, encoding="utf-8")
    result = run("scan", tmp_path / "in", "-o", tmp_path / "out.jsonl", "-j", "1", "--lang", "en")
    assert result.exit_code == EXIT_FINDINGS and "findings per rule" in result.stderr
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert set(line["stats"]["not_checked_reasons"]) <= {r.en for r in CATALOGUE.values()} | _kind_texts("en")


# ---- not-checked reasons --------------------------------------------------------------------


def _kind_texts(lang: str) -> set[str]:
    return {KIND_NOT_CHECKABLE(kind=kind).text(lang) for kind in CLAIM_KINDS.values()}


def _catalogued(lang: str) -> set[str]:
    return {reason.text(lang) for reason in CATALOGUE.values() if not reason.fields} | _kind_texts(lang)


def _texts():
    for path in sorted(FIXTURES.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            yield from (case[k] for k in ("pass", "fail") if k in case)
    for path in (FINAL_2021, BUDGET_2024):
        yield path.read_text(encoding="utf-8")


def test_every_reason_given_while_checking_the_corpus_and_the_fixtures_is_catalogued():
    reasons: dict[str, set[str]] = {"zh": set(), "en": set()}
    for text in _texts():
        stats = check_text(text).stats
        reasons["zh"] |= set(stats.not_checked_reasons) | set(stats.amounts_not_linked)
    english = check_text(FINAL_2021.read_text(encoding="utf-8"), settings=Settings(lang="en")).stats
    reasons["en"] |= set(english.not_checked_reasons) | set(english.amounts_not_linked)
    assert len(reasons["zh"]) >= 10
    assert reasons["zh"] <= _catalogued("zh")
    assert reasons["en"] and reasons["en"] <= _catalogued("en")
    assert all(regex.search(r"\p{Han}", reason) for reason in reasons["zh"])


def test_no_free_string_marks_a_claim_unclear_or_skipped():
    """Every `unclear` set, every `skip(…)` and every unlinked reason names a catalogue entry."""
    sources = [p for p in (ROOT / "narrative_check").rglob("*.py") if p.name != "not_checked.py"]
    places = regex.compile(r"(?:\bunclear\s*=(?!=)|\.skip\(|\bwhy\[[^\]]+\]\s*=(?!=)|return)\s*(?P<value>[^\n]*)")
    offending = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for m in places.finditer(text):
            value = m["value"]
            if m.group().startswith("return") and "not_checked." not in value:
                continue  # returns elsewhere are not reasons
            if regex.search(r"[\"']", value):
                offending.append(f"{path.name}: {m.group().strip()}")
    assert offending == []
    with pytest.raises(TypeError):
        RuleContext(doc=parse_text(SLIPPED), claims=[], settings=Settings()).skip(object(), "free text")


def test_a_reason_with_a_variable_part_renders_it_in_each_language():
    reason = KIND_NOT_CHECKABLE(kind=not_checked.claim_kind("per_unit"))
    assert reason.text("zh") == "平均数类表述无法核验" and reason.text("en") == "per_unit not checkable"
    with pytest.raises(TypeError):
        KIND_NOT_CHECKABLE(colour=Term("红", "red"))
    with pytest.raises(ValueError):
        Reason("{a} 无法核验", "{b} not checkable")  # the two texts must name the same fields
    assert not_checked.unclear_reason(not_checked.ONE_OF_SEVERAL_FIGURES.zh) is not_checked.ONE_OF_SEVERAL_FIGURES


def test_sarif_rule_help_carries_both_languages_chinese_first():
    from narrative_check.render.sarif import sarif_log

    rules = {rule["id"]: rule for rule in sarif_log([])["runs"][0]["tool"]["driver"]["rules"]}
    help_text = rules["CON001"]["help"]["text"]
    assert help_text.index("检查内容：") < help_text.index("改为：") < help_text.index("What it checks:")
    assert rules["CON001"]["fullDescription"]["text"] == dict(explain(all_rules()["CON001"]))["检查内容："]
    assert "**示例**\n\n```\n" in rules["CON001"]["help"]["markdown"]
