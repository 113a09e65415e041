"""A page laid out again, whole, another way, and kept if it comes out better (:func:`better_page`):
the section's last page with a left-over story taken early (:func:`repack_last_page`), and a page with
an ad in a corner cut down beside the ad rather than across it (:func:`fill_beside_ads`)."""

from __future__ import annotations

from collections.abc import Sequence

from epaper.layout.candidates import RETRIES, sorted_options
from epaper.layout.geometry import Slot
from epaper.model import Article
from epaper.layout.packer import EMPTY_SLACK, RETRY_BUDGET, Snapshot, cut_around, fill, fill_page, place
from epaper.layout.plan import Continuation
from epaper.layout.scoring import SectionState

__all__ = ["fill_beside_ads", "repack_last_page"]

LAST_PAGE_TRIALS = 3  # left-over stories a section's last page is laid out again with (see repack_last_page)


def fill_beside_ads(state: SectionState, before: "Snapshot", free: Sequence[Slot]) -> None:
    """The page laid out again with the space cut down beside each ad (its full height first)
    rather than across it. With an ad in a bottom corner the usual cut leaves the full width above
    the ad and a narrow space beside it, and a long story may fit in neither: under a shallower
    lead, the columns beside the ad run down to the page foot. With an ad in a top corner the
    lead's space is only as deep as the ad, too shallow for some stories' clean shapes: cut beside
    the ad, it runs the page's depth. The new layout is kept if it is better (:func:`_better_page`)."""
    plan = state.page
    grid = plan.grid
    ads = [a.slot for a in plan.ad_slots]
    corner_ads = [slot for slot in ads if slot.cols < grid.fmt.columns]
    if not corner_ads or not free:
        return
    full = [Slot(0, grid.fmt.columns, 0, grid.rows)]
    beside = full
    for block in ads:
        beside = cut_around(beside, block, across=False)
    deeper = min(beside, key=lambda s: (s.top, s.col))
    # The usual lead space, if the page has room to spare (a shallower lead may close it); and with
    # an ad in a top corner, the lead's space running down beside it (for room, or a clean shape).
    lead_slots = [free[0]] if plan.empty_cells > EMPTY_SLACK * plan.cells else []
    if (deeper.col, deeper.cols, deeper.top) == (free[0].col, free[0].cols, free[0].top) and deeper.height > free[0].height:
        lead_slots.append(deeper)
    best, best_figures = Snapshot.take(state), _repack_figures(state)
    for lead_slot in lead_slots:
        before.restore(state)
        options = sorted_options(state, lead_slot, True)
        # In the usual space, only a lead that ends above an ad's top leaves room to cut differently.
        trials = [o for o in options if lead_slot is not free[0]
                  or lead_slot.top + o.rows < max(ad.top for ad in corner_ads)][:RETRIES]
        for option in trials:
            before.restore(state)
            state.retry_budget = RETRY_BUDGET // len(trials)
            place(state, lead_slot, option)
            rest = cut_around(full, plan.placements[-1].slot, across=True)
            for block in ads:
                rest = cut_around(rest, block, across=False)
            for slot in sorted(rest, key=lambda s: (s.top, s.col)):
                fill(state, slot, is_lead=False)
            figures = _repack_figures(state)
            if _better_page(figures, best_figures):
                best, best_figures = Snapshot.take(state), figures
    best.restore(state)


def repack_last_page(state: SectionState, before: "Snapshot", free: Sequence[Slot]) -> None:
    """The section's last page, with stories left over and room to spare, laid out again with each
    of the first few left-over stories taken right after the lead. The greedy packer takes stories
    in priority order, and a story further down may close the page better; a new layout is kept if
    it leaves fewer cells empty, no more stories out (no jumped story's continuation above all: on
    the last page it has nowhere else to go) and no more breaches."""
    plan = state.page
    left = [x for x in state.queue if isinstance(x, Article)]
    if not left or plan.empty_cells <= EMPTY_SLACK * plan.cells:
        return
    best = Snapshot.take(state)
    best_figures = _repack_figures(state)
    pressure = state.pressure
    for story in left[:LAST_PAGE_TRIALS]:
        before.restore(state)
        state.queue.remove(story)
        state.queue.insert(1, story)
        state.retry_budget, state.pressure = RETRY_BUDGET, pressure
        fill_page(state, free)
        figures = _repack_figures(state)
        if _better_page(figures, best_figures):
            best, best_figures = Snapshot.take(state), figures
    best.restore(state)


def _repack_figures(state: SectionState) -> tuple[int, int, int, int]:
    """Empty cells, continuations left out, stories left out and breaches of the page as filled."""
    continuations = sum(isinstance(x, Continuation) for x in state.queue)
    return (state.page.empty_cells, continuations, len(state.queue) - continuations, state.page.breaches)


def _better_page(figures: tuple[int, int, int, int], than: tuple[int, int, int, int]) -> bool:
    """Whether a page laid out again (its :func:`_repack_figures`) is better than before, with no
    more continuations or stories left out: fewer breaches, or as few and fewer cells empty."""
    empty, continuations, stories, breaches = figures
    if continuations > than[1] or stories > than[2]:
        return False
    return breaches < than[3] or (breaches == than[3] and empty < than[0])

