"""A photo's embedded ICC profile is honoured: a wide-gamut or CMYK file prints and shows in the
colours it means, as its sRGB original does (an outside print audit: a ProPhoto photo printed duller,
its profile ignored)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms

from epaper.formats.printing import load_print_spec
from epaper.render.source_colour import in_srgb
from epaper.render.targets import SCREEN, PrintTarget, visible_photo
from epaper.web.photos import export_photo

NEWSPRINT = Path(__file__).resolve().parent.parent / "layouts" / "profiles" / "CGATS-TR002-newsprint-240.icc"
# Adobe RGB (1998), as a camera writes it: Ghostscript's copy (libgs-common, installed with the tests' ghostscript).
ADOBE_RGB = Path("/usr/share/color/icc/ghostscript/a98.icc")
MUTED = [(120, 130, 140), (150, 110, 90), (90, 120, 100), (180, 170, 150)]  # inside newsprint's gamut
PATCHES = [*MUTED, (60, 90, 160), (200, 80, 70), (40, 160, 60)]


def _original(patches=PATCHES) -> Image.Image:
    image = Image.new("RGB", (16 * len(patches), 64))
    for index, colour in enumerate(patches):
        image.paste(colour, (16 * index, 0, 16 * index + 16, 64))
    return image


def _encoded(image: Image.Image, profile: Path, mode: str, path: Path) -> Path:
    """``image`` (sRGB) converted to ``profile`` and saved as a JPEG that embeds it."""
    to_profile = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(profile)),
                                         "RGB", mode, renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    ImageCms.applyTransform(image, to_profile).save(path, "JPEG", quality=95, icc_profile=profile.read_bytes())
    return path


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean difference per channel, in levels (0-255), of two images of one size and mode."""
    return float(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)).mean())


def test_a_press_cmyk_photo_reads_as_the_colours_its_profile_means(tmp_path):
    path = _encoded(_original(MUTED), NEWSPRINT, "CMYK", tmp_path / "cmyk.jpg")
    with Image.open(path) as opened:
        assert opened.mode == "CMYK"
        assert _difference(in_srgb(opened), _original(MUTED)) < 4  # JPEG's rounding
        assert _difference(opened.convert("RGB"), _original(MUTED)) > 30  # what reading it as plain CMYK gives


@pytest.mark.skipif(not ADOBE_RGB.is_file(), reason="no Adobe RGB profile on this machine (libgs-common)")
def test_an_adobe_rgb_photo_prints_and_shows_as_its_srgb_original(tmp_path):
    srgb = tmp_path / "srgb.jpg"
    _original().save(srgb, "JPEG", quality=95)
    wide = _encoded(_original(), ADOBE_RGB, "RGB", tmp_path / "adobe.jpg")
    with Image.open(wide) as opened:
        assert _difference(opened.convert("RGB"), _original()) > 5  # its numbers are not sRGB's
    crop, width, height = (0.0, 0.0, 1.0, 1.0), 16 * len(PATCHES) * 72 / 200, 64 * 72 / 200
    plain, profiled = (visible_photo(str(p), crop, width, height) for p in (srgb, wide))
    assert _difference(profiled, plain) < 2
    # On the plate: the same separation as the sRGB original's.
    plant = PrintTarget(load_print_spec("broadsheet"))
    plates = [Image.open(io.BytesIO(plant.photo(image))) for image in (plain, profiled)]
    assert plates[0].mode == plates[1].mode == "CMYK" and _difference(*plates) < 2
    assert _difference(*(Image.open(io.BytesIO(SCREEN.photo(image))) for image in (plain, profiled))) < 2
    # In the text view: a JPEG with no profile, which a browser takes as sRGB, as the original's is.
    shown = [export_photo(p, tmp_path / f"shown-{p.name}").path for p in (srgb, wide)]
    with Image.open(shown[0]) as from_srgb, Image.open(shown[1]) as from_wide:
        assert "icc_profile" not in from_wide.info and _difference(from_srgb, from_wide) < 2


def test_an_srgb_or_unreadable_profile_leaves_the_photo_as_it_is():
    image = _original()
    image.info["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert in_srgb(image) is image
    image.info["icc_profile"] = b"not a profile"
    assert in_srgb(image) is image
    image.info["icc_profile"] = NEWSPRINT.read_bytes()  # a CMYK profile on an RGB image: not its own
    assert in_srgb(image) is image
