"""Deciding where each article goes: a guillotine packer over the grid of each page.

A page's free area is cut into rectangles (around the ads and fixed zones). Each rectangle is filled
top-down: the best next article module is put in its top-left corner, and the rest of the rectangle
is cut into the part to its right and the part below it, which are filled in turn (right first, so
the next story in priority sits beside the one before it).

Every article offers several *fits* at each width (:mod:`.copyfit`): its natural shape, deeper or
shallower photo crops, the deck dropped, the photo dropped, a smaller headline, the headline stacked
a line deeper, a pull quote, a brief. The score of an option (:func:`_space_score` plus
:func:`_design_score`, lower is better) weighs priority order, empty grid cells left behind
(including a look ahead at whether anything can fill the space below), module shape, width,
tombstoned headlines, crowded or competing photos, widows and orphans, and the editorial cost of the
fit. When the best option leaves space empty, the next best are tried in its place (:func:`_fill`),
fewer widows, orphans and tombstones winning over any cost; the page lead stays with the most
important stories left. When the stories left overrun the section's pages, compact shapes are
preferred in proportion (:func:`_copy_pressure`); a section's last page with stories left over is
tried again with each of them first (:func:`_repack_last_page`); a page with an ad in a corner and
room to spare is tried again with the columns beside the ad running down to the page foot
(:func:`_fill_beside_ads`); the stories stacked above a space nothing filled grow into it
(:mod:`.gaps`); a hole still left takes a quotation from a story beside it (:mod:`.fillers`), and
once every section is laid out, a refer box to stories on other pages (:mod:`.refers`). A story too
long for the space left (or any long story on the front page) can *jump*: it fills part of the page
and continues on a later page of its section; this is where a jump is decided
(:func:`_jump_options`). Laying a whole section out again with its left-out stories first (or from
the page a jump that found no room left) is :mod:`epaper.layout`'s decision.

Decisions are plain records (:class:`Placement`); drawing them is :mod:`epaper.layout.compose`'s job.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from epaper.formats import PageFormat
from epaper.layout.copyfit import Fit, FitCatalog
from epaper.layout.fillers import QuoteFill, fill_with_quotes
from epaper.layout.gaps import grow_into_gaps
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.module import ModuleDesign
from epaper.layout.photos import photo_box, photo_clashes
from epaper.layout.tombstones import tombstones_beside
from epaper.model import Article

if TYPE_CHECKING:
    from epaper.layout.refers import ReferBox

__all__ = ["Continuation", "PageEntry", "PagePlan", "Placement", "SectionLayout", "Unplaced", "plan_pages"]

MIN_ROWS = 7          # a slot shallower than this cannot hold a story (headline + a few lines)
LOOKAHEAD = 30        # how many next stories (in priority order) the packer considers for a slot
ONE_COLUMN_MAX_LINES = 70  # longer stories never run as a single column (a "rail" of grey type)
SHORT_LEAD_LINES = 36      # a lead story shorter than this (at one column) may also lead two columns wide

# The score's weights (see _space_score and _design_score).
ORDER_COST = 60       # taking a story one place later than the queue order
WASTE_COST = 6        # each grid cell (one column x one row) left empty
SHAPE_COST = 40       # per unit of log-distance from a module a little taller than wide
AREA_CREDIT = 20      # using the whole width of the rectangle rather than part of it
TOMBSTONE_COST = 400  # a headline beside another of the same size
CROWDED_PHOTO_COST = 20   # a picture beside (or just above or below) another (see .photos)
SECOND_DOMINANT_PHOTO_COST = 250  # a second picture big enough to dominate the page
LEAD_PHOTO_COST = 300  # dropping the photo of the page's lead (the first story placed on it)
JUMP_COST = 150       # sending a story to another page
NARROW_JUMP_COST = 120  # ... from a single column (a stub of a story that reads as an afterthought)
FRONT_JUMP_COST = 30  # ... from the front page, where jumping is the rule for long stories
EMPTY_SLACK = 0.03    # a page with more of its grid empty than this is worth laying out again
COMPACT_COST = 8      # each cell beyond a story's most compact shape, times the copy pressure (see _copy_pressure)
PLACED_CREDIT = 300   # each story on the page (comparing trial fills: more stories read better)
RETRIES = 5           # options tried in a rectangle when the best one leaves space empty
RETRY_BUDGET = 80     # trial fills allowed per page (keeps layout fast)
LAST_PAGE_TRIALS = 3  # left-over stories a section's last page is laid out again with (see _repack_last_page)


@dataclass(frozen=True)
class Placement:
    """One article part on one page: its module design, grid slot and the body lines it carries."""

    article: Article
    design: ModuleDesign
    slot: Slot
    line_start: int
    line_end: int
    continued_to_part: bool = False    # this part ends with "Continued on page N"
    continued_from_page: int | None = None  # this part is the continuation of a jump from that page
    photo_rows: int | None = None
    adjustments: tuple[str, ...] = ()
    faults: int = 0  # widows and orphans copyfit measured for this shape (composition draws the same)

    @cached_property
    def photo_box(self) -> Slot | None:
        """The grid cells its picture and caption take (None without one)."""
        return photo_box(self.slot, self.design, self.photo_rows)


@dataclass(frozen=True)
class Continuation:
    """The rest of a jumped story, waiting for a later page."""

    article: Article
    line_start: int
    from_page: int


@dataclass
class PagePlan:
    number: int
    section: str
    template: str
    grid: PageGrid
    placements: list[Placement] = field(default_factory=list)
    ad_slots: list[tuple[object, Slot]] = field(default_factory=list)
    empty_slots: list[Slot] = field(default_factory=list)
    fillers: list[QuoteFill] = field(default_factory=list)  # quotations set in spaces nothing else filled
    refers: list[ReferBox] = field(default_factory=list)   # refer boxes in the spaces left after that

    @property
    def cells(self) -> int:
        """Grid cells (one column by one row) on the page."""
        return self.grid.fmt.columns * self.grid.rows

    @property
    def empty_cells(self) -> int:
        """Grid cells that no module, quotation, refer box or ad takes."""
        used = sum(p.slot.cols * p.slot.height for p in self.placements)
        used += sum(f.slot.cols * f.slot.height for f in self.fillers)
        used += sum(r.slot.cols * r.slot.height for r in self.refers)
        used += sum(slot.cols * slot.height for _, slot in self.ad_slots)
        return self.cells - used

    @property
    def breaches(self) -> int:
        """Widows, orphans, tombstones and second dominant photos on the page (see :func:`_breaches`)."""
        return _breaches(self.placements, self.cells)


@dataclass(frozen=True)
class Unplaced:
    article_id: str
    reason: str


@dataclass(frozen=True)
class PageEntry:
    """What a section's layout carried into one of its pages (``offset`` from the section's first):
    enough to lay the section out again from that page on."""

    offset: int
    plans: tuple[PagePlan, ...]          # the section's pages before it
    carried: tuple[Continuation, ...]    # jumped stories waiting to continue
    unpinned: tuple[Article, ...]        # the queue of stories not yet placed
    before: tuple["PageEntry", ...]      # the entries of the pages before it


@dataclass(frozen=True)
class SectionLayout:
    """One section laid out: its page plans, what did not fit, the jumps still open (continuations
    that found no room) and what each page began with (:class:`PageEntry`)."""

    plans: list[PagePlan]
    unplaced: list[Unplaced]
    open_jumps: list[Continuation]
    entries: tuple[PageEntry, ...]


@dataclass(frozen=True)
class _Option:
    item: Article | Continuation
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


@dataclass
class _SectionState:
    fmt: PageFormat
    catalog: FitCatalog
    queue: list[Article | Continuation]
    has_later_page: bool
    page: PagePlan
    carried: list[Continuation] = field(default_factory=list)
    no_jump: frozenset[str] = frozenset()
    retry_budget: int = 0
    shapes: dict[tuple[int, int], float] = field(default_factory=dict)  # (width, rows) -> shape cost
    pressure: float = 0.0  # how far the copy left overruns the section's pages left (0: it fits)


def _article(item: Article | Continuation) -> Article:
    return item.article if isinstance(item, Continuation) else item


def _candidate_widths(item, slot: Slot, is_lead: bool, fmt: PageFormat, catalog: FitCatalog) -> list[int]:
    article = _article(item)
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
    article = _article(item)
    if isinstance(item, Continuation) or not article.pin or not article.pin.slot:
        return True
    where = article.pin.slot
    if where == "lead":
        return is_lead
    if where == "top":
        return slot.top < grid_rows // 2
    return slot.top >= grid_rows // 2  # bottom


class _Leftover:
    """What the queue can put in the space a module leaves below it: for each width, every fit
    height of the stories in reach, sorted. Built once per rectangle, asked once per option."""

    def __init__(self, state: _SectionState, heights: int, widths: Sequence[int]):
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


def _space_score(state: _SectionState, item, width: int, slot: Slot, order: int, rows: int,
                 leftover: _Leftover) -> tuple[float, int]:
    """An option's score (lower is better) is this plus :func:`_design_score`. This part is what a
    ``width`` x ``rows`` module of the story at ``order`` in the queue gives, whatever its design:
    queue order (priority) first, then the empty cells it leaves (with a look ahead at what can
    fill the space below), the module's shape (a little taller than wide reads best, up to half a
    page), its width (use the rectangle) and, under copy pressure, the preference for compact
    shapes. Returns the score and the empty cells it guessed."""
    gap = slot.height - rows
    empty = gap * width if gap < MIN_ROWS else leftover.empty_cells(gap, width, order)
    score = (order * ORDER_COST + empty * WASTE_COST + _shape_cost(state, width, rows) * SHAPE_COST
             - (width / slot.cols) * AREA_CREDIT)
    if state.pressure:
        score += (rows - state.catalog.heights(item, width)[0]) * width * COMPACT_COST * state.pressure
    return score, empty


def _design_score(state: _SectionState, item, fit: Fit, slot: Slot, rows: int, touching: bool | None = None) -> float:
    """The part of the score the fit's design gives: its cost with widows and orphans, the lead's
    picture, tombstones and photo clashes with what the page already has. ``touching``: whether a
    module of the fit's width at ``slot`` has a placed module beside it (worked out if None)."""
    score = fit.weight
    width = fit.design.cols
    placed = state.page.placements
    if not placed:
        if fit.design.photo is None and _article(item).photos:
            score += LEAD_PHOTO_COST  # the page's lead keeps its picture
        return score
    if touching is None:
        touching = _touching(placed, slot.col, width)
    if touching:  # only a module whose edge touches another's can tombstone with it
        score += TOMBSTONE_COST * tombstones_beside(placed, Slot(slot.col, width, slot.top, rows), fit.design)
    if fit.design.photo is not None:
        box = photo_box(Slot(slot.col, width, slot.top, rows), fit.design, fit.photo_rows)
        clashes = photo_clashes(placed, box, state.page.cells)
        score += clashes.crowded * CROWDED_PHOTO_COST + clashes.second_dominant * SECOND_DOMINANT_PHOTO_COST
    return score


def _touching(placed: Sequence[Placement], col: int, width: int) -> bool:
    """Whether a placed module's edge meets the left or right edge of columns ``col`` .. ``col + width``."""
    right = col + width
    return any(p.slot.col + p.slot.cols == col or p.slot.col == right for p in placed)


def _shape_cost(state: _SectionState, width: int, rows: int) -> float:
    """Log-distance of a ``width`` x ``rows`` module from a little taller than wide (at most half
    the page tall), the shape that reads best."""
    key = (width, rows)
    found = state.shapes.get(key)
    if found is None:
        fmt = state.fmt
        ideal = min(fmt.span_width(width) * 1.1, state.page.grid.rows * fmt.baseline / 2)
        found = state.shapes[key] = abs(math.log(max(rows * fmt.baseline, 1) / ideal))
    return found


def _fit_options(state: _SectionState, item, cols: int, slot: Slot, order: int, leftover: _Leftover) -> list[_Option]:
    """At most four options per story and width: the best fit that closes the rectangle (its
    bottom within a few rows of the rectangle's), the best that leaves room below for more stories
    and, where that best one has a widow or orphan, the best one without (the retries of
    :func:`_fill` can then weigh it against what the faulty one packs better)."""
    best: dict[tuple[bool, bool], tuple[float, int, Fit]] = {}  # (closes the rectangle, clean) -> best
    space: dict[int, tuple[float, int]] = {}  # rows -> the space score (shared by the fits of that height)
    touching = _touching(state.page.placements, slot.col, cols)
    # Nothing beside and a page already begun: a fit without a photo scores its weight alone.
    plain = bool(state.page.placements) and not touching
    for fit in state.catalog.fits(item, cols):
        if fit.rows > slot.height:
            break  # fits come shallowest first
        found = space.get(fit.rows)
        if found is None:
            found = space[fit.rows] = _space_score(state, item, cols, slot, order, fit.rows, leftover)
        design = fit.weight if plain and fit.design.photo is None else _design_score(
            state, item, fit, slot, fit.rows, touching)
        score, empty = found[0] + design, found[1]
        closes = slot.height - fit.rows < MIN_ROWS
        key = (closes, False)
        found = best.get(key)
        if found is None or score < found[0]:
            best[key] = (score, empty, fit)
        if not fit.faults:
            key = (closes, True)
            found = best.get(key)
            if found is None or score < found[0]:
                best[key] = (score, empty, fit)
    chosen = []
    for closes in (True, False):
        overall, clean = best.get((closes, False)), best.get((closes, True))
        chosen += [overall] if overall is not None else []
        if clean is not None and (overall is None or clean[2] is not overall[2]):
            chosen.append(clean)  # the best one has a widow or orphan: offer the best clean one too
    start = item.line_start if isinstance(item, Continuation) else 0
    return [_Option(item, fit, fit.rows, score, start, len(fit.design.body), guessed_empty=empty)
            for score, empty, fit in chosen]


def _jump_options(state: _SectionState, item, cols: int, slot: Slot, order: int, leftover: _Leftover) -> list[_Option]:
    """A story may fill part of its page and continue on a later one, within the jump rules
    (:meth:`~epaper.layout.copyfit.FitCatalog.jump_fits` measures where it can jump). Heights
    tried: the whole rectangle, and a few heights that leave room below for other stories."""
    if isinstance(item, Continuation) or not state.has_later_page or item.id in state.no_jump:
        return []
    window = state.catalog.jump_window(item, cols)
    if window is None:
        return []
    lo, hi = window
    heights = {h for h in (lo, lo + (hi - lo) // 3, lo + 2 * (hi - lo) // 3) if slot.height - h >= MIN_ROWS}
    if lo <= slot.height <= hi:
        heights.add(slot.height)
    jump_cost = FRONT_JUMP_COST if state.page.template == "front" else JUMP_COST
    if cols == 1:
        jump_cost += NARROW_JUMP_COST
    options = []
    for rows in sorted(heights):
        space, empty = _space_score(state, item, cols, slot, order, rows, leftover)
        for fit, end in state.catalog.jump_fits(item, cols, rows, jump_cost):
            score = space + _design_score(state, item, fit, slot, rows)
            options.append(_Option(item, fit, rows, score, 0, end, jumps=True, guessed_empty=empty))
    return options


def _options(state: _SectionState, slot: Slot, is_lead: bool) -> list[_Option]:
    fmt = state.fmt
    widths = sorted({w for item in state.queue[:LOOKAHEAD] for w in _candidate_widths(item, slot, False, fmt, state.catalog)})
    leftover = _Leftover(state, slot.height, widths)
    options: list[_Option] = []
    # No option of a story at ``order`` scores below order * ORDER_COST - AREA_CREDIT (every other
    # term is a cost), except a jump under copy pressure (shallower than the story's shallowest fit):
    # once the options that _fill can try all score below that, later stories cannot change its choice.
    bounded = not is_lead and not (state.pressure and state.has_later_page)
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
                found += _jump_options(state, item, cols, slot, order, leftover)
            options += found
    if is_lead and state.queue:
        # The page's lead position belongs to the most important stories left (those of the queue
        # head's priority) whenever one fits there: trial fills that place more stories never
        # demote the lead below them.
        top = _article(state.queue[0]).priority
        leads = [o for o in options if not isinstance(o.item, Continuation) and _article(o.item).priority <= top]
        return leads or options
    return options


def _sorted_options(state: _SectionState, slot: Slot, is_lead: bool) -> list[_Option]:
    """The options for ``slot``, best first (lowest score; among equals the narrower, then the shallower)."""
    return sorted(_options(state, slot, is_lead), key=lambda o: (o.score, o.design.cols, o.rows))


def _settled(options: Sequence[_Option], floor: float) -> bool:
    """Whether the options _fill would try (the best few, and the best that keeps its story whole)
    all score below ``floor``."""
    below = [o for o in options if o.score < floor]
    return len(below) >= RETRIES and any(not o.jumps for o in below)


def _fill(state: _SectionState, slot: Slot, is_lead: bool) -> float:
    """Fill ``slot`` and return the cost of what was put there (scores of the options taken plus the
    cells left empty). If the best option leaves empty cells or a breach, the next best are tried in
    its place, within the page's retry budget; the outcome with the fewest breaches, then the
    cheapest, is kept."""
    if slot.height < MIN_ROWS or slot.cols < 1:
        if slot.height > 1 and slot.cols >= 1:
            state.page.empty_slots.append(slot)
        return slot.cols * slot.height * WASTE_COST if slot.height > 1 else 0.0
    options = _sorted_options(state, slot, is_lead)
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
    before = _Snapshot.take(state)

    def attempt(option: _Option) -> None:
        if tried:
            before.restore(state)
        cost = _take(state, slot, option)
        tried.append(_Trial(_breaches(state.page.placements, state.page.cells, len(before.placements)), cost,
                            _Snapshot.take(state), _empty_cells(state, before)))

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
    # The rules first: a fill with fewer breaches (see _breaches) wins whatever it costs; and a small
    # space that nothing fills without a breach stays empty (a quotation may take it later).
    breaches, cost, outcome, _ = min(tried, key=lambda t: t[:2])
    if breaches and slot.cols * slot.height <= EMPTY_SLACK * state.page.cells:
        before.restore(state)
        state.page.empty_slots.append(slot)
        return slot.cols * slot.height * WASTE_COST
    outcome.restore(state)
    return cost


class _Trial(NamedTuple):
    """One option tried in a rectangle (:func:`_fill`): the rule breaches and cost of the fill it
    led to, that fill, and the cells it left empty."""

    breaches: int
    cost: float
    outcome: "_Snapshot"
    empty: int


def _take(state: _SectionState, slot: Slot, option: _Option) -> float:
    """Place ``option`` at the top left of ``slot`` and fill what it leaves (right, then below)."""
    cost = _place(state, slot, option)
    cols = option.design.cols
    if cols < slot.cols:
        cost += _fill(state, Slot(slot.col + cols, slot.cols - cols, slot.top, slot.height), False)
    cost += _fill(state, Slot(slot.col, cols, slot.top + option.rows, slot.height - option.rows), False)
    return cost


def _place(state: _SectionState, slot: Slot, option: _Option) -> float:
    """Put ``option`` at the top left of ``slot``; its cost (the score less the guessed emptiness)."""
    state.queue.remove(option.item)
    cols = option.design.cols
    item = option.item
    page = state.page
    page.placements.append(Placement(
        article=_article(item),
        design=option.design, slot=Slot(slot.col, cols, slot.top, option.rows),
        line_start=option.line_start, line_end=option.line_end,
        continued_to_part=option.jumps,
        continued_from_page=item.from_page if isinstance(item, Continuation) else None,
        photo_rows=option.fit.photo_rows, adjustments=option.fit.adjustments, faults=option.fit.faults,
    ))
    if option.jumps:
        state.carried.append(Continuation(item, option.line_end, page.number))
    return option.score - option.guessed_empty * WASTE_COST - PLACED_CREDIT


def _empty_cells(state: _SectionState, since: "_Snapshot") -> int:
    return sum(s.cols * s.height for s in state.page.empty_slots[since.empty:])


def _breaches(placed: Sequence[Placement], page_cells: int, first: int = 0) -> int:
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


@dataclass(frozen=True)
class _Snapshot:
    """Enough of the section's state to undo a trial fill."""

    queue: tuple
    placements: tuple[Placement, ...]
    carried: tuple[Continuation, ...]
    empty_slots: tuple[Slot, ...]

    @property
    def empty(self) -> int:
        return len(self.empty_slots)

    @classmethod
    def take(cls, state: _SectionState) -> "_Snapshot":
        return cls(tuple(state.queue), tuple(state.page.placements), tuple(state.carried),
                   tuple(state.page.empty_slots))

    def restore(self, state: _SectionState) -> None:
        state.queue[:] = self.queue
        state.page.placements[:] = self.placements
        state.carried[:] = self.carried
        state.page.empty_slots[:] = self.empty_slots


def _free_slots(grid: PageGrid, ads: Sequence) -> tuple[list[Slot], list[tuple[object, Slot]]]:
    """The page's editorial rectangles once ads are cut out (guillotine cuts across each ad first:
    the full width above and below it, then beside it)."""
    free = [Slot(0, grid.fmt.columns, 0, grid.rows)]
    ad_slots = []
    for ad in ads:
        ad_slot = grid.ad_slot(ad)
        ad_slots.append((ad, ad_slot))
        free = _cut_around(free, ad_slot, across=True)
    return sorted(free, key=lambda s: (s.top, s.col)), ad_slots


def _cut_around(free: Sequence[Slot], block: Slot, across: bool) -> list[Slot]:
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


def _fits_of(catalog: FitCatalog, placed: Placement) -> Sequence[Fit] | None:
    """The fits of a placed story part at its width; None for a part that jumps (its height
    decides where the jump falls)."""
    if placed.continued_to_part:
        return None
    item = (Continuation(placed.article, placed.line_start, placed.continued_from_page)
            if placed.continued_from_page is not None else placed.article)
    return catalog.fits(item, placed.design.cols)


def _fill_page(state: _SectionState, free: Sequence[Slot]) -> None:
    for index, slot in enumerate(free):
        _fill(state, slot, is_lead=index == 0)


def _fill_beside_ads(state: _SectionState, before: "_Snapshot", free: Sequence[Slot]) -> None:
    """The page laid out again with the space cut down beside each ad (its full height first)
    rather than across it. With an ad in a bottom corner the usual cut leaves the full width above
    the ad and a narrow space beside it, and a long story may fit in neither: under a shallower
    lead, the columns beside the ad run down to the page foot. With an ad in a top corner the
    lead's space is only as deep as the ad, too shallow for some stories' clean shapes: cut beside
    the ad, it runs the page's depth. The new layout is kept if it is better (:func:`_better_page`)."""
    plan = state.page
    grid = plan.grid
    ads = [slot for _, slot in plan.ad_slots]
    corner_ads = [slot for slot in ads if slot.cols < grid.fmt.columns]
    if not corner_ads or not free:
        return
    full = [Slot(0, grid.fmt.columns, 0, grid.rows)]
    beside = full
    for block in ads:
        beside = _cut_around(beside, block, across=False)
    deeper = min(beside, key=lambda s: (s.top, s.col))
    # The usual lead space, if the page has room to spare (a shallower lead may close it); and with
    # an ad in a top corner, the lead's space running down beside it (for room, or a clean shape).
    lead_slots = [free[0]] if plan.empty_cells > EMPTY_SLACK * plan.cells else []
    if (deeper.col, deeper.cols, deeper.top) == (free[0].col, free[0].cols, free[0].top) and deeper.height > free[0].height:
        lead_slots.append(deeper)
    best, best_figures = _Snapshot.take(state), _repack_figures(state)
    for lead_slot in lead_slots:
        before.restore(state)
        options = _sorted_options(state, lead_slot, True)
        # In the usual space, only a lead that ends above an ad's top leaves room to cut differently.
        trials = [o for o in options if lead_slot is not free[0]
                  or lead_slot.top + o.rows < max(ad.top for ad in corner_ads)][:RETRIES]
        for option in trials:
            before.restore(state)
            state.retry_budget = RETRY_BUDGET // len(trials)
            _place(state, lead_slot, option)
            rest = _cut_around(full, plan.placements[-1].slot, across=True)
            for block in ads:
                rest = _cut_around(rest, block, across=False)
            for slot in sorted(rest, key=lambda s: (s.top, s.col)):
                _fill(state, slot, is_lead=False)
            figures = _repack_figures(state)
            if _better_page(figures, best_figures):
                best, best_figures = _Snapshot.take(state), figures
    best.restore(state)


def _repack_last_page(state: _SectionState, before: "_Snapshot", free: Sequence[Slot]) -> None:
    """The section's last page, with stories left over and room to spare, laid out again with each
    of the first few left-over stories taken right after the lead. The greedy packer takes stories
    in priority order, and a story further down may close the page better; a new layout is kept if
    it leaves fewer cells empty, no more stories out (no jumped story's continuation above all: on
    the last page it has nowhere else to go) and no more breaches."""
    plan = state.page
    left = [x for x in state.queue if isinstance(x, Article)]
    if not left or plan.empty_cells <= EMPTY_SLACK * plan.cells:
        return
    best = _Snapshot.take(state)
    best_figures = _repack_figures(state)
    pressure = state.pressure
    for story in left[:LAST_PAGE_TRIALS]:
        before.restore(state)
        state.queue.remove(story)
        state.queue.insert(1, story)
        state.retry_budget, state.pressure = RETRY_BUDGET, pressure
        _fill_page(state, free)
        figures = _repack_figures(state)
        if _better_page(figures, best_figures):
            best, best_figures = _Snapshot.take(state), figures
    best.restore(state)


def _repack_figures(state: _SectionState) -> tuple[int, int, int, int]:
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


def _copy_pressure(catalog: FitCatalog, queue: Sequence, free: Sequence[Slot], grid: PageGrid, pages: int) -> float:
    """How far the stories left, each as it comes two columns wide, overrun the grid cells of this
    page and the section's later ones (``pages`` in all): 0.25 when they need a quarter more. The
    more copy overruns, the more placement prefers compact shapes (cropped or dropped photos, no
    deck), so that more stories get in."""
    copy = sum(catalog.natural_area(item, 2) for item in queue)
    room = sum(s.cols * s.height for s in free) + (pages - 1) * grid.fmt.columns * grid.rows
    return max(0.0, copy / room - 1) if room else 0.0


def _queue_order(articles: Sequence[Article]) -> list[Article]:
    """Priority first; within a priority, the longer story first (it is the harder one to place)."""
    return sorted(articles, key=lambda a: (a.priority, -a.word_count, a.id))


def plan_pages(
    fmt: PageFormat,
    section: str,
    template: str,
    first_page: int,
    page_count: int,
    articles: Sequence[Article],
    grids: Sequence[PageGrid],
    ads_by_page: dict[int, list],
    *,
    catalog: FitCatalog,
    incoming: Sequence[Continuation] = (),
    no_jump: frozenset[str] = frozenset(),
    continues_after: bool = True,
    locked: dict[int, PagePlan] | None = None,
    promote: frozenset[str] = frozenset(),
    resume: PageEntry | None = None,
) -> SectionLayout:
    """Lay out one section's pages: the plans, what did not fit, and jumps still open.

    ``incoming`` are continuations of front-page stories from the section before; a front page's own
    stories may jump into the next section if ``continues_after``. ``promote``: stories to take
    right after the lead. ``locked`` pages (from the previous run) are kept as they were; their
    stories leave the queue. ``resume``: the section laid out again from one of its pages, the
    pages before it kept (a page's :attr:`SectionLayout.entries`)."""
    locked = locked or {}
    locked_ids = {p.article.id for plan in locked.values() for p in plan.placements}
    pinned = {a.id: a.pin.page for a in articles if a.pin and a.pin.page}
    ordered = _queue_order(articles)
    unpinned = [a for a in ordered if a.id not in pinned and a.id not in locked_ids]
    # Stories a first attempt could not place go to the head of the queue (after the lead), so
    # they get an early page, from which they may jump.
    unpinned = unpinned[:1] + [a for a in unpinned[1:] if a.id in promote] + [
        a for a in unpinned[1:] if a.id not in promote]
    plans: list[PagePlan] = []
    carried: list[Continuation] = []
    entries: list[PageEntry] = []
    start = 0
    if resume is not None:
        start = resume.offset
        plans, carried, unpinned = list(resume.plans), list(resume.carried), list(resume.unpinned)
        entries = list(resume.before)
    for offset in range(start, page_count):
        entries.append(PageEntry(offset, tuple(plans), tuple(carried), tuple(unpinned), tuple(entries)))
        number = first_page + offset
        if number in locked:
            plan = locked[number]
            plans.append(plan)
            carried = [c for c in carried if c.article.id not in locked_ids]
            carried += [Continuation(p.article, p.line_end, number) for p in plan.placements if p.continued_to_part]
            continue
        grid = grids[offset]
        plan = PagePlan(number=number, section=section, template=template, grid=grid)
        # Pinned stories lead their page; continuations follow the lead; then the section's queue.
        page_pins = [a for a in ordered if pinned.get(a.id) == number and a.id not in locked_ids]
        main = page_pins + unpinned
        lead, rest = (main[:1], main[1:]) if main else ([], [])
        queue = list(dict.fromkeys(lead + carried + list(incoming if offset == 0 else []) + rest))
        free, ad_slots = _free_slots(grid, ads_by_page.get(number, []))
        plan.ad_slots = ad_slots
        state = _SectionState(fmt=fmt, catalog=catalog, queue=queue, page=plan, no_jump=no_jump,
                              has_later_page=offset < page_count - 1 or (template == "front" and continues_after),
                              retry_budget=RETRY_BUDGET,
                              pressure=_copy_pressure(catalog, queue, free, grid, page_count - offset))
        before = _Snapshot.take(state)
        _fill_page(state, free)
        if state.pressure and not any(isinstance(x, Article) for x in state.queue) and (
                plan.empty_cells > EMPTY_SLACK * plan.cells):
            # Squeezed for copy that then ran out: lay the page out again at the stories' ease.
            squeezed, squeezed_empty = _Snapshot.take(state), plan.empty_cells
            squeezed_breaches = plan.breaches
            before.restore(state)
            state.pressure, state.retry_budget = 0.0, RETRY_BUDGET
            _fill_page(state, free)
            if (any(isinstance(x, Article) for x in state.queue) or plan.empty_cells >= squeezed_empty
                    or plan.breaches > squeezed_breaches):
                squeezed.restore(state)  # the squeezed page was the better one after all
        if not state.has_later_page:
            _repack_last_page(state, before, free)
        if plan.empty_cells > EMPTY_SLACK * plan.cells or plan.breaches:
            _fill_beside_ads(state, before, free)
        grow_into_gaps(plan.placements, plan.empty_slots, lambda placed: _fits_of(catalog, placed), plan.cells)
        plan.fillers = fill_with_quotes(plan.placements, plan.empty_slots, fmt, catalog.breaker)
        # Continuations that found no room here wait for the next page (never dropped).
        carried = state.carried + [x for x in state.queue if isinstance(x, Continuation)]
        placed_ids = {p.article.id for p in plan.placements}
        unpinned = [a for a in unpinned if a.id not in placed_ids]
        plans.append(plan)
        incoming = ()
    left_pins = [a for a in ordered if a.id in pinned and a.id not in locked_ids
                 and not any(p.article.id == a.id for plan in plans for p in plan.placements)]
    unplaced = [Unplaced(a.id, "") for a in left_pins + unpinned]
    return SectionLayout(plans, unplaced, carried, tuple(entries))
