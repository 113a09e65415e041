"""What copyfit measured is what is drawn: a placement carries the column legs its fit was measured
with, and composition positions exactly those lines in exactly those columns (it breaks nothing).

The one step between measuring and drawing is settling a hyphen left at a column foot (the
paragraph set again without it, in as many lines): it must move no break and change no widow or
orphan, or placement would have chosen on figures the page does not have."""

from __future__ import annotations

import pytest

from epaper.formats import load_format
from epaper.frame import TextRun
from epaper.layout.compose import compose_module
from epaper.layout.copyfit import FitCatalog
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.plan import Placement


def words(lines) -> list[str]:
    return "".join(ln.text[:-1] if ln.hyphenated else ln.text + " " for ln in lines).split()


@pytest.fixture(scope="module")
def settled(sample_edition):
    """(article, fit, legs as drawn) for fits of the sample whose legs leave a hyphen at a column foot."""
    fmt = load_format(sample_edition.format)
    catalog = FitCatalog(fmt, "knuth-plass")
    found = []
    for article in sample_edition.articles:
        if article.language != "en":
            continue
        for cols in (2, 3):
            for fit in catalog.fits(article, cols):
                if not fit.legs.hyphen_at_break or fit.legs.lines is not None:
                    continue
                drawn = catalog.part_legs(fit.design, 0, len(fit.design.body), fit.photo_rows, fit.rows, jumps=False)
                found.append((article, fit, drawn))
        if sum(1 for _, _, d in found if d.lines is not None) >= 3:
            break
    return found


def test_settling_a_hyphen_moves_no_break_and_changes_no_fault(settled):
    assert any(drawn.lines is not None for _, _, drawn in settled), \
        "the sample should have a hyphen at a column foot that its paragraph can be set without"
    for _, fit, drawn in settled:
        assert drawn.counts == fit.legs.counts
        assert (drawn.widows, drawn.orphans) == (fit.legs.widows, fit.legs.orphans)
        assert drawn.hyphen_at_break <= fit.legs.hyphen_at_break
        if drawn.lines is not None:
            assert drawn.hyphen_at_break < fit.legs.hyphen_at_break
            body = fit.design.body.lines
            assert len(drawn.lines) == len(body) and words(drawn.lines) == words(body)


def test_compose_draws_the_legs_its_placement_carries(sample_edition, settled):
    fmt = load_format(sample_edition.format)
    grid = PageGrid.for_page(fmt, 2, 0.0)
    article, fit, drawn = next(s for s in settled if s[2].lines is not None)
    placement = Placement(article, fit.design, Slot(0, fit.design.cols, 0, fit.rows), 0, len(fit.design.body), drawn,
                          photo_rows=fit.photo_rows)
    module = compose_module(placement, grid, continued_to=None)
    columns = [grid.x(c) for c in range(fit.design.cols)]
    drawn_lines: dict[tuple[int, float], list[TextRun]] = {}
    for item in module.items:
        if isinstance(item, TextRun) and item.source.role == "body":
            column = max(c for c, x in enumerate(columns) if x <= item.x + 0.01)
            drawn_lines.setdefault((column, round(item.baseline, 2)), []).append(item)
    # Lines per column as the legs say, and in reading order the lines the legs hold (the re-set
    # paragraph's, not the body as first set).
    per_column = [sum(1 for c, _ in drawn_lines if c == col) for col in range(fit.design.cols)]
    assert tuple(per_column) == drawn.counts
    text = [" ".join(run.text.strip() for run in sorted(drawn_lines[key], key=lambda r: r.x))
            for key in sorted(drawn_lines)]
    expected = [" ".join(seg.text.strip() for seg in line.segments) for line in drawn.lines]
    assert text == expected
    assert text != [" ".join(seg.text.strip() for seg in line.segments) for line in fit.design.body.lines]
