"""The edition as a IIIF Presentation 3 manifest, after the IIIF newspaper recipe.

A canvas per page (sized as the full page raster, so ``xywh`` fragments are raster pixels) painted
with the page image and the page's level-0 tile service; a range per section holding its pages and a
range per article pointing at ``canvas#xywh=`` of each of the article's boxes. ``rendering`` links
the PDFs (the edition's, and per canvas the page's and the print plant's), ``seeAlso`` the ALTO text
of each canvas and the edition's METS, and ``partOf`` the title's collection (see
:mod:`epaper.web.archive`). Every id is absolute: it starts with the edition folder's public URL (see
:mod:`epaper.urls`).
"""

from __future__ import annotations

import datetime as dt

import math
from collections.abc import Sequence
from pathlib import Path

from epaper.frame import Box, Page
from epaper.i18n import Wording
from epaper.model import Edition, edition_name, slugify
from epaper.raster import PageRaster, RasterResult, service_id
from epaper.time_zones import nav_date

from .downloads import Downloads
from .placements import PlacedArticle
from .viewer import Updated

__all__ = ["ALTO_PROFILE", "PRESENTATION_CONTEXT", "build_manifest", "edition_label", "pixel_xywh"]

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
# The profile the IIIF newspaper recipe gives ALTO files; METS is named by its namespace.
ALTO_PROFILE = "http://www.loc.gov/standards/alto/"
METS_PROFILE = "http://www.loc.gov/METS/"


def _lang(code: str) -> str:
    return code or "none"


def edition_label(title: str, date: dt.date, edition: str, words: Wording) -> str:
    """A manifest's (and the title collection's) name for an edition, in the edition's language:
    "The Aldery Courier, Saturday, November 28, 2026 (City edition)"."""
    return words.say("iiif_edition_label", title=title, date=words.long_date(date), edition=edition_name(edition))


def pixel_xywh(box: Box, raster: PageRaster, page: Page) -> tuple[int, int, int, int]:
    """Page points to canvas pixels, rounded outwards and clamped inside the canvas."""
    sx, sy = raster.width / page.width, raster.height / page.height
    x0 = max(0, math.floor(box.x * sx))
    y0 = max(0, math.floor(box.y * sy))
    x1 = min(raster.width, math.ceil(box.right * sx))
    y1 = min(raster.height, math.ceil(box.bottom * sy))
    return x0, y0, max(1, x1 - x0), max(1, y1 - y0)


def build_manifest(
    edition: Edition,
    pages: Sequence[Page],
    placed: dict[str, PlacedArticle],
    *,
    raster: RasterResult,
    downloads: Downloads,
    edition_url: str,
    out_dir: Path,
    part_of: str | None = None,
    updated: Updated | None = None,
) -> dict:
    """The manifest of the edition folder ``out_dir``, served at ``edition_url``.

    Files other stages may add (``print/NNN.pdf``, ``alto/NNN.xml``, ``mets.xml``) are linked when
    they are in ``out_dir``, so call this after everything else is written.
    """
    base = edition_url.rstrip("/") + "/"
    out_dir = Path(out_dir)

    def uri(path: str) -> str:
        return base + path

    def present(path: str) -> bool:
        return (out_dir / path).is_file()

    lang = _lang(edition.language)
    words = edition.wording()  # every label is in the edition's language, tagged with it
    pages = sorted(pages, key=lambda p: p.number)
    canvas_ids = {page.number: uri(f"canvas/{page.number}") for page in pages}

    def pdf(path: str, label: str) -> dict:
        return {"id": uri(path), "type": "Text", "label": {lang: [label]}, "format": "application/pdf"}

    canvases = []
    for page in pages:
        pr = raster.page(page.number)
        canvas_id = canvas_ids[page.number]
        canvas: dict = {
            "id": canvas_id,
            "type": "Canvas",
            "label": {"none": [page.label or str(page.number)]},
            "width": pr.width,
            "height": pr.height,
            "thumbnail": [
                {"id": uri(pr.thumb), "type": "Image", "format": "image/jpeg",
                 "width": pr.thumb_size[0], "height": pr.thumb_size[1]}
            ],
            "items": [
                {
                    "id": f"{canvas_id}/page",
                    "type": "AnnotationPage",
                    "items": [
                        {
                            "id": f"{canvas_id}/page/image",
                            "type": "Annotation",
                            "motivation": "painting",
                            "target": canvas_id,
                            "body": {
                                "id": uri(pr.image),
                                "type": "Image",
                                "format": "image/jpeg",
                                "width": pr.image_size[0],
                                "height": pr.image_size[1],
                                "service": [
                                    {
                                        "id": service_id(pr.tiles, edition_url=base),
                                        "type": "ImageService3",
                                        "profile": "level0",
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
        name = page.stem
        page_label = words.number(page.label or page.number)
        renderings = []
        page_pdf = downloads.page(page.number)
        if page_pdf:
            renderings.append(pdf(page_pdf.path, words.say("iiif_page_pdf", label=page_label)))
        if present(f"print/{name}.pdf"):
            renderings.append(pdf(f"print/{name}.pdf", words.say("iiif_page_print", label=page_label)))
        if renderings:
            canvas["rendering"] = renderings
        if present(f"alto/{name}.xml"):
            canvas["seeAlso"] = [
                {"id": uri(f"alto/{name}.xml"), "type": "Dataset", "label": {lang: [words.say("iiif_page_alto", label=page_label)]},
                 "format": "application/xml", "profile": ALTO_PROFILE}
            ]
        canvases.append(canvas)

    page_by_number = {page.number: page for page in pages}
    structures: list[dict] = []
    for section in edition.sections:
        section_pages = [p.number for p in pages if p.section == section.name]
        articles = [entry for entry in placed.values() if entry.article.section == section.name]
        if not section_pages and not articles:
            continue
        items: list[dict] = [{"id": canvas_ids[n], "type": "Canvas"} for n in section_pages]
        for entry in articles:
            targets = []
            for placement in entry.placements:
                page = page_by_number[placement.page]
                pr = raster.page(placement.page)
                for box in placement.region.boxes:
                    x, y, w, h = pixel_xywh(box, pr, page)
                    targets.append({"id": f"{canvas_ids[placement.page]}#xywh={x},{y},{w},{h}", "type": "Canvas"})
            items.append(
                {
                    "id": uri(f"range/article/{entry.name}"),
                    "type": "Range",
                    "label": {_lang(entry.article.language): [entry.article.headline]},
                    "items": targets,
                    "rendering": [
                        {"id": uri(entry.href), "type": "Text", "label": {lang: [words.say("article_text")]},
                         "format": "text/html"}
                    ],
                }
            )
        structures.append(
            {
                "id": uri(f"range/section/{slugify(section.name)}-{len(structures) + 1}"),
                "type": "Range",
                "label": {_lang(section.language or edition.language): [section.name]},
                "items": items,
            }
        )

    first = raster.pages[0] if raster.pages else None
    manifest: dict = {
        "@context": PRESENTATION_CONTEXT,
        "id": uri("manifest.json"),
        "type": "Manifest",
        "label": {lang: [edition_label(edition.title, edition.date, edition.edition, words)]},
        "metadata": [
            {"label": {lang: [words.say("meta_title")]}, "value": {lang: [edition.title]}},
            {"label": {lang: [words.say("meta_date")]}, "value": {"none": [edition.date.isoformat()]}},
            {"label": {lang: [words.say("meta_edition")]}, "value": {lang: [edition_name(edition.edition)]}},
            {"label": {lang: [words.say("meta_pages")]}, "value": {"none": [str(len(pages))]}},
        ],
        "navDate": nav_date(edition.date.isoformat(), edition.time_zone),
        "viewingDirection": "left-to-right",
        # Newspaper pages are read one at a time, not as facing book openings.
        "behavior": ["individuals"],
        "homepage": [{"id": uri("index.html"), "type": "Text", "label": {lang: [edition.title]}, "format": "text/html"}],
        "rendering": [pdf(downloads.edition.path, words.say("iiif_edition_pdf"))],
        "items": canvases,
        "structures": structures,
    }
    if edition.rights:
        manifest["rights"] = edition.rights
    if edition.attribution:
        manifest["requiredStatement"] = {"label": {lang: [words.say("meta_attribution")]},
                                         "value": {lang: [edition.attribution]}}
    if updated is not None:  # a replate's version: its label and metadata told it from the one it replaced
        manifest["metadata"].append({"label": {lang: [words.say("meta_version")]},
                                     "value": {lang: [words.say("version_updated", number=updated.number,
                                                                time=words.number(updated.time))]}})
    if part_of:
        manifest["partOf"] = [{"id": part_of, "type": "Collection", "label": {lang: [edition.title]}}]
    if present("mets.xml"):
        manifest["seeAlso"] = [{"id": uri("mets.xml"), "type": "Dataset", "label": {lang: [words.say("iiif_mets")]},
                                "format": "application/xml", "profile": METS_PROFILE}]
    if first:
        manifest["thumbnail"] = canvases[0]["thumbnail"]
    return manifest
