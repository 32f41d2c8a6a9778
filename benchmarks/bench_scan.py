"""Scan throughput: reports per hour on one core, on every core, and on a Dask LocalCluster.

Run: python benchmarks/bench_scan.py [--copies 40] [--engines local1,local,dask]
Copies the corpus reports (alternating) into a temporary folder and scans it with
narrative_check.scan.scan, the function behind `narrative-check scan`. Times include starting
the worker processes (each loads jieba's dictionary once), as a real scan's would. The CPU
column is the processor time of the scan and its worker processes per report (getrusage), which
other load on the machine does not inflate the way it does wall time; Dask's in-process threads
count as the scan's own, its worker processes as children.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--engines", default="local1,local,dask")
    args = parser.parse_args()

    from narrative_check.config import ScanOptions
    from narrative_check.scan import default_jobs, scan

    sources = sorted((ROOT / "corpus").glob("*.txt"))
    cores = default_jobs()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        for i in range(args.copies):
            src = sources[i % len(sources)]
            shutil.copy(src, folder / f"{i:04}-{src.name}")
        print(f"{args.copies} reports (copies of {', '.join(s.name for s in sources)}), {cores} cores")
        runs = {
            "local1": ("local, 1 process", ScanOptions(jobs=1)),
            "local": (f"local, {cores} processes", ScanOptions(jobs=cores)),
            "dask": (f"dask LocalCluster, {cores} workers", ScanOptions(engine="dask", jobs=cores)),
        }
        for name in args.engines.split(","):
            label, options = runs[name]
            out = Path(tmp) / f"{name}.jsonl"
            cpu0 = _cpu()
            t0 = time.perf_counter()
            summary = scan([str(folder)], out, options=options)
            seconds = time.perf_counter() - t0
            cpu = (_cpu() - cpu0) / args.copies
            assert summary.checked == args.copies and not summary.failures
            print(f"{label:<32} {seconds:7.1f} s  {args.copies / seconds * 3600:10,.0f} reports/hour"
                  f"   CPU {cpu * 1000:6.0f} ms/report")


if __name__ == "__main__":
    main()
