"""Reader throughput per format on the 2021 final-account report: Word, web page and PDF.

Run: python benchmarks/bench_formats.py [--repeat N]
Builds the Word and HTML versions as the tests do (tests/report_formats.py), converts the Word
file to PDF with LibreOffice (skipped if soffice is missing), then prints for each format the
median of N reads (bytes → Document) and of N full checks, beside check_text on the text
version; for the PDF also pages per second, and the same page geometry (pdfplumber's table
finder and text lines) run on pdfplumber's own parser, pdfminer, as the reader did before it
parsed with PDFium. Processor time (time.process_time) is printed next to wall time, as other
load on the machine inflates wall time only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def timed(fn, repeat: int) -> tuple[float, float]:
    """(median wall seconds, median processor seconds)."""
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from narrative_check import check_document, check_text
    from narrative_check.read import read_bytes
    from report_formats import REPORTS, docx_to_pdf, soffice, write_docx, write_html

    source = REPORTS["final"]
    text = source.read_text(encoding="utf-8")
    check_text(text)  # warm up jieba and the lexicons
    out = Path(tempfile.mkdtemp(prefix="bench-formats-"))
    files = {"docx": write_docx(text, out / "final.docx"), "html": write_html(text, out / "final.html")}
    if soffice():
        files["pdf"] = docx_to_pdf([files["docx"]], out)[0]
    base_wall, base_cpu = timed(lambda: check_text(text), args.repeat)
    print(f"text   check_text            {base_wall * 1000:8.0f} ms wall {base_cpu * 1000:8.0f} ms cpu")
    for fmt, path in files.items():
        data = path.read_bytes()
        read_wall, read_cpu = timed(lambda: read_bytes(data, path=str(path)), args.repeat)
        check_wall, check_cpu = timed(lambda: check_document(read_bytes(data, path=str(path))), args.repeat)
        line = (
            f"{fmt:<6} read {read_wall * 1000:7.0f} ms wall {read_cpu * 1000:7.0f} ms cpu; "
            f"read+check {check_wall * 1000:7.0f} ms wall ({check_cpu / base_cpu:4.1f}× check_text cpu)"
        )
        if fmt == "pdf":
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                pages = len(pdf.pages)
            line += f"; {pages} pages, {pages / read_cpu:.1f} pages/s (cpu), {pages / read_wall:.1f} pages/s (wall)"
            print(line)
            # The same page geometry (tables, text lines) on pdfplumber's own parser, pdfminer: what
            # the reader did before it parsed with PDFium.
            miner_wall, miner_cpu = timed(lambda: _pdfminer_pages(path), max(1, args.repeat // 2))
            line = (f"pdf    pdfplumber's own parser (pdfminer), same geometry: {miner_wall * 1000:7.0f} ms wall, "
                    f"{pages / miner_cpu:.1f} pages/s (cpu): the PDFium read takes {read_cpu / miner_cpu:.2f}× its time")
        print(line)


def _pdfminer_pages(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            boxes = []
            for table in page.find_tables():
                table.extract()
                boxes.append(table.bbox)

            def outside(obj, boxes=boxes) -> bool:
                if obj.get("object_type") != "char":
                    return True
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

            (page.filter(outside) if boxes else page).extract_text_lines(strip=True, return_chars=True)


if __name__ == "__main__":
    main()
