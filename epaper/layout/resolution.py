"""Photos printed coarser than newsprint needs, as warnings naming the photo and the pixels it needs.

A photo is embedded at up to :data:`epaper.render.targets.PRINT_DPI` at its printed size, never
enlarged: one with fewer pixels than that prints as it is. Coldset newsprint is screened at 85–100
lines per inch, and a photo needs about one and a half pixels per screen line to print sharp, so
under :data:`MIN_PRINT_PPI` a photo looks soft or blocky on the plate (an outside print audit: a
sample photo went to the plant at 129 ppi without a word). Measured on the pages as laid out: the
visible part of the photo's pixels (its crop) over the width and height it is drawn at.
"""

from __future__ import annotations

import math

from epaper.frame import ImageItem, LaidOutEdition
from epaper.ingest.edition import folder_of
from epaper.ingest.problems import ProblemLog, file_label
from epaper.model import Article, Photo

__all__ = ["MIN_PRINT_PPI", "coarse_photos"]

MIN_PRINT_PPI = 150
POINTS_PER_INCH = 72


def coarse_photos(laid_out: LaidOutEdition, log: ProblemLog) -> None:
    """Warn of each printed photo under :data:`MIN_PRINT_PPI`, once per photo (at its coarsest)."""
    photos: dict[str, tuple[Article, int, Photo]] = {
        str(photo.path): (article, index, photo)
        for article in laid_out.edition.articles for index, photo in enumerate(article.photos)}
    coarsest: dict[str, tuple[float, int, ImageItem]] = {}
    for page in laid_out.pages:
        for item in page.items_of(ImageItem):
            found = photos.get(item.path)
            if item.source.role != "photo" or found is None or not found[2].width_px:
                continue
            ppi = _ppi(found[2], item)
            if ppi < MIN_PRINT_PPI and ppi < coarsest.get(item.path, (math.inf,))[0]:
                coarsest[item.path] = (ppi, page.number, item)
    root = laid_out.edition.root
    for path, (ppi, number, item) in coarsest.items():
        article, index, photo = photos[path]
        left, top, right, bottom = item.crop
        # The photo's whole width that gives its visible part MIN_PRINT_PPI at the width it prints
        # (and its height, when the height is what falls short).
        inches_w, inches_h = item.box.w / POINTS_PER_INCH, item.box.h / POINTS_PER_INCH
        need_w = max(math.ceil(MIN_PRINT_PPI * inches_w / (right - left)),
                     math.ceil(MIN_PRINT_PPI * inches_h / (bottom - top) * photo.width_px / photo.height_px))
        log.warn(file_label(article.source_file, root), f"images[{index}]",
                 f"photo '{file_label(photo.path, folder_of(article, root))}' prints at {ppi:.0f} ppi on page {number} "
                 f"({photo.width_px}×{photo.height_px} px, {item.box.w / POINTS_PER_INCH * 25.4:.0f} mm wide): "
                 f"under {MIN_PRINT_PPI} ppi it prints soft on newsprint",
                 f"supply the photo at least {need_w} px wide, or print it smaller (a lower priority or fewer columns)")


def _ppi(photo: Photo, item: ImageItem) -> float:
    """Pixels per inch of the photo's visible part as drawn: the lower of across and down."""
    left, top, right, bottom = item.crop
    across = photo.width_px * (right - left) / (item.box.w / POINTS_PER_INCH)
    down = photo.height_px * (bottom - top) / (item.box.h / POINTS_PER_INCH)
    return min(across, down)
