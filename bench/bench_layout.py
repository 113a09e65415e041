"""Page make-up benchmark: layout time and make-up quality on the sample and on generated editions.

For each edition: ``lay_out`` timed in a fresh process per run (cold layout and typesetting caches;
fonts loaded before the clock starts), median of ``--runs``, laid out as ``epaper build`` lays it
out: the sections past the front planned on ``--workers`` local processes (default 2, the build's
default; their start is timed, their CPU counted; ``--workers 1``: all in the one process); the
quality figures measured from the page IR by ``bench/layout_checks.py``. The peer, measured in the same run and also in fresh
processes, is the typesetter alone setting every article's body at one column (Knuth–Plass, the
same call layout makes): the floor layout cannot go below, so ``layout/peer`` is the cost of
placement, copyfit and composition on top of typesetting.

Figures per edition: pages, layout seconds wall and CPU (and per page), peer CPU seconds and ratio,
fill (min/mean over all pages; and the share of pages ≥ 97 % among pages with enough copy — pages
of a section that still had copy left over: unplaced articles, or a placed story whose text was not
all set), overset, overlaps, tombstones, widows/orphans (counted from the
IR), jump breaches, jumps, text-conservation failures, placed/unplaced, and whether the runs gave
identical pages.

    .venv/bin/python bench/bench_layout.py [--runs 3] [--workers 2] [--json] [--seeds 1 2 3 4 5] [--quick]

Target (issue 4): a 24-page edition laid out in under 3 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SAMPLE = REPO / "sample-edition"
FULL_FILL = 0.97

# Generated editions: (label, seed, articles, pages); pages None = the generator's daily-sized choice.
GENERATED = [(f"gen seed {s}", s, None, None) for s in (1, 2, 3, 4, 5)] + [
    ("gen 40 articles", 11, 40, 12),
    ("gen 100 articles", 12, 100, 24),
    ("gen 24 pages", 13, 90, 24),
]


# ---------------------------------------------------------------------------------------------
# Worker: one measurement in a fresh interpreter, printed as JSON


def _digest(laid_out) -> str:
    """A fingerprint of the pages (every region and item), to see that runs agree exactly."""
    h = hashlib.sha256()
    for page in laid_out.pages:
        h.update(repr((page.number, page.regions, page.items)).encode())
    h.update(repr(laid_out.unplaced).encode())
    return h.hexdigest()[:16]


def _worker(kind: str, folder: str, workers: str) -> dict:
    sys.path.insert(0, str(BENCH))
    from epaper.formats import load_format
    from epaper.ingest import load_edition
    from epaper.layout.module import dateline_lead
    from epaper.model import Run
    from epaper.typeset import font_book, set_text

    edition = load_edition(Path(folder))
    fmt = load_format(edition.format)
    book = font_book()
    for face in ("serif", "serif-bold", "serif-italic", "sans", "sans-bold", "headline"):
        try:
            book.face(face).width("warm up", 9)
        except Exception:  # a face name not in this font book: nothing to warm
            pass
    if kind == "peer":
        started, cpu = time.perf_counter(), time.process_time()
        for article in edition.articles:
            lead_in = (Run(dateline_lead(article), bold=True),) if article.dateline else ()
            set_text(article.body, fmt.style("body"), fmt.style("subhead"), fmt.column_width, article.language,
                     lead_in=lead_in, breaker_name="knuth-plass")
        return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    from epaper.layout import lay_out
    from epaper.tasks import LocalRunner

    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    runner = LocalRunner(int(workers)) if int(workers) > 1 else None
    try:
        laid_out = lay_out(edition, runner=runner)
    finally:
        if runner is not None:
            runner.close()  # (its processes ended and reaped: their CPU is in the children's)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu + _children_cpu() - children
    result = {"seconds": seconds, "cpu": cpu, "digest": _digest(laid_out)}
    if kind == "layout+figures":
        from layout_checks import check_edition

        result["figures"] = _figures(check_edition(laid_out), len(edition.articles))
    return result


def _figures(f, articles: int) -> dict:
    fills = [p.fill for p in f.pages]
    enough = [p for p in f.pages if p.enough_copy]
    return {
        "pages": len(f.pages),
        "articles": articles,
        "fill_min": min(fills, default=0.0),
        "fill_mean": statistics.fmean(fills) if fills else 0.0,
        "enough_copy_pages": len(enough),
        "enough_copy_full": sum(1 for p in enough if p.fill >= FULL_FILL - 1e-9),
        "enough_copy_fill_min": min((p.fill for p in enough), default=None),
        "overset": sum(p.overset for p in f.pages),
        "overlaps": f.overlaps,
        "off_grid": sum(len(p.off_grid) + len(p.outside) for p in f.pages),
        "tombstones": f.tombstones,
        "tombstones_reported": sum(p.reported_tombstones for p in f.pages),
        "widows": f.widows,
        "orphans": f.orphans,
        "jumps": f.jumps,
        "jump_breaches": len(f.jump_breaches),
        "text_lost": len(f.text_mismatches),
        "placed": f.placed,
        "unplaced": f.unplaced,
        "unlisted": len(f.unlisted) + len(f.reasonless),
        "breaches": f.breaches(),
        "page_fill": [[p.number, p.section, round(p.fill, 4), p.enough_copy] for p in f.pages],
    }


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def _run_worker(kind: str, folder: Path, workers: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", kind, str(folder), str(workers)], capture_output=True,
                         text=True, cwd=REPO)
    if out.returncode != 0:
        raise RuntimeError(f"{kind} on {folder} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Driver


def measure(label: str, folder: Path, runs: int, workers: int) -> dict:
    first = _run_worker("layout+figures", folder, workers)
    runs_ = [first] + [_run_worker("layout", folder, workers) for _ in range(runs - 1)]
    # The pages laid out on workers must be those one process lays out: checked with the runs.
    alone = [_run_worker("layout", folder, 1)] if workers > 1 else []
    peers = [_run_worker("peer", folder, 1) for _ in range(runs)]
    layout = statistics.median(r["seconds"] for r in runs_)
    cpu = statistics.median(r["cpu"] for r in runs_)
    peer = statistics.median(r["seconds"] for r in peers)
    peer_cpu = statistics.median(r["cpu"] for r in peers)
    return {"edition": label, "folder": str(folder), "layout_s": layout, "layout_cpu_s": cpu,
            "layout_runs": [r["seconds"] for r in runs_], "peer_s": peer, "peer_cpu_s": peer_cpu,
            "ratio": cpu / peer_cpu if peer_cpu else None,
            "deterministic": len({r["digest"] for r in runs_ + alone}) == 1, **first["figures"]}


def _table(rows: list[dict]) -> str:
    head = ("edition", "pages", "art", "layout s", "cpu s", "cpu/page", "peer cpu s", "ratio", "fill min", "fill mean",
            "≥97% (enough copy)", "overset", "overlap", "tomb", "wid/orph", "jumps", "jump br", "text lost",
            "placed/unpl", "determ")
    lines = []
    for r in rows:
        enough = (f"{r['enough_copy_full']}/{r['enough_copy_pages']}"
                  + (f" min {r['enough_copy_fill_min']:.1%}" if r["enough_copy_fill_min"] is not None else ""))
        lines.append((r["edition"], str(r["pages"]), str(r["articles"]), f"{r['layout_s']:.2f}",
                      f"{r['layout_cpu_s']:.2f}", f"{r['layout_cpu_s'] / r['pages']:.3f}", f"{r['peer_cpu_s']:.2f}",
                      f"{r['ratio']:.1f}x",
                      f"{r['fill_min']:.1%}", f"{r['fill_mean']:.1%}", enough, str(r["overset"]), str(r["overlaps"]),
                      str(r["tombstones"]), f"{r['widows']}/{r['orphans']}", str(r["jumps"]), str(r["jump_breaches"]),
                      str(r["text_lost"]), f"{r['placed']}/{r['unplaced']}" + (f" ({r['unlisted']} unlisted)" if r["unlisted"] else ""),
                      "yes" if r["deterministic"] else "NO"))
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*line) for line in lines]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description="Page make-up benchmark (issue 4).")
    parser.add_argument("--runs", type=int, default=3, help="runs per edition (median); default 3")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--seeds", type=int, nargs="*", help="generated editions: these seeds only (daily-sized)")
    parser.add_argument("--quick", action="store_true", help="sample + the 24-page edition only, one run")
    parser.add_argument("--no-sample", action="store_true")
    parser.add_argument("--breaches", action="store_true", help="list every breach found")
    parser.add_argument("--workers", type=int, default=2,
                        help="processes the sections are planned on, as epaper build --workers (default 2)")
    parser.add_argument("--worker", nargs=3, metavar=("KIND", "FOLDER", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
        return
    sys.path.insert(0, str(BENCH))
    from edition_generator import generate_edition

    editions = GENERATED
    if args.seeds is not None:
        editions = [(f"gen seed {s}", s, None, None) for s in args.seeds]
    if args.quick:
        editions = [e for e in GENERATED if e[0] == "gen 24 pages"]
        args.runs = 1
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as tmp:
        todo: list[tuple[str, Path]] = [] if args.no_sample else [("sample edition", SAMPLE)]
        for label, seed, articles, pages in editions:
            folder = Path(tmp) / f"seed-{seed}"
            generate_edition(folder, seed, articles, pages)
            todo.append((label, folder))
        failed = []
        for label, folder in todo:
            try:
                rows.append(measure(label, folder, args.runs, args.workers))
            except RuntimeError as error:  # one broken edition must not hide the others' figures
                failed.append((label, str(error)))
                print(f"  FAILED {label}: {str(error).splitlines()[-1]}", file=sys.stderr)
                continue
            if not args.json:
                print(f"  measured {label}", file=sys.stderr)
    for r in rows:
        if "gen" in r["edition"]:
            r["folder"] = "(temporary)"
    if args.json:
        print(json.dumps({"runs": args.runs, "editions": rows, "failed": failed}, ensure_ascii=False, indent=1))
        sys.exit(1 if failed else 0)
    print(f"layout benchmark — median of {args.runs} fresh-process runs on {args.workers} worker process(es) as "
          f"epaper build (wall and CPU seconds, its workers' included; the CPU figure is the one to trust on a "
          f"shared machine); peer = typesetting every body at one column in one process, same run; ratio = layout "
          f"CPU / peer CPU; determ = the runs, and one in a single process, gave identical pages")
    print(_table(rows))
    all_enough = [(r["enough_copy_full"], r["enough_copy_pages"]) for r in rows]
    full, total = sum(a for a, _ in all_enough), sum(b for _, b in all_enough)
    print(f"\npages with enough copy filled ≥ 97%: {full}/{total}"
          f" ({full / total:.0%})" if total else "\nno page had more copy than room")
    if not rows:
        sys.exit(1)
    biggest = max(rows, key=lambda r: r["pages"])
    verdict = "meets" if biggest["layout_s"] < 3.0 else "MISSES"
    print(f"largest edition: {biggest['pages']} pages in {biggest['layout_s']:.2f} s wall, "
          f"{biggest['layout_cpu_s']:.2f} s CPU — {verdict} the 3 s target (wall)")
    if args.breaches:
        for r in rows:
            for b in r["breaches"]:
                print(f"  {r['edition']}: {b}")
    for label, error in failed:
        print(f"FAILED {label}:\n{error}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
