"""Laying a section out again from one of its pages (what a jump that found no room triggers):
the pages before stay exactly as they were, and with nothing changed the pages after come out the
same as in the first run."""

from __future__ import annotations

from epaper.formats import load_format
from epaper.layout.copyfit import FitCatalog
from epaper.layout.geometry import PageGrid
from epaper.layout.placement import plan_pages


def _section(sample_edition, pages_at_least: int):
    number = 1
    for spec in sample_edition.sections:
        if spec.pages >= pages_at_least and spec.template != "front":
            return spec, number
        number += spec.pages
    raise AssertionError("the sample edition has no section that long")


def test_resuming_at_a_page_keeps_the_pages_before_and_repeats_the_rest(sample_edition):
    fmt = load_format(sample_edition.format)
    spec, first = _section(sample_edition, 3)
    grids = [PageGrid.for_page(fmt, first + i, 0.0) for i in range(spec.pages)]
    ads: dict[int, list] = {}
    for ad in sample_edition.ads:
        ads.setdefault(ad.page, []).append(ad)

    def run(resume=None):
        return plan_pages(fmt, spec.name, spec.template, first, spec.pages, sample_edition.articles_in(spec.name),
                          grids, ads, catalog=FitCatalog(fmt, "knuth-plass"), resume=resume)

    whole = run()
    assert [e.offset for e in whole.entries] == list(range(spec.pages))
    entry = whole.entries[2]
    assert entry.plans == tuple(whole.plans[:2]) and entry.before == whole.entries[:2]
    again = run(entry)
    assert again.plans[0] is whole.plans[0] and again.plans[1] is whole.plans[1]
    assert [(p.number, p.placements) for p in again.plans] == [(p.number, p.placements) for p in whole.plans]
    assert again.unplaced == whole.unplaced and again.open_jumps == whole.open_jumps
    assert again.entries[:2] == whole.entries[:2]

