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
