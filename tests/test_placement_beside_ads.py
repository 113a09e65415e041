"""An ad in a bottom corner: the space under the lead may be cut down beside the ad rather than
across above it, so that a long story runs in the columns beside the ad to the page foot."""

from __future__ import annotations

from pathlib import Path

import pytest

from epaper.formats import load_format
from epaper.layout.copyfit import FitCatalog
from epaper.layout.geometry import PageGrid
from epaper.layout.placement import plan_pages
from epaper.model import AdSlot, Article, Paragraph, Run

WORDS = ("harbour council ferry budget lighthouse tide market fishermen quay storm mayor school library "
         "railway bridge museum festival orchard bakery weather river island council vote").split()


def _story(story_id: str, headline: str, seed: int, paragraphs: int, priority: int) -> Article:
    body = tuple(
        Paragraph((Run(" ".join(WORDS[(seed * 7 + p * 3 + i * 5) % len(WORDS)] for i in range(60)).capitalize() + "."),))
        for p in range(paragraphs))
    return Article(story_id, "City", headline, body, Path("city.json"), priority=priority)


@pytest.mark.parametrize(("banner_mm", "ad_mm", "paragraphs"), [(0, 180, 15), (70, 150, 13)],
                         ids=["corner-ad", "corner-ad-and-top-banner"])
def test_a_long_story_runs_beside_a_corner_ad_to_the_page_foot(sample_edition, banner_mm, ad_mm, paragraphs):
    fmt = load_format(sample_edition.format)
    catalog = FitCatalog(fmt, "knuth-plass")
    grid = PageGrid.for_page(fmt, 2, 0.0)
    lead = _story("lead", "Harbour plan approved after a long night of debate", 1, 10, priority=1)
    long = _story("long", "Ferry timetable to change in spring", 2, paragraphs, priority=2)
    brief = _story("brief", "Market hall reopens", 3, 4, priority=3)
    ad = AdSlot(page=2, columns=3, height_mm=ad_mm, position="bottom-right")
    ad_slot = grid.ad_slot(ad)
    # A banner across the top: the lead starts under it, and nothing may be set over it.
    ads = [ad, AdSlot(page=2, columns=fmt.columns, height_mm=banner_mm, position="top")] if banner_mm else [ad]
    ad_slots = [grid.ad_slot(a) for a in ads]
    top = ad_slots[-1].bottom if banner_mm else 0
    # The set-up: under the lead's natural depth, the full width above the ad is too shallow for the
    # long story at any width it may take, and so is the space beside the ad; the columns beside
    # the ad from under the lead to the foot are not.
    lead_rows = min(catalog.heights(lead, fmt.columns))
    above_ad = ad_slot.top - top - lead_rows
    assert all(min(catalog.heights(long, w)) > above_ad for w in range(1, 5))
    assert min(catalog.heights(long, 3)) > ad_slot.height
    assert min(catalog.heights(long, 3)) <= grid.rows - top - lead_rows

    plan, = plan_pages(fmt, "City", "standard", 2, 1, [lead, long, brief], [grid], {2: ads}, catalog=catalog).plans

    by_id = {p.article.id: p.slot for p in plan.placements}
    assert set(by_id) == {"lead", "long", "brief"}
    assert by_id["lead"].top == top and by_id["lead"].cols == fmt.columns
    runs_beside = by_id["long"]
    assert runs_beside.col + runs_beside.cols <= ad_slot.col and runs_beside.bottom > ad_slot.top
    slots = list(by_id.values()) + ad_slots
    assert all(s.bottom <= grid.rows and s.col + s.cols <= fmt.columns for s in slots)
    assert not any(a.overlaps(b) for i, a in enumerate(slots) for b in slots[i + 1:])
