"""``write_site``: everything a reader's browser loads for one edition, written into its folder."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from epaper.frame import Page
from epaper.model import Edition
from epaper.raster import RasterResult

from .assets import copy_static, shows_devanagari
from .downloads import Downloads
from .manifest import build_manifest
from .offline import offline_bytes, write_service_worker
from .photos import PhotoReuse
from .placements import PlacedArticle, placed_articles
from .search import search_index, search_script
from .textview import write_text_views
from .viewer import Updated, write_viewer

__all__ = ["Reading", "Updated", "write_manifest", "write_reading", "write_site", "write_viewer_site"]


def _write_json(path: Path, data: dict) -> None:
    # Compact separators: the search index is fetched by phones.
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def write_site(
    edition: Edition,
    pages: Sequence[Page],
    out_dir: Path,
    *,
    raster: RasterResult,
    downloads: Downloads,
    updated: Updated | None = None,
    photo_reuse: PhotoReuse | None = None,
    known: Mapping[str, str] | None = None,
) -> None:
    """Write index.html, articles/*.html, photos/, search.json/.js, sw.js and static/ into ``out_dir``.

    Page→article information comes only from ``Page.regions``; articles on no page get no text view.
    ``updated`` marks a replated edition's latest version in the viewer. ``photo_reuse`` gives the
    text views' photo copies an earlier build made (see :class:`~epaper.web.photos.PhotoReuse`).
    ``known``: the SHA-256 of files already in ``out_dir`` by relative path (the pages' images,
    linked from the build cache), which the service worker's version is then made from unread.
    The IIIF manifest is :func:`write_manifest`'s, written last because it links other stages' files.
    """
    reading = write_reading(edition, pages, out_dir, photo_reuse=photo_reuse)
    write_viewer_site(edition, pages, out_dir, reading, raster=raster, downloads=downloads, updated=updated,
                      known=known)


class Reading(NamedTuple):
    """What :func:`write_reading` wrote that the viewer links."""

    placed: dict[str, PlacedArticle]  # the placed stories, by id
    openseadragon: bool  # the deep-zoom viewer's files are in static/


def write_reading(edition: Edition, pages: Sequence[Page], out_dir: Path, *,
                  photo_reuse: PhotoReuse | None = None) -> Reading:
    """The first half of :func:`write_site`, which needs none of the edition's PDFs: static/, the
    text views with their photos, and the search index."""
    out_dir = Path(out_dir)
    placed = placed_articles(edition, pages)
    openseadragon = copy_static(out_dir / "static", web_fonts=shows_devanagari(edition))
    write_text_views(edition, placed, out_dir, photo_reuse=photo_reuse)
    index = search_index(placed.values())
    _write_json(out_dir / "search.json", index)
    (out_dir / "search.js").write_text(search_script(index), encoding="utf-8")
    return Reading(placed, openseadragon)


def write_viewer_site(edition: Edition, pages: Sequence[Page], out_dir: Path, reading: Reading, *,
                      raster: RasterResult, downloads: Downloads, updated: Updated | None = None,
                      known: Mapping[str, str] | None = None) -> None:
    """The second half of :func:`write_site`, once :func:`write_reading` is done and the PDFs
    ``downloads`` names are written: index.html and sw.js."""
    out_dir = Path(out_dir)
    # The "Save edition" button shows the saved copy's weight: measured before index.html exists
    # (a few kB of the total), the service worker then names index.html too and versions the lot.
    saved_bytes = offline_bytes(out_dir)
    write_viewer(edition, pages, reading.placed, out_dir, raster=raster, downloads=downloads,
                 openseadragon=reading.openseadragon, offline_bytes=saved_bytes, updated=updated)
    write_service_worker(out_dir, edition.id, known=known)


def write_manifest(
    edition: Edition,
    pages: Sequence[Page],
    out_dir: Path,
    *,
    raster: RasterResult,
    downloads: Downloads,
    edition_url: str,
    part_of: str | None = None,
    updated: Updated | None = None,
) -> None:
    """Write ``manifest.json`` into ``out_dir``, the edition folder served at ``edition_url``.

    Call it once every other file of the edition is written: it links the ones that exist (print
    PDFs, ALTO, METS). ``part_of`` is the URL of the title's IIIF collection; ``updated``: the
    version a replate made (its metadata says which).
    """
    manifest = build_manifest(edition, pages, placed_articles(edition, pages), raster=raster, downloads=downloads,
                              edition_url=edition_url, out_dir=out_dir, part_of=part_of, updated=updated)
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
