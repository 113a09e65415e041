"""The edition as a IIIF Presentation 3 manifest: any IIIF viewer or library archive can read it.

A canvas per page (sized as the full page raster, so ``xywh`` fragments are raster pixels) painted
with the page image and the page's tile service; a range per section holding its pages and a range
per article pointing at ``canvas#xywh=`` of each of the article's boxes; ``rendering`` links to the
PDFs. Ids are relative references resolved against the manifest's own URL unless a ``base_url`` is
given (see :mod:`epaper.raster.tiles` for why).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from epaper.frame import Box, Page
from epaper.model import Edition, slugify
from epaper.raster import PageRaster, RasterResult, service_id

from .downloads import Downloads, FileLink
from .placements import PlacedArticle

__all__ = ["PRESENTATION_CONTEXT", "build_manifest", "edition_label", "pixel_xywh"]

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"


def _lang(code: str) -> str:
    return code or "none"


def edition_label(edition: Edition) -> str:
    return f"{edition.title}, {edition.date.day} {edition.date:%B %Y} ({edition.edition} edition)"


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
    base_url: str | None = None,
) -> dict:
    base = base_url.rstrip("/") + "/" if base_url else ""

    def uri(path: str) -> str:
        return base + path

    lang = _lang(edition.language)
    pages = sorted(pages, key=lambda p: p.number)
    canvas_ids = {page.number: uri(f"canvas/{page.number}") for page in pages}

    def pdf(link: FileLink, label: str) -> dict:
        return {"id": uri(link.path), "type": "Text", "label": {lang: [label]}, "format": "application/pdf"}

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
                                        "id": service_id(pr.tiles, base_url=base_url),
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
        page_pdf = downloads.page(page.number)
        if page_pdf:
            canvas["rendering"] = [pdf(page_pdf, f"Page {page.label or page.number} (PDF)")]
        canvases.append(canvas)

    page_by_number = {page.number: page for page in pages}
    structures = []
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
                        {"id": uri(entry.href), "type": "Text", "label": {lang: ["Article text"]},
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
        "label": {lang: [edition_label(edition)]},
        "metadata": [
            {"label": {"en": ["Title"]}, "value": {lang: [edition.title]}},
            {"label": {"en": ["Date"]}, "value": {"none": [edition.date.isoformat()]}},
            {"label": {"en": ["Edition"]}, "value": {lang: [edition.edition]}},
            {"label": {"en": ["Pages"]}, "value": {"none": [str(len(pages))]}},
        ],
        "navDate": f"{edition.date.isoformat()}T00:00:00Z",
        "viewingDirection": "left-to-right",
        # Newspaper pages are read one at a time, not as facing book openings.
        "behavior": ["individuals"],
        "homepage": [{"id": uri("index.html"), "type": "Text", "label": {lang: [edition.title]}, "format": "text/html"}],
        "rendering": [pdf(downloads.edition, "Whole edition (PDF)")],
        "items": canvases,
        "structures": structures,
    }
    if first:
        manifest["thumbnail"] = canvases[0]["thumbnail"]
    return manifest
