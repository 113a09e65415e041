"""Run every benchmark in this folder in turn: ``bench/bench_*.py`` (found by glob) and ``build_time.py``.

    .venv/bin/python bench/run_all.py [--only NAME ...]

A new benchmark is picked up by naming it ``bench/bench_<what>.py`` with a ``main`` that runs when the
file is executed; nothing here needs editing. Each runs in its own process (one's imports or
worker pools cannot skew the next) with this interpreter, from the repository root. Exit status is
1 if any benchmark failed, after all have run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTRA = ("build_time.py",)  # benchmarks older than the bench_*.py naming


def discover() -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    found += [HERE / name for name in EXTRA if (HERE / name).is_file()]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark under bench/.")
    parser.add_argument("--only", nargs="*", default=None, help="run only these (file names or stems)")
    args = parser.parse_args(argv)
    benches = discover()
    if args.only:
        wanted = {name.removesuffix(".py") for name in args.only}
        unknown = wanted - {b.stem for b in benches}
        if unknown:
            print(f"no such benchmark: {', '.join(sorted(unknown))} (have: {', '.join(b.stem for b in benches)})")
            return 2
        benches = [b for b in benches if b.stem in wanted]
    failed = []
    for bench in benches:
        print(f"\n=== {bench.name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(bench)], cwd=HERE.parent)
        print(f"--- {bench.name}: {'ok' if code == 0 else f'FAILED (exit {code})'} "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        if code:
            failed.append(bench.name)
    if failed:
        print(f"\n{len(failed)} benchmark(s) failed: {', '.join(failed)}")
        return 1
    print(f"\nall {len(benches)} benchmarks ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
