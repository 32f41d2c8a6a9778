"""Coverage-guided fuzzing of the readers, extractors and rules with atheris (libFuzzer).

Run (not part of the test suite; atheris is a separate install):

    pip install atheris
    python tests/fuzz/fuzz_check.py [-max_total_time=SECONDS] [-runs=N] [libFuzzer flags] [CORPUS_DIR …]

Each input goes through `targets.check_one`: its first byte picks the entry point (text, bytes,
a file of any format, a Word body's XML, a workbook sheet's XML; see targets.py), the rest is
the document. The XML modes let mutations reach spans, merges, numbering and cell types, which
byte changes to a compressed zip almost never do.

Seeds (written to a fresh directory unless CORPUS_DIR names one) are windows of the corpus
reports in each mode, small web pages and PDFs, and the XML of small Word files and workbooks
made from corpus text; libFuzzer's dictionary is built from the lexicons (change verbs, units,
baselines, markers, table titles) and the XML names the readers look at. Every input must give
a report whose quotes are exactly the text at their offsets, or an InputError; anything else, or
an input that takes longer than `-timeout` (10 s here), is a crash libFuzzer writes to
`crash-*` / `timeout-*`. A crash, once fixed, goes into tests/fuzz/regressions/, which
tests/test_fuzz.py runs through the same function.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
for path in (ROOT, HERE.parent, HERE):
    sys.path.insert(0, str(path))

with atheris.instrument_imports(include=["narrative_check"]):
    # The format readers are imported when first needed; imported here, they are instrumented too.
    from narrative_check.read import docx, html, pdf, xlsx  # noqa: F401
    from targets import MAX_LEN, SHEET_PART, WORD_PART, XML_WORDS, check_one, corpus_texts, part_of, word_package, workbook_package


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
    reports = corpus_texts()
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
            (directory / f"seed-word-{i}-{k}").write_bytes(bytes([3]) + part_of(word, WORD_PART)[: MAX_LEN - 1])
            (directory / "window.docx").unlink()
    (directory / "seed-sheet").write_bytes(bytes([4]) + part_of(workbook_package(), SHEET_PART))
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
