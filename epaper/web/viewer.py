"""The viewer page, ``index.html``: static HTML plus a JSON data block that ``static/viewer.js`` reads.

Article boxes go to the browser as fractions of the page (0..1), so the same numbers place the
hotspots over OpenSeadragon's deep-zoom image and, in the fallback, over a plain page image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from epaper.frame import Box, LinkArea, Page
from epaper.i18n import Wording
from epaper.model import Edition
from epaper.raster import RasterResult
from epaper.raster.tiles import info_json

from .downloads import Downloads, FileLink, human_size
from .placements import PlacedArticle, reading_position
from .templating import render

__all__ = ["Updated", "write_viewer"]


@dataclass(frozen=True)
class Updated:
    """The "updated HH:MM" mark of a replated edition: when its latest version was made (ISO 8601
    and HH:MM) and the link to the version before it."""

    made: str
    time: str
    previous: str  # e.g. "versions/2/index.html"
    number: int  # the version it is (the METS's OBJID and the manifest name it)


@dataclass(frozen=True)
class RegionView:
    id: str
    headline: str
    href: str
    lang: str
    boxes: tuple[tuple[float, float, float, float], ...]
    headline_box: tuple[float, float, float, float] | None
    continued_to: int | None
    continued_from: int | None


@dataclass(frozen=True)
class PageView:
    number: int
    label: str
    section: str
    image: str
    image_size: tuple[int, int]
    thumb: str
    thumb_size: tuple[int, int]
    tiles: str
    info: dict
    width: int
    height: int
    pdf: FileLink | None
    regions: tuple[RegionView, ...]
    jumps: tuple[dict, ...]


def _fraction(box: Box, page: Page) -> tuple[float, float, float, float]:
    return (
        round(box.x / page.width, 5),
        round(box.y / page.height, 5),
        round(box.w / page.width, 5),
        round(box.h / page.height, 5),
    )


def _page_view(page: Page, placed: dict[str, PlacedArticle], raster: RasterResult, downloads: Downloads,
               words: Wording) -> PageView:
    pr = raster.page(page.number)
    regions = []
    # In reading order: the "Text" view and "Read this page" follow the list as it is.
    for region in sorted(page.regions, key=reading_position):
        entry = placed.get(region.article_id)
        if entry is None:
            continue
        regions.append(
            RegionView(
                id=region.article_id,
                headline=region.headline or entry.article.headline,
                href=entry.href,
                lang=entry.article.language,
                boxes=tuple(_fraction(box, page) for box in region.boxes),
                headline_box=_fraction(region.headline_box, page) if region.headline_box else None,
                continued_to=region.continued_to,
                continued_from=region.continued_from,
            )
        )
    # Jump lines, teasers and refer boxes drawn by layout carry a LinkArea to another page: make
    # what is printed there clickable.
    jumps = tuple(
        {"page": item.page, "box": _fraction(item.box, page), "label": item.label or words.say("page_title", label=item.page)}
        for item in page.items_of(LinkArea)
        if item.page
    )
    # The tiles' info.json as published (its id made absolute by the script: the folder may be served anywhere).
    info = info_json(pr.tile_set, width=pr.width, height=pr.height, tile=raster.tile_size, service=pr.tiles)
    return PageView(
        number=page.number,
        label=words.number(page.label or page.number),  # shown, in the edition's digits (URLs keep 0-9)
        section=page.section,
        image=pr.image,
        image_size=pr.image_size,
        thumb=pr.thumb,
        thumb_size=pr.thumb_size,
        tiles=pr.tiles,
        info=info,
        width=pr.width,
        height=pr.height,
        pdf=downloads.page(page.number),
        regions=tuple(regions),
        jumps=jumps,
    )


def _data(edition: Edition, views: list[PageView], sections: list[dict], *, offline_bytes: int) -> dict:
    words = edition.wording()
    languages = sorted({edition.language} | {r.lang for v in views for r in v.regions if r.lang})
    return {
        "edition": {"id": edition.id, "title": edition.title, "date": edition.date.isoformat(),
                    "lang": edition.language},
        "search": "search.js",
        # Beside index.html; the script resolves it against the page's URL for IIIF Content State links.
        "manifest": "manifest.json",
        "offline": {"worker": "sw.js", "bytes": offline_bytes, "size": words.number(human_size(offline_bytes))},
        "ui": dict(words.messages),
        # The script writes numbers it fills in (page counts, search hits) with these digits, and names
        # languages ("No Hindi voice") as the edition's language does (CLDR, through Babel).
        "digits": words.numerals,
        "languages": {code: words.language_name(code) for code in languages},
        "sections": sections,
        "pages": [
            {
                "number": v.number,
                "label": v.label,
                "section": v.section,
                "image": v.image,
                "imageSize": list(v.image_size),
                "tiles": v.tiles,
                "info": v.info,
                "width": v.width,
                "height": v.height,
                "pdf": {"href": v.pdf.path, "size": words.number(v.pdf.size)} if v.pdf else None,
                "regions": [
                    {
                        "id": r.id,
                        "headline": r.headline,
                        "href": r.href,
                        "lang": r.lang,
                        "boxes": [list(b) for b in r.boxes],
                        "headlineBox": list(r.headline_box) if r.headline_box else None,
                        "continuedTo": r.continued_to,
                        "continuedFrom": r.continued_from,
                    }
                    for r in v.regions
                ],
                "jumps": [dict(j, box=list(j["box"])) for j in v.jumps],
            }
            for v in views
        ],
    }


def write_viewer(
    edition: Edition,
    pages: Sequence[Page],
    placed: dict[str, PlacedArticle],
    out_dir: Path,
    *,
    raster: RasterResult,
    downloads: Downloads,
    openseadragon: bool,
    offline_bytes: int = 0,
    updated: Updated | None = None,
) -> None:
    ordered = sorted(pages, key=lambda p: p.number)
    words = edition.wording()
    views = [_page_view(page, placed, raster, downloads, words) for page in ordered]
    sections = []
    # A section named in another language than the edition's (देश in an English edition) is marked
    # so, for a screen reader to say it in that language's voice.
    section_lang = {section.name: section.language for section in edition.sections
                    if section.language and section.language != edition.language}
    for section in edition.sections:
        first = next((p.number for p in ordered if p.section == section.name), None)
        if first is not None:
            sections.append({"name": section.name, "page": first, "lang": section_lang.get(section.name)})
    html = render(
        "viewer.html",
        words,
        edition=edition,
        pages=views,
        sections=sections,
        section_lang=section_lang,
        downloads=downloads,
        openseadragon=openseadragon,
        offline_size=words.number(human_size(offline_bytes)),
        updated=updated,
        data=_data(edition, views, sections, offline_bytes=offline_bytes),
    )
    (out_dir / "index.html").write_text(html, encoding="utf-8")
