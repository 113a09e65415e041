"""A smaller real edition for tests that build or lay out many times: the sample's Front and City
sections (five pages), without ads, copied into a folder of the test's own.

One City story is left out (``LEFT_OUT``): with all of them the City pages are so full that every
one but the last holds a jump, and the tests of replates and nights need two pages no jump touches
(a page replated alone, and a zone's local page).

The front's "Inside today" refers to sections the small edition has not ({page:Business}): their
references are written out as the page numbers the whole sample prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

SAMPLE = Path(__file__).resolve().parent.parent / "sample-edition"
SECTIONS = ("Front", "City")
LEFT_OUT = ("police-overtime-budget",)


def make_small_edition(root: Path) -> Path:
    shutil.copytree(SAMPLE / "images", root / "images")
    (root / "articles").mkdir(parents=True)
    manifest = yaml.safe_load((SAMPLE / "edition.yaml").read_text(encoding="utf-8"))
    first, page = {}, 1
    for section in manifest["sections"]:
        first[section["name"]], page = page, page + section["pages"]
    markers = [m for name in SECTIONS for m in (f'"section": "{name}"', f"\nsection: {name}")]
    for path in (SAMPLE / "articles").iterdir():
        text = path.read_text(encoding="utf-8")
        if path.stem not in LEFT_OUT and any(marker in text for marker in markers):
            for name, number in first.items():
                if name not in SECTIONS:
                    text = text.replace(f"{{page:{name}}}", str(number))
            (root / "articles" / path.name).write_text(text, encoding="utf-8")
    manifest["sections"] = [s for s in manifest["sections"] if s["name"] in SECTIONS]
    manifest["ads"] = []
    (root / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return root
