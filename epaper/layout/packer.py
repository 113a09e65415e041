"""The guillotine packer: a page's free area cut into rectangles (around the ads), each filled top-down.

The best next option (:mod:`.candidates`) is put in a rectangle's top-left corner, and the rest of
the rectangle is cut into the part to its right and the part below it, which are filled in turn
(right first, so the next story in priority sits beside the one before it). When the best option
leaves space empty, the next best are tried in its place (:func:`fill`), fewer widows, orphans and
tombstones winning over any cost; the page lead stays with the most important stories left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from epaper.layout.candidates import RETRIES, Option, sorted_options
from epaper.layout.geometry import PageGrid, Slot
from epaper.model import AdSlot, Article
from epaper.layout.plan import AdPlacement, Continuation, Placement, story_of
from epaper.layout.scoring import MIN_ROWS, WASTE_COST, SectionState, breaches

__all__ = ["EMPTY_SLACK", "RETRY_BUDGET", "Snapshot", "cut_around", "fill", "fill_page", "free_slots", "place"]

EMPTY_SLACK = 0.03    # a page with more of its grid empty than this is worth laying out again
PLACED_CREDIT = 300   # each story on the page (comparing trial fills: more stories read better)
RETRY_BUDGET = 80     # trial fills allowed per page (keeps layout fast)


def fill(state: SectionState, slot: Slot, is_lead: bool) -> float:
    """Fill ``slot`` and return the cost of what was put there (scores of the options taken plus the
    cells left empty). If the best option leaves empty cells or a breach, the next best are tried in
    its place, within the page's retry budget; the outcome with the fewest breaches, then the
    cheapest, is kept."""
    if slot.height < MIN_ROWS or slot.cols < 1:
        if slot.height > 1 and slot.cols >= 1:
            state.page.empty_slots.append(slot)
        return slot.cols * slot.height * WASTE_COST if slot.height > 1 else 0.0
    options = sorted_options(state, slot, is_lead)
    if not options:
        state.page.empty_slots.append(slot)
        return slot.cols * slot.height * WASTE_COST
    trials = options[:RETRIES]
    # The best few are often one story jumping at several heights: the best option that keeps its
    # story whole is always among the trials.
    whole = next((o for o in options if not o.jumps), None)
    if whole is not None and whole not in trials:
        trials.append(whole)
    tried: list[_Trial] = []
    before = Snapshot.take(state)

    def attempt(option: Option) -> None:
        if tried:
            before.restore(state)
        cost = _take(state, slot, option)
        tried.append(_Trial(breaches(state.page.placements, state.page.cells, len(before.placements)), cost,
                            Snapshot.take(state), _empty_cells(state, before)))

    if is_lead:
        # The lead's shape decides the whole page: each of its trials gets an equal share of the
        # page's budget for the fills under it (the first must not spend it all).
        share = RETRY_BUDGET // len(trials)
        for option in trials:
            state.retry_budget = share
            attempt(option)
        if min(t.empty for t in tried) > EMPTY_SLACK * state.page.cells:
            # None fills the page. The lead's width decides what fits under it: its best option at
            # each width not tried yet is tried too.
            for width in sorted({o.design.cols for o in options} - {o.design.cols for o in trials}, reverse=True):
                state.retry_budget = share
                attempt(next(o for o in options if o.design.cols == width))
    else:
        for option in trials:
            if tried:
                if state.retry_budget <= 0:
                    break
                state.retry_budget -= 1
            attempt(option)
            # A fill that leaves at most a row's worth of space and no breach is kept.
            if tried[-1].empty <= slot.cols and not tried[-1].breaches:
                break
    # The rules first: a fill with fewer breaches (see scoring.breaches) wins whatever it costs; and a
    # small space that nothing fills without a breach stays empty (a quotation may take it later).
    fewest, cost, outcome, _ = min(tried, key=lambda t: t[:2])
    if fewest and slot.cols * slot.height <= EMPTY_SLACK * state.page.cells:
        before.restore(state)
        state.page.empty_slots.append(slot)
        return slot.cols * slot.height * WASTE_COST
    outcome.restore(state)
    return cost


class _Trial(NamedTuple):
    """One option tried in a rectangle (:func:`fill`): the rule breaches and cost of the fill it
    led to, that fill, and the cells it left empty."""

    breaches: int
    cost: float
    outcome: "Snapshot"
    empty: int


def _take(state: SectionState, slot: Slot, option: Option) -> float:
    """Place ``option`` at the top left of ``slot`` and fill what it leaves (right, then below)."""
    cost = place(state, slot, option)
    cols = option.design.cols
    if cols < slot.cols:
        cost += fill(state, Slot(slot.col + cols, slot.cols - cols, slot.top, slot.height), False)
    cost += fill(state, Slot(slot.col, cols, slot.top + option.rows, slot.height - option.rows), False)
    return cost


def place(state: SectionState, slot: Slot, option: Option) -> float:
    """Put ``option`` at the top left of ``slot``; its cost (the score less the guessed emptiness)."""
    state.queue.remove(option.item)
    cols = option.design.cols
    item = option.item
    page = state.page
    page.placements.append(Placement(
        article=story_of(item),
        design=option.design, slot=Slot(slot.col, cols, slot.top, option.rows),
        line_start=option.line_start, line_end=option.line_end,
        continued_to_part=option.jumps,
        continued_from_page=item.from_page if isinstance(item, Continuation) else None,
        legs=option.fit.legs, photo_rows=option.fit.photo_rows, adjustments=option.fit.adjustments,
    ))
    if option.jumps:
        assert isinstance(item, Article)  # only a whole story jumps (see candidates.jump_options)
        state.carried.append(Continuation(item, option.line_end, page.number))
    return option.score - option.guessed_empty * WASTE_COST - PLACED_CREDIT


def _empty_cells(state: SectionState, since: "Snapshot") -> int:
    return sum(s.cols * s.height for s in state.page.empty_slots[since.empty:])


@dataclass(frozen=True)
class Snapshot:
    """Enough of the section's state to undo a trial fill."""

    queue: tuple
    placements: tuple[Placement, ...]
    carried: tuple[Continuation, ...]
    empty_slots: tuple[Slot, ...]

    @property
    def empty(self) -> int:
        return len(self.empty_slots)

    @classmethod
    def take(cls, state: SectionState) -> "Snapshot":
        return cls(tuple(state.queue), tuple(state.page.placements), tuple(state.carried),
                   tuple(state.page.empty_slots))

    def restore(self, state: SectionState) -> None:
        state.queue[:] = self.queue
        state.page.placements[:] = self.placements
        state.carried[:] = self.carried
        state.page.empty_slots[:] = self.empty_slots


def free_slots(grid: PageGrid, ads: Sequence[AdSlot]) -> tuple[list[Slot], list[AdPlacement]]:
    """The page's editorial rectangles once ads are cut out (guillotine cuts across each ad first:
    the full width above and below it, then beside it)."""
    free = [Slot(0, grid.fmt.columns, 0, grid.rows)]
    ad_slots = []
    for ad in ads:
        ad_slot = grid.ad_slot(ad)
        ad_slots.append(AdPlacement(ad, ad_slot))
        free = cut_around(free, ad_slot, across=True)
    return sorted(free, key=lambda s: (s.top, s.col)), ad_slots


def cut_around(free: Sequence[Slot], block: Slot, across: bool) -> list[Slot]:
    """``free`` with ``block`` cut out of each rectangle it meets. ``across``: cut the full width
    above and below the block, then beside it; otherwise the full height beside it, then above and
    below it."""
    pieces = []
    for s in free:
        if not s.overlaps(block):
            pieces.append(s)
            continue
        band_top, band_bottom = max(s.top, block.top), min(s.bottom, block.bottom)
        left, right = max(s.col, block.col), min(s.col + s.cols, block.col + block.cols)
        if across:
            above = Slot(s.col, s.cols, s.top, block.top - s.top)
            below = Slot(s.col, s.cols, block.bottom, s.bottom - block.bottom)
            beside = [Slot(s.col, left - s.col, band_top, band_bottom - band_top),
                      Slot(right, s.col + s.cols - right, band_top, band_bottom - band_top)]
        else:
            above = Slot(left, right - left, s.top, block.top - s.top)
            below = Slot(left, right - left, block.bottom, s.bottom - block.bottom)
            beside = [Slot(s.col, left - s.col, s.top, s.height),
                      Slot(right, s.col + s.cols - right, s.top, s.height)]
        pieces += [p for p in (above, below, *beside) if p.cols > 0 and p.height > 0]
    return pieces


def fill_page(state: SectionState, free: Sequence[Slot]) -> None:
    for index, slot in enumerate(free):
        fill(state, slot, is_lead=index == 0)

