"""Check every mutated copy and score what the rules found against what was injected.

A finding on a copy is *new* when the unmutated report has no finding of the same rule at the
same place (offsets after the edit shifted back by the edit's length change), so the known
findings of a source report never count for or against a mutation. A new finding is
*attributable* when its span, or one of its related places, lies in the paragraph or table the
edit was made in. A mutation is *found* by a family when that family made an attributable new
finding on its copy.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, Field

from ..api import check_text
from ..models.findings import Finding, Report
from ..read import read_file
from .mutate import KINDS, Mutation, generate

FAMILIES = ("ARI", "TBL", "XTB", "CON", "RSN", "LEX", "KPI")


class NewFinding(BaseModel):
    rule: str
    severity: str
    line: int
    quote: str
    attributable: bool


class MutationResult(BaseModel):
    mutation: Mutation
    found_by_family: bool = Field(description="the kind's own family made an attributable new finding")
    found_by_expected: bool = Field(description="one of the kind's expected families did")
    found_by_any: bool = Field(description="any rule did")
    new_findings: list[NewFinding]


class KindScore(BaseModel):
    kind: str
    family: str | None
    summary: str
    injected: int
    found_by_family: int
    found_by_expected: int
    found_by_any: int
    missed: list[str] = Field(description="ids of the mutations no expected family found")


class FamilyScore(BaseModel):
    family: str
    injected: int = Field(description="mutations of the kinds this family claims to catch")
    found: int = Field(description="of those, found by this family near the edit")
    sensitivity: Decimal | None
    new_findings: int = Field(description="new findings of this family over all copies, controls included")
    attributable: int = Field(description="of those, at the edit")
    precision: Decimal | None = Field(description="attributable ÷ new findings (positive predictive value)")
    false_errors: int = Field(description="new error-level findings of this family on the neutral (control) copies")


class SourceScore(BaseModel):
    source: str
    characters: int
    claims_found: int
    claims_checked: int
    coverage: Decimal | None = Field(description="claims checked ÷ claims found")
    amounts: int
    amounts_linked: int
    unmutated_findings: dict[str, int] = Field(description="findings on the unmutated report, by rule (new ones are counted against these)")
    unmutated_errors: int


class Evaluation(BaseModel):
    seed: int
    per_kind: int
    sources: list[SourceScore]
    kinds: list[KindScore]
    families: list[FamilyScore]
    mutations: list[MutationResult]


def _ratio(a: int, b: int) -> Decimal | None:
    return (Decimal(a) / Decimal(b)).quantize(Decimal("0.001")) if b else None


def _original_offset(offset: int, m: Mutation) -> int:
    """Where an offset of the mutated copy was in the source report."""
    if offset <= m.start:
        return offset
    if offset >= m.end:
        return offset - (m.end - m.start) + len(m.before)
    return m.start


def _intersects(start: int, end: int, m: Mutation) -> bool:
    return start < m.scope_end and m.scope_start < max(end, start + 1)


def new_findings(baseline: Report, report: Report, m: Mutation) -> list[tuple[Finding, bool]]:
    """The findings of `report` the unmutated `baseline` does not have, each with whether it is at the edit."""
    # A finding tied into another in the unmutated report was there too: an edit elsewhere that
    # unties it (the statement its fix copied no longer holds) brings back nothing new.
    known = Counter((rule, f.start) for f in baseline.findings for rule in (f.rule, *(t.rule for t in f.tied)))
    out = []
    for f in report.findings:
        key = (f.rule, _original_offset(f.start, m))
        if known[key] > 0:
            known[key] -= 1
            continue
        at_edit = _intersects(f.start, f.end, m) or any(_intersects(r.start, r.end, m) for r in f.related)
        out.append((f, at_edit))
    return out


def score_mutation(baseline: Report, report: Report, m: Mutation) -> MutationResult:
    found = new_findings(baseline, report, m)
    families = {f.rule[:3] for f, at_edit in found if at_edit}
    return MutationResult(
        mutation=m,
        found_by_family=m.family in families,
        found_by_expected=bool(families & set(m.expected)),
        found_by_any=bool(families),
        new_findings=[NewFinding(rule=f.rule, severity=f.severity, line=f.line, quote=f.quote, attributable=a) for f, a in found],
    )


def evaluate(sources: list[tuple[str, str]], *, seed: int = 0, per_kind: int = 10, kinds: list[str] | None = None) -> Evaluation:
    """Mutate each (name, text) source and score every copy."""
    results: list[MutationResult] = []
    source_scores: list[SourceScore] = []
    for name, text in sources:
        baseline = check_text(text, path=name)
        source_scores.append(_source_score(name, text, baseline))
        for mutation, mutated in generate(name, text, seed=seed, per_kind=per_kind, kinds=kinds, report=baseline):
            results.append(score_mutation(baseline, check_text(mutated, path=name), mutation))
    return Evaluation(
        seed=seed,
        per_kind=per_kind,
        sources=source_scores,
        kinds=_kind_scores(results, kinds),
        families=_family_scores(results),
        mutations=results,
    )


def evaluate_dir(corpus: Path, **options) -> Evaluation:
    """Scores on the *.txt reports of `corpus`, each read as `check` reads it (any encoding it accepts)."""
    paths = sorted(corpus.glob("*.txt"))
    return evaluate([(p.name, read_file(p).text) for p in paths], **options)


def _source_score(name: str, text: str, report: Report) -> SourceScore:
    stats = report.stats
    found = sum(stats.claims_found.values())
    amounts = stats.claims_found.get("amount", 0)
    return SourceScore(
        source=name,
        characters=len(text),
        claims_found=found,
        claims_checked=stats.claims_checked,
        coverage=_ratio(stats.claims_checked, found),
        amounts=amounts,
        amounts_linked=stats.amounts_linked,
        unmutated_findings=dict(sorted(Counter(f.rule for f in report.findings).items())),
        unmutated_errors=sum(1 for f in report.findings if f.severity == "error"),
    )


def _kind_scores(results: list[MutationResult], kinds: list[str] | None) -> list[KindScore]:
    out = []
    for name in kinds or list(KINDS):
        kind = KINDS[name]
        mine = [r for r in results if r.mutation.kind == name]
        out.append(KindScore(
            kind=name, family=kind.family, summary=kind.summary, injected=len(mine),
            found_by_family=sum(r.found_by_family for r in mine),
            found_by_expected=sum(r.found_by_expected for r in mine),
            found_by_any=sum(r.found_by_any for r in mine),
            missed=[r.mutation.id for r in mine if kind.family is not None and not r.found_by_expected],
        ))
    return out


def _family_scores(results: list[MutationResult]) -> list[FamilyScore]:
    out = []
    for family in FAMILIES:
        mine = [r for r in results if r.mutation.family == family]
        found = sum(r.found_by_family for r in mine)
        new = [(f, r) for r in results for f in r.new_findings if f.rule.startswith(family)]
        attributable = sum(1 for f, r in new if f.attributable and r.mutation.family is not None)
        false_errors = sum(1 for f, r in new if r.mutation.family is None and f.severity == "error")
        out.append(FamilyScore(
            family=family, injected=len(mine), found=found, sensitivity=_ratio(found, len(mine)),
            new_findings=len(new), attributable=attributable, precision=_ratio(attributable, len(new)),
            false_errors=false_errors,
        ))
    return out


def render_text(ev: Evaluation) -> str:
    def pct(x: Decimal | None) -> str:
        return "   —" if x is None else f"{x * 100:5.1f}%"

    lines = [f"seed {ev.seed}, up to {ev.per_kind} mutations per kind and report, one per copy", ""]
    lines.append(f"{'report':<44} {'chars':>7} {'claims':>7} {'checked':>8} {'coverage':>9} {'amounts linked':>15}  unmutated findings")
    for s in ev.sources:
        rules = ", ".join(f"{k}×{v}" for k, v in s.unmutated_findings.items()) or "none"
        lines.append(f"{s.source:<44} {s.characters:>7} {s.claims_found:>7} {s.claims_checked:>8} {pct(s.coverage):>9} "
                     f"{s.amounts_linked:>7}/{s.amounts:<7}  {s.unmutated_errors} errors ({rules})")
    lines += ["", f"{'family':<7} {'injected':>8} {'found':>6} {'sensitivity':>11} {'new findings':>13} {'at edit':>8} {'precision':>9} {'false errors':>13}"]
    for f in ev.families:
        lines.append(f"{f.family:<7} {f.injected:>8} {f.found:>6} {pct(f.sensitivity):>11} {f.new_findings:>13} {f.attributable:>8} "
                     f"{pct(f.precision):>9} {f.false_errors:>13}")
    width = max([len("kind"), *(len(k.kind) for k in ev.kinds)])
    lines += ["", f"{'kind':<{width}} {'family':<6} {'injected':>8} {'by family':>9} {'by expected':>11} {'by any rule':>11}  what"]
    for k in ev.kinds:
        lines.append(f"{k.kind:<{width}} {k.family or '—':<6} {k.injected:>8} {k.found_by_family:>9} {k.found_by_expected:>11} "
                     f"{k.found_by_any:>11}  {k.summary}")
    missed = [r for r in ev.mutations if r.mutation.family is not None and not r.found_by_expected]
    if missed:
        lines += ["", "missed (no expected family reported the slip):"]
        for r in missed:
            m = r.mutation
            lines.append(f"  {m.id} line {m.line}: {m.before!r} → {m.after!r} [{m.target}]")
    alarms = [r for r in ev.mutations if r.mutation.family is None and r.new_findings]
    if alarms:
        lines += ["", "new findings on control copies (false alarms):"]
        for r in alarms:
            for f in r.new_findings:
                lines.append(f"  {r.mutation.id} line {f.line}: {f.rule} {f.severity} {f.quote!r}")
    return "\n".join(lines) + "\n"
