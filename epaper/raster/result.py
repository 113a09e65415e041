"""What rasterizing an edition produced: named per-page figures the web stage and the report read."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PageRaster", "RasterResult", "TileLevel", "TileSet"]


@dataclass(frozen=True)
class TileLevel:
    """One level of a page's IIIF tile pyramid.

    ``scale_factor`` is the IIIF scale factor (1 = full raster); ``width``/``height`` are the size of
    the whole page at this level; ``columns``×``rows`` tiles were written, ``bytes`` in total.
    """

    scale_factor: int
    width: int
    height: int
    columns: int
    rows: int
    bytes: int

    @property
    def count(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class TileSet:
    """A page's tile pyramid as written: its levels, the whole-page sizes it lists (``sizes`` in
    info.json) and what full/max holds."""

    levels: tuple[TileLevel, ...]
    sizes: tuple[tuple[int, int], ...]
    # What full/max holds. Smaller than the page when a whole-page image was at hand: info.json then
    # says so (maxWidth/maxHeight), which only bounds the size of a response, not the tiles' regions.
    max_size: tuple[int, int]


@dataclass(frozen=True)
class PageRaster:
    """Everything written for one page. Paths are POSIX and relative to the edition folder.

    ``width``/``height`` are the full raster in pixels (the IIIF canvas size); ``points`` is the
    trimmed page size the raster covers, so ``width / points[0]`` converts page points to pixels.
    """

    number: int
    width: int
    height: int
    points: tuple[float, float]
    dpi: float
    image: str
    image_size: tuple[int, int]
    image_bytes: int
    thumb: str
    thumb_size: tuple[int, int]
    thumb_bytes: int
    tiles: str
    tile_set: TileSet
    seconds: float

    @property
    def levels(self) -> tuple[TileLevel, ...]:
        return self.tile_set.levels

    @property
    def scale(self) -> float:
        """Raster pixels per PDF point."""
        return self.width / self.points[0]

    @property
    def tile_count(self) -> int:
        return sum(level.count for level in self.levels)

    @property
    def tile_bytes(self) -> int:
        return sum(level.bytes for level in self.levels)

    @property
    def info_json(self) -> str:
        return f"{self.tiles}/info.json"


@dataclass(frozen=True)
class RasterResult:
    pages: tuple[PageRaster, ...]
    tile_size: int
    workers: int
    seconds: float

    def page(self, number: int) -> PageRaster:
        for page in self.pages:
            if page.number == number:
                return page
        raise KeyError(f"no raster for page {number}")

    @property
    def total_bytes(self) -> int:
        return sum(p.image_bytes + p.thumb_bytes + p.tile_bytes for p in self.pages)

    @property
    def seconds_per_page(self) -> float:
        """Wall-clock time divided by pages: the figure the ≤ 0.25 s/page target is about."""
        return self.seconds / len(self.pages) if self.pages else 0.0
