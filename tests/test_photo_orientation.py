"""A phone photo stored sideways with an EXIF rotation tag is measured and printed upright."""

from __future__ import annotations

import io

from PIL import Image

from epaper.frame import Box, ImageItem, Source
from epaper.ingest.images import check_image_ref
from epaper.render.pdf import photo_bytes
from epaper.render.targets import SCREEN


def _sideways_photo(path):
    """Stored 300 x 150 (landscape) with orientation 6: the camera meant a 150 x 300 portrait."""
    image = Image.new("RGB", (300, 150), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, 150, 150))  # left half blue: after turning, the top half
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(path, "JPEG", exif=exif.tobytes())


def test_rotation_tag_gives_the_upright_shape(tmp_path):
    _sideways_photo(tmp_path / "phone.jpg")
    check = check_image_ref(tmp_path, "phone.jpg")
    assert check.ok
    assert (check.width_px, check.height_px) == (150, 300)


def test_print_image_is_turned_as_the_camera_meant(tmp_path):
    _sideways_photo(tmp_path / "phone.jpg")
    item = ImageItem(Box(0.0, 0.0, 54.0, 108.0), str(tmp_path / "phone.jpg"), Source("story", "photo"))
    data = photo_bytes(SCREEN, item)
    with Image.open(io.BytesIO(data)) as printed:
        assert printed.height > printed.width
        top = printed.getpixel((printed.width // 2, printed.height // 4))
        bottom = printed.getpixel((printed.width // 2, 3 * printed.height // 4))
    # Orientation 6 turns the picture 90° clockwise: the stored left (blue) half ends up on top.
    assert top[2] > 150 and top[0] < 100
    assert bottom[0] > 150 and bottom[2] < 100


def _big_sideways_photo(path):
    """A camera-sized 2400 x 1600 photo stored sideways (orientation 6): shown 1600 x 2400, its top
    half blue, its bottom half red, a green stripe down the shown right edge (the stored top)."""
    image = Image.new("RGB", (2400, 1600), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, 1200, 1600))
    image.paste((30, 180, 30), (0, 0, 2400, 160))
    exif = Image.Exif()
    exif[0x0112] = 6
    image.save(path, "JPEG", quality=95, exif=exif.tobytes())


def _full_size_reference(path, crop, size):
    """The photo decoded at full size, turned, cropped and resampled: what printing must match."""
    from PIL import ImageOps

    with Image.open(path) as stored:
        shown = ImageOps.exif_transpose(stored).convert("RGB")
    w, h = shown.size
    part = shown.crop((round(crop[0] * w), round(crop[1] * h), round(crop[2] * w), round(crop[3] * h)))
    return part.resize(size, Image.Resampling.LANCZOS)


def test_a_large_photo_printed_small_is_decoded_smaller_but_prints_the_same(tmp_path, monkeypatch):
    from PIL import ImageChops, ImageStat, JpegImagePlugin

    from epaper.render.targets import visible_photo

    decoded = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def recording_draft(image, mode, size):
        result = draft(image, mode, size)
        decoded.append(image.size)  # the size the decoder will deliver, as stored
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", recording_draft)
    path = tmp_path / "camera.jpg"
    _big_sideways_photo(path)
    for crop, points in (((0.0, 0.0, 1.0, 1.0), (54.0, 81.0)),      # whole, at 150 x 225 px: 1/8 scale
                         ((0.0, 0.25, 0.5, 0.75), (72.0, 144.0)),   # a quarter, 200 x 400 px
                         ((0.0, 0.0, 0.1, 0.1), (57.6, 86.4))):     # a tenth across at 160 x 240: full size
        printed = visible_photo(str(path), crop, *points)
        size = (round(points[0] / 72 * 200), round(points[1] / 72 * 200))
        assert printed.size == size  # never short of the pixels asked for
        expected = _full_size_reference(path, crop, size)
        assert max(ImageStat.Stat(ImageChops.difference(printed.convert("RGB"), expected)).mean) < 3
    # Decoded at an eighth and a half of the stored 2400 x 1600; the tenth needs every pixel.
    assert decoded == [(300, 200), (1200, 800)]
    whole = visible_photo(str(path), (0.0, 0.0, 1.0, 1.0), 54.0, 81.0).convert("RGB")
    assert whole.getpixel((75, 60))[2] > 150  # turned as the camera meant: blue on top
    assert whole.getpixel((75, 170))[0] > 150  # red below
    assert whole.getpixel((146, 112))[1] > 120  # turned clockwise: the stored top edge is the shown right
