"""Lay out many random generated editions and list every rule breach: a wider net than the
property test (which CI runs on 15 small editions), for hunting rare layout bugs.

    .venv/bin/python bench/check_generated.py [--seed 1] [--count 50]

Each edition is ``generate_edition(folder, seed, articles, pages)`` with the seed, 10-60 articles and
2-12 pages drawn from ``--seed`` (so a run is repeatable); its breaches are those
``layout_checks.check_edition`` reads from the page IR plus layout's own page report (widows,
orphans, tombstones, photos). Prints each edition with a breach and its parameters, then the count;
exit status 1 if any. It also counts the pages with enough copy (their section left stories out)
and lists those filled under 97% (the bench's fill target; not a breach). Not a benchmark: it
reports no timing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from edition_generator import generate_edition  # noqa: E402
from layout_checks import check_edition  # noqa: E402

from epaper.ingest import load_edition  # noqa: E402
from epaper.layout import lay_out  # noqa: E402


FILL_TARGET = 0.97


def breaches_of(params: tuple[int, int, int]) -> list[str]:
    return _checked(params)[0]


def _checked(params: tuple[int, int, int]) -> tuple[list[str], list[tuple[int, float]]]:
    """The edition's breaches, and (page, fill) of each page that had enough copy."""
    with tempfile.TemporaryDirectory() as folder:
        generate_edition(folder, *params)
        laid_out = lay_out(load_edition(Path(folder)))
    reported = [f"p{page.number}: {b}" for page in laid_out.pages for b in page.quality.breaches]
    figures = check_edition(laid_out)
    return figures.breaches() + reported, [(p.number, p.fill) for p in figures.pages if p.enough_copy]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="draws the editions' parameters (default 1)")
    parser.add_argument("--count", type=int, default=50, help="editions to lay out (default 50)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    failed = enough = filled = 0
    short: list[str] = []
    for _ in range(args.count):
        params = (rng.randint(100, 10_000), rng.randint(10, 60), rng.randint(2, 12))
        found, fills = _checked(params)
        if found:
            failed += 1
            print(f"generate_edition(folder, *{params}): " + "; ".join(found[:5]), flush=True)
        enough += len(fills)
        filled += sum(fill >= FILL_TARGET for _, fill in fills)
        short += [f"{params} page {page}: {fill:.1%}" for page, fill in fills if fill < FILL_TARGET]
    print(f"{args.count} editions laid out, {failed} with a breach")
    print(f"pages with enough copy filled to {FILL_TARGET:.0%}: {filled}/{enough}"
          + (f" (under: {'; '.join(short)})" if short else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
