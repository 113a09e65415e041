"""Deciding where each article goes, section by section: the section strategy.

:func:`plan_pages` lays out one section's pages in turn. Each page's free area is cut into
rectangles around its ads and filled by the guillotine packer (:mod:`.packer`), which takes the best
scored option (:mod:`.scoring`) of the stories in reach (:mod:`.candidates`: every fit copyfit
measured at each width, and where a story may *jump*: :func:`~epaper.layout.candidates.jump_options`
is where a jump is decided). When the stories left overrun the section's pages, compact shapes are
preferred in proportion (:func:`~epaper.layout.scoring.copy_pressure`); a page squeezed for copy that
then ran out is laid out again at the stories' ease; the section's last page with stories left over
and a page with an ad in a corner are laid out again other ways (:mod:`.trials`); the stories
stacked above a space nothing filled grow into it (:mod:`.gaps`); a hole still left takes a
quotation from a story beside it (:mod:`.fillers`), and once every section is laid out, a refer box
to stories on other pages (:mod:`.refers`). Laying a whole section out again with its left-out
stories first (or from the page a jump that found no room left) is :mod:`epaper.layout`'s decision.

Decisions are frozen records (:mod:`.plan`); drawing them is :mod:`epaper.layout.compose`'s job.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from epaper.formats import PageFormat
from epaper.layout.copyfit import Fit, FitCatalog
from epaper.layout.fillers import fill_with_quotes
from epaper.layout.gaps import grow_into_gaps
from epaper.layout.geometry import PageGrid
from epaper.layout.packer import EMPTY_SLACK, RETRY_BUDGET, Snapshot, fill_page, free_slots
from epaper.layout.plan import Continuation, PagePlan, Placement, StoryPart, Unplaced, story_of
from epaper.layout.scoring import SectionState, Sheet, copy_pressure
from epaper.layout.trials import fill_beside_ads, repack_last_page
from epaper.model import Article

__all__ = ["PageEntry", "SectionLayout", "drawn_plan", "plan_pages"]


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


def _fits_of(catalog: FitCatalog, placed: Placement) -> Sequence[Fit] | None:
    """The fits of a placed story part at its width; None for a part that jumps (its height
    decides where the jump falls)."""
    if placed.continued_to_part:
        return None
    return catalog.fits(placed.part, placed.design.cols)



def drawn_plan(catalog: FitCatalog, plan: PagePlan) -> PagePlan:
    """A chosen page plan with each placement's legs as they are drawn: its fit's, each hyphen at a
    column foot re-broken away (:meth:`~epaper.layout.copyfit.FitCatalog.part_legs`). Done once per
    page of the plan kept, not for every trial: the re-breaks are costly and change no decision."""
    return replace(plan, placements=tuple(_drawn(catalog, p) for p in plan.placements))


def _drawn(catalog: FitCatalog, placed: Placement) -> Placement:
    legs = catalog.part_legs(placed.design, placed.line_start, placed.line_end, placed.photo_rows,
                             placed.slot.height, placed.continued_to_part)
    return placed if legs is placed.legs else replace(placed, legs=legs)


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
    jump_least: Mapping[str, int] | None = None,
    hold: Mapping[int, frozenset[str]] | None = None,
    continues_after: bool = True,
    locked: dict[int, PagePlan] | None = None,
    promote: frozenset[str] = frozenset(),
    resume: PageEntry | None = None,
    roomier: float = 0.0,
) -> SectionLayout:
    """Lay out one section's pages: the plans, what did not fit, and jumps still open.

    ``incoming`` are continuations of front-page stories from the section before; a front page's own
    stories may jump into the next section if ``continues_after``. ``promote``: stories to take
    right after the lead; ``hold``: stories kept off a page (by its number) for a later one;
    ``jump_least``: stories that jump late in their text, their rest heading its page (see
    :mod:`.retries`). ``locked`` pages (from the previous run) are kept as they were; their stories
    leave the queue. ``resume``: the section laid out again from one of its pages, the pages
    before it kept (a page's :attr:`SectionLayout.entries`). ``roomier``: the section laid out again
    for copy that fell short of its pages, every page preferring roomier shapes this strongly (a
    negative copy pressure, see :func:`~epaper.layout.retries.roomier_after`), so that the copy
    reaches the last page."""
    locked = locked or {}
    jump_least = jump_least or {}
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
            # A jump the front makes now into a section whose first page is locked cannot land there:
            # it waits for the section's next page laid out, and if none takes it, it is an open
            # jump and the front keeps the story whole (never dropped).
            carried = [c for c in carried + list(incoming) if c.article.id not in locked_ids]
            carried += [Continuation(p.article, p.line_end, number) for p in plan.placements if p.continued_to_part]
            incoming = ()
            continue
        grid = grids[offset]
        # The pages this one and those after it that are laid out now: a page a replate keeps takes
        # no story and no jump, so the last page laid out before it is the section's last for them.
        open_pages = sum(1 for later in range(offset, page_count) if first_page + later not in locked)
        sheet = Sheet(number=number, section=section, template=template, grid=grid)
        # Pinned stories lead their page; continuations follow the lead; then the section's queue.
        page_pins = [a for a in ordered if pinned.get(a.id) == number and a.id not in locked_ids]
        main: list[StoryPart] = [*page_pins, *unpinned]
        lead, rest = main[:1], main[1:]
        # The rest of a long story (one that jumps late in it, see jump_least) heads the page: it is
        # the page's largest part and has no other page to go to. Not a page with a pinned story:
        # that leads its page (the rest then waits for the next, or the story jumps later still).
        first = [] if page_pins else [c for c in carried + list(incoming if offset == 0 else [])
                                      if c.article.id in jump_least]
        queue: list[StoryPart] = list(dict.fromkeys(first + lead + carried + list(incoming if offset == 0 else []) + rest))
        held = (hold or {}).get(number, frozenset())  # stories kept for the next page (retries.story_to_hold)
        queue = [item for item in queue if story_of(item).id not in held]
        free, ad_slots = free_slots(grid, ads_by_page.get(number, []))
        sheet.ad_slots = ad_slots
        pressure = -roomier if roomier else copy_pressure(catalog, queue, free, grid, open_pages)
        state = SectionState(fmt=fmt, catalog=catalog, queue=queue, page=sheet, no_jump=no_jump,
                             jump_least=jump_least,
                             has_later_page=open_pages > 1 or (template == "front" and continues_after),
                             retry_budget=RETRY_BUDGET,
                             pressure=pressure)
        before = Snapshot.take(state)
        fill_page(state, free)
        if state.pressure > 0 and not any(isinstance(x, Article) for x in state.queue) and (
                sheet.empty_cells > EMPTY_SLACK * sheet.cells):
            # Squeezed for copy that then ran out: lay the page out again at the stories' ease.
            squeezed, squeezed_empty = Snapshot.take(state), sheet.empty_cells
            squeezed_breaches = sheet.breaches
            before.restore(state)
            state.pressure, state.retry_budget = 0.0, RETRY_BUDGET
            fill_page(state, free)
            if (any(isinstance(x, Article) for x in state.queue) or sheet.empty_cells >= squeezed_empty
                    or sheet.breaches > squeezed_breaches):
                squeezed.restore(state)  # the squeezed page was the better one after all
        if not state.has_later_page:
            repack_last_page(state, before, free)
        if sheet.empty_cells > EMPTY_SLACK * sheet.cells or sheet.breaches:
            fill_beside_ads(state, before, free)
        grown = grow_into_gaps(sheet.placements, sheet.empty_slots, lambda placed: _fits_of(catalog, placed),
                               sheet.cells)
        quoted = fill_with_quotes(grown.placements, grown.empty, fmt, catalog.breaker)
        plan = replace(sheet.plan(), placements=quoted.placements, empty_slots=quoted.empty, fillers=quoted.fills,
                       roomier=roomier)
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
