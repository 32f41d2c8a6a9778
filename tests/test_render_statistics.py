from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from conftest import BUDGET_2024, FINAL_2021
from narrative_check.cli import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, cli
from narrative_check.render.statistics import counts


def run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_counts_per_rule(final_report, budget_report):
    rows = counts([final_report, budget_report])
    expected = Counter((f.rule, f.name, f.severity) for f in final_report.findings)
    assert {(r["code"], r["name"], r["severity"]): r["count"] for r in rows} == expected
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    assert counts([budget_report]) == []


def test_cli_statistics_text_and_json(final_report):
    text = run("check", FINAL_2021, "--statistics")
    assert text.exit_code == EXIT_FINDINGS
    lines = text.stdout.splitlines()
    assert len(lines) == len({(f.rule, f.severity) for f in final_report.findings})
    count, code, name, severity = lines[0].split()
    assert int(count) == max(Counter(f.rule for f in final_report.findings).values())
    assert " > " not in text.stdout  # the findings themselves are not listed
    data = json.loads(run("check", FINAL_2021, "--statistics", "--format", "json").stdout)
    assert sum(row["count"] for row in data) == len(final_report.findings)
    assert run("check", BUDGET_2024, "--statistics").exit_code == EXIT_CLEAN


def test_statistics_only_in_text_or_json():
    result = run("check", FINAL_2021, "--statistics", "--format", "sarif")
    assert result.exit_code == EXIT_USAGE and "--statistics" in result.output
