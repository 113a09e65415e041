"""Render one print-PDF page to pixels with pypdfium2, cropped to the trimmed page.

Readers must see exactly what was printed, so the viewer's images come from the PDF itself, never
from a second drawing of the page IR. The crop to the TrimBox makes pixel (0, 0) the same corner as
the IR's origin (top-left of the trimmed page), so article boxes convert to pixels by one scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

__all__ = ["RenderedPage", "render_page"]


@dataclass(frozen=True)
class RenderedPage:
    image: Image.Image  # at ``dpi``, mode RGBX (shares pdfium's bitmap buffer)
    points: tuple[float, float]  # trimmed page size in PDF points
    dpi: float
    # The page rendered again at each width asked for: pdfium draws a 1600 px page in a third of the
    # time a good resample of the full raster takes, and the vector render is sharper.
    at_widths: dict[int, Image.Image]


def render_page(pdf_path: Path, *, dpi: float, widths: tuple[int, ...] = (), page_index: int = 0) -> RenderedPage:
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[page_index]
        try:
            media = page.get_mediabox()
            trim = page.get_trimbox()  # pdfium falls back to the CropBox when no TrimBox is set
            left, bottom, right, top = trim
            crop = (
                max(0.0, left - media[0]),
                max(0.0, bottom - media[1]),
                max(0.0, media[2] - right),
                max(0.0, media[3] - top),
            )
            points = (right - left, top - bottom)

            def render(scale: float) -> Image.Image:
                # Link annotations (jump lines) are invisible; forms never appear in a newspaper.
                # RGBX is the one colour layout Pillow maps without a copy (RGB would be unpacked
                # from BGR into a fresh image: ~30 ms a page at 200 dpi), and JPEG encoding, crop and
                # reduce() read RGBX directly. The buffer is pdfium's own (``new_foreign``: no
                # 45 MB zero-filled ctypes array first, ~12 ms), so the image must keep the bitmap
                # alive: it holds it in an attribute, and the bitmap is freed with the image.
                bitmap = page.render(scale=scale, crop=crop, may_draw_forms=False, rev_byteorder=True,
                                     prefer_bgrx=True, bitmap_maker=pdfium.PdfBitmap.new_foreign)
                image = bitmap.to_pil()
                image._pdfium_bitmap = bitmap  # type: ignore[attr-defined]
                return image

            image = render(dpi / 72.0)
            at_widths = {width: render(width / points[0]) for width in widths if width < image.width}
            return RenderedPage(image=image, points=points, dpi=dpi, at_widths=at_widths)
        finally:
            page.close()
    finally:
        document.close()
