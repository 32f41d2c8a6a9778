"""Throughput of check_text on the corpus against plain jieba.lcut over the same text.

Run: python benchmarks/bench_check.py [--repeat N]
Prints medians of N runs, measured in one process, and their ratio. Pipelines are
warmed up first (jieba's dictionary, spaCy's Chinese class), so the figures are
steady-state per-report costs; start-up is reported on its own line.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_seconds(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    t0 = time.perf_counter()
    import jieba
    import narrative_check
    from narrative_check.extract import segment

    segment.words("一般公共预算财政拨款收入")
    jieba.lcut("预热")
    startup = time.perf_counter() - t0

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    chars = sum(len(t) for t in texts)

    def check_all():
        for t in texts:
            narrative_check.check_text(t)

    def lcut_all():
        for t in texts:
            jieba.lcut(t)

    check_all()  # warm caches the way a long-running scan would have them
    check_s = median_seconds(check_all, args.repeat)
    lcut_s = median_seconds(lcut_all, args.repeat)
    print(f"corpus: {len(texts)} reports, {chars:,} characters; median of {args.repeat} runs")
    print(f"check_text : {check_s * 1000:8.1f} ms  {chars / check_s:12,.0f} chars/s  {len(texts) / check_s:6.1f} reports/s")
    print(f"jieba.lcut : {lcut_s * 1000:8.1f} ms  {chars / lcut_s:12,.0f} chars/s")
    print(f"ratio check_text / jieba.lcut time: {check_s / lcut_s:.2f}")
    print(f"start-up (import + load jieba dictionary + spaCy zh): {startup:.2f} s")


if __name__ == "__main__":
    main()
