"""A desk's commands in its long-lived output folder, against the same commands in a folder of their own.

A desk builds every night into one output folder, whose archive page and IIIF collections list every
edition there: a month of 60 editions a night is 1,800 folders, and every build and replate writes
the archive again from all of them, a night's replate looks among them for the night's editions,
and a build lets go of what no edition links any more. Issue 16's replate target (at most 10 % of a
cold build, under 1.5 s) holds in that folder too, or the desk's 1 am replate slows down as the
month goes on.

Two folders, in one run:

* **alone**: an empty folder;
* **in a month's folder**: a folder that holds ``--editions`` other editions: hard linked copies of
  the sample night's four editions (``sample-night/night.yaml``, built once), and ``--objects``
  other objects in its build cache (``OUT/.store/objects``), each linked from one of the copies
  (in a folder of its own there) as an edition's file is. The copies share their files, so the month's objects are made
  up: small files, as many as a month of a 60-edition desk might leave (a night's distinct pages,
  ~24 + 60 × 4, times the ~95 objects of a page: PDFs, images, tiles; × 30 nights ≈ 750,000, an
  estimate). A file's stat costs the same whatever its size.

In each, first the sample edition, then the sample night (whose main edition it is, under the same
id: the edition is removed first) is built, built again (the archive written with the month once,
and the warm process the desk's next command runs in left waiting, see epaper/warm.py), then
``--runs`` times, the two folders alternating step by step:

* ``epaper replate OUT --page N --edition ID``: one page of the sample edition (of the night's main
  edition, and of every zone printing it), one word of its last story with no jump changed first;
* ``epaper build`` (``build-night``) with a word of that story changed: a build, unlike a replate,
  lets go of what no edition links any more (tile sets, the store's objects);
* the same build again, nothing changed.

Last, the archive alone (``write_archive``) of the month's folder in a fresh process: first with
nothing remembered (the cache's memo removed), then again.

Figures: medians of the wall times, and the month's over the lone one's.

    .venv/bin/python bench/bench_month_folder.py [--editions 1800] [--objects 750000] [--runs 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from bench_incremental import _change_words, _quiet, _run, _story_alone  # noqa: E402
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


def _month_of_objects(out: Path, count: int, editions: list[Path]) -> None:
    """``count`` small objects in ``out``'s store, each linked from one of ``editions`` (in turn, in
    a folder ``month/`` of its own) as an edition's file is."""
    objects = out / ".store" / "objects"
    for edition in editions:
        (edition / "month").mkdir()
    for index in range(count):
        digest = hashlib.sha256(b"month %d" % index).hexdigest()
        folder = objects / digest[:2]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / digest).write_bytes(b"month %d" % index)
        os.link(folder / digest, editions[index % len(editions)] / "month" / digest)


def _subject_steps(subject: str, source: Path, out: Path, folder: Path) -> dict[str, Callable[[int], float]]:
    """What the desk does to ``subject`` ("edition": the sample edition, built from ``source``;
    "night": the sample night, ``source``'s night.yaml) published in ``out``, the sample edition (the
    night's main edition) in ``folder``, each step timed: a replate of one page (in a night: of the
    main edition, and of every zone printing it), a whole build with a word changed, one with
    nothing changed. Each takes the run's index (its words)."""
    edition = source / "sample-edition" if subject == "night" else source
    build = (["build-night", str(source / "sample-night" / "night.yaml")] if subject == "night"
             else ["build", str(edition)])

    def replate(index: int) -> float:
        return _replate(edition, out, folder, ("its", "our", "out", "all", "any", "new")[index % 6])

    def build_changed(index: int) -> float:
        _change_words(edition, _story_alone(folder)[1], ("one", "two", "six", "ten", "old", "big")[index % 6])
        return _run(*build, "--out", str(out)).wall

    return {"replate": replate, "build, a word changed": build_changed,
            "build unchanged": lambda index: _run(*build, "--out", str(out)).wall}  # unchanged since the one before


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
        folders = {"alone": work / "out-0", "in a month's folder": work / f"out-{args.editions}"}
        for name, out in folders.items():
            out.mkdir()
            if name != "alone":
                started = time.perf_counter()
                copies = []
                for index in range(args.editions):
                    source = night[index % len(night)]
                    copies.append(out / f"z{index:05d}-{source.name}")
                    shutil.copytree(source, copies[-1], copy_function=os.link)
                _month_of_objects(out, args.objects, copies)
                print(f"{args.editions} editions and {args.objects} objects linked into {out.name} "
                      f"in {time.perf_counter() - started:.1f} s")
        results: dict[tuple[str, str], dict[str, list[float]]] = {}
        # The sample night's main edition: the sample edition, under its id (the lone edition's too).
        [main] = [f.name for f in night if json.loads((f / "report.json").read_text(encoding="utf-8"))["night"]["is_main"]]
        for subject in ("edition", "night"):
            steps = {}
            for name, out in folders.items():
                source = work / f"{subject}-{out.name}"
                if subject == "edition":
                    shutil.copytree(REPO / "sample-edition", source)
                else:
                    for folder in ("sample-edition", "sample-night"):
                        shutil.copytree(REPO / folder, source / folder)
                    shutil.rmtree(out / main)  # the lone edition goes: the night's main edition has its id
                build = (["build-night", str(source / "sample-night" / "night.yaml")] if subject == "night"
                         else ["build", str(source)])
                _run(*build, "--out", str(out), own_process=True)
                # Built again, unchanged: the archive written with the month once (what the nights before
                # left), and the warm process the steps run in left waiting, as after any command of the desk's.
                _run(*build, "--out", str(out))
                steps[name] = _subject_steps(subject, source, out, out / main)
            # The two folders' steps alternate: the machine's drift over the run falls on both alike.
            for index in range(args.runs):
                for step in steps["alone"]:
                    for name, out in folders.items():
                        for other in folders.values():
                            _quiet(other)  # neither folder's replaced edition still being deleted
                        results.setdefault((subject, step), {}).setdefault(name, []).append(steps[name][step](index))
        alone = subprocess.run([sys.executable, "-c", _ARCHIVE_ALONE, str(folders["in a month's folder"])], check=True,
                               capture_output=True, text=True, cwd=REPO).stdout.split("\n")
        archive = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in alone if line}
        for (subject, step), by_folder in results.items():
            lone = statistics.median(by_folder["alone"])
            print(f"\n{step} (the sample {subject}), median of {args.runs} (warm process)")
            for name, walls in by_folder.items():
                median = statistics.median(walls)
                under = f"; under 1.5 s: {median < 1.5}" if (subject, step) == ("edition", "replate") else ""
                print(f"  {name:<22} {median:6.2f} s wall  ({median / lone:4.2f}× alone{under})  "
                      f"runs: {', '.join(f'{w:.2f}' for w in walls)}")
        print(f"write_archive of the month's folder ({args.editions + 4} editions), a fresh process: "
              + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in archive.items()))


if __name__ == "__main__":
    main()
