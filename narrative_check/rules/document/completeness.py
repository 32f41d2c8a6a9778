"""Is a text a whole report, and which of its template's parts does it have?

DOC004–DOC006 judge what a report lacks; a lack means something only in a whole report. Pages of
one section, excerpts that start mid-list and stored page cuts are common inputs, so a text is
taken for a whole report only when
- its title, at the top, names the kind of report (“2021年度部门决算”, “2024年单位预算”): a text
  without one cannot say which template it follows;
- it does not start mid-list (its first numbered heading is not 一、/（一）/1.): a text starting
  at “三、” is the rest of something;
- and, for each family of parts (tables, sections), at least half of the ones the template asks
  for are there: a report whose tables are published as a separate file, or a page of two
  sections, has too few to say the others are missing rather than elsewhere.
The catalogue of parts is `lexicons/required_parts.tsv`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import regex

from ... import lexicons
from ...extract.normalize import normalize
from ...extract.tables import squash
from ...models.document import Document, Span, Table
from ...read.numbering import marker_number, match_item_marker
from ..base import RuleContext

# Half of a family's parts, at least, before the others are called missing (see the module's doc).
WHOLE_SHARE = Fraction(1, 2)
# The title is among the first lines; a report's name further down quotes another report.
_TITLE_LINES = 6
_TITLE_MAX = 80
_MARKUP = regex.compile(r"^[#*>\s]+")
_TITLE = regex.compile(r"(?:19|20)\d{2}\s*年度?.{0,40}?(?P<kind>部门|单位)(?:[（(](?:单位|汇总|本级)[）)])?\s*(?P<basis>预算|决算)")
# A paragraph's lead: the words before its first stop, after its numbering ('（一）机关运行经费。…').
_LEAD = regex.compile(r"^[^。；：:！？]{1,30}")
_GLOSSARY = regex.compile(r"名词解释|名词说明|术语解释|名词释义")


@dataclass(frozen=True)
class Part:
    name: str
    part: str  # table | section
    matched_by: tuple[str, ...]
    when: str  # '' | 'funded:SCOPE' | 'may_lack'


@dataclass(frozen=True)
class ReportKind:
    kind: str  # 部门 | 单位
    basis: str  # 预算 | 决算
    title: Span

    @property
    def name(self) -> str:
        return self.kind + self.basis


@lru_cache(maxsize=1)
def _catalogue() -> tuple[tuple[str, str, str, tuple[str, ...], str, str], ...]:
    out = []
    for row in lexicons.rows("required_parts.tsv"):
        name, part, reports, matched = row[:4]
        dept = row[4] if len(row) > 4 else ""
        unit = row[5] if len(row) > 5 and row[5] else dept
        out.append((name, part, reports, tuple(squash(m) if part == "section" else m for m in matched.split("|")), dept, unit))
    return tuple(out)


def required_parts(report: ReportKind, part: str) -> list[Part]:
    return [
        Part(name, p, matched, dept if report.kind == "部门" else unit)
        for name, p, reports, matched, dept, unit in _catalogue()
        if p == part and report.basis in reports.split("|")
    ]


@lru_cache(maxsize=1)
def _signatures() -> tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...]:
    rows = []
    for row in lexicons.rows("table_signatures.tsv"):
        kind, scope, flow, needed = row[:4]
        excluded = row[4] if len(row) > 4 else ""
        rows.append((kind, scope, flow, tuple(map(squash, needed.split("|"))), tuple(squash(x) for x in excluded.split("|") if x)))
    return tuple(rows)


def table_kind(table: Table, basis: str) -> str | None:
    """The standard table this is: by its title (table_kinds.tsv), or, for a title that names none,
    by the heads and line labels only that kind of table has (table_signatures.tsv)."""
    if table.kind:
        return table.kind
    words = {squash(h) for col in table.columns for h in col.header} | {squash(rec.label) for rec in table.records if rec.label}
    words |= {squash(c.text) for r in table.rows[: table.header_rows] for c in r.cells}
    for kind, _scope, _flow, needed, excluded in _signatures():
        if all(any(n in w for w in words) for n in needed) and not any(x in w for w in words for x in excluded):
            return kind.format(basis="final" if basis == "决算" else "budget")
    return None


def report_kind(ctx: RuleContext) -> ReportKind | None:
    """The kind of report the text's title names, when the text can be a whole report: a title at
    the top naming 部门/单位 and 预算/决算, and no start mid-list."""
    if "report_kind" not in ctx.cache:
        ctx.cache["report_kind"] = _report_kind(ctx.doc)
    return ctx.cache["report_kind"]


def _report_kind(doc: Document) -> ReportKind | None:
    if _starts_mid_list(doc):
        return None
    pos, seen = 0, 0
    for raw in doc.text.split("\n"):
        body = _MARKUP.sub("", raw.strip())
        if body:
            seen += 1
            if seen > _TITLE_LINES:
                return None
            # A numbered line is a heading inside a report ('一、2015年部门决算…说明'), not its title.
            m = _TITLE.search(normalize(body)) if len(body) <= _TITLE_MAX and not match_item_marker(body) else None
            if m:
                start = pos + raw.index(body)
                return ReportKind(m.group("kind"), m.group("basis"), doc.span(start, start + len(body)))
        pos += len(raw) + 1
    return None


def _starts_mid_list(doc: Document) -> bool:
    """The first numbered heading is not the first of its list ('三、', '（二）')."""
    for section in doc.sections:
        if section.marker and section.marker != "#" and any(ch not in "#" for ch in section.marker):
            number = marker_number(section.marker)
            return number is not None and number != 1
    return False


def tables_by_kind(ctx: RuleContext, report: ReportKind) -> dict[str, list[Table]]:
    out: dict[str, list[Table]] = {}
    for table in ctx.doc.tables:
        kind = table_kind(table, report.basis)
        if kind:
            out.setdefault(kind, []).append(table)
    return out


def headings(ctx: RuleContext) -> list[tuple[str, int | None]]:
    """(squashed heading or numbered paragraph lead, its section) for every section title and
    every numbered paragraph's lead: templates give 机关运行经费 or 政府采购 a heading in one
    province and a numbered paragraph ('（一）机关运行经费。…') in another."""
    if "doc_headings" in ctx.cache:
        return ctx.cache["doc_headings"]
    doc = ctx.doc
    out = [(squash(s.title), s.index) for s in doc.sections]
    for para in doc.paragraphs:
        text = doc.text[para.start : para.end].strip()
        marker = match_item_marker(text)
        if not marker:
            continue
        lead = _LEAD.match(text[marker[2] :])
        if lead:
            out.append((squash(lead.group()), para.section))
    ctx.cache["doc_headings"] = out
    return out


def in_glossary(ctx: RuleContext, section: int | None) -> bool:
    """Under a 名词解释 section: a glossary defines “三公”经费 or 机关运行经费 and reports on neither."""
    return any(_GLOSSARY.search(s.title) for s in ctx.doc.section_path(section))


def section_present(ctx: RuleContext, part: Part) -> bool:
    glossary = any(_GLOSSARY.search(p) for p in part.matched_by)
    for text, section in headings(ctx):
        if any(p in text for p in part.matched_by) and (glossary or not in_glossary(ctx, section)):
            return True
    return False


def share_present(present: int, total: int) -> bool:
    return total > 0 and Fraction(present, total) >= WHOLE_SHARE


def funded(ctx: RuleContext, scope: str) -> bool | None:
    """Whether the report has money of a funding scope: True when it states such an amount other
    than zero, False when it says it has none ('本单位无国有资本经营预算财政拨款支出', '国有资本经营预算拨款
    0 万元'), None when it says neither."""
    from ...link.empty_tables import narrative_statements
    from ...link.facts import find_scope

    amounts = [c for c in ctx.current_amounts() if find_scope(c.subject) == scope]
    if any(c.value.value != 0 for c in amounts):
        return True
    if amounts or any(find_scope(st.text) == scope for st in narrative_statements(ctx.doc)):
        return False
    return None


def whole_for_tables(ctx: RuleContext) -> bool:
    """A whole report with its tables in the text: DOC004's condition for reporting anything."""
    report = report_kind(ctx)
    if report is None:
        return False
    parts = required_parts(report, "table")
    present = tables_by_kind(ctx, report)
    return share_present(sum(1 for p in parts if any(k in present for k in p.matched_by)), len(parts))
