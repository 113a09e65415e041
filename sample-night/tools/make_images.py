#!/usr/bin/env python3
"""Generate the zone editions' placeholder photos and ads, with the sample edition's generator
(``sample-edition/tools/make_images.py``: synthetic, deterministic, CC0).

Usage:  python sample-night/tools/make_images.py [--force]
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import yaml

NIGHT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_images", NIGHT.parent / "sample-edition/tools/make_images.py")
assert _spec and _spec.loader
images = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(images)

images.AD_COPY.update({
    "old-quay-chandlery.jpg": ("Old Quay Chandlery", "Rope, paint and brass since 1908"),
    "northgate-hardware.jpg": ("Northgate Hardware", "Storm shutters fitted this week"),
    "gull-island-bakery.jpg": ("Gull Island Bakery", "Fresh on the first ferry"),
    "fenwick-isles-ferry.jpg": ("Fenwick Isles Ferry Co.", "Winter timetable from December 7"),
})


def main(argv: list[str]) -> int:
    force = "--force" in argv
    night = yaml.safe_load((NIGHT / "night.yaml").read_text(encoding="utf-8"))
    made = 0
    for variant in night["variants"]:
        folder = NIGHT / variant.get("folder", variant["edition"].lower())
        for article in sorted((folder / "articles").glob("*.json")):
            for image in json.loads(article.read_text(encoding="utf-8")).get("images", []):
                path = folder / image["src"]
                if force or not path.exists():
                    images.make_photo(path, image.get("caption", ""))
                    made += 1
        for ad in variant.get("ads", []):
            path = folder / ad["image"]
            if force or not path.exists():
                images.make_ad(path, ad)
                made += 1
    print(f"{made} images generated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
