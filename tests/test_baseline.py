"""Baselines: known findings, matched by fingerprint as a multiset, not reported again."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import FINAL_2021
from narrative_check.baseline import Baseline, BaselineEntry, entry_for, load_baseline
from narrative_check.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, cli
from narrative_check.models.findings import Finding, Report


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def finding(quote: str, line: int = 1) -> Finding:
    return Finding(rule="ARI001", name="percent-change-mismatch", severity="error", message="m", start=line * 10,
                   end=line * 10 + 3, line=line, column=1, quote=quote, sentence=f"句子{quote}")


def test_written_baseline_silences_the_report(tmp_path):
    path = tmp_path / "baseline.json"
    first = run("check", FINAL_2021, "--write-baseline", path)
    assert first.exit_code == EXIT_FINDINGS
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = data["findings"]
    assert len(entries) > 15 and {"fingerprint", "rule", "quote", "file", "line"} <= set(entries[0])
    again = run("check", FINAL_2021, "--baseline", path, "--format", "json")
    assert again.exit_code == EXIT_CLEAN, again.stderr
    report = json.loads(again.stdout)["reports"][0]
    assert report["findings"] == []
    assert sorted(report["stats"]["baseline_suppressed"]) == sorted(e["fingerprint"] for e in entries)
    assert "no longer match" not in again.stderr


def test_matching_ignores_offsets_but_not_the_quote():
    base = Baseline([entry_for(finding("增长 30.1%", line=5), "a.txt")])
    moved = Report(file="a.txt", findings=[finding("增长 30.1%", line=50)])
    base.suppress(moved)
    assert moved.findings == [] and len(moved.stats.baseline_suppressed) == 1
    base = Baseline([entry_for(finding("增长 30.1%"), "a.txt")])
    changed = Report(file="a.txt", findings=[finding("增长 30.2%")])
    base.suppress(changed)
    assert len(changed.findings) == 1


def test_a_multiset_two_identical_findings_need_two_entries():
    twice = [finding("增长 30.1%"), finding("增长 30.1%")]
    one = Baseline([entry_for(twice[0], "a.txt")])
    report = Report(file="a.txt", findings=list(twice))
    one.suppress(report)
    assert len(report.findings) == 1
    two = Baseline([entry_for(f, "a.txt") for f in twice])
    report = Report(file="a.txt", findings=list(twice))
    two.suppress(report)
    assert report.findings == [] and two.unmatched() == []


def test_stale_entries_are_reported_for_the_files_checked(tmp_path):
    path = tmp_path / "baseline.json"
    run("check", FINAL_2021, "--select", "ARI", "--write-baseline", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    gone = {"fingerprint": "0" * 20, "rule": "ARI001", "file": str(FINAL_2021), "line": 3, "quote": "已删去"}
    elsewhere = dict(gone, fingerprint="1" * 20, file="not-checked.txt")
    data["findings"] += [gone, elsewhere]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("check", FINAL_2021, "--select", "ARI", "--baseline", path, "--format", "json")
    assert result.exit_code == EXIT_CLEAN
    assert "1 baseline entries no longer match" in result.stderr
    report = json.loads(result.stdout)["reports"][0]
    assert report["stats"]["baseline_unmatched"] == ["0" * 20]


def test_bad_baseline_is_a_usage_error(tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run("check", FINAL_2021, "--baseline", bad)
    assert result.exit_code == EXIT_USAGE and "E016" in result.stderr
    assert run("check", FINAL_2021, "--baseline", tmp_path / "missing.json").exit_code == EXIT_USAGE


def test_round_trip(tmp_path):
    from narrative_check.baseline import write_baseline

    entries = [BaselineEntry(fingerprint="f" * 20, rule="CON001", file="x.txt", line=2, quote="收入总计")]
    write_baseline(tmp_path / "b.json", entries)
    assert load_baseline(tmp_path / "b.json").unmatched() == entries


def test_bad_entries_and_unknown_versions_are_named(tmp_path):
    import pytest

    from narrative_check.errors import InputError, InputErrorCode

    bad = tmp_path / "b.json"
    for data, named in (({"findings": [{"rule": "ARI001"}]}, "'findings.0.fingerprint': Field required"),
                        ({"narrative_check_baseline": 2, "findings": []}, "version 2")):
        bad.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(InputError) as exc:
            load_baseline(bad)
        assert exc.value.code == InputErrorCode.BAD_BASELINE and named in exc.value.message
        assert "validation error for" not in exc.value.message


def test_reports_and_scan_lines_are_suppressed_alike():
    from narrative_check.scan import report_line

    findings = [finding("甲"), finding("乙", 2), finding("甲", 3)]
    entries = [entry_for(findings[0], "a.txt"), entry_for(findings[1], "a.txt")]
    report = Report(file="a.txt", findings=findings)
    line = report_line(report)
    Baseline(entries).suppress(report)
    kept, suppressed = Baseline(entries).split("a.txt", line["findings"], lambda f: f["fingerprint"])
    assert [f["quote"] for f in kept] == [f.quote for f in report.findings] == ["甲"]
    assert suppressed == report.stats.baseline_suppressed
    assert report.stats.findings_by_severity == {"error": 1}


def test_unwritable_baseline_is_a_usage_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = run("check", FINAL_2021, "--select", "ARI", "--write-baseline", blocker / "b.json")
    assert result.exit_code == EXIT_USAGE and "E020" in result.stderr and "Traceback" not in result.output


TWO_SLIPS = ("公用经费 430.82 万元，较上年决算数增加 99.8 万元，增长 31.1%；"
             "人员经费 1217.20 万元，较2020年的 1746.45 万元减少 539.25 万元。\n")


def test_fixing_one_figure_keeps_the_sentence_s_other_accepted_finding(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(TWO_SLIPS, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert run("check", report, "--write-baseline", baseline).exit_code == EXIT_FINDINGS
    accepted = [e["rule"] for e in json.loads(baseline.read_text(encoding="utf-8"))["findings"]]
    assert {"ARI001", "ARI005"} <= set(accepted)
    # the editor mends the amount ARI005 named; ARI001's sentence is now another string, and the
    # RSN007 of the mended change quotes the mended figure
    report.write_text(TWO_SLIPS.replace("539.25", "529.25"), encoding="utf-8")
    again = run("check", report, "--baseline", baseline, "--format", "json")
    assert again.exit_code == EXIT_CLEAN, again.stdout
    stats = json.loads(again.stdout)["reports"][0]["stats"]
    assert len(stats["baseline_suppressed"]) == len(accepted) - 1 and len(stats["baseline_unmatched"]) == 1


def test_an_edited_sentence_is_matched_only_in_its_own_file_and_when_it_still_reads_the_same():
    accepted = Finding(rule="ARI001", name="n", severity="error", message="m", start=0, end=9, line=1, column=1,
                       quote="增长 31.1%", sentence="公用经费 430.82 万元，较上年决算数增加 99.8 万元，增长 31.1%；人员经费减少 539.25 万元。")
    edited = accepted.model_copy(update={"sentence": accepted.sentence.replace("539.25", "529.25")})
    assert edited.fingerprint() != accepted.fingerprint()
    for file, sentence, suppressed in (("a.txt", edited.sentence, True), ("b.txt", edited.sentence, False),
                                       ("a.txt", "本年度公用经费支出有所增长，增长 31.1%，主要用于办公设备购置和信息化建设。", False)):
        report = Report(file=file, findings=[edited.model_copy(update={"sentence": sentence})])
        Baseline([entry_for(accepted, "a.txt")]).suppress(report)
        assert (report.findings == []) is suppressed, (file, sentence)


def test_an_exact_match_is_never_taken_by_an_edited_one():
    first = finding("增长 30.1%")
    second = first.model_copy(update={"sentence": first.sentence + "另"})
    base = Baseline([entry_for(first, "a.txt")])
    report = Report(file="a.txt", findings=[second, first])
    base.suppress(report)
    assert report.findings == [second]
