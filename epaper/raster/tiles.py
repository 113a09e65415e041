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

import json
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .result import TileLevel

__all__ = ["TileSet", "service_id", "write_tiles"]

IIIF_IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"


@dataclass(frozen=True)
class TileSet:
    levels: tuple[TileLevel, ...]
    sizes: tuple[tuple[int, int], ...]
    # What full/max holds. Smaller than the page when a whole-page image was at hand: info.json then
    # says so (maxWidth/maxHeight), which only bounds the size of a response, not the tiles' regions.
    max_size: tuple[int, int]


def service_id(tiles_rel: str, *, edition_url: str) -> str:
    """The image service id for ``tiles_rel`` (e.g. ``tiles/001``) of the edition served at ``edition_url``.

    No trailing slash: clients append ``/info.json`` and ``/{region}/{size}/...``.
    """
    return edition_url.rstrip("/") + "/" + tiles_rel


def _level_count(width: int, height: int, tile: int) -> int:
    """Scale factors 1, 2, 4, ... until the whole page fits in one tile."""
    levels = 1
    while max(math.ceil(width / 2 ** (levels - 1)), math.ceil(height / 2 ** (levels - 1))) > tile:
        levels += 1
    return levels


class _Folders:
    """Creates the tile folders below ``root`` with one ``mkdir`` per new folder.

    Every tile lives in its own ``region/size/0/`` folder (the Image API URL grammar), so a page
    makes ~240 folders; ``Path.mkdir(parents=True)`` first fails on the missing leaf and walks up,
    which cost more than encoding the tiles on this machine's disk.
    """

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = str(root)
        self.known: set[str] = {self.root}

    def make(self, *parts: str) -> str:
        path = self.root
        for part in parts:
            path = f"{path}/{part}"
            if path not in self.known:
                try:
                    os.mkdir(path)
                except FileExistsError:
                    pass
                self.known.add(path)
        return path


def _save(image: Image.Image, folder: str, quality: int) -> int:
    path = f"{folder}/default.jpg"
    # No `optimize`: it costs a second Huffman pass per tile for ~3 % fewer bytes. The encoder's
    # default 4:2:0 chroma subsampling is kept: black type on white has no chroma to lose.
    image.save(path, "JPEG", quality=quality)
    return os.stat(path).st_size


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_tiles(
    full: Image.Image,
    folder: Path,
    *,
    tile: int = 512,
    quality: int = 80,
    extra_sizes: tuple[Path, ...] = (),
    service: str,
) -> TileSet:
    """Write the pyramid of ``full`` into ``folder`` and its info.json; return what was written.

    ``extra_sizes`` are already-encoded whole-page JPEGs (the page image and the thumbnail): they are
    linked into ``full/w,h/`` and listed in ``sizes`` so a client can fetch them by IIIF URL.
    """
    width, height = full.size
    folders = _Folders(folder)
    levels: list[TileLevel] = []
    sizes: set[tuple[int, int]] = set()
    level_image = full
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
                size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
                crop = level_image.crop((col * tile, row * tile, col * tile + sw, row * tile + sh))
                total += _save(crop, folders.make(region, size, "0"), quality)
        if columns == rows == 1 and index:
            sizes.add((lw, lh))
        levels.append(TileLevel(factor, lw, lh, columns, rows, total))
    largest: tuple[Path, tuple[int, int]] | None = None
    for extra in extra_sizes:
        with Image.open(extra) as im:
            size = im.size
        if size[0] < width and size not in sizes:
            _link_or_copy(extra, folder / "full" / f"{size[0]},{size[1]}" / "0" / "default.jpg")
            sizes.add(size)
        if size[0] <= width and (largest is None or size[0] > largest[1][0]):
            largest = (extra, size)
    max_file = folder / "full" / "max" / "0" / "default.jpg"
    if max_file.is_file():  # one tile covered the whole page: the pyramid wrote it
        max_size = (width, height)
    elif largest:
        # Level 0 requires full/max. The page image is one already: linking it costs nothing, where
        # encoding the full raster again cost 0.26 s and 1.6 MB a broadsheet page.
        _link_or_copy(largest[0], max_file)
        max_size = largest[1]
    else:
        _save(full, folders.make("full", "max", "0"), quality)
        max_size = (width, height)
    tile_set = TileSet(levels=tuple(levels), sizes=tuple(sorted(sizes)), max_size=max_size)
    info = info_json(tile_set, width=width, height=height, tile=tile, service=service)
    (folder / "info.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return tile_set


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
