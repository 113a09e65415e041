"""Render one print-PDF page to pixels with pypdfium2, cropped to the trimmed page.

Readers must see exactly what was printed, so the viewer's images come from the PDF itself, never
from a second drawing of the page IR. The crop to the TrimBox makes pixel (0, 0) the same corner as
the IR's origin (top-left of the trimmed page), so article boxes convert to pixels by one scale.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

__all__ = ["RenderBuffers", "RenderedPage", "render_page"]


@dataclass
class RenderBuffers:
    """Pixel buffers one worker reuses from page to page (one per render size slot).

    A fresh 43 MB bitmap per page costs ~15-20 ms of page faults and white fill before pdfium draws
    a thing; reusing the memory of the previous page skips the faults. The price: an image rendered
    into these buffers is only valid until the next :func:`render_page` call with the same buffers,
    so a caller must finish with a page (write everything derived from it) before the next one.
    Not for sharing between threads. Rendered into these, an image holds no pdfium object: once
    :func:`render_page` returns, another thread may call pdfium while this one encodes the image.
    """

    _buffers: dict[int, ctypes.Array] = field(default_factory=dict)

    def maker(self, slot: int):
        def make(width: int, height: int, format: int, rev_byteorder: bool = False) -> pdfium.PdfBitmap:
            size = width * height * 4  # RGBX: 4 bytes a pixel, rows packed
            buffer = self._buffers.get(slot)
            if buffer is None or len(buffer) < size:
                buffer = self._buffers[slot] = (ctypes.c_ubyte * size)()
            return pdfium.PdfBitmap.new_native(width, height, format, rev_byteorder=rev_byteorder, buffer=buffer,
                                               stride=width * 4)

        return make


@dataclass(frozen=True)
class RenderedPage:
    image: Image.Image  # at ``dpi``, mode RGBX (shares pdfium's bitmap buffer)
    points: tuple[float, float]  # trimmed page size in PDF points
    dpi: float
    # The page rendered again at each width asked for: pdfium draws a 1600 px page in a third of the
    # time a good resample of the full raster takes, and the vector render is sharper.
    at_widths: dict[int, Image.Image]


def render_page(pdf_path: Path, *, dpi: float, widths: tuple[int, ...] = (), page_index: int = 0,
                buffers: RenderBuffers | None = None) -> RenderedPage:
    """Render page ``page_index`` at ``dpi`` (and at each of ``widths`` px), as RGBX images.

    With ``buffers`` the images live in those reused buffers (see :class:`RenderBuffers`).
    """
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        page = document[page_index]
        try:
            # Cropped from what pdfium draws, the CropBox (the MediaBox when there is none; a reader
            # PDF's is its TrimBox already), to the TrimBox.
            media = page.get_cropbox()
            trim = page.get_trimbox()  # pdfium falls back to the CropBox when no TrimBox is set
            left, bottom, right, top = trim
            crop = (
                max(0.0, left - media[0]),
                max(0.0, bottom - media[1]),
                max(0.0, media[2] - right),
                max(0.0, media[3] - top),
            )
            points = (right - left, top - bottom)

            def render(scale: float, slot: int) -> Image.Image:
                # Link annotations (jump lines) are invisible; forms never appear in a newspaper.
                # RGBX is the one colour layout Pillow maps without a copy (RGB would be unpacked
                # from BGR into a fresh image: ~30 ms a page at 200 dpi), and JPEG encoding, crop and
                # reduce() read RGBX directly. Without reusable buffers the bitmap is pdfium's own
                # (``new_foreign``: no zero-filled ctypes array first), so the image holds the bitmap
                # in an attribute to keep its memory alive; it is freed with the image.
                maker = buffers.maker(slot) if buffers is not None else pdfium.PdfBitmap.new_foreign
                bitmap = page.render(scale=scale, crop=crop, may_draw_forms=False, rev_byteorder=True,
                                     prefer_bgrx=True, bitmap_maker=maker)
                image = bitmap.to_pil()
                if buffers is not None:
                    # The memory is the buffers' (pdfium only drew into it): its bitmap is let go
                    # here, in pdfium's thread, not whenever the image is collected.
                    bitmap.close()
                else:
                    image._pdfium_bitmap = bitmap  # type: ignore[attr-defined]
                return image

            image = render(dpi / 72.0, 0)
            at_widths = {width: render(width / points[0], slot)
                         for slot, width in enumerate(widths, start=1) if width < image.width}
            return RenderedPage(image=image, points=points, dpi=dpi, at_widths=at_widths)
        finally:
            page.close()
    finally:
        document.close()
