"""The Chinese explanation of the arithmetic, table, text-vs-table and performance rules (issue 13).

Each docstring keeps its English sections and gains, after them, the same four sections for a
Chinese budget editor, each heading alone on its line. The arithmetic rules' examples are report
sentences, so they are also held to what the rule does: the 示例 sentence is reported, the 改为
sentence is not.
"""

from __future__ import annotations

import inspect

import pytest
import regex

from narrative_check import Settings, check_text
from narrative_check.rules import REGISTRY
from narrative_check.rules.base import DOC_SECTIONS

ZH_SECTIONS = ("检查内容：", "为何重要：", "示例：", "改为：")
FAMILIES = ("arithmetic", "table", "text_table", "performance")
HAN = regex.compile(r"\p{Han}")

RULES = sorted(code for code, rule in REGISTRY.items() if rule.__module__.split(".")[-2] in FAMILIES)


def _lines(code: str) -> list[str]:
    return inspect.cleandoc(REGISTRY[code].__doc__ or "").splitlines()


def zh_sections(code: str) -> dict[str, str]:
    """The Chinese sections of a rule's docstring, by heading, each body stripped."""
    lines = _lines(code)
    heads = [i for i, line in enumerate(lines) if line.strip() in ZH_SECTIONS]
    bodies = {}
    for n, at in enumerate(heads):
        stop = heads[n + 1] if n + 1 < len(heads) else len(lines)
        bodies[lines[at].strip()] = "\n".join(lines[at + 1 : stop]).strip()
    return bodies


def test_every_family_is_covered():
    assert {code[:3] for code in RULES} == {"ARI", "TBL", "XTB", "KPI"}
    assert len([c for c in RULES if c.startswith("ARI")]) == 12


@pytest.mark.parametrize("code", RULES)
def test_chinese_sections_once_each_in_order_after_the_english(code):
    lines = [line.strip() for line in _lines(code)]
    for heading in ZH_SECTIONS:
        assert lines.count(heading) == 1, (code, heading)
        assert sum(heading in line for line in lines) == 1, (code, heading)  # not also inside a body's line
    positions = [lines.index(heading) for heading in ZH_SECTIONS]
    assert positions == sorted(positions), code
    last_english = max(i for i, line in enumerate(lines) for section in DOC_SECTIONS if line.startswith(f"{section}:"))
    assert last_english < positions[0], f"{code}: the Chinese sections come after the English ones"


@pytest.mark.parametrize("code", RULES)
def test_chinese_sections_are_written(code):
    for heading, body in zh_sections(code).items():
        assert body, (code, heading)
        assert len(HAN.findall(body)) >= 4, (code, heading, body)
        assert not regex.search(r"\b(?:What it checks|Why it matters|Example|Instead)\b", body), (code, heading)


def _sentence(body: str) -> str:
    """The report text of an example section: its lines other than the bracketed working-out."""
    return "\n".join(line for line in body.splitlines() if not line.startswith("（")).strip()


@pytest.mark.parametrize("code", [c for c in RULES if c.startswith("ARI")])
def test_arithmetic_example_is_reported_and_its_correction_is_not(code):
    sections = zh_sections(code)
    settings = Settings(select=[code])
    example, corrected = _sentence(sections["示例："]), _sentence(sections["改为："])
    assert example and corrected, code
    assert [f for f in check_text(example, settings=settings).findings if f.rule == code], f"{code} should flag: {example}"
    left = [f.message for f in check_text(corrected, settings=settings).findings if f.rule == code]
    assert left == [], (code, left)
