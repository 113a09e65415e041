"""Image references: inside the edition folder, present, a real image, and not a decompression bomb.

Articles and ads share these checks. Results are cached per resolved file, because one photo is often
used by several articles (and by a desk re-validating the same folder in one process).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

__all__ = ["ImageCheck", "check_image_ref"]


@dataclass(frozen=True)
class ImageCheck:
    """Either a usable image (``path`` resolved, pixel size known) or what is wrong with it."""

    path: Path | None = None
    width_px: int = 0
    height_px: int = 0
    message: str = ""
    fix: str = ""

    @property
    def ok(self) -> bool:
        return not self.message


_IMAGES_FIX = "put the image in the edition folder (e.g. images/) and give its path relative to the folder"


def check_image_ref(root: Path, src: str) -> ImageCheck:
    """Resolve ``src`` (relative to the edition folder ``root``) and check it is a usable image."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", src, re.IGNORECASE):
        return ImageCheck(message=f"'{src}' is a web address; images are not downloaded", fix=_IMAGES_FIX)
    folder = root.resolve()
    # resolve() follows symlinks, so a link inside images/ that points at /etc/... is caught here too.
    path = (folder / src).resolve()
    if not path.is_relative_to(folder):
        return ImageCheck(message=f"'{src}' is outside the edition folder", fix=_IMAGES_FIX)
    if not path.exists():
        return ImageCheck(message=f"image '{src}' does not exist",
                          fix="check the file name (it is case-sensitive) or add the image to the folder")
    if not path.is_file():
        return ImageCheck(message=f"'{src}' is not a file", fix="give the path of an image file")
    stat = path.stat()
    return _inspect(path, src, stat.st_size, stat.st_mtime_ns)


ORIENTATION_TAG = 0x0112
QUARTER_TURNS = {5, 6, 7, 8}  # EXIF orientations that swap width and height


@lru_cache(maxsize=4096)
def _inspect(path: Path, src: str, _size: int, _mtime_ns: int) -> ImageCheck:
    """Open and verify the file; size and mtime are part of the cache key so edits are noticed."""
    not_image_fix = "replace it with a JPEG or PNG file"
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; for a newsroom tool an image
            # that large is an error either way (a 100-megapixel photo would stall the build).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()  # must come straight after opening; the image is unusable after it
            with Image.open(path) as image:
                width, height = image.size
                # A camera's rotation tag: the photo is shown turned, so its shape is the turned one.
                if image.getexif().get(ORIENTATION_TAG, 1) in QUARTER_TURNS:
                    width, height = height, width
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return ImageCheck(message=f"image '{src}' is too large ({_megapixels(str(exc))} megapixels)",
                          fix="resize it to at most a few thousand pixels on the longer side")
    except UnidentifiedImageError:
        return ImageCheck(message=f"'{src}' is not an image Pillow can read", fix=not_image_fix)
    except Exception as exc:  # noqa: BLE001 - truncated and corrupt files raise many kinds of error
        return ImageCheck(message=f"image '{src}' is damaged ({exc.__class__.__name__}: {exc})",
                          fix=not_image_fix)
    if width < 1 or height < 1:
        return ImageCheck(message=f"image '{src}' has no pixels ({width}x{height})", fix=not_image_fix)
    return ImageCheck(path=path, width_px=width, height_px=height)


def _megapixels(message: str) -> str:
    match = re.search(r"\((\d+) pixels\)", message)
    if not match:
        return "over 89"
    megapixels = int(match.group(1)) / 1e6
    return f"{megapixels:.0f}" if megapixels >= 10 else f"{megapixels:.1f}"
