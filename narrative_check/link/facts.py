"""Facts: every figure of every table under one key, and narrative subjects resolved to the same keys.

A key says what a figure is a figure of: the funding scope (部门 / 财政拨款 /
一般公共预算 …), the flow (收入 / 支出 / 基本支出 / 三公 …), the item (a 功能分类
or 经济分类 code, the table total, the grand total, or a named line), the role
(合计 / 基本支出 / 项目支出 / 人员经费 …), and, where a column names them, the
year and the basis (预算数 / 决算数). Cross-table checks compare facts with equal
keys; text-vs-table checks resolve a claim's subject to a key and compare.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import regex

from .. import lexicons
from ..extract.tables import DASH, squash
from ..models.document import Cell, Document, Record, Table


class FactKey(NamedTuple):  # a tuple: made for every table figure, frozen dataclasses cost 3× as much
    scope: str | None
    flow: str | None
    item: str
    role: str
    year: int | None = None
    basis: str | None = None

    def text(self) -> str:
        """'gpb/expenditure/TOTAL/basic', with '/2023' when a year is named."""
        return "/".join(str(x) for x in (self.scope, self.flow, self.item, self.role, self.year) if x is not None)

    def loose(self) -> tuple:
        """The key without basis, for matching a claim that does not say 预算数 or 决算数."""
        return self[:5]


@dataclass(slots=True)
class Fact:
    key: FactKey
    value: Decimal | None
    table: Table
    record: Record
    cell: Cell

    @property
    def scale(self) -> Decimal:
        from ..extract.numbers import units

        unit = units().get(self.table.unit or "万元")
        return unit.scale if unit else Decimal(10000)

    @property
    def exponent(self) -> int:
        if self.value is None:
            return 0
        return self.value.as_tuple().exponent  # type: ignore[return-value]

    def describe(self) -> str:
        where = self.record.code or self.record.label or "合计"
        head = "/".join(self.cell.header) if self.cell.header else ""
        return f"《{self.table.title or '表'}》{where}" + (f"（{head}）" if head else "")


@lru_cache(maxsize=1)
def _scopes() -> list[tuple[str, str]]:
    rows = [(squash(r[0]), r[1]) for r in lexicons.rows("scopes.tsv")]
    return sorted(rows, key=lambda r: len(r[0]), reverse=True)


@lru_cache(maxsize=1)
def _concepts() -> dict[str, tuple[str, str, str]]:
    return {squash(r[0]): (r[1], r[2], r[3]) for r in lexicons.rows("concepts.tsv")}


@lru_cache(maxsize=1)
def _concept_scopes() -> dict[str, str]:
    return {squash(r[0]): r[4] for r in lexicons.rows("concepts.tsv") if len(r) > 4 and r[4]}


@lru_cache(maxsize=1)
def _total_label_roles() -> dict[str, str]:
    return {squash(r[0]): r[2] for r in lexicons.rows("total_labels.tsv") if len(r) > 2 and r[2]}


# What is left of '一般公共预算资金', '政府性基金预算拨款' once the scope is taken off.
_SCOPE_ONLY = {"", "资金", "拨款", "拨款收入", "收入", "资金收入"}


def split_scope(phrase: str) -> tuple[str | None, str]:
    """'一般公共预算财政拨款基本支出' → ('gpb', '基本支出')."""
    p = squash(phrase)
    for word, scope in _scopes():
        if p.startswith(word):
            return scope, p[len(word):]
    return None, p


@lru_cache(maxsize=1)
def _basis_words() -> list[tuple[str, str]]:
    return sorted(((squash(r[0]), r[1]) for r in lexicons.rows("basis_words.tsv")), key=lambda r: len(r[0]), reverse=True)


_FUNDING_SOURCE_END = regex.compile(r"(?:一般公共|政府性基金|国有资本经营)预算$")


def trailing_basis(phrase: str) -> tuple[str | None, str]:
    """'“三公”经费预算' → ('budget', '三公经费'): the basis a closing 预算/决算 word names, and the
    subject without it; not the 预算 of a funding source ('一般公共预算')."""
    p = squash(phrase)
    if not _FUNDING_SOURCE_END.search(p):
        for word, basis in _basis_words():
            if p.endswith(word) and len(p) > len(word):
                return basis, p[: -len(word)]
    return None, p


def split_basis(phrase: str) -> tuple[str | None, str]:
    """'决算总收入' → ('final', '总收入'): a leading 决算/预算 names the basis of the figure."""
    p = squash(phrase)
    for word, basis in _basis_words():
        if p.startswith(word) and len(p) > len(word):
            return basis, p[len(word):]
    return None, p


@lru_cache(maxsize=1)
def _suffix_concepts() -> list[tuple[str, tuple[str, str, str]]]:
    """Concepts whose name says what a longer subject is of when it ends it, longest first."""
    rows = [(squash(r[0]), (r[1], r[2], r[3])) for r in lexicons.rows("concepts.tsv") if len(r) > 5 and r[5] == "yes"]
    return sorted(rows, key=lambda r: len(r[0]), reverse=True)


@lru_cache(maxsize=1)
def _quantity_tails() -> tuple[str, ...]:
    return tuple(squash(w) for w in lexicons.words("quantity_tails.tsv"))


@lru_cache(maxsize=4096)
def without_tails(subject: str) -> list[str]:
    """A subject, then the subject with each closing word (合计, 支出, 汇总数 …) taken off its end in turn:
    '运行维护费支出合计' → ['运行维护费支出合计', '运行维护费支出', '运行维护费']."""
    stems = [subject]
    tails = _quantity_tails()
    while True:
        tail = next((t for t in tails if stems[-1].endswith(t) and len(stems[-1]) > len(t)), None)
        if tail is None:
            return stems
        stems.append(stems[-1][: -len(tail)])


@lru_cache(maxsize=4096)
def _concept_at_end(rest: str) -> tuple[str, tuple[str, str, str]] | None:
    """The distinctive quantity a subject ends with, once closing words (合计, 汇总数 …) are off, and
    what stands before it."""
    for stem in without_tails(rest):
        for phrase, found in _suffix_concepts():
            if stem.endswith(phrase):
                return stem[: -len(phrase)], found
    return None


def concept(phrase: str) -> tuple[str | None, tuple[str, str, str] | None]:
    """(scope, (flow, item, role)) for a subject or a table label, or (scope, None) when unknown."""
    scope, rest = split_scope(phrase)
    return scope, _concepts().get(rest)


def concept_at_end(phrase: str) -> tuple[str, str, str] | None:
    """(flow, item, role) of the distinctive quantity a subject ends with: '天山区本级一般公共预算财政拨款
    三公经费支出合计' → 三公经费. What stands before it may name another unit of government ('全州',
    '州本级'), so this says what kind of figure it is, not that two such subjects are one figure."""
    at_end = _concept_at_end(split_scope(phrase)[1])
    return at_end[1] if at_end else None


def find_scope(text: str) -> str | None:
    """The funding scope a heading or phrase names anywhere in it."""
    t = squash(text)
    for word, scope in _scopes():
        if word in t:
            return scope
    return None


def claim_key(subject: str, *, context_scope: str | None, context_flow: str | None = None) -> FactKey | None:
    """The fact a narrative subject names: '一般公共预算财政拨款基本支出' → (gpb, expenditure, TOTAL, basic).

    The scope comes from the subject itself, else the concept's own (三公 is 财政拨款 by definition),
    else the context (the list it is a part of, or the section it stands in), else the department.
    """
    from ..catalogue import catalogue

    scope, found = concept(subject)
    rest = split_scope(subject)[1]
    if found is not None:
        flow, item, role = found
        scope = scope or _concept_scopes().get(rest) or context_scope or "department"
        return FactKey(scope, flow, item, role)
    if scope and rest in _SCOPE_ONLY and context_flow:
        return FactKey(scope, context_flow, "TOTAL", "total")  # '其中：一般公共预算拨款 X 万元'
    code = catalogue().code_for_name(rest)
    if code:
        return FactKey(scope or context_scope or "department", "expenditure", code, "total")
    return None


@dataclass(frozen=True)
class ReportTitle:
    """What a report's title says it is: '重庆市万盛经开区人力资源和社会保障局 （汇总）2021年度部门决算
    情况说明' → unit '重庆市万盛经开区人力资源和社会保障局', year 2021, basis 'final', scope '部门（汇总）'."""

    unit: str | None
    year: int | None
    basis: str | None
    scope: str | None  # the kind of report (部门 / 单位) and what it covers (汇总 / 本级), lexicons/report_scopes.tsv


@lru_cache(maxsize=1)
def _report_scopes() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(kind word → (kind, note assumed when none is given), note word → note)."""
    kinds = {r[0]: (r[2], r[3] if len(r) > 3 else "") for r in lexicons.rows("report_scopes.tsv") if r[1] == "kind"}
    notes = {r[0]: r[2] for r in lexicons.rows("report_scopes.tsv") if r[1] == "note"}
    return kinds, notes


@lru_cache(maxsize=1)
def _title_patterns() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    """The title's '2021年度部门决算' (a year, then the kind of report and its basis); the same
    with the unit between, as titles that open with the year have it ('2021年度XX局部门决算');
    and the basis alone as titles also give it ('部门预算', '决算情况说明')."""
    kinds = "|".join(sorted(map(regex.escape, _report_scopes()[0]), key=len, reverse=True))
    titled = regex.compile(rf"(?P<year>(?:19|20)\d{{2}})\s*年度?\s*(?P<kind>{kinds})?(?:（单位）)?(?P<basis>预算|决算)")
    year_first = regex.compile(
        rf"^(?P<year>(?:19|20)\d{{2}})\s*年度?(?P<unit>[^，。；：、！？\d]{{2,40}}?)(?P<kind>{kinds})(?:（单位）)?(?P<basis>预算|决算)"
    )
    basis = regex.compile(rf"(?:{kinds}|年度?)(?:（单位）)?(预算|决算)|(预算|决算)(?:情况)?说明")
    return titled, year_first, basis


_FIRST_YEAR = regex.compile(r"((?:19|20)\d{2})\s*年")
_BRACKETED = regex.compile(r"（[^（）]{1,8}）")
_MARKUP = regex.compile(r"^[#*>\s]+")


def report_title(text: str) -> ReportTitle:
    """The unit, year, basis and scope a report's title gives (each None where it gives none)."""
    return _report_title(text[:3000])


@lru_cache(maxsize=64)
def _report_title(head: str) -> ReportTitle:
    from ..extract.normalize import normalize

    titled, year_first, basis_pattern = _title_patterns()
    year_head = normalize(head[:2000])
    # The title names the year first ("2021年部门决算情况说明"); a later "2020 年度部门决算报表" quotes
    # another year's report, so the earliest year named wins, a titled one only on a tie.
    found = [m for m in (titled.search(year_head), _FIRST_YEAR.search(year_head)) if m]
    first = min(found, key=lambda m: m.start(), default=None)
    m = basis_pattern.search(normalize(head))
    basis = None if not m else "final" if "决算" in m.group() else "budget"
    unit, scope = _unit_and_scope(head, titled, year_first)
    return ReportTitle(unit, int(first.group(1)) if first else None, basis, scope)


def _unit_and_scope(head: str, titled: regex.Pattern, year_first: regex.Pattern) -> tuple[str | None, str | None]:
    """The unit: the text before '2021年度部门决算' on the title line, or the line above when the
    title line starts with the year, or what comes between year and kind ('2021年度XX局部门决算').
    The scope: the kind word and a bracketed note on either line."""
    from ..extract.normalize import normalize

    lines = [normalize(_MARKUP.sub("", line)) for line in head.splitlines() if line.strip()][:12]
    for i, line in enumerate(lines):
        m = titled.search(line)
        if not m:
            between = year_first.match(line)
            if between:
                unit = _BRACKETED.sub("", between.group("unit"))
                return (unit if _name_like(unit) else None), _scope(between.group("kind"), line)
            continue
        before = _BRACKETED.sub("", line[: m.start()]).removeprefix("关于")
        above = lines[i - 1] if i > 0 and not before else ""
        unit = before or _BRACKETED.sub("", above)
        return (unit if _name_like(unit) else None), _scope(m.group("kind"), above + line)
    return None, None


def _scope(kind_word: str | None, title: str) -> str | None:
    """'部门（汇总）': the kind the title names, with the note it gives or the kind's usual one."""
    kinds, notes = _report_scopes()
    kind, usual = kinds.get(kind_word or "", (None, ""))
    note = next((notes[b[1:-1]] for b in _BRACKETED.findall(title) if b[1:-1] in notes), usual)
    if kind is None and not note:
        return None
    return f"{kind or ''}（{note}）" if note else kind


def _name_like(text: str) -> bool:
    """A unit's name is short and has no sentence punctuation."""
    return 2 <= len(text) <= 40 and not regex.search(r"[。，；：、！？]", text)


def report_year(doc: Document) -> int | None:
    return report_title(doc.text).year


def report_basis(doc: Document) -> str | None:
    """'final' for a 决算 report, 'budget' for a 预算 report, from its title."""
    return report_title(doc.text).basis


def table_facts(doc: Document) -> list[Fact]:
    year = report_year(doc)
    facts: list[Fact] = []
    for table in doc.tables:
        if table.kind is None or table.flow == "performance":
            continue
        past_total: dict[int, str | None] = {}  # block → the line heading the lines after its 合计
        for rec in table.records:
            item, label_role, label_flow, label_scope = _item(rec)
            if rec.total == "subtotal":
                past_total[rec.block] = None
            elif rec.block in past_total and not rec.code:
                # Lines after a block's 合计 break down another line ('年初结转和结余' → 一、二、…),
                # not this year's flow: keep them apart under their heading.
                if not rec.marker:
                    past_total[rec.block] = rec.label
                elif past_total[rec.block]:
                    item, label_role, label_flow, label_scope = f"L:{past_total[rec.block]}/{rec.label}", None, None, None
            for v in rec.values:
                cell = _cell(table, rec.row, v.col)
                if cell is None or (v.value is None and DASH.match(cell.text.strip() or "x")):
                    continue  # '—' means 'not applicable', not zero
                role = label_role if (label_role and v.role == "total") else v.role
                flow = label_flow or v.flow or rec.flow or table.flow
                scope = v.scope or label_scope or table.scope
                key = FactKey(scope, flow, item, role, None if v.year == year else v.year, v.basis)
                facts.append(Fact(key, v.value, table, rec, cell))
    return facts


def _item(rec: Record) -> tuple[str, str | None, str | None, str | None]:
    """(item, role, flow, scope) a record's code or label names."""
    if rec.code:
        return rec.code, None, None, None
    return _label_item(rec.label, rec.total)


@lru_cache(maxsize=16384)  # tables of one report, and of every report, repeat their labels
def _label_item(label: str, total: str | None) -> tuple[str, str | None, str | None, str | None]:
    label = squash(label)
    role = _total_label_roles().get(label)
    if total == "grand":
        return "GRAND", role, None, None
    if total == "subtotal":
        return "TOTAL", role, None, None
    scope, found = concept(label)
    rest = split_scope(label)[1]
    if found is not None:
        flow, item, crole = found
        return item, crole, flow, scope or _concept_scopes().get(rest)
    if scope and rest in _SCOPE_ONLY:
        return "TOTAL", None, None, scope  # '一般公共预算资金': the block's total from that source
    if not label:
        return "TOTAL", None, None, None  # a one-line table ('三公' table): its only line is its total
    return f"L:{label}", None, None, scope


def _cell(table: Table, row: int, col: int) -> Cell | None:
    cells = table.rows[row].cells
    return cells[col] if col < len(cells) else None


class FactIndex:
    """Facts by key, each key's facts by table kind and then by table (in document order).

    A file that binds several reports (one per unit) repeats each standard table; a claim is
    tied to the copy of each table that belongs with it — the nearest one after it, else the
    nearest before — not to every unit's copy. Found by bisection, so a claim's cost does not
    grow with the number of copies.
    """

    def __init__(self, facts: list[Fact]) -> None:
        self.facts = facts
        self._by_loose: dict[tuple, list[Fact]] = defaultdict(list)
        for f in facts:
            self._by_loose[f.key.loose()].append(f)
        # per key looked up: [(table starts in order, facts of each of those tables)] per table kind
        self._copies: dict[tuple, list[tuple[list[int], list[list[Fact]]]]] = {}

    def _copies_of(self, loose: tuple) -> list[tuple[list[int], list[list[Fact]]]]:
        copies = self._copies.get(loose)
        if copies is None:
            by_kind: dict[str | None, dict[int, list[Fact]]] = {}
            for f in self._by_loose.get(loose, ()):
                by_kind.setdefault(f.table.kind, {}).setdefault(f.table.start, []).append(f)
            copies = self._copies[loose] = [(sorted(tables), [tables[s] for s in sorted(tables)]) for tables in by_kind.values()]
        return copies

    def find(self, key: FactKey, basis: str | None, at: int = 0) -> list[Fact]:
        """Facts for a key, from the copy of each table nearest after `at` (else before); a
        claim's basis accepts columns of that basis or of none."""
        found: list[Fact] = []
        for starts, tables in self._copies_of(key.loose()):
            i = bisect_left(starts, at)
            found.extend(tables[i if i < len(starts) else -1])
        return [f for f in found if basis is None or f.key.basis in (None, basis)]
