"""The output root: ``index.html`` listing every edition built there by date, and a IIIF Collection.

Editions are found by their ``layout.json`` (the article map every build writes), so the archive is
rebuilt from what is on disk and never needs a database.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from .assets import STATIC_DIR
from .manifest import PRESENTATION_CONTEXT
from .templating import environment, long_date

__all__ = ["EditionEntry", "find_editions", "write_archive"]


@dataclass(frozen=True)
class EditionEntry:
    folder: str
    id: str
    title: str
    date: str
    edition: str
    pages: int
    language: str

    @property
    def href(self) -> str:
        return f"{self.folder}/index.html"

    @property
    def date_label(self) -> str:
        return long_date(self.date)


def find_editions(output_root: Path) -> list[EditionEntry]:
    """Editions under ``output_root``, newest first (then by title and edition name)."""
    entries = []
    for layout in sorted(Path(output_root).glob("*/layout.json")):
        try:
            data = json.loads(layout.read_text(encoding="utf-8"))
            block = data["edition"]
            dt.date.fromisoformat(str(block["date"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a half-written or foreign folder is not an edition: leave it out of the list
        entries.append(
            EditionEntry(
                folder=layout.parent.name,
                id=str(block.get("id", layout.parent.name)),
                title=str(block.get("title", layout.parent.name)),
                date=str(block["date"]),
                edition=str(block.get("edition", "")),
                pages=len(data.get("pages", [])),
                language=str(block.get("language", "en")),
            )
        )
    entries.sort(key=lambda e: (e.title, e.edition))
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries


def _collection(entries: list[EditionEntry], output_root: Path, base_url: str | None = None) -> dict:
    base = base_url.rstrip("/") + "/" if base_url else ""
    items = []
    for entry in entries:
        item = {
            "id": f"{base}{entry.folder}/manifest.json",
            "type": "Manifest",
            "label": {entry.language or "none": [f"{entry.title}, {entry.date_label} ({entry.edition} edition)"]},
            "navDate": f"{entry.date}T00:00:00Z",
        }
        if (output_root / entry.folder / "thumbs" / "001.jpg").is_file():
            item["thumbnail"] = [{"id": f"{base}{entry.folder}/thumbs/001.jpg", "type": "Image", "format": "image/jpeg"}]
        items.append(item)
    return {
        "@context": PRESENTATION_CONTEXT,
        "id": f"{base}collection.json",
        "type": "Collection",
        "label": {"en": ["All editions"]},
        "items": items,
    }


def write_archive(output_root: Path, *, base_url: str | None = None) -> None:
    """Write the archive page and ``collection.json`` of ``output_root``.

    ``base_url`` is the public URL of ``output_root``; it makes the collection's ids absolute.
    """
    output_root = Path(output_root)
    entries = find_editions(output_root)
    months = []
    for month, group in groupby(entries, key=lambda e: e.date[:7]):
        first = dt.date.fromisoformat(month + "-01")
        items = [
            {
                "href": e.href,
                "thumb": f"{e.folder}/thumbs/001.jpg" if (output_root / e.folder / "thumbs" / "001.jpg").is_file() else None,
                "title": e.title,
                "date": e.date,
                "date_label": e.date_label,
                "edition": e.edition,
                "pages": e.pages,
            }
            for e in group
        ]
        months.append({"label": f"{first:%B %Y}", "editions": items})
    static = output_root / "static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copy2(STATIC_DIR / "text.css", static / "text.css")
    titles = sorted({e.title for e in entries}) or ["epaper"]
    html = environment().get_template("archive.html").render(lang="en", months=months, titles=titles)
    (output_root / "index.html").write_text(html, encoding="utf-8")
    (output_root / "collection.json").write_text(
        json.dumps(_collection(entries, output_root, base_url), ensure_ascii=False, indent=1), encoding="utf-8"
    )
