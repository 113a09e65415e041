"""What a section is laid out again with when its first try falls short (see
:func:`epaper.layout._plan_section`): a story too long for a short jump jumps later in its text
(:func:`long_jumps`; a front's story, in the section taking its jumps, :func:`later_jump`), a section
that ends in a hole for want of copy is laid out again with roomier shapes (:func:`roomier_after`), and a
replate's last page laid out before a kept page, left with a hole, gets a story the page before it
took (:func:`story_to_hold`). And what a story left out would take to print (:func:`most_printed`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import NamedTuple

from epaper.layout.copyfit import JUMP_HEAD_ROWS, FitCatalog
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.packer import free_slots
from epaper.layout.placement import SectionLayout
from epaper.layout.plan import Continuation, PagePlan
from epaper.model import Article

__all__ = ["HOLE_SHARE", "Hold", "LONG_JUMP_SHARES", "MostPrinted", "ROOMIER", "TO_PRINT_IT", "hole_share", "later_jump",
           "long_jumps", "most_printed", "page_room", "room_on", "roomier_after", "story_to_hold"]


# How much of the largest space a later page has the rest of a long story may take after its jump,
# try by try: the first leaves room for the page's lead (and the continuation's balanced legs), the
# later ones set more before the jump each time; after the last the story is tried whole.
LONG_JUMP_SHARES = (0.9, 0.45, 0.2)


def page_room(grid: PageGrid, ads: Sequence) -> int:
    """The body lines the largest space of a page (after its ads) takes of a story's rest, less its
    jump head."""
    free, _ = free_slots(grid, ads)
    return max((_rest_lines(slot) for slot in free), default=0)


def room_on(numbers: Iterable[int], grid_of: Callable[[int], PageGrid], ads: Mapping[int, Sequence],
            locked: Collection[int]) -> int:
    """:func:`page_room` of the best of the pages ``numbers`` (0 for none): a page a replate keeps
    (``locked``) takes no rest."""
    return max((page_room(grid_of(n), ads.get(n, [])) for n in numbers if n not in locked), default=0)


def _rest_lines(space: Slot) -> int:
    """The body lines of a story's rest ``space`` takes, less the jump head."""
    return space.cols * (space.height - JUMP_HEAD_ROWS)


def long_jumps(unlanded: Sequence[Continuation], tries: dict[str, int], catalog: FitCatalog,
               section_grids: Sequence[PageGrid], ads: dict[int, list], first_page: int,
               locked: Collection[int] = ()) -> dict[str, int]:
    """For each jump within a section that landed nowhere, the least body lines it must set before
    the jump, next try, so that its rest takes no more than a share (:data:`LONG_JUMP_SHARES`, by
    the story's ``tries`` so far) of the largest space a page after it in the section has (not
    one of the ``locked`` pages a replate keeps): article id -> lines. A jump whose tries are used
    up, or that already sets that many lines (it did not land for want of room other stories
    took: it is tried whole), is not in it."""
    end = first_page + len(section_grids)
    found = {}
    for jump in unlanded:
        room = room_on(range(jump.from_page + 1, end), lambda n: section_grids[n - first_page], ads, locked)
        least = later_jump(jump, tries.get(jump.article.id, 0), catalog, room,
                           section_grids[jump.from_page - first_page].rows)
        if least is not None and least > jump.line_start:
            found[jump.article.id] = least
    return found


def later_jump(jump: Continuation, tried: int, catalog: FitCatalog, room: int, rows: int) -> int | None:
    """The least body lines ``jump``'s story sets before its jump at its next try (``tried`` so
    far), its rest to take at most a share of ``room`` (body lines of the largest space on a page it
    may land on), on a page of ``rows`` rows; None once its tries are used up."""
    if tried >= len(LONG_JUMP_SHARES):
        return None
    total = catalog.line_count(jump.article)
    return min(total - int(room * LONG_JUMP_SHARES[tried]), total - catalog.jumps.after,
               _most_before_jump(jump.article, catalog, rows))


# A section's last page laid out with more of its grid empty than this has a hole: the section is
# laid out again with roomier shapes (hole_share), and a replate's page before a kept one with a
# story of the page before held for it (story_to_hold).
HOLE_SHARE = 0.05


class Hold(NamedTuple):
    """A story to keep off ``page`` so that the page after it takes it."""

    page: int
    article_id: str


def hole_share(attempt: SectionLayout, locked: Collection[int]) -> float:
    """The share of the grid of the section's pages laid out now (not those a replate keeps) that
    its last page leaves empty, if that page has a hole (more than :data:`HOLE_SHARE` of it
    empty); 0.0 if not."""
    laid_out = [plan for plan in attempt.plans if plan.number not in locked]
    if not laid_out or laid_out[-1].empty_cells <= HOLE_SHARE * laid_out[-1].cells:
        return 0.0
    return laid_out[-1].empty_cells / sum(plan.cells for plan in laid_out)


# How strongly, try by try, a section whose last page was left a hole for want of copy prefers
# roomier shapes when it is laid out again: times the share of its grid the hole is (hole_share).
# Tried on the sample's City with a brief spiked, the tests' small edition (no ads) with and without
# its front cut, and a desk's own Wikinews edition with a brief spiked: 1 fills most (a third of a
# page was empty), 3 the rest (a page left blank at 1), 6 overshoots (holes of a third of a page
# again). The greedy packer is not monotonic in it: each try is kept only if it is better
# (epaper.layout._section_cost).
ROOMIER = (1.0, 3.0)


def roomier_after(hole: float, tried: int) -> float | None:
    """How strongly the section's next try prefers roomier shapes, after ``tried`` such tries, for
    a first try whose last page left ``hole`` (:func:`hole_share`) empty; None once tried enough."""
    return hole * ROOMIER[tried] if tried < len(ROOMIER) else None


def story_to_hold(attempt: SectionLayout, locked: dict[int, PagePlan], catalog: FitCatalog) -> Hold | None:
    """For a section laid out around kept pages: where its last page laid out before a kept page
    (or the section's end) is left with a hole and the page before it was laid out too, the story of
    that page to hold for it — whole, not its page's lead, neither jumping nor continued, and of the
    size nearest the hole. None when no page is so."""
    plans = attempt.plans
    for before, last in zip(plans, plans[1:]):
        if before.number in locked or last.number in locked or last.number + 1 not in {*locked, plans[-1].number + 1}:
            continue
        if last.empty_cells <= HOLE_SHARE * last.cells:
            continue
        movable = [p for p in before.placements[1:] if not p.continued_to_part and p.continued_from_page is None
                   and not (p.article.pin and p.article.pin.page)]
        if movable:
            chosen = min(movable, key=lambda p: abs(catalog.natural_area(p.article, 2) - last.empty_cells))
            return Hold(before.number, chosen.article.id)
    return None


def _most_before_jump(article: Article, catalog: FitCatalog, rows: int) -> int:
    """The most body lines ``article`` can set before a jump on a page of ``rows`` rows, at any width."""
    most = 0
    for cols in range(1, catalog.fmt.columns + 1):
        window = catalog.jump_window(article, cols)
        if window is not None:
            natural = catalog.natural(article, cols)
            most = max(most, natural.design.capacity(min(window[1], rows), reserved_lines=1,
                                                     photo_rows=natural.photo_rows))
    return most


# How a left-out story's reason ends when it gives the cut that would print the story at all
# (epaper.layout._unplaced_reason); a blank page's warning looks for it (epaper.layout.omissions).
TO_PRINT_IT = "to print it at all"


class MostPrinted(NamedTuple):
    """The most of a story its section could print with nothing else in it: body lines, and the
    page it would start on and the page it would jump to (None: whole on one page)."""

    lines: int
    page: int
    jump_page: int | None


def most_printed(article: Article, catalog: FitCatalog, plans: Sequence[PagePlan]) -> MostPrinted | None:
    """How much of ``article`` the section of ``plans`` could print if it had the section to itself:
    whole in a page's largest space (after its ads), or jumped from one page to the next, its rest
    in a share of that page (:data:`LONG_JUMP_SHARES`' first). None for a section of no page."""
    spaces = [max(free_slots(plan.grid, [placed.ad for placed in plan.ad_slots])[0],
                  key=lambda slot: slot.cols * slot.height, default=None) for plan in plans]
    best: MostPrinted | None = None
    for index, (plan, space) in enumerate(zip(plans, spaces)):
        if space is None:
            continue
        naturals = [catalog.natural(article, cols) for cols in range(1, space.cols + 1)]
        whole = max((fit.design.capacity(space.height, photo_rows=fit.photo_rows) for fit in naturals), default=0)
        found = MostPrinted(whole, plan.number, None)
        later = spaces[index + 1] if index + 1 < len(spaces) else None
        if later is not None:
            rest = int(_rest_lines(later) * LONG_JUMP_SHARES[0])
            jumped = _most_before_jump(article, catalog, space.height) + rest
            if jumped > whole:
                found = MostPrinted(jumped, plan.number, plans[index + 1].number)
        if best is None or found.lines > best.lines:
            best = found
    return best
