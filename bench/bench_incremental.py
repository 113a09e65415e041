"""Incremental builds and replates (issue 16, "Measured") against the cold build, in the same run.

For each edition (the sample, and a seeded 24-page edition from ``edition_generator.py``), every step
is a fresh ``epaper`` process, as the desk runs it, timed by wall clock and by CPU (the process and
its workers):

* **cold**: ``epaper build`` into an empty output folder, in a process of its own (the night's first
  command: no warm process yet; the next command leaves one, see ``epaper/warm.py``);
* **unchanged**: ``epaper build`` again into the same output (target: at most 10 % of cold);
* **one story**: one word of a story's body changed (a story with no jump, not teased, on a page
  none of whose stories jump), ``epaper build`` again (target: at most 25 % of cold, every other
  page's PDF byte-identical: checked, and reported);
* **replate**: the story changed again, ``epaper replate OUT --page N`` (target: at most 10 % of
  cold and under 1.5 s), once the edition the one-story build replaced is deleted (a process of
  its own does that after the build has returned; how long after is printed);
* **replate, own process**: the same with ``EPAPER_WARM=0``: in a process of its own, not in the
  warm process the first build left (``epaper/warm.py``), for comparison (no target);
* **replate in a watch**: ``epaper watch EDITION --out OUT`` started (not timed), then the story
  saved changed three times, each timed from the save to the watch's "Done in" line after the version
  it published (so the time to notice the save is in it), CPU from ``/proc`` (Linux); the median of
  the three, and the first alone.

Ratios are medians over ``--runs`` rounds (each round starts cold). The machine is shared: wall
time includes waiting for the CPU; CPU time does not. A command run in the warm process has no CPU
time here (the work is done by a child of that process, not of this one): "n/a".

    .venv/bin/python bench/bench_incremental.py [--runs 1] [--only sample|generated]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from compiled import compile_epaper  # noqa: E402

from epaper.warm import warm_process_waiting  # noqa: E402

from edition_generator import generate_edition  # noqa: E402


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float | None  # None: the command ran in the warm process (not a child of this one)


def _quiet(out: Path) -> None:
    """Wait until the edition the last build replaced is deleted (by a process of its own that the
    build does not wait for, see Store.discard): each step is timed on a machine that is not still
    doing the step before (a desk's commands are minutes apart). How long that deletion takes is
    printed with the figures."""
    trash = out / ".store" / "trash"
    while trash.is_dir() and any(trash.iterdir()):
        time.sleep(0.01)


def _run(*args: str, own_process: bool = False) -> Timing:
    env = {**os.environ, "EPAPER_WARM": "0"} if own_process else None
    warm = not own_process and warm_process_waiting()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "epaper", *args], check=True, capture_output=True, cwd=REPO, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Timing(wall, None if warm else (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def _edition_folder(out: Path) -> Path:
    (layout,) = [p for p in out.glob("*/layout.json") if not p.parent.name.startswith(".")]
    return layout.parent


def _pdf_digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / "pages").glob("*.pdf"))}


def _story_alone(folder: Path) -> tuple[int, str]:
    """The last (least important) story with no jump of the first page past the front none of whose
    stories jump (else of any page past the front): the front teases leads, so it is not teased
    (the byte-identical check would show it if it were)."""
    pages = [p for p in json.loads((folder / "layout.json").read_text(encoding="utf-8"))["pages"] if p["number"] != 1]
    quiet = [p for p in pages if not any(a["continued_to"] or a["continued_from"] for a in p["articles"])]
    for page in quiet + pages:
        alone = [a for a in page["articles"] if not a["continued_to"] and not a["continued_from"]]
        if alone:
            return page["number"], alone[-1]["id"]
    raise SystemExit(f"{folder}: no story without a jump past the front")


def _change_words(edition: Path, article_id: str, word: str) -> None:
    """One word of the story's body changed for another of the same length: its first three-letter
    word other than ``word`` (so each change, one after another, makes a text not seen before)."""
    path = next(p for p in (edition / "articles").iterdir() if p.stem == article_id)
    text = path.read_text(encoding="utf-8")
    cut = text.rindex("---") + 3 if path.suffix == ".md" else text.index('"body"')
    match = re.search(rf"(?<= )(?!{word} )[a-z]{{3}}(?= )", text[cut:])
    if match is None:
        raise SystemExit(f"{path}: no three-letter word in the body to change")
    start = cut + match.start()
    path.write_text(text[:start] + word + text[start + 3:], encoding="utf-8")


def _cpu_of(pid: int) -> float:
    """CPU seconds of process ``pid`` and its children it waited for, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _watched_replates(edition: Path, out: Path, article_id: str, saves: int = 3, *,
                      watched: Path | None = None) -> list[Timing]:
    """``saves`` replates by a running ``epaper watch`` of ``watched`` (the edition folder, or a night
    file whose main edition is ``edition``), each from the save to its "Done in" line."""
    # SIGINT stops the watch (Ctrl-C) — unless it starts with SIGINT ignored, as a bench started in
    # the background of a shell would pass on (Python then installs no handler): not ignored there.
    watch = subprocess.Popen([sys.executable, "-m", "epaper", "watch", str(watched or edition), "--out", str(out)],
                             cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env={**os.environ, "COLUMNS": "250"},
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert watch.stdout is not None

    def until(text: str) -> None:
        for line in watch.stdout:
            if text in line:
                return
        raise SystemExit(f"epaper watch ended before {text!r}")

    timings = []
    try:
        until("Watching")
        for index in range(saves):
            _quiet(out)
            cpu = _cpu_of(watch.pid)
            started = time.perf_counter()
            _change_words(edition, article_id, ("one", "now", "her")[index % 3])
            until("Done in")
            timings.append(Timing(time.perf_counter() - started, _cpu_of(watch.pid) - cpu))
    finally:
        watch.send_signal(signal.SIGINT)
        watch.wait(timeout=60)
        watch.stdout.close()
    return timings


def _round(edition: Path, work: Path) -> dict[str, Timing | bool | int]:
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    cold = _run("build", str(edition), "--out", str(out), own_process=True)  # the night's first command
    unchanged = _run("build", str(edition), "--out", str(out))
    folder = _edition_folder(out)
    number, article = _story_alone(folder)
    before = _pdf_digests(folder)
    _change_words(edition, article, "its")
    one_story = _run("build", str(edition), "--out", str(out))
    after = _pdf_digests(folder)
    changed = sorted(name for name in before if before[name] != after.get(name))
    started = time.perf_counter()
    _quiet(out)
    deleting = time.perf_counter() - started
    _change_words(edition, article, "our")
    replate = _run("replate", str(out), "--page", str(number))
    _quiet(out)
    _change_words(edition, article, "out")
    own_process = _run("replate", str(out), "--page", str(number), own_process=True)
    watched = _watched_replates(edition, out, article)
    return {"cold": cold, "unchanged": unchanged, "one_story": one_story, "replate": replate,
            "replate_own_process": own_process,
            "replate_in_a_watch": Timing(statistics.median(t.wall for t in watched),
                                         statistics.median(t.cpu for t in watched)),
            "first_in_a_watch": watched[0],
            "others_identical": changed == [f"{number:03d}.pdf"], "page": number,
            "pages": len(before), "deleting": deleting}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", choices=("sample", "generated"), default=None)
    args = parser.parse_args()
    compile_epaper()  # as installed: see compiled.py
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as temporary:
        work = Path(temporary)
        editions = {}
        if args.only in (None, "sample"):
            editions["sample (18 pages)"] = REPO / "sample-edition"
        if args.only in (None, "generated"):
            editions["generated (24 pages, seed 3)"] = None
        for name, source in editions.items():
            rounds = []
            for index in range(args.runs):
                edition = work / f"edition-{index}"
                shutil.rmtree(edition, ignore_errors=True)
                if source is None:
                    generate_edition(edition, seed=3, pages=24)
                else:
                    shutil.copytree(source, edition)
                rounds.append(_round(edition, work))
            print(f"\n{name}: {rounds[0]['pages']} pages, median of {args.runs} round(s)")
            cold_wall = statistics.median(r["cold"].wall for r in rounds)
            cold_cpus = [r["cold"].cpu for r in rounds if r["cold"].cpu is not None]
            cold_cpu = f"{statistics.median(cold_cpus):7.2f} s CPU" if cold_cpus else "CPU n/a (warm)"
            print(f"  {'cold build':<28} {cold_wall:7.2f} s wall {cold_cpu}")
            for step, target in (("unchanged", 0.10), ("one_story", 0.25), ("replate", 0.10),
                                 ("replate_own_process", None), ("replate_in_a_watch", 0.10),
                                 ("first_in_a_watch", 0.10)):
                wall = statistics.median(r[step].wall / r["cold"].wall for r in rounds)
                cpus = [r[step].cpu / r["cold"].cpu for r in rounds
                        if r[step].cpu is not None and r["cold"].cpu is not None]
                cpu = f"CPU {statistics.median(cpus):6.1%}" if cpus else "CPU n/a: warm"
                seconds = statistics.median(r[step].wall for r in rounds)
                print(f"  {step.replace('_', ' '):<28} {seconds:7.2f} s wall  {wall:6.1%} of cold ({cpu});"
                      + (f" target ≤ {target:.0%}" if target is not None else " (for comparison)"))
            print(f"  after one story: the replaced edition deleted "
                  f"{statistics.median(r['deleting'] for r in rounds):.2f} s after the build returned (waited for)")
            print(f"  one story changed: every other page's PDF byte-identical: "
                  f"{all(r['others_identical'] for r in rounds)} (page {rounds[0]['page']} made again)")


if __name__ == "__main__":
    main()
