"""Lexicons are data with a source, without duplicates or conflicts, and ship with the package."""

from __future__ import annotations

from collections import Counter

from narrative_check import lexicons


def _files():
    return sorted(p.name for p in lexicons.lexicon_dir().glob("*.tsv"))


def test_every_lexicon_names_its_source():
    for name in _files():
        assert lexicons.source_header(name).startswith("source:"), name


# Files where one key legitimately has several rows (a code renamed over the years).
_MULTI_ROW_KEYS = {"gov_classification.tsv": 2, "row_identities.tsv": 2}


def test_no_duplicate_entries():
    for name in _files():
        width = _MULTI_ROW_KEYS.get(name, 1)
        counts = Counter(row[:width] for row in lexicons.rows(name))
        assert [w for w, n in counts.items() if n > 1] == [], name


def test_change_verbs_do_not_conflict_with_baselines_or_units():
    verbs = set(lexicons.words("change_verbs.tsv"))
    assert verbs.isdisjoint(lexicons.words("baselines.tsv"))
    assert verbs.isdisjoint(lexicons.words("units.tsv"))
    directions = {row[1] for row in lexicons.rows("change_verbs.tsv")}
    assert directions <= {"increase", "decrease", "flat"}


def test_units_have_numeric_scales():
    from decimal import Decimal

    for unit, kind, scale in lexicons.rows("units.tsv"):
        assert kind in {"money", "percent", "points", "count"}
        assert Decimal(scale) > 0


def test_lexicons_found_from_the_installed_package():
    import narrative_check

    assert lexicons.lexicon_dir().is_dir()
    # Installed (non-editable), the copy inside the package is used.
    package_dir = lexicons.lexicon_dir().parent
    assert (package_dir / "__init__.py").exists() or package_dir.name != "narrative_check"
    assert narrative_check.__version__
