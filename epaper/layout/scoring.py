"""Placement's score: how good one option (a story part at a width and height, in a rectangle) is.

An option's score (:func:`space_score` plus :func:`design_score`, lower is better) weighs priority
order, empty grid cells left behind (including a look ahead, :class:`Leftover`, at whether anything
can fill the space below), module shape, width, tombstoned headlines, crowded or competing photos,
widows and orphans, and the editorial cost of the fit. The packer's working state
(:class:`SectionState`, with the page being filled, :class:`Sheet`) is what the score reads.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from epaper.formats import PageFormat
from epaper.layout.copyfit import Fit, FitCatalog
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.photos import photo_clashes
from epaper.layout.plan import (AdPlacement, Continuation, PagePlan, Placement, StoryPart, photo_box, story_of,
                                used_cells)
from epaper.layout.tombstones import alike_beside, tombstones_beside

__all__ = ["Leftover", "SectionState", "Sheet", "breaches", "copy_pressure", "design_score", "space_score"]

MIN_ROWS = 7          # a slot shallower than this cannot hold a story (headline + a few lines)
LOOKAHEAD = 30        # how many next stories (in priority order) the packer considers for a slot

# The score's weights (see space_score and design_score).
ORDER_COST = 60       # taking a story one place later than the queue order
WASTE_COST = 6        # each grid cell (one column x one row) left empty
SHAPE_COST = 40       # per unit of log-distance from a module a little taller than wide
AREA_CREDIT = 20      # using the whole width of the rectangle rather than part of it
TOMBSTONE_COST = 400  # a headline beside another of the same size
ALIKE_HEADLINE_COST = 30  # ... of a size too alike to tell which story leads (see .tombstones)
CROWDED_PHOTO_COST = 20   # a picture beside (or just above or below) another (see .photos)
SECOND_DOMINANT_PHOTO_COST = 250  # a second picture big enough to dominate the page
LEAD_PHOTO_COST = 300  # dropping the photo of the page's lead (the first story placed on it)
COMPACT_COST = 8      # each cell beyond a story's most compact shape, times the copy pressure (see copy_pressure)


@dataclass
class Sheet:
    """The page being filled: the packer's working copy, changed as options are tried and undone
    (:class:`~epaper.layout.packer.Snapshot`); :meth:`plan` is the frozen record it ends as."""

    number: int
    section: str
    template: str
    grid: PageGrid
    placements: list[Placement] = field(default_factory=list)
    ad_slots: list[AdPlacement] = field(default_factory=list)
    empty_slots: list[Slot] = field(default_factory=list)

    @property
    def cells(self) -> int:
        """Grid cells (one column by one row) on the page."""
        return self.grid.fmt.columns * self.grid.rows

    @property
    def empty_cells(self) -> int:
        """Grid cells that no module or ad takes."""
        return self.cells - used_cells(self.placements, ad_slots=self.ad_slots)

    @property
    def breaches(self) -> int:
        """Widows, orphans, tombstones and second dominant photos on the page (see :func:`breaches`)."""
        return breaches(self.placements, self.cells)

    def plan(self) -> PagePlan:
        return PagePlan(self.number, self.section, self.template, self.grid, tuple(self.placements),
                        tuple(self.ad_slots), tuple(self.empty_slots))


@dataclass
class SectionState:
    """What the packer works with while it fills one page of a section."""

    fmt: PageFormat
    catalog: FitCatalog
    queue: list[StoryPart]
    has_later_page: bool
    page: Sheet
    carried: list[Continuation] = field(default_factory=list)
    no_jump: frozenset[str] = frozenset()
    # Stories too long for any later page to take all that a short jump leaves: the least body
    # lines each must set before its jump (epaper.layout.retries).
    jump_least: Mapping[str, int] = field(default_factory=dict)
    retry_budget: int = 0
    shapes: dict[tuple[int, int], float] = field(default_factory=dict)  # (width, rows) -> shape cost
    # How far the copy left overruns the section's pages left (0: it fits); negative when the
    # section is laid out again for copy that ran short (plan_pages' ``roomier``): roomy shapes preferred.
    pressure: float = 0.0


class Leftover:
    """What the queue can put in the space a module leaves below it: for each width, every fit
    height of the stories in reach, sorted. Built once per rectangle, asked once per option."""

    def __init__(self, state: SectionState, heights: int, widths: Sequence[int]):
        self.heights = heights
        self.rows: dict[int, list[int]] = {}     # width -> fit heights (at most ``heights``), sorted
        self.stories: dict[int, list[int]] = {}  # width -> the queue index of the story of each
        self.jumpable: dict[int, list[tuple[int, int, int]]] = {}
        queue = state.queue[:LOOKAHEAD]
        for w in widths:
            found = []
            jumps = []
            for index, item in enumerate(queue):
                fit_heights = state.catalog.heights(item, w)
                found += [(rows, index) for rows in fit_heights[:bisect_right(fit_heights, heights)]]
                if not isinstance(item, Continuation) and state.has_later_page and item.id not in state.no_jump:
                    window = state.catalog.jump_window(item, w)
                    if window is not None:
                        jumps.append((window[0], window[1], index))
            found.sort()
            self.rows[w] = [rows for rows, _ in found]
            self.stories[w] = [index for _, index in found]
            self.jumpable[w] = jumps

    def empty_cells(self, rows: int, width: int, exclude: int) -> int:
        """Cells likely left empty if the space ``rows`` x ``width`` goes to the next story but one."""
        if rows < MIN_ROWS:
            return rows * width
        if width not in self.rows:
            # Wider than any one story runs: judge the space as several such stories side by side.
            narrower = max((w for w in self.rows if w < width), default=None)
            return 0 if narrower is None else round(self.empty_cells(rows, narrower, exclude) * width / narrower)
        for lo, hi, index in self.jumpable[width]:
            if lo <= rows <= hi and index != exclude:
                return 0
        # The deepest fit of any other story that the space takes.
        stories = self.stories[width]
        at = bisect_right(self.rows[width], min(rows, self.heights)) - 1
        while at >= 0 and stories[at] == exclude:
            at -= 1
        if at < 0:
            return rows * width
        gap = rows - self.rows[width][at]
        return gap * width if gap < MIN_ROWS else 0


def space_score(state: SectionState, item, width: int, slot: Slot, order: int, rows: int,
                 leftover: Leftover) -> tuple[float, int]:
    """An option's score (lower is better) is this plus :func:`design_score`. This part is what a
    ``width`` x ``rows`` module of the story at ``order`` in the queue gives, whatever its design:
    queue order (priority) first, then the empty cells it leaves (with a look ahead at what can
    fill the space below), the module's shape (a little taller than wide reads best, up to half a
    page), its width (use the rectangle) and, under copy pressure, the preference for compact
    shapes (for roomy ones, a photo kept whole, a deck, when the pressure is negative: copy short).
    Returns the score and the empty cells it guessed."""
    gap = slot.height - rows
    empty = gap * width if gap < MIN_ROWS else leftover.empty_cells(gap, width, order)
    score = (order * ORDER_COST + empty * WASTE_COST + _shape_cost(state, width, rows) * SHAPE_COST
             - (width / slot.cols) * AREA_CREDIT)
    if state.pressure:
        score += (rows - state.catalog.heights(item, width)[0]) * width * COMPACT_COST * state.pressure
    return score, empty


def design_score(state: SectionState, item, fit: Fit, slot: Slot, rows: int, touching: bool | None = None) -> float:
    """The part of the score the fit's design gives: its cost with widows and orphans, the lead's
    picture, tombstones and photo clashes with what the page already has. ``touching``: whether a
    module of the fit's width at ``slot`` has a placed module beside it (worked out if None)."""
    score = fit.weight
    width = fit.design.cols
    placed = state.page.placements
    if not placed:
        if fit.design.photo is None and story_of(item).photos:
            score += LEAD_PHOTO_COST  # the page's lead keeps its picture
        return score
    if touching is None:
        touching = meets_placed(placed, slot.col, width)
    if touching:  # only a module whose edge touches another's can tombstone with it
        beside = Slot(slot.col, width, slot.top, rows)
        score += (TOMBSTONE_COST * tombstones_beside(placed, beside, fit.design)
                  + ALIKE_HEADLINE_COST * alike_beside(placed, beside, fit.design))
    if fit.design.photo is not None:
        box = photo_box(Slot(slot.col, width, slot.top, rows), fit.design, fit.photo_rows)
        assert box is not None  # the design has a photo
        clashes = photo_clashes(placed, box, state.page.cells)
        score += clashes.crowded * CROWDED_PHOTO_COST + clashes.second_dominant * SECOND_DOMINANT_PHOTO_COST
    return score


def meets_placed(placed: Sequence[Placement], col: int, width: int) -> bool:
    """Whether a placed module's edge meets the left or right edge of columns ``col`` .. ``col + width``."""
    right = col + width
    return any(p.slot.col + p.slot.cols == col or p.slot.col == right for p in placed)


def _shape_cost(state: SectionState, width: int, rows: int) -> float:
    """Log-distance of a ``width`` x ``rows`` module from a little taller than wide (at most half
    the page tall), the shape that reads best."""
    key = (width, rows)
    found = state.shapes.get(key)
    if found is None:
        fmt = state.fmt
        ideal = min(fmt.span_width(width) * 1.1, state.page.grid.rows * fmt.baseline / 2)
        found = state.shapes[key] = abs(math.log(max(rows * fmt.baseline, 1) / ideal))
    return found


def breaches(placed: Sequence[Placement], page_cells: int, first: int = 0) -> int:
    """Widows, orphans, tombstones and second dominant photos that the placements from index
    ``first`` on bring to a page of ``page_cells`` grid cells (each tombstoned pair counted once,
    with the later of the two; so is each dominant photo after the first)."""
    total = 0
    for index in range(first, len(placed)):
        p = placed[index]
        total += p.faults + tombstones_beside(placed[:index], p.slot, p.design)
        if p.photo_box is not None and photo_clashes(placed[:index], p.photo_box, page_cells).second_dominant:
            total += 1
    return total



def copy_pressure(catalog: FitCatalog, queue: Sequence, free: Sequence[Slot], grid: PageGrid, pages: int) -> float:
    """How far the stories left, each as it comes two columns wide, overrun the grid cells of this
    page and the section's later ones (``pages`` in all): 0.25 when they need a quarter more. The
    more copy overruns, the more placement prefers compact shapes (cropped or dropped photos, no
    deck), so that more stories get in."""
    copy = sum(catalog.natural_area(item, 2) for item in queue)
    room = sum(s.cols * s.height for s in free) + (pages - 1) * grid.fmt.columns * grid.rows
    return max(0.0, copy / room - 1) if room else 0.0

