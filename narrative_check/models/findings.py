"""Findings and the report: what narrative_check says about a document."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from typing import Iterable, Literal

from pydantic import BaseModel, Field

from ..lang import STATED_AND_EXPECTED, Lang
from .claims import Claim
from .document import Located, SourceRef, Table

Severity = Literal["error", "warning", "info"]

SCHEMA_VERSION = "6"


class Related(BaseModel):
    """Another place involved in a finding."""

    start: int
    end: int
    line: int
    quote: str
    role: str | None = Field(default=None, description="what this place is to the finding")
    file: str | None = Field(default=None, description="the other report's file, when the place is in another report")


class Edit(Located):
    """One replacement in the report's text: [start, end) as written becomes `after`."""

    before: str = Field(description="the text replaced, exactly as written")
    after: str = Field(description="the text to write instead")
    source: SourceRef | None = Field(
        default=None, description="where `start` is in the original file: page, Word paragraph, table cell"
    )


class Fix(BaseModel):
    """A suggested correction, like a linter's fix: edits that, applied together, make the
    statement agree with the figures. Given only when one correction explains the finding; the
    editor accepts or rejects it (Word tracked changes, `--format diff`)."""

    message: str = Field(description="the correction in words, in Chinese, e.g. '将“15.80%”改为“15.83%”'")
    edits: list[Edit] = Field(min_length=1)


class Tied(BaseModel):
    """Another rule's finding at the same place that the same slip explains: the finding it is
    tied into corrects it too, so it is not reported on its own."""

    rule: str
    message: str


class Finding(BaseModel):
    rule: str = Field(description="the rule code, e.g. ARI001")
    name: str = Field(description="the rule's kebab-case name")
    severity: Severity
    message: str = Field(description="what is stated and what the figures imply, in Chinese")
    start: int
    end: int
    line: int
    column: int
    page: int | None = Field(default=None, description="1-based page, for paged inputs (PDF)")
    source: SourceRef | None = Field(
        default=None, description="where the span starts in the original file: page, Word paragraph, table cell"
    )
    quote: str = Field(description="the exact text of the span")
    sentence: str | None = Field(default=None, description="the sentence the span is in, for context")
    stated: str | None = Field(default=None, description="the value as the report states it")
    expected: str | None = Field(default=None, description="what the other figures imply")
    related: list[Related] = Field(default_factory=list)
    claim: str | None = Field(default=None, description="the id of the claim checked")
    fix: Fix | None = Field(default=None, description="the suggested correction, when one edit explains the finding")
    tied: list[Tied] = Field(
        default_factory=list, description="other rules' findings at this place that the same correction settles"
    )

    def stated_and_expected(self, lang: Lang = "zh") -> list[tuple[str, str]]:
        """('文中', what was stated) and ('应为', what it should be), those the finding gives: a blank
        table cell, say, names no figure to write, and no '应为' is printed for it. 'stated' and
        'expected' in English."""
        labels = STATED_AND_EXPECTED[lang]
        return [(label, value) for label, value in zip(labels, (self.stated, self.expected)) if value is not None]

    def fingerprint(self) -> str:
        """Identifies the finding across runs and edits elsewhere in the report.

        Built from the rule, the quote and the sentence around it (NFKC, whitespace removed),
        never from offsets, so a baseline or a SARIF consumer still recognises the finding when
        text above it is added or removed.
        """
        parts = (self.rule, normalised(self.quote), normalised(self.sentence or ""))
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def normalised(text: str) -> str:
    """Text as findings are matched by: NFKC, whitespace removed (a re-wrapped line is the same text)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


class Stats(BaseModel):
    """How much of the report could be checked. 'Not checked' never counts as 'passed'."""

    claims_found: dict[str, int] = Field(default_factory=dict, description="per claim kind")
    claims_checked: int = 0
    claims_not_checked: int = 0
    not_checked_reasons: dict[str, int] = Field(
        default_factory=dict, description="why claims could not be checked, with counts"
    )
    findings_by_severity: dict[str, int] = Field(default_factory=dict)
    amounts_linked: int = Field(default=0, description="amount claims tied to at least one table cell")
    amounts_not_linked: dict[str, int] = Field(default_factory=dict, description="why the other amounts were not tied to a cell")
    tables_by_kind: dict[str, int] = Field(default_factory=dict, description="tables recognised, by kind ('unknown' for the rest)")
    baseline_suppressed: list[str] = Field(
        default_factory=list, description="fingerprints of findings not reported because the baseline lists them"
    )
    baseline_unmatched: list[str] = Field(
        default_factory=list, description="fingerprints the baseline lists for this file that no finding matched any more"
    )

    @staticmethod
    def by_severity(severities: Iterable[str]) -> dict[str, int]:
        """`findings_by_severity` of findings with these severities."""
        return dict(Counter(severities))


class Report(BaseModel):
    schema_version: str = SCHEMA_VERSION
    file: str | None = None
    unit: str | None = Field(default=None, description="the department or unit reporting, from the title")
    year: int | None = Field(default=None, description="the year reported on, from the title")
    basis: Literal["budget", "final"] | None = Field(default=None, description="预算 or 决算 report, from the title")
    scope: str | None = Field(
        default=None, description="what the report covers, from the title: '部门（汇总）', '部门（本级）', '单位'"
    )
    findings: list[Finding] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    stats: Stats = Field(default_factory=Stats)
    tables: list[Table] = Field(default_factory=list, description="the report's tables, parsed")
    config: str | None = Field(
        default=None, description="the configuration file the settings were read from (command line); none = defaults and flags"
    )
    # The decoded text the offsets point into, for renderers that show it (html, docx). Left out
    # of the JSON output and its schema: the offsets and quotes are the report's contract.
    text: str | None = Field(default=None, exclude=True, description="the decoded text offsets point into")
    # The language the report was checked in (--lang), for renderers' labels; not part of the JSON.
    lang: Lang = Field(default="zh", exclude=True, description="the language of labels and reasons")

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def recount(self) -> None:
        """Bring `stats.findings_by_severity` up to date after findings were added or dropped."""
        self.stats.findings_by_severity = Stats.by_severity(f.severity for f in self.findings)
