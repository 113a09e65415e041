"""Photos on a page: where a module's picture sits, when two crowd each other, when a second one
dominates the page, and that placement keeps them apart on the sample edition."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from epaper.formats import load_format
from epaper.frame import ImageItem
from epaper.layout.geometry import Slot
from epaper.layout.module import ModuleDesign, design_module
from epaper.layout.photos import SPREAD_ROWS, photo_breaches, photo_clashes
from epaper.layout.plan import photo_box


@dataclass(frozen=True)
class _Placed:
    slot: Slot
    design: ModuleDesign
    photo_rows: int | None = None

    @cached_property
    def photo_box(self) -> Slot | None:
        return photo_box(self.slot, self.design, self.photo_rows)


def _photo_design(sample_edition, cols: int) -> ModuleDesign:
    fmt = load_format(sample_edition.format)
    article = next(a for a in sample_edition.articles if a.photos and a.language == "en" and a.priority >= 3)
    return design_module(article, cols, fmt)


def test_photo_box_is_the_rightmost_columns_under_the_header(sample_edition):
    design = _photo_design(sample_edition, 3)
    box = photo_box(Slot(1, 3, 10, 60), design, None)
    assert box is not None and design.photo is not None
    assert box.col + box.cols == 1 + 3  # flush with the module's right edge
    assert box.cols == design.photo.cols
    assert box.top == 10 + design.header.rows + design.photo_top_row
    assert box.height == design.photo.rows + design.photo.caption_rows
    assert photo_box(Slot(1, 3, 10, 60), design, 12).height == 12 + design.photo.caption_rows
    no_photo = design_module(design.article, 3, load_format(sample_edition.format), with_photo=False)
    assert photo_box(Slot(1, 3, 10, 60), no_photo, None) is None


def test_pictures_side_by_side_or_just_above_each_other_crowd(sample_edition):
    design = _photo_design(sample_edition, 2)
    page_cells = 6 * 130
    left = _Placed(Slot(0, 2, 0, 50), design)
    beside = photo_box(Slot(2, 2, 0, 50), design, None)
    assert photo_clashes([left], beside, page_cells).crowded == 1
    # Far down the same columns, or two columns away at the same height: no crowding.
    below = left.photo_box.bottom + SPREAD_ROWS
    assert photo_clashes([left], photo_box(Slot(0, 2, below - design.header.rows, 50), design, None),
                         page_cells).crowded == 0
    assert photo_clashes([left], photo_box(Slot(4, 2, 0, 50), design, None), page_cells).crowded == 0
    # A module without a picture clashes with nothing.
    assert photo_clashes([], beside, page_cells).crowded == 0


def test_a_second_dominant_picture_is_a_breach(sample_edition):
    big = _photo_design(sample_edition, 4)
    box = photo_box(Slot(0, 4, 0, 80), big, None)
    page_cells = round(box.cols * box.height / 0.2)  # this picture covers a fifth of such a page
    first, second = _Placed(Slot(0, 4, 0, 80), big), _Placed(Slot(0, 4, 90, 80), big)
    assert photo_clashes([first], second.photo_box, page_cells).second_dominant
    assert photo_breaches([first], page_cells) == []
    assert photo_breaches([first, second], page_cells) == [
        f"photos: {big.article.id}, {big.article.id} all dominate the page"]
    # On a page big enough for neither to dominate, two are fine.
    assert photo_breaches([first, second], page_cells * 10) == []


def test_sample_pages_have_one_dominant_picture_at_most(sample_layout):
    for page in sample_layout.pages:
        assert not [b for b in page.quality.breaches if b.startswith("photos")], page.number


def test_every_sample_page_with_a_photo_story_shows_a_picture(sample_edition, sample_layout):
    """Copy pressure may drop photos to get stories in, but never every picture of a page."""
    with_photos = {a.id for a in sample_edition.articles if a.photos}
    for page in sample_layout.pages:
        if not any(r.article_id in with_photos for r in page.regions):
            continue
        pictures = [i for i in page.items if isinstance(i, ImageItem) and i.source.role == "photo"]
        assert pictures, page.number


def test_a_photo_printed_coarser_than_newsprint_needs_is_a_warning(sample_layout):
    """Measured from the pages: the visible pixels over the printed size; the warning names the
    story's file, the photo, its ppi, its page and the pixels it needs."""
    import dataclasses
    import re

    from epaper.ingest.problems import ProblemLog
    from epaper.layout.resolution import MIN_PRINT_PPI, coarse_photos

    log = ProblemLog()
    coarse_photos(sample_layout, log)
    # The sample prints every photo sharp (its Gulls photo, 1600 px wide, went at 129 ppi across
    # 204 mm before copyfit could set a photo across fewer columns): one of them made coarse.
    assert not log.warnings()
    page, item = next((p, i) for p in sample_layout.pages for i in p.items_of(ImageItem) if i.source.role == "photo")
    article = next(a for a in sample_layout.edition.articles if a.id == item.source.article_id)
    photo = article.photos[0]
    small = dataclasses.replace(photo, width_px=photo.width_px // 4, height_px=photo.height_px // 4)
    edition = dataclasses.replace(sample_layout.edition, articles=tuple(
        dataclasses.replace(a, photos=(small, *a.photos[1:])) if a is article else a for a in sample_layout.edition.articles))
    log = ProblemLog()
    coarse_photos(dataclasses.replace(sample_layout, edition=edition), log)
    (warning,) = log.warnings()
    assert warning.field == "images[0]" and warning.file.endswith(article.source_file.name)
    ppi = float(re.search(r"prints at (\d+) ppi on page (\d+)", warning.message).group(1))
    expected = min(small.width_px * (item.crop[2] - item.crop[0]) / (item.box.w / 72),
                   small.height_px * (item.crop[3] - item.crop[1]) / (item.box.h / 72))
    assert ppi == round(expected) < MIN_PRINT_PPI and f"on page {page.number}" in warning.message
    needed = int(re.search(r"at least (\d+) px wide", warning.fix).group(1))
    assert needed * (item.crop[2] - item.crop[0]) / (item.box.w / 72) >= MIN_PRINT_PPI - 0.5
