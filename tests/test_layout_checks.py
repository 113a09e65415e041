"""The invariant checker used by the property tests and the layout benchmark catches what it claims:
each check is shown a sample page spoiled in one way and must report exactly that."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from layout_checks import check_edition  # noqa: E402

from epaper.frame import Box, ImageItem, TextRun  # noqa: E402


def _with_page(laid_out, index, page):
    pages = list(laid_out.pages)
    pages[index] = page
    return replace(laid_out, pages=tuple(pages))


def _busy_page(laid_out) -> int:
    return max(range(len(laid_out.pages)), key=lambda i: len(laid_out.pages[i].regions))


def test_the_sample_edition_is_clean_where_the_checker_looks(sample_layout):
    figures = check_edition(sample_layout)
    assert not any(p.overlaps or p.off_grid or p.outside for p in figures.pages)
    assert figures.unlisted == [] and figures.reasonless == []


def test_an_overlap_and_an_off_grid_module_are_reported(sample_layout):
    i = _busy_page(sample_layout)
    page = sample_layout.pages[i]
    first, second = page.regions[0], page.regions[1]
    moved = replace(second, boxes=(first.boxes[0],))
    nudged = replace(page.regions[2], boxes=tuple(Box(b.x + 3, b.y, b.w, b.h) for b in page.regions[2].boxes))
    spoiled = replace(page, regions=(first, moved, nudged) + page.regions[3:])
    figures = check_edition(_with_page(sample_layout, i, spoiled)).pages[i]
    assert any(second.article_id in m for m in figures.overlaps)
    assert any(page.regions[2].article_id in m for m in figures.off_grid)


def test_a_lost_body_line_is_reported(sample_layout):
    i = _busy_page(sample_layout)
    page = sample_layout.pages[i]
    body = [k for k, item in enumerate(page.items) if isinstance(item, TextRun) and item.source.role == "body"]
    victim = page.items[body[len(body) // 2]]
    items = tuple(item for k, item in enumerate(page.items) if k != body[len(body) // 2])
    figures = check_edition(_with_page(sample_layout, i, replace(page, items=items)))
    assert victim.source.article_id in figures.text_mismatches


def test_a_broken_jump_is_reported(sample_layout):
    source = next((i for i, p in enumerate(sample_layout.pages) if any(r.continued_from for r in p.regions)), None)
    assert source is not None, "the sample edition should have a jump"
    page = sample_layout.pages[source]
    regions = tuple(replace(r, continued_from=None) for r in page.regions)
    figures = check_edition(_with_page(sample_layout, source, replace(page, regions=regions)))
    assert any("has no part continued from" in m for m in figures.jump_breaches)


def test_a_photo_reaching_below_its_module_is_reported(sample_layout):
    """A photo taller than its story's module (a jump cut above the photo's foot, say) is caught."""
    i, photo = next((i, item) for i, p in enumerate(sample_layout.pages) for item in p.items
                    if isinstance(item, ImageItem) and any(r.article_id == item.source.article_id for r in p.regions))
    page = sample_layout.pages[i]
    region = next(r for r in page.regions if r.article_id == photo.source.article_id)
    box = region.boxes[0]
    cut = replace(region, boxes=(Box(box.x, box.y, box.w, photo.box.bottom - box.y - 20),) + region.boxes[1:])
    spoiled = replace(page, regions=tuple(cut if r is region else r for r in page.regions))
    figures = check_edition(_with_page(sample_layout, i, spoiled)).pages[i]
    assert any(m.startswith("photo of " + photo.source.article_id) for m in figures.outside)
