"""Speed, scale and memory of check_text and the CLI, in one run, printed as one table.

Run: python benchmarks/bench_check.py [--repeat N] [--cli-runs N] [--scale 1,8,64]

What it measures (one process unless said otherwise; medians of N runs):
- throughput: check_text over the corpus, warmed (jieba's dictionary loaded, the corpus checked
  once), against plain jieba.lcut over the same text, and their ratio;
- first check of a text the process has not seen (a fresh interpreter, warmed on other text):
  what a scan over new reports pays per report, without the caches a repeated text hits;
- CLI time to first result: `python -m narrative_check check REPORT` in a subprocess, until its
  first byte of output and until it exits (start-up included);
- scale: the 2021 report's text repeated 1×, 8×, 64× and checked; time per character relative
  to 1× must stay near 1 (linear);
- stages: the 2021 report through each stage of the pipeline (read, tables, extract, link,
  rules; warm, collector paused as check_text pauses it), beside jieba.lcut over the same text and
  a floor: only cutting its table lines into cells and reading every figure as a Decimal;
- memory: tracemalloc peak of one check of the 2021 report, and the maximum resident set of a
  subprocess that imports the package and checks it, with the import-only figure beside it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "corpus"
REPORT = CORPUS / "wansheng-hrss-2021-final-accounts.txt"

# A fresh interpreter that warms up on a text unlike the report, then checks the report once.
_FRESH = r"""
import json, resource, sys, time
import narrative_check
narrative_check.check_text("2020年度收入总计 100 万元，较上年增加 10 万元，增长 11.1%。")
after_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
text = open(sys.argv[1], encoding="utf-8").read()
t0 = time.perf_counter()
narrative_check.check_text(text)
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "rss_import_kib": after_import}))
"""


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def fresh_process(path: Path, runs: int) -> dict:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _FRESH, str(path)], capture_output=True, check=True, cwd=ROOT,
                             env=_env())
        results.append(json.loads(out.stdout))
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def cli_first_result(path: Path, runs: int) -> tuple[float, float]:
    first_byte, done = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "narrative_check", "check", "--exit-zero", str(path)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=_env())
        assert proc.stdout is not None
        proc.stdout.read(1)
        first_byte.append(time.perf_counter() - t0)
        proc.stdout.read()
        proc.wait()
        done.append(time.perf_counter() - t0)
    return statistics.median(first_byte), statistics.median(done)


def stage_rows(text: str, repeat: int) -> list[tuple[str, str, str]]:
    """Median time of each pipeline stage on `text`, and of jieba.lcut and of a reading floor."""
    import gc
    import re
    from decimal import Decimal

    import jieba

    from narrative_check import Settings
    from narrative_check.extract.claims import extract_claims
    from narrative_check.extract.tables import analyze
    from narrative_check.link import link_claims
    from narrative_check.link.facts import table_facts
    from narrative_check.link.tables import link_to_tables
    from narrative_check.read.text import parse_text
    from narrative_check.rules import REGISTRY, RuleContext

    figure = re.compile(r"-?[\d,]+(?:\.\d+)?").fullmatch

    def floor():
        return [[Decimal(c.replace(",", "")) if figure(c) else c for c in (x.strip() for x in line.split("\t"))]
                for line in text.split("\n") if "\t" in line]

    stages = ("read", "tables", "extract", "link", "rules")
    times: dict[str, list[float]] = {name: [] for name in (*stages, "jieba.lcut", "floor")}
    for _ in range(repeat):
        gc.disable()
        marks = [time.perf_counter()]
        doc = parse_text(text)
        marks.append(time.perf_counter())
        analyze(doc)
        marks.append(time.perf_counter())
        per_paragraph = extract_claims(doc)
        marks.append(time.perf_counter())
        claims = link_claims(doc, per_paragraph)
        facts = table_facts(doc)
        link_to_tables(doc, claims, facts)
        marks.append(time.perf_counter())
        ctx = RuleContext(doc=doc, claims=claims, settings=Settings(), facts=facts)
        for code in sorted(REGISTRY):
            list(REGISTRY[code]().check(ctx))
        marks.append(time.perf_counter())
        for name, a, b in zip(stages, marks, marks[1:]):
            times[name].append(b - a)
        for name, fn in (("jieba.lcut", lambda: jieba.lcut(text)), ("floor", floor)):
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
        gc.enable()
    lcut = statistics.median(times["jieba.lcut"])
    notes = {"read": "text → Document: lines, paragraphs, sentences, tables of cells",
             "tables": "kinds, heads, blocks, records", "extract": "claims from the paragraphs",
             "link": "claims to claims and to table cells", "rules": f"all {len(REGISTRY)} per-report rules",
             "jieba.lcut": "the same text, for reference",
             "floor": "only cutting table lines into cells, every figure a Decimal"}
    rows = []
    for name, values in times.items():
        ms = statistics.median(values) * 1000
        rows.append((f"stage: {name}", f"{ms:.1f} ms", f"{ms / (lcut * 1000):.2f}× jieba.lcut; {notes[name]}"))
    return rows


def _env() -> dict:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7, help="runs per in-process median")
    parser.add_argument("--cli-runs", type=int, default=5, help="subprocess runs per median")
    parser.add_argument("--scale", default="1,8,64", help="how many copies of the report to check at once")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    t0 = time.perf_counter()
    import narrative_check
    from narrative_check.extract import segment

    segment.words("一般公共预算财政拨款收入")
    startup = time.perf_counter() - t0
    rows.append(("start-up in process", f"{startup:.2f} s", "import + our jieba segmenter (dictionary from our cache)"))
    import jieba

    jieba.lcut("预热")  # jieba's global tokenizer, the yardstick below, loads its own copy of the dictionary

    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    chars = sum(len(t) for t in texts)

    def check_all():
        for t in texts:
            narrative_check.check_text(t)

    def lcut_all():
        for t in texts:
            jieba.lcut(t)

    check_all()  # warm caches the way a long-running scan would have them
    # Interleaved, so that a slower stretch of a shared machine weighs on both alike.
    check_times, lcut_times = [], []
    for _ in range(args.repeat):
        check_times.append(median_seconds(check_all, 1))
        lcut_times.append(median_seconds(lcut_all, 1))
    check_s, lcut_s = statistics.median(check_times), statistics.median(lcut_times)
    ratio = statistics.median(c / j for c, j in zip(check_times, lcut_times))
    corpus = f"{len(texts)} reports, {chars:,} chars, median of {args.repeat}"
    rows.append(("check_text, warm", f"{chars / check_s:,.0f} chars/s", f"{len(texts) / check_s:.1f} reports/s; {corpus}"))
    rows.append(("jieba.lcut, same text", f"{chars / lcut_s:,.0f} chars/s", corpus))
    rows.append(("check_text ÷ jieba.lcut time", f"{ratio:.2f}×", "median of the interleaved runs' ratios"))

    fresh = fresh_process(REPORT, args.cli_runs)
    rows.append(("first check of an unseen text", f"{fresh['seconds'] * 1000:.0f} ms",
                 f"{len(REPORT.read_text(encoding='utf-8')) / fresh['seconds']:,.0f} chars/s; {REPORT.name}, fresh process"))

    first_byte, done = cli_first_result(REPORT, args.cli_runs)
    rows.append(("CLI time to first output", f"{first_byte:.2f} s", f"median of {args.cli_runs}, start-up included"))
    rows.append(("CLI time to exit", f"{done:.2f} s", ""))

    body = REPORT.read_text(encoding="utf-8")
    base: float | None = None
    for times in (int(x) for x in args.scale.split(",")):
        text = body * times
        repeat = max(1, args.repeat // times) if times > 1 else args.repeat
        # check_text pauses the cyclic garbage collector while it works (its passes over the
        # growing number of live objects bent the curve); a repeated report may exceed the
        # default limits on text length, lines and tokens, so they are lifted here.
        settings = narrative_check.Settings(max_chars=len(text), max_lines=len(text), max_tokens=len(text))
        seconds = median_seconds(lambda t=text, s=settings: narrative_check.check_text(t, settings=s), repeat)
        per_char = seconds / len(text)
        base = base or per_char
        rows.append((f"scale {times}× ({len(text):,} chars)", f"{seconds:.2f} s",
                     f"{per_char * 1e6:.2f} µs/char = {per_char / base:.2f}× the 1× cost per char"))

    rows.extend(stage_rows(body, args.repeat))

    narrative_check.check_text(body)
    tracemalloc.start()
    narrative_check.check_text(body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("peak Python allocation, one check", f"{peak / 2**20:.1f} MiB", f"tracemalloc, {REPORT.name}"))
    rows.append(("max resident set, fresh process", f"{fresh['rss_kib'] / 1024:.0f} MiB",
                 f"import + warm-up alone: {fresh['rss_import_kib'] / 1024:.0f} MiB"))

    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>{value_width}}  notes")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>{value_width}}  {note}")


if __name__ == "__main__":
    main()
