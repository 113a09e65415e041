"""Photos in the colours their files mean: an embedded ICC profile is honoured.

Everything after a photo is opened assumes sRGB: the reader PDFs and web images show it as it is,
and the plant's separation starts from sRGB (:mod:`epaper.render.cmyk`). A camera's Adobe RGB, an
agency's ProPhoto RGB or a press CMYK file read as sRGB prints and shows wrong (an outside print
audit: a ProPhoto photo printed duller, magenta +10 and black +19 of 255). So a photo whose file
carries a profile is converted from it to sRGB first (relative colorimetric, as a browser shows it:
a press profile's perceptual tables read a CMYK file back a fifth darker; LittleCMS via Pillow). One
without a profile is sRGB, as a browser takes it. An sRGB profile, or one LittleCMS cannot read, is
left as it is: the photo is then read as sRGB, as before.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache

from PIL import Image, ImageCms

__all__ = ["in_srgb"]

# The colour spaces a profile may declare (its header), for the image modes that carry them.
_MODES = {"RGB ": "RGB", "CMYK": "CMYK"}


def in_srgb(image: Image.Image) -> Image.Image:
    """``image`` in sRGB: converted from its embedded ICC profile to RGB when it has one that is not
    sRGB and matches its mode (RGB or CMYK); else ``image`` itself."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in _MODES.values():
        return image
    transform = _to_srgb(bytes(icc), image.mode)
    if transform is None:
        return image
    converted = ImageCms.applyTransform(image, transform)
    return image if converted is None else converted  # (None only when asked to convert in place)


@lru_cache(maxsize=16)
def _to_srgb(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (OSError, ImageCms.PyCMSError):
        return None  # not a profile LittleCMS reads: the photo is taken as sRGB
    header = source.profile
    if _MODES.get(header.xcolor_space) != mode or "srgb" in (header.profile_description or "").casefold():
        return None
    try:
        return ImageCms.buildTransform(source, ImageCms.createProfile("sRGB"), mode, "RGB",
                                       renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    except ImageCms.PyCMSError:
        return None


# A forked process builds its own transforms (as epaper.render.cmyk's conversions do: LittleCMS
# objects are not carried across a fork).
os.register_at_fork(after_in_child=_to_srgb.cache_clear)
