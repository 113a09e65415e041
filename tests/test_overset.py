"""Overset is measured: the lines a story part was set in, less the lines drawn in its module."""

from __future__ import annotations

from dataclasses import replace

from epaper.formats import load_format
from epaper.frame import TextRun
from epaper.layout.compose import compose_module
from epaper.layout.copyfit import FitCatalog
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.plan import PagePlan, Placement
from epaper.layout.quality import page_quality
from epaper.report import report_document


def _overset_page(edition, rows_short: int):
    """A page with one story whose module is ``rows_short`` rows shallower than its text needs."""
    fmt = load_format(edition.format)
    article = next(a for a in edition.articles if a.language == "en" and not a.photos and len(a.body) > 3)
    fit = FitCatalog(fmt, "knuth-plass").natural(article, 2)
    grid = PageGrid.for_page(fmt, 2, 0.0)
    # The legs measured for the fit's own depth, in a slot ``rows_short`` rows shallower.
    placement = Placement(article, fit.design, Slot(0, 2, 0, fit.rows - rows_short), 0, len(fit.design.body),
                          fit.legs, photo_rows=fit.photo_rows)
    module = compose_module(placement, grid, continued_to=None)
    plan = PagePlan(2, "Test", "standard", grid, placements=(placement,))
    return page_quality(plan, [module]), module, article, grid


def test_a_module_too_shallow_for_its_text_is_counted_overset(sample_edition):
    fits, _, _, _ = _overset_page(sample_edition, 0)
    assert fits.overset_lines == 0 and not any(b.startswith("overset") for b in fits.breaches)

    quality, module, article, grid = _overset_page(sample_edition, 5)
    # A line drawn is a baseline in a column (its words are runs of their own when justified).
    drawn = {(i.x >= grid.x(1), round(i.baseline, 2)) for i in module.items
             if isinstance(i, TextRun) and i.source.role == "body"}
    # Five rows fewer in each of two columns: up to ten lines set that were never drawn (fewer when
    # the last leg is a line or two short of the first).
    missing = len(module.lines) - len(drawn)
    assert 5 < missing <= 10
    assert quality.overset_lines == missing
    assert f"overset: {article.id} ({missing} of {len(module.lines)} lines not on the page)" in quality.breaches


def test_the_report_counts_overset_lines(sample_layout, sample_edition):
    quality = _overset_page(sample_edition, 5)[0]
    pages = list(sample_layout.pages)
    pages[1] = replace(pages[1], quality=quality)
    report = report_document(replace(sample_layout, pages=tuple(pages)))
    assert report["totals"]["overset_lines"] == quality.overset_lines > 0
    page = next(p for p in report["pages"] if p["number"] == pages[1].number)
    assert page["overset_lines"] == quality.overset_lines
