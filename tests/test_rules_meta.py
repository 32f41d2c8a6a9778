"""The rule registry keeps its conventions: codes, names, docs, fixtures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import regex

from narrative_check.rules import REGISTRY, all_rules
from narrative_check.rules.base import DOC_HEADINGS, doc_sections, explain

FIXTURES = Path(__file__).parent / "fixtures" / "rules"

# The families whose docstrings carry the Chinese sections. ARI, TBL, XTB and KPI are written on
# another branch: whoever merges it adds them here.
ZH_FAMILIES = ["ARI", "CON", "DOC", "KPI", "LEX", "RSN", "TBL", "XTB"]


def test_codes_and_names():
    names = set()
    for code, rule in REGISTRY.items():
        assert regex.fullmatch(r"[A-Z]{3}\d{3}", code)
        assert regex.fullmatch(r"[a-z]+(?:-[a-z]+)+", rule.name)
        assert rule.severity in ("error", "warning", "info")
        assert rule.name not in names
        names.add(rule.name)


def test_docstrings_have_the_four_sections_in_order_then_the_four_chinese_ones():
    english, chinese = list(DOC_HEADINGS["en"]), list(DOC_HEADINGS["zh"])
    for code, rule in all_rules().items():  # CON010, a cross-report rule, included
        sections = doc_sections(rule.__doc__)
        headings = [heading for heading, _ in sections]
        if code[:3] in ZH_FAMILIES:
            assert headings == english + chinese, code
        else:
            assert headings in (english, english + chinese), code
        assert all(text for _, text in sections), code


def _han(text: str) -> int:
    return len(regex.findall(r"\p{Han}", text))


def test_the_chinese_sections_are_written_in_chinese():
    for code, rule in all_rules().items():
        if code[:3] not in ZH_FAMILIES:
            continue
        sections = dict(explain(rule, "zh"))
        for heading in ("检查内容：", "为何重要："):
            text = sections[heading]
            latin = regex.sub(r"[\x00-\x7f]*(?:lexicons/\w+\.tsv|explain_threshold|boilerplate_min_uses|JSON|scan|"
                              r"[A-Z]{3}\d{3})", "", text)
            # file names, setting names and rule codes aside, the text is Chinese
            assert not regex.search(r"[A-Za-z]{4,}", latin), (code, heading, text)
            assert _han(text) > 20, (code, heading)
        assert sections["示例："] != sections["改为："], code


def test_the_chinese_examples_add_up():
    """The corrected reason lists of RSN002 and RSN003 add up to the change they explain."""
    checks = {"RSN002": Decimal("2001.7"), "RSN003": Decimal("96.7")}
    for code, change in checks.items():
        corrected = dict(explain(all_rules()[code], "zh"))["改为："]
        reason = corrected.split("主要原因", 1)[1].split("\n")[0]
        signed = [Decimal(amount) * (1 if word == "增加" else -1)
                  for word, amount in regex.findall(r"(增加|减少)\s*(\d+(?:\.\d+)?)\s*万元", reason)]
        assert sum(signed) == change, (code, signed)


def test_every_rule_has_pass_and_fail_cases():
    import yaml

    for code in REGISTRY:
        path = FIXTURES / f"{code}.yml"
        assert path.exists(), code
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any("pass" in c for c in cases) and any("fail" in c for c in cases), code
