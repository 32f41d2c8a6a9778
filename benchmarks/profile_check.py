"""Where check_text spends its time: a cProfile of one check, top functions by cumulative time.

Run: python benchmarks/profile_check.py [REPORT] [--top N] [--sort cumulative|tottime] [--warm]

The interpreter first checks an unrelated short text, so dictionaries and models are loaded
but no cache holds anything of REPORT: the profile is that of a report seen for the first
time. --warm checks REPORT once before profiling instead (a repeated text, caches hit).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", nargs="?", type=Path, default=ROOT / "corpus" / "wansheng-hrss-2021-final-accounts.txt")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--sort", choices=["cumulative", "tottime"], default="cumulative")
    parser.add_argument("--warm", action="store_true", help="check the report once before profiling it")
    args = parser.parse_args()

    import narrative_check

    text = args.report.read_text(encoding="utf-8")
    narrative_check.check_text(text if args.warm else "2020年度收入总计 100 万元，较上年增加 10 万元，增长 11.1%。")
    profile = cProfile.Profile()
    profile.enable()
    narrative_check.check_text(text)
    profile.disable()
    stats = pstats.Stats(profile)
    stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
