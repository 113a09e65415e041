"""Lay out many random generated editions and list every rule breach: a wider net than the
property test (which CI runs on 15 small editions), for hunting rare layout bugs.

    .venv/bin/python bench/check_generated.py [--seed 1] [--count 50]

Each edition is ``generate_edition(folder, seed, articles, pages)`` with the seed, 10-60 articles and
2-12 pages drawn from ``--seed`` (so a run is repeatable); its breaches are those
``layout_checks.check_edition`` reads from the page IR plus layout's own page report (widows,
orphans, tombstones, photos). Prints each edition with a breach and its parameters, then the count;
exit status 1 if any. Not a benchmark: it reports no timing.
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


def breaches_of(params: tuple[int, int, int]) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        generate_edition(folder, *params)
        laid_out = lay_out(load_edition(Path(folder)))
    reported = [f"p{page.number}: {b}" for page in laid_out.pages for b in page.quality.breaches]
    return check_edition(laid_out).breaches() + reported


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="draws the editions' parameters (default 1)")
    parser.add_argument("--count", type=int, default=50, help="editions to lay out (default 50)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    failed = 0
    for _ in range(args.count):
        params = (rng.randint(100, 10_000), rng.randint(10, 60), rng.randint(2, 12))
        found = breaches_of(params)
        if found:
            failed += 1
            print(f"generate_edition(folder, *{params}): " + "; ".join(found[:5]), flush=True)
    print(f"{args.count} editions laid out, {failed} with a breach")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
