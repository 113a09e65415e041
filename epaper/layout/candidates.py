"""The options for a rectangle: each story part in reach, at each width it may take, at each
height it fits or may jump at, scored (:mod:`.scoring`).

This is where a jump is decided (:func:`jump_options`): a story too long for the space left (or any
long story on the front page) may fill part of its page and continue on a later page of its section.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from epaper.formats import PageFormat
from epaper.layout.copyfit import Fit, FitCatalog
from epaper.layout.geometry import Slot
from epaper.layout.module import ModuleDesign
from epaper.layout.plan import Continuation, StoryPart, story_of
from epaper.layout.scoring import (AREA_CREDIT, LOOKAHEAD, MIN_ROWS, ORDER_COST, Leftover, SectionState, design_score,
                                   meets_placed, space_score)

__all__ = ["RETRIES", "Option", "sorted_options"]

ONE_COLUMN_MAX_LINES = 70  # longer stories never run as a single column (a "rail" of grey type)
SHORT_LEAD_LINES = 36      # a lead story shorter than this (at one column) may also lead two columns wide
JUMP_COST = 150       # sending a story to another page
NARROW_JUMP_COST = 120  # ... from a single column (a stub of a story that reads as an afterthought)
FRONT_JUMP_COST = 30  # ... from the front page, where jumping is the rule for long stories
RETRIES = 5           # options tried in a rectangle when the best one leaves space empty


@dataclass(frozen=True)
class Option:
    """One way to fill the top left of a rectangle: a story part at a fit, its score and lines."""

    item: StoryPart
    fit: Fit
    rows: int
    score: float
    line_start: int
    line_end: int
    jumps: bool = False
    guessed_empty: int = 0  # cells the score expects to stay empty (below the module or after it)

    @property
    def design(self) -> ModuleDesign:
        return self.fit.design


def _candidate_widths(item, slot: Slot, is_lead: bool, fmt: PageFormat, catalog: FitCatalog) -> list[int]:
    article = story_of(item)
    if article.pin and article.pin.columns and not isinstance(item, Continuation):
        return [article.pin.columns] if article.pin.columns <= slot.cols else []
    if slot.cols <= 2:
        return list(range(slot.cols, 0, -1))
    if is_lead:
        wide = [w for w in (slot.cols, slot.cols - 1, slot.cols - 2) if w >= 3] or [slot.cols]
        if catalog.line_count(item) < SHORT_LEAD_LINES:  # too short to spread over three columns
            wide += [2]
        return wide
    top = min(slot.cols, 4 if fmt.columns >= 6 else 3)
    return list(range(top, 0, -1))


def _slot_allowed(item, slot: Slot, grid_rows: int, is_lead: bool) -> bool:
    """The desk's slot pin: ``lead`` (the page's lead position), ``top`` (above the fold) or ``bottom``."""
    article = story_of(item)
    if isinstance(item, Continuation) or not article.pin or not article.pin.slot:
        return True
    where = article.pin.slot
    if where == "lead":
        return is_lead
    if where == "top":
        return slot.top < grid_rows // 2
    return slot.top >= grid_rows // 2  # bottom



def _fit_options(state: SectionState, item, cols: int, slot: Slot, order: int, leftover: Leftover) -> list[Option]:
    """At most four options per story and width: the best fit that closes the rectangle (its
    bottom within a few rows of the rectangle's), the best that leaves room below for more stories
    and, where that best one has a widow or orphan, the best one without (the retries of
    :func:`fill` can then weigh it against what the faulty one packs better)."""
    best: dict[tuple[bool, bool], tuple[float, int, Fit]] = {}  # (closes the rectangle, clean) -> best
    space: dict[int, tuple[float, int]] = {}  # rows -> the space score (shared by the fits of that height)
    touching = meets_placed(state.page.placements, slot.col, cols)
    # Nothing beside and a page already begun: a fit without a photo scores its weight alone.
    plain = bool(state.page.placements) and not touching
    for fit in state.catalog.fits(item, cols):
        if fit.rows > slot.height:
            break  # fits come shallowest first
        found = space.get(fit.rows)
        if found is None:
            found = space[fit.rows] = space_score(state, item, cols, slot, order, fit.rows, leftover)
        design = fit.weight if plain and fit.design.photo is None else design_score(
            state, item, fit, slot, fit.rows, touching)
        score, empty = found[0] + design, found[1]
        closes = slot.height - fit.rows < MIN_ROWS
        key = (closes, False)
        held = best.get(key)
        if held is None or score < held[0]:
            best[key] = (score, empty, fit)
        if not fit.faults:
            key = (closes, True)
            held = best.get(key)
            if held is None or score < held[0]:
                best[key] = (score, empty, fit)
    chosen = []
    for closes in (True, False):
        overall, clean = best.get((closes, False)), best.get((closes, True))
        chosen += [overall] if overall is not None else []
        if clean is not None and (overall is None or clean[2] is not overall[2]):
            chosen.append(clean)  # the best one has a widow or orphan: offer the best clean one too
    start = item.line_start if isinstance(item, Continuation) else 0
    return [Option(item, fit, fit.rows, score, start, len(fit.design.body), guessed_empty=empty)
            for score, empty, fit in chosen]


def jump_options(state: SectionState, item, cols: int, slot: Slot, order: int, leftover: Leftover) -> list[Option]:
    """A story may fill part of its page and continue on a later one, within the jump rules
    (:meth:`~epaper.layout.copyfit.FitCatalog.jump_fits` measures where it can jump). Heights
    tried: the whole rectangle, and a few heights that leave room below for other stories."""
    if isinstance(item, Continuation) or not state.has_later_page or item.id in state.no_jump:
        return []
    window = state.catalog.jump_window(item, cols)
    if window is None:
        return []
    lo, hi = window
    least = state.jump_least.get(item.id, 0)
    if least:
        # A story too long for a short jump (what it leaves would fit no later page): only heights
        # that set at least ``least`` lines here, the deepest the space allows among them.
        shallowest = state.catalog.jump_rows_for(item, cols, least)
        if shallowest is None or shallowest > slot.height:
            return []
        lo = shallowest
    heights = {h for h in (lo, lo + (hi - lo) // 3, lo + 2 * (hi - lo) // 3) if slot.height - h >= MIN_ROWS}
    if lo <= slot.height <= hi:
        heights.add(slot.height)
    jump_cost = FRONT_JUMP_COST if state.page.template == "front" else JUMP_COST
    if cols == 1:
        jump_cost += NARROW_JUMP_COST
    options = []
    for rows in sorted(heights):
        space, empty = space_score(state, item, cols, slot, order, rows, leftover)
        for fit, end in state.catalog.jump_fits(item, cols, rows, jump_cost):
            if end < least:
                continue
            score = space + design_score(state, item, fit, slot, rows)
            options.append(Option(item, fit, rows, score, 0, end, jumps=True, guessed_empty=empty))
    return options


def _options(state: SectionState, slot: Slot, is_lead: bool) -> list[Option]:
    fmt = state.fmt
    widths = sorted({w for item in state.queue[:LOOKAHEAD] for w in _candidate_widths(item, slot, False, fmt, state.catalog)})
    leftover = Leftover(state, slot.height, widths)
    options: list[Option] = []
    # No option of a story at ``order`` scores below order * ORDER_COST - AREA_CREDIT (every other
    # term is a cost), except a jump under copy pressure (shallower than the story's shallowest fit)
    # and a roomy shape when copy runs short (negative pressure credits its cells): once the options
    # that fill can try all score below that, later stories cannot change its choice.
    bounded = not is_lead and not (state.pressure < 0 or (state.pressure > 0 and state.has_later_page))
    for order, item in enumerate(state.queue[:LOOKAHEAD]):
        if bounded and len(options) > RETRIES and _settled(options, order * ORDER_COST - AREA_CREDIT):
            break
        lead = is_lead and order == 0
        if not _slot_allowed(item, slot, state.page.grid.rows, lead):
            continue
        for cols in _candidate_widths(item, slot, lead, fmt, state.catalog):
            if (cols == 1 and slot.cols > 1 and not isinstance(item, Continuation)
                    and state.catalog.line_count(item) > ONE_COLUMN_MAX_LINES):
                continue
            found = _fit_options(state, item, cols, slot, order, leftover)
            # Front-page stories jump as a rule (more stories on the front); others only when they must.
            if not found or state.page.template == "front":
                found += jump_options(state, item, cols, slot, order, leftover)
            options += found
    if is_lead and state.queue and isinstance(state.queue[0], Continuation) and (
            state.queue[0].article.id in state.jump_least):
        # The rest of a long story heads its page (see placement.plan_pages): it takes the top.
        return [o for o in options if o.item is state.queue[0]] or options
    if is_lead and state.queue:
        # The page's lead position belongs to the most important stories left (those of the queue
        # head's priority) whenever one fits there: trial fills that place more stories never
        # demote the lead below them.
        top = story_of(state.queue[0]).priority
        leads = [o for o in options if not isinstance(o.item, Continuation) and story_of(o.item).priority <= top]
        return leads or options
    return options


def sorted_options(state: SectionState, slot: Slot, is_lead: bool) -> list[Option]:
    """The options for ``slot``, best first (lowest score; among equals the narrower, then the shallower)."""
    return sorted(_options(state, slot, is_lead), key=lambda o: (o.score, o.design.cols, o.rows))


def _settled(options: Sequence[Option], floor: float) -> bool:
    """Whether the options fill would try (the best few, and the best that keeps its story whole)
    all score below ``floor``."""
    below = [o for o in options if o.score < floor]
    return len(below) >= RETRIES and any(not o.jumps for o in below)

