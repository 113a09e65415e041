"""A replate in a desk's long-lived output folder, against the same replate in a folder of its own.

A desk builds every night into one output folder, whose archive page and IIIF collections list every
edition there: a month of 60 editions a night is 1,800 folders, and every build and replate writes
the archive again from all of them. Issue 16's replate target (at most 10 % of a cold build, under
1.5 s) holds in that folder too, or the desk's 1 am replate slows down as the month goes on.

In one run, as the desk runs each command (``epaper replate``, in the warm process a build leaves,
see epaper/warm.py):

* **alone**: the sample edition built into an empty folder, then one page replated ``--runs`` times
  (one word of a story with no jump changed before each);
* **in a month's folder**: the same in a folder that also holds ``--editions`` other editions: hard
  linked copies of the sample night's four editions (``sample-night/night.yaml``, built once), the
  archive written once with them (what the previous night's builds left), and ``--objects`` other
  objects in its build cache (``OUT/.store/objects``), each linked from a folder beside the
  editions as an edition's file is. The copies share their files, so the month's objects are made
  up: small files, as many as a month of a 60-edition desk might leave (a night's distinct pages,
  ~24 + 60 × 4, times the ~95 objects of a page: PDFs, images, tiles; × 30 nights ≈ 750,000, an
  estimate). A file's stat costs the same whatever its size;
* the archive alone (``write_archive``) of that folder in a fresh process: first with nothing
  remembered (the cache's memo removed), then again.

In each folder, after each replate: a whole ``epaper build`` of the edition with a word of that
story changed, then one with nothing changed (a build, unlike a replate, lets go of what no edition
links any more: tile sets and the store's objects).

Figures: medians of the wall times, and the month's over the lone one's.

    .venv/bin/python bench/bench_month_folder.py [--editions 1800] [--objects 750000] [--runs 5]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from bench_incremental import _change_words, _edition_folder, _quiet, _run, _story_alone  # noqa: E402
from compiled import compile_epaper  # noqa: E402

_ARCHIVE_ALONE = """
import shutil, sys, tempfile, time
from pathlib import Path
from epaper.web import write_archive
root = Path(sys.argv[1])
shutil.rmtree(root / ".store" / "memos" / "archive-facts", ignore_errors=True)
write_archive(Path(tempfile.mkdtemp()))  # an empty folder: templates, fonts, babel loaded before the timing
for label in ("nothing remembered", "again"):
    started = time.perf_counter()
    write_archive(root)
    print(label, time.perf_counter() - started)
"""


def _replate(edition: Path, out: Path, folder: Path, word: str) -> float:
    """One replate of the page of the story with no jump of the edition published in ``folder`` of
    ``out``, that story's ``word`` changed first; its wall time."""
    number, article = _story_alone(folder)
    _change_words(edition, article, word)
    return _run("replate", str(out), "--page", str(number), "--edition", folder.name).wall


def _month_of_objects(out: Path, count: int) -> None:
    """``count`` small objects in ``out``'s store, each linked from ``out/.month-objects/`` (hidden:
    the archive passes it by) as an edition's file is."""
    objects, linked = out / ".store" / "objects", out / ".month-objects"
    linked.mkdir()
    for index in range(count):
        digest = hashlib.sha256(b"month %d" % index).hexdigest()
        folder = objects / digest[:2]
        folder.mkdir(exist_ok=True)
        (folder / digest).write_bytes(b"month %d" % index)
        os.link(folder / digest, linked / digest)


def _build(edition: Path, out: Path, folder: Path, word: str | None) -> float:
    """A whole build of ``edition`` (published in ``folder`` of ``out``), unchanged or with ``word``
    changed in the story the replates change; its wall time."""
    if word is not None:
        _change_words(edition, _story_alone(folder)[1], word)
    return _run("build", str(edition), "--out", str(out)).wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--editions", type=int, default=1800, help="other editions in the month's folder")
    parser.add_argument("--objects", type=int, default=750_000, help="other objects in the month's build cache")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compile_epaper()  # as installed: see compiled.py
    with tempfile.TemporaryDirectory(prefix="bench-month-folder-") as temporary:
        work = Path(temporary)
        for folder in ("sample-edition", "sample-night"):
            shutil.copytree(REPO / folder, work / "night" / folder)
        _run("build-night", str(work / "night" / "sample-night" / "night.yaml"), "--out", str(work / "night-out"))
        night = sorted(p.parent for p in (work / "night-out").glob("*/layout.json"))
        made = {}
        for name, others in (("alone", 0), ("in a month's folder", args.editions)):
            edition, out = work / f"edition-{others}", work / f"out-{others}"
            shutil.copytree(REPO / "sample-edition", edition)
            _run("build", str(edition), "--out", str(out), own_process=True)
            folder = _edition_folder(out)
            started = time.perf_counter()
            for index in range(others):
                source = night[index % len(night)]
                shutil.copytree(source, out / f"z{index:05d}-{source.name}", copy_function=os.link)
            if others:
                _month_of_objects(out, args.objects)
                print(f"{others} editions and {args.objects} objects linked into {out.name} "
                      f"in {time.perf_counter() - started:.1f} s")
            # Built again, unchanged: the archive written with them once (what the nights before left),
            # and the warm process the replates run in left waiting, as after any command of the desk's.
            _run("build", str(edition), "--out", str(out))
            made[name] = (edition, out, folder)
        # The two folders' replates alternate: the machine's drift over the run falls on both alike.
        steps = ("replate", "build, a word changed", "build unchanged")  # unchanged: since the build before
        results: dict[str, dict[str, list[float]]] = {step: {name: [] for name in made} for step in steps}
        for index in range(args.runs):
            word, other_word = ("its", "our", "out", "all", "any", "new")[index % 6], ("one", "two", "six", "ten", "old", "big")[index % 6]
            for step in steps:
                for name, (edition, out, folder) in made.items():
                    for _, other, _ in made.values():
                        _quiet(other)  # neither folder's replaced edition still being deleted
                    if step == "replate":
                        wall = _replate(edition, out, folder, word)
                    else:
                        wall = _build(edition, out, folder, None if step == "build unchanged" else other_word)
                    results[step][name].append(wall)
        alone = subprocess.run([sys.executable, "-c", _ARCHIVE_ALONE, str(made["in a month's folder"][1])], check=True,
                               capture_output=True, text=True, cwd=REPO).stdout.split("\n")
        archive = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in alone if line}
        for step, by_folder in results.items():
            lone = statistics.median(by_folder["alone"])
            print(f"\n{step} (the sample edition), median of {args.runs} (warm process)")
            for name, walls in by_folder.items():
                median = statistics.median(walls)
                under = f"; under 1.5 s: {median < 1.5}" if step == "replate" else ""
                print(f"  {name:<22} {median:6.2f} s wall  ({median / lone:4.2f}× alone{under})  "
                      f"runs: {', '.join(f'{w:.2f}' for w in walls)}")
        print(f"write_archive of the month's folder ({args.editions + 1} editions), a fresh process: "
              + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in archive.items()))


if __name__ == "__main__":
    main()
