"""An edition built on a 2-worker Dask ``LocalCluster`` against the local pool of 2 processes, same run.

    .venv/bin/python bench/bench_dask.py [--runs 3] [EDITION_DIR]
    .venv/bin/python bench/bench_dask.py --night sample-night/night.yaml [--runs 1]

Both build the same edition (default: the sample) with ``build_edition``, or with ``--night`` every
edition of a night with ``build_night`` (then the files' hard links must match too); the runs alternate (local,
cluster, local, …) so load on the machine falls on both alike. The cluster is started once before
timing, as a standing cluster would be; each cluster build includes connecting to it and its checks
(workers, versions, the shared output folder). Reported: the median of each and their ratio
(cluster / local; above 1 means the cluster is slower), and whether the two builds' files are the
same bytes (JSON without the build's timings, as bench/compare_outputs.py judges them; the build
cache in ``.store`` is not compared: its memos are pickles, whose bytes differ between processes).

Figures (2 cores; ratios from the same run): the sample edition, 3 runs, 2026-12-05: local 10.44 s,
cluster 11.04 s, 1.06x, outputs identical. Earlier, on a machine shared with other work (load average
13-16): the sample edition local 127.3 s, cluster 166.3 s, 1.31x; the sample night (4 editions),
1 run: local 486.6 s, cluster 567.9 s, 1.17x; outputs identical in both.

On one machine the cluster cannot be faster than the pool: it draws with the same two processes and
adds a scheduler hop and pickling of each page frame per task. The ratio is the price of that path;
the gain comes from more machines.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from distributed import LocalCluster

from compare_outputs import _in_cache, digests, judge  # bench/, on the path when this file is run
from epaper.build import build_edition
from epaper.night import build_night

REPO = Path(__file__).resolve().parent.parent


def _same_output(a: Path, b: Path) -> bool:
    """Every file in both, byte for byte; JSON only without the build's timings (compare_outputs)."""
    first, second = digests(a), digests(b)
    if first.keys() != second.keys():
        return False
    return all(judge(a / name, b / name, dpi=50) == "same but timings"
               for name in first if first[name] != second[name])


def _links(root: Path) -> dict[str, int]:
    """How many names each file has: a night hard-links the pages its editions share."""
    return {name: p.stat().st_nlink for p in sorted(root.rglob("*"))
            if p.is_file() and not _in_cache(name := p.relative_to(root).as_posix())}


def _timed(source: Path, out: Path, night: bool, **options) -> float:
    started = time.perf_counter()
    (build_night if night else build_edition)(source, out, **options)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edition", nargs="?", type=Path, default=REPO / "sample-edition")
    parser.add_argument("--night", type=Path, default=None, metavar="NIGHT_FILE",
                        help="build this night (build-night) instead of one edition")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source, night = (args.night, True) if args.night else (args.edition, False)
    local_times: list[float] = []
    cluster_times: list[float] = []
    same = True
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, scheduler_port=0,
                      dashboard_address=":0", silence_logs=logging.CRITICAL) as cluster, \
            tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            local_out, cluster_out = Path(tmp) / f"local-{run}", Path(tmp) / f"cluster-{run}"
            local_times.append(_timed(source, local_out, night, workers=2))
            cluster_times.append(_timed(source, cluster_out, night, scheduler=cluster.scheduler_address))
            same = same and _same_output(local_out, cluster_out) and _links(local_out) == _links(cluster_out)
            print(f"run {run + 1}: local pool {local_times[-1]:.2f} s, LocalCluster {cluster_times[-1]:.2f} s",
                  flush=True)
    local, remote = statistics.median(local_times), statistics.median(cluster_times)
    print(f"{'night' if night else 'edition'}: {source}")
    print(f"local pool, 2 processes (median of {args.runs}): {local:.2f} s")
    print(f"Dask LocalCluster, 2 workers x 1 thread (median of {args.runs}): {remote:.2f} s")
    print(f"cluster / local = {remote / local:.2f}x")
    print(f"outputs identical (every file's digest, JSON without timings; hard links alike): {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
