"""Cold start of the CLI: wall time of `narrative-check check REPORT` in a fresh process.

Run: python benchmarks/bench_startup.py [--runs 7] [REPORT]

Each run starts a new interpreter, as a user typing the command does: `python -m narrative_check
check --exit-zero REPORT`, its output read to the end, timed until the process has exited. Beside
it, `python -c pass` (the interpreter alone) and `python -m narrative_check --version` (the CLI's
imports without a check). Runs of the three are interleaved, so a burst of load on the machine
falls on all of them; the table gives medians, the spread (min–max), and the check's median as a
multiple of the bare interpreter's. The segmenter's dictionary cache is built once before timing
(a first run on a fresh machine pays for building it; see README, Speed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "corpus" / "wansheng-hrss-2021-final-accounts.txt"


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def wall_seconds(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=_env(), check=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7, help="cold processes per command")
    parser.add_argument("report", nargs="?", type=Path, default=REPORT)
    args = parser.parse_args()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "narrative-check --version": [sys.executable, "-m", "narrative_check", "--version"],
        f"narrative-check check {args.report.name}": [sys.executable, "-m", "narrative_check", "check", "--exit-zero",
                                                      str(args.report)],
    }
    wall_seconds(list(commands.values())[-1])  # builds the dictionary cache if this machine has none yet
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            times[name].append(wall_seconds(argv))
    bare = statistics.median(times["python -c pass"])
    width = max(len(name) for name in commands)
    print(f"{'command':<{width}}  median   min–max        × python -c pass   ({args.runs} cold runs each)")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"{name:<{width}}  {median:5.3f} s  {min(runs):5.3f}–{max(runs):5.3f} s  {median / bare:6.1f}×")


if __name__ == "__main__":
    main()
