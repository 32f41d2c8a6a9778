"""Coverage-guided fuzzing of the readers, extractors and rules with atheris (libFuzzer).

Run (not part of the test suite; atheris is a separate install):

    pip install atheris
    python tests/fuzz/fuzz_check.py [-max_total_time=SECONDS] [-runs=N] [libFuzzer flags] [CORPUS_DIR …]

The first byte of an input picks the entry point, the rest is the document:
  0  check_text(str)   the rest decoded as UTF-8 (invalid bytes replaced): text reader onwards
  1  check_text(bytes) the rest as a file's bytes: decoding (UTF-8, GB18030, BOMs) as well
  2  check_document(read_bytes(...)) the rest as a file of any format: sniffing, Word, web
     page, PDF and workbook readers (seeds hold small files of each)

Seeds (written to a fresh directory unless CORPUS_DIR names one) are windows of the corpus
reports in each mode and small HTML/Word versions of them; libFuzzer's dictionary is built from
the lexicons (change verbs, units, baselines, markers, table titles), so mutations insert the
words the extractors look for. Every input must give a report whose quotes are exactly the text
at their offsets, or an InputError; anything else, or an input that takes longer than
`-timeout` (default 10 s here), is a crash libFuzzer writes to `crash-*` / `timeout-*`.
Regression inputs found this way go into tests/test_fuzz.py.
"""

from __future__ import annotations

import io
import random
import sys
import tempfile
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

MODES = 3
MAX_LEN = 12_000


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
        else:
            report = check_document(read_bytes(body, path="fuzz"))
    except InputError:
        return
    text = report.text or ""
    for item in [*report.claims, *report.findings]:
        if text[item.start : item.end] != item.quote:
            raise AssertionError(f"quote {item.quote!r} is not the text at {item.start}:{item.end}")


def dictionary_words() -> list[str]:
    """The lexicons' words (first column of each TSV), the extractors' own vocabulary."""
    words: set[str] = {"\t", "\n", "\n\n", "。", "，", "；", "：", "%", "（", "）", "其中", "合计", "小计", "主要原因", "一是",
                       "二是", "较上年", "上年", "年初预算", "1,234.56", "0.00", "-", "—"}
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
    reports = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    for i in range(count):
        text = rng.choice(reports)
        start = rng.randrange(len(text))
        window = text[start : start + rng.randrange(300, 4000)]
        mode = i % MODES
        body = window.encode("gb18030" if mode == 1 and i % 2 else "utf-8")
        (directory / f"seed-{i:03d}").write_bytes(bytes([mode]) + body[: MAX_LEN - 1])
    for i, text in enumerate(reports):
        window = text[: 3000]
        html = write_html(window, directory / "window.html").read_bytes()
        (directory / f"seed-html-{i}").write_bytes(bytes([2]) + html[: MAX_LEN - 1])
        docx = write_docx(window, directory / "window.docx").read_bytes()
        (directory / f"seed-docx-{i}").write_bytes(bytes([2]) + docx)
    for name in ("window.html", "window.docx"):
        (directory / name).unlink()
    for i, pdf in enumerate(_pdf_seeds()):
        (directory / f"seed-pdf-{i}").write_bytes(bytes([2]) + pdf)


def _pdf_seeds() -> list[bytes]:
    """Small PDFs (a core font, so no embedded font fills the length limit): lines of figures and
    a ruled table, upright and on a page turned by /Rotate."""
    try:
        import fpdf
    except ImportError:
        return []
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 16, "2021 9909.15 -2343.3 -19.1% 326.25 (1) 2. 3.", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(headings_style=fpdf.FontFace(emphasis=None)) as table:
        for cells in (["208", "A", "1,439.19", "900.00", "539.19"], ["20801", "B", "1,439.19", "900.00", "539.19"]):
            row = table.row()
            for text in cells:
                row.cell(text)
    upright = bytes(pdf.output())
    seeds = [upright]
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return seeds
    source = pdfium.PdfDocument(upright)
    width, height = source[0].get_size()
    turned = pdfium.PdfDocument.new()
    page = turned.new_page(height, width)
    content = source.page_as_xobject(0, turned).as_pageobject()
    content.transform(pdfium.PdfMatrix(0, 1, -1, 0, height, 0))
    page.insert_obj(content)
    page.gen_content()
    page.set_rotation(90)
    out = io.BytesIO()
    turned.save(out)
    return [*seeds, out.getvalue()]


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
    if not any(f.startswith("-dict=") for f in flags):
        flags.append(f"-dict={write_dictionary(work / 'lexicons.dict')}")
    if not any(f.startswith("-max_len=") for f in flags):
        flags.append(f"-max_len={MAX_LEN}")
    if not any(f.startswith("-timeout=") for f in flags):
        flags.append("-timeout=10")
    if not any(f.startswith("-rss_limit_mb=") for f in flags):
        flags.append("-rss_limit_mb=4096")
    print(f"fuzz: corpus {', '.join(corpus_dirs)}; flags {' '.join(flags)}", file=sys.stderr)
    atheris.Setup([sys.argv[0], *flags, *corpus_dirs], check_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
