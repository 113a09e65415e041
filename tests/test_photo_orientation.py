"""A phone photo stored sideways with an EXIF rotation tag is measured and printed upright."""

from __future__ import annotations

import io

from PIL import Image

from epaper.ingest.images import check_image_ref
from epaper.render.pdf import _photo_bytes
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
    data = _photo_bytes(SCREEN, str(tmp_path / "phone.jpg"), (0.0, 0.0, 1.0, 1.0), 54.0, 108.0)
    with Image.open(io.BytesIO(data)) as printed:
        assert printed.height > printed.width
        top = printed.getpixel((printed.width // 2, printed.height // 4))
        bottom = printed.getpixel((printed.width // 2, 3 * printed.height // 4))
    # Orientation 6 turns the picture 90° clockwise: the stored left (blue) half ends up on top.
    assert top[2] > 150 and top[0] < 100
    assert bottom[0] > 150 and bottom[2] < 100
