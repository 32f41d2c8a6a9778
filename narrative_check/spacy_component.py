"""narrative_check as a spaCy pipeline component: `nlp.add_pipe("narrative_check")`.

spaCy finds the factory through the `spacy_factories` entry point of an installed
narrative-check (pyproject.toml), which imports this module; nothing else in the package imports
it, so a check never loads spaCy. Needs the `spacy` extra: `pip install 'narrative-check[spacy]'`.

The component checks `doc.text` as one report and leaves on the Doc:

- `doc.spans["narrative_check_claims"]`: one span per numeric claim, labelled with its kind
  (`amount`, `change`, `share`, …);
- `doc.spans["narrative_check_findings"]`: one span per finding, labelled with its rule code;
- `doc._.narrative_check`: the whole `Report` (findings with messages, stated and expected
  values and fixes, claims, stats), or None for a Doc with no text.

A claim or finding whose edges fall inside a token gets the span of the tokens it touches
(`char_span(..., alignment_mode="expand")`), so its span may be wider than its `start`/`end`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from .config import Settings

# The checker itself is imported when a component is made: spaCy imports this module for every
# pipeline it builds (see narrative_check/__init__.py), most of which never add the component.

FACTORY = "narrative_check"
CLAIMS = "narrative_check_claims"
FINDINGS = "narrative_check_findings"
EXTENSION = "narrative_check"

if not Doc.has_extension(EXTENSION):  # a pipeline may be built many times in one process
    Doc.set_extension(EXTENSION, default=None)


@Language.factory(FACTORY, default_config={"settings": {}})
def make_narrative_check(nlp: Language, name: str, settings: dict[str, Any]) -> NarrativeCheck:
    """`settings`: the keys of `narrative_check.Settings` (`select`, `ignore`, `rounding`, …)."""
    from .config import Settings

    return NarrativeCheck(Settings.model_validate(settings))


class NarrativeCheck:
    """Checks each Doc's text and puts its claims, findings and report on the Doc."""

    def __init__(self, settings: Settings | None = None) -> None:
        from .config import Settings

        self.settings = settings or Settings()

    def __call__(self, doc: Doc) -> Doc:
        from .api import check_text
        from .errors import InputError, InputErrorCode

        try:
            report = check_text(doc.text, settings=self.settings)
        except InputError as exc:
            if exc.code is not InputErrorCode.EMPTY:
                raise
            report = None  # no text, nothing to check: no claims, no findings
        doc._.set(EXTENSION, report)
        claims = report.claims if report else []
        findings = report.findings if report else []
        doc.spans[CLAIMS] = _spans(doc, ((c.start, c.end, c.kind) for c in claims))
        doc.spans[FINDINGS] = _spans(doc, ((f.start, f.end, f.rule) for f in findings))
        return doc


def _spans(doc: Doc, places: Iterable[tuple[int, int, str]]) -> list[Span]:
    spans = (doc.char_span(start, end, label=label, alignment_mode="expand") for start, end, label in places)
    return [span for span in spans if span is not None]  # None: a place of whitespace alone, no token to hold it
