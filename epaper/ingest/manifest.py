"""``edition.yaml``: the title, date, page format, sections in page order and pre-placed ads.

Returns what it could read even when parts are wrong, so that articles can still be checked against
the sections that are fine (one typo in the manifest should not bury the desk in 80 follow-on errors).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epaper.formats import MM, PageFormat, available_formats, available_templates, load_format
from epaper.i18n import DIGIT_CHOICES
from epaper.ingest.characters import clean_values
from epaper.ingest.fields import FieldReader, type_name
from epaper.ingest.images import check_image_ref
from epaper.ingest.languages import LANGUAGE_FIX, is_language_tag
from epaper.ingest.problems import ProblemLog, quote, suggest
from epaper.ingest.sources import load_yaml, read_text
from epaper.model import AdSlot, SectionSpec, artwork_fitted
from epaper.time_zones import is_time_zone, time_zone_names

__all__ = ["AD_POSITIONS", "MANIFEST", "Manifest", "read_manifest"]

MANIFEST = "edition.yaml"
AD_POSITIONS = ("top", "bottom", "top-left", "top-right", "bottom-left", "bottom-right")
EDITION_KEYS = ("title", "date", "edition", "language", "digits", "time_zone", "format", "sections", "ads", "rights",
               "attribution")
# Where IIIF Presentation 3 takes a ``rights`` URI from (a licence or a rights statement).
_RIGHTS_SOURCES = ("http://creativecommons.org/licenses/", "http://creativecommons.org/publicdomain/",
                   "http://rightsstatements.org/vocab/", "https://creativecommons.org/licenses/",
                   "https://creativecommons.org/publicdomain/", "https://rightsstatements.org/vocab/")
_SECTION_KEYS = ("name", "pages", "template", "language")
# An ad's artwork carries its own text (advertiser, slogan): epaper prints the supplied image and
# typesets nothing of an ad, so fields like 'label' or 'tagline' are reported as unused.
_AD_KEYS = ("page", "columns", "height_mm", "position", "image")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Sizes only a mistake reaches (a daily's biggest Sunday edition has ~150 pages in all).
MAX_SECTION_PAGES = 64
MAX_EDITION_PAGES = 200


@dataclass(frozen=True)
class Manifest:
    """What ``edition.yaml`` says, as far as it could be read.

    ``section_names`` holds every named section (even one whose other fields are wrong) so articles
    are not flagged for it; ``page_ranges`` holds the pages of each section whose first page is
    known (every page count before it valid), and ``page_count`` is only given when every section's
    page count is valid, because page numbers after a broken section would be guesses.
    """

    title: str | None = None
    date: dt.date | None = None
    edition: str = "main"
    language: str = "en"
    digits: str | None = None  # "devanagari" or "latin": how Devanagari-script text writes numbers
    time_zone: str | None = None  # the IANA zone the edition's times are told in (epaper.time_zones)
    rights: str | None = None  # a Creative Commons or RightsStatements.org URI
    attribution: str | None = None  # what a reuser must say, e.g. "© 2026 The Aldery Courier"
    format: PageFormat | None = None
    format_name: str | None = None
    sections: tuple[SectionSpec, ...] = ()
    section_names: tuple[str, ...] = ()
    page_ranges: dict[str, tuple[int, int]] = field(default_factory=dict)
    page_count: int | None = None
    ads: tuple[AdSlot, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level fields, kept (and warned about)
    complete: bool = False  # every part parsed without a problem

    @property
    def last_page(self) -> int:
        """The highest page number that can be right: the edition's last page, or while a section's
        page count is wrong, the most an edition may have (a page beyond it is wrong whatever the
        count)."""
        return self.page_count or MAX_EDITION_PAGES

    def section_language(self, name: str) -> str:
        for section in self.sections:
            if section.name == name and section.language:
                return section.language
        return self.language


def read_manifest(root: Path, problems: ProblemLog) -> Manifest:
    path = root / MANIFEST
    if not path.is_file():
        problems.add(MANIFEST, "", "is missing",
                     f"create {MANIFEST} in the edition folder with title, date, format and sections")
        return Manifest()
    start = len(problems)
    text = read_text(path, MANIFEST, problems)
    data = load_yaml(text, MANIFEST, problems) if text is not None else None
    if data is None and text is not None and len(problems) == start:
        problems.add(MANIFEST, "", "is empty", "write the edition's title, date, format and sections")
    if not isinstance(data, dict):
        if data is not None:
            problems.add(MANIFEST, "", f"must be a mapping of fields, not {type_name(data)}",
                         "write it as 'title: …', 'date: …', 'sections: …' lines")
        return Manifest()

    data = clean_values(data, MANIFEST, problems)
    fields = FieldReader(data, MANIFEST, problems)
    fields.warn_unknown(EDITION_KEYS, "edition.yaml")
    title = fields.text("title", required=True)
    date = _read_date(fields)
    edition = fields.text("edition", default="main") or "main"
    language = _read_language(fields, "language") or "en"
    digits = _read_digits(fields)
    time_zone = _read_time_zone(fields)
    rights = _read_rights(fields)
    attribution = fields.text("attribution") or None
    format_name, page_format = _read_format(fields)
    sections, names, ranges, page_count = _read_sections(data.get("sections"), problems)
    ads = _read_ads(root, data.get("ads"), problems, page_format, page_count)
    return Manifest(
        title=title, date=date, edition=edition, language=language, digits=digits, time_zone=time_zone, rights=rights,
        attribution=attribution, format=page_format,
        format_name=format_name, sections=sections, section_names=names, page_ranges=ranges,
        page_count=page_count, ads=ads,
        extra={k: v for k, v in data.items() if k not in EDITION_KEYS},
        complete=len(problems) == start,
    )


def _read_date(fields: FieldReader) -> dt.date | None:
    value = fields.data.get("date")
    fix = "write the date as YYYY-MM-DD, e.g. date: 2026-11-28"
    if value is None:
        fields.report("date", "date is missing", fix)
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        fields.report("date", f"date {quote(value)} is not a YYYY-MM-DD date", fix)
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fields.report("date", f"date {quote(value)} is not a real calendar date", fix)
        return None


def _read_language(fields: FieldReader, key: str) -> str | None:
    language = fields.text(key)
    if language and not is_language_tag(language):
        fields.report(key, f"language {quote(language)} is not a language code", LANGUAGE_FIX)
        return None
    return language or None


def _read_digits(fields: FieldReader) -> str | None:
    """``digits: devanagari`` (०१२३) or ``latin`` (0123) for numbers in Hindi, Marathi (any
    Devanagari-script) text; absent, each language's usual ones (Latin for Hindi, Devanagari for Marathi)."""
    if not fields.has("digits"):
        return None
    return fields.choice("digits", tuple(DIGIT_CHOICES), default="latin")


def _read_time_zone(fields: FieldReader) -> str | None:
    """``time_zone: Asia/Kolkata``: the tz database's zone the edition's times are told in (a
    replate's "updated HH:MM", the IIIF navDate); absent, the building machine's (epaper.time_zones)."""
    fix = ("give the zone's name in the tz database, e.g. time_zone: Asia/Kolkata (or Europe/London, UTC), "
           "or leave the field out for the building machine's local time")
    name = fields.text("time_zone")
    if not name:
        if fields.has("time_zone"):  # "" (a template's blank): the machine's clock is what it meant to avoid
            fields.report("time_zone", "time_zone is empty", fix)
        return None
    if not is_time_zone(name):
        # (A near name only: "IST" is no typo of "MST", nor "Asia" of "Asia/Oral".)
        fields.report("time_zone", f"time zone {quote(name)} is not one of the tz database"
                      f"{suggest(name, time_zone_names(), cutoff=0.85)}",
                      fix)
        return None
    return name


def _read_rights(fields: FieldReader) -> str | None:
    """``rights:``, the edition's licence or rights statement as IIIF and archives take it: a URI of
    Creative Commons or RightsStatements.org (an archive's ingest wants one; none given, none said)."""
    rights = fields.text("rights")
    if rights and not rights.startswith(_RIGHTS_SOURCES):
        fields.report("rights", f"rights {quote(rights)} is not a Creative Commons or RightsStatements.org URI",
                      "give the licence's or statement's URI, e.g. rights: http://rightsstatements.org/vocab/InC/1.0/ "
                      "(in copyright) or https://creativecommons.org/licenses/by/4.0/, and say who holds it in "
                      "attribution:")
        return None
    return rights or None


def _read_format(fields: FieldReader) -> tuple[str | None, PageFormat | None]:
    known = available_formats()
    name = fields.text("format", default="broadsheet")
    if name is None:
        return None, None
    if name not in known:
        fields.report("format", f"unknown format {quote(name)}{suggest(name, known)}",
                      f"use one of: {', '.join(known)}")
        return None, None
    try:
        return name, load_format(name)
    except Exception as exc:  # noqa: BLE001 - a broken layouts/ file is still reported, not raised
        fields.report("format", f"format {quote(name)} could not be loaded ({exc})",
                      f"fix layouts/{name}.yaml")
        return None, None


def _read_sections(
    value: Any, problems: ProblemLog
) -> tuple[tuple[SectionSpec, ...], tuple[str, ...], dict[str, tuple[int, int]], int | None]:
    """The sections, every section's name, the pages of each section whose first page is known (a
    wrong page count hides only the page numbers after it) and the edition's page count (None
    unless every count is right)."""
    fix_shape = "list the sections in page order, e.g. '- {name: Front, pages: 1, template: front}'"
    if value is None or value == []:
        problems.add(MANIFEST, "sections", "no sections are defined", fix_shape)
        return (), (), {}, None
    if not isinstance(value, list):
        problems.add(MANIFEST, "sections", f"sections must be a list, not {type_name(value)}", fix_shape)
        return (), (), {}, None

    templates = sorted(available_templates())
    specs: list[SectionSpec] = []
    names: list[str] = []
    ranges: dict[str, tuple[int, int]] = {}
    next_page: int | None = 1
    for index, entry in enumerate(value):
        where = f"sections[{index}]"
        if not isinstance(entry, dict):
            problems.add(MANIFEST, where, f"each section must be a mapping, not {type_name(entry)}", fix_shape)
            next_page = None
            continue
        start = len(problems)
        fields = FieldReader(entry, MANIFEST, problems, prefix=f"{where}.")
        name = fields.text("name", required=True)
        if name is not None and name in names:
            fields.report("name", f"duplicate section name {quote(name)}",
                          "give each section a different name (or merge them and add up their pages)")
            name = None
        fields.warn_unknown(_SECTION_KEYS, "A section's")
        pages = fields.integer("pages", low=1, high=MAX_SECTION_PAGES, required=True,
                               what=" (pages of this section; more can only be a typo)")
        template = fields.text("template", default="standard")
        if template is not None and template not in templates:
            fields.report("template", f"unknown template {quote(template)}{suggest(template, templates)}",
                          f"use one of: {', '.join(templates)}")
            template = None
        language = _read_language(fields, "language")
        if name is not None:
            names.append(name)
        if pages is None or next_page is None:
            next_page = None  # later page numbers are unknowable
        else:  # (a section whose name is wrong still has its pages: those after it follow them)
            if name is not None:
                ranges[name] = (next_page, next_page + pages - 1)
            next_page += pages
        if len(problems) == start and name and pages and template:
            specs.append(SectionSpec(name=name, pages=pages, template=template, language=language))
    if next_page is not None and next_page - 1 > MAX_EDITION_PAGES:
        problems.add(MANIFEST, "sections", f"the sections add up to {next_page - 1} pages, more than "
                     f"{MAX_EDITION_PAGES}", f"check the sections' page counts (an edition has at most "
                     f"{MAX_EDITION_PAGES} pages)")
        next_page = None
    return tuple(specs), tuple(names), ranges, None if next_page is None else next_page - 1


# Artwork narrower or shallower than its booking by more than this prints with a visible margin
# of empty space beside it (a little less is the rounding of a booking to the baseline grid).
ARTWORK_SHAPE_TOLERANCE = 0.02


def _check_artwork_shape(fields: FieldReader, src: str, artwork: tuple[int, int], booked_mm: tuple[float, float],
                         columns: int, deepest_mm: float | None) -> None:
    """Warn of an ad whose artwork has other proportions than its booking: it prints at its own
    (an advertiser's artwork is never stretched), centred in the booked space, the rest left empty."""
    printed = artwork_fitted(artwork, booked_mm)
    if printed[0] >= booked_mm[0] * (1 - ARTWORK_SHAPE_TOLERANCE) and \
            printed[1] >= booked_mm[1] * (1 - ARTWORK_SHAPE_TOLERANCE):
        return
    width, height = booked_mm
    fitting_height = width * artwork[1] / artwork[0]
    fields.warn("image",
                f"the artwork {quote(src)} is {artwork[0]} × {artwork[1]} px ({artwork[0] / artwork[1]:.2f}:1) and the "
                f"ad is booked {columns} column{'s' if columns > 1 else ''} × {height:g} mm ({width:.0f} × {height:g} mm, "
                f"{width / height:.2f}:1): it prints {printed[0]:.0f} × {printed[1]:.0f} mm, centred, the rest of the "
                "space empty (artwork is never stretched)",
                f"supply artwork of {width:.0f} × {height:g} mm (at 300 dpi {round(width / 25.4 * 300)} × "
                f"{round(height / 25.4 * 300)} px)" + (f", or book the ad {fitting_height:.0f} mm deep"
                                                      if deepest_mm is None or fitting_height <= deepest_mm else ""))


def _read_ads(root: Path, value: Any, problems: ProblemLog, page_format: PageFormat | None,
              page_count: int | None) -> tuple[AdSlot, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(MANIFEST, "ads", f"ads must be a list, not {type_name(value)}",
                     "list the ads, e.g. '- {page: 3, columns: 3, height_mm: 120, position: bottom-right}'")
        return ()
    columns = page_format.columns if page_format else None
    area_mm = ((page_format.height - page_format.margin_top - page_format.margin_bottom) / MM
               if page_format else None)
    ads: list[AdSlot] = []
    for index, entry in enumerate(value):
        where = f"ads[{index}]"
        if not isinstance(entry, dict):
            problems.add(MANIFEST, where, f"each ad must be a mapping, not {type_name(entry)}",
                         "write it as {page: 3, columns: 3, height_mm: 120, position: bottom-right}")
            continue
        start = len(problems)
        fields = FieldReader(entry, MANIFEST, problems, prefix=f"{where}.")
        fields.warn_unknown(_AD_KEYS, "An ad's", " (an ad prints its image as supplied: its text belongs in the artwork)")
        page = fields.integer("page", low=1, high=page_count or MAX_EDITION_PAGES, required=True,
                              what=" (a page of this edition)" if page_count else
                              f" (an edition has at most {MAX_EDITION_PAGES} pages)")
        width = fields.integer("columns", low=1, high=columns, required=True,
                               what=f" (the {page_format.name} format has {columns} columns)" if page_format else "")
        height = fields.number("height_mm", high=round(area_mm, 1) if area_mm else None, required=True,
                               unit=" of millimetres")
        position = fields.choice("position", AD_POSITIONS, default="bottom-right")
        image, size, src = None, None, ""
        if fields.has("image"):
            src = fields.text("image") or ""
            if src:
                check = check_image_ref(root, src)
                if check.ok:
                    image, size = check.path, (check.width_px, check.height_px)
                else:
                    fields.report("image", check.message, check.fix)
        if len(problems) == start and page and width and height and position:
            if image is not None and size is not None and page_format is not None:
                _check_artwork_shape(fields, src, size, (page_format.span_width(width) / MM, height), width,
                                     area_mm)
            ads.append(AdSlot(page=page, columns=width, height_mm=height, position=position,
                              image=image, image_size=size))
    return tuple(ads)
