"""What a page is drawn for: a screen (reader PDFs, RGB) or a print plant (CMYK, PDF/X).

The renderer stays the same for both; a target only says which colour to set for a colour of the
page frame, how a photo is encoded, whether links are drawn, and how much media the page needs
beyond its bleed (for crop and registration marks).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageOps
from reportlab.lib.colors import CMYKColor, Color

from epaper.cache import file_digest
from epaper.formats.printing import PrintSpec
from epaper.frame import Color as FrameColor
from epaper.model import ORIENTATION_TAG, QUARTER_TURNS
from epaper.render.cmyk import conversion
from epaper.render.source_colour import in_srgb

__all__ = ["PRINT_DPI", "PrintTarget", "SCREEN", "ScreenTarget", "visible_photo"]

PRINT_DPI = 200  # photos are downsampled to this resolution at their printed size
JPEG_QUALITY = 80
# A grey rule finer than FINE_RULE points is printed in solid black ink, FINEST_RULE wide at least:
# the plate screens a grey into dots, and a 0.4 pt rule of 31 % K printed as a broken line (an
# outside print audit). Solid, as wide as its ink on screen (width × darkness), but no finer than
# a newsprint plate holds.
FINE_RULE = 1.0
FINEST_RULE = 0.25


def visible_photo(path: str, crop: tuple[float, float, float, float], width_pt: float, height_pt: float) -> Image.Image:
    """The visible part of a photo at print resolution (shared by the screen and print targets:
    cached by the file's bytes too, so a photo replaced under its name is read again)."""
    return _visible_photo(path, file_digest(path), crop, width_pt, height_pt)


@lru_cache(maxsize=64)
def _visible_photo(path: str, _content: str, crop: tuple[float, float, float, float], width_pt: float,
                   height_pt: float) -> Image.Image:
    target = (max(1, round(width_pt / 72 * PRINT_DPI)), max(1, round(height_pt / 72 * PRINT_DPI)))
    with Image.open(path) as im:
        _decode_no_larger_than_needed(im, crop, target)
        im = ImageOps.exif_transpose(im)  # as the camera meant it (layout measured it so)
        im = in_srgb(im)  # the colours its profile means (the targets take sRGB)
        if im.mode not in ("RGB", "L"):
            im = im.convert("RGB")
        w, h = im.size
        box = (round(crop[0] * w), round(crop[1] * h), round(crop[2] * w), round(crop[3] * h))
        im = im.crop(box)
        if im.width > target[0]:
            im = im.resize(target, Image.Resampling.LANCZOS)
        im.load()
        return im


def _decode_no_larger_than_needed(image: Image.Image, crop: tuple[float, float, float, float],
                                  target: tuple[int, int]) -> None:
    """Have a JPEG decoded at the smallest of its 1/2, 1/4 and 1/8 scales whose ``crop`` (fractions
    of the shown image) still covers ``target`` pixels: the decoder scales while decoding, so a
    camera's 6000 px photo printed one to three columns wide is decoded, turned, cropped and
    resampled at an eighth or a quarter of its width (90-180 ms instead of 430-460; the pixels
    printed differ by under one level on average, the final resample being the same). Other
    formats are left as they are."""
    turned = image.format == "JPEG" and image.getexif().get(ORIENTATION_TAG, 1) in QUARTER_TURNS
    shown_w, shown_h = (image.height, image.width) if turned else image.size
    crop_w, crop_h = (crop[2] - crop[0]) * shown_w, (crop[3] - crop[1]) * shown_h
    if crop_w <= 0 or crop_h <= 0:
        return
    scale = max(target[0] / crop_w, target[1] / crop_h)
    if scale >= 1:
        return
    # One pixel over: the crop box is rounded to whole pixels of the decoded image.
    wanted = (math.ceil(shown_w * scale) + 1, math.ceil(shown_h * scale) + 1)
    image.draft(None, (wanted[1], wanted[0]) if turned else wanted)  # a no-op for all but JPEG


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


@lru_cache(maxsize=1024)
def _print_ink(profile, tac: float, color: FrameColor) -> Color:
    return CMYKColor(*conversion(profile, tac).ink(color))


@dataclass(frozen=True)
class ScreenTarget:
    """Reader PDFs: the frame's RGB colours as they are, photos as RGB JPEG, working links."""

    slug: float = 0.0
    links: bool = True
    marks: bool = False

    def ink(self, color: FrameColor) -> Color:
        return Color(*color)

    def rule(self, width: float, color: FrameColor) -> tuple[float, Color]:
        """A rule's width and colour: as the frame has them."""
        return width, self.ink(color)

    def photo(self, image: Image.Image) -> bytes:
        return _jpeg(image.convert("RGB"))


@dataclass(frozen=True)
class PrintTarget:
    """The plant's PDF/X: every colour and photo in the output profile's CMYK, no links (PDF/X allows
    no annotations on the page), the media widened by a slug when marks are asked for."""

    spec: PrintSpec

    @property
    def slug(self) -> float:
        return self.spec.slug

    @property
    def links(self) -> bool:
        return False

    @property
    def marks(self) -> bool:
        return self.spec.marks

    def ink(self, color: FrameColor) -> Color:
        return _print_ink(self.spec.profile, self.spec.tac, tuple(color))

    def rule(self, width: float, color: FrameColor) -> tuple[float, Color]:
        """A rule's width and colour on the plate: a fine grey one solid K (see FINE_RULE)."""
        ink = self.ink(color)
        c, m, y, k = ink.cyan, ink.magenta, ink.yellow, ink.black
        if width >= FINE_RULE or c or m or y or not 0 < k < 1:
            return width, ink
        return max(FINEST_RULE, width * k), CMYKColor(0, 0, 0, 1)

    def photo(self, image: Image.Image) -> bytes:
        # Greyscale photos come back as L and embed as DeviceGray: K only on the plate.
        return _jpeg(conversion(self.spec.profile, self.spec.tac).photo(image))


SCREEN = ScreenTarget()
