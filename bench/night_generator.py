"""Seeded generator of production nights for the night benchmark and tests: a main edition and zone
editions that each replace a few of its pages with their own stories and ads.

``generate_night(folder, seed)`` writes ``folder/main/`` (an edition from
:func:`edition_generator.generate_edition`, 24 pages by default), one folder per zone and
``folder/night.yaml``. Each zone replaces whole sections of the main edition (``replace_sections``)
adding up to ``own_pages`` pages (2–6 by default; a section has 1–4 pages): the zone's stories are a
generated edition of the same size, moved into those sections, and its ads are placed on those
pages. The section right after the front is never replaced (the front's stories jump into it, and a
zone that inherits the front while replacing its jump page would be refused). Everything fictional.

The same arguments always give the same folder.

    .venv/bin/python bench/night_generator.py OUT_DIR [--seed 1] [--pages 24] [--zones 6]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from edition_generator import generate_edition  # noqa: E402

ZONE_NAMES = ("Harbour", "North Shore", "Islands", "Saltmarsh", "Kettle Hill", "Brannock", "Greyfield",
              "Fenwick", "Northgate", "Whitstone", "Bellbay", "Vellmont")


@dataclass(frozen=True)
class GeneratedZone:
    name: str
    folder: Path
    sections: tuple[str, ...]
    own_pages: tuple[int, ...]  # main page numbers the zone replaces


@dataclass(frozen=True)
class GeneratedNight:
    night_file: Path
    main: Path
    pages: int
    zones: tuple[GeneratedZone, ...]


def generate_night(folder: Path | str, seed: int, *, pages: int = 24, zones: int = 6,
                   own_pages: tuple[int, int] = (2, 6), articles: int | None = None) -> GeneratedNight:
    """Write a night into ``folder`` (created; must be empty or a night generated before)."""
    rng = random.Random(f"epaper-night-{seed}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    main = generate_edition(folder / "main", seed, articles if articles is not None else round(pages * 4.2), pages,
                            hindi=False, markdown_share=0.3)
    ranges, number = {}, 1
    for name, count in main.sections:
        ranges[name] = (number, number + count - 1)
        number += count
    # Zones may take any inside section but the one the front jumps into.
    choosable = [name for name, _ in main.sections[2:]]
    low, high = own_pages
    made = []
    variants = []
    for index in range(zones):
        name = ZONE_NAMES[index % len(ZONE_NAMES)] + ("" if index < len(ZONE_NAMES) else f" {index + 1}")
        chosen = _choose_sections(rng, choosable, dict(main.sections), low, high)
        pages_of = [p for s in chosen for p in range(ranges[s][0], ranges[s][1] + 1)]
        zone_folder = folder / f"zone-{index + 1}"
        ads = _zone_stories(zone_folder, seed * 100 + index, chosen, dict(main.sections), ranges, name)
        variants.append({"edition": name, "folder": zone_folder.name, "replace_sections": list(chosen),
                         **({"ads": ads} if ads else {})})
        made.append(GeneratedZone(name, zone_folder, tuple(chosen), tuple(pages_of)))
    night_file = folder / "night.yaml"
    night_file.write_text(yaml.safe_dump({"main": "main", "variants": variants}, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")
    return GeneratedNight(night_file, folder / "main", main.pages, tuple(made))


def _choose_sections(rng: random.Random, names: list[str], sizes: dict[str, int], low: int, high: int) -> list[str]:
    """One or more sections adding up to ``low``–``high`` pages (as near as the sections allow)."""
    order = names[:]
    rng.shuffle(order)
    chosen: list[str] = []
    for name in order:
        total = sum(sizes[s] for s in chosen)
        if total >= low:
            break
        if total + sizes[name] <= high:
            chosen.append(name)
    return sorted(chosen, key=names.index) or [order[0]]


def _zone_stories(folder: Path, seed: int, sections: list[str], sizes: dict[str, int],
                  ranges: dict[str, tuple[int, int]], zone: str) -> list[dict]:
    """Generate the zone's stories for each replaced section (an edition of that section's size,
    moved into it) and its ads on those pages; returns the ads for night.yaml."""
    ads: list[dict] = []
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(parents=True, exist_ok=True)
    for number, section in enumerate(sections):
        scratch = folder / f".gen-{number}"
        generated = generate_edition(scratch, seed * 10 + number, round(sizes[section] * 4.2) + 2,
                                     sizes[section] + 1, sections=1, hindi=False, markdown_share=0.0)
        manifest = yaml.safe_load((scratch / "edition.yaml").read_text(encoding="utf-8"))
        for path in sorted((scratch / "articles").glob("*.json")):
            article = json.loads(path.read_text(encoding="utf-8"))
            if article["section"] == "Front":
                continue  # the generated edition's own front: the zone inherits the main one
            article["id"] = f"z{seed}-{number}-{article['id']}"  # never a main story's id
            article["section"] = section
            article.pop("pin", None)
            for image in article.get("images", []):
                source = scratch / image["src"]
                image["src"] = f"images/{number}-{source.name}"
                source.replace(folder / image["src"])
            (folder / "articles" / f"{article['id']}.json").write_text(
                json.dumps(article, ensure_ascii=False, indent=1), encoding="utf-8")
        first = ranges[section][0]
        for ad in manifest.get("ads", []):
            if ad["page"] == 1:
                continue
            source = scratch / ad["image"]
            target = f"images/{number}-{source.name}"
            source.replace(folder / target)
            ads.append({"page": first + ad["page"] - 2, "columns": ad["columns"], "height_mm": ad["height_mm"],
                        "position": ad.get("position", "bottom-right"), "image": target})
        _remove(scratch)
        del generated
    return ads


def _remove(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--zones", type=int, default=6)
    args = parser.parse_args()
    night = generate_night(args.out, args.seed, pages=args.pages, zones=args.zones)
    for zone in night.zones:
        print(f"{zone.name}: replaces {', '.join(zone.sections)} (main pages {', '.join(map(str, zone.own_pages))})")
    print(f"wrote {night.night_file}")


if __name__ == "__main__":
    main()
