"""A smaller real edition for tests that build or lay out many times: the sample's Front and City
sections (five pages), without ads, copied into a folder of the test's own.

The tests of replates and nights need a jump between two City pages (a page 2 story continued on
page 3: a zone making one of them must make both) and two City pages no jump touches (a page
replated alone, and a zone's local page). Without the sample's ads the City pages take all its
stories with room to spare, and how many jump follows from how much copy there is: two stories are
left out (``LEFT_OUT``: with them a third jump takes a page) and one is lengthened
(``LENGTHENED``, its paragraphs after the first twice again: without it no City story jumps, once
copyfit sets a photo narrower before it leaves it out).

The front's "Inside today" refers to sections the small edition has not ({page:Business}): their
references are written out as the page numbers the whole sample prints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

SAMPLE = Path(__file__).resolve().parent.parent / "sample-edition"
SECTIONS = ("Front", "City")
LEFT_OUT = ("police-overtime-budget", "mayor-budget-tax-increase")
LENGTHENED = "fish-market-renovation"


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
            if path.stem == LENGTHENED:
                text = _lengthened(text)
            (root / "articles" / path.name).write_text(text, encoding="utf-8")
    manifest["sections"] = [s for s in manifest["sections"] if s["name"] in SECTIONS]
    manifest["ads"] = []
    (root / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return root


def _lengthened(text: str) -> str:
    """A JSON story with its paragraphs after the first set twice again after its last."""
    story = json.loads(text)
    story["body"] = story["body"] + story["body"][1:] * 2
    return json.dumps(story, ensure_ascii=False, indent=2)
