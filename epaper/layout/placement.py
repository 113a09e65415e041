"""Deciding where each article goes: a guillotine packer over the grid of each page.

A page's free area is cut into rectangles (around the ads and fixed zones). Each rectangle is filled
top-down: the best next article module is put in its top-left corner, and the rest of the rectangle
is cut into the part to its right and the part below it, which are filled in turn (right first, so
the next story in priority sits beside the one before it). A story too long for the space left can
*jump*: it fills the rectangle exactly and continues on a later page of its section; this is where
a jump is decided (:func:`_jump_option`).

Decisions are plain records (:class:`Placement`); drawing them is :mod:`epaper.layout.compose`'s job.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from epaper.formats import PageFormat
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.module import ModuleDesign, body_lines, design_module, photo_row_range
from epaper.model import Article

__all__ = ["Continuation", "PagePlan", "Placement", "Unplaced", "plan_pages"]

MIN_ROWS = 7          # a slot shallower than this cannot hold a story (headline + a few lines)
LOOKAHEAD = 40        # how many next stories (in priority order) the packer considers for a slot
ORDER_COST = 60       # score cost of taking a story one place later than the queue order
ONE_COLUMN_MAX_LINES = 70  # longer stories never run as a single column (a "rail" of grey type)
JUMP_BEFORE_LINES = math.ceil(4 * 72 / 10.5)   # at least 4 column inches before a jump
JUMP_AFTER_LINES = math.ceil(6 * 72 / 10.5)    # and 6 after it


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


@dataclass(frozen=True)
class Unplaced:
    article_id: str
    reason: str


@dataclass(frozen=True)
class _Option:
    item: Article | Continuation
    design: ModuleDesign
    rows: int
    score: float
    line_start: int
    line_end: int
    jumps: bool = False
    photo_rows: int | None = None
    adjustments: tuple[str, ...] = ()


@dataclass
class _SectionState:
    fmt: PageFormat
    breaker: str
    queue: list[Article | Continuation]
    has_later_page: bool
    page: PagePlan
    carried: list[Continuation] = field(default_factory=list)
    no_jump: frozenset[str] = frozenset()


def _candidate_widths(item, slot: Slot, is_lead: bool, fmt: PageFormat) -> list[int]:
    if slot.cols <= 2:
        return list(range(slot.cols, 0, -1))
    if is_lead:
        return [w for w in (slot.cols, slot.cols - 1, slot.cols - 2) if w >= 3] or [slot.cols]
    top = min(slot.cols, 4 if fmt.columns >= 6 else 3)
    return list(range(top, 0, -1))


def _fit_option(state: _SectionState, item, design: ModuleDesign, slot: Slot, order: int) -> _Option | None:
    fmt = state.fmt
    if isinstance(item, Continuation):
        start, end = item.line_start, len(design.body)
        need = design.rows_for(end - start, extra_lines=1)  # "Continued from" line
    else:
        start, end = 0, len(design.body)
        need = design.natural_rows
    if need > slot.height:
        return None
    gap = slot.height - need
    photo_rows = design.photo.rows if design.photo else None
    adjustments: list[str] = []
    if 0 < gap < MIN_ROWS and design.photo is not None:
        # Deepen the photo's crop, row by row, until the module reaches the bottom of the slot.
        lo, hi = photo_row_range(design, fmt)
        for rows in range(design.photo.rows + 1, hi + 1):
            grown = design.rows_for(end - start, extra_lines=1 if isinstance(item, Continuation) else 0, photo_rows=rows)
            if grown > slot.height:
                break
            photo_rows, need = rows, grown
        gap = slot.height - need
        if photo_rows != design.photo.rows:
            adjustments.append(f"photo deepened to {photo_rows} rows to fill the slot")
    area = design.cols / slot.cols
    waste = gap * design.cols if gap < MIN_ROWS else 0
    height_pt = need * fmt.baseline
    shape = abs(math.log(max(height_pt, 1) / (fmt.span_width(design.cols) * 1.1)))
    score = order * ORDER_COST + waste * 6 + shape * 40 - area * 20
    return _Option(item, design, need, score, start, end, photo_rows=photo_rows, adjustments=tuple(adjustments))


def _jump_option(state: _SectionState, item, design: ModuleDesign, slot: Slot, order: int) -> _Option | None:
    """A story that does not fit may fill the slot and continue later, within the jump rules."""
    if isinstance(item, Continuation) or not state.has_later_page or item.id in state.no_jump:
        return None
    total = len(design.body)
    capacity = design.capacity(slot.height, reserved_lines=1)  # "Continued on page N"
    if capacity < JUMP_BEFORE_LINES or total - capacity < JUMP_AFTER_LINES:
        return None
    # Never jump after a hyphenated line or after a paragraph's last line.
    end = capacity
    while end > JUMP_BEFORE_LINES and (design.body.lines[end - 1].hyphenated or design.body.lines[end - 1].last_of_paragraph):
        end -= 1
    if end <= JUMP_BEFORE_LINES and (design.body.lines[end - 1].hyphenated or design.body.lines[end - 1].last_of_paragraph):
        return None
    waste = (capacity - end) * 1.0
    score = order * ORDER_COST + 150 + waste * 10
    return _Option(item, design, slot.height, score, 0, end, jumps=True,
                   adjustments=(f"jumped after {end} of {total} lines",))


def _options(state: _SectionState, slot: Slot, is_lead: bool) -> list[_Option]:
    fmt = state.fmt
    options: list[_Option] = []
    for order, item in enumerate(state.queue[:LOOKAHEAD]):
        article = item.article if isinstance(item, Continuation) else item
        for cols in _candidate_widths(item, slot, is_lead and order == 0, fmt):
            if cols == 1 and slot.cols > 1 and len(body_lines(article, fmt, state.breaker)) > ONE_COLUMN_MAX_LINES:
                continue
            design = design_module(article, cols, fmt, breaker=state.breaker,
                                   jump_head=isinstance(item, Continuation))
            option = _fit_option(state, item, design, slot, order)
            if option is None and design.photo is not None:
                smaller = design_module(article, cols, fmt, breaker=state.breaker, with_photo=False)
                option = _fit_option(state, item, smaller, slot, order)
                if option is not None:
                    option = _Option(**{**option.__dict__, "adjustments": option.adjustments + ("photo dropped to fit",)})
            if option is None:
                option = _jump_option(state, item, design, slot, order)
            if option is not None:
                options.append(option)
    return options


def _fill(state: _SectionState, slot: Slot, is_lead: bool) -> None:
    if slot.height < MIN_ROWS or slot.cols < 1:
        if slot.height > 1 and slot.cols >= 1:
            state.page.empty_slots.append(slot)
        return
    options = _options(state, slot, is_lead)
    if not options:
        state.page.empty_slots.append(slot)
        return
    best = min(options, key=lambda o: (o.score, o.design.cols))
    state.queue.remove(best.item)
    cols = best.design.cols
    placed_slot = Slot(slot.col, cols, slot.top, best.rows)
    item = best.item
    page = state.page
    page.placements.append(Placement(
        article=item.article if isinstance(item, Continuation) else item,
        design=best.design, slot=placed_slot, line_start=best.line_start, line_end=best.line_end,
        continued_to_part=best.jumps,
        continued_from_page=item.from_page if isinstance(item, Continuation) else None,
        photo_rows=best.photo_rows, adjustments=best.adjustments,
    ))
    if best.jumps:
        state.carried.append(Continuation(item, best.line_end, page.number))
    if cols < slot.cols:
        _fill(state, Slot(slot.col + cols, slot.cols - cols, slot.top, slot.height), False)
    _fill(state, Slot(slot.col, cols, slot.top + best.rows, slot.height - best.rows), False)


def _free_slots(grid: PageGrid, ads: Sequence) -> tuple[list[Slot], list[tuple[object, Slot]]]:
    """The page's editorial rectangles once ads are cut out (guillotine cuts around each ad)."""
    fmt = grid.fmt
    free = [Slot(0, fmt.columns, 0, grid.rows)]
    ad_slots = []
    for ad in ads:
        ad_slot = grid.ad_slot(ad)
        ad_slots.append((ad, ad_slot))
        next_free = []
        for s in free:
            if not (s.col < ad_slot.col + ad_slot.cols and ad_slot.col < s.col + s.cols
                    and s.top < ad_slot.bottom and ad_slot.top < s.bottom):
                next_free.append(s)
                continue
            # Cut horizontally at the ad's edge, then beside it.
            if ad_slot.top > s.top:
                next_free.append(Slot(s.col, s.cols, s.top, ad_slot.top - s.top))
            if ad_slot.bottom < s.bottom:
                next_free.append(Slot(s.col, s.cols, ad_slot.bottom, s.bottom - ad_slot.bottom))
            band_top, band_bottom = max(s.top, ad_slot.top), min(s.bottom, ad_slot.bottom)
            if ad_slot.col > s.col:
                next_free.append(Slot(s.col, ad_slot.col - s.col, band_top, band_bottom - band_top))
            if ad_slot.col + ad_slot.cols < s.col + s.cols:
                right = ad_slot.col + ad_slot.cols
                next_free.append(Slot(right, s.col + s.cols - right, band_top, band_bottom - band_top))
        free = next_free
    free.sort(key=lambda s: (s.top, s.col))
    return free, ad_slots


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
    breaker: str,
    incoming: Sequence[Continuation] = (),
    no_jump: frozenset[str] = frozenset(),
) -> tuple[list[PagePlan], list[Unplaced], list[Continuation]]:
    """Lay out one section's pages. Returns the plans, what did not fit, and jumps still open."""
    pinned = {a.id: a.pin.page for a in articles if a.pin and a.pin.page}
    queue: list[Article | Continuation] = list(incoming)
    unpinned = [a for a in _queue_order(articles) if a.id not in pinned]
    plans: list[PagePlan] = []
    carried: list[Continuation] = []
    for offset in range(page_count):
        number = first_page + offset
        grid = grids[offset]
        plan = PagePlan(number=number, section=section, template=template, grid=grid)
        # Pinned stories lead their page; continuations follow the lead; then the section's queue.
        page_pins = [a for a in _queue_order(articles) if pinned.get(a.id) == number]
        main = page_pins + [x for x in unpinned if x in queue or not isinstance(x, Continuation)]
        lead, rest = (main[:1], main[1:]) if main else ([], [])
        queue = lead + carried + list(incoming if offset == 0 else []) + [x for x in rest]
        queue = list(dict.fromkeys(queue))  # keep order, no duplicates
        carried = []
        free, ad_slots = _free_slots(grid, ads_by_page.get(number, []))
        plan.ad_slots = ad_slots
        state = _SectionState(fmt=fmt, breaker=breaker, queue=queue, page=plan, no_jump=no_jump,
                              has_later_page=offset < page_count - 1 or template == "front")
        for index, slot in enumerate(free):
            _fill(state, slot, is_lead=index == 0)
        carried = state.carried
        placed_ids = {p.article.id for p in plan.placements}
        unpinned = [a for a in unpinned if a.id not in placed_ids]
        plans.append(plan)
        incoming = ()
    unplaced = [Unplaced(a.id, "") for a in unpinned]
    return plans, unplaced, carried
