"""Cold start of the CLI: wall time of `narrative-check check REPORT` in a fresh process.

Run: python benchmarks/bench_startup.py [--runs 7] [REPORT]

Each run starts a new interpreter, as a user typing the command does: `python -m narrative_check
check --exit-zero REPORT`, its output read to the end, timed until the process has exited. Beside
it, `python -c pass` (the interpreter alone) and `python -m narrative_check --version` (the CLI's
imports without a check). Runs of the three are interleaved, so a burst of load on the machine
falls on all of them; the table gives medians, the spread (min–max), each median as a multiple
of the bare interpreter's, and the median processor time of the process (user + system, from
wait4): on a machine busy with other work the wall time grows with the wait for a core, the
processor time much less. The segmenter's dictionary cache is built once before timing
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


def run_seconds(argv: list[str]) -> tuple[float, float]:
    """Wall and processor seconds of one run of `argv` in a new process, its output read to the end."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=_env())
    assert proc.stdout is not None
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


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
    run_seconds(list(commands.values())[-1])  # builds the dictionary cache if this machine has none yet
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            wall, cpu = run_seconds(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    bare = statistics.median(walls["python -c pass"])
    width = max(len(name) for name in commands)
    print(f"{'command':<{width}}  wall median  min–max          × python -c pass  processor  ({args.runs} cold runs each)")
    for name, runs in walls.items():
        median = statistics.median(runs)
        print(f"{name:<{width}}  {median:9.3f} s  {min(runs):5.3f}–{max(runs):5.3f} s  {median / bare:14.1f}×  "
              f"{statistics.median(cpus[name]):7.3f} s")


if __name__ == "__main__":
    main()
