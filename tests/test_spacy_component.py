"""The spaCy pipeline component: nlp.add_pipe("narrative_check")."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from narrative_check import spacy_component  # noqa: E402  (registers the factory)

PROJECT = Path(__file__).resolve().parent.parent
# 99.8 / (430.82 - 99.8) is 30.15%, not 25.1%: one ARI001 finding on the change.
SENTENCE = "2023年度一般公共预算财政拨款支出 430.82 万元，较上年增加 99.8 万元，增长 25.1%。"


def test_claims_findings_and_report_on_the_doc():
    nlp = spacy.blank("zh")  # character segmentation: no download, no jieba
    nlp.add_pipe("narrative_check")
    doc = nlp(SENTENCE)
    assert [(s.text, s.label_) for s in doc.spans["narrative_check_claims"]] == [
        ("2023年度一般公共预算财政拨款支出 430.82 万元", "amount"), ("较上年增加 99.8 万元，增长 25.1%", "change")]
    assert [(s.text, s.label_) for s in doc.spans["narrative_check_findings"]] == [("较上年增加 99.8 万元，增长 25.1%", "ARI001")]
    report = doc._.narrative_check
    assert [f.rule for f in report.findings] == ["ARI001"] and sum(report.stats.claims_found.values()) == 2


def test_spans_expand_to_whole_tokens():
    # The multi-language tokenizer splits at spaces only here: "万元，较上年增加" is one token.
    nlp = spacy.blank("xx")
    nlp.add_pipe("narrative_check")
    doc = nlp(SENTENCE)
    assert [s.text for s in doc.spans["narrative_check_claims"]] == [
        "2023年度一般公共预算财政拨款支出 430.82 万元，较上年增加", "万元，较上年增加 99.8 万元，增长 25.1%"]
    for span, claim in zip(doc.spans["narrative_check_claims"], doc._.narrative_check.claims):
        assert span.start_char <= claim.start and claim.end <= span.end_char


def test_settings_reach_the_checker():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("narrative_check", config={"settings": {"select": ["ARI"], "ignore": ["ARI001"]}})
    doc = nlp(SENTENCE)
    assert doc._.narrative_check.findings == [] and list(doc.spans["narrative_check_findings"]) == []
    assert len(doc.spans["narrative_check_claims"]) == 2


def test_a_doc_without_text_gets_no_report():
    nlp = spacy.blank("zh")
    nlp.add_pipe("narrative_check")
    doc = nlp(" \n ")
    assert doc._.narrative_check is None
    assert list(doc.spans["narrative_check_claims"]) == list(doc.spans["narrative_check_findings"]) == []


def test_bad_settings_are_refused_when_the_pipe_is_added():
    nlp = spacy.blank("zh")
    with pytest.raises(Exception, match="rounding"):
        nlp.add_pipe("narrative_check", config={"settings": {"rounding": "up"}})


def test_spacy_finds_the_factory_by_its_entry_point(tmp_path):
    """As installed: the pyproject entry point alone, narrative_check.spacy_component not imported by the program.

    spaCy imports every `spacy_factories` entry point when it makes a Language: that import must
    not load the checker, which a pipeline without the component never uses."""
    entry = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    factories = entry["spacy_factories"]
    assert factories == {spacy_component.FACTORY: "narrative_check.spacy_component:make_narrative_check"}
    # The metadata an install writes, for a distribution that is only this entry point.
    dist = tmp_path / "narrative_check_entry_point-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: narrative-check-entry-point\nVersion: 0\n")
    (dist / "entry_points.txt").write_text(
        "[spacy_factories]\n" + "".join(f"{name} = {target}\n" for name, target in factories.items()))
    program = textwrap.dedent(f"""
        import sys, spacy
        assert "narrative_check" not in sys.modules
        nlp = spacy.blank("zh")
        assert "narrative_check.spacy_component" in sys.modules and "narrative_check.api" not in sys.modules
        nlp.add_pipe("narrative_check")
        doc = nlp({SENTENCE!r})
        print(" ".join(s.label_ for s in doc.spans["narrative_check_findings"]))
    """)
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": f"{tmp_path}:{PROJECT}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["ARI001"]


def test_the_check_path_imports_no_spacy_and_no_unused_format():
    """A check through the CLI's imports loads neither spaCy nor the readers and renderers it does not use."""
    program = textwrap.dedent("""
        import sys
        import narrative_check.cli
        from narrative_check import check_file
        from narrative_check.render import RENDERERS
        RENDERERS["text"].render([check_file(sys.argv[1])])
        heavy = ["spacy", "thinc", "rich", "pebble", "dask", "pdfplumber", "pypdfium2", "docx", "selectolax",
                 "openpyxl", "pkg_resources", "narrative_check.render.html", "narrative_check.render.docx",
                 "narrative_check.render.sarif", "narrative_check.spacy_component"]
        print(" ".join(name for name in heavy if name in sys.modules))
    """)
    run = subprocess.run([sys.executable, "-c", program, str(PROJECT / "corpus" / "wansheng-hrss-2021-final-accounts.txt")],
                         capture_output=True, text=True, timeout=120, cwd=PROJECT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == []
