"""The rule mechanism: one small class per rule, registered by its code.

A rule's docstring has four sections, in this order, which ``rules --explain``
prints and a test enforces: What it checks / Why it matters / Example / Instead;
then the same four in Chinese, for the editors who read them: 检查内容 / 为何重要 /
示例 / 改为. Each heading is a line of its own (``explain`` reads them).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, Iterator

import regex

from ..config import Settings
from ..extract.numbers import round_half_up
from ..interval import Interval
from ..lang import Lang
from ..models.claims import Figure
from ..models.document import Document
from ..models.findings import Edit, Finding, Fix, Related, Severity
from ..not_checked import NotChecked, Reason, Why, unclear_reason

_DIGITS = regex.compile(r"[0-9０-９](?:[0-9０-９,，．.]*[0-9０-９])?")

DOC_SECTIONS = ("What it checks", "Why it matters", "Example", "Instead")
DOC_SECTIONS_ZH = ("检查内容", "为何重要", "示例", "改为")
# each heading followed by its colon, as the docstring writes it
DOC_HEADINGS: dict[Lang, tuple[str, ...]] = {
    "en": tuple(f"{title}:" for title in DOC_SECTIONS),
    "zh": tuple(f"{title}：" for title in DOC_SECTIONS_ZH),
}


def doc_sections(doc: str) -> list[tuple[str, str]]:
    """(heading, text) of each section of a docstring, in its order: a heading is a line of its own
    that is one of DOC_HEADINGS (its colon included); what precedes the first is no section."""
    known = {h for headings in DOC_HEADINGS.values() for h in headings}
    sections: list[tuple[str, list[str]]] = []
    for line in inspect.cleandoc(doc or "").splitlines():
        if line.strip() in known:
            sections.append((line.strip(), []))
        elif sections:
            sections[-1][1].append(line)
    return [(heading, "\n".join(body).strip()) for heading, body in sections]


def explain(rule, lang: Lang = "zh") -> list[tuple[str, str]]:
    """A rule's documentation in one language: (heading, text) of its four sections, in order.

    A rule whose docstring has no Chinese sections yet is explained in English: the editor gets
    what there is rather than nothing.
    """
    sections = doc_sections(rule.__doc__ or "")
    wanted = [s for s in sections if s[0] in DOC_HEADINGS[lang]]
    return wanted or [s for s in sections if s[0] in DOC_HEADINGS["en"]]


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    # Rules whose finding on the same claim this rule's fix also corrects. A rule gives a fix only
    # where it has checked that the corrected statement is whole (the fixed amount makes the rate
    # fit too), so the other finding would tell the editor to make a second, different edit.
    settles: ClassVar[frozenset[str]] = frozenset()

    def check(self, ctx: "RuleContext") -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError


REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    if cls.code in REGISTRY:
        raise ValueError(f"rule code {cls.code} registered twice")
    REGISTRY[cls.code] = cls
    return cls


@dataclass
class RuleContext:
    doc: Document
    claims: list
    settings: Settings
    facts: list = field(default_factory=list)
    by_id: dict = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    skipped: dict[str, Why] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # work several rules share, computed once per report

    def __post_init__(self) -> None:
        self.by_id = {c.id: c for c in self.claims}
        for claim in self.claims:
            if claim.unclear:
                self.skip(claim, unclear_reason(claim.unclear))

    def of_kind(self, kind: str) -> list:
        """The claims of one kind that have a single reading: a rule never sees an unclear claim,
        so no finding can rest on a guess at what a figure is."""
        return [c for c in self.claims if c.kind == kind and not c.unclear]

    def current_amounts(self) -> list:
        """The amount claims stated as a quantity's value: not a baseline's value named by the
        baseline alone ('上年为 X'), which a rule comparing one quantity's statements would take
        for a second, different statement of it."""
        return [c for c in self.of_kind("amount") if c.of_baseline is None]

    def interval(self, figure: Figure) -> Interval:
        if figure.kind == "count":
            return Interval.exact(figure.value)
        return Interval.of(figure, self.settings.rounding)

    def rate_interval(self, figure: Figure) -> Interval:
        """A stated percentage as a rate recomputed from other printed figures may be compared with:
        its rounding interval widened by one unit of its last place. Authors compute rates from
        figures finer than the ones they print (万元 behind a 亿元 total) or round in two steps, so
        a rate one unit off in its last place has two readings, a slip or a rounding chain, and is
        not reported."""
        interval = self.interval(figure)
        unit = Decimal(1).scaleb(figure.exponent)
        return Interval(interval.lo - unit, interval.hi + unit)

    def mark_checked(self, claim) -> None:
        self.checked.add(claim.id)

    def skip(self, claim, reason: Why) -> None:
        """Record why a claim is not checked: an entry of `narrative_check.not_checked`, which says it to the editor."""
        if not isinstance(reason, (Reason, NotChecked)):
            raise TypeError(f"a reason for not checking a claim comes from narrative_check.not_checked, not {reason!r}")
        self.skipped.setdefault(claim.id, reason)

    def finding(self, rule: Rule, at, message: str, *, stated: str | None = None, expected: str | None = None,
                related: list | None = None, severity: Severity | None = None, fix: Fix | None = None) -> Finding:
        """A finding at a claim, a table cell or any located element."""
        return Finding(
            rule=rule.code,
            name=rule.name,
            severity=severity or rule.severity,
            message=message,
            start=at.start,
            end=at.end,
            line=at.line,
            column=at.column,
            quote=self.quote(at),
            stated=stated,
            expected=expected,
            related=[self.related(c, role) for c, role in (related or [])],
            claim=getattr(at, "id", None),
            fix=fix,
        )

    def fix(self, edits: list[tuple[int, int, str]], message: str | None = None) -> Fix:
        """A suggested correction: each (start, end, after) replaces the text [start, end) with
        `after`. The message, unless given, says each replacement in the editor's words."""
        made = []
        for start, end, after in sorted(edits):
            line, column = self.doc.line_index.position(start)
            made.append(Edit(start=start, end=end, line=line, column=column, before=self.doc.text[start:end], after=after))
        return Fix(message=message or "；".join(f"将“{e.before}”改为“{e.after}”" for e in made), edits=made)

    def figure_edit(self, figure: Figure, number: str) -> tuple[int, int, str] | None:
        """The edit writing `number` in place of a stated figure's digits, its unit and the words
        around it left as written; None when the figure is not written in digits (三成, 一倍)."""
        match = _DIGITS.search(self.doc.text, figure.start, figure.end)
        if match is None:
            return None
        return match.start(), match.end(), number

    def text_edit(self, at, written: str, should: str) -> tuple[int, int, str] | None:
        """The edit writing `should` for the text `written` where it stands at the start of `at` (a
        cell, heading or paragraph; a few characters of indent or code before it allowed)."""
        found = self.doc.text.find(written, at.start, max(at.end, at.start + len(written) + 12))
        return None if found < 0 else (found, found + len(written), should)

    def figure_fix(self, figure: Figure, value: Decimal) -> Fix | None:
        """The fix writing `value` (in the figure's unit) for one stated figure, at the precision the
        author wrote it with (15.80% → 15.83%, 8.8% → 7.5%), said with the figure's unit."""
        number = fmt(value, max(0, -figure.exponent))
        written = self.doc.text[figure.start : figure.end]
        if "," in written or "，" in written:
            number = format(Decimal(number), ",f")  # the author's thousands separators kept
        if any("０" <= ch <= "９" for ch in written):
            number = number.translate(_TO_FULL_WIDTH)  # and the author's full-width digits
        edit = self.figure_edit(figure, number)
        if edit is None:
            return None
        start, end, number = edit
        corrected = written[: start - figure.start] + number + written[end - figure.start :]
        return self.fix([edit], f"将“{written}”改为“{corrected}”")

    def quote(self, at) -> str:
        return getattr(at, "quote", None) or self.doc.text[at.start : at.end]

    def related(self, at, role: str | None = None) -> Related:
        return Related(start=at.start, end=at.end, line=at.line, quote=self.quote(at), role=role)


def table_name(table) -> str:
    """A table as a message names it: 《its title》, or its place when it has none."""
    return f"《{table.title}》" if table.title else f"第 {table.index + 1} 个表格（无标题）"


def fmt(value: Decimal, places: int = 2) -> str:
    """A computed value for a message: fixed places, no exponent, no '-0.00'."""
    q = round_half_up(value, places)
    if q == 0:
        q = abs(q)
    return format(q, "f")


def one_slip_apart(figure: Figure, value: Decimal) -> bool:
    """Could the figure as written be `value` (in the figure's unit, as printed at the figure's
    precision) mistyped once? See `one_slip_within`."""
    half = Decimal(1).scaleb(figure.exponent) / 2
    return one_slip_within(figure, Interval(value - half, value + half))


def one_slip_within(figure: Figure, wanted: Interval) -> bool:
    """Does the figure as written, mistyped once, read as a value in `wanted` (in the figure's
    unit): one digit changed, added or dropped, or two neighbours swapped, the decimal point with
    them ('10.00' for 100.00, '193' for 139, '1.11' for 11.1)? When another figure's correction is
    one slip away as well, either may be the slip, and no edit is offered."""
    written = _digits_of(figure.text)
    if not written or wanted.contains(figure.value):
        return False
    return any((n := _as_number(v)) is not None and wanted.contains(n) for v in _one_slip_variants(written))


def _one_slip_variants(written: str):
    digits = "0123456789"
    for i, ch in enumerate(written):
        if ch.isdigit():
            yield from (written[:i] + d + written[i + 1 :] for d in digits if d != ch)
            yield written[:i] + written[i + 1 :]
        if i + 1 < len(written) and written[i] != written[i + 1]:
            yield written[:i] + written[i + 1] + written[i] + written[i + 2 :]
    for i in range(len(written) + 1):
        yield from (written[:i] + d + written[i:] for d in digits)


_TO_FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _digits_of(text: str) -> str:
    from ..extract.normalize import normalize

    match = _DIGITS.search(normalize(text))  # full-width digits read as the extractor reads them
    return match.group().replace(",", "").replace("，", "") if match else ""


def _as_number(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text and text.count(".") <= 1 and not text.startswith(".") and not text.endswith(".") else None
    except ArithmeticError:
        return None


def fmt_figure_value(yuan: Decimal, like: Figure, extra_places: int = 0) -> str:
    """A computed money value in the unit of `like`, with its precision plus `extra_places`."""
    places = max(0, -like.exponent) + extra_places
    return f"{fmt(yuan / like.scale, max(places, 2))} {like.unit}"


def percent_places(figure: Figure) -> int:
    return max(2, -figure.exponent)


DIRECTION_WORD = {"increase": "增加", "decrease": "减少", "flat": "持平"}
RATE_WORD = {"increase": "增长", "decrease": "下降", "flat": "持平"}
BASELINE_WORD = {
    "prior_final": "上年决算数", "prior_budget": "上年预算数", "initial_budget": "年初预算数",
    "adjusted_budget": "调整预算数", "budget": "预算数", "comparable": "上年同口径数", "prior_year": "上年数", "year": "比较年度数",
    "year_final": "比较年度决算数", "year_budget": "比较年度预算数",
}


def baseline_word(change) -> str:
    if change.baseline is None:
        return "基数"
    if change.baseline.year and change.baseline.kind.startswith("year"):
        return f"{change.baseline.year}年数"
    return BASELINE_WORD.get(change.baseline.kind, "基数")
