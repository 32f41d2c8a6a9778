"""Baselines: findings already known, not reported again.

A baseline is a JSON file listing findings by `Finding.fingerprint()` (rule, quote and sentence,
never offsets), so edits elsewhere in a report do not bring them back. It is a multiset: two
identical findings need two entries. Entries also record the rule, the quote, the sentence and the
file. A finding is matched by its fingerprint first, wherever its file is now (a renamed file keeps
its baseline); failing that, by an entry of the same file, rule and quote whose sentence reads the
same but for its figures or a few words, so fixing one figure of a sentence does not bring back
the sentence's other accepted findings. Entries that no finding matches any more are reported, so
the baseline can be pruned.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, TypeVar

import regex
from pydantic import BaseModel, Field, ValidationError, field_validator

from .config import validation_detail
from .errors import InputError, InputErrorCode
from .files import json_text, write_atomic
from .models.findings import Finding, Report, normalised

BASELINE_VERSION = 1
T = TypeVar("T")


class BaselineEntry(BaseModel):
    fingerprint: str
    rule: str
    file: str | None = None
    line: int | None = None
    quote: str = ""
    sentence: str = Field(default="", description="the sentence around the quote, to recognise the finding after an edit elsewhere in it")


class BaselineFile(BaseModel):
    narrative_check_baseline: int = Field(default=BASELINE_VERSION, description="format version")
    findings: list[BaselineEntry] = Field(default_factory=list)

    @field_validator("narrative_check_baseline")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version != BASELINE_VERSION:
            raise ValueError(f"version {version} is not one this narrative-check reads ({BASELINE_VERSION})")
        return version


# How alike two sentences must be (rapidfuzz ratio, 0–100, figures masked) to be one sentence edited.
_SAME_SENTENCE = 85
_FIGURE = regex.compile(r"\d[\d,，.．]*")


def _masked(sentence: str) -> str:
    """A sentence with its figures masked and spacing removed: fixing a figure leaves it as it was."""
    return _FIGURE.sub("#", normalised(sentence))


def _quote_key(quote: str) -> str:
    """A quote as an edited sentence is matched by: its figures masked when words remain to tell
    it apart ('人员经费 # 万元，较#年的 # 万元减少 # 万元'); a bare figure (a table cell) as written,
    or any cell of a table would do for any other."""
    masked = _masked(quote)
    return masked if len(masked.replace("#", "")) >= 4 else "\x00" + normalised(quote)


def _field(finding, name: str):
    return finding.get(name) if isinstance(finding, dict) else getattr(finding, name)


def entry_for(finding: Finding, file: str | None) -> BaselineEntry:
    return BaselineEntry(fingerprint=finding.fingerprint(), rule=finding.rule, file=file, line=finding.line, quote=finding.quote,
                         sentence=finding.sentence or "")


def entries_of(reports: Iterable[Report]) -> list[BaselineEntry]:
    return [entry_for(f, r.file) for r in reports for f in r.findings]


def write_baseline(path: Path, entries: Iterable[BaselineEntry]) -> int:
    """Write a baseline of `entries`; returns how many there are.

    Entries are sorted (file, line, rule, fingerprint), so the same findings give the same file
    whichever worker finished first, and a baseline under version control changes only where
    findings did. The file is replaced whole: a failed write leaves the previous baseline.
    """
    entries = sorted(entries, key=lambda e: (e.file or "", e.line or 0, e.rule, e.fingerprint, e.quote))
    payload = BaselineFile(findings=entries).model_dump(mode="json")
    write_atomic(path, json_text(payload, indent=1) + "\n")
    return len(entries)


def load_baseline(path: Path) -> "Baseline":
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Baseline(BaselineFile.model_validate(data).findings)
    except OSError as exc:
        raise InputError(InputErrorCode.UNREADABLE, exc.strerror or str(exc), path=str(path)) from None
    except ValidationError as exc:  # before ValueError, which it is
        raise InputError(InputErrorCode.BAD_BASELINE, validation_detail(exc), path=str(path)) from None
    except ValueError as exc:  # not JSON, or not UTF-8
        raise InputError(InputErrorCode.BAD_BASELINE, str(exc).splitlines()[0], path=str(path)) from None
    except RecursionError:  # a baseline nests three levels; this is not one
        raise InputError(InputErrorCode.BAD_BASELINE, "nested too deep", path=str(path)) from None


class Baseline:
    """The entries not yet matched. `suppress` consumes them report by report; `matched` keeps
    the consumed ones, so a baseline written during a run with one keeps them."""

    def __init__(self, entries: Iterable[BaselineEntry]) -> None:
        self.matched: list[BaselineEntry] = []
        self.remaining: dict[str, list[BaselineEntry]] = defaultdict(list)
        for entry in entries:
            self.remaining[entry.fingerprint].append(entry)
        # (file, rule, quote key) → [(masked sentence, entry)], made when a finding first needs it
        self._by_place: dict[tuple, list[tuple[str, BaselineEntry]]] | None = None

    def consume(self, fingerprint: str, file: str | None) -> bool:
        """Take one entry with this fingerprint, preferring one recorded for the same file."""
        entries = self.remaining.get(fingerprint)
        if not entries:
            return False
        same = next((i for i, e in enumerate(entries) if e.file == file), 0)
        self.matched.append(entries.pop(same))
        return True

    def consume_edited(self, file: str | None, rule: str, quote: str, sentence: str) -> bool:
        """Take the entry of this file, rule and quote whose sentence is most like `sentence`, when
        the two differ only in figures or a few words: the sentence was edited elsewhere."""
        from rapidfuzz import fuzz

        if not sentence:
            return False
        if self._by_place is None:
            self._by_place = defaultdict(list)
            for entries in self.remaining.values():
                for entry in entries:
                    if entry.sentence:
                        self._by_place[(entry.file, entry.rule, _quote_key(entry.quote))].append((_masked(entry.sentence), entry))
        candidates = self._by_place.get((file, rule, _quote_key(quote)), [])
        wanted, best, best_score = _masked(sentence), None, _SAME_SENTENCE
        for masked, entry in candidates:
            if not any(e is entry for e in self.remaining.get(entry.fingerprint, ())):
                continue  # taken already, by its fingerprint
            score = fuzz.ratio(wanted, masked)
            if score >= best_score:
                best, best_score = entry, score
        if best is None:
            return False
        entries = self.remaining[best.fingerprint]
        entries.pop(next(i for i, e in enumerate(entries) if e is best))
        self.matched.append(best)
        return True

    def split(self, file: str | None, findings: Iterable[T], fingerprint: Callable[[T], str]) -> tuple[list[T], list[str]]:
        """The findings the baseline does not list, and the fingerprints of those it does (consumed).

        Findings are `Finding`s or their JSON (a scan's lines); `fingerprint` reads one's fingerprint.
        Every exact match is taken before any edited sentence is matched, so a fuzzy match never
        takes an entry that a finding's own fingerprint names.
        """
        findings = list(findings)
        matched = [self.consume(fingerprint(f), file) for f in findings]
        for i, finding in enumerate(findings):
            if not matched[i]:
                matched[i] = self.consume_edited(file, *(_field(finding, name) or "" for name in ("rule", "quote", "sentence")))
        kept = [f for f, m in zip(findings, matched) if not m]
        suppressed = [fingerprint(f) for f, m in zip(findings, matched) if m]
        return kept, suppressed

    def suppress(self, report: Report) -> None:
        """Drop the report's findings the baseline lists, recording their fingerprints in its stats."""
        report.findings, suppressed = self.split(report.file, report.findings, Finding.fingerprint)
        report.stats.baseline_suppressed.extend(suppressed)
        report.recount()

    def unmatched(self, files: Iterable[str | None] | None = None) -> list[BaselineEntry]:
        """Entries no finding matched, among those recorded for `files` (all when None).

        Entries for files that were not checked this time are not stale: they were not looked at.
        """
        wanted = None if files is None else set(files)
        return [e for entries in self.remaining.values() for e in entries if wanted is None or e.file in wanted or e.file is None]

    def note_unmatched(self, reports: Iterable[Report]) -> list[BaselineEntry]:
        """Record in each report's stats the entries for its file left unmatched; return them all."""
        reports = list(reports)
        stale = self.unmatched(r.file for r in reports)
        by_file: dict[str | None, list[str]] = defaultdict(list)
        for entry in stale:
            by_file[entry.file].append(entry.fingerprint)
        for report in reports:
            report.stats.baseline_unmatched = by_file.get(report.file, [])
        return stale
