"""Static IIIF Image API 3.0 level-0 tiles: a folder of JPEGs any IIIF viewer can zoom without a server.

Layout of ``tiles/NNN/`` (the URL grammar of the Image API, so a static file server answers it):

    info.json
    {x},{y},{w},{h}/{sw},{sh}/0/default.jpg     one file per tile and scale factor
    full/{sw},{sh}/0/default.jpg                 whole-page sizes listed in ``sizes``
    full/max/0/default.jpg                       the whole page at ``max`` (level 0 requires it)

The region/size strings are exactly those OpenSeadragon's IIIFTileSource (and other level-0
clients) compute: region ``full`` when a tile covers the whole page, size ``max`` when a tile is the
whole page at full resolution, otherwise ``w,h``.

The ``id`` in info.json is absolute, as the Image API requires (see :mod:`epaper.urls` for where the
base comes from; ``epaper rebase`` rewrites it for another host). The epaper viewer itself never trusts
the stored id: it resolves the tile folder against the page URL, so a copied folder still zooms.
"""

from __future__ import annotations

import io
import math
from urllib.parse import urljoin

from PIL import Image

from .result import TileLevel, TileSet
from .sink import Sink

__all__ = ["TileSet", "service_id", "write_tiles"]

IIIF_IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"

# The coarse levels (a quarter of the full raster and smaller) are what a phone loads first, the
# whole page at a glance, on a reader's mobile data; type is read from the finer levels, which keep
# the tiles' quality. At 72 the overview of a front page costs 14 % fewer bytes than at 80, and its
# headlines and photos look the same at that size.
OVERVIEW_FACTOR = 4
OVERVIEW_QUALITY = 72


def service_id(tiles_rel: str, *, edition_url: str) -> str:
    """The image service id for ``tiles_rel`` (e.g. ``tiles/001``, or ``../tiles/<name>`` for a set
    published beside the editions) relative to the edition served at ``edition_url``.

    No trailing slash: clients append ``/info.json`` and ``/{region}/{size}/...``.
    """
    return urljoin(edition_url.rstrip("/") + "/", tiles_rel)


def _level_count(width: int, height: int, tile: int) -> int:
    """Scale factors 1, 2, 4, ... until the whole page fits in one tile."""
    levels = 1
    while max(math.ceil(width / 2 ** (levels - 1)), math.ceil(height / 2 ** (levels - 1))) > tile:
        levels += 1
    return levels


def _encoded(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No `optimize`: it costs a second Huffman pass per tile for ~3 % fewer bytes. The encoder's
    # default 4:2:0 chroma subsampling is kept: black type on white has no chroma to lose.
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def write_tiles(
    full: Image.Image,
    sink: Sink,
    prefix: str,
    *,
    tile: int = 512,
    quality: int = 80,
    extra_sizes: tuple[tuple[str, tuple[int, int]], ...] = (),
) -> TileSet:
    """Write the pyramid of ``full`` into ``sink`` below ``prefix`` (``tiles/NNN``); return what
    was written. The tile set's info.json (:func:`info_json`) names where the set is served: the
    caller writes it.

    ``extra_sizes`` are already-written whole-page JPEGs (the page image and the thumbnail: path in
    the sink, pixel size): they are aliased as ``full/w,h/`` and listed in ``sizes`` so a client can
    fetch them by IIIF URL.
    """
    width, height = full.size
    levels: list[TileLevel] = []
    sizes: set[tuple[int, int]] = set()
    level_image = full
    written: set[str] = set()
    for index in range(_level_count(width, height, tile)):
        factor = 2**index
        if index:
            # Halving the previous level (box filter) is far cheaper than resampling from the full raster.
            level_image = level_image.reduce(2) if level_image.width >= 2 and level_image.height >= 2 else level_image
            target = (math.ceil(width / factor), math.ceil(height / factor))
            if level_image.size != target:
                level_image = level_image.resize(target, Image.Resampling.BILINEAR)
        lw, lh = level_image.size
        columns, rows = math.ceil(lw / tile), math.ceil(lh / tile)
        total = 0
        for row in range(rows):
            for col in range(columns):
                rx, ry = col * tile * factor, row * tile * factor
                rw, rh = min(tile * factor, width - rx), min(tile * factor, height - ry)
                sw, sh = min(tile, lw - col * tile), min(tile, lh - row * tile)
                region = "full" if (rx, ry, rw, rh) == (0, 0, width, height) else f"{rx},{ry},{rw},{rh}"
                scaled = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                data = _encoded(level_image.crop((col * tile, row * tile, col * tile + sw, row * tile + sh)),
                                min(quality, OVERVIEW_QUALITY) if factor >= OVERVIEW_FACTOR else quality)
                relative = f"{prefix}/{region}/{scaled}/0/default.jpg"
                sink.write(relative, data)
                written.add(relative)
                total += len(data)
        if columns == rows == 1 and index:
            sizes.add((lw, lh))
        levels.append(TileLevel(factor, lw, lh, columns, rows, total))
    largest: tuple[str, tuple[int, int]] | None = None
    for extra, size in extra_sizes:
        if size[0] < width and size not in sizes:
            sink.alias(f"{prefix}/full/{size[0]},{size[1]}/0/default.jpg", extra)
            sizes.add(size)
        if size[0] <= width and (largest is None or size[0] > largest[1][0]):
            largest = (extra, size)
    max_file = f"{prefix}/full/max/0/default.jpg"
    if max_file in written:  # one tile covered the whole page: the pyramid wrote it
        max_size = (width, height)
    elif largest:
        # Level 0 requires full/max. The page image is one already: linking it costs nothing, where
        # encoding the full raster again cost 0.26 s and 1.6 MB a broadsheet page.
        sink.alias(max_file, largest[0])
        max_size = largest[1]
    else:
        sink.write(max_file, _encoded(full, quality))
        max_size = (width, height)
    return TileSet(levels=tuple(levels), sizes=tuple(sorted(sizes)), max_size=max_size)


def info_json(tile_set: TileSet, *, width: int, height: int, tile: int, service: str) -> dict:
    return {
        "@context": IIIF_IMAGE_CONTEXT,
        "id": service,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": width,
        "height": height,
        "sizes": [{"width": w, "height": h} for w, h in tile_set.sizes],
        "tiles": [
            {"width": tile, "height": tile, "scaleFactors": [level.scale_factor for level in tile_set.levels]}
        ],
        "preferredFormats": ["jpg"],
        **({"maxWidth": tile_set.max_size[0], "maxHeight": tile_set.max_size[1]}
           if tile_set.max_size != (width, height) else {}),
    }
