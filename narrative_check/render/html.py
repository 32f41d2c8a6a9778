"""One self-contained page for editors: the report's text with every finding marked, the findings
beside it by rule or in document order, and a summary on top. CSS and script are inlined; nothing
is fetched, and the page reads without script.

Marks may overlap (two rules on one figure, a finding inside a linked table cell), so the text is
cut at every mark boundary and each piece carries all the marks covering it: no nesting is needed,
and every finding's pieces, read in order, give back its quote. Empty spans (an empty table cell)
get an empty marker element. A table's rows are drawn as an HTML table, a flagged cell outlined
in its row and column with its rules linked; the tabs and blank lines between cells stay in the
page as hidden pieces, so the page still holds every character of the text in order. Every text
and attribute is escaped.
"""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Callable
from importlib import resources

import regex

from ..errors import printable
from ..lang import FIX_AND_TIED, STATED_AND_EXPECTED, Lang
from ..models.document import Cell, Table, TableRow
from ..models.findings import Finding, Report
from .places import place

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABEL = {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"}
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def render(reports: list[Report]) -> str:
    title = printable(reports[0].file or "text") if len(reports) == 1 else f"{len(reports)} 个文件 files"
    sections = "".join(_report_section(f"r{i}", report) for i, report in enumerate(reports))
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">\n"
        f"<title>narrative-check · {_esc(title)}</title>\n"
        f"<style>\n{_asset('report.css')}</style>\n"
        f"<script>\n{_asset('errors.js')}</script>\n"
        "</head>\n<body>\n"
        f"{sections}"
        f"<script>\n{_asset('report.js')}</script>\n"
        "</body>\n</html>\n"
    )


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _esc(text: object) -> str:
    """Escaped for text and attribute values; control characters (CR, form feed …) as references."""
    escaped = html.escape(str(text), quote=True)
    return _CONTROL.sub(lambda m: f"&#{ord(m.group()):d};", escaped)


# ---- the summary and the list of findings -------------------------------------------------------


def _report_section(rid: str, report: Report) -> str:
    marks = _Marks.of(rid, report)
    text_part = _text_html(rid, report.text, marks, report) if report.text is not None else (
        '<p class="notext">报告正文不可用 (the report carries no text: it was not produced by check_text/check_file)</p>'
    )
    return (
        f'<section class="report" id="{rid}">\n'
        f"{_summary(report)}"
        '<div class="layout">\n'
        f'<nav class="findings" aria-label="findings">{_finding_list(rid, report, marks)}</nav>\n'
        f'<div class="text" role="document">{text_part}</div>\n'
        "</div>\n</section>\n"
    )


def _summary(report: Report) -> str:
    by_severity = {s: 0 for s in SEVERITY_ORDER}
    for f in report.findings:
        by_severity[f.severity] += 1
    stats = report.stats
    found = sum(stats.claims_found.values())
    counts = "".join(
        f'<li class="count sev-{s}" data-severity="{s}"><b>{n}</b> {_esc(SEVERITY_LABEL[s])}</li>' for s, n in by_severity.items()
    )
    reasons = "".join(f"<li>{_esc(reason)}: {n}</li>" for reason, n in stats.not_checked_reasons.items())
    kinds = "，".join(f"{_esc(kind)} {n}" for kind, n in stats.claims_found.items())
    return (
        '<header class="summary">\n'
        f'<h1 class="file">{_esc(printable(report.file or "text"))}</h1>\n'
        f'<ul class="counts">{counts}</ul>\n'
        f'<p class="claims">识别数字表述 <b data-stat="found">{found}</b> 条（{kinds}），'
        f'核验 <b data-stat="checked">{stats.claims_checked}</b> 条，'
        f'未核验 <b data-stat="not-checked">{stats.claims_not_checked}</b> 条 '
        f"(claims found / checked / not checked; not checked is not passed)；"
        f"金额与表格单元格对应 {stats.amounts_linked} 条 (amounts linked to a table cell)</p>\n"
        + (f"<details class=\"reasons\"><summary>未核验原因 (why not checked)</summary><ul>{reasons}</ul></details>\n"
           if reasons else "")
        + "</header>\n"
    )


def _finding_list(rid: str, report: Report, marks: "_Marks") -> str:
    if not report.findings:
        return '<p class="clean">未发现问题 (no findings)</p>'
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, f in enumerate(report.findings):
        groups[(f.severity, f.rule)].append(i)
    parts = []
    for severity, rule in sorted(groups, key=lambda key: (SEVERITY_ORDER[key[0]], key[1])):
        indices = groups[(severity, rule)]
        name = report.findings[indices[0]].name
        items = "".join(_finding_item(rid, i, report.findings[i], marks, report) for i in indices)
        parts.append(
            f'<details class="group sev-{severity}" open><summary><span class="code">{_esc(rule)}</span> '
            f'{_esc(name)} <span class="sev">{_esc(severity)}</span> <span class="n">{len(indices)}</span></summary>'
            f"<ol>{items}</ol></details>"
        )
    # Two orders, switched by radio buttons and CSS alone: the page needs no script to offer both.
    in_text_order = sorted(range(len(report.findings)), key=lambda i: (report.findings[i].start, report.findings[i].end, i))
    by_place = "".join(_finding_at(rid, i, report.findings[i], report.lang) for i in in_text_order)
    return (
        '<div class="orders">'
        f'<input type="radio" name="{rid}-order" id="{rid}-by-rule" class="order-by-rule" checked>'
        f'<label for="{rid}-by-rule">按规则 by rule</label>'
        f'<input type="radio" name="{rid}-order" id="{rid}-by-place" class="order-by-place">'
        f'<label for="{rid}-by-place">按位置 in document order</label>'
        f'<div class="by-rule">{"".join(parts)}</div>'
        f'<ol class="by-place">{by_place}</ol>'
        "</div>"
    )


def _where(f: Finding, lang: Lang = "zh") -> str:
    """Line and column in the text, and the place in a Word/PDF original (its page among them)."""
    words = place(f.source, lang)
    at = f"第 {f.line} 行 {f.column} 列" if lang == "zh" else f"line {f.line}, column {f.column}"
    return at + (f" · {words}" if words else "")


def _finding_at(rid: str, i: int, f: Finding, lang: Lang) -> str:
    """A finding in the list in document order: where, rule and message, linked to the finding."""
    fid = f"{rid}-f{i}"
    return (
        f'<li class="item sev-{f.severity}"><a class="finding-at" href="#{fid}" data-finding-at="{fid}">'
        f'<span class="where">{_esc(_where(f, lang))}</span> <span class="code">{_esc(f.rule)}</span> '
        f'<span class="msg">{_esc(f.message)}</span></a></li>'
    )


def _finding_item(rid: str, i: int, f: Finding, marks: "_Marks", report: Report) -> str:
    fid = f"{rid}-f{i}"
    cells = " ".join(marks.cells_of_finding.get(i, []))
    values = ""
    if said := f.stated_and_expected(report.lang):
        kind = dict(zip(STATED_AND_EXPECTED[report.lang], ("stated", "expected")))
        values = '<span class="values">' + " ".join(f'{label} <q class="{kind[label]}">{_esc(value)}</q>' for label, value in said) + "</span>"
    related = "".join(_related_item(f"{fid}-r{j}", r, report.file) for j, r in enumerate(f.related))
    fix_label, tied_label = FIX_AND_TIED[report.lang]
    if f.fix:
        values += f' <span class="fix">{fix_label} <q>{_esc(f.fix.message)}</q></span>'
    tied = "".join(f'<li class="tied">{tied_label} <span class="code">{_esc(t.rule)}</span> {_esc(t.message)}</li>' for t in f.tied)
    return (
        f'<li class="item sev-{f.severity}">'
        f'<a class="finding" href="#{fid}" data-finding="{fid}" data-cells="{_esc(cells)}" data-quote-length="{len(f.quote)}">'
        f'<span class="where">{_esc(_where(f, report.lang))}</span> '
        f'<span class="msg">{_esc(f.message)}</span> {values}</a>'
        + (f'<ul class="related">{related}{tied}</ul>' if related or tied else "")
        + "</li>"
    )


def _related_item(anchor: str, r, report_file: str | None) -> str:
    label = f"{_esc(r.role + '：' if r.role else '')}{_esc(_short(r.quote))}"
    if r.file is not None and r.file != report_file:
        return f'<li class="elsewhere">{label} <span class="where">{_esc(printable(r.file))} 第 {r.line} 行</span></li>'
    return f'<li><a href="#{anchor}" data-related="{anchor}">{label} <span class="where">第 {r.line} 行</span></a></li>'


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- the text with its marks -------------------------------------------------------------------


@dataclass
class _Mark:
    start: int
    end: int
    attr: str  # "f" finding, "r" a finding's related place, "c" a linked table cell
    ident: str
    severity: str | None = None
    title: str = ""
    anchor: str | None = None


@dataclass
class _Marks:
    marks: list[_Mark] = field(default_factory=list)
    cells_of_finding: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, rid: str, report: Report) -> "_Marks":
        self = cls()
        cell_ids: dict[tuple[int, int], str] = {}
        cell_titles: dict[str, list[str]] = defaultdict(list)
        cells_of_claim: dict[str, list[str]] = defaultdict(list)
        by_id = {claim.id: claim for claim in report.claims}
        for claim in report.claims:
            for link in getattr(claim, "links", None) or []:
                key = (link.start, link.end)
                if key not in cell_ids:
                    cell_ids[key] = f"{rid}-c{len(cell_ids)}"
                cid = cell_ids[key]
                cells_of_claim[claim.id].append(cid)
                where = f"表{link.table + 1}「{link.title or ''}」 {link.label} / {link.column}"
                cell_titles[cid].append(f"{where} ← {claim.id}「{_short(claim.quote, 30)}」({link.role})")
        for (start, end), cid in cell_ids.items():
            self.marks.append(_Mark(start, end, "c", cid, title="\n".join(dict.fromkeys(cell_titles[cid]))))
        for i, f in enumerate(report.findings):
            fid = f"{rid}-f{i}"
            self.marks.append(_Mark(f.start, f.end, "f", fid, f.severity, f"{f.rule} {f.name}: {f.message}", anchor=fid))
            for j, r in enumerate(f.related):
                if r.file is not None and r.file != report.file:
                    continue  # in another report: listed, not marked in this text
                self.marks.append(_Mark(r.start, r.end, "r", fid, title=f"{f.rule} {r.role or ''}", anchor=f"{fid}-r{j}"))
            if f.claim:
                claim_ids = [f.claim, *_referenced_claims(by_id.get(f.claim))]
                cells = [cid for claim_id in claim_ids for cid in cells_of_claim.get(claim_id, [])]
                if cells:
                    self.cells_of_finding[i] = list(dict.fromkeys(cells))
        return self


def _referenced_claims(claim) -> list[str]:
    """The claims a claim is built on (a change's current amount, a share's part and whole …): their cells matter too."""
    if claim is None:
        return []
    refs = [getattr(claim, name, None) for name in ("current_claim", "part_claim", "whole_claim")]
    refs += [part.claim for part in getattr(claim, "parts", None) or []]
    return [ref for ref in refs if ref]


class _Pieces:
    """The text cut at every mark boundary and every boundary the layout needs; the HTML of any
    stretch between two cuts. Anchors and empty marks are given out once, by the first stretch
    that starts at (or is empty at) their offset, or by the stretch that ends the text (`closing`)."""

    def __init__(self, text: str, marks: _Marks, cuts: set[int], closing: int | None) -> None:
        self.text = text
        self.cuts = sorted(c for c in cuts | {0, len(text)} | {m.start for m in marks.marks} | {m.end for m in marks.marks}
                           if 0 <= c <= len(text))
        self.closing = closing
        self.covering: dict[int, list[_Mark]] = defaultdict(list)  # piece index -> marks
        self.empty_at: dict[int, list[_Mark]] = defaultdict(list)
        self.anchors_at: dict[int, list[str]] = defaultdict(list)
        for mark in marks.marks:
            if mark.anchor:
                self.anchors_at[mark.start].append(mark.anchor)
            if mark.end <= mark.start:
                self.empty_at[mark.start].append(mark)
                continue
            for k in range(bisect_left(self.cuts, mark.start), bisect_left(self.cuts, mark.end)):
                self.covering[k].append(mark)

    def html(self, a: int, b: int) -> str:
        """text[a:b] (both cuts) as pieces, each tagged with the marks covering it."""
        out: list[str] = []
        for k in range(bisect_left(self.cuts, a), bisect_left(self.cuts, b)):
            at = self.cuts[k]
            self._at(at, out)
            out.append(_piece(self.text[at : self.cuts[k + 1]], self.covering.get(k, [])))
        if a == b or b == self.closing:
            self._at(b, out)
        return "".join(out)

    def _at(self, offset: int, out: list[str]) -> None:
        for anchor in self.anchors_at.pop(offset, ()):
            out.append(f'<a class="anchor" id="{_esc(anchor)}"></a>')
        for mark in self.empty_at.pop(offset, ()):
            out.append(_piece("", [mark], empty=True))


def _text_html(rid: str, text: str, marks: _Marks, report: Report) -> str:
    """The text line by line, a table's rows as an HTML table; every character of the text is in
    the page, in order (the tabs and blank lines between cells in hidden `.sep` pieces)."""
    line_starts = [0] + [m.end() for m in regex.finditer("\n", text)]
    layouts = _table_layouts(text, report.tables)
    cuts = set(line_starts)
    for layout in layouts:
        cuts.update(layout.cuts())
    # A line's newline ends its last piece: a block ignores a final newline, and the page's text
    # (and copying from it) keeps every character. After a final newline comes an empty line,
    # which holds what is at the very end.
    pieces = _Pieces(text, marks, cuts, closing=len(text) if text and not text.endswith("\n") else None)
    findings_at: dict[int, list[int]] = defaultdict(list)  # id(cell) -> finding indices
    for i, cells in _cells_of_findings(layouts, report).items():
        for key in cells:
            findings_at[key].append(i)
    out = []
    li = 0  # index into line_starts of the next line to write
    for layout in [*layouts, None]:
        stop = layout.start if layout else len(text)
        while li < len(line_starts) and line_starts[li] < stop:
            a = line_starts[li]
            b = line_starts[li + 1] if li + 1 < len(line_starts) else len(text)
            out.append(_line(rid, li + 1, pieces.html(a, b)))
            li += 1
        if layout is not None:
            out.append(layout.html(rid, pieces, lambda offset: bisect_right(line_starts, offset), findings_at, report))
            li = bisect_left(line_starts, layout.end)
    if not text or text.endswith("\n"):
        out.append(_line(rid, len(line_starts) if text else 1, pieces.html(len(text), len(text))))
    return "".join(out)


def _line(rid: str, n: int, inner: str) -> str:
    return f'<div class="line" id="{rid}-L{n}" data-n="{n}"><span class="no">{n}</span><span class="tx">{inner}</span></div>\n'


# ---- tables drawn as tables ---------------------------------------------------------------------

# Between rows, lines of nothing but space or a markdown table's rule (|---|) are hidden with the
# separators; any other line there (a page number) is shown as a row of its own.
_HIDDEN_BETWEEN_ROWS = regex.compile(r"[\s\u3000]*(?:[|｜]?\s*:?-{3,}:?\s*(?:[|｜]\s*:?-{3,}:?\s*)*[|｜]?[\s\u3000]*)*")
_CELL_SEPARATOR = regex.compile(r"[\s\u3000|｜]*")


@dataclass
class _RowLayout:
    row: TableRow
    cells: list[Cell]  # by offset
    end: int  # after the row's line and the hidden lines after it
    between: tuple[int, int] | None = None  # a shown line before the row: (start, end)


@dataclass
class _TableLayout:
    table: Table
    start: int  # the first row's line start
    end: int  # the last row's line end
    rows: list[_RowLayout]
    width: int

    def cuts(self) -> list[int]:
        cuts = [self.start, self.end]
        for r in self.rows:
            cuts.append(r.end)
            if r.between:
                cuts.extend(r.between)
            for cell in r.cells:
                cuts += [cell.start, cell.end]
        return cuts

    def html(self, rid: str, pieces: _Pieces, line_of: Callable[[int], int], findings_at: dict[int, list[int]],
             report: Report) -> str:
        """The table; `line_of(offset)` is the 1-based line of an offset, `findings_at` the findings
        at each cell (by id)."""
        flagged_cols = {cell.col for r in self.rows for cell in r.cells if id(cell) in findings_at and not r.row.continuation}
        value_cols = {column.index for column in self.table.columns if column.kind == "value"}
        text = pieces.text
        head, body = [], []
        for r in self.rows:
            part = head if r.row.index < self.table.header_rows else body
            if r.between:
                a, b = r.between
                line = line_of(a)
                part.append(f'<tr class="between" id="{rid}-L{line}" data-n="{line}"><th class="no" scope="row">{line}</th>'
                            f'<td colspan="{self.width}"><span class="tx">{pieces.html(a, b)}</span></td></tr>\n')
            row_start = _line_start(text, r.row.start)
            line = line_of(row_start)
            cells_html = []
            row_findings: list[int] = []
            for k, cell in enumerate(r.cells):
                before = pieces.html(row_start, cell.start) if k == 0 else ""
                after = pieces.html(cell.end, r.cells[k + 1].start if k + 1 < len(r.cells) else r.end)
                found = findings_at.get(id(cell), [])
                row_findings += found
                classes = []
                if found:
                    worst = min((report.findings[i].severity for i in found), key=SEVERITY_ORDER.__getitem__)
                    classes += ["flagged", f"sev-{worst}"]
                if cell.col in flagged_cols and not r.row.continuation:
                    classes.append("flagged-col")
                if cell.value is not None and cell.col in value_cols:
                    classes.append("num")  # figures right-aligned; codes and line numbers are not figures
                tag = "th" if r.row.index < self.table.header_rows else "td"
                span = f' colspan="{self.width}"' if r.row.continuation else ""
                refs = "".join(
                    f'<a class="cellref sev-{report.findings[i].severity}" href="#{rid}-f{i}" data-finding-ref="{rid}-f{i}" '
                    f'title="{_esc(report.findings[i].message)}">{_esc(report.findings[i].rule)}</a>' for i in found
                )
                listed = " ".join(f"{rid}-f{i}" for i in found)
                cells_html.append(
                    f'<{tag}' + (f' class="{" ".join(classes)}"' if classes else "") + f' data-col="{cell.col}"'
                    + (f' data-findings="{_esc(listed)}"' if found else "")
                    + f"{span}>"
                    f'<span class="tx">{_sep(before)}{pieces.html(cell.start, cell.end)}{_sep(after)}</span>'
                    + (f'<span class="refs">{refs}</span>' if refs else "")
                    + f"</{tag}>"
                )
            row_class = ' class="flagged-row"' if row_findings else ""
            part.append(
                f'<tr id="{rid}-L{line}" data-n="{line}"{row_class}><th class="no" scope="row">{line}</th>{"".join(cells_html)}</tr>\n'
            )
        title = self.table.title or f"表 {self.table.index + 1}"
        return (
            f'<div class="tbl" data-table="{self.table.index}"><table aria-label="{_esc(title)}">\n'
            + (f"<thead>\n{''.join(head)}</thead>\n" if head else "")
            + f"<tbody>\n{''.join(body)}</tbody>\n</table></div>\n"
        )


def _sep(inner: str) -> str:
    return f'<span class="sep">{inner}</span>' if inner else ""


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    """After the newline ending the line `offset` is on (or the end of the text)."""
    at = text.find("\n", offset)
    return len(text) if at < 0 else at + 1


def _table_layouts(text: str, tables: list[Table]) -> list[_TableLayout]:
    """The tables whose rows can be drawn as a grid, in text order: rows on lines of their own
    in order, cells in order inside their row, nothing but spaces and '|' between them. A table
    that is not (or overlaps one before it) stays lines of text."""
    layouts: list[_TableLayout] = []
    for table in sorted(tables, key=lambda t: t.rows[0].start if t.rows else -1):
        layout = _table_layout(text, table)
        if layout is not None and (not layouts or layout.start >= layouts[-1].end):
            layouts.append(layout)
    return layouts


def _table_layout(text: str, table: Table) -> _TableLayout | None:
    if not table.rows:
        return None
    rows: list[_RowLayout] = []
    previous_end = None
    for row in table.rows:
        cells = sorted(row.cells, key=lambda c: (c.start, c.end))
        row_start, row_end = _line_start(text, row.start), _line_end(text, max(row.end, row.start))
        if not cells or "\n" in text[row.start : row.end] or (previous_end is not None and row_start < previous_end):
            return None
        if not (row_start <= cells[0].start and cells[-1].end <= row_end):
            return None
        edges = [row_start, *(x for c in cells for x in (c.start, c.end)), row_end]
        if any(a > b or not _CELL_SEPARATOR.fullmatch(text, a, b) for a, b in zip(edges[::2], edges[1::2])):
            return None
        between = None
        if rows:
            if _HIDDEN_BETWEEN_ROWS.fullmatch(text, previous_end, row_start):
                rows[-1].end = row_start  # the hidden lines end the row above
            else:
                between = (previous_end, row_start)
        rows.append(_RowLayout(row, cells, row_end, between))
        previous_end = row_end
    width = max((len(r.cells) for r in rows if not r.row.continuation), default=1)
    return _TableLayout(table, _line_start(text, rows[0].row.start), previous_end, rows, width)


def _cells_of_findings(layouts: list[_TableLayout], report: Report) -> dict[int, list[int]]:
    """finding index -> the drawn cells (by id) its span falls in: any character of the cell, or
    the cell's place for an empty span (an empty cell)."""
    starts = [layout.start for layout in layouts]
    found: dict[int, list[int]] = {}
    for i, f in enumerate(report.findings):
        k = bisect_right(starts, f.start) - 1
        if k < 0 or f.start >= layouts[k].end:
            continue
        hits = []
        for r in layouts[k].rows:
            for cell in r.cells:
                if (f.start < cell.end and cell.start < f.end) or (f.start == f.end and cell.start <= f.start <= cell.end) or (
                    cell.start == cell.end and f.start <= cell.start < f.end
                ):
                    hits.append(id(cell))
        if hits:
            found[i] = hits
    return found


def _piece(text: str, marks: list[_Mark], empty: bool = False) -> str:
    if not marks:
        return _esc(text)
    ids: dict[str, list[str]] = defaultdict(list)
    for mark in marks:
        ids[mark.attr].append(mark.ident)
    classes = []
    findings = [m for m in marks if m.attr == "f"]
    if findings:
        worst = min(findings, key=lambda m: SEVERITY_ORDER[m.severity or "info"]).severity
        classes += ["hl", f"sev-{worst}"] + (["multi"] if len(findings) > 1 else [])
    if ids.get("r"):
        classes.append("rel")
    if ids.get("c"):
        classes.append("cell")
    if empty:
        classes.append("empty")
    attrs = "".join(f' data-{attr}="{_esc(" ".join(dict.fromkeys(values)))}"' for attr, values in sorted(ids.items()))
    title = "\n".join(dict.fromkeys(m.title for m in marks if m.title))
    return f'<span class="{" ".join(classes)}"{attrs} title="{_esc(title)}">{_esc(text)}</span>'
