"""Drawing a laid-out page into a PDF with ReportLab. Drawing stays trivial: no measuring, no breaking.

This is the only place coordinates flip: the IR's top-left, y-down page space becomes PDF's
bottom-left, y-up space, shifted by the bleed so the MediaBox includes it and the TrimBox is the page.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from epaper.cache import file_digest
from epaper.frame import Box, FillRect, FontRef, ImageItem, LinkArea, Page, Rule, TextRun
from epaper.render._reportlab_compat import JpegPhoto, draw_plain, draw_shaped
from epaper.truetype import loaded_ttfont
from epaper.render.marks import draw_marks
from epaper.render.targets import PRINT_DPI, SCREEN, PrintTarget, ScreenTarget, visible_photo

__all__ = ["PRINT_DPI", "Target", "known_photos", "pdf_rect", "photo_bytes", "prepare_photos", "registered_font",
           "render_page"]

Target = ScreenTarget | PrintTarget


@lru_cache(maxsize=256)
def _photo_bytes(target: Target, path: str, _content: str, crop: tuple[float, float, float, float], width_pt: float,
                 height_pt: float) -> bytes:
    """The visible part of a photo at print resolution, encoded for ``target`` (JPEG bytes); cached
    by the file's content digest too (``_content``), so a photo replaced under the same name in a
    long-lived process (``epaper watch``) is drawn anew."""
    return target.photo(visible_photo(path, crop, width_pt, height_pt))


def _photo_key(target: Target, item: ImageItem) -> tuple:
    return (target, item.path, file_digest(item.path), item.crop, item.box.w, item.box.h)


_PHOTO_LOCKS: dict[tuple, threading.Lock] = {}
_PHOTO_LOCKS_LOCK = threading.Lock()


_KNOWN_PHOTOS: dict[tuple, bytes] = {}  # photos an earlier process made (known_photos), by _photo's key


def known_photos(found: Mapping[tuple[Target, ImageItem], bytes]) -> None:
    """Take ``found`` as the photos' bytes for their targets (what :func:`photo_bytes` made of them
    in an earlier process, from the build cache): drawn without being decoded and encoded again."""
    if len(_KNOWN_PHOTOS) > 256:  # a long-lived process: those of pages long drawn go
        _KNOWN_PHOTOS.clear()
    _KNOWN_PHOTOS.update({_photo_key(target, item): data for (target, item), data in found.items()})


def photo_bytes(target: Target, item: ImageItem) -> bytes:
    """The bytes the photo ``item`` is drawn with for ``target`` (JPEG)."""
    return _photo(target, item)


def _photo(target: Target, item: ImageItem) -> bytes:
    """:func:`_photo_bytes` of ``item``, made once even when two threads ask at once (the drawing
    and :func:`prepare_photos`): the second waits for the first and takes the cached bytes."""
    key = _photo_key(target, item)
    known = _KNOWN_PHOTOS.get(key)
    if known is not None:
        return known
    with _PHOTO_LOCKS_LOCK:
        lock = _PHOTO_LOCKS.get(key)
        if lock is None:
            if len(_PHOTO_LOCKS) > 4096:  # a long-lived process: locks of photos long drawn go
                _PHOTO_LOCKS.clear()
            lock = _PHOTO_LOCKS[key] = threading.Lock()
    with lock:
        return _photo_bytes(*key)


def prepare_photos(page: Page, targets: Sequence[Target]) -> None:
    """Decode, downsample and encode the page's photos for each of ``targets`` ahead of drawing
    (in a thread of its own beside :func:`render_page`: Pillow does that work without the GIL)."""
    for target in targets:
        for item in page.items:
            if isinstance(item, ImageItem):
                _photo(target, item)


@contextmanager
def _binary_image_streams():
    """Embed photos as plain ``/DCTDecode`` streams, not ASCII85-wrapped (ReportLab's default).

    ASCII85 makes a JPEG 25 % bigger for no benefit in a binary PDF. ReportLab reads the setting
    when the image object is created, i.e. inside ``drawImage``, so it is switched off just there.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def pdf_rect(page: Page, box: Box, slug: float = 0.0) -> tuple[float, float, float, float]:
    """``box`` in the page's PDF space (x0, y0, x1, y1: bottom-left origin, y up, shifted by the
    bleed and by the ``slug`` a print page with marks has outside it): the one place page space
    flips, for the renderer and for links added to its files."""
    edge = page.bleed + slug
    top = edge + page.height
    return (edge + box.x, top - box.bottom, edge + box.right, top - box.y)


def registered_font(font: FontRef) -> str:
    """The font's name in ReportLab, registering its file the first time a document draws with it."""
    if font.pdf_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(loaded_ttfont(font.pdf_name, font.path))
    return font.pdf_name


def render_page(page: Page, path: Path | BinaryIO, *, title: str, author: str, invariant: bool = True,
                page_links: dict[int, str] | None = None, target: Target = SCREEN) -> None:
    """Write ``page`` as a one-page PDF. ``page_links`` maps page numbers to files for jump links;
    ``target`` says whether it is drawn for screens (RGB) or for the plant (CMYK, marks)."""
    fonts = {font.name: registered_font(font) for font in page.fonts}
    bleed, slug = page.bleed, target.slug
    edge = bleed + slug  # from the media's edge to the trimmed page
    media = (page.width + 2 * edge, page.height + 2 * edge)
    # The canvas selects its initial font in every page's preamble: a face the page uses (so it is
    # embedded anyway) instead of ReportLab's default Helvetica, which is never embedded.
    first = next((fonts[item.font] for item in page.items if isinstance(item, TextRun)), None)
    canvas = rl_canvas.Canvas(path if not isinstance(path, Path) else str(path), pagesize=media,
                              invariant=int(invariant), pageCompression=1, initialFontName=first)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    # ReportLab's defaults ("anonymous", "unspecified") would otherwise stand in the file's info.
    canvas.setCreator("epaper")
    canvas.setSubject(page.section)
    trim = (edge, edge, edge + page.width, edge + page.height)
    canvas.setTrimBox(trim)
    canvas.setBleedBox((slug, slug, media[0] - slug, media[1] - slug))

    # pdf_rect's flip for a point, its offsets worked out once (a page places thousands of runs).
    left, top, _, _ = pdf_rect(page, Box(0.0, 0.0, 0.0, 0.0), slug)

    def point(x: float, y: float) -> tuple[float, float]:
        return left + x, top - y

    text = canvas.beginText()
    current: tuple[str, float, tuple] | None = None
    letters = (1.0, 0.0)  # the text state's horizontal scale and character spacing
    for item in page.items:
        if isinstance(item, TextRun):
            font = fonts[item.font]
            key = (font, item.size, item.color)
            if key != current:
                text.setFont(font, item.size)
                text.setFillColor(target.ink(item.color))
                current = key
            if (item.scale, item.char_space) != letters:
                text.setHorizScale(item.scale * 100)
                text.setCharSpace(item.char_space)
                letters = (item.scale, item.char_space)
            text.setTextOrigin(*point(item.x, item.baseline))
            if item.glyphs is not None:
                # The subset font's ToUnicode maps the shaped codes back to item.text, and an
                # /ActualText span carries the exact text (see _reportlab_compat).
                draw_shaped(text, font, item.glyphs, item.size, item.text)
            else:
                draw_plain(text, item.text)  # textOut's operators, faster (see _reportlab_compat)
    for item in page.items:
        if isinstance(item, FillRect):
            b = item.box
            if item.fill is not None:
                canvas.setFillColor(target.ink(item.fill))
            if item.stroke is not None:
                canvas.setStrokeColor(target.ink(item.stroke))
                canvas.setLineWidth(item.stroke_width)
            x0, y0, _, _ = pdf_rect(page, b, slug)
            canvas.rect(x0, y0, b.w, b.h, stroke=int(item.stroke is not None), fill=int(item.fill is not None))
        elif isinstance(item, Rule):
            width, ink = target.rule(item.width, item.color)
            canvas.setStrokeColor(ink)
            canvas.setLineWidth(width)
            canvas.line(*point(item.x1, item.y1), *point(item.x2, item.y2))
        elif isinstance(item, ImageItem):
            b = item.box
            data = _photo(target, item)
            with _binary_image_streams():
                x0, y0, _, _ = pdf_rect(page, b, slug)
                canvas.drawImage(JpegPhoto(data), x0, y0, b.w, b.h)
        elif isinstance(item, LinkArea) and target.links and page_links and item.page in page_links:
            b = item.box
            canvas.linkURL(page_links[item.page], pdf_rect(page, b, slug), relative=0)
    canvas.drawText(text)
    if target.marks:
        draw_marks(canvas, trim, bleed, slug)
    canvas.showPage()
    canvas.save()
