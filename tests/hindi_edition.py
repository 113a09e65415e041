"""A Hindi-only edition made from the sample's Hindi articles (issue 15 item 4's test edition).

The sample's Hindi stories all belong to its देश section; here the edition is Hindi throughout:
a Devanagari title and edition name, ``language: hi``, a front page of its own (the lead stories,
moved there, more than fit, so three jump) and the देश section after it, so the front has an
"Inside" index to show. ``digits``
is written to the manifest when given. Copied into a folder of the test's own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

SAMPLE = Path(__file__).resolve().parent.parent / "sample-edition"
TITLE = "दैनिक उदाहरण"
FRONT, NATION = "मुखपृष्ठ", "देश"
# More than the front holds: three of them jump to page 2, so jump lines print in both directions.
FRONT_STORIES = ("hi-machhuara-bima-yojana", "hi-tatiya-suraksha-pariyojana", "hi-nagar-jal-apurti",
                 "hi-intercity-rail-seva", "hi-gramin-vigyan-prayogshala", "hi-dhan-kharid-pradarshan",
                 "hi-machhalimitra-app")


def make_hindi_edition(root: Path, *, digits: str | None = None, title: str = TITLE, language: str = "hi") -> Path:
    """The edition in ``root``; ``language`` is the edition's (the stories stay Hindi: ``mr`` gives
    a Marathi paper's furniture around them)."""
    (root / "articles").mkdir(parents=True)
    (root / "images").mkdir()
    for path in sorted((SAMPLE / "articles").glob("hi-*")):
        text = path.read_text(encoding="utf-8")
        if path.stem in FRONT_STORIES:
            text = _move_to_front(path, text)
        (root / "articles" / path.name).write_text(text, encoding="utf-8")
        for image in (SAMPLE / "images").glob(path.stem + ".*"):
            shutil.copy(image, root / "images" / image.name)
    manifest = {"title": title, "date": "2026-11-28", "edition": "नगर", "language": language, "format": "broadsheet",
                "sections": [{"name": FRONT, "pages": 1, "template": "front"}, {"name": NATION, "pages": 1}]}
    if digits:
        manifest["digits"] = digits
    (root / "edition.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def _move_to_front(path: Path, text: str) -> str:
    if path.suffix == ".json":
        data = json.loads(text)
        data["section"] = FRONT
        return json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace(f"\nsection: {NATION}\n", f"\nsection: {FRONT}\n", 1)
