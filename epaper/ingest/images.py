"""Image references: a sane path inside the edition folder, present, an image that decodes fully, in
a mode the pipeline prints faithfully, and not a decompression bomb.

Articles and ads share these checks. Results are cached per resolved file, because one photo is often
used by several articles (and by a desk re-validating the same folder in one process).
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from epaper.ingest.problems import quote, suggest
from epaper.model import ORIENTATION_TAG, QUARTER_TURNS

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

MAX_PATH_CHARS = 1000  # an image path: far more than any real folder layout needs
MAX_NAME_BYTES = 255  # one file or folder name (the limit of every common file system)
MAX_PIXELS = 60_000_000  # a 60-megapixel photo is already larger than any camera's output a desk sends

# Modes Pillow converts to RGB faithfully (what the page renderer and the web photos do). 16-bit
# greyscale would clip to white and 32-bit float to black, so those are refused with a fix.
_PRINTABLE_MODES = frozenset({"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr"})
_MODE_NAMES = {"I;16": "16-bit greyscale", "I;16B": "16-bit greyscale", "I;16L": "16-bit greyscale",
               "I;16N": "16-bit greyscale", "I": "32-bit integer", "F": "32-bit floating-point",
               "LAB": "Lab colour", "HSV": "HSV colour"}


def check_image_ref(root: Path, src: str) -> ImageCheck:
    """Resolve ``src`` (relative to the edition folder ``root``) and check it is a usable image."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", src, re.IGNORECASE):
        return ImageCheck(message=f"{quote(src)} is a web address; images are not downloaded", fix=_IMAGES_FIX)
    bad_path = _path_problem(src)
    if bad_path:
        return ImageCheck(message=f"image path {quote(src)} {bad_path}", fix=_IMAGES_FIX)
    try:
        folder = root.resolve()
        # resolve() follows symlinks, so a link inside images/ that points at /etc/... is caught here too.
        path = (folder / src).resolve()
        if not path.is_relative_to(folder):
            return ImageCheck(message=f"{quote(src)} is outside the edition folder", fix=_IMAGES_FIX)
        if not path.exists():
            return ImageCheck(message=f"image {quote(src)} does not exist{_near_name(src, folder / src)}",
                              fix="check the file name (it is case-sensitive) or add the image to the folder")
        if not path.is_file():
            return ImageCheck(message=f"{quote(src)} is not a file", fix="give the path of an image file")
        stat = path.stat()
    except RuntimeError:  # Python 3.11's resolve() raises this for a symlink loop (3.13: OSError ELOOP)
        return ImageCheck(message=f"image {quote(src)} is a symbolic link that loops back on itself",
                          fix="replace the link with the image file")
    except OSError as exc:
        return ImageCheck(message=f"image {quote(src)} cannot be opened ({exc.strerror or exc})",
                          fix="check the path and the file's permissions")
    return _inspect(path, src, stat.st_size, stat.st_mtime_ns)


# How alike (difflib's ratio) a file's name must be to the one given to be suggested: a letter
# left out or swapped ('en-wn-clok.jpg', 0.97), not any name with the same extension ('ab.jpg' and
# 'cd.jpg' are 0.67 alike).
_NEAR_NAME = 0.8


def _near_name(src: str, path: Path) -> str:
    """' (did you mean 'images/en-wn-clock.jpg'?)' when the folder ``src`` names holds a file of a
    near-identical name (or the same name in other case), shown as ``src`` writes its folder; else "".
    ``path``: the edition folder joined with ``src``, not resolved (the folder as named, not a link's)."""
    try:
        names = [entry.name for entry in os.scandir(path.parent)
                 if not entry.name.startswith(".") and entry.is_file()]
    except OSError:  # the folder is not there either (or cannot be read): nothing to suggest
        return ""
    folder, slash, _ = src.replace("\\", "/").rpartition("/")
    return suggest(path.name, names, cutoff=_NEAR_NAME, shown_in=folder + slash)


def _path_problem(src: str) -> str:
    """What makes ``src`` unusable as a path on any system, or ""."""
    control = next((char for char in src if ord(char) < 32 or 0x7F <= ord(char) <= 0x9F), None)
    if control is not None:
        return f"holds a control character (U+{ord(control):04X})"
    if any(0xD800 <= ord(char) <= 0xDFFF for char in src):
        return "holds half of a character (a lone UTF-16 surrogate)"
    if len(src) > MAX_PATH_CHARS:
        return f"is {len(src):,} characters long (at most {MAX_PATH_CHARS:,})"
    for part in src.replace("\\", "/").split("/"):
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            return f"has a file or folder name longer than {MAX_NAME_BYTES} bytes"
    return ""



@lru_cache(maxsize=4096)
def _inspect(path: Path, src: str, _size: int, _mtime_ns: int) -> ImageCheck:
    """Open and verify the file; size and mtime are part of the cache key so edits are noticed."""
    not_image_fix = "replace it with a JPEG or PNG file"
    shown = quote(src)
    too_large_fix = "resize it to at most a few thousand pixels on the longer side"
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit; for a newsroom tool an image
            # that large is an error either way (a 100-megapixel photo would stall the build).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()  # must come straight after opening; the image is unusable after it
            with Image.open(path) as image:
                width, height = image.size
                mode = image.mode
                if width * height > MAX_PIXELS:
                    return ImageCheck(message=f"image {shown} is too large ({width}x{height}, "
                                              f"{width * height / 1e6:.0f} megapixels; at most {MAX_PIXELS // 1_000_000})",
                                      fix=too_large_fix)
                # A camera's rotation tag: the photo is shown turned, so its shape is the turned one.
                if image.getexif().get(ORIENTATION_TAG, 1) in QUARTER_TURNS:
                    width, height = height, width
                # verify() checks a PNG's chunks but not that a JPEG's data is all there: decode it
                # fully, as the build will ("image file is truncated" must be said here, not crash there).
                # A JPEG at an eighth of its size (draft): the decoder still reads every byte of the
                # data, and skips most of the work of making pixels nobody looks at here.
                image.draft(None, (1, 1))
                image.load()
                transparent = _has_transparency(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return ImageCheck(message=f"image {shown} is too large ({_megapixels(str(exc))} megapixels)",
                          fix=too_large_fix)
    except UnidentifiedImageError:
        return ImageCheck(message=f"{shown} is not an image Pillow can read", fix=not_image_fix)
    except Exception as exc:  # noqa: BLE001 - truncated and corrupt files raise many kinds of error
        return ImageCheck(message=f"image {shown} is damaged ({exc.__class__.__name__}: {exc})",
                          fix=not_image_fix)
    if width < 1 or height < 1:
        return ImageCheck(message=f"image {shown} has no pixels ({width}x{height})", fix=not_image_fix)
    if mode not in _PRINTABLE_MODES:
        kind = _MODE_NAMES.get(mode, f"in Pillow mode {mode}")
        return ImageCheck(message=f"image {shown} is {kind}, which would not print as it looks",
                          fix="save it as an 8-bit JPEG or PNG (RGB or greyscale)")
    if transparent:
        return ImageCheck(message=f"image {shown} has transparent areas, which would print in whatever "
                                  "colour lies under them (usually black)",
                          fix="flatten it onto white in an image editor, or save it as a JPEG")
    return ImageCheck(path=path, width_px=width, height_px=height)


def _has_transparency(image: Image.Image) -> bool:
    """Whether any pixel is not fully opaque. The page renderer and the web photos drop the alpha
    channel (a page has no transparency), so such pixels would show their hidden colour."""
    if image.mode not in ("LA", "La", "PA", "RGBA", "RGBa") and "transparency" not in image.info:
        return False
    extrema = image.convert("RGBA").getchannel("A").getextrema()  # one band: (low, high)
    return isinstance(extrema[0], (int, float)) and extrema[0] < 255


def _megapixels(message: str) -> str:
    match = re.search(r"\((\d+) pixels\)", message)
    if not match:
        return "over 89"
    megapixels = int(match.group(1)) / 1e6
    return f"{megapixels:.0f}" if megapixels >= 10 else f"{megapixels:.1f}"
