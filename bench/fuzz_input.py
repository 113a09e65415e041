"""The long run of the input fuzz suite (tests/test_fuzz_input.py runs a bounded version of it).

    .venv/bin/python bench/fuzz_input.py [--examples 2000] [--builds 20] [--seed 0]

Mutates a small edition made of the sample's files (tests/fuzz_edition.py) and counts: cases tried,
tracebacks (any exception while reading, or a non-0/1 exit or a traceback from a build), contract
breaches (a problem without a file, an unprintable message, a file in articles/ neither read nor
named), and silent losses (a word of a placed English article that the built PDF lacks). All of
them must be 0. Not a timing benchmark, so ``bench/run_all.py`` (which picks up ``bench_*.py``)
leaves it out.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz_edition import Mutation, check_reading, missing_words, mutated_copy, mutations, printable_mutations  # noqa: E402

from epaper.ingest import InvalidEdition, read_edition  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="mutations validated (default 2000)")
    parser.add_argument("--builds", type=int, default=20, help="mutations built into PDFs (default 20)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    findings: list[str] = []
    scratch = Path(tempfile.mkdtemp(prefix="epaper-fuzz-bench-"))
    common = dict(deadline=None, database=None, derandomize=False,
                  suppress_health_check=list(HealthCheck))

    @seed(args.seed)
    @settings(max_examples=args.examples, **common)
    @given(mutation=mutations)
    def validate(mutation: Mutation) -> None:
        folder = mutated_copy(mutation, Path(tempfile.mkdtemp(dir=scratch)))
        counts["validated"] += 1
        try:
            reading = read_edition(folder)
        except Exception:  # noqa: BLE001 - the finding
            counts["tracebacks"] += 1
            findings.append(f"TRACEBACK {mutation}\n{traceback.format_exc()}")
            return
        counts["with errors" if reading.problems else "valid"] += 1
        counts["with warnings"] += bool(reading.warnings)
        for breach in check_reading(reading, folder):
            counts["contract breaches"] += 1
            findings.append(f"BREACH {mutation}: {breach}")

    @seed(args.seed)
    @settings(max_examples=args.builds, **common)
    @given(mutation=printable_mutations() | mutations)  # half of them keep the edition valid
    def build(mutation: Mutation) -> None:
        from epaper.build import build_edition

        folder = mutated_copy(mutation, Path(tempfile.mkdtemp(dir=scratch)))
        counts["builds tried"] += 1
        try:
            result = build_edition(folder, folder.parent / "out", workers=1)
        except InvalidEdition:
            counts["builds refused (exit 1)"] += 1
            return
        except Exception:  # noqa: BLE001 - the finding
            counts["tracebacks"] += 1
            findings.append(f"BUILD TRACEBACK {mutation}\n{traceback.format_exc()}")
            return
        counts["builds done (exit 0)"] += 1
        for word in missing_words(result.out_dir, result.laid_out.edition):
            counts["silent losses"] += 1
            findings.append(f"LOST {mutation}: {word}")

    for run in (validate, build):
        try:
            run()
        except Exception:  # noqa: BLE001 - the strategies themselves failed: show it
            findings.append(traceback.format_exc())
    for finding in findings:
        print(finding)
    for key in ("validated", "valid", "with errors", "with warnings", "builds tried", "builds done (exit 0)",
                "builds refused (exit 1)", "tracebacks", "contract breaches", "silent losses"):
        print(f"{key:>24}: {counts[key]}")
    return 1 if counts["tracebacks"] or counts["contract breaches"] or counts["silent losses"] else 0


if __name__ == "__main__":
    sys.exit(main())
