"""Copies of a report with one labelled error each.

Targets are found with the library's own parse of the report (its claims, tables and table
facts); the error is then made by editing the raw text at the target's offsets, so every copy
is the published report with one realistic slip in it. The same seed gives the same copies.

Each kind names the rule family that claims to catch it (`family`) and every family whose
finding there is also a correct report of the slip (`expected`). The `neutral_*` kinds are
controls: edits that change no figure, only how it is written — a space between a figure and its
unit, a hard line wrap inside a sentence, full-width digits, thousands separators, another
wording of the baseline — as reports the tool has not seen write them, so any new finding on
them is a false alarm.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Callable, Iterator

import regex
from pydantic import BaseModel, Field

from .. import lexicons
from ..api import check_text
from ..catalogue import catalogue, name_key
from ..extract.numbers import units
from ..extract.tokens import direction_opposites
from ..extract.tables import analyze as analyze_tables
from ..link.facts import report_year, table_facts
from ..models.document import Document
from ..models.findings import Report
from ..read.text import parse_text


class Mutation(BaseModel):
    """One injected error: where it is in the mutated copy and which rules should report it."""

    id: str = Field(description="source/kind/n")
    source: str = Field(description="the report the copy was made from")
    kind: str
    family: str | None = Field(description="the rule family that claims to catch this kind; None for controls")
    expected: list[str] = Field(description="every family whose finding near the edit reports the slip")
    start: int = Field(description="the edited text's start in the mutated copy")
    end: int
    line: int
    scope_start: int = Field(description="the paragraph or table the edit is in, in the mutated copy")
    scope_end: int
    before: str = Field(description="the original text of the edited span")
    after: str = Field(description="what it was replaced with")
    target: str = Field(description="what was edited: a claim id and subject, or a table cell")


@dataclass(frozen=True)
class Kind:
    name: str
    family: str | None
    expected: tuple[str, ...]
    summary: str


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("percent", "ARI", ("ARI", "CON"), "a change's percentage altered"),
        Kind("delta", "ARI", ("ARI", "CON", "XTB", "RSN"), "a change's amount altered"),
        Kind("base", "ARI", ("ARI", "CON", "XTB"), "the value a change is measured from altered (its stated base, else its current amount)"),
        Kind("direction", "ARI", ("ARI", "CON", "XTB", "RSN"), "one direction word flipped (增加↔减少, 增长↔下降)"),
        Kind("zero_base", "ARI", ("ARI",), "a change rewritten as growth from zero (amount = current value) with a percentage"),
        Kind("cell_sum", "TBL", ("TBL", "XTB"), "a line's cell altered so a row total or a parent line no longer adds up"),
        Kind("cell_cross", "TBL", ("TBL", "XTB"), "a cell that another table repeats altered, so a cross-table equality breaks"),
        Kind("narrative_figure", "XTB", ("XTB", "ARI", "CON"), "a narrative amount tied to a table cell altered"),
        Kind("reason_amount", "RSN", ("RSN", "CON", "ARI"), "a reason component named in two reason lists given a different amount in one"),
        Kind("reason_copy", "RSN", ("RSN", "ARI", "CON"), "a change's reason list replaced by another change's reason list"),
        Kind("code_rename", "LEX", ("LEX",), "a classification line renamed to a sibling code's name"),
        Kind("neutral_space", None, (), "control: a space between a figure and its unit added or removed"),
        Kind("neutral_wrap", None, (), "control: a narrative line hard-wrapped between two characters, as PDF text is"),
        Kind("neutral_fullwidth", None, (), "control: a narrative figure typed in full-width digits (１２３．４５), as a Chinese IME writes it"),
        Kind("neutral_thousands", None, (), "control: thousands separators added to a narrative figure, or taken out"),
        Kind("neutral_baseline", None, (), "control: a change's baseline phrase written another way with the same meaning (上年 → 上年度)"),
        Kind("neutral_latin_stop", None, (), "control: a paragraph's full stops typed as Latin '.' (万元.其中), as with a Latin keyboard layout"),
    )
}

_NUMBER = regex.compile(r"\d[\d,]*(?:\.\d+)?", flags=regex.ASCII)


@dataclass
class _Source:
    name: str
    text: str
    report: Report
    doc: Document

    def paragraph_span(self, index: int) -> tuple[int, int]:
        para = self.doc.paragraphs[index]
        return para.start, para.end

    def paragraph_at(self, offset: int) -> tuple[int, int]:
        for para in self.doc.paragraphs:
            if para.start <= offset < para.end:
                return para.start, para.end
        return offset, offset + 1


@dataclass
class _Edit:
    """Replace text[start:end] by `new`; `scope` is the paragraph or table it is in."""

    start: int
    end: int
    new: str
    scope: tuple[int, int]
    target: str


def altered_number(text: str, rng: random.Random) -> str | None:
    """A different number written the way `text` is (same decimals, same separators).

    The slip is a changed digit, two digits swapped, or a wrong factor, and always larger than
    the rounding of the printed figure (5 units of its last place and 1% of it): a difference
    inside the rounding is not an error by the rules' own reading of figures.
    """
    plain = text.replace(",", "")
    value = Decimal(plain)
    if value == 0:
        return None
    places = len(plain.split(".")[1]) if "." in plain else 0
    unit = Decimal(1).scaleb(-places)
    least = max(5 * unit, abs(value) / 100)
    digits = [i for i, ch in enumerate(plain) if ch.isdigit()]
    for _ in range(30):
        strategy = rng.choice(("digit", "swap", "factor"))
        if strategy == "factor":
            factor = Decimal(rng.choice((50, 60, 70, 80, 90, 110, 120, 130, 150, 180))) / 100
            new = (value * factor).quantize(unit)
        else:
            chars = list(plain)
            i = rng.choice(digits)
            if strategy == "digit":
                chars[i] = str((int(chars[i]) + rng.randrange(1, 10)) % 10)
            else:
                j = i + 1 if i + 1 < len(chars) and chars[i + 1].isdigit() else i - 1
                if j < 0 or not chars[j].isdigit():
                    continue
                chars[i], chars[j] = chars[j], chars[i]
            candidate = "".join(chars)
            if len(candidate.split(".")[0]) > 1 and candidate.startswith("0"):
                continue  # '0123' is not a way anyone writes a number
            new = Decimal(candidate)
        if new <= 0 or abs(new - value) < least:
            continue
        return format(new, f",.{places}f") if "," in text else format(new, f".{places}f")
    return None


def _number_edit(src: _Source, fig, rng: random.Random, scope: tuple[int, int], target: str) -> _Edit | None:
    m = _NUMBER.search(fig.text)
    if m is None:
        return None
    new = altered_number(m.group(), rng)
    if new is None:
        return None
    start = fig.start + m.start()
    return _Edit(start, start + len(m.group()), new, scope, target)


# --- targets, one generator per kind ------------------------------------------------------


def _changes(src: _Source) -> list:
    return [c for c in src.report.claims if c.kind == "change" and not c.template]


def _percent(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in _changes(src):
        if c.percent is not None and (c.delta is not None or c.current is not None):
            yield _number_edit(src, c.percent, rng, src.paragraph_span(c.paragraph), f"{c.id} {c.subject}")


def _delta(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in _changes(src):
        if c.delta is not None and c.delta.kind == "money":
            yield _number_edit(src, c.delta, rng, src.paragraph_span(c.paragraph), f"{c.id} {c.subject}")


def _base(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in _changes(src):
        if c.delta is None or (c.percent is None and c.base is None):
            continue
        fig = c.base or c.current
        if fig is not None and fig.kind == "money":
            yield _number_edit(src, fig, rng, src.paragraph_at(fig.start), f"{c.id} {c.subject}")


def _direction(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in _changes(src):
        if not any(fig is not None and fig.value != 0 for fig in (c.delta, c.percent)):
            continue  # '增加 0.00 万元' reads the same either way
        flip = direction_opposites()
        words = [m for m in regex.finditer("|".join(sorted(flip, key=len, reverse=True)), c.quote)]
        if not words:
            continue
        m = rng.choice(words)
        start = c.start + m.start()
        yield _Edit(start, start + len(m.group()), flip[m.group()], src.paragraph_span(c.paragraph), f"{c.id} {c.subject}")


def _zero_base(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in _changes(src):
        if c.direction != "increase" or c.delta is None or c.percent is None or c.current is None:
            continue
        if not (c.start <= c.delta.start and c.percent.end <= c.end):
            continue
        current = _NUMBER.search(c.current.text)
        delta = _NUMBER.search(c.delta.text)
        percent = _NUMBER.search(c.percent.text)
        if not (current and delta and percent):
            continue
        pieces = sorted(
            [(c.delta.start + delta.start(), c.delta.start + delta.end(), current.group()),
             (c.percent.start + percent.start(), c.percent.start + percent.end(), "100")],
            reverse=True,
        )
        text = c.quote
        for a, b, new in pieces:
            text = text[: a - c.start] + new + text[b - c.start :]
        yield _Edit(c.start, c.end, text, src.paragraph_span(c.paragraph), f"{c.id} {c.subject}")


def _facts(src: _Source) -> list:
    return [f for f in table_facts(src.doc) if f.value is not None and f.value != 0]


def _cell_edit(src: _Source, fact, rng: random.Random) -> _Edit | None:
    cell = fact.cell
    raw = src.text[cell.start : cell.end]
    m = _NUMBER.search(raw)
    if m is None or m.group().replace(",", "") != format(fact.value, "f"):
        return None
    new = altered_number(m.group(), rng)
    if new is None:
        return None
    start = cell.start + m.start()
    label = fact.record.code or fact.record.label or "合计"
    return _Edit(start, start + len(m.group()), new, (fact.table.start, fact.table.end),
                 f"table {fact.table.index} row {cell.row} col {cell.col} ({label} / {'/'.join(cell.header)})")


def _cell_sum(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for fact in _facts(src):
        if fact.record.total is None:
            yield _cell_edit(src, fact, rng)


def _cell_cross(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    tables_of: dict[tuple, set[int]] = defaultdict(set)
    facts = _facts(src)
    for fact in facts:
        tables_of[fact.key.loose()].add(fact.table.index)
    for fact in facts:
        if len(tables_of[fact.key.loose()]) > 1:
            yield _cell_edit(src, fact, rng)


def _narrative_figure(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in src.report.claims:
        if c.kind == "amount" and c.value.kind == "money" and not c.value.qualifier and any(l.role == "value" for l in c.links):
            yield _number_edit(src, c.value, rng, src.paragraph_span(c.paragraph), f"{c.id} {c.subject}")


def _reasons(src: _Source) -> list:
    return [c for c in src.report.claims if c.kind == "reason"]


def _reason_amount(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    named: dict[tuple, set[str]] = defaultdict(set)
    items = []
    for reason in _reasons(src):
        for component in reason.components:
            for item in component.items:
                if item.subject:
                    key = (name_key(item.subject), item.direction, item.amount.value)
                    named[key].add(reason.id)
                    items.append((key, reason, item))
    for key, reason, item in items:
        if len(named[key]) > 1:
            yield _number_edit(src, item.amount, rng, src.paragraph_span(reason.paragraph), f"{reason.id} {item.subject}")


def _reason_copy(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    reasons = _reasons(src)
    with_amounts = [r for r in reasons if any(comp.items for comp in r.components)]
    by_id = {c.id: c for c in src.report.claims}
    for target in reasons:
        change = by_id.get(target.change or "")
        if change is None:
            continue
        donors = [r for r in with_amounts if r.id != target.id and _flat(r.quote) != _flat(target.quote)
                  and by_id.get(r.change or "") is not None and _change_amount(by_id[r.change]) != _change_amount(change)]
        if not donors:
            continue
        donor = rng.choice(donors)
        yield _Edit(target.start, target.end, _flat(donor.quote), src.paragraph_span(target.paragraph),
                    f"{target.id} (of {change.id} {change.subject}) ← {donor.id}")


def _flat(text: str) -> str:
    """A quote as one line: a reason copied across a page break keeps no line break."""
    return regex.sub(r"\s*\n\s*", "", text)


def _change_amount(change) -> Decimal | None:
    return change.delta.yuan if change.delta is not None else None


def _code_rename(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    cat = catalogue()
    year = report_year(src.doc)
    for table in src.doc.tables:
        if table.kind is None:
            continue
        for rec in table.records:
            if not rec.code or rec.code_inferred or len(rec.code) < 5 or not cat.name_matches(rec.code, rec.label, year):
                continue
            parent = rec.code[:-2]
            siblings = sorted(
                {e.name for code, entries in cat.by_code.items() if code != rec.code and len(code) == len(rec.code) and code.startswith(parent)
                 for e in entries if e.valid_in(year) and name_key(e.name) != name_key(rec.label)}
            )
            cells = table.rows[rec.row].cells
            cell = cells[rec.label_col] if rec.label_col is not None and rec.label_col < len(cells) else None
            if not siblings or cell is None or rec.label not in src.text[cell.start : cell.end]:
                continue
            start = src.text.index(rec.label, cell.start, cell.end)
            yield _Edit(start, start + len(rec.label), rng.choice(siblings), (table.start, table.end),
                        f"table {table.index} row {rec.row} ({rec.code} {rec.label})")


@lru_cache(maxsize=1)
def _unit_gap() -> regex.Pattern:
    """A figure's last digit, the space before its money unit (if any), and the unit (lexicons/units.tsv)."""
    money = sorted((u.name for u in units().values() if u.kind == "money"), key=len, reverse=True)
    return regex.compile(rf"(\d)( ?)({'|'.join(map(regex.escape, money))})")


def _neutral_space(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in src.report.claims:
        if c.kind != "amount" or c.value.kind != "money":
            continue
        m = _unit_gap().search(c.value.text)
        if m is None:
            continue
        at = c.value.start + m.start(2)
        new = "" if m.group(2) else " "
        yield _Edit(at, at + len(m.group(2)), new, src.paragraph_span(c.paragraph), f"{c.id} {c.subject}")


_WRAP_POINT = regex.compile(r"(?<=\p{Han}{2})(?=\p{Han}{2})(?![一二三四五六七八九十]是)")
# Extracted PDF text wraps lines at about this many characters; a shorter first piece would
# not be a wrap anyone sees.
_WRAP_MIN_LINE = 25


def _first_amounts(src: _Source) -> Iterator:
    """The first amount claim of each paragraph that has one: a control edits each such paragraph once."""
    seen: set[int] = set()
    for c in src.report.claims:
        if c.kind == "amount" and c.paragraph not in seen:
            seen.add(c.paragraph)
            yield c


def _neutral_wrap(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in _first_amounts(src):
        para = src.doc.paragraphs[c.paragraph]
        points = []
        for seg_start, seg_end in para.segments:
            piece = src.text[seg_start:seg_end]
            points.extend(seg_start + m.start() for m in _WRAP_POINT.finditer(piece) if m.start() >= _WRAP_MIN_LINE)
        if points:
            at = rng.choice(points)
            yield _Edit(at, at, "\n", (para.start, para.end), f"paragraph {para.index} ({c.id} {c.subject})")


_FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _narrative_money(src: _Source) -> Iterator:
    for c in src.report.claims:
        if c.kind == "amount" and c.value.kind == "money":
            yield c, c.value
        elif c.kind == "change" and c.delta is not None and c.delta.kind == "money":
            yield c, c.delta


def _neutral_fullwidth(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c, fig in _narrative_money(src):
        m = _NUMBER.search(fig.text)
        if m is not None:
            start = fig.start + m.start()
            yield _Edit(start, start + len(m.group()), m.group().translate(_FULLWIDTH), src.paragraph_span(c.paragraph),
                        f"{c.id} {c.subject}")


def _neutral_thousands(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c, fig in _narrative_money(src):
        m = _NUMBER.search(fig.text)
        if m is None:
            continue
        plain = m.group().replace(",", "")
        whole, _, fraction = plain.partition(".")
        if len(whole) < 4:
            continue
        new = plain if "," in m.group() else f"{int(whole):,}" + ("." + fraction if fraction else "")
        start = fig.start + m.start()
        yield _Edit(start, start + len(m.group()), new, src.paragraph_span(c.paragraph), f"{c.id} {c.subject}")


@lru_cache(maxsize=1)
def _baseline_synonyms() -> dict[str, list[str]]:
    """Each baseline phrase with the others of its kind (lexicons/baselines.tsv): 上年 → 上年度, 上一年度 …"""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for phrase, kind in lexicons.rows("baselines.tsv"):
        by_kind[kind].append(phrase)
    return {phrase: [other for other in phrases if other != phrase] for phrases in by_kind.values() for phrase in phrases}


def _neutral_baseline(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    synonyms = _baseline_synonyms()
    pattern = regex.compile("(?<=[较比与])(?:" + "|".join(map(regex.escape, sorted(synonyms, key=len, reverse=True))) + ")")
    for c in _changes(src):
        m = pattern.search(c.quote)
        if m is None or not synonyms[m.group()]:
            continue
        start = c.start + m.start()
        yield _Edit(start, start + len(m.group()), rng.choice(synonyms[m.group()]), src.paragraph_span(c.paragraph),
                    f"{c.id} {c.subject}")


def _neutral_latin_stop(src: _Source, rng: random.Random) -> Iterator[_Edit | None]:
    for c in _first_amounts(src):
        start, end = src.paragraph_span(c.paragraph)
        body = src.text[start:end]
        if "。" in body:
            yield _Edit(start, end, body.replace("。", "."), (start, end), f"paragraph {c.paragraph} ({c.id} {c.subject})")


_TARGETS: dict[str, Callable[[_Source, random.Random], Iterator[_Edit | None]]] = {
    "percent": _percent,
    "delta": _delta,
    "base": _base,
    "direction": _direction,
    "zero_base": _zero_base,
    "cell_sum": _cell_sum,
    "cell_cross": _cell_cross,
    "narrative_figure": _narrative_figure,
    "reason_amount": _reason_amount,
    "reason_copy": _reason_copy,
    "code_rename": _code_rename,
    "neutral_space": _neutral_space,
    "neutral_wrap": _neutral_wrap,
    "neutral_fullwidth": _neutral_fullwidth,
    "neutral_thousands": _neutral_thousands,
    "neutral_baseline": _neutral_baseline,
    "neutral_latin_stop": _neutral_latin_stop,
}


def load_source(name: str, text: str, report: Report | None = None) -> _Source:
    doc = parse_text(text)
    analyze_tables(doc)
    return _Source(name=name, text=text, report=report or check_text(text), doc=doc)


def generate(name: str, text: str, *, seed: int, per_kind: int, kinds: list[str] | None = None,
             report: Report | None = None) -> list[tuple[Mutation, str]]:
    """Up to `per_kind` copies of `text` per kind, each with one labelled error.

    Candidates are every target of the kind in document order; `per_kind` of them are drawn
    with a generator seeded by (seed, source, kind), so adding a kind changes no other kind's
    copies. A kind with no target in the report yields no copies, and a target the unmutated
    report already has a finding on is left out.
    """
    src = load_source(name, text, report)
    known = [(f.start, f.end) for f in src.report.findings]

    def flagged(edit: _Edit) -> bool:
        # A slip on a figure the report already gets a finding for cannot be told from the known
        # finding ('增长 100%' of a zero base changed to '增长 80%' is still ARI002 there).
        return any(a < edit.end and edit.start < b for a, b in known)

    out: list[tuple[Mutation, str]] = []
    for kind_name in kinds or list(KINDS):
        kind = KINDS[kind_name]
        rng = random.Random(f"{seed}/{name}/{kind_name}")
        edits = _distinct(e for e in _TARGETS[kind_name](src, rng) if e is not None and e.new != text[e.start : e.end] and not flagged(e))
        chosen = sorted(rng.sample(range(len(edits)), min(per_kind, len(edits))))
        for n, i in enumerate(chosen):
            edit = edits[i]
            mutated = text[: edit.start] + edit.new + text[edit.end :]
            shift = len(edit.new) - (edit.end - edit.start)
            end = edit.start + len(edit.new)
            line = text.count("\n", 0, edit.start) + 1
            out.append((
                Mutation(
                    id=f"{name}/{kind_name}/{n}", source=name, kind=kind_name, family=kind.family, expected=list(kind.expected),
                    start=edit.start, end=end, line=line, scope_start=edit.scope[0], scope_end=edit.scope[1] + shift,
                    before=text[edit.start : edit.end], after=edit.new, target=edit.target,
                ),
                mutated,
            ))
    return out


def _distinct(edits: Iterator[_Edit]) -> list[_Edit]:
    """One edit per place: two claims over the same figure must not double its weight."""
    seen: set[tuple[int, int]] = set()
    out = []
    for edit in edits:
        if (edit.start, edit.end) not in seen:
            seen.add((edit.start, edit.end))
            out.append(edit)
    return out
