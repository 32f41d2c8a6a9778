"""Detection quality: floors under the figures `narrative-check eval` measures on the corpus.

A fixed seed and three copies per error kind and report keep this to a few seconds. The floors
sit a little under the figures measured when they were set (README, "Detection quality"), so a
change that makes a family miss injected errors, or report findings the injected error did not
cause, fails here instead of going unnoticed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import BUDGET_2024, FINAL_2021
from narrative_check.evaluate import KINDS, generate
from narrative_check.evaluate.score import evaluate
from narrative_check.rules import REGISTRY

SEED = 0
PER_KIND = 3

# family: (sensitivity floor, precision floor)
FLOORS = {
    "ARI": (Decimal("0.60"), Decimal("0.85")),
    "TBL": (Decimal("0.90"), Decimal("0.90")),
    "XTB": (Decimal("0.90"), Decimal("0.90")),
    "RSN": (Decimal("0.90"), Decimal("0.90")),
    "LEX": (Decimal("0.90"), Decimal("0.90")),
}


def _sources():
    return [(p.name, p.read_text(encoding="utf-8")) for p in (BUDGET_2024, FINAL_2021)]


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(_sources(), seed=SEED, per_kind=PER_KIND)


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_family_floor(evaluation, family):
    if not any(code.startswith(family) for code in REGISTRY):
        pytest.skip(f"no {family} rule registered")
    score = next(f for f in evaluation.families if f.family == family)
    sensitivity, precision = FLOORS[family]
    assert score.injected >= 3, f"too few {family} mutations to measure"
    assert score.sensitivity is not None and score.sensitivity >= sensitivity, score
    assert score.precision is not None and score.precision >= precision, score


def test_every_error_kind_is_found_by_some_expected_family(evaluation):
    for kind in evaluation.kinds:
        if kind.family is None:
            continue
        assert kind.injected > 0, f"no target for {kind.kind} in the corpus"
        assert kind.found_by_expected / kind.injected >= 0.5, kind


def test_controls_raise_no_new_finding(evaluation):
    controls = [r for r in evaluation.mutations if r.mutation.family is None]
    assert len(controls) >= 6
    alarms = [(r.mutation.id, f.rule, f.quote) for r in controls for f in r.new_findings]
    assert alarms == []
    assert all(f.false_errors == 0 for f in evaluation.families)


def test_coverage_is_reported(evaluation):
    for source in evaluation.sources:
        assert source.claims_found > 0
        assert source.coverage is not None and source.coverage >= Decimal("0.5"), source


def test_copies_differ_from_the_source_only_at_the_recorded_edit():
    name, text = _sources()[1]
    copies = generate(name, text, seed=SEED, per_kind=2)
    assert {m.kind for m, _ in copies} == set(KINDS)
    for m, mutated in copies:
        assert text[m.start : m.start + len(m.before)] == m.before
        assert mutated[m.start : m.end] == m.after
        assert mutated == text[: m.start] + m.after + text[m.start + len(m.before) :]
        assert m.before != m.after
        assert m.scope_start <= m.start <= m.end <= m.scope_end <= len(mutated)


def test_generation_is_deterministic_by_seed():
    name, text = _sources()[0]
    first = generate(name, text, seed=7, per_kind=3)
    again = generate(name, text, seed=7, per_kind=3)
    other = generate(name, text, seed=8, per_kind=3)
    assert [(m.model_dump(), t) for m, t in first] == [(m.model_dump(), t) for m, t in again]
    assert [m.model_dump() for m, _ in first] != [m.model_dump() for m, _ in other]


def test_a_finding_already_in_the_source_is_not_new():
    """The 2021 report's known findings must not count for or against a mutation."""
    name, text = _sources()[1]
    ev = evaluate([(name, text)], seed=SEED, per_kind=1, kinds=["neutral_space", "neutral_wrap"])
    assert ev.sources[0].unmutated_errors > 0
    assert all(r.new_findings == [] for r in ev.mutations)


def test_eval_cli_json(tmp_path):
    import json
    import shutil

    from click.testing import CliRunner

    from narrative_check.cli import cli

    shutil.copy(BUDGET_2024, tmp_path / BUDGET_2024.name)
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), "--per-kind", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {f["family"] for f in data["families"]} >= set(FLOORS)
    assert data["mutations"] and all("mutation" in r for r in data["mutations"])
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CliRunner().invoke(cli, ["eval", str(empty)]).exit_code == 2


def test_eval_reads_a_gb18030_report(tmp_path):
    """The corpus is read as `check` reads a report: a GB18030 text scores as its UTF-8 original."""
    from narrative_check.evaluate.score import evaluate_dir

    text = BUDGET_2024.read_text(encoding="utf-8")
    (tmp_path / BUDGET_2024.name).write_bytes(text.encode("gb18030"))
    kinds = ["neutral_space"]
    scored = evaluate_dir(tmp_path, seed=SEED, per_kind=1, kinds=kinds)
    original = evaluate([(BUDGET_2024.name, text)], seed=SEED, per_kind=1, kinds=kinds)
    assert scored.sources == original.sources and scored.sources[0].claims_found > 0
    assert [r.model_dump() for r in scored.mutations] == [r.model_dump() for r in original.mutations]


def test_direction_flips_come_from_the_lexicon_and_are_opposites():
    from narrative_check import lexicons
    from narrative_check.extract.tokens import direction_opposites

    direction = {row[0]: row[1] for row in lexicons.rows("change_verbs.tsv")}
    flip = direction_opposites()
    assert {"增加": "减少", "增长": "下降"}.items() <= flip.items()
    for word, opposite in flip.items():
        assert flip[opposite] == word, word
        assert {direction[word], direction[opposite]} == {"increase", "decrease"}, word
    name, text = _sources()[1]
    for m, _ in generate(name, text, seed=SEED, per_kind=3, kinds=["direction"]):
        assert flip[m.before] == m.after


def test_unit_space_control_knows_every_money_unit():
    from narrative_check.evaluate.mutate import _unit_gap
    from narrative_check.extract.numbers import units

    for unit in (u.name for u in units().values() if u.kind == "money"):
        m = _unit_gap().search(f"收入 12.5 {unit}")
        assert m is not None and m.group(3) == unit and m.group(2) == " ", unit
    assert _unit_gap().search("12.5 千元").group(3) == "千元"


def test_writing_controls_change_only_how_a_figure_or_baseline_is_written():
    from narrative_check import lexicons
    from narrative_check.extract.normalize import normalize

    kind_of = {phrase: kind for phrase, kind in lexicons.rows("baselines.tsv")}
    name, text = _sources()[0]
    copies = generate(name, text, seed=SEED, per_kind=5, kinds=["neutral_fullwidth", "neutral_thousands", "neutral_baseline"])
    assert {m.kind for m, _ in copies} == {"neutral_fullwidth", "neutral_thousands", "neutral_baseline"}
    for m, _ in copies:
        if m.kind == "neutral_baseline":
            assert kind_of[m.before] == kind_of[m.after] and m.before != m.after
        else:
            # the same figure once full-width digits and separators are read as the extractor reads them
            assert normalize(m.after).replace(",", "") == normalize(m.before).replace(",", ""), m
