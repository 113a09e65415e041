"""The edition as data: frozen records that every later stage reads and none modifies.

Ingest builds these from an edition folder; typesetting, layout and the outputs only read them.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from epaper.i18n import Wording, ascii_text, usual_digits
from epaper.i18n.transliterate import has_non_ascii_letters

__all__ = [
    "ORIENTATION_TAG",
    "QUARTER_TURNS",
    "AdSlot",
    "Article",
    "Edition",
    "Paragraph",
    "Photo",
    "Pin",
    "Run",
    "SectionSpec",
    "artwork_fitted",
    "edition_name",
    "section_pages",
    "slugify",
    "title_slug",
]


@dataclass(frozen=True)
class Run:
    """A stretch of paragraph text in one style (Markdown *italic* and **bold** become runs)."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph. ``kind`` is "text" or "subhead" (a crosshead inside the body)."""

    runs: tuple[Run, ...]
    kind: str = "text"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


ORIENTATION_TAG = 0x0112  # EXIF
QUARTER_TURNS = frozenset({5, 6, 7, 8})  # EXIF orientations that swap a stored image's width and height


@dataclass(frozen=True)
class Photo:
    """A photo an article references; ``path`` is resolved and checked to lie inside the edition.
    ``width_px`` and ``height_px`` are as the photo is shown: a camera's photo stored with one of
    the ``QUARTER_TURNS`` in its EXIF ``ORIENTATION_TAG`` has them swapped from the stored image's."""

    path: Path
    caption: str = ""
    credit: str = ""
    width_px: int = 0
    height_px: int = 0

    @property
    def aspect(self) -> float:
        """Height over width, the number layout needs to size the photo to a column width."""
        return self.height_px / self.width_px if self.width_px else 2 / 3


@dataclass(frozen=True)
class Pin:
    """The desk's control over one article: a fixed page, slot and/or width in columns."""

    page: int | None = None
    slot: str | None = None
    columns: int | None = None


@dataclass(frozen=True)
class Article:
    id: str
    section: str
    headline: str
    body: tuple[Paragraph, ...]
    source_file: Path
    priority: int = 3
    kicker: str = ""
    subheadline: str = ""
    byline: str = ""
    dateline: str = ""
    published: str = ""
    language: str = "en"
    photos: tuple[Photo, ...] = ()
    tags: tuple[str, ...] = ()
    pin: Pin | None = None
    # The body as written when it holds page references ({page:Business}); ``body`` is it with the
    # edition's page numbers (epaper.ingest.page_refs). None: the body is as written.
    written_body: tuple[Paragraph, ...] | None = None

    @property
    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.body)

    @property
    def published_moment(self) -> _dt.date | None:
        """``published`` read (ingest checked it): a date alone stays a date (never an invented
        00:00), a time a datetime (with its zone if it gave one); None if there is none."""
        for kind in (_dt.date, _dt.datetime):
            try:
                return kind.fromisoformat(self.published)
            except ValueError:
                pass
        return None


@dataclass(frozen=True)
class SectionSpec:
    """A section of the manifest, in page order."""

    name: str
    pages: int
    template: str = "standard"
    language: str | None = None
    # The front's jumps may go on in it when it follows the front. A zone's own section added there
    # (epaper.night) does not take them: they go on in the main edition's section after it.
    takes_front_jumps: bool = True


@dataclass(frozen=True)
class AdSlot:
    """A pre-placed advertisement: ``columns`` wide, ``height_mm`` tall, anchored at ``position``."""

    page: int
    columns: int
    height_mm: float
    position: str = "bottom-right"
    image: Path | None = None
    # The artwork's pixel size as it is shown (a camera's rotation tag applied): it prints at its
    # own proportions inside the booked space, never stretched to it (epaper.layout.compose.ad_items).
    image_size: tuple[int, int] | None = None


def section_pages(sections: Sequence[SectionSpec]) -> dict[str, tuple[int, int]]:
    """Each section's first and last page, by name, in page order."""
    ranges, number = {}, 1
    for spec in sections:
        ranges[spec.name] = (number, number + spec.pages - 1)
        number += spec.pages
    return ranges


def edition_name(edition: str) -> str:
    """An edition's name as the paper prints and shows it (masthead, viewer, archive, IIIF labels):
    its first letter a capital ("city" → "City"), the rest as written ("North Shore", "देश")."""
    return edition[:1].upper() + edition[1:]


def artwork_fitted(artwork: tuple[int, int], space: tuple[float, float]) -> tuple[float, float]:
    """The size an ad's artwork (``artwork``: its pixel size) prints at in ``space`` (width and
    height in any one unit): as large as fits, at the artwork's own proportions."""
    scale = min(space[0] / artwork[0], space[1] / artwork[1])
    return artwork[0] * scale, artwork[1] * scale


@dataclass(frozen=True)
class Edition:
    title: str
    date: _dt.date
    edition: str
    language: str
    format: str
    sections: tuple[SectionSpec, ...]
    articles: tuple[Article, ...]
    root: Path
    ads: tuple[AdSlot, ...] = ()
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    digits: str | None = None  # edition.yaml's choice for Devanagari-script text: "devanagari", "latin" or none
    rights: str | None = None  # edition.yaml's licence or rights statement (a URI), for IIIF and METS
    attribution: str | None = None  # what a reuser must say (IIIF requiredStatement, MODS accessCondition)
    time_zone: str | None = None  # edition.yaml's: the IANA zone its times are told in (epaper.time_zones)
    # A zone edition's pages that no other edition prints (made for it, or printing its own ad in the
    # main edition's ad space): their folio names the edition, so the plate room cannot take a zone's
    # local page 5 for the main edition's page 5 (a Hindi desk's audit). Set by epaper.night; empty
    # for an edition built alone, whose pages every zone may share.
    own_pages: frozenset[int] = frozenset()

    @property
    def digit_choice(self) -> str:
        """The digits of every Devanagari-script text in the edition: the manifest's choice, else its
        language's usual (a Marathi edition's Hindi stories get Devanagari digits too)."""
        return self.digits or usual_digits(self.language)

    def wording(self, language: str | None = None) -> Wording:
        """How this edition says things in ``language`` (default: the edition's): messages, digits, dates."""
        return Wording(language or self.language, self.digit_choice)

    @property
    def languages_written(self) -> tuple[str, ...]:
        """The edition's language, then its sections' own, each once."""
        return tuple(dict.fromkeys((self.language, *(s.language for s in self.sections if s.language))))

    def section_language(self, name: str) -> str:
        """The language of section ``name``'s pages: its own, else the edition's."""
        return next((s.language for s in self.sections if s.name == name and s.language), self.language)

    @property
    def id(self) -> str:
        """Folder name of this edition's output: title, date and edition, e.g. ``the-daily-2026-11-28-city``.

        A title in Devanagari keeps its name, romanised (``दैनिक उदाहरण`` → ``dainika-udaharana-…``):
        see :func:`_id_part`. Each name part is at most :data:`MAX_ID_PART` characters: a longer one is
        cut and ends in a digest of the full text, so the id stays a valid folder name and distinct
        titles stay distinct.
        """
        return f"{title_slug(self.title)}-{self.date.isoformat()}-{_id_part(self.edition)}"

    @property
    def page_count(self) -> int:
        return sum(s.pages for s in self.sections)

    def articles_in(self, section: str) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if a.section == section)


_SLUG_RE = re.compile(r"[^a-z0-9]+")
MAX_ID_PART = 60


def _id_part(text: str) -> str:
    """A name part of the output id: ``text`` romanised and slugged (:func:`epaper.i18n.ascii_text`).

    Romanising can fold two titles into one name (दिन and दीन are both ``dina``), so a part with
    letters beyond ASCII ends in a digest of the text as written — in Unicode's composed form
    (NFC), so one name typed two ways (फ़ as one character, or फ and a nukta) is one folder: two
    titles never share a folder, and one never gets two."""
    text = unicodedata.normalize("NFC", text)
    slug = slugify(ascii_text(text))
    if len(slug) <= MAX_ID_PART and _SLUG_RE.sub("", text.lower()) and not has_non_ascii_letters(text):
        return slug
    # Too long, romanised, or nothing of it is a-z/0-9: a digest keeps it unique.
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug[:MAX_ID_PART - 9].rstrip('-')}-{digest}"


def title_slug(title: str) -> str:
    """A newspaper title as epaper names its files: the first part of its editions' ids, and its
    IIIF collection's name (two Devanagari titles shared "edition.json" when it was slugified alone:
    an audit)."""
    return _id_part(title)


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens; the only characters epaper puts in file names."""
    slug = _SLUG_RE.sub("-", text.lower()).strip("-")
    return slug or "edition"
