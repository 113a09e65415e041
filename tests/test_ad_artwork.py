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
    # Inside the ad's box, as large as the booking (the grid rounds the slot up to whole rows), centred.
    assert space.x < drawn.x and drawn.x + drawn.w < space.x + space.w
    assert space.y < drawn.y and drawn.y + drawn.h < space.y + space.h
    booked = (min(space.w - 4, fmt.span_width(6)), min(space.h - 4, height_mm * MM))
    assert max(drawn.w / booked[0], drawn.h / booked[1]) == pytest.approx(1, abs=0.002)
    assert drawn.x - space.x == pytest.approx(space.x + space.w - drawn.x - drawn.w, abs=0.05)
    assert drawn.y - space.y == pytest.approx(space.y + space.h - drawn.y - drawn.h, abs=0.05)
    if artwork == (3634, 945):  # artwork of the booking's shape prints at the size booked
        assert drawn.h / MM == pytest.approx(height_mm, rel=0.005) and space.h - 4 > drawn.h


def test_artwork_supplied_as_the_warning_asks_prints_at_the_booked_size_without_a_warning(tmp_path: Path) -> None:
    """The size a warning asks for is the size that prints: a 1-column × 30 mm ad (its slot a few
    points deeper, whole rows) supplied at 1 column × 30 mm prints at that size, within the ad's
    2 pt frame, and is not warned of."""
    from epaper.ingest.manifest import _check_artwork_shape
    from epaper.ingest.fields import FieldReader
    from epaper.ingest.problems import ProblemLog

    fmt = load_format("broadsheet")
    width_mm = fmt.span_width(1) / MM
    artwork = (round(width_mm / 25.4 * 300), round(30 / 25.4 * 300))
    log = ProblemLog()
    _check_artwork_shape(FieldReader({}, "edition.yaml", log, "ads[0]."), "images/ad.png", artwork, (width_mm, 30), 1,
                         None)
    assert log.warnings() == ()
    grid = PageGrid.for_page(fmt, 3, 0.0)
    ad = AdSlot(page=3, columns=1, height_mm=30, position="bottom-right", image=tmp_path / "ad.png", image_size=artwork)
    items = ad_items(ad, grid.ad_slot(ad), grid)
    [image] = [item for item in items if isinstance(item, ImageItem)]
    [space] = [item.box for item in items if isinstance(item, FillRect)]
    assert space.h / MM > 31  # the slot, whole rows deep
    assert image.box.w == pytest.approx(space.w - 4)  # the column, less the frame
    assert image.box.h / MM == pytest.approx(30 * (space.w - 4) / fmt.span_width(1), rel=0.005)


def test_an_ad_without_its_artwork_size_fills_its_space(tmp_path: Path) -> None:
    """A frame made before the size was read (or a caller's own AdSlot): the old drawing."""
    fmt = load_format("broadsheet")
    grid = PageGrid.for_page(fmt, 3, 0.0)
    ad = AdSlot(page=3, columns=2, height_mm=50, position="bottom", image=tmp_path / "ad.png")
    items = ad_items(ad, grid.ad_slot(ad), grid)
    [space] = [item.box for item in items if isinstance(item, FillRect)]
    [image] = [item for item in items if isinstance(item, ImageItem)]
    assert image.box == Box(space.x + 2, space.y + 2, space.w - 4, space.h - 4)
