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


def export_photo(source: Path, target: Path, *, max_px: int = 1200, quality: int = 82) -> ExportedPhoto:
    limit = Image.MAX_IMAGE_PIXELS  # left at Pillow's default on purpose: it is the bomb guard
    try:
        with warnings.catch_warnings():
            # Pillow only *warns* between 1x and 2x the limit; for published photos that is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                pixels = image.width * image.height
                if limit and pixels > limit:
                    raise PhotoError(
                        f"{source}: {image.width}×{image.height} px is over Pillow's {limit:,}-pixel limit, "
                        "refused as a possible decompression bomb; resize the photo below that and rebuild"
                    )
                # draft() lets the JPEG decoder scale down by 1/2..1/8 while decoding: much faster.
                image.draft("RGB", (max_px, max_px))
                photo = ImageOps.exif_transpose(image)
                photo = photo.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(
            f"{source}: refused as a possible decompression bomb ({error}); resize the photo and rebuild"
        ) from error
    except OSError as error:
        raise PhotoError(f"{source}: cannot be read as an image ({error}); replace the file") from error
    photo.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    photo.save(target, "JPEG", quality=quality, optimize=True)
    return ExportedPhoto(target, photo.width, photo.height)
