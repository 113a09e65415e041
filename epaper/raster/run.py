"""Rasterize an edition's page PDFs: page image, thumbnail and IIIF tiles per page, pages in parallel.

Pages are independent once laid out, so each one is a task for a worker process (pdfium and JPEG
encoding are CPU-bound and hold the GIL). A worker renders the page once at the zoom resolution and
derives everything else from that raster by downsampling, which is cheaper than rendering again.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from epaper.frame import page_stem
from epaper.publish.output import atomic_folder
from epaper.tasks import IN_PROCESS, Runner
from epaper.urls import DEFAULT_BASE_URL

from .pages import RenderBuffers, render_page
from .result import PageRaster, RasterResult
from .sink import FolderSink, Sink
from .tiles import info_json, service_id, write_tiles

__all__ = ["RasterSettings", "rasterize_page", "rasterize_pages", "tile_info"]


@dataclass(frozen=True)
class RasterSettings:
    # 200 dpi puts about 22 px on the x-height of 8 pt body type at full zoom: readable, and the
    # raster of a broadsheet page (~2600×4170 px) still renders and tiles in well under 0.25 s.
    dpi: float = 200.0
    image_width: int = 1600
    thumb_width: int = 240
    tile_size: int = 512
    quality: int = 80
    # The public URL of the edition folder: info.json ids start with it (see epaper.urls).
    edition_url: str = DEFAULT_BASE_URL


PAGE_IMAGE_QUALITY = 60  # the page image (images/NNN.jpg); tiles keep RasterSettings.quality

# One set per process: a worker rasterizes its pages one after another (epaper.tasks runs one task
# at a time in a worker process; it refuses Dask workers with more threads), and the single-worker
# path runs in the caller's thread. _rasterize_one writes everything derived from a page before it
# returns, which is what RenderBuffers requires.
_BUFFERS = RenderBuffers()


@dataclass(frozen=True)
class _RasterJob:
    pdf: Path
    number: int
    out_dir: Path
    settings: RasterSettings


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def rasterize_page(pdf: Path, number: int, sink: Sink, settings: RasterSettings, *,
                   pdfium_done: Callable[[], None] | None = None) -> PageRaster:
    """Write ``images/NNN.jpg``, ``thumbs/NNN.jpg`` and the tiles ``tiles/NNN/`` of page ``number``
    (the one-page PDF ``pdf``) into ``sink``; the tiles' info.json (:func:`tile_info`), which names
    the edition, is the caller's to write. ``pdfium_done`` is called once the page is rendered (or
    failed to be): pdfium, which is not thread-safe, is then free for another thread while this one
    encodes the images and tiles."""
    started = time.perf_counter()
    try:
        rendered = render_page(Path(pdf), dpi=settings.dpi, widths=(settings.image_width,), buffers=_BUFFERS)
    finally:
        if pdfium_done is not None:
            pdfium_done()
    name = page_stem(number)
    full = rendered.image

    image = rendered.at_widths.get(settings.image_width, full)
    image_width, image_height = image.size
    # Baseline, not progressive: progressive encoding costs 6x the time for ~10 % fewer bytes (the
    # viewer's first view is progressive anyway: coarse tile levels first). Quality 60: the page
    # image is what a saved edition shows offline, and at 1600 px type looks the same as at 80
    # (compared side by side) for a quarter fewer bytes, which keeps the saved copy of a 24-page
    # edition within its 25 MB budget (epaper.web.offline).
    image_data = _jpeg(image, PAGE_IMAGE_QUALITY)
    sink.write(f"images/{name}.jpg", image_data)

    thumb_width = min(settings.thumb_width, image_width)
    thumb_height = round(image_height * thumb_width / image_width)
    # reducing_gap lets Pillow box-reduce first and resample only the last step: fast and sharp.
    thumb = image.resize((thumb_width, thumb_height), Image.Resampling.LANCZOS, reducing_gap=2.0)
    thumb_data = _jpeg(thumb, 80)
    sink.write(f"thumbs/{name}.jpg", thumb_data)

    tiles_rel = f"tiles/{name}"
    tile_set = write_tiles(
        full,
        sink,
        tiles_rel,
        tile=settings.tile_size,
        quality=settings.quality,
        extra_sizes=((f"images/{name}.jpg", (image_width, image_height)),
                     (f"thumbs/{name}.jpg", (thumb_width, thumb_height))),
    )
    return PageRaster(
        number=number,
        width=full.width,
        height=full.height,
        points=rendered.points,
        dpi=settings.dpi,
        image=f"images/{name}.jpg",
        image_size=(image_width, image_height),
        image_bytes=len(image_data),
        thumb=f"thumbs/{name}.jpg",
        thumb_size=(thumb_width, thumb_height),
        thumb_bytes=len(thumb_data),
        tiles=tiles_rel,
        tile_set=tile_set,
        seconds=time.perf_counter() - started,
    )


def tile_info(raster: PageRaster, settings: RasterSettings, *, edition_url: str) -> dict:
    """The info.json of the page's tiles for the edition served at ``edition_url``."""
    return info_json(raster.tile_set, width=raster.width, height=raster.height, tile=settings.tile_size,
                     service=service_id(raster.tiles, edition_url=edition_url))


def _rasterize_one(job: _RasterJob) -> PageRaster:
    # A task (epaper.tasks): it may run again on another worker, so every file and the tile folder
    # appear whole or not at all: the page is made in a hidden folder, then moved into place.
    out_dir = job.out_dir
    for folder in ("images", "thumbs", "tiles"):
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
    with atomic_folder(out_dir / "tiles" / page_stem(job.number)) as made:
        raster = rasterize_page(job.pdf, job.number, FolderSink(made), job.settings)
        info = tile_info(raster, job.settings, edition_url=job.settings.edition_url)
        (made / raster.info_json).write_text(json.dumps(info, indent=1), encoding="utf-8")
        for relative in (raster.image, raster.thumb):
            os.replace(made / relative, out_dir / relative)
        # What becomes tiles/NNN is the tiles' own folder; the rest of the made tree goes.
        tiles = made / raster.tiles
        for entry in tiles.iterdir():
            entry.rename(made / entry.name)
        shutil.rmtree(made / "images")
        shutil.rmtree(made / "thumbs")
        shutil.rmtree(made / "tiles")
    return raster


def rasterize_pages(
    page_pdfs: Sequence[Path],
    out_dir: Path,
    *,
    runner: Runner = IN_PROCESS,
    progress: Callable[[int], None] | None = None,
    settings: RasterSettings | None = None,
) -> RasterResult:
    """Write ``images/NNN.jpg``, ``thumbs/NNN.jpg`` and ``tiles/NNN/`` for each page PDF, one task
    per page on ``runner``.

    ``page_pdfs[i]`` is page ``i + 1`` (a one-page PDF). ``progress`` is told how many pages are
    done, each time one is finished (from this process).
    """
    settings = settings or RasterSettings()
    started = time.perf_counter()
    out_dir = Path(out_dir)
    jobs = [_RasterJob(Path(pdf), index + 1, out_dir, settings) for index, pdf in enumerate(page_pdfs)]
    pages = runner.map(_rasterize_one, jobs, progress=progress)
    return RasterResult(
        pages=tuple(pages),
        tile_size=settings.tile_size,
        workers=max(1, min(runner.workers, len(jobs))),
        seconds=time.perf_counter() - started,
    )
