"""An ad's artwork prints whole at its own proportions, centred in the booked space: never stretched
to the booking (an advertiser's lettering widened by a third) nor cut. Checked on the drawn PDF."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from epaper.formats import MM, load_format
from epaper.frame import Box, FillRect, ImageItem, Page
from epaper.layout.compose import ad_items
from epaper.layout.geometry import PageGrid
from epaper.model import AdSlot
from epaper.render.pdf import render_page


def _drawn_image_box(pdf: Path, page_height: float) -> Box:
    """The one image the page draws, in the frame's coordinates (points, y down from the top)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        [image] = list(document[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
        left, bottom, right, top = image.get_bounds()
    finally:
        document.close()
    return Box(left, page_height - top, right - left, top - bottom)


@pytest.mark.parametrize("artwork, height_mm", [
    ((1800, 650), 80),   # wider than the booking: margins above and below
    ((900, 900), 60),    # taller: margins left and right
    ((3634, 945), 80),   # the booking's own shape (307.7 × 80 mm at 300 dpi): fills it
])
def test_ad_artwork_prints_at_its_own_proportions_centred_in_its_space(tmp_path: Path, artwork, height_mm) -> None:
    fmt = load_format("broadsheet")
    grid = PageGrid.for_page(fmt, 3, 0.0)
    art = tmp_path / "ad.png"
    Image.new("RGB", artwork, (30, 60, 120)).save(art)
    ad = AdSlot(page=3, columns=6, height_mm=height_mm, position="bottom", image=art, image_size=artwork)
    items = ad_items(ad, grid.ad_slot(ad), grid)
    [space] = [item.box for item in items if isinstance(item, FillRect)]
    page = Page(number=3, section="City", width=fmt.width, height=fmt.height, items=tuple(items), regions=(),
                editorial=Box(0, 0, fmt.width, fmt.height))
    pdf = tmp_path / "page.pdf"
    render_page(page, pdf, title="t", author="t")

    drawn = _drawn_image_box(pdf, fmt.height)
    assert drawn.w / drawn.h == pytest.approx(artwork[0] / artwork[1], rel=0.002)  # not stretched
    # Inside the ad's box, as large as fits, centred.
    assert space.x < drawn.x and drawn.x + drawn.w < space.x + space.w
    assert space.y < drawn.y and drawn.y + drawn.h < space.y + space.h
    assert max(drawn.w / (space.w - 4), drawn.h / (space.h - 4)) == pytest.approx(1, abs=0.002)
    assert drawn.x - space.x == pytest.approx(space.x + space.w - drawn.x - drawn.w, abs=0.05)
    assert drawn.y - space.y == pytest.approx(space.y + space.h - drawn.y - drawn.h, abs=0.05)
    if artwork == (3634, 945):  # the grid's rounding of the booking leaves under 2 % empty
        assert drawn.w * drawn.h > 0.98 * (space.w - 4) * (space.h - 4)
        assert space.h / MM == pytest.approx(height_mm, rel=0.03)


def test_an_ad_without_its_artwork_size_fills_its_space(tmp_path: Path) -> None:
    """A frame made before the size was read (or a caller's own AdSlot): the old drawing."""
    fmt = load_format("broadsheet")
    grid = PageGrid.for_page(fmt, 3, 0.0)
    ad = AdSlot(page=3, columns=2, height_mm=50, position="bottom", image=tmp_path / "ad.png")
    items = ad_items(ad, grid.ad_slot(ad), grid)
    [space] = [item.box for item in items if isinstance(item, FillRect)]
    [image] = [item for item in items if isinstance(item, ImageItem)]
    assert image.box == Box(space.x + 2, space.y + 2, space.w - 4, space.h - 4)
