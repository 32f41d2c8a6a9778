"""Build Word, HTML and PDF versions of a text report, for the format readers' tests.

The Word version has real paragraphs (headings styled as headings, a paragraph cut by a page
break in the text joined again) and real tables (header cells spanning the empty cells after
them merged, as a published table merges them); the HTML version has <h3>, <p> and <table>
with colspan; the PDF is LibreOffice's rendering of the Word version (landscape, a running head and page
numbers; table rows may break across pages, as Word's and LibreOffice's default lets them).
"""

from __future__ import annotations

import html
import shutil
import unicodedata
from collections import Counter
import subprocess
from pathlib import Path

import regex
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from narrative_check.extract.tables import analyze
from narrative_check.read.text import parse_text


def blocks(text: str) -> list[tuple[str, object]]:
    """The report as ('heading', (level, text)), ('paragraph', text) and ('table', rows) in order."""
    doc = parse_text(text)
    analyze(doc)
    items: list[tuple[int, str, object]] = []
    for section in doc.sections:
        line = regex.sub(r"^\s*#+\s*", "", text[section.start : section.end]).strip()  # markdown marks
        items.append((section.start, "heading", (section.level, line)))
    for para in doc.paragraphs:
        items.append((para.start, "paragraph", "".join(text[s:e] for s, e in para.segments).strip()))
    for table in doc.tables:
        for note in table.meta:
            items.append((note.start, "paragraph", note.text))
        width = max(len(row.cells) for row in table.rows)
        rows = [[c.text for c in row.cells] + [""] * (width - len(row.cells)) for row in table.rows]
        items.append((table.rows[0].start, "table", (rows, table.header_rows)))
        for note in table.notes:
            items.append((note.start, "paragraph", note.text))
    items.sort(key=lambda item: item[0])
    return [(kind, value) for _, kind, value in items]


def _header_spans(row: list[str]) -> list[tuple[int, int]]:
    """(first, last) column of each head cell that spans the empty cells after it."""
    spans = []
    c = 0
    while c < len(row):
        end = c
        if row[c]:
            while end + 1 < len(row) and not row[end + 1]:
                end += 1
        if end > c:
            spans.append((c, end))
        c = end + 1
    return spans


def write_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    _page_furniture(document)
    for kind, value in blocks(text):
        if kind == "heading":
            level, line = value
            document.add_paragraph(line, style="Title" if level == 0 else f"Heading {min(level, 9)}")
        elif kind == "paragraph":
            document.add_paragraph(value)
        else:
            rows, header_rows = value
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, (row_cells, row) in enumerate(zip(table.rows, rows)):
                cells = row_cells.cells  # once per row: table.cell() walks the whole grid
                for c, cell_text in enumerate(row):
                    if cell_text:
                        cells[c].text = cell_text
                if r < header_rows:
                    for first, last in _header_spans(row):
                        table.cell(r, first).merge(table.cell(r, last))
    document.save(path)
    return path


def _page_furniture(document) -> None:
    """Landscape pages (wide tables), a running head and a page-number footer, as published."""
    from docx.enum.section import WD_ORIENT

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.header.paragraphs[0].text = "部门决算公开"
    footer = section.footer.paragraphs[0]
    footer.add_run("第 ")
    run = footer.add_run()
    for tag, attrs, text in (("w:fldChar", {"w:fldCharType": "begin"}, None), ("w:instrText", {}, "PAGE"), ("w:fldChar", {"w:fldCharType": "end"}, None)):
        element = OxmlElement(tag)
        for key, value in attrs.items():
            element.set(qn(key), value)
        if text:
            element.text = text
        run._r.append(element)
    footer.add_run(" 页")


def write_html(text: str, path: Path, *, encoding: str = "utf-8") -> Path:
    out = [
        "<!DOCTYPE html>",
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
        "<title>部门决算公开</title><script>var nav = '首页';</script></head><body>",
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>',
        '<div class="article" id="zoom">',
    ]
    for kind, value in blocks(text):
        if kind == "heading":
            level, line = value
            out.append(f"<h{min(level + 1, 6)}>{html.escape(line)}</h{min(level + 1, 6)}>")
        elif kind == "paragraph":
            out.append(f"<p>{html.escape(value)}</p>")
        else:
            rows, header_rows = value
            out.append('<table border="1">')
            for r, row in enumerate(rows):
                spans = dict(_header_spans(row)) if r < header_rows else {}
                cells = []
                c = 0
                while c < len(row):
                    last = spans.get(c, c)
                    tag = "th" if r < header_rows else "td"
                    colspan = f' colspan="{last - c + 1}"' if last > c else ""
                    cells.append(f"<{tag}{colspan}>{html.escape(row[c])}</{tag}>")
                    c = last + 1
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
    out.append('</div><div class="footer">版权所有 网站标识码 5001100001</div></body></html>')
    path.write_bytes("\n".join(out).encode(encoding))
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """LibreOffice's PDFs of Word files, in one run (its start-up is most of the time), with a
    private profile so parallel runs do not collide."""
    profile = out_dir / "lo-profile"
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, docx_paths)],
        check=True, capture_output=True, timeout=300,
    )
    return [out_dir / (path.stem + ".pdf") for path in docx_paths]


CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REPORTS = {
    "final": CORPUS / "wansheng-hrss-2021-final-accounts.txt",
    "budget": CORPUS / "beibei-hrss-2024-budget.txt",
}


def finding_keys(report) -> Counter:
    """Findings by rule and quote, whitespace and width ignored: the same finding whatever the
    format put between the characters (a page break, a wrapped cell)."""
    return Counter((f.rule, "".join(unicodedata.normalize("NFKC", f.quote).split())) for f in report.findings)


def turned_pdf(upright: bytes, rotation: int) -> bytes:
    """The first page of `upright` as a page whose content is drawn turned and shown upright again
    by /Rotate `rotation` (90, 180, 270), as landscape tables often are: the content sits inside a
    form XObject, so nested matrices are composed as well."""
    import io

    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(upright)
    width, height = source[0].get_size()
    turned = pdfium.PdfDocument.new()
    matrix, size = {
        90: ((0, 1, -1, 0, height, 0), (height, width)),
        180: ((-1, 0, 0, -1, width, height), (width, height)),
        270: ((0, -1, 1, 0, 0, width), (height, width)),
    }[rotation]
    page = turned.new_page(*size)
    content = source.page_as_xobject(0, turned).as_pageobject()
    content.transform(pdfium.PdfMatrix(*matrix))
    page.insert_obj(content)
    page.gen_content()
    page.set_rotation(rotation)
    out = io.BytesIO()
    turned.save(out)
    return out.getvalue()
