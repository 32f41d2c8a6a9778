"""Scores against hand-checked gold: real excerpts with every numeric claim labelled by hand.

A gold folder holds `texts/*.txt` (the excerpts, UTF-8) and `gold.jsonl` (one record per checked
claim: `file`, `quote` — an exact substring of the excerpt —, `claim_type`, `consistent`, `why`,
and where they apply `quote2`, `uncertain`, `tolerance_used`); an `index.tsv` may sit beside them
and is not read. The figures are those of the real-dev corpus's own `score.py`, by the same
definitions:

- sensitivity: firm inconsistent records (`consistent` false, not `uncertain`) that an error- or
  warning-level finding touches — its span or one of its related spans in the same report
  overlaps the record's `quote` or `quote2`;
- false errors: firm consistent records (neither `uncertain` nor `tolerance_used`) that the
  *primary* span of an error-level finding overlaps, as a share of those records; false findings:
  the same with warnings counted too;
- coverage: `change` / `share` / `completion` records (uncertain ones included) whose `quote`
  overlaps the span of an extracted claim.

Each quote is placed at its first occurrence in the excerpt. Where score.py differs only in being
silent, this module says so: a record whose quote is not in its excerpt (or whose excerpt is not
there) is listed as unlocatable and left out of every figure, where score.py would place it at
offset -1; a `quote2` not in the excerpt is listed too, and the record is scored on `quote`
alone, as score.py does. Excerpts `check_text` rejects with an InputError are listed, and their
records are left out, as score.py does. Percentages are exact quotients rounded half-up to one
decimal (score.py rounds the float, which can differ only on an exact tie at the hundredths).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..api import check_text
from ..config import Settings
from ..errors import InputError, InputErrorCode
from ..models.findings import Finding, Report

GOLD_FILE = "gold.jsonl"
TEXTS_DIR = "texts"

# The claim types the gold uses, in the order its README lists them; others follow alphabetically.
CLAIM_TYPES = ("change", "sum", "share", "completion", "per_unit", "text_table", "contradiction", "reason_amount", "other")
COVERAGE_TYPES = frozenset({"change", "share", "completion"})

Span = tuple[int, int]


class GoldRecord(BaseModel):
    """One hand-checked claim of `gold.jsonl`. The numeric fields (value, base, delta, percent,
    whole, parts …) are kept as given but not used: the quotes, `consistent` and the flags are."""

    model_config = ConfigDict(extra="allow")

    file: str = Field(description="the excerpt's file name in texts/")
    quote: str = Field(min_length=1, description="an exact substring of the excerpt: the claim, or the figure that is wrong")
    claim_type: str
    consistent: bool
    subject: str | None = None
    why: str | None = Field(default=None, description="the arithmetic written out")
    quote2: str | None = Field(default=None, description="the second place of a contradiction, a sum or a text-vs-table pair")
    uncertain: bool | None = Field(default=None, description="scope, carry-overs or rounding could explain a gap")
    tolerance_used: bool | None = Field(default=None, description="holds only within ±1 in the last shown digit")
    gold_line: int = Field(default=0, description="the record's 1-based line in gold.jsonl")


class Ratio(BaseModel):
    """`hits` of `total`, with the percentage (None when there is nothing to count)."""

    hits: int
    total: int
    percent: Decimal | None = Field(description="100 × hits ÷ total, rounded half-up to one decimal")

    @classmethod
    def of(cls, hits: int, total: int) -> Ratio:
        percent = (Decimal(100 * hits) / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP) if total else None
        return cls(hits=hits, total=total, percent=percent)

    def __str__(self) -> str:
        return f"{self.hits}/{self.total} = {'—' if self.percent is None else f'{self.percent}%'}"


class FailedExcerpt(BaseModel):
    file: str
    message: str = Field(description="the InputError's message")


class UnlocatableRecord(BaseModel):
    gold_line: int = Field(description="the record's 1-based line in gold.jsonl")
    file: str
    claim_type: str
    quote: str = Field(description="the quote that could not be placed (the record's quote2 when field is 'quote2')")
    field: Literal["quote", "quote2"]
    reason: Literal["no such excerpt", "not in the excerpt"]
    scored: bool = Field(description="whether the record still counts (a missing quote2 leaves the record scored on its quote)")


class Miss(BaseModel):
    """A firm inconsistency that no error or warning touches."""

    gold_line: int
    file: str
    claim_type: str
    subject: str | None
    quote: str
    quote2: str | None
    why: str | None


class FalseFinding(BaseModel):
    """An error or warning whose primary span overlaps a firm consistent record."""

    gold_line: int
    file: str
    claim_type: str
    quote: str = Field(description="the gold record's quote")
    why: str | None = Field(description="the gold's arithmetic, showing the claim holds")
    rule: str
    severity: str
    line: int = Field(description="the finding's line in the excerpt")
    finding_quote: str
    message: str


class ClaimTypeScore(BaseModel):
    claim_type: str
    records: int = Field(description="located records of this type in checked excerpts")
    uncertain: int
    tolerance_used: int
    sensitivity: Ratio
    false_errors: Ratio
    false_findings: Ratio
    coverage: Ratio | None = Field(description="for change, share and completion only")


class RuleScore(BaseModel):
    rule: str
    findings: int = Field(description="findings of this rule on the checked excerpts, any severity")
    true_detections: int = Field(description="firm inconsistent records an error or warning of this rule touches")
    false_errors: int = Field(description="firm consistent records the primary span of an error of this rule overlaps")
    false_warnings: int = Field(description="firm consistent records the primary span of a warning of this rule overlaps")


class GoldEvaluation(BaseModel):
    folder: str
    excerpts: int = Field(description="texts/*.txt files")
    records: int = Field(description="records in gold.jsonl")
    failed: list[FailedExcerpt] = Field(description="excerpts check_text rejected; their records are not scored")
    unlocatable: list[UnlocatableRecord]
    sensitivity: Ratio
    false_errors: Ratio
    false_findings: Ratio = Field(description="false errors with warnings counted too")
    coverage: Ratio
    by_claim_type: list[ClaimTypeScore]
    by_rule: list[RuleScore]
    misses: list[Miss]
    false_alarms: list[FalseFinding] = Field(description="every error or warning behind the false findings figure")

    def headline(self) -> str:
        """The four figures, worded as score.py prints them."""
        return (f"sensitivity {self.sensitivity}; false errors {self.false_errors}; "
                f"false findings (with warnings) {self.false_findings}; coverage {self.coverage}")


# --- reading a folder ---------------------------------------------------------------------------


def read_gold(path: Path) -> list[GoldRecord]:
    """The records of a gold.jsonl; a line that is not a record raises InputError (MALFORMED)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(InputErrorCode.UNREADABLE, f"no {GOLD_FILE}: a gold folder holds {TEXTS_DIR}/*.txt and {GOLD_FILE}",
                         path=str(path)) from None
    except UnicodeDecodeError:
        raise InputError(InputErrorCode.ENCODING, path=str(path)) from None
    except OSError as exc:
        raise InputError(InputErrorCode.UNREADABLE, exc.strerror or str(exc), path=str(path)) from None
    records = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            records.append(GoldRecord.model_validate({**data, "gold_line": number}))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(map(str, first["loc"])) or "record"
            raise InputError(InputErrorCode.MALFORMED, f"line {number}: {where}: {first['msg']}", path=str(path)) from None
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            raise InputError(InputErrorCode.MALFORMED, f"line {number}: {exc}", path=str(path)) from None
    return records


def excerpt_paths(folder: Path) -> dict[str, Path]:
    """texts/*.txt of a gold folder, by file name."""
    texts_dir = folder / TEXTS_DIR
    if not texts_dir.is_dir():
        raise InputError(InputErrorCode.UNREADABLE, f"no {TEXTS_DIR}/ folder: a gold folder holds {TEXTS_DIR}/*.txt and {GOLD_FILE}",
                         path=str(folder))
    return {p.name: p for p in sorted(texts_dir.glob("*.txt"))}


def evaluate_gold(folder: str | Path, *, settings: Settings | None = None) -> GoldEvaluation:
    """Check every excerpt of a gold folder and score the findings and claims against its gold."""
    folder = Path(folder)
    records = read_gold(folder / GOLD_FILE)
    paths = excerpt_paths(folder)
    texts: dict[str, str] = {}
    reports: dict[str, Report] = {}
    failed: list[FailedExcerpt] = []
    for name, path in paths.items():
        try:  # read as score.py reads them: UTF-8, universal newlines
            texts[name] = path.read_text(encoding="utf-8")
            reports[name] = check_text(texts[name], path=name, settings=settings)
        except UnicodeDecodeError:
            failed.append(FailedExcerpt(file=name, message=InputError(InputErrorCode.ENCODING, path=name).message))
        except InputError as exc:
            failed.append(FailedExcerpt(file=name, message=exc.message))
    return score_gold(texts, records, reports, failed=failed, folder=str(folder))


# --- scoring ------------------------------------------------------------------------------------


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _spans(f: Finding, primary_only: bool) -> list[Span]:
    out = [(f.start, f.end)]
    if not primary_only:
        out += [(r.start, r.end) for r in f.related if not r.file]
    return out


def _touching(findings: Iterable[Finding], spans: list[Span], severities: tuple[str, ...], primary_only: bool) -> list[Finding]:
    return [f for f in findings if f.severity in severities
            and any(_overlaps(s, span) for s in _spans(f, primary_only) for span in spans)]


class _Tally:
    def __init__(self) -> None:
        self.records = self.uncertain = self.tolerance = 0
        self.tp = self.fn = self.fa = self.faw = self.ok = self.cov = self.ncov = 0


def score_gold(
    texts: dict[str, str],
    records: list[GoldRecord],
    reports: dict[str, Report],
    *,
    failed: list[FailedExcerpt] | None = None,
    folder: str = "",
) -> GoldEvaluation:
    """Score `reports` (by excerpt name) against `records`; `texts` are the excerpts the reports were made from.

    Records of an excerpt with no report (rejected, listed in `failed`) are left out, as are records
    whose excerpt is not in `texts` or whose quote is not in its excerpt (those are listed as unlocatable).
    """
    failed = list(failed or [])
    failed_names = {f.file for f in failed}
    total, by_type = _Tally(), defaultdict(_Tally)
    unlocatable: list[UnlocatableRecord] = []
    misses: list[Miss] = []
    false_alarms: list[FalseFinding] = []
    rule_true: Counter[str] = Counter()
    rule_false_errors: Counter[str] = Counter()
    rule_false_warnings: Counter[str] = Counter()

    for g in records:
        if g.file in failed_names:
            continue
        text = texts.get(g.file)
        report = reports.get(g.file)
        if text is None or report is None:
            unlocatable.append(_lost(g, "quote", "no such excerpt"))
            continue
        i = text.find(g.quote)
        if i < 0:
            unlocatable.append(_lost(g, "quote", "not in the excerpt"))
            continue
        span = (i, i + len(g.quote))
        spans = [span]
        if g.quote2:
            j = text.find(g.quote2)
            if j < 0:
                unlocatable.append(_lost(g, "quote2", "not in the excerpt"))
            else:
                spans.append((j, j + len(g.quote2)))

        tallies = (total, by_type[g.claim_type])
        for t in tallies:
            t.records += 1
            t.uncertain += bool(g.uncertain)
            t.tolerance += bool(g.tolerance_used)
        if g.claim_type in COVERAGE_TYPES:
            covered = any(_overlaps((c.start, c.end), span) for c in report.claims)
            for t in tallies:
                t.ncov += 1
                t.cov += covered
        if g.uncertain:
            continue
        if not g.consistent:
            touching = _touching(report.findings, spans, ("error", "warning"), primary_only=False)
            for t in tallies:
                t.tp += bool(touching)
                t.fn += not touching
            rule_true.update({f.rule for f in touching})
            if not touching:
                misses.append(Miss(gold_line=g.gold_line, file=g.file, claim_type=g.claim_type, subject=g.subject,
                                   quote=g.quote, quote2=g.quote2 or None, why=g.why))
        elif not g.tolerance_used:
            warns = _touching(report.findings, [span], ("error", "warning"), primary_only=True)
            errs = [f for f in warns if f.severity == "error"]
            for t in tallies:
                t.fa += bool(errs)
                t.faw += bool(warns)
                t.ok += not errs
            rule_false_errors.update({f.rule for f in errs})
            rule_false_warnings.update({f.rule for f in warns if f.severity == "warning"})
            false_alarms += [
                FalseFinding(gold_line=g.gold_line, file=g.file, claim_type=g.claim_type, quote=g.quote, why=g.why,
                             rule=f.rule, severity=f.severity, line=f.line, finding_quote=f.quote, message=f.message)
                for f in warns
            ]

    findings_per_rule = Counter(f.rule for r in reports.values() for f in r.findings)
    rules = sorted(set(findings_per_rule) | set(rule_true) | set(rule_false_errors) | set(rule_false_warnings))
    order = {t: i for i, t in enumerate(CLAIM_TYPES)}
    return GoldEvaluation(
        folder=folder,
        excerpts=len(set(texts) | failed_names),
        records=len(records),
        failed=failed,
        unlocatable=unlocatable,
        **_figures(total),
        by_claim_type=[
            ClaimTypeScore(claim_type=name, records=t.records, uncertain=t.uncertain, tolerance_used=t.tolerance,
                           **{**_figures(t), "coverage": Ratio.of(t.cov, t.ncov) if name in COVERAGE_TYPES else None})
            for name, t in sorted(by_type.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        ],
        by_rule=[
            RuleScore(rule=rule, findings=findings_per_rule[rule], true_detections=rule_true[rule],
                      false_errors=rule_false_errors[rule], false_warnings=rule_false_warnings[rule])
            for rule in rules
        ],
        misses=misses,
        false_alarms=false_alarms,
    )


def _lost(g: GoldRecord, field: Literal["quote", "quote2"], reason: Literal["no such excerpt", "not in the excerpt"]) -> UnlocatableRecord:
    return UnlocatableRecord(gold_line=g.gold_line, file=g.file, claim_type=g.claim_type, quote=getattr(g, field) or "",
                             field=field, reason=reason, scored=field == "quote2")


def _figures(t: _Tally) -> dict[str, Ratio]:
    n = t.fa + t.ok
    return {
        "sensitivity": Ratio.of(t.tp, t.tp + t.fn),
        "false_errors": Ratio.of(t.fa, n),
        "false_findings": Ratio.of(t.faw, n),
        "coverage": Ratio.of(t.cov, t.ncov),
    }


# --- text output --------------------------------------------------------------------------------


def _short(text: str | None, width: int) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_gold_text(ev: GoldEvaluation) -> str:
    def cell(r: Ratio | None) -> str:
        if r is None:
            return f"{'—':>15}"
        return f"{f'{r.hits}/{r.total}':>8} {'—' if r.percent is None else f'{r.percent}%':>6}"

    lines = [ev.headline(), ""]
    uncertain = sum(t.uncertain for t in ev.by_claim_type)
    tolerance = sum(t.tolerance_used for t in ev.by_claim_type)
    unplaced = sum(1 for u in ev.unlocatable if not u.scored)
    lines.append(f"{ev.excerpts} excerpts ({len(ev.failed)} failed), {ev.records} gold records "
                 f"({uncertain} uncertain, {tolerance} within tolerance, {unplaced} unlocatable)")

    lines += ["", f"{'claim type':<14} {'records':>7} {'uncertain':>9} {'tolerance':>9} {'sensitivity':>15} "
                  f"{'false errors':>15} {'false findings':>15} {'coverage':>15}"]
    for t in ev.by_claim_type:
        lines.append(f"{t.claim_type:<14} {t.records:>7} {t.uncertain:>9} {t.tolerance_used:>9} {cell(t.sensitivity)} "
                     f"{cell(t.false_errors)} {cell(t.false_findings)} {cell(t.coverage)}")

    lines += ["", f"{'rule':<8} {'findings':>8} {'true detections':>15} {'false errors':>12} {'false warnings':>14}"]
    for r in ev.by_rule:
        lines.append(f"{r.rule:<8} {r.findings:>8} {r.true_detections:>15} {r.false_errors:>12} {r.false_warnings:>14}")

    if ev.failed:
        lines += ["", "excerpts that could not be checked (their records are not scored):"]
        lines += [f"  {f.message}" for f in ev.failed]
    if ev.unlocatable:
        lines += ["", "unlocatable gold quotes:"]
        for u in ev.unlocatable:
            effect = "scored on its quote alone" if u.scored else "not scored"
            lines.append(f"  gold line {u.gold_line}  {u.file}  {u.claim_type}  {u.field} {_short(u.quote, 60)!r}: "
                         f"{u.reason}, {effect}")
    if ev.misses:
        lines += ["", "missed (firm inconsistencies no error or warning touches):"]
        for m in ev.misses:
            lines.append(f"  {m.file}  {m.claim_type}  {_short(m.quote, 60)!r}  — {_short(m.why, 160)}")
    if ev.false_alarms:
        lines += ["", "false findings (errors and warnings on firm consistent claims):"]
        for f in ev.false_alarms:
            lines.append(f"  {f.file}:{f.line}  {f.rule} {f.severity}  {f.claim_type}  {_short(f.quote, 50)!r}  "
                         f"— {_short(f.message, 120)}  [gold: {_short(f.why, 120)}]")
    return "\n".join(lines) + "\n"
