"""RGB to the plant's CMYK: page colours and photos through the output profile (LittleCMS via Pillow).

The rules a newspaper plant expects:

* pure black (type, rules, furniture) is 100 % K and nothing else: rich black on type misregisters
  on a web press and makes text fuzzy;
* neutral greys (rules, tints, greyscale photos) are K only too, at the K that prints the same
  lightness as the grey on screen (the profile's K-only tone curve, with black point compensation);
* other colours go through the profile (relative colorimetric for flat colours, perceptual for photos);
* no pixel of a photo carries more ink than the format's total area coverage limit (TAC). Photos
  are separated through a 3D table (Pillow's ``Color3DLUT``, 33 points a side) sampled from the
  profile's perceptual transform; a table entry over the limit (a plant profile built for a higher
  one, or interpolation between the profile's own table points) has its C, M and Y taken down in
  proportion, keeping K, which carries the detail. Every pixel is then interpolated between
  entries under the limit, and so is itself under it: no pass over the pixels is needed to check.
"""

from __future__ import annotations

from bisect import bisect_left
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageFilter

__all__ = ["Cmyk", "CmykConversion", "conversion", "is_grey", "total_area_coverage"]

Cmyk = tuple[float, float, float, float]  # 0..1 each
BLACK: Cmyk = (0.0, 0.0, 0.0, 1.0)
# A photo is greyscale when no pixel of it is further than this from neutral (JPEG noise in a
# scanned black-and-white photo stays well under it).
GREY_TOLERANCE = 6
# JPEG's quantisation can lift a pixel's total a few per cent above what was encoded: photos are
# held to the limit less this margin, so what the plant decodes stays under the limit.
JPEG_MARGIN = 0.06
LUT_SIZE = 33  # points a side of the photo separation table (as LittleCMS's own precalculated tables)
# Transforms applied to a few pixels (a page's flat colours, 256-level ramps) are evaluated through
# the profiles as they are: LittleCMS's default precalculates a device link table first, which took
# ~50 ms a transform, ~0.11 s of every process that draws a print page (a replate's whole page took
# ~0.4 s), for colours that then differed from the exact ones by interpolation (a level at most).
FEW_PIXELS = ImageCms.Flags.NOOPTIMIZE


def _neutral(rgb: np.ndarray) -> bool:
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    return all(int(np.abs(p - q).max()) <= GREY_TOLERANCE for p, q in ((r, g), (g, b), (r, b)))


def is_grey(image: Image.Image) -> bool:
    """Whether ``image`` has no colour: a greyscale mode, or RGB with every pixel (nearly) neutral."""
    if image.mode in ("1", "L", "LA", "I", "I;16", "F"):
        return True
    rgb = np.asarray(image.convert("RGB"))
    # Every fourth pixel first: a colour photo shows its colour there, and only a grey one is read whole.
    return _neutral(rgb[::4, ::4]) and _neutral(rgb)


def _held(inks: np.ndarray, limit: float) -> np.ndarray:
    """CMYK values (0..255, last axis C, M, Y, K) with C, M and Y cut in proportion wherever the
    total exceeds ``limit`` (a fraction of one ink), K kept."""
    inks = inks.astype(np.float32)
    total = inks.sum(axis=-1)
    cmy = inks[..., :3].sum(axis=-1)
    excess = np.clip(total - limit * 255, 0.0, cmy)
    keep = (cmy - excess) / np.maximum(cmy, 1.0)  # the share of C, M and Y kept
    inks[..., :3] *= keep[..., None]
    return inks


def total_area_coverage(image: Image.Image) -> float:
    """The largest C+M+Y+K of any pixel of a CMYK image, as a fraction of one ink (2.4 = 240 %)."""
    inks = np.asarray(image)
    total = inks[..., 0].astype(np.uint16) + inks[..., 1] + inks[..., 2] + inks[..., 3]  # 5x numpy's sum(axis=2)
    return int(total.max()) / 255


@dataclass(frozen=True)
class CmykConversion:
    """Conversions to one output profile at one ink limit. Build with :func:`conversion` (cached)."""

    profile: Path
    tac: float

    @cached_property
    def _icc(self) -> ImageCms.ImageCmsProfile:
        return ImageCms.getOpenProfile(str(self.profile))

    @cached_property
    def _photo_transform(self) -> ImageCms.ImageCmsTransform:
        return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), self._icc, "RGB", "CMYK",
                                       renderingIntent=ImageCms.Intent.PERCEPTUAL)

    @cached_property
    def photo_table(self) -> np.ndarray:
        """The photo separation table: C, M, Y, K (0..255) at each of LUT_SIZE³ sRGB points, red
        varying fastest, every entry held to the ink limit less the JPEG margin."""
        axis = np.linspace(0, 255, LUT_SIZE).round().astype(np.uint8)
        b, g, r = np.meshgrid(axis, axis, axis, indexing="ij")
        points = Image.fromarray(np.stack([r, g, b], axis=-1).reshape(1, -1, 3), "RGB")
        inks = np.asarray(self._photo_transform.apply(points)).reshape(-1, 4)
        return _held(inks, self.tac - JPEG_MARGIN)

    @cached_property
    def _photo_lut(self) -> ImageFilter.Color3DLUT:
        return ImageFilter.Color3DLUT(LUT_SIZE, self.photo_table / 255, channels=4, target_mode="CMYK")

    @cached_property
    def _flat_transform(self) -> ImageCms.ImageCmsTransform:
        return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), self._icc, "RGB", "CMYK",
                                       renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=FEW_PIXELS)

    @cached_property
    def grey_to_k(self) -> tuple[int, ...]:
        """For each 8-bit grey level (0 black .. 255 white) the K level (0 none .. 255 solid) that
        prints it: the lightness of the grey in sRGB, black point compensated to the darkest K the
        profile prints, found on the profile's K-only tone curve."""
        lab = ImageCms.createProfile("LAB")
        k_ramp = Image.frombytes("CMYK", (256, 1), bytes(v for k in range(256) for v in (0, 0, 0, k)))
        to_lab = ImageCms.buildTransform(self._icc, lab, "CMYK", "LAB",
                                         renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=FEW_PIXELS)
        k_lightness = list(to_lab.apply(k_ramp).getchannel("L").tobytes())  # falls with k
        grey_ramp = Image.frombytes("RGB", (256, 1), bytes(v for g in range(256) for v in (g, g, g)))
        srgb_to_lab = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), lab, "RGB", "LAB", flags=FEW_PIXELS)
        grey_lightness = list(srgb_to_lab.apply(grey_ramp).getchannel("L").tobytes())
        darkest, paper = k_lightness[-1], k_lightness[0]
        rising = k_lightness[::-1]  # lightness by 255 - k, rising, for bisect
        table = []
        for level in grey_lightness:
            wanted = darkest + (paper - darkest) * level / 255
            index = min(bisect_left(rising, wanted), 255)
            table.append(255 - index)
        table[0], table[255] = 255, 0  # black is solid K, white is no ink, exactly
        return tuple(table)

    def ink(self, rgb: tuple[float, float, float]) -> Cmyk:
        """A flat colour of the page (text, rule, tint) as CMYK."""
        if max(rgb) <= 0.0:
            return BLACK
        levels = tuple(round(min(max(v, 0.0), 1.0) * 255) for v in rgb)
        if max(levels) - min(levels) <= 1:
            return (0.0, 0.0, 0.0, self.grey_to_k[round(sum(levels) / 3)] / 255)
        pixel = self._hold_to_limit(self._flat_transform.apply(Image.new("RGB", (1, 1), levels)), self.tac)
        c, m, y, k = (int(v) / 255 for v in np.asarray(pixel)[0, 0])
        return (c, m, y, k)

    def photo(self, image: Image.Image) -> Image.Image:
        """A photo for the plate: ``L`` (to print as K only; 0 = solid K) when it has no colour, else
        ``CMYK`` through the profile, held under the ink limit."""
        if is_grey(image):
            grey = image.convert("L")
            # In the PDF the image is DeviceGray, which prints on K alone as 1 - grey.
            return grey.point([255 - k for k in self.grey_to_k])
        return image.convert("RGB").filter(self._photo_lut)

    @staticmethod
    def _hold_to_limit(cmyk: Image.Image, limit: float) -> Image.Image:
        """``cmyk`` with every pixel held to ``limit`` (rounded down, so rounding cannot lift a
        pixel back over it)."""
        if total_area_coverage(cmyk) <= limit:
            return cmyk
        return Image.fromarray(np.floor(_held(np.asarray(cmyk), limit)).astype(np.uint8), "CMYK")


# The conversions made in this process, by profile and ink limit. A forked process keeps their
# tables (data: the grey ramp, the photo table) but not their LittleCMS objects (see below).
_CONVERSIONS: dict[tuple[Path, float], CmykConversion] = {}
_LITTLECMS_OBJECTS = ("_icc", "_photo_transform", "_flat_transform")


def conversion(profile: Path, tac: float) -> CmykConversion:
    """The (cached) conversion to ``profile`` at ink limit ``tac``: its transforms are built once a process."""
    found = _CONVERSIONS.get((profile, tac))
    if found is None:
        found = _CONVERSIONS[(profile, tac)] = CmykConversion(profile, tac)
    return found


def _drop_littlecms_objects() -> None:
    for kept in _CONVERSIONS.values():
        for name in _LITTLECMS_OBJECTS:
            kept.__dict__.pop(name, None)


# A process forked from one that has used LittleCMS builds its own transforms rather than use the
# parent's half-built ones: a forked drawing worker once failed "cannot build transform" (in a full
# test run, not reproduced alone; the cause is not proven). What the parent worked out with them is
# plain data and kept: the grey ramp and inks a warm process (epaper.warm) worked out are not worked
# out again by each command it runs.
os.register_at_fork(after_in_child=_drop_littlecms_objects)
