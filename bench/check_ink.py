"""Measure the ink of the sample and the benchmark's generated editions: every page's overfull lines
and glyph collisions (epaper/report/ink.py), which must be 0. Not a benchmark: no timing.

    .venv/bin/python bench/check_ink.py [--seeds 1 2 3] [--no-sample]

Lays out each edition (the sample, then bench_layout's GENERATED list, or the seeds given), prints
each page with a figure above 0 and what it is, then the totals; exit status 1 if any is above 0.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_layout import GENERATED, SAMPLE  # noqa: E402
from edition_generator import generate_edition  # noqa: E402

from epaper.ingest import load_edition  # noqa: E402
from epaper.layout import lay_out  # noqa: E402
from epaper.report.ink import page_ink  # noqa: E402


def _check(label: str, folder: Path) -> tuple[int, int, int]:
    laid_out = lay_out(load_edition(folder))
    overfull = collisions = 0
    for page in laid_out.pages:
        ink = page_ink(page, laid_out.format)
        overfull += ink.overfull_lines
        collisions += ink.glyph_collisions
        for problem in ink.problems:
            print(f"  {label}: {problem}")
    print(f"{label}: {len(laid_out.pages)} pages, {overfull} overfull lines, {collisions} glyph collisions")
    return len(laid_out.pages), overfull, collisions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="*", help="generated editions: these seeds only (daily-sized)")
    parser.add_argument("--no-sample", action="store_true")
    args = parser.parse_args()
    editions = GENERATED if args.seeds is None else [(f"gen seed {s}", s, None, None) for s in args.seeds]
    totals = [0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        runs = [] if args.no_sample else [("sample", SAMPLE)]
        for label, seed, articles, pages in editions:
            folder = Path(tmp) / f"seed-{seed}"
            generate_edition(folder, seed, articles, pages)
            runs.append((label, folder))
        for label, folder in runs:
            for k, figure in enumerate(_check(label, folder)):
                totals[k] += figure
    print(f"all: {totals[0]} pages, {totals[1]} overfull lines, {totals[2]} glyph collisions")
    return 1 if totals[1] or totals[2] else 0


if __name__ == "__main__":
    sys.exit(main())
