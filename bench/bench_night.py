"""Night benchmark: ``epaper build-night`` against building the same editions one by one, and the
re-run of an unchanged night against its first build — ratios measured in the same run.

The night comes from :mod:`night_generator` (a 24-page main edition and 6 zones, each replacing
2–6 pages with its own stories and ads). For the one-by-one peer every edition of the night is
written out as an ordinary edition folder (the main edition's stories and the zone's, the zone's
sections and ads: exactly what the night lays out) and built with ``epaper build``, one after
another, each into its own output folder. Every build is a separate process (``python -m epaper``),
so nothing one build measured or cached in memory helps the next.

    .venv/bin/python bench/bench_night.py [--seed 1] [--pages 24] [--zones 6] [--repeat 1] [--workers 2]

Targets (issue 16): the night at least 3× faster than the editions one by one; the re-run of an
unchanged night at least 20× faster than its first build.

Also measured (no target): late news in the night — one word of a story changed on a main edition
page every zone prints, and ``epaper replate OUT --page N --edition MAIN`` (the page made again in
the main edition and every zone, each a new version), against the cold night; and the same change
saved three times with ``epaper watch NIGHT_FILE`` running, each from the save to its "Done in".
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from compiled import compile_epaper  # noqa: E402
from bench_incremental import _change_words, _watched_replates  # noqa: E402
from night_generator import generate_night  # noqa: E402


def _edition_folders(night_file: Path, target: Path) -> list[Path]:
    """Each edition of the night as an edition folder of its own (the peer's input)."""
    from epaper.night import lay_out_night, read_night

    laid = lay_out_night(read_night(night_file))
    folders = []
    for index, item in enumerate(laid.editions):
        edition = item.laid_out.edition
        folder = target / f"edition-{index}"
        (folder / "articles").mkdir(parents=True)
        (folder / "images").mkdir()
        copied: dict[Path, str] = {}

        def image(path: Path) -> str:
            if path not in copied:
                name = f"images/{len(copied):03d}-{path.name}"
                shutil.copy(path, folder / name)
                copied[path] = name
            return copied[path]

        for article in edition.articles:
            data = _article_data(article.source_file)
            for entry, photo in zip(data.get("images", []), article.photos):
                entry["src"] = image(photo.path)
            (folder / "articles" / f"{article.id}.json").write_text(json.dumps(data, ensure_ascii=False),
                                                                    encoding="utf-8")
        manifest = {
            "title": edition.title, "date": edition.date.isoformat(), "edition": edition.edition,
            "language": edition.language, "format": edition.format,
            "sections": [{k: v for k, v in (("name", s.name), ("pages", s.pages), ("template", s.template),
                                            ("language", s.language)) if v is not None} for s in edition.sections],
            "ads": [{"page": ad.page, "columns": ad.columns, "height_mm": ad.height_mm, "position": ad.position,
                     **({"image": image(ad.image)} if ad.image else {})} for ad in edition.ads],
        }
        (folder / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
        folders.append(folder)
    return folders


def _article_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    _, front, body = text.split("---", 2)
    data = yaml.safe_load(front)
    data["body"] = body.strip()
    return data


def _run(args: list[str], *, says: str | None = None) -> float:
    """Seconds ``epaper ARGS`` took; ``says`` must be in what it printed (what the run is said to measure)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "epaper", *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"epaper {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    if says is not None and says not in " ".join(done.stdout.split()):
        raise SystemExit(f"epaper {' '.join(args)} did not say {says!r}:\n{done.stdout[-3000:]}")
    return seconds


def _page_every_zone_prints(night_out: Path) -> tuple[str, int, str]:
    """(main edition id, page, story): a page past the front every zone prints as the main
    edition's, none of whose stories jumps, and its first story."""
    [report] = [json.loads(p.read_text(encoding="utf-8")) for p in night_out.glob("*/report.json")
                if json.loads(p.read_text(encoding="utf-8"))["night"]["is_main"]]
    main = report["night"]["main"]
    differ = {n for edition in report["night"]["editions"] for n in edition["differs_from_main"]}
    layout = json.loads((night_out / main / "layout.json").read_text(encoding="utf-8"))
    for page in layout["pages"]:
        if page["number"] > 1 and page["number"] not in differ and page["articles"] and not any(
                a["continued_to"] or a["continued_from"] for a in page["articles"]):
            return main, page["number"], page["articles"][0]["id"]
    raise SystemExit("no page every zone prints without jumps in this night: try another --seed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--zones", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement (the median is reported)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    compile_epaper()  # as installed: see compiled.py
    workers = ["--workers", str(args.workers)]
    with tempfile.TemporaryDirectory(prefix="bench-night-") as tmp:
        root = Path(tmp)
        night = generate_night(root / "night", args.seed, pages=args.pages, zones=args.zones)
        folders = _edition_folders(night.night_file, root / "peer-input")
        one_by_one, cold, rerun, replate, watched = [], [], [], [], []
        for run in range(args.repeat):
            peer_out = root / f"peer-{run}"
            # Each edition into an output folder of its own: nothing one build made helps the next.
            one_by_one.append(sum(_run(["build", str(f), "--out", str(peer_out / f.name), *workers]) for f in folders))
            night_out = root / f"night-{run}"
            cold.append(_run(["build-night", str(night.night_file), "--out", str(night_out), *workers]))
            rerun.append(_run(["build-night", str(night.night_file), "--out", str(night_out), *workers],
                              says="The night is unchanged"))
            main_id, page, story = _page_every_zone_prints(night_out)
            _change_words(night.main, story, ("its", "our")[run % 2])
            replate.append(_run(["replate", str(night_out), "--page", str(page), "--edition", main_id, *workers],
                                says=f"page {page} printed anew"))
            # The same late news with `epaper watch NIGHT_FILE` running: from each save to "Done in".
            watched += [timing.wall for timing in _watched_replates(night.main, night_out, story,
                                                                    watched=night.night_file)]
        figures = {
            "editions": len(folders), "main_pages": night.pages,
            "zone_own_pages": {z.name: list(z.own_pages) for z in night.zones},
            "one_by_one_s": round(statistics.median(one_by_one), 2),
            "night_cold_s": round(statistics.median(cold), 2),
            "night_rerun_s": round(statistics.median(rerun), 2),
            "night_replate_s": round(statistics.median(replate), 2),
            "night_watch_replate_s": round(statistics.median(watched), 2),
            "runs": args.repeat,
        }
        figures["night_speedup"] = round(figures["one_by_one_s"] / figures["night_cold_s"], 2)
        figures["rerun_speedup"] = round(figures["night_cold_s"] / figures["night_rerun_s"], 2)
    print(f"{figures['editions']} editions ({figures['main_pages']}-page main edition; zones' own pages: "
          + "; ".join(f"{k} {len(v)}" for k, v in figures["zone_own_pages"].items()) + ")")
    print(f"one by one (epaper build x{figures['editions']}): {figures['one_by_one_s']:.1f} s")
    print(f"build-night, cold:                {figures['night_cold_s']:.1f} s  -> {figures['night_speedup']:.2f}x "
          "faster (target >= 3x)")
    print(f"build-night, unchanged re-run:    {figures['night_rerun_s']:.1f} s  -> {figures['rerun_speedup']:.2f}x "
          "faster than cold (target >= 20x)")
    print(f"replate of a main page every zone prints: {figures['night_replate_s']:.1f} s  -> "
          f"{100 * figures['night_replate_s'] / figures['night_cold_s']:.0f} % of the cold night "
          f"({figures['editions']} editions published again)")
    print(f"the same in a night's watch (epaper watch NIGHT_FILE): {figures['night_watch_replate_s']:.1f} s  -> "
          f"{100 * figures['night_watch_replate_s'] / figures['night_cold_s']:.0f} % of the cold night "
          "(median of 3 saves, from the save to the watch's 'Done in')")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
