"""Which suggested edits an output writes: every edit of a fix or none of them, each distinct
edit once, none overlapping one already taken. Shared by `--format diff` and Word tracked changes."""

from __future__ import annotations

from typing import Iterable

from ..models.findings import Edit, Finding, Fix


def conflict(a: Edit, b: Edit) -> bool:
    """Do two edits overlap? Replacements that only touch do not; an insertion at the edge of
    another edit does, as the order of the two new texts would be a guess."""
    if a.start == a.end or b.start == b.end:
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def new_edits(fix: Fix, taken: list[Edit]) -> list[Edit] | None:
    """The edits of `fix` not already among `taken` (another finding's fix with the same edit),
    or None when one of them overlaps an edit taken: a fix is written whole or not at all."""
    out: list[Edit] = []
    for edit in fix.edits:
        if any((e.start, e.end, e.after) == (edit.start, edit.end, edit.after) for e in taken + out):
            continue
        if any(conflict(edit, e) for e in taken + out):
            return None
        out.append(edit)
    return out


def chosen_edits(findings: Iterable[Finding]) -> list[Edit]:
    """The edits an output writes, fixes taken in text order, in text order."""
    fixes = sorted((f.fix for f in findings if f.fix), key=lambda fix: min(e.start for e in fix.edits))
    taken: list[Edit] = []
    for fix in fixes:
        taken.extend(new_edits(fix, taken) or [])
    return sorted(taken, key=lambda e: (e.start, e.end))
