"""The stable library entry points; the CLI is a thin layer over these."""

from __future__ import annotations

import gc
import re
from bisect import bisect_right
from collections import Counter
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel, Field

from . import not_checked
from .baseline import Baseline, BaselineEntry, entries_of
from .config import Settings
from .errors import InputError, InputErrorCode
from .extract.claims import extract_claims
from .extract.tables import analyze as analyze_tables
from .link import link_claims
from .link.facts import report_basis, report_year, table_facts
from .link.tables import link_to_tables
from .models.document import Document
from .models.findings import Finding, Report, Stats, Tied
from .multiyear import add_cross_year_findings, report_scope, report_unit
from .not_checked import Why
from .read import read_file
from .read.decode import decode
from .read.text import parse_text
from .rules import REGISTRY, RuleContext

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def check_text(text: str | bytes, *, path: str | None = None, settings: Settings | None = None) -> Report:
    """Check a report given as text (or as the bytes of a text file).

    Raises TypeError for an argument of the wrong type, InputError for text that cannot be read.
    """
    settings = _settings(settings)
    if isinstance(text, (bytearray, memoryview)):
        text = bytes(text)
    if isinstance(text, bytes):
        text, encoding = decode(text, path=path, max_bytes=settings.max_bytes)
    elif isinstance(text, str):
        encoding = "str"
        if not text.strip():
            raise InputError(InputErrorCode.EMPTY, path=path)
        surrogate = _SURROGATE.search(text)
        if surrogate:  # no text encoding can hold one: it is a decoding gone wrong upstream
            raise InputError(InputErrorCode.ENCODING, f"a lone surrogate at offset {surrogate.start()}", path=path)
    else:
        raise TypeError(f"check_text takes the report as str or bytes, not {type(text).__name__}")
    with _collector_paused():
        doc = parse_text(text, path=path, encoding=encoding, limits=settings.text_limits)
        return check_document(doc, settings=settings)


def check_file(path: str | Path, *, tables: str | Path | None = None, settings: Settings | None = None) -> Report:
    """Check a report file: text, Word, PDF or web page, told apart by content.

    `tables`, an Excel workbook (.xlsx), adds its sheets as the report's tables, for a
    narrative published apart from its tables.
    """
    settings = _settings(settings)
    path = _path_argument(path, "path")
    if tables is not None:
        tables = _path_argument(tables, "tables")
    with _collector_paused():
        doc = read_file(path, max_bytes=settings.max_bytes, tables=tables, limits=settings.text_limits)
        return check_document(doc, settings=settings)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _settings(settings: object) -> Settings:
    if settings is None:
        return Settings()
    if not isinstance(settings, Settings):
        raise TypeError(f"settings must be a narrative_check.Settings, not {type(settings).__name__}")
    return settings


def _path_argument(path: object, name: str) -> str | Path:
    """A file path as given, or TypeError; a NUL inside is InputError (no file can have that name)."""
    if isinstance(path, (bytes, bytearray)):
        raise TypeError(f"{name} is a file path (str or os.PathLike), not bytes: for a report's bytes use "
                        "check_text(data); for a bytes file name, os.fsdecode(name)")
    if not isinstance(path, (str, PathLike)):
        raise TypeError(f"{name} is a file path (str or os.PathLike), not {type(path).__name__}")
    if "\x00" in str(path):
        raise InputError(InputErrorCode.UNREADABLE, "a file name cannot hold a NUL character", path=str(path))
    return path


class CheckResult(BaseModel):
    """What `check_files` found: the reports, and what a baseline made of them."""

    reports: list[Report] = Field(default_factory=list)
    baseline_entries: list[BaselineEntry] = Field(
        default_factory=list, description="every finding before a baseline took any away: a baseline to write"
    )
    baseline_unmatched: list[BaselineEntry] = Field(
        default_factory=list, description="baseline entries for these files that no finding matched any more"
    )

    @property
    def has_errors(self) -> bool:
        return any(r.has_errors for r in self.reports)


def check_files(
    paths: Iterable[str | Path],
    *,
    tables: str | Path | None = None,
    settings: Settings | None = None,
    baseline: Baseline | None = None,
) -> CheckResult:
    """Check several reports together: each as `check_file` does, then against each other across
    years (CON010), then without the findings `baseline` lists (whose stale entries are noted).

    The first file that cannot be read raises its InputError.
    """
    settings = _settings(settings)
    if isinstance(paths, (str, bytes, PathLike)):  # would be read as one path per character
        raise TypeError("check_files takes a list of paths; for one file use check_file(path)")
    reports = [check_file(path, tables=tables, settings=settings) for path in paths]
    add_cross_year_findings(reports, settings)
    result = CheckResult(reports=reports, baseline_entries=entries_of(reports))
    if baseline is not None:
        for report in reports:
            baseline.suppress(report)
        result.baseline_unmatched = baseline.note_unmatched(reports)
    return result


def check_document(doc: Document, *, settings: Settings | None = None) -> Report:
    with _collector_paused():
        return _check_document(doc, _settings(settings))


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while one report is checked.

    A check builds tens of thousands of small objects that live until it ends; the collector's
    full passes over them made the cost per character grow with the report (2.35× at 64×
    the corpus report, 1.34× with the collector off; benchmarks/bench_check.py). The previous
    state is restored, and whatever cycles the check left are collected by the next pass.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_document(doc: Document, settings: Settings) -> Report:
    settings.text_limits.refuse_oversized(doc.text, doc.path)  # a document the caller built
    analyze_tables(doc)
    per_paragraph = extract_claims(doc, max_tokens=settings.max_tokens)
    claims = link_claims(doc, per_paragraph)
    facts = table_facts(doc)
    unlinked = link_to_tables(doc, claims, facts)
    ctx = RuleContext(doc=doc, claims=claims, settings=settings, facts=facts)
    ctx.skipped.update(unlinked)
    findings = []
    for code in sorted(REGISTRY):
        if settings.enabled(code):
            findings.extend(REGISTRY[code]().check(ctx))
    findings = tie(findings)
    paragraph_starts = [p.start for p in doc.paragraphs]
    for finding in findings:
        finding.sentence = _sentence_of(doc, paragraph_starts, finding.start, finding.end)
        finding.source = doc.source_at(finding.start)
        finding.page = finding.source.page if finding.source else None
        for edit in finding.fix.edits if finding.fix else ():
            edit.source = doc.source_at(edit.start)
        finding.severity = settings.severity_of(finding.rule, finding.severity)  # the one place overrides apply
    findings.sort(key=lambda f: (f.start, _SEVERITY_ORDER[f.severity], f.rule, f.end))
    stats = _stats(claims, ctx, findings)
    amounts = [c for c in claims if c.kind == "amount"]
    stats.amounts_linked = sum(1 for c in amounts if c.links)
    stats.amounts_not_linked = dict(Counter(unlinked[c.id].text(settings.lang) for c in amounts
                                            if not c.links and c.id in unlinked).most_common())
    stats.tables_by_kind = dict(Counter(t.kind or "unknown" for t in doc.tables).most_common())
    return Report(file=doc.path, unit=report_unit(doc), year=report_year(doc), basis=report_basis(doc),
                  scope=report_scope(doc), findings=findings, claims=claims, stats=stats, tables=doc.tables, text=doc.text,
                  lang=settings.lang)


def tie(findings: list[Finding]) -> list[Finding]:
    """Findings on one claim that one slip explains, tied into the one whose fix corrects them all:
    an editor is never told to write one figure by one finding and another by the next."""
    by_claim: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.claim:
            by_claim.setdefault(finding.claim, []).append(finding)
    tied_away: set[int] = set()
    for group in by_claim.values():
        for keeper in group:
            if keeper.fix is None or id(keeper) in tied_away:
                continue
            settles = REGISTRY[keeper.rule].settles if keeper.rule in REGISTRY else frozenset()
            for other in group:
                if other is not keeper and other.rule in settles and id(other) not in tied_away:
                    keeper.tied.append(Tied(rule=other.rule, message=other.message))
                    tied_away.add(id(other))
    return [f for f in findings if id(f) not in tied_away]


def _sentence_of(doc: Document, paragraph_starts: list[int], start: int, end: int) -> str:
    i = bisect_right(paragraph_starts, start) - 1
    if i >= 0 and start < doc.paragraphs[i].end:
        para = doc.paragraphs[i]
        covering = [s for s in para.sentences if s.end > start and s.start < end]
        if covering:
            return doc.text[covering[0].start : covering[-1].end]
        return doc.text[para.start : para.end]
    return doc.text[start:end]


def _stats(claims: list, ctx: RuleContext, findings: list) -> Stats:
    found = Counter(c.kind for c in claims)
    checked = set(ctx.checked)
    # An amount is checked when a checked claim used it: a change's current value, a share's
    # whole, a composition's whole or parts.
    for claim in claims:
        if claim.id in ctx.checked:
            checked.update(_referenced(claim))
    lang = ctx.settings.lang
    why: Counter[str] = Counter()
    not_checked = 0
    for claim in claims:
        if claim.id in checked:
            continue
        not_checked += 1
        why[(ctx.skipped.get(claim.id) or _default_reason(claim)).text(lang)] += 1
    return Stats(
        claims_found=dict(sorted(found.items())),
        claims_checked=len(checked & {c.id for c in claims}),
        claims_not_checked=not_checked,
        not_checked_reasons=dict(why.most_common()),
        findings_by_severity=Stats.by_severity(f.severity for f in findings),
    )


def _referenced(claim) -> set[str]:
    refs = {getattr(claim, name, None) for name in ("current_claim", "whole_claim", "change")}
    refs.update(p.claim for p in getattr(claim, "parts", []) or [])
    return {r for r in refs if r}


def _default_reason(claim) -> Why:
    """Why a claim no rule checked or skipped is not checked: what its kind would need."""
    if claim.kind == "amount":
        return not_checked.AMOUNT_WITHOUT_RELATION
    if claim.kind == "change":
        if claim.percent is None:
            return not_checked.CHANGE_WITHOUT_PERCENT
        return not_checked.CHANGE_NOT_RECOMPUTABLE
    if claim.kind == "reason":
        return not_checked.REASON_WITHOUT_AMOUNTS
    if claim.kind == "count":
        return not_checked.COUNT_WITHOUT_FIGURE
    return not_checked.KIND_NOT_CHECKABLE(kind=not_checked.claim_kind(claim.kind))
