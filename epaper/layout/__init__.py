"""Layout: the edition's articles placed on its pages, as immutable page frames.

``lay_out(edition)`` runs section by section: :mod:`.copyfit` measures every shape a story can take
(:mod:`.module` sizes headlines and photos, :mod:`.columns` chooses column breaks,
:mod:`.pullquotes` finds a quotation to pull), :mod:`.placement` decides where every module goes
(recorded in :mod:`.plan`; :mod:`.candidates` decides where stories jump; :mod:`.tombstones` and
:mod:`.photos` are rules it weighs, :mod:`.gaps` and :mod:`.fillers` close what it leaves open),
:mod:`.compose` turns the decisions into positioned
items, :mod:`.furniture` and :mod:`.teasers` add masthead, folios, section heads and the front's
teasers, :mod:`.refers` fills the spaces still empty with refer boxes to stories on other pages, and
:mod:`.quality` checks each page. Locked pages come back from the previous run through
:mod:`.lock`. The result is all any backend needs.
"""

from __future__ import annotations

import json

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol

from epaper.cache import digest_of
from epaper.formats import PageFormat, available_templates, load_format
from epaper.frame import ArticleDecision, FontRef, LaidOutEdition, Page, TextRun, Unplaced
from epaper.frame.blank import largest_blank
from epaper.layout.compose import ComposedModule, ad_items, compose_module, quote_fill_items
from epaper.layout.furniture import (folio, masthead, masthead_height, section_head, section_head_height,
                                    teaser_band_top)
from epaper.layout.geometry import PageGrid
from epaper.layout.lock import (LOCKED_NOTE, LockError, Refit, check_lock, decided_adjustments, locked_plans,
                                locked_refers, plan_record, refitted_plans)
from epaper.layout.copyfit import FitCatalog
from epaper.layout.module import body_lines, body_spec
from epaper.layout.placement import PageEntry, SectionLayout, drawn_plan, plan_pages
from epaper.layout.plan import Continuation, EditionPlan, PagePlan
from epaper.layout.quality import page_quality
from epaper.layout.fillers import quotation_below
from epaper.layout.refers import drawn_refers, fill_with_refers, refer_box_items
from epaper.layout.retries import (ROOMIER, TO_PRINT_IT, hole_share, later_jump, long_jumps, most_printed, room_on,
                                   roomier_after, story_to_hold)
from epaper.layout.scoring import breaches
from epaper.layout.teasers import Teaser, choose_teasers, teaser_band
from epaper.model import Article, Edition, SectionSpec, edition_name, section_pages
from epaper.tasks import Runner
from epaper.collector import cycle_collector_paused
from epaper.typeset import BodySpec, TextBlock, adopt_bodies, font_book

__all__ = ["ArticleDecision", "LaidOutEdition", "LayoutFault", "LayoutMemo", "LockError", "Unplaced", "lay_out",
           "page_fonts", "same_decisions", "sections_taking_front_jumps"]


def _top_reserved(fmt: PageFormat, template: str, first_of_section: bool) -> float:
    spec = available_templates()[template]
    if spec.masthead:
        return masthead_height(fmt, spec.teasers)
    if spec.section_head and first_of_section:
        return section_head_height(fmt)
    return 0.0


class LayoutMemo(Protocol):
    """Remembers a section's plans and a page's composition across builds (the build cache gives
    one). ``key`` is a digest of everything the result depends on; each call returns the result
    remembered for it, or makes (with ``make``) and remembers it."""

    def __call__(self, section: str, key: str, make: Callable[[], _PlannedSection]) -> _PlannedSection: ...

    def peek(self, section: str, key: str,
             accept: Callable[[_PlannedSection], bool]) -> _PlannedSection | None:
        """The plan remembered for ``key`` if there is one and ``accept`` takes it (nothing is made)."""

    def page(self, key: str, make: Callable[[], Page]) -> Page:
        """A page frame composed from what ``key`` digests."""

    def bodies(self, specs: Sequence[BodySpec]) -> tuple[TextBlock, ...]:
        """The bodies remembered as set from ``specs`` (those it has: the others are set again)."""

    def keep_bodies(self, blocks: Sequence[TextBlock]) -> None:
        """Remember bodies set, by what each was set from."""


def lay_out(edition: Edition, *, breaker: str = "knuth-plass", lock: dict | None = None,
            lock_pages: Sequence[int] = (), refit: bool = False, memo: LayoutMemo | None = None,
            runner: Runner | None = None) -> LaidOutEdition:
    """Place every section's articles on its pages and compose the pages.

    ``lock`` is the previous run's plan record (``plan.json``) and ``lock_pages`` the pages to keep
    exactly as that run made them (raises :class:`~epaper.layout.lock.LockError` if they cannot be).
    ``refit`` (a replate): the pages not locked are kept as the record has them too, their changed
    stories set again in their own slots, unless one no longer fits there (then they are planned
    again: :func:`~epaper.layout.lock.refitted_plans`).
    ``memo`` remembers each section's plan and each page's composition by what they depend on
    (see :class:`LayoutMemo`). The sections past the front are planned on ``runner``'s workers
    (:mod:`epaper.tasks`) when given; the layout is the same."""
    with cycle_collector_paused():  # typesetting's caches make full collections slow (see epaper.collector)
        return _lay_out(edition, breaker, lock, lock_pages, refit, memo, runner)


def _lay_out(edition: Edition, breaker: str, lock: dict | None, lock_pages: Sequence[int], refit: bool,
             memo: LayoutMemo | None, runner: Runner | None) -> LaidOutEdition:
    fmt = load_format(edition.format)
    catalog = FitCatalog(fmt, breaker)
    grids: dict[int, PageGrid] = {}
    number = 1
    for spec in edition.sections:
        for i in range(spec.pages):
            grids[number] = PageGrid.for_page(fmt, number, _top_reserved(fmt, spec.template, i == 0))
            number += 1
    # (No previous plan to lock from: the record is empty, and check_lock says so, naming the pages.)
    # Checked here, all at once; each section's locked plans are made only if its layout is not remembered.
    refitted = _refitted(edition, catalog, lock or {}, set(grids) - set(lock_pages), grids, memo) if refit else Refit({})
    if lock_pages:
        check_lock(lock or {}, edition, lock_pages, grids, kept=refitted.plans.keys())
    locked = _Locked(lock or {}, frozenset(lock_pages) | refitted.plans.keys(), grids, catalog, refitted.plans)
    ads: dict[int, list] = {}
    for ad in edition.ads:
        ads.setdefault(ad.page, []).append(ad)
    # A front-page story that jumps continues in the section taking the front's jumps. If its rest
    # finds no room there, it is tried again with its rest heading that section's first page, then
    # jumping later in its text (retries.later_jump); only then is the front laid out again with the
    # story kept whole (which leaves less room on the front for the others).
    front_no_jump: set[str] = set()
    front_least: dict[str, int] = {}
    front_tries: dict[str, int] = {}
    while True:
        planned = _plan_sections(edition, catalog, grids, ads, locked, frozenset(front_no_jump), front_least, memo,
                                 runner)
        failed = [jump for jump in planned.failed_front_jumps if jump.article.id not in front_no_jump]
        if not failed:
            break
        for jump in failed:
            story, tried = jump.article.id, front_tries.get(jump.article.id, 0)
            room = _front_jump_room(edition, grids, ads, jump.from_page, locked.pages)
            least = later_jump(jump, tried, catalog, room, grids[jump.from_page].rows) if room else None
            # The first try keeps the jump where it was (its rest heading the page); a later one
            # that would not set more lines before it than the failed one did is none.
            if least is None or (tried and least <= jump.line_start):
                front_no_jump.add(story)
                front_least.pop(story, None)
            else:
                front_least[story], front_tries[story] = max(least, jump.line_start), tried + 1
    plans, unplaced = planned.plans, list(planned.unplaced)
    continued_to = _continuations(plans)
    index = [(name, page) for name, page in planned.first_pages if page != 1]
    teasers = choose_teasers(plans, max((t.teasers for t in available_templates().values()), default=0))
    if refit:
        plans = _with_recorded_refers(plans, lock or {})
    plans = fill_with_refers(plans, {t.article.id for t in teasers},
                             {s.name: edition.section_language(s.name) for s in edition.sections}, edition.digit_choice)
    record = plan_record(edition, EditionPlan(tuple(plans), tuple(unplaced)))
    entries = {entry["number"]: entry for entry in record["pages"]}
    pages = []
    decisions = []
    sources = []
    for plan in plans:
        def compose(plan: PagePlan = plan) -> Page:
            return _compose_page(edition, fmt, plan, continued_to, index, teasers)

        if memo is None:
            page = compose()
        else:
            planned_from = _page_decisions(edition, catalog, plan, entries[plan.number])
            source = _page_source(edition, plan, planned_from, continued_to, index, teasers)
            page = memo.page(source, compose)
            sources.append(source)
        pages.append(page)
        decisions += _decisions_of(plan)
    return LaidOutEdition(edition, fmt, tuple(pages), tuple(unplaced), tuple(decisions), plan=record,
                          page_sources=tuple(sources), refit_refused=refitted.refused)


def _with_recorded_refers(plans: Sequence[PagePlan], record: dict) -> list[PagePlan]:
    """A replate's pages made again, each to name the stories its refer boxes named in the version
    replated (``record``) where it still can (the same space empty, each story still to be named
    there, after every locked page's: :func:`~epaper.layout.refers.fill_with_refers`). A new story
    elsewhere is then no reason for a page's box to change, and its plate with it; pages locked or
    kept have theirs already (``kept_refers``)."""
    entries = {entry["number"]: entry for entry in record.get("pages", [])}
    return [replace(plan, preferred_refers=locked_refers(entries[plan.number]))
            if not plan.kept_refers and plan.number in entries and entries[plan.number]["section"] == plan.section
            else plan for plan in plans]


def _refitted(edition: Edition, catalog: FitCatalog, record: dict, pages: set[int], grids: dict[int, PageGrid],
              memo: LayoutMemo | None) -> Refit:
    """The ``pages`` a replate makes again, kept in place (:func:`~epaper.layout.lock.refitted_plans`),
    their unchanged stories' bodies as ``memo`` remembers them set (not set again)."""
    if memo is not None:
        on_pages = {p["article"] for page in record.get("pages", []) if page.get("number") in pages
                    for p in page.get("placements", [])}
        adopt_bodies(memo.bodies([body_spec(article, catalog.fmt, catalog.breaker)
                                  for article in edition.articles if article.id in on_pages]))
    return refitted_plans(record, edition, pages, grids, catalog)


def _page_decisions(edition: Edition, catalog: FitCatalog, plan: PagePlan, entry: dict) -> str:
    """A digest of what the page's plan is made from: its record in ``plan.json`` (each story by
    the fingerprint of its content, its slot, lines, design options and jump; the page's quotations,
    refer spaces and ads: the decisions, without the notes of how a run kept them), the files its
    stories and ads name by path, its grid and template, the format and the line breaker. A page
    locked is rebuilt from exactly these (:func:`~epaper.layout.lock.locked_plans`, which prints
    it as it was: the lock's own invariant), so they are the plan; and another page of its section
    changing (a replate's) does not change them, where the section's key does: the page is not
    composed and digested again."""
    placed = {placement.article.id for placement in plan.placements}
    files = tuple(str(photo.path) for article in edition.articles if article.id in placed for photo in article.photos)
    ads = tuple(str(ad.image) for ad in edition.ads if ad.page == plan.number and ad.image)
    return digest_of("page-decisions", json.dumps(_decisions(entry), sort_keys=True), files, ads, plan.template,
                     plan.grid, edition.format, catalog.breaker)


def _page_source(edition: Edition, plan: PagePlan, decided: str, continued_to: dict, index: list,
                 teasers: Sequence[Teaser]) -> str:
    """A digest of everything :func:`_compose_page` makes the page from: its plan's decisions
    (:func:`_page_decisions`), what is decided after the sections are planned (its refer boxes as
    drawn, where its jumps land, the front's index and teasers), and what the furniture prints
    (folio and section head: the title, date, languages and digits; the masthead: the edition's
    name too). Nothing else of the edition: a zone's page that is the main edition's is composed
    once for the night. Digesting these is much cheaper than the frame."""
    template = available_templates()[plan.template]
    furniture = (edition.title, edition.date, edition.language, edition.digit_choice,
                 edition.section_language(plan.section), edition.edition if template.masthead else None)
    jumps = tuple(sorted((aid, target) for (aid, number), target in continued_to.items() if number == plan.number))
    return digest_of("page-source", decided, plan.number, drawn_refers(plan.refers), jumps,
                     tuple(index) if template.masthead and template.index else (),
                     tuple(t.printed for t in teasers[:template.teasers]) if template.masthead else (), furniture)


@dataclass(frozen=True)
class _PlannedSections:
    plans: list[PagePlan]
    unplaced: list[Unplaced]
    first_pages: list[tuple[str, int]]
    failed_front_jumps: tuple[Continuation, ...]  # front-page stories' continuations that found no room


@dataclass(frozen=True)
class _Locked:
    """The pages the desk locked, from the previous run's record (checked already)."""

    record: dict
    pages: frozenset[int]
    grids: dict[int, PageGrid]
    catalog: FitCatalog
    refitted: dict[int, PagePlan]  # pages a replate keeps in place, their changed stories set again

    def entries(self, numbers: Sequence[int]) -> tuple[dict, ...]:
        """The record's entries of pages ``numbers``, as decisions (see :func:`_decisions`)."""
        by_number = {page["number"]: page for page in self.record.get("pages", [])}
        return tuple(_decisions(by_number[n]) for n in numbers)

    def continuations_printed(self) -> frozenset[tuple[str, int]]:
        """(story, the page it jumps from) of each continuation a locked or kept page prints."""
        kept = self.pages | self.refitted.keys()
        return frozenset((entry["article"], entry["continued_from_page"]) for page in self.record.get("pages", [])
                         if page["number"] in kept for entry in page["placements"] if entry["continued_from_page"])

    def plans(self, edition: Edition, numbers: Sequence[int]) -> dict[int, PagePlan]:
        rest = [n for n in numbers if n not in self.refitted]
        plans = {n: self.refitted[n] for n in numbers if n in self.refitted}
        if rest:
            plans |= locked_plans(self.record, edition, self.pages, self.grids, self.catalog, only=rest)
        return plans


def _plan_sections(edition: Edition, catalog: FitCatalog, grids: dict[int, PageGrid], ads: dict[int, list],
                   locked: _Locked, front_no_jump: frozenset[str], front_least: dict[str, int],
                   memo: LayoutMemo | None, runner: Runner | None) -> _PlannedSections:
    """Every section planned (or taken from ``memo``), then put together in order.

    A section depends on nothing another section decides, but for the jumps a front carries into
    the section after it. So, given a ``runner`` (:mod:`epaper.tasks`) and two or more sections
    that depend on no front to plan, those are planned on its workers while the fronts and the
    sections after them are planned here (a cold build's workers had nothing to do until every
    section was planned); the layout is the same."""
    specs = edition.sections
    ranges = section_pages(specs)
    firsts = [ranges[spec.name][0] for spec in specs]
    after_front = sections_taking_front_jumps(specs)
    sections: list[_PlannedSection | None] = [None] * len(specs)
    keys: list[str | None] = [None] * len(specs)

    def least_for(index: int) -> tuple[tuple[str, int], ...]:
        """The front's stories that jump late (the least lines before each jump), for the front and
        the section taking its jumps (where their rest heads the first page)."""
        return tuple(sorted(front_least.items())) if specs[index].template == "front" or index in after_front else ()

    def task(index: int, carry: tuple[Continuation, ...]) -> _SectionTask:
        spec, number = specs[index], firsts[index]
        # A section is planned again when one of its stories changed: the others' bodies are set already.
        bodies = () if memo is None else memo.bodies(
            [body_spec(article, catalog.fmt, catalog.breaker) for article in edition.articles_in(spec.name)])
        locked_here = _locked_in(locked, spec, number)
        if locked_here:
            adopt_bodies(bodies)  # their plans are made here, below, from the same bodies
        return _SectionTask(edition, catalog.fmt, catalog.breaker, spec, number,
                            tuple(grids[number + i] for i in range(spec.pages)), ads, carry,
                            frozenset(front_no_jump) if spec.template == "front" else frozenset(),
                            locked.plans(edition, locked_here), index < len(specs) - 1, bodies, least_for(index))

    def remembered(index: int, carry: tuple[Continuation, ...]) -> _PlannedSection | None:
        if memo is not None:
            sections[index], keys[index] = _remembered_section(edition, specs[index], firsts[index], grids, ads,
                                                               carry, front_no_jump, least_for(index), locked, index,
                                                               catalog, memo)
        return sections[index]

    def keep(index: int, planned: _SectionPlanned) -> _PlannedSection:
        """The section ``planned`` as section ``index``, remembered by its key (and the bodies set for it)."""
        key, made = keys[index], planned.section
        if memo is not None:
            memo.keep_bodies(planned.bodies_set)
        section = made if memo is None or key is None else memo(specs[index].name, key, lambda: made)
        sections[index] = section
        return section

    elsewhere = [index for index in range(len(specs))
                 if specs[index].template != "front" and index not in after_front and remembered(index, ()) is None]
    batch = None
    if runner is not None and len(elsewhere) > 1:
        # The longest first (by their stories' words): the workers then finish at about the same time.
        elsewhere.sort(key=lambda index: -sum(a.word_count for a in edition.articles_in(specs[index].name)))
        batch = runner.submit(_plan_section_task, [task(index, ()) for index in elsewhere])
    printed = locked.continuations_printed()
    try:
        carry: tuple[Continuation, ...] = ()
        section: _PlannedSection | None
        for index, spec in enumerate(specs):
            if spec.template == "front" or index in after_front:
                section = remembered(index, carry) or keep(index, _plan_section_task(task(index, carry), catalog))
            elif batch is None and sections[index] is None:
                section = keep(index, _plan_section_task(task(index, ()), catalog))
            else:
                section = sections[index]
            # A front's jumps go on in the section after it that takes them (past a zone's own),
            # but those whose rest a locked page prints already (a zone's section added after its
            # front: the City pages it keeps print them).
            if spec.template == "front" and section is not None:
                carry = tuple(c for c in section.open_jumps if (c.article.id, c.from_page) not in printed)
            elif spec.takes_front_jumps:
                carry = ()
        if batch is not None:
            for index, planned in zip(elsewhere, batch.results()):
                keep(index, planned)
    except BaseException:
        if batch is not None:
            batch.cancel()
        raise
    return _put_together(edition, [s for s in sections if s is not None])


def _front_jump_room(edition: Edition, grids: dict[int, PageGrid], ads: dict[int, list], front_page: int,
                     locked: Collection[int]) -> int:
    """The body lines of a front story's rest the largest space of a page of the section taking
    the jumps of the front on ``front_page`` holds (0: no section takes them, or a replate keeps all
    its pages: a kept page takes no rest)."""
    specs = edition.sections
    ranges = section_pages(specs)
    front = next(i for i, spec in enumerate(specs) if ranges[spec.name][0] <= front_page < ranges[spec.name][0] + spec.pages)
    taking = _section_taking_jumps_of(specs, front)
    if taking is None:
        return 0
    first = ranges[specs[taking].name][0]
    return room_on(range(first, first + specs[taking].pages), grids.__getitem__, ads, locked)


def sections_taking_front_jumps(specs: Sequence[SectionSpec]) -> set[int]:
    """The sections (by index) a front's jumps go on in: for each front, the first section after
    it that takes them (not a zone's own section added there)."""
    taking = (_section_taking_jumps_of(specs, index) for index, spec in enumerate(specs) if spec.template == "front")
    return {index for index in taking if index is not None}


def _section_taking_jumps_of(specs: Sequence[SectionSpec], front: int) -> int | None:
    """The section (by index) the jumps of the front ``front`` go on in: the first after it that
    takes them (not a zone's own section added there) in the front's language, else the first that
    takes them; None if none does. (A Hindi desk found an English front's lead going on under the
    nameplate of the Hindi section that followed the front.)"""
    taking = [i for i in range(front + 1, len(specs)) if specs[i].takes_front_jumps]
    return next((i for i in taking if specs[i].language == specs[front].language), next(iter(taking), None))


def _locked_in(locked: _Locked, spec: SectionSpec, number: int) -> list[int]:
    """The locked pages of the section ``spec`` that begins on page ``number``."""
    return sorted(n for n in locked.pages if number <= n < number + spec.pages)


def _remembered_section(edition: Edition, spec: SectionSpec, number: int, grids: dict[int, PageGrid],
                        ads: dict[int, list], carry: tuple[Continuation, ...], front_no_jump: frozenset[str],
                        jump_least: tuple[tuple[str, int], ...], locked: _Locked, index: int, catalog: FitCatalog,
                        memo: LayoutMemo) -> tuple[_PlannedSection | None, str]:
    """The section as ``memo`` remembers it (None if it does not), and the key it is remembered by.

    The key digests what the section's layout depends on, and nothing else: its pages and their
    grids and ads, its stories, the continuations the front carries into it, the front's stories
    kept whole or jumping late, whether a section follows, and the locked pages' records (their plans are made from
    those). Teasers, the Inside index and refer boxes are chosen after all sections are planned,
    from the plans; they are not inputs of a section's plan. The plans name photo and ad files by
    their paths: the paths are inputs besides the bytes."""
    section_grids = [grids[number + i] for i in range(spec.pages)]
    section_ads = {n: tuple(a) for n, a in ads.items() if number <= n < number + spec.pages}
    articles = edition.articles_in(spec.name)
    files = tuple(str(photo.path) for article in articles for photo in article.photos) + tuple(
        str(ad.image) for page_ads in section_ads.values() for ad in page_ads if ad.image)
    no_jump = frozenset(front_no_jump) if spec.template == "front" else frozenset()
    inputs = (catalog.breaker, edition.format, spec, number, articles, files, section_grids, section_ads,
              tuple(carry), no_jump, jump_least, index < len(edition.sections) - 1)
    section_locked = _locked_in(locked, spec, number)
    entries = locked.entries(section_locked)
    if len(section_locked) == spec.pages:
        # Every page locked (a replate elsewhere): the section as remembered unlocked is the
        # section locked when its record is the one the desk locks.
        key = digest_of(inputs + ((),))
        remembered = memo.peek(spec.name, key, partial(_same_record, edition, entries))
        if remembered is not None:
            # The report still says the desk locked them; the note is no input of a frame, so the
            # pages stay those composed from the plans as remembered (``key``).
            return _noted_as_locked(remembered, entries), key
    key = digest_of(inputs + (entries,))
    return memo.peek(spec.name, key, lambda _: True), key


def _put_together(edition: Edition, sections: list[_PlannedSection]) -> _PlannedSections:
    """The edition's sections, planned, one after another: their plans, what they left out and why,
    where each begins, and the front's stories whose jump found no room."""
    plans: list[PagePlan] = []
    unplaced: list[Unplaced] = []
    first_pages: list[tuple[str, int]] = []
    failed: list[Continuation] = []
    ranges = section_pages(edition.sections)
    for index, (spec, section) in enumerate(zip(edition.sections, sections)):
        front = spec.template == "front"
        number = ranges[spec.name][0]
        open_jumps = section.open_jumps
        own = [c for c in open_jumps if c.from_page >= number]
        failed += [c for c in open_jumps if c.from_page < number]
        if front and index == len(edition.sections) - 1:  # a front last: its own jumps have no section to go on in
            failed += own
        unplaced += [Unplaced(c.article.id, "its continuation from a locked page did not fit on a later page")
                     for c in own if not front]
        first_pages.append((spec.name, number))
        plans += section.plans
        unplaced += section.unplaced
    return _PlannedSections(plans, unplaced, first_pages, tuple(failed))


@dataclass(frozen=True)
class _SectionTask:
    """What planning one section takes: picklable, so a worker process (or machine) can plan it."""

    edition: Edition
    fmt: PageFormat
    breaker: str
    spec: SectionSpec
    number: int
    grids: tuple[PageGrid, ...]
    ads: dict[int, list]
    carry: tuple[Continuation, ...]
    no_jump: frozenset[str]
    locked: dict[int, PagePlan]
    continues_after: bool
    bodies: tuple[TextBlock, ...] = ()  # its stories' bodies set before (by an earlier build)
    jump_least: tuple[tuple[str, int], ...] = ()  # front stories jumping late (see retries.later_jump)


def _plan_section_task(task: _SectionTask, catalog: FitCatalog | None = None) -> _SectionPlanned:
    """Plan ``task``'s section, measuring its stories in ``catalog`` (on a worker: a new one)."""
    adopt_bodies(task.bodies)
    with cycle_collector_paused():
        section = _plan_section(task.edition, catalog or FitCatalog(task.fmt, task.breaker), task.spec, task.number,
                                list(task.grids), task.ads, list(task.carry), task.no_jump, task.locked,
                                task.continues_after, dict(task.jump_least))
    # Every story of the section was measured, so its body is set (this only looks it up).
    adopted = {block.spec for block in task.bodies}
    bodies = tuple(body_lines(article, task.fmt, task.breaker) for article in task.edition.articles_in(task.spec.name))
    return _SectionPlanned(section, tuple(block for block in bodies if block.spec not in adopted))


@dataclass(frozen=True)
class _SectionPlanned:
    """A section planned, and the bodies set to plan it (not handed over by the task)."""

    section: _PlannedSection
    bodies_set: tuple[TextBlock, ...]


@dataclass(frozen=True)
class _PlannedSection:
    """One section's plans, the stories it left out (with the reason) and its jumps still open."""

    plans: tuple[PagePlan, ...]
    unplaced: tuple[Unplaced, ...]
    open_jumps: tuple[Continuation, ...]


def _plan_section(edition: Edition, catalog: FitCatalog, spec: SectionSpec, number: int,
                  section_grids: list[PageGrid], ads: dict[int, list], carry: list[Continuation],
                  front_no_jump: frozenset[str], locked: dict[int, PagePlan], continues_after: bool,
                  front_least: dict[str, int] | None = None) -> _PlannedSection:
    fmt = catalog.fmt
    by_id = {a.id: a for a in edition.articles}
    front = spec.template == "front"
    no_jump: set[str] = set(front_no_jump)
    jump_least: dict[str, int] = dict(front_least or {})  # the front's late jumps: their rest heads a page
    jump_tries: dict[str, int] = {}
    promote: frozenset[str] = frozenset()
    hold: dict[int, frozenset[str]] = {}
    # A replate plans the pages it makes again as the kept pages were planned (PagePlan.roomier),
    # unless that leaves a story out (below).
    recorded = roomier = max((plan.roomier for plan in locked.values()), default=0.0)
    roomier_tries, first_hole = (len(ROOMIER) if roomier else 0), 0.0
    best: SectionLayout | None = None
    resume: PageEntry | None = None
    while True:
        attempt = plan_pages(
            fmt, spec.name, spec.template, number, spec.pages, edition.articles_in(spec.name), section_grids, ads,
            catalog=catalog, incoming=carry, no_jump=frozenset(no_jump), jump_least=dict(jump_least),
            continues_after=continues_after, promote=promote, resume=resume,
            locked=locked, hold=hold, roomier=roomier)
        own = [c for c in attempt.open_jumps if c.from_page >= number]
        # A jump within the section that did not land is undone (one from a locked page cannot be:
        # it stays open and is reported); a front-page story continues in the next section. The
        # pages before the first such jump stay as they were: the section is laid out again from there.
        # A story whose rest was more than any later page holds jumps later in it first (its page
        # mostly its own); only if that cannot land either is it tried whole.
        undo = {c.article.id for c in own} - no_jump
        if own and not front and undo:
            longer = long_jumps([c for c in own if c.article.id in undo], jump_tries, catalog, section_grids, ads,
                                 number, locked)
            jump_least |= longer
            jump_tries |= {story: jump_tries.get(story, 0) + 1 for story in longer}
            no_jump |= undo - set(longer)
            resume = attempt.entries[min(c.from_page for c in own if c.article.id in undo) - number]
            continue
        resume = None
        if best is None or _section_cost(attempt, by_id) < _section_cost(best, by_id):
            best = attempt
        # A jump whose parts leave a widow or orphan (a continuation has no other shape to
        # take): the story is tried whole, from the page it jumped from.
        faulty = {p.article.id: p.continued_from_page or plan.number for plan in attempt.plans
                  for p in plan.placements if p.faults and (p.continued_to_part or p.continued_from_page)
                  and (p.continued_from_page or plan.number) >= number and p.article.id not in no_jump
                  and p.article.id not in jump_least}  # a story too long to be whole keeps its jump
        if faulty and not front:
            no_jump |= set(faulty)
            resume = attempt.entries[min(faulty.values()) - number]
            continue
        # Stories left out: try once more with them first in the queue (the greedy packer's
        # priority order is not always the order that packs best).
        if attempt.unplaced and not promote:
            promote = frozenset(u.article_id for u in attempt.unplaced)
            continue
        if attempt.unplaced and recorded:
            recorded = roomier = 0.0  # the kept pages' roomier shapes leave no room: as the copy estimate says
            resume = None
            continue
        # Every story in, and the last page left a hole: the greedy packer filled the pages before it
        # with compact shapes (a photo dropped, a story as a brief) the copy did not need. Tried
        # again, whole, preferring roomier shapes in proportion to the first try's hole, until none
        # is left (each kept if better, _section_cost). Not a front: its stories jump on.
        hole = 0.0 if front or attempt.unplaced else hole_share(attempt, locked)
        first_hole = first_hole or hole
        stronger = roomier_after(first_hole, roomier_tries) if hole else None
        if stronger is not None:
            roomier, roomier_tries, resume = stronger, roomier_tries + 1, None
            continue
        # A replate's last page laid out before a kept one, left with a hole: the page before it took
        # the copy (the greedy packer fills a page first), and no later page brings more. Tried once
        # more with one of that page's stories held for the last.
        held = None if hold or not locked else story_to_hold(attempt, locked, catalog)
        if held is not None:
            hold = {held.page: frozenset({held.article_id})}
            resume = attempt.entries[held.page - number]
            continue
        break
    assert best is not None
    # The plans kept: legs as drawn.
    return _PlannedSection(tuple(drawn_plan(catalog, plan) for plan in best.plans), tuple(Unplaced(u.article_id, _unplaced_reason(by_id[u.article_id], best.plans, catalog))
                                                for u in best.unplaced), tuple(best.open_jumps))


def _decisions(entry: dict) -> dict:
    """A page's record as the decisions it holds: JSON's types (lists, not tuples), and without the
    notes of how a run kept a placement ("page locked", "set again in its place": notes, not
    decisions; they would make a page locked twice differ from the same page locked once)."""
    entry = json.loads(json.dumps(entry))
    for placement in entry.get("placements", []):
        placement["adjustments"] = list(decided_adjustments(placement.get("adjustments", [])))
    return entry


def same_decisions(record: dict, other: dict) -> bool:
    """Whether two plan records (``plan.json``) hold the same decisions, page for page: a page
    locked is the page as it was, not a change."""
    pages, others = record.get("pages", []), other.get("pages", [])
    return (record.get("edition") == other.get("edition") and len(pages) == len(others)
            and all(_decisions(a) == _decisions(b) for a, b in zip(pages, others)))


def _noted_as_locked(section: _PlannedSection, entries: Sequence[dict]) -> _PlannedSection:
    """A section remembered unlocked, its placements carrying the note a locked placement carries,
    its pages the refer boxes their records (``entries``) name, as a page locked from its record has."""
    refers = {entry["number"]: locked_refers(entry) for entry in entries}
    plans = tuple(replace(plan, placements=tuple(
        replace(p, adjustments=decided_adjustments(p.adjustments) + (LOCKED_NOTE,))
        for p in plan.placements), kept_refers=refers.get(plan.number, ())) for plan in section.plans)
    return replace(section, plans=plans)


def _same_record(edition: Edition, entries: Sequence[dict], section: _PlannedSection) -> bool:
    """Whether the section's plans are what the previous run recorded for its pages (``plan.json``'s
    entries). Refer boxes are left out: they are chosen after the sections are planned, from the
    spaces a plan leaves empty, in a locked page's spaces as in a remembered plan's."""
    made = plan_record(edition, EditionPlan(tuple(section.plans), ()))["pages"]
    return [_decisions(page) | {"refer_boxes": None, "refers": None} for page in made] == [
        entry | {"refer_boxes": None, "refers": None} for entry in entries]


def _section_cost(attempt: SectionLayout, by_id: dict[str, Article]) -> tuple[int, int, int, int]:
    """Which of two plans of a section is better: fewer lead stories (priority 1) left out, then
    fewer rule breaches (widows, orphans, tombstones, second dominant photos), then fewer important
    stories left out, then fewer empty cells. A lead the section can print is printed, though
    lesser stories make way for it (each is reported with what it would take)."""
    plans = attempt.plans
    return (sum(by_id[u.article_id].priority == 1 for u in attempt.unplaced),
            sum(breaches(p.placements, p.cells) for p in plans), sum(6 - by_id[u.article_id].priority for u in attempt.unplaced),
            sum(p.empty_cells for p in plans))


def _unplaced_reason(article: Article, section_plans: Sequence[PagePlan], catalog: FitCatalog) -> str:
    """Why a story is not in the paper, with what it would take: its smallest module against the
    largest space the section's pages had left."""
    fmt = catalog.fmt
    pages = len(section_plans)
    fits = [fit for cols in range(1, fmt.columns + 1) for fit in catalog.fits(article, cols)]
    smallest = min(fits, key=lambda f: (f.rows * f.design.cols, f.cost))
    spaces = [s for plan in section_plans for s in plan.empty_slots]
    largest = max(spaces, key=lambda s: s.cols * s.height, default=None)
    reason = (f"no room left in section {section_plans[0].section!r} ({pages} page{'s' if pages != 1 else ''}): "
              f"its smallest shape is {smallest.design.cols} column{'s' if smallest.design.cols != 1 else ''} "
              f"× {smallest.rows} rows ({len(smallest.design.body)} body lines)")
    # The cut the largest space asks for, at the width that asks the least of the story.
    in_space = [f for f in fits if largest is not None and f.design.cols <= largest.cols]
    if largest is not None and in_space:
        best = min(in_space, key=lambda f: ((f.rows - largest.height) * f.design.cols, f.cost))
        short = best.rows - largest.height
        page = next(p.number for p in section_plans if largest in p.empty_slots)
        if short > 0:
            reason += (f"; the largest space left is {largest.cols} × {largest.height} rows on page {page}, {short} rows "
                       "short")
            lines = len(best.design.body)
            cut = short * best.design.cols
            if cut < lines:
                words = round(cut * article.word_count / lines)
                reason += (f" (to fit there at {best.design.cols} column{'s' if best.design.cols != 1 else ''}: cut about {cut} lines"
                           + (f", some {words} of its {article.word_count} words" if words else "") + ")")
        else:  # room enough, where it could not go: a page a replate kept as it was, or a rule of the page
            reason += (f"; a space of {largest.cols} × {largest.height} rows is left on page {page}, where it was not "
                       "set (the page was kept as it was, or the story there would break a rule of the page)")
    # Longer than the section could print with nothing else in it: the cut that would print it.
    most = most_printed(article, catalog, section_plans)
    total = len(smallest.design.body)
    if most is not None and 0 < most.lines < total:
        where = (f"jumped from page {most.page} to page {most.jump_page}" if most.jump_page is not None
                 else f"on page {most.page}")
        words = round((total - most.lines) * article.word_count / total)
        reason += (f"; with the section to itself it would print about {most.lines} of its {total} lines ({where}): "
                   f"cut about {words} of its {article.word_count} words {TO_PRINT_IT}")
    return reason + "; or add a page, or lower another story's priority"


def _continuations(plans: Sequence[PagePlan]) -> dict[tuple[str, int], int]:
    """(article id, page of the first part) -> page where its continuation landed. Every part that
    jumps has one: a jump that landed nowhere would print half a story with nothing said (raised,
    never published; the layout's own fault, not the edition's)."""
    result = {}
    for plan in plans:
        for p in plan.placements:
            if p.continued_from_page:
                result[(p.article.id, p.continued_from_page)] = plan.number
    lost = [(p.article.id, plan.number) for plan in plans for p in plan.placements
            if p.continued_to_part and (p.article.id, plan.number) not in result]
    if lost:
        raise LayoutFault("; ".join(f"{article} jumps from page {page} to no page" for article, page in lost))
    return result


class LayoutFault(RuntimeError):
    """Layout made pages it must not publish (a fault of epaper's, not of the edition)."""


def _decisions_of(plan: PagePlan) -> list[ArticleDecision]:
    """What layout decided for each story part on the page (``report.json``'s articles)."""
    return [ArticleDecision(p.article.id, plan.number, p.design.cols, p.slot.height, p.design.header.headline_size,
                            p.line_end - p.line_start, p.adjustments) for p in plan.placements]


def _compose_page(edition: Edition, fmt: PageFormat, plan: PagePlan, continued_to: dict, index,
                  teasers: Sequence[Teaser]) -> Page:
    grid = plan.grid
    template = available_templates()[plan.template]
    language = edition.section_language(plan.section)
    # The front's nameplate and its dateline bar say the title and the date: a folio over them said
    # both again (a desk's audit), and "FRONT | PAGE 1" over a nameplate is no paper's front.
    alone_in = edition_name(edition.edition) if plan.number in edition.own_pages else ""  # (a zone's own page)
    items = [] if template.masthead else list(folio(fmt, edition, plan.number, plan.section, grid.left, alone_in))
    if template.masthead:
        items += masthead(fmt, edition, grid.left, index if template.index else [])
        items += teaser_band(fmt, grid.left, teaser_band_top(fmt), teasers[:template.teasers], template.teasers,
                             edition.wording(language))
    elif template.section_head and grid.origin_y > fmt.margin_top + fmt.folio_height + 1:
        items += section_head(fmt, plan.section, grid.left, language)
    modules: list[ComposedModule] = []
    for placement in plan.placements:
        target = continued_to.get((placement.article.id, plan.number)) if placement.continued_to_part else None
        module = compose_module(placement, grid, continued_to=target, digits=edition.digit_choice,
                                quotation_below=quotation_below(placement, plan.fillers))
        modules.append(module)
        items += module.items
    regions = [m.region for m in modules]
    for fill in plan.fillers:
        # The quotation's space joins the region of its story's module on the page (the one above it).
        items += quote_fill_items(fill, grid)
        index = next(i for i, p in enumerate(plan.placements) if p.article.id == fill.article.id)
        regions[index] = replace(regions[index], boxes=regions[index].boxes + (grid.box(fill.slot),))
    for box in plan.refers:
        items += refer_box_items(box, grid)
    for placed_ad in plan.ad_slots:
        items += ad_items(placed_ad.ad, placed_ad.slot, grid)
    quality = page_quality(plan, modules)
    page = Page(number=plan.number, section=plan.section, width=fmt.width, height=fmt.height, items=tuple(items),
                regions=tuple(regions), editorial=grid.editorial, bleed=fmt.bleed,
                label=str(plan.number), quality=quality, language=language, fonts=page_fonts(items),
                edition=alone_in)
    # Measured on the page as composed (what it draws), once: remembered with the page.
    return replace(page, quality=replace(quality, largest_blank=largest_blank(page, fmt)))


def page_fonts(items: Sequence) -> tuple[FontRef, ...]:
    """Every face the page's text runs name, once, with its file: what a backend loads to draw them."""
    book = font_book()
    names = dict.fromkeys(item.font for item in items if isinstance(item, TextRun))
    return tuple(FontRef(name, str(book.face(name).path)) for name in names)
