"""Article photos for the text views: downsampled copies (≤ 1200 px, JPEG), refusing decompression bombs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageOps

from epaper.render.source_colour import in_srgb

__all__ = ["ExportedPhoto", "PhotoError", "PhotoReuse", "export_opened", "export_photo", "open_photo"]


class PhotoError(ValueError):
    """A photo that cannot be published; the message names the file and what to do."""


@dataclass(frozen=True)
class ExportedPhoto:
    path: Path
    width: int
    height: int


class PhotoReuse(Protocol):
    """Where the copies an earlier build exported can be taken from (the build cache): decoding,
    resampling and encoding a photo costs tens of milliseconds, and most photos of a rebuilt
    edition did not change."""

    def reuse(self, source: Path, target: Path) -> ExportedPhoto | None:
        """``target`` made as the copy of ``source`` an earlier build exported, or None."""

    def remember(self, source: Path, exported: ExportedPhoto) -> None:
        """Keep ``exported`` (just made from ``source``) for the next build."""


def _unreadable(source: Path, error: OSError) -> PhotoError:
    return PhotoError(f"{source}: cannot be read as an image ({error}); replace the file")


def _refusal(source: Path, error: BaseException) -> PhotoError | None:
    """The PhotoError a failure to open or decode ``source`` means (None: not one of ours)."""
    if isinstance(error, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return PhotoError(f"{source}: refused as a possible decompression bomb ({error}); resize the photo and rebuild")
    if isinstance(error, OSError):  # not an image, or a damaged one
        return _unreadable(source, error)
    return None


def open_photo(source: Path, max_px: int = 1200) -> Image.Image:
    """The photo opened (its header read, not decoded) and checked; refuses bombs. Decoding is set
    to a reduced JPEG scale when that still covers ``max_px``.

    The bomb check turns Pillow's warning into an error through the process's warning filters, which
    are not thread-safe: open photos in one thread; :func:`export_opened` may run in others."""
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
            return image
    except BaseException as error:
        if image is not None:
            image.close()
        refusal = _refusal(source, error)
        if refusal is not None:
            raise refusal from error
        raise


def export_opened(image: Image.Image, source: Path, target: Path, *, max_px: int = 1200,
                  quality: int = 82) -> ExportedPhoto:
    """Decode a photo :func:`open_photo` opened from ``source`` and write it to ``target``
    (≤ ``max_px``, JPEG); closes ``image``."""
    with image:
        try:
            image.load()
        except OSError as error:  # a truncated or damaged file
            raise _unreadable(source, error) from error
        # In place, and converted only when needed: every copy of a decoded photo costs ~10 ms, and
        # the build exports the photos of every placed article.
        ImageOps.exif_transpose(image, in_place=True)
        photo = in_srgb(image)  # saved without a profile: a browser takes it as sRGB
        photo = photo if photo.mode == "RGB" else photo.convert("RGB")
        photo.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
        target.parent.mkdir(parents=True, exist_ok=True)
        photo.save(target, "JPEG", quality=quality, optimize=True)
        return ExportedPhoto(target, photo.width, photo.height)


def export_photo(source: Path, target: Path, *, max_px: int = 1200, quality: int = 82) -> ExportedPhoto:
    """A downsampled copy of the photo ``source`` at ``target``; raises PhotoError naming the file."""
    return export_opened(open_photo(source, max_px), source, target, max_px=max_px, quality=quality)
