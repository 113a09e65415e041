"""Page images, thumbnails and IIIF zoom tiles, rasterized from the print PDF with pypdfium2.

Public API: :func:`rasterize_pages` → :class:`RasterResult` (per page: :class:`PageRaster`).
"""

from .result import PageRaster, RasterResult, TileLevel, TileSet
from .run import RasterSettings, rasterize_page, rasterize_pages, tile_info
from .tiles import service_id

__all__ = ["PageRaster", "RasterResult", "RasterSettings", "TileLevel", "TileSet", "rasterize_page", "rasterize_pages",
           "service_id", "tile_info"]
