"""The largest blank of a page (epaper.frame.blank), measured from the frame's drawn items."""

from __future__ import annotations

import pytest

from epaper.frame import BlankSpace, Box, FillRect, ImageItem, Page, Rule, Source, TextRun
from epaper.frame.blank import CELL, largest_blank

AREA = Box(0.0, 0.0, 600.0, 800.0)
BODY = Source("story", "body")


def _lines(x: float, width: float, top: float, bottom: float) -> list[TextRun]:
    """A column of 9 pt body lines on 11 pt leading from ``top`` to ``bottom``."""
    return [TextRun(x=x, baseline=y, font="serif", size=9.0, text="words", width=width, source=BODY)
            for y in [top + 9 + 11 * i for i in range(int((bottom - top - 9) // 11) + 1)]]


def _page(items) -> Page:
    return Page(number=1, section="City", width=AREA.w, height=AREA.h, items=tuple(items), regions=(), editorial=AREA)


def test_a_page_set_solid_has_no_blank_larger_than_a_cell_or_two():
    items = [run for x in range(0, 600, 100) for run in _lines(x, 96.0, 0.0, 800.0)]
    blank = largest_blank(_page(items))
    assert blank.share < 0.01, blank


def test_the_hole_is_found_where_it_is_and_as_large_as_it_is():
    # Columns 1-4 set to the foot; columns 5-6 only to half way, then nothing: a 200 x 400 pt hole.
    items = [run for x in range(0, 400, 100) for run in _lines(x, 96.0, 0.0, 800.0)]
    items += [run for x in (400, 500) for run in _lines(x, 96.0, 0.0, 400.0)]
    blank = largest_blank(_page(items))
    assert blank.share == pytest.approx(200 * 400 / (600 * 800), abs=0.02)
    assert blank.box is not None
    assert blank.box.x == pytest.approx(400, abs=CELL) and blank.box.y == pytest.approx(400, abs=CELL)
    assert blank.box.w == pytest.approx(200, abs=CELL) and blank.box.h == pytest.approx(400, abs=CELL)


def test_photos_tints_and_ads_fill_a_hole_and_rules_do_not():
    items = [run for x in range(0, 400, 100) for run in _lines(x, 96.0, 0.0, 800.0)]
    items += [run for x in (400, 500) for run in _lines(x, 96.0, 0.0, 400.0)]
    ruled = items + [Rule(400.0, 600.0, 600.0, 600.0)]
    assert largest_blank(_page(ruled)).share == pytest.approx(largest_blank(_page(items)).share)
    for filler in (ImageItem(box=Box(400.0, 400.0, 200.0, 400.0), path="photo.jpg", source=Source("story", "photo")),
                   FillRect(box=Box(400.0, 400.0, 200.0, 400.0), fill=None, stroke=(0.0, 0.0, 0.0))):
        assert largest_blank(_page([*items, filler])).share < 0.01


def test_an_empty_page_is_all_blank():
    blank = largest_blank(_page([]))
    assert blank.share == pytest.approx(1.0) and blank.box == Box(0.0, 0.0, 600.0, 800.0)


def test_a_page_without_an_editorial_area_has_no_blank():
    page = Page(number=1, section="City", width=AREA.w, height=AREA.h, items=tuple(_lines(0, 96.0, 0.0, 100.0)),
                regions=(), editorial=Box(0.0, 0.0, 0.0, 800.0))
    assert largest_blank(page) == BlankSpace(0.0, None)
