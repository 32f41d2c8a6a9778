"""Coverage-guided fuzzing of the readers, extractors and rules with atheris (libFuzzer).

Run (not part of the test suite; atheris is a separate install):

    pip install atheris
    python tests/fuzz/fuzz_check.py [-max_total_time=SECONDS] [-runs=N] [libFuzzer flags] [CORPUS_DIR …]

The first byte of an input picks the entry point, the rest is the document:
  0  check_text(str)   the rest decoded as UTF-8 (invalid bytes replaced): text reader onwards
  1  check_text(bytes) the rest as a file's bytes: decoding (UTF-8, GB18030, BOMs) as well
  2  read_bytes + check_document: the rest as a file of any format (sniffing; web pages, PDF)
  3  the rest as a Word file's word/document.xml, zipped into a Word package
  4  the rest as a workbook's first sheet (xl/worksheets/sheet1.xml), zipped into a workbook
Modes 3 and 4 let mutations reach the XML itself (spans, merges, numbering, cell types), which
byte changes to a compressed zip almost never do.

Seeds (written to a fresh directory unless CORPUS_DIR names one) are windows of the corpus
reports in each mode, small web pages and PDFs, and the XML of small Word files and workbooks
made from corpus text; libFuzzer's dictionary is built from the lexicons (change verbs, units,
baselines, markers, table titles) and the XML names the readers look at. Every input must give
a report whose quotes are exactly the text at their offsets, or an InputError; anything else, or
an input that takes longer than `-timeout` (10 s here), is a crash libFuzzer writes to
`crash-*` / `timeout-*`. Inputs found this way go into the tests as regression cases.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE.parent))

with atheris.instrument_imports(include=["narrative_check"]):
    from narrative_check import check_document, check_text
    from narrative_check.errors import InputError
    from narrative_check.read import read_bytes
    # The format readers are imported when first needed; imported here, they are instrumented too.
    from narrative_check.read import docx, html, pdf, xlsx  # noqa: F401

MODES = 5
MAX_LEN = 12_000
WORD_PART = "word/document.xml"
SHEET_PART = "xl/worksheets/sheet1.xml"
XML_WORDS = ["<w:gridSpan w:val=\"", "<w:vMerge/>", "<w:vMerge w:val=\"restart\"/>", "<w:gridBefore w:val=\"", "<w:tc>",
             "</w:tc>", "<w:tr>", "</w:tr>", "<w:tbl>", "<w:numPr>", "<w:ilvl w:val=\"", "<w:numId w:val=\"", "<w:p>",
             "<w:r><w:t>", "</w:t></w:r>", "<w:br w:type=\"page\"/>", "<w:tab/>", "<w:ins>", "<w:del>", "<w:sdtContent>",
             "<c r=\"", "\" t=\"s\">", "\" t=\"n\">", "\" t=\"inlineStr\"><is><t>", "<v>", "</v>", "<row r=\"",
             "<mergeCell ref=\"", "s=\"", "XFD1048576", "1E+308", "NaN"]


def check_one(data: bytes) -> None:
    if not data:
        return
    mode, body = data[0] % MODES, data[1:]
    try:
        if mode == 0:
            text = body.decode("utf-8", "replace")
            report = check_text(text)
            assert report.text is not None and len(report.text) == len(text), "offsets do not index the input"
        elif mode == 1:
            report = check_text(body)
        elif mode == 2:
            report = check_document(read_bytes(body, path="fuzz"))
        else:
            package, part = (word_package(), WORD_PART) if mode == 3 else (workbook_package(), SHEET_PART)
            report = check_document(read_bytes(with_part(package, part, body), path="fuzz"))
    except InputError:
        return
    text = report.text or ""
    for item in [*report.claims, *report.findings]:
        if text[item.start : item.end] != item.quote:
            raise AssertionError(f"quote {item.quote!r} is not the text at {item.start}:{item.end}")


def with_part(package: bytes, part: str, body: bytes) -> bytes:
    """`package` (a zip) with its member `part` replaced by `body`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for item in source.infolist():
            target.writestr(item.filename, body if item.filename == part else source.read(item.filename))
    return out.getvalue()


def _part(package: bytes, part: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read(part)


def _corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]


@lru_cache(maxsize=1)
def word_package() -> bytes:
    """A Word file made from the start of a corpus report: its parts stay, its body is the input."""
    from report_formats import write_docx

    with tempfile.TemporaryDirectory() as tmp:
        return write_docx(_corpus_texts()[0][:600], Path(tmp) / "window.docx").read_bytes()


@lru_cache(maxsize=1)
def workbook_package() -> bytes:
    """A workbook of one table from a corpus report: its parts stay, its first sheet is the input."""
    import openpyxl

    from narrative_check.extract.tables import analyze
    from narrative_check.read.text import parse_text

    doc = parse_text(_corpus_texts()[-1])
    analyze(doc)
    table = next(t for t in doc.tables if 4 <= len(t.rows) <= 12)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([table.title or "表"])
    sheet.append(["单位：万元"])
    for row in table.rows:
        sheet.append([cell.text for cell in row.cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def dictionary_words() -> list[str]:
    """The lexicons' words (first column of each TSV), the extractors' own vocabulary, and the
    XML the Word and workbook readers look at."""
    words: set[str] = {"\t", "\n", "\n\n", "。", "，", "；", "：", "%", "（", "）", "其中", "合计", "小计", "主要原因", "一是",
                       "二是", "较上年", "上年", "年初预算", "1,234.56", "0.00", "-", "—", *XML_WORDS}
    for path in sorted((ROOT / "lexicons").glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            word = line.split("\t", 1)[0].strip()
            if 0 < len(word.encode("utf-8")) <= 40:
                words.add(word)
    return sorted(words)


def write_dictionary(path: Path) -> Path:
    entries = []
    for word in dictionary_words():
        escaped = "".join(f"\\x{b:02x}" for b in word.encode("utf-8"))
        entries.append(f'"{escaped}"')
    path.write_text("\n".join(entries) + "\n", encoding="ascii")
    return path


def write_seeds(directory: Path, count: int = 60) -> None:
    from report_formats import write_docx, write_html

    rng = random.Random(0)
    reports = _corpus_texts()
    for i in range(count):
        text = rng.choice(reports)
        start = rng.randrange(len(text))
        window = text[start : start + rng.randrange(300, 4000)]
        mode = i % 3
        body = window.encode("gb18030" if mode == 1 and i % 2 else "utf-8")
        (directory / f"seed-{i:03d}").write_bytes(bytes([mode]) + body[: MAX_LEN - 1])
    for i, text in enumerate(reports):
        html_page = write_html(text[:3000], directory / "window.html").read_bytes()
        (directory / f"seed-html-{i}").write_bytes(bytes([2]) + html_page[: MAX_LEN - 1])
        (directory / "window.html").unlink()
        for k, start in enumerate(rng.sample(range(len(text) - 800), 4)):
            word = write_docx(text[start : start + 300], directory / "window.docx").read_bytes()
            (directory / f"seed-word-{i}-{k}").write_bytes(bytes([3]) + _part(word, WORD_PART)[: MAX_LEN - 1])
            (directory / "window.docx").unlink()
    (directory / "seed-sheet").write_bytes(bytes([4]) + _part(workbook_package(), SHEET_PART))
    for i, pdf_file in enumerate(_pdf_seeds()):
        (directory / f"seed-pdf-{i}").write_bytes(bytes([2]) + pdf_file)


def _pdf_seeds() -> list[bytes]:
    """Small PDFs (a core font, so no embedded font fills the length limit): lines of figures and
    a ruled table, upright and on a page turned by /Rotate."""
    try:
        import fpdf
    except ImportError:
        return []
    pdf_file = fpdf.FPDF(unit="pt", format="A4")
    pdf_file.set_compression(False)
    pdf_file.add_page()
    pdf_file.set_font("helvetica", size=11)
    pdf_file.multi_cell(0, 16, "2021 9909.15 -2343.3 -19.1% 326.25 (1) 2. 3.", new_x="LMARGIN", new_y="NEXT")
    with pdf_file.table(headings_style=fpdf.FontFace(emphasis=None)) as table:
        for cells in (["208", "A", "1,439.19", "900.00", "539.19"], ["20801", "B", "1,439.19", "900.00", "539.19"]):
            row = table.row()
            for text in cells:
                row.cell(text)
    upright = bytes(pdf_file.output())
    from report_formats import turned_pdf

    return [upright, turned_pdf(upright, 90)]


def main() -> None:
    args = sys.argv[1:]
    corpus_dirs = [a for a in args if not a.startswith("-")]
    flags = [a for a in args if a.startswith("-")]
    work = Path(tempfile.mkdtemp(prefix="nc-fuzz-"))
    if not corpus_dirs:
        seeds = work / "corpus"
        seeds.mkdir()
        write_seeds(seeds)
        corpus_dirs = [str(seeds)]
    defaults = {"-dict=": f"-dict={write_dictionary(work / 'lexicons.dict')}", "-max_len=": f"-max_len={MAX_LEN}",
                "-timeout=": "-timeout=10", "-rss_limit_mb=": "-rss_limit_mb=4096"}
    flags += [flag for prefix, flag in defaults.items() if not any(f.startswith(prefix) for f in flags)]
    word_package(), workbook_package()  # built before the first input, not timed against it
    print(f"fuzz: corpus {', '.join(corpus_dirs)}; flags {' '.join(flags)}", file=sys.stderr)
    atheris.Setup([sys.argv[0], *flags, *corpus_dirs], check_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
