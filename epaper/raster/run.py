"""Rasterize an edition's page PDFs: page image, thumbnail and IIIF tiles per page, pages in parallel.

Pages are independent once laid out, so each one is a task for a worker process (pdfium and JPEG
encoding are CPU-bound and hold the GIL). A worker renders the page once at the zoom resolution and
derives everything else from that raster by downsampling, which is cheaper than rendering again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from epaper.frame import page_stem
from epaper.publish.output import atomic_file, atomic_folder
from epaper.tasks import IN_PROCESS, Runner
from epaper.urls import DEFAULT_BASE_URL

from .pages import RenderBuffers, render_page
from .result import PageRaster, RasterResult
from .tiles import service_id, write_tiles

__all__ = ["RasterSettings", "rasterize_page", "rasterize_pages"]


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


def rasterize_page(pdf: Path, number: int, out_dir: Path, settings: RasterSettings) -> PageRaster:
    """Write ``images/NNN.jpg``, ``thumbs/NNN.jpg`` and ``tiles/NNN/`` of page ``number`` (the one-page
    PDF ``pdf``) into ``out_dir`` (a task of its own: see :func:`_rasterize_one`)."""
    return _rasterize_one(_RasterJob(Path(pdf), number, Path(out_dir), settings))


def _rasterize_one(job: _RasterJob) -> PageRaster:
    # A task (epaper.tasks): it may run again on another worker, so every file and the tile folder
    # appear whole or not at all.
    pdf, number, out_dir, settings = job.pdf, job.number, job.out_dir, job.settings
    started = time.perf_counter()
    name = page_stem(number)
    rendered = render_page(pdf, dpi=settings.dpi, widths=(settings.image_width,), buffers=_BUFFERS)
    full = rendered.image

    image_path = out_dir / "images" / f"{name}.jpg"
    image_path.parent.mkdir(parents=True, exist_ok=True)
    image = rendered.at_widths.get(settings.image_width, full)
    image_width, image_height = image.size
    # Baseline, not progressive: progressive encoding costs 6x the time for ~10 % fewer bytes (the
    # viewer's first view is progressive anyway: coarse tile levels first). Quality 60: the page
    # image is what a saved edition shows offline, and at 1600 px type looks the same as at 80
    # (compared side by side) for a quarter fewer bytes, which keeps the saved copy of a 24-page
    # edition within its 25 MB budget (epaper.web.offline).
    with atomic_file(image_path) as partial:
        image.save(partial, "JPEG", quality=PAGE_IMAGE_QUALITY)

    thumb_path = out_dir / "thumbs" / f"{name}.jpg"
    thumb_path.parent.mkdir(parents=True, exist_ok=True)
    thumb_width = min(settings.thumb_width, image_width)
    thumb_height = round(image_height * thumb_width / image_width)
    # reducing_gap lets Pillow box-reduce first and resample only the last step: fast and sharp.
    thumb = image.resize((thumb_width, thumb_height), Image.Resampling.LANCZOS, reducing_gap=2.0)
    with atomic_file(thumb_path) as partial:
        thumb.save(partial, "JPEG", quality=80)

    tiles_rel = f"tiles/{name}"
    (out_dir / tiles_rel).parent.mkdir(parents=True, exist_ok=True)
    with atomic_folder(out_dir / tiles_rel) as tiles:
        tile_set = write_tiles(
            full,
            tiles,
            tile=settings.tile_size,
            quality=settings.quality,
            extra_sizes=(image_path, thumb_path),
            service=service_id(tiles_rel, edition_url=settings.edition_url),
        )
    return PageRaster(
        number=number,
        width=full.width,
        height=full.height,
        points=rendered.points,
        dpi=settings.dpi,
        image=f"images/{name}.jpg",
        image_size=(image_width, image_height),
        image_bytes=image_path.stat().st_size,
        thumb=f"thumbs/{name}.jpg",
        thumb_size=(thumb_width, thumb_height),
        thumb_bytes=thumb_path.stat().st_size,
        tiles=tiles_rel,
        levels=tile_set.levels,
        seconds=time.perf_counter() - started,
    )


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
