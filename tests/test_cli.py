from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import BUDGET_2024, FINAL_2021
from narrative_check.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, cli


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_clean_report_exits_zero():
    result = run("check", BUDGET_2024)
    assert result.exit_code == EXIT_CLEAN, result.output


def test_errors_exit_one_with_location_and_quote():
    result = run("check", FINAL_2021, "--select", "ARI")
    assert result.exit_code == EXIT_FINDINGS
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{FINAL_2021}:61:") and " ARI001 error " in first
    assert "> " in result.stdout.splitlines()[1]


def test_exit_zero_and_select_ignore():
    assert run("check", FINAL_2021, "--exit-zero").exit_code == EXIT_CLEAN
    assert run("check", FINAL_2021, "--select", "ARI", "--ignore", "ARI001,ARI002").exit_code == EXIT_CLEAN
    assert run("check", FINAL_2021, "--select", "ARI", "--ignore", "ARI00").exit_code == EXIT_CLEAN
    assert run("check", FINAL_2021, "--ignore", "ARI", "--select", "ARI002").exit_code == EXIT_FINDINGS


def test_json_shape(tmp_path):
    out = tmp_path / "r.json"
    result = run("check", FINAL_2021, BUDGET_2024, "--format", "json", "--output", out)
    assert result.exit_code == EXIT_FINDINGS
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["file"] for r in data["reports"]] == [str(FINAL_2021), str(BUDGET_2024)]
    report = data["reports"][0]
    finding = report["findings"][0]
    for key in ("rule", "severity", "message", "start", "end", "line", "column", "quote", "stated", "expected", "related"):
        assert key in finding
    claim = report["claims"][0]
    for key in ("kind", "start", "end", "quote"):
        assert key in claim
    assert set(report["stats"]) >= {"claims_found", "claims_checked", "claims_not_checked", "not_checked_reasons"}


def test_bad_input_exits_two_without_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    latin = tmp_path / "big5.txt"
    latin.write_bytes("收入總計".encode("big5") + b"\xff\xfe\xfa")
    for path in (empty, binary, latin, tmp_path / "missing.txt"):
        result = run("check", path)
        assert result.exit_code == EXIT_USAGE, path
        assert "Traceback" not in result.output
        assert str(path) in result.stderr


def test_rules_listing_and_explain():
    result = run("rules")
    assert result.exit_code == 0 and "ARI001" in result.stdout and "ARI010" in result.stdout
    explained = run("rules", "--explain", "ari002", "--lang", "en")
    assert "Why it matters" in explained.stdout
    assert run("rules", "--explain", "XYZ999").exit_code == EXIT_USAGE


def test_usage_error_exits_two():
    assert run("check").exit_code == EXIT_USAGE
    assert run("check", FINAL_2021, "--format", "nope").exit_code == EXIT_USAGE


def test_check_files_is_what_check_prints(tmp_path):
    from narrative_check import check_files
    from narrative_check.baseline import Baseline

    result = check_files([FINAL_2021, BUDGET_2024])
    printed = json.loads(run("check", FINAL_2021, BUDGET_2024, "--format", "json").stdout)["reports"]
    assert [[(f.rule, f.line) for f in r.findings] for r in result.reports] == \
        [[(f["rule"], f["line"]) for f in r["findings"]] for r in printed]
    assert result.has_errors and len(result.baseline_entries) == sum(len(r.findings) for r in result.reports)
    quiet = check_files([FINAL_2021, BUDGET_2024], baseline=Baseline(result.baseline_entries))
    assert not quiet.has_errors and not any(r.findings for r in quiet.reports) and quiet.baseline_unmatched == []
    assert len(quiet.baseline_entries) == len(result.baseline_entries)  # before the baseline took them away


def test_unwritable_output_exits_two(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = run("check", FINAL_2021, "--output", blocker / "out.txt")
    assert result.exit_code == EXIT_USAGE and "E020" in result.stderr and "Traceback" not in result.output


def test_output_naming_an_input_is_a_usage_error_and_the_input_is_untouched(tmp_path):
    report = tmp_path / "report.txt"
    report.write_bytes(BUDGET_2024.read_bytes())
    other_spelling = tmp_path / "sub" / ".." / "report.txt"
    (tmp_path / "sub").mkdir()
    for target in (report, other_spelling):
        for flag in ("--output", "--write-baseline"):
            result = run("check", str(report), flag, str(target))
            assert result.exit_code == EXIT_USAGE
            assert "is one of the inputs" in result.output
    assert report.read_bytes() == BUDGET_2024.read_bytes()


def test_check_ends_without_teardown_yet_its_output_is_whole(tmp_path):
    """`check` ends the process with os._exit once done: what it printed and wrote must all be
    there, and the exit code be the command's."""
    import subprocess
    import sys

    written = tmp_path / "written.json"
    base = [sys.executable, "-m", "narrative_check", "check", "--format", "json", str(FINAL_2021), str(BUDGET_2024)]
    printed = subprocess.run(base, capture_output=True, timeout=120)
    to_file = subprocess.run([*base, "--output", str(written)], capture_output=True, timeout=120)
    assert printed.returncode == to_file.returncode == EXIT_FINDINGS, printed.stderr
    assert len(printed.stdout) > 1_000_000  # far more than a pipe or a stream buffer holds
    assert json.loads(printed.stdout) == json.loads(written.read_bytes())
    assert printed.stderr.decode().startswith("2 个文件：") and printed.stderr.decode().endswith("条\n")  # whole, one line
    usage = subprocess.run([sys.executable, "-m", "narrative_check", "check", "--format", "docx", str(FINAL_2021)],
                           capture_output=True, timeout=120)
    assert usage.returncode == EXIT_USAGE and b"give --output FILE" in usage.stderr
