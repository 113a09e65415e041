"""The page lead's shape decides what fits under it: when none of the lead's best few options fills
the page (they are often one width at several depths), the lead is tried at every width it can take."""

from __future__ import annotations

from epaper.formats import load_format
from epaper.layout import candidates, packer, placement
from epaper.layout.copyfit import FitCatalog
from epaper.layout.geometry import PageGrid


def test_the_lead_is_tried_at_each_width_when_no_trial_fills_the_page(sample_edition, monkeypatch):
    fmt = load_format(sample_edition.format)
    extra = 0  # pages, over the sample's sections, where the lead was tried at more than one width
    for spec in sample_edition.sections[1:]:
        extra += _lead_trials(sample_edition, spec, fmt, monkeypatch)
    assert extra, "no page of the sample needed the lead tried at another width"


def _lead_trials(sample_edition, spec, fmt, monkeypatch) -> int:
    """Lay out the section's pages, checking that every page whose lead was placed either had a
    trial that filled it or was tried at every width; the number of pages tried at several widths."""
    first = 1 + sum(s.pages for s in sample_edition.sections[:sample_edition.sections.index(spec)])
    grids = [PageGrid.for_page(fmt, first + i, 0.0) for i in range(spec.pages)]
    offered: dict[int, set[int]] = {}  # page -> widths the lead's options come in
    tried: dict[int, list[int]] = {}   # page -> widths the lead was tried at, in turn
    filled: dict[int, list[bool]] = {}  # page -> whether each trial filled the page (within the slack)
    real_options, real_take = candidates._options, packer._take

    def options(state, slot, is_lead):
        found = real_options(state, slot, is_lead)
        if is_lead and not state.page.placements:
            offered.setdefault(state.page.number, set()).update(o.design.cols for o in found)
        return found

    def take(state, slot, option):
        lead = not state.page.placements and slot.top == 0 and slot.col == 0
        cost = real_take(state, slot, option)
        if lead:
            number = state.page.number
            tried.setdefault(number, []).append(option.design.cols)
            empty = sum(s.cols * s.height for s in state.page.empty_slots)
            filled.setdefault(number, []).append(empty <= packer.EMPTY_SLACK * state.page.cells)
        return cost

    monkeypatch.setattr(candidates, "_options", options)
    monkeypatch.setattr(packer, "_take", take)
    placement.plan_pages(fmt, spec.name, spec.template, first, spec.pages, sample_edition.articles_in(spec.name),
                         grids, {}, catalog=FitCatalog(fmt, "knuth-plass"))
    extra = 0
    for number, widths in offered.items():
        if number not in tried:  # its first story went beside an ad, not into the top-left corner
            continue
        if len(set(tried[number])) > 1 and not any(filled[number]):
            extra += 1
        # Every page either had a trial that filled it or was tried at every width.
        assert any(filled[number]) or set(tried[number]) >= widths, (number, tried[number], widths)
    monkeypatch.undo()
    return extra
