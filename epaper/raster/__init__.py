"""Page images, thumbnails and IIIF zoom tiles, rasterized from the print PDF with pypdfium2.

Public API: :func:`rasterize_pages` → :class:`RasterResult` (per page: :class:`PageRaster`).
"""

from .result import PageRaster, RasterResult, TileLevel
from .run import RasterSettings, rasterize_pages
from .tiles import service_id

__all__ = ["PageRaster", "RasterResult", "RasterSettings", "TileLevel", "rasterize_pages", "service_id"]
