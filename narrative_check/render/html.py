"""One self-contained page for editors: the report's text with every finding marked, a list of
findings by rule beside it, and a summary on top. CSS and script are inlined; nothing is fetched.

Marks may overlap (two rules on one figure, a finding inside a linked table cell), so the text is
cut at every mark boundary and each piece carries all the marks covering it: no nesting is needed,
and every finding's pieces, read in order, give back its quote. Empty spans (an empty table cell)
get an empty marker element. Every text and attribute is escaped.
"""

from __future__ import annotations

import html
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import regex

from ..errors import printable
from ..models.findings import Finding, Report

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
    text_part = _text_html(rid, report.text, marks) if report.text is not None else (
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
        items = "".join(_finding_item(rid, i, report.findings[i], marks, report.file) for i in indices)
        parts.append(
            f'<details class="group sev-{severity}" open><summary><span class="code">{_esc(rule)}</span> '
            f'{_esc(name)} <span class="sev">{_esc(severity)}</span> <span class="n">{len(indices)}</span></summary>'
            f"<ol>{items}</ol></details>"
        )
    return "".join(parts)


def _finding_item(rid: str, i: int, f: Finding, marks: "_Marks", report_file: str | None) -> str:
    fid = f"{rid}-f{i}"
    cells = " ".join(marks.cells_of_finding.get(i, []))
    values = ""
    if said := f.stated_and_expected():
        kind = {"文中": "stated", "应为": "expected"}
        values = '<span class="values">' + " ".join(f'{label} <q class="{kind[label]}">{_esc(value)}</q>' for label, value in said) + "</span>"
    related = "".join(_related_item(f"{fid}-r{j}", r, report_file) for j, r in enumerate(f.related))
    return (
        f'<li class="item sev-{f.severity}">'
        f'<a class="finding" href="#{fid}" data-finding="{fid}" data-cells="{_esc(cells)}" data-quote-length="{len(f.quote)}">'
        f'<span class="where">第 {f.line} 行 {f.column} 列{f" · 第 {f.page} 页" if f.page else ""}</span> '
        f'<span class="msg">{_esc(f.message)}</span> {values}</a>'
        + (f'<ul class="related">{related}</ul>' if related else "")
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


def _text_html(rid: str, text: str, marks: _Marks) -> str:
    """The text line by line; each line cut into pieces at mark boundaries, each piece tagged with its marks."""
    line_starts = [0] + [m.end() for m in regex.finditer("\n", text)]
    # Pieces never cross a line start. A line's newline ends its last piece: a block ignores a
    # final newline, and the page's text (and copying from it) keeps every character.
    cuts = sorted({0, len(text), *line_starts, *(m.start for m in marks.marks), *(m.end for m in marks.marks)})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    covering: dict[int, list[_Mark]] = defaultdict(list)  # piece index -> marks
    empty_at: dict[int, list[_Mark]] = defaultdict(list)
    anchors_at: dict[int, list[str]] = defaultdict(list)
    for mark in marks.marks:
        if mark.anchor:
            anchors_at[mark.start].append(mark.anchor)
        if mark.end <= mark.start:
            empty_at[mark.start].append(mark)
            continue
        for k in range(bisect_left(cuts, mark.start), bisect_left(cuts, mark.end)):
            covering[k].append(mark)
    out = []
    line_no = 0
    for k in range(len(cuts) - 1):
        a, b = cuts[k], cuts[k + 1]
        if a == 0 or text[a - 1] == "\n":
            if line_no:
                out.append("</span></div>\n")
            line_no += 1
            out.append(f'<div class="line" id="{rid}-L{line_no}" data-n="{line_no}"><span class="no">{line_no}</span><span class="tx">')
        for anchor in anchors_at.pop(a, ()):
            out.append(f'<a class="anchor" id="{_esc(anchor)}"></a>')
        for mark in empty_at.pop(a, ()):
            out.append(_piece("", [mark], empty=True))
        out.append(_piece(text[a:b], covering.get(k, [])))
    if line_no == 0 or text.endswith("\n"):
        # the line after a final newline: empty, but it may hold an anchor or an empty mark
        line_no += 1
        if line_no > 1:
            out.append("</span></div>\n")
        out.append(f'<div class="line" id="{rid}-L{line_no}" data-n="{line_no}"><span class="no">{line_no}</span><span class="tx">')
    end = len(text)
    for anchor in anchors_at.pop(end, ()):
        out.append(f'<a class="anchor" id="{_esc(anchor)}"></a>')
    for mark in empty_at.pop(end, ()):
        out.append(_piece("", [mark], empty=True))
    out.append("</span></div>\n")
    return "".join(out)


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
