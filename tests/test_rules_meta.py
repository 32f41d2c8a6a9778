"""The rule registry keeps its conventions: codes, names, docs, fixtures."""

from __future__ import annotations

import inspect
from pathlib import Path

import regex

from narrative_check.rules import REGISTRY
from narrative_check.rules.base import DOC_SECTIONS

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def test_codes_and_names():
    names = set()
    for code, rule in REGISTRY.items():
        assert regex.fullmatch(r"[A-Z]{3}\d{3}", code)
        assert regex.fullmatch(r"[a-z]+(?:-[a-z]+)+", rule.name)
        assert rule.severity in ("error", "warning", "info")
        assert rule.name not in names
        names.add(rule.name)


def test_docstrings_have_the_four_sections_in_order():
    for code, rule in REGISTRY.items():
        doc = inspect.cleandoc(rule.__doc__ or "")
        positions = [doc.find(f"{section}:") for section in DOC_SECTIONS]
        assert all(p >= 0 for p in positions), code
        assert positions == sorted(positions), code


def test_every_rule_has_pass_and_fail_cases():
    import yaml

    for code in REGISTRY:
        path = FIXTURES / f"{code}.yml"
        assert path.exists(), code
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any("pass" in c for c in cases) and any("fail" in c for c in cases), code
