"""Article photos for the text views: downsampled copies (≤ 1200 px, JPEG), refusing decompression bombs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

__all__ = ["ExportedPhoto", "PhotoError", "export_photo"]


class PhotoError(ValueError):
    """A photo that cannot be published; the message names the file and what to do."""


@dataclass(frozen=True)
class ExportedPhoto:
    path: Path
    width: int
    height: int


def _open_decoded(source: Path, max_px: int) -> Image.Image:
    """The photo decoded (at a reduced JPEG scale when that still covers ``max_px``); refuses bombs."""
    limit = Image.MAX_IMAGE_PIXELS  # left at Pillow's default on purpose: it is the bomb guard
    image = None
    try:
        with warnings.catch_warnings():
            # Pillow only *warns* between 1x and 2x the limit; for published photos that is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
            pixels = image.width * image.height
            if limit and pixels > limit:
                raise PhotoError(
                    f"{source}: {image.width}×{image.height} px is over Pillow's {limit:,}-pixel limit, "
                    "refused as a possible decompression bomb; resize the photo below that and rebuild"
                )
            # draft() lets the JPEG decoder scale down by 1/2..1/8 while decoding: much faster.
            image.draft("RGB", (max_px, max_px))
            image.load()
            return image
    except BaseException as error:
        if image is not None:
            image.close()
        if isinstance(error, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
            raise PhotoError(
                f"{source}: refused as a possible decompression bomb ({error}); resize the photo and rebuild"
            ) from error
        if isinstance(error, OSError):
            raise PhotoError(f"{source}: cannot be read as an image ({error}); replace the file") from error
        raise


def export_photo(source: Path, target: Path, *, max_px: int = 1200, quality: int = 82) -> ExportedPhoto:
    with _open_decoded(source, max_px) as image:
        # In place, and converted only when needed: every copy of a decoded photo costs ~10 ms, and
        # the build exports the photos of every placed article.
        ImageOps.exif_transpose(image, in_place=True)
        photo = image if image.mode == "RGB" else image.convert("RGB")
        photo.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        target.parent.mkdir(parents=True, exist_ok=True)
        photo.save(target, "JPEG", quality=quality, optimize=True)
        return ExportedPhoto(target, photo.width, photo.height)
