"""The output root: ``index.html`` listing every edition built there by date, and the IIIF collections.

After the IIIF newspaper recipe: ``collections/<title>.json`` is a title's collection, its items the
editions' manifests with their ``navDate``; ``collection.json`` lists the titles' collections.

Editions are found by their ``layout.json`` (the article map every build writes), so the archive is
rebuilt from what is on disk and never needs a database.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path

from markupsafe import Markup

from epaper.cache.file_facts import FileFacts
from epaper.i18n import DIGIT_CHOICES, Wording
from epaper.model import edition_name, title_slug
from epaper.model.numbers import number_runs
from epaper.publish.output import remove_partial_files, write_text_atomically
from epaper.publish.versions import VERSION_FILE, VERSIONS_DIR, previous_href, read_version_file
from epaper.time_zones import clock_time, is_time_zone, nav_date
from epaper.urls import root_url

from .assets import copy_web_fonts, style_sheet
from .manifest import PRESENTATION_CONTEXT, edition_label
from .templating import render

__all__ = ["COLLECTIONS_DIR", "FACTS_STAGE", "EditionEntry", "KeptVersion", "archive_wording", "find_editions", "night_record_in",
           "title_collection_path", "write_archive"]

COLLECTIONS_DIR = "collections"
FACTS_STAGE = "archive-facts"  # what the archive read from the editions' files (epaper.cache.file_facts)
VERSIONS_SHOWN = 3  # earlier versions of an edition listed by its card; all of them one click further


@dataclass(frozen=True)
class KeptVersion:
    """An earlier version of a replated edition, kept whole in its ``versions/<n>/``."""

    number: int
    href: str
    made: str  # ISO 8601
    time: str  # HH:MM, as the viewer's "updated" mark says it


@dataclass(frozen=True)
class EditionEntry:
    folder: str
    id: str
    title: str
    date: str
    edition: str
    pages: int
    language: str
    night: dict | None = None  # the edition's place in a night (epaper build-night), from report.json
    digits: str | None = None
    time_zone: str | None = None  # edition.yaml's (layout.json): its navDate is its date's midnight there
    updated: KeptVersion | None = None  # the version published, when it is a replate (number > 1)
    kept: tuple[KeptVersion, ...] = ()  # the versions before it

    @property
    def href(self) -> str:
        return f"{self.folder}/index.html"

    @property
    def wording(self) -> Wording:
        return Wording(self.language, self.digits)

    @property
    def date_label(self) -> str:
        """The edition's date as the edition itself writes it."""
        return self.wording.long_date(dt.date.fromisoformat(self.date))


def _is_main(entry: EditionEntry) -> bool:
    """Whether the edition is the main edition of a night (``epaper build-night``)."""
    editions = entry.night["editions"] if entry.night else []
    return any(isinstance(e, dict) and e.get("id") == entry.id and e.get("main") for e in editions)


def find_editions(output_root: Path, facts: FileFacts | None = None) -> list[EditionEntry]:
    """Editions under ``output_root``, newest first (then by title, a night's main edition first,
    and by edition name). ``facts``: what was read before from files that are still those files."""
    facts = FileFacts(output_root, FACTS_STAGE, remember=False) if facts is None else facts
    entries = []
    for layout in sorted(Path(output_root).glob("*/layout.json")):
        folder = layout.parent
        if folder.name.startswith("."):
            continue  # a build's staging or old folder (see epaper.publish.output), never an edition
        block = facts.read(f"{folder.name}/layout.json", _edition_block)
        if block is None:
            continue  # a half-written or foreign folder is not an edition: leave it out of the list
        entries.append(EditionEntry(folder=folder.name, **block,
                                    night=facts.read(f"{folder.name}/report.json", night_record_in),
                                    **_versions_of(folder, facts, block["time_zone"])))
    entries = _in_their_nights(entries)
    entries.sort(key=lambda e: (e.title, not _is_main(e), _night_position(e), e.edition))
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries


def _edition_block(layout: Path) -> dict | None:
    """What the archive lists of the edition whose ``layout.json`` is ``layout`` (None: not one)."""
    try:
        data = json.loads(layout.read_text(encoding="utf-8"))
        block = data["edition"]
        dt.date.fromisoformat(str(block["date"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    name = layout.parent.name
    return {"id": str(block.get("id", name)), "title": str(block.get("title", name)), "date": str(block["date"]),
            "edition": str(block.get("edition", "")), "pages": len(data.get("pages", [])),
            "language": str(block.get("language", "en")),
            "digits": block.get("digits") if block.get("digits") in DIGIT_CHOICES else None,
            "time_zone": block.get("time_zone") if isinstance(block.get("time_zone"), str)
            and is_time_zone(block["time_zone"]) else None}


def _night_position(entry: EditionEntry) -> int:
    """Where the edition stands in its night: the main edition first (the edition most readers look
    for, and what the zones' lines name), then the zones in the night file's order; 0 for an
    edition of no night (listed after every main edition of its title and date, by name)."""
    ids = [e.get("id") for e in (entry.night or {}).get("editions", []) if isinstance(e, dict)]
    return 0 if _is_main(entry) or entry.id not in ids else 1 + ids.index(entry.id)


def _in_their_nights(entries: list[EditionEntry]) -> list[EditionEntry]:
    """The entries, a zone's night record dropped when its main edition's (the night as last built)
    does not name it: a zone taken out of the night file is left as published, but no longer
    follows the main edition, and the archive does not say it shares its pages."""
    by_id = {entry.id: entry for entry in entries}

    def named_by_main(entry: EditionEntry) -> bool:
        main = by_id.get(str((entry.night or {}).get("main")))
        return main is not None and main.night is not None and any(
            isinstance(e, dict) and e.get("id") == entry.id for e in main.night["editions"])

    return [entry if entry.night is None or _is_main(entry) or named_by_main(entry)
            else replace(entry, night=None) for entry in entries]


def _versions_of(folder: Path, facts: FileFacts, time_zone: str | None) -> dict:
    """The edition's version, if a replate made it, and the versions it keeps (``version.json``),
    their times told in ``time_zone`` (edition.yaml's; one set after version 1 was made: an
    audit's archive read "updated 05:01 · earlier versions: 23:31", the earlier one in UTC)."""
    version = facts.read(f"{folder.name}/{VERSION_FILE}", read_version_file)
    if version is None or version.number <= 1:
        return {}
    kept = []
    for number in version.kept:
        earlier = facts.read(f"{folder.name}/{VERSIONS_DIR}/{number}/{VERSION_FILE}", read_version_file)
        if earlier is not None and _is_file(folder, previous_href(number)):
            kept.append(KeptVersion(number, f"{folder.name}/{previous_href(number)}", earlier.made,
                                    clock_time(earlier.made, time_zone)))
    return {"updated": KeptVersion(version.number, f"{folder.name}/index.html", version.made,
                                   clock_time(version.made, time_zone)),
            "kept": tuple(kept)}


def _is_file(folder: Path, relative: str) -> bool:
    # os.path, not pathlib: asked of every edition in the folder at each build (see epaper.cache.file_facts).
    return os.path.isfile(os.path.join(folder, relative))


def night_record_in(report: Path) -> dict | None:
    """What ``epaper build-night`` recorded of an edition's night in its ``report.json`` (its
    ``night``) that the archive says: its main edition, every edition's id, name, pages and pages
    differing from the main edition's, and why this one's differ. None: not of a night."""
    try:
        night = json.loads(report.read_text(encoding="utf-8")).get("night")
    except (OSError, ValueError, AttributeError):
        return None
    if not (isinstance(night, dict) and isinstance(night.get("editions"), list)):
        return None
    # What the archive says of the night, and no more: it keeps the record of every edition in the
    # folder (see epaper.cache.file_facts), and a zone's lists which editions print each of its pages.
    return {"main": night.get("main"), "edition": night.get("edition"),
            "editions": [{k: e[k] for k in ("id", "name", "main", "pages", "differs_from_main") if k in e}
                         if isinstance(e, dict) else e for e in night["editions"]],
            "differs_from_main": [{k: d[k] for k in ("page", "reason") if k in d} if isinstance(d, dict) else d
                                  for d in night.get("differs_from_main", [])]
            if isinstance(night.get("differs_from_main"), list) else []}


THUMB_WIDTH = 120  # CSS px: a front's thumbnail in the archive's list (the page says its height)


def _thumb_height(path: Path) -> int | None:
    """The height a front's thumbnail takes at :data:`THUMB_WIDTH`, from its header: given in the
    page, the list does not move when the lazy thumbnails arrive (a phone review measured a 0.21
    layout shift)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            w, h = image.size
    except (OSError, UnidentifiedImageError):
        return None
    return round(THUMB_WIDTH * h / w) if w else None


def _night_line(entry: EditionEntry, words: Wording) -> str | None:
    """One line for the archive: a main edition names its zones; a zone says what it shares."""
    night = entry.night
    if not night:
        return None
    editions = {str(e.get("id")): e for e in night["editions"] if isinstance(e, dict)}
    me = editions.get(entry.id)
    if me is None:
        return None
    if me.get("main"):
        zones = [edition_name(str(e.get("name"))) for e in editions.values() if not e.get("main")]
        return words.say("night_main", zones=", ".join(zones))
    main = next((e for e in editions.values() if e.get("main")), {})
    differs = [int(n) for n in me.get("differs_from_main", [])]
    pages = int(me.get("pages", 0))
    # Pages that are the main edition's, numbered on past a section the zone adds, differ only by
    # their folio: said apart, or a reader takes the zone to have made them (the edition's own
    # record says why each page differs).
    why = {entry.get("page"): entry.get("reason") for entry in night.get("differs_from_main", [])
           if isinstance(entry, dict)} if night.get("edition") == entry.id else {}
    moved = [n for n in differs if why.get(n) == "moved"]
    own = [n for n in differs if n not in moved]
    said = {"main": edition_name(str(main.get("name", ""))), "shared": pages - len(differs), "pages": pages,
            "own": _page_list(own, words) or "–"}
    if moved:
        return words.say("night_zone_renumbered", **said, moved=_page_list(moved, words))
    return words.say("night_zone", **said)


def _page_list(numbers: list[int], words: Wording) -> str:
    """``[1, 6, 7, 8, 9]`` → "1, 6–9", in the edition's digits."""
    return ", ".join(words.number(low) if low == high else f"{words.number(low)}–{words.number(high)}"
                     for low, high in number_runs(numbers))


def title_collection_path(title: str) -> str:
    """Where the IIIF collection of one newspaper title lives, relative to the output root."""
    return f"{COLLECTIONS_DIR}/{title_slug(title)}.json"


def _manifest_id(entry: EditionEntry, root: str, facts: FileFacts) -> str:
    """The id the edition's manifest gives itself (built, or rebased, for its own host), else its URL under ``root``."""
    manifest_id = facts.read(f"{entry.folder}/manifest.json", _own_id)
    return manifest_id if isinstance(manifest_id, str) else f"{root}{entry.folder}/manifest.json"


def _own_id(manifest: Path) -> str | None:
    try:
        found = json.loads(manifest.read_text(encoding="utf-8"))["id"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found if isinstance(found, str) else None


def _title_collection(title: str, entries: list[EditionEntry], facts: FileFacts, root: str) -> dict:
    """The newspaper recipe's title collection: its editions (oldest first) with their ``navDate``."""
    items = []
    for entry in sorted(entries, key=lambda e: (e.date, not _is_main(e), _night_position(e), e.edition)):
        item: dict[str, object] = {
            "id": _manifest_id(entry, root, facts),
            "type": "Manifest",
            "label": {entry.language or "none": [edition_label(entry.title, dt.date.fromisoformat(entry.date),
                                                               entry.edition, entry.wording)]},
            "navDate": nav_date(entry.date, entry.time_zone),
        }
        if _is_file(facts.root, f"{entry.folder}/thumbs/001.jpg"):
            item["thumbnail"] = [{"id": f"{root}{entry.folder}/thumbs/001.jpg", "type": "Image", "format": "image/jpeg"}]
        items.append(item)
    language = entries[0].language or "none"
    return {
        "@context": PRESENTATION_CONTEXT,
        "id": root + title_collection_path(title),
        "type": "Collection",
        "label": {language: [title]},
        "partOf": [{"id": f"{root}collection.json", "type": "Collection"}],
        "items": items,
    }


def _write_collections(output_root: Path, entries: list[EditionEntry], base_url: str | None,
                       facts: FileFacts) -> None:
    """``collection.json`` (every title) and ``collections/<title>.json`` (a title's editions)."""
    root = root_url(base_url)
    by_title: dict[str, list[EditionEntry]] = {}
    for entry in entries:
        by_title.setdefault(entry.title, []).append(entry)
    folder = output_root / COLLECTIONS_DIR
    folder.mkdir(exist_ok=True)
    written = set()
    top_items = []
    for title in sorted(by_title):
        collection = _title_collection(title, by_title[title], facts, root)
        path = output_root / title_collection_path(title)
        _write_json(path, collection)
        written.add(path.name)
        top_items.append({"id": collection["id"], "type": "Collection", "label": collection["label"]})
    for stale in folder.glob("*.json"):
        if stale.name not in written:  # a title no edition has any more
            stale.unlink()
    _write_json(output_root / "collection.json", {
        "@context": PRESENTATION_CONTEXT,
        "id": f"{root}collection.json",
        "type": "Collection",
        "label": {"en": ["All titles"]},
        "items": top_items,
    })


def _calendar_day(day: dt.date, editions: list[dict], words: Wording) -> dict:
    """One day of the calendar with its editions (a function of its own: typed, the sort's items are dicts)."""
    ordered = sorted(editions, key=lambda i: i["title"])  # (stable: a night's editions in its order, as listed)
    return {"day": words.number(day.day), "date": day.isoformat(), "label": words.long_date(day), "editions": ordered}


def _calendar_weeks(first: dt.date, items: list[dict], words: Wording) -> list[list[dict | None]]:
    """The month as weeks of days (Monday first; ``None`` pads the first and last week), each day
    with the editions of that date (``items`` of this month, newest first as listed)."""
    by_date: dict[str, list[dict]] = {}
    for item in items:
        by_date.setdefault(item["date"], []).append(item)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append([
            _calendar_day(day, by_date.get(day.isoformat(), []), words) if day.month == first.month else None
            for day in week
        ])
    return weeks


def _card(entry: EditionEntry, first_of_day: bool, words: Wording, facts: FileFacts) -> Markup:
    """The edition's item in the archive's list (HTML), made once while the edition, its front's
    thumbnail and the page's wording stay the same: a desk's folder lists thousands."""
    thumb = f"{entry.folder}/thumbs/001.jpg"
    height = facts.read(thumb, _thumb_height)
    shown = _is_file(facts.root, thumb)

    def card() -> str:
        item = {"href": entry.href, "thumb": thumb if shown else None, "thumb_width": THUMB_WIDTH,
                "thumb_height": height, "title": entry.title,
                "date": entry.date, "date_label": words.long_date(dt.date.fromisoformat(entry.date)),
                "edition": entry.edition, "pages": entry.pages, "night": _night_line(entry, words),
                "updated": entry.updated, "kept": entry.kept, "first_of_day": first_of_day}
        return render("archive_card.html", words, item=item, versions_shown=VERSIONS_SHOWN)

    said = f"card {words!r} {first_of_day} {shown} {height} {VERSIONS_SHOWN} {entry!r}"
    return Markup(facts.made(hashlib.sha256(said.encode("utf-8", "surrogatepass")).hexdigest(), card))


def _write_json(path: Path, data: dict) -> None:
    write_text_atomically(path, json.dumps(data, ensure_ascii=False, indent=1))


def archive_wording(entries: list[EditionEntry]) -> Wording:
    """The archive page speaks the editions' language when they all share one (a Hindi desk's
    output folder), English when they differ; digits likewise."""
    languages = {e.wording.language for e in entries}
    digits = {e.digits for e in entries}
    if len(languages) != 1:
        return Wording()
    return Wording(languages.pop(), digits.pop() if len(digits) == 1 else None)


def write_archive(output_root: Path, *, base_url: str | None = None) -> None:
    """Write the archive page and the IIIF collections of ``output_root``.

    ``base_url`` is the public URL of ``output_root`` (default: ``epaper serve``'s address); the
    collections' ids start with it, and each lists a manifest by the id that manifest gives itself.
    """
    output_root = Path(output_root)
    facts = FileFacts(output_root, FACTS_STAGE)
    entries = find_editions(output_root, facts)
    words = archive_wording(entries)
    months = []
    for month, group in groupby(entries, key=lambda e: e.date[:7]):
        first = dt.date.fromisoformat(month + "-01")
        listed = list(group)
        # (The first of a calendar day's editions is where that day's link leads.)
        items = [{"href": e.href, "title": e.title, "date": e.date, "edition": e.edition,
                  "card": _card(e, index == 0 or listed[index - 1].date != e.date, words, facts)}
                 for index, e in enumerate(listed)]
        months.append({"label": words.month_year(first), "editions": items, "weeks": _calendar_weeks(first, items, words)})
    static = output_root / "static"
    static.mkdir(parents=True, exist_ok=True)
    write_text_atomically(static / "text.css", style_sheet("text.css"))
    copy_web_fonts(static)
    titles = sorted({e.title for e in entries}) or ["epaper"]
    html = render("archive.html", words, months=months, titles=titles, versions_shown=VERSIONS_SHOWN)
    # The archive lives beside the editions, outside any staged folder: each file is replaced whole,
    # so a build killed here leaves the previous archive (and the next build removes the pieces).
    remove_partial_files(output_root)
    remove_partial_files(output_root / COLLECTIONS_DIR)
    write_text_atomically(output_root / "index.html", html)
    _write_collections(output_root, entries, base_url, facts)
    facts.save()
