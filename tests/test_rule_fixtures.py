"""Every rule's pass and fail cases, from tests/fixtures/rules/CODE.yml.

`pytest -k ARI001` runs one rule's cases. A fail case must produce a finding of
its rule; a pass case must produce none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from narrative_check import Settings, check_text

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _cases():
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            outcome = "fail" if "fail" in case else "pass"
            yield pytest.param(data["rule"], outcome, case, id=f"{data['rule']}-{outcome}-{case['name']}")


@pytest.mark.parametrize(("rule", "outcome", "case"), list(_cases()))
def test_rule_case(rule: str, outcome: str, case: dict) -> None:
    report = check_text(case[outcome], settings=Settings(select=[rule]))
    found = [f for f in report.findings if f.rule == rule]
    if outcome == "pass":
        assert found == [], [f.message for f in found]
        return
    assert found, f"{rule} should flag: {case['fail']}"
    finding = found[0]
    assert finding.quote == case["fail"][finding.start : finding.end]
    if "expect_stated" in case:
        assert finding.stated == case["expect_stated"]
    if "expect_expected" in case:
        assert finding.expected == case["expect_expected"]
    if case.get("expect_no_fix"):
        assert finding.fix is None, finding.fix.message
    if "expect_fixed" in case:
        assert finding.fix is not None, f"{rule} gives no fix for: {case['fail']}"
        assert _apply(case["fail"], finding) == case["expect_fixed"]


def _apply(text: str, finding) -> str:
    for edit in sorted(finding.fix.edits, key=lambda e: e.start, reverse=True):
        assert text[edit.start : edit.end] == edit.before
        text = text[: edit.start] + edit.after + text[edit.end :]
    return text


@pytest.mark.parametrize(("rule", "case"), [(rule, case) for rule, outcome, case in (p.values for p in _cases()) if outcome == "fail"])
def test_fix_clears_the_finding(rule: str, case: dict) -> None:
    """A suggested fix, applied, leaves nothing for its rule to say at that place: a fix that
    needs a second fix is not the correction that explains the slip."""
    report = check_text(case["fail"], settings=Settings(select=[rule]))
    for finding in (f for f in report.findings if f.rule == rule and f.fix):
        fixed = check_text(_apply(case["fail"], finding), settings=Settings(select=[rule]))
        still = [f.message for f in fixed.findings if f.rule == rule and f.start <= finding.end and finding.start <= f.end]
        assert still == [], (finding.fix.message, still)
