"""Lay out every edition of a night: the main edition once, then each zone replaying the main
edition's decisions for the pages it inherits and laying out only its own pages.

Zones are laid out in this process after the main edition on purpose: typesetting keeps what it
measured (per story and style) for the process, so a zone's inherited stories are not measured again.
A zone is refused — with the story, the pages and the fix — when a jump would not land in it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epaper.build import CachedLayout, ReplateError, lay_out_cached, read_edition_cached, with_jump_pages
from epaper.cache import Store
from epaper.frame import LaidOutEdition, Page
from epaper.ingest import read_edition
from epaper.model import Edition
from epaper.ingest.problems import Problem, ProblemLog, quote
from epaper.layout import LockError, lay_out
from epaper.layout.lock import changes_since, pages_unchanged
from epaper.layout.omissions import layout_warnings
from epaper.night.editions import NightEdition, main_manifest, read_zone, resolve_zone
from epaper.night.spec import NightError, NightSpec, VariantSpec, read_night_spec
from epaper.tasks import Runner

__all__ = ["EditionInNight", "KeptPages", "KeptUnlessChanged", "LaidOutNight", "Night", "NightChanged", "NightPage",
           "lay_out_night", "read_night"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Night:
    """The night file read, and its main edition (not yet laid out)."""

    spec: NightSpec
    main: NightEdition


@dataclass(frozen=True)
class KeptPages:
    """Pages of a published edition of the night to keep exactly as it was made (a replate keeps
    every page but the one asked for and its jump pages): ``record`` is its ``plan.json``."""

    record: dict
    pages: frozenset[int]
    asked: frozenset[int] = frozenset()  # the pages the replate was asked for (the rest: their jump pages)


@dataclass(frozen=True)
class KeptUnlessChanged:
    """A published edition of the night (``record``: its ``plan.json``) kept as it is but for what
    changed in its folder since (``epaper watch`` of the night): the pages
    :func:`~epaper.layout.lock.changes_since` names, and their jump pages, are made again. A zone's
    page that is the main edition's follows the main edition instead."""

    record: dict


class NightChanged(ReplateError):
    """What an edition of the night is changed in its whole (its sections, its format: what
    ``edition.yaml`` or the night file says of it), so no page of it can be kept: build the night."""


@dataclass(frozen=True)
class NightPage:
    """Where one page of an edition stands in the night. ``same_as_main`` is true when the page is
    the main edition's page of the same number exactly (same frame, so the same files);
    ``shared_with`` names every other edition of the night printing this very page."""

    number: int
    section: str
    inherited_from: int | None  # the main page whose decisions it replays (None: laid out for this edition)
    same_as_main: bool
    shared_with: tuple[str, ...]


@dataclass(frozen=True)
class EditionInNight:
    night_edition: NightEdition
    laid_out: LaidOutEdition
    warnings: tuple[Problem, ...]
    pages: tuple[NightPage, ...]
    layout: CachedLayout | None = None  # its key and section memo when laid out through the build cache

    @property
    def id(self) -> str:
        return self.laid_out.edition.id

    @property
    def differing_pages(self) -> tuple[int, ...]:
        """Pages that are not the main edition's page of the same number."""
        return tuple(p.number for p in self.pages if not p.same_as_main)


@dataclass(frozen=True)
class LaidOutNight:
    spec: NightSpec
    editions: tuple[EditionInNight, ...]  # the main edition first

    @property
    def main(self) -> EditionInNight:
        return self.editions[0]

    def as_record(self) -> dict:
        """The night as JSON data: each edition by name and id, and which pages it shares (each
        page with the other editions printing it: ``report.json`` keeps that of its own edition)."""
        return {"night": self.spec.path.name, "main": self.main.id,
                "editions": [{"id": e.id, "name": e.night_edition.name, "main": e.night_edition.is_main,
                              "pages": len(e.pages), "differs_from_main": list(e.differing_pages),
                              "shared": {str(p.number): list(p.shared_with) for p in e.pages if p.shared_with}}
                             for e in self.editions]}


def read_night(path: Path, out_root: Path | None = None) -> Night:
    """The night file and its main edition, checked; raises :class:`NightError`. With ``out_root``,
    an unchanged main edition folder is taken from its build cache instead of being read again."""
    spec = read_night_spec(Path(path))
    reading = read_edition_cached(spec.main, out_root) if out_root is not None else read_edition(spec.main)
    if reading.problems or reading.edition is None:
        main_label = spec.main.as_posix()
        raise NightError(tuple(dataclasses.replace(p, file=f"{main_label}/{p.file}") for p in reading.problems),
                         spec.warnings)
    main = NightEdition(name=reading.edition.edition, edition=reading.edition, variant=None,
                        origin=(None,) * reading.edition.page_count,
                        warnings=reading.warnings + spec.warnings_of(None))
    return Night(spec, main)


def lay_out_night(night: Night, *, breaker: str = "knuth-plass", progress: Progress | None = None,
                  store: Store | None = None,
                  on_main: Callable[[LaidOutEdition, CachedLayout | None], None] | None = None,
                  runner: Runner | None = None, keep: Mapping[str, KeptPages | KeptUnlessChanged] | None = None,
                  kept: dict[tuple[str, str], Any] | None = None) -> LaidOutNight:
    """Lay out the main edition and every zone; raises :class:`NightError` listing every zone refused.
    ``keep``: by edition id, the pages to keep as the published editions have them (a replate, see
    :mod:`.replate`; raises ``LockError`` when a story on one of them changed, ``ReplateError`` when
    a zone's page to make again is one it prints from the main edition), or what did not change
    since (:class:`KeptUnlessChanged`; raises :class:`NightChanged`).
    With ``store`` (the output root's build cache) each edition's layout, and each of its sections',
    is taken from the cache when what it depends on did not change, and remembered there.
    ``on_main`` is told of the main edition as soon as it is laid out, before the zones are (the
    build starts making its pages meanwhile). The main edition's sections are planned on
    ``runner``'s workers when given (they have nothing else to do yet); a zone's, here. ``kept``:
    the sections and pages an earlier night of this process laid out or read (``epaper watch``;
    see :class:`~epaper.memos.StoredSections`), which this one adds to."""
    step = progress or (lambda name, done, total: None)
    total = len(night.spec.variants) + 1
    step("laying out editions", 0, total)
    _refuse_unreadable_zones(night, store)
    if kept is None:
        kept = {}  # the night's sections and pages: a zone replays the main edition's objects

    def laid_out(edition: Edition, lock: dict | None = None, lock_pages: Sequence[int] = (),
                 sections_on: Runner | None = None, refit: bool = False) -> tuple[LaidOutEdition, CachedLayout | None]:
        if store is None:
            return lay_out(edition, breaker=breaker, lock=lock, lock_pages=lock_pages, refit=refit,
                           runner=sections_on), None
        return lay_out_cached(edition, store, breaker=breaker, lock=lock, lock_pages=lock_pages, refit=refit,
                              runner=sections_on, kept=kept)

    keep = keep or {}
    main_kept = _unless_unchanged(_kept_pages(keep.get(night.main.edition.id), night.main.edition), night.main.edition)
    # A replate's pages of the main edition are kept in place where their changed stories still fit.
    main_laid, main_cached = laid_out(night.main.edition, main_kept.record if main_kept else None,
                                      sorted(main_kept.pages) if main_kept else (), sections_on=runner,
                                      refit=main_kept is not None)
    # The main edition's stories on its pages made again: a zone's own page printing one (a page
    # with the zone's ads, say) is made again with them.
    again = set() if main_kept is None else {
        placement["article"] for entry in main_kept.record["pages"] if entry["number"] not in main_kept.pages
        for placement in entry["placements"]}
    step("laying out editions", 1, total)
    if on_main is not None:
        on_main(main_laid, main_cached)
    problems = ProblemLog()
    manifest = main_manifest(night.spec)
    zones = [resolve_zone(night.spec, variant, night.main.edition, main_laid, manifest, problems, store=store)
             for variant in night.spec.variants]
    if problems:
        raise NightError(problems.as_tuple(), night.spec.warnings)
    laid: list[tuple[NightEdition, LaidOutEdition, CachedLayout | None]] = [(night.main, main_laid, main_cached)]
    for done, zone in enumerate(zones, start=2):
        assert zone is not None
        zone_kept = _kept_pages(keep.get(zone.edition.id), zone.edition, inherited=frozenset(zone.inherited))
        lock, lock_pages = _zone_lock(zone, main_laid, zone_kept, night.main.edition.id, again)
        renumbered = _renumbered_pages(zone, night.main.edition, main_laid)
        if renumbered:  # with the pages their stories jump to and from: set again together, or planned
            renumbered = frozenset(with_jump_pages(lock, renumbered)) & frozenset(lock_pages)
        try:
            # A page printing a story whose page references say other numbers here is the main
            # edition's page with that story set again in its place, where it still fits (refit).
            zone_laid, zone_cached = laid_out(zone.edition, lock, [p for p in lock_pages if p not in renumbered],
                                              refit=zone.edition.id in keep or bool(renumbered))
        except LockError as error:  # a case jump_problems did not foresee: still a clear refusal
            problems.add(night.spec.file, zone.variant.where if zone.variant else "",
                         f"zone {quote(zone.name)} cannot keep the main edition's pages: {error}",
                         "make the pages named the zone's own (replace_pages or zone_pages), or leave them to "
                         "the main edition")
            continue
        for problem in _landing_problems(zone, zone_laid, night.spec.file):
            problems.add(problem.file, problem.field, problem.message, problem.fix)
        if renumbered and zone_laid.refit_refused:
            zone = dataclasses.replace(zone, warnings=zone.warnings + (_renumbered_warning(
                zone, renumbered, zone_laid.refit_refused, night.spec.file),))
        laid.append((zone, zone_laid, zone_cached))
        step("laying out editions", done, total)
    if problems:
        raise NightError(problems.as_tuple(), night.spec.warnings)
    return LaidOutNight(night.spec, _with_sharing(laid, night.spec.path.parent, night.spec.file))


def _refuse_unreadable_zones(night: Night, store: Store | None) -> None:
    """Raise :class:`NightError` listing every problem of the zones' files (a missing folder, an ad
    off its pages, a story that does not read), checked before anything is laid out: refused at
    once, not after the main edition is laid out and its pages are being drawn (an audit's desk
    was told "drawing, rasterizing the night's pages" first). Jumps are checked with the layout,
    and a local page beside one printing the main edition's stories, when that is all that is wrong,
    waits for it: its fix then names every page the main edition's jumps reach."""
    problems = ProblemLog()
    manifest = main_manifest(night.spec)
    readings = [read_zone(night.spec, variant, night.main.edition, manifest, problems, store=store)
                for variant in night.spec.variants]
    main = night.main.edition
    # (A zone's edition id is the main edition's with the zone's name: known before any layout.)
    _check_ids([(night.main.name, main.id, None)] + [
        (variant.edition, dataclasses.replace(main, edition=variant.edition).id, variant)
        for variant in night.spec.variants], night.spec, problems)
    local = sum(reading.plan.local_conflicts for reading in readings if reading is not None)
    if len(problems) > local:
        raise NightError(problems.as_tuple(), night.spec.warnings)


def _renumbered_pages(zone: NightEdition, main: Edition, main_laid: LaidOutEdition) -> frozenset[int]:
    """The zone's pages inherited from the main edition that print one of its stories with page
    references the zone's pages make read otherwise ("Page {page:Business}": 10 there, 11 here)."""
    main_bodies = {article.id: article.body for article in main.articles}
    renumbered = {article.id for article in zone.edition.articles
                  if article.written_body is not None and main_bodies.get(article.id, article.body) != article.body}
    if not renumbered:
        return frozenset()
    printing = {entry["number"] for entry in main_laid.plan["pages"]
                if any(placement["article"] in renumbered for placement in entry["placements"])}
    return frozenset(page for page, main_page in zone.inherited.items() if main_page in printing)


def _renumbered_warning(zone: NightEdition, pages: frozenset[int], refused: str, file: str) -> Problem:
    """Pages of the main edition a zone lays out again, for a story whose page references read
    otherwise in the zone and that could not be set again in its place."""
    numbers = ", ".join(str(n) for n in sorted(pages))
    main = ", ".join(str(zone.inherited[n]) for n in sorted(pages))
    plural = len(pages) > 1
    return Problem(file, zone.variant.where if zone.variant else "",
                   f"zone {quote(zone.name)}: page{'s' if plural else ''} {numbers} (the main edition's {main}) "
                   f"{'are' if plural else 'is'} laid out again for the zone, not kept as the main edition's: a "
                   f"story's page references read otherwise here, and it could not be set again in its place "
                   f"({refused})",
                   "write that story's page numbers out, or make the pages the zone's own (zone_pages)",
                   severity="warning")


def _kept_pages(kept: KeptPages | KeptUnlessChanged | None, edition: Edition,
                inherited: frozenset[int] = frozenset()) -> KeptPages | None:
    """The pages to keep: as given, or those whose stories and ads did not change (with their jump
    pages); ``inherited``: a zone's pages that are the main edition's, which follow it (not made
    again for the zone). Raises :class:`NightChanged` when the edition changed in its whole."""
    if not isinstance(kept, KeptUnlessChanged):
        return kept
    changes = changes_since(kept.record, edition)
    if changes.elsewhere is not None:
        raise NightChanged(f"{edition.id}: {changes.elsewhere}")
    again = with_jump_pages(kept.record, set(changes.pages) - inherited)
    return KeptPages(kept.record, _recorded_pages(kept.record) - (again - inherited))


def _unless_unchanged(kept: KeptPages | None, edition: Edition) -> KeptPages | None:
    """``kept``, or every page of the edition kept when no story or ad on the pages to make again
    changed: a replate pressed before the story was saved changes nothing (a page planned alone, the
    rest of its section kept, need not come out as planning the section whole made it)."""
    if kept is None:
        return None
    numbers = _recorded_pages(kept.record)
    return KeptPages(kept.record, numbers) if pages_unchanged(kept.record, edition, numbers - kept.pages) else kept


def _recorded_pages(record: dict) -> frozenset[int]:
    return frozenset(entry["number"] for entry in record.get("pages", []))


def _zone_lock(zone: NightEdition, main: LaidOutEdition, kept: KeptPages | None, main_id: str,
               main_stories_again: set[str]) -> tuple[dict, list[int]]:
    """The zone's lock: the main edition's decisions for the pages it inherits, and, in a replate,
    its own pages as it published them, but those made again: asked for, or printing one of the
    main edition's stories made again (``main_stories_again``), and their jump pages. The record
    holds those too, and the stories the zone left out: lay_out keeps them in place where it can."""
    lock, pages = zone.lock_record(main.plan), set(zone.inherited)
    if kept is None:
        return lock, sorted(pages)
    again = set(range(1, zone.edition.page_count + 1)) - kept.pages
    # The page asked for, not the first of its jump pages (a replate of page 3 named page 1).
    inherited_again = min(kept.asked & pages, default=None) or min(again & pages, default=None)
    if inherited_again is not None:
        main_page = zone.inherited[inherited_again]
        raise ReplateError(f"page {inherited_again} of the {zone.name} edition is page {main_page} of the main "
                           f"edition, which every edition printing it follows — replate that page of the main "
                           f"edition (--edition {main_id} --page {main_page})")
    own = set(kept.pages - pages)
    if pages_unchanged(kept.record, zone.edition, again):  # nothing new to set: see _unless_unchanged
        own = set(_recorded_pages(kept.record)) - pages
    printing = {entry["number"] for entry in kept.record.get("pages", []) if entry["number"] in own
                and any(placement["article"] in main_stories_again for placement in entry["placements"])}
    own -= with_jump_pages(kept.record, printing)
    # Its own pages as published, those made again too (kept in place where only a story's words
    # changed: lay_out's refit), and the stories it left out (which decide that as well).
    lock = {**lock, "unplaced": kept.record.get("unplaced", []),
            "pages": lock["pages"] + [entry for entry in kept.record.get("pages", []) if entry["number"] not in pages]}
    return lock, sorted(pages | own)


def _check_ids(named: Sequence[tuple[str, str, VariantSpec | None]], spec: NightSpec, problems: ProblemLog) -> None:
    """A problem for each zone whose edition id (its output folder's name) an edition before it has:
    ``named`` is each edition's name, id and variant (None: the main edition)."""
    seen: dict[str, tuple[str, VariantSpec | None]] = {}
    for name, edition_id, variant in named:
        other, first = seen.setdefault(edition_id, (name, variant))
        if first is not variant and variant is not None:
            problems.add(spec.file, f"{variant.where}.edition",
                         f"zone {quote(name)} gets the edition id {edition_id!r}, which "
                         f"{quote(other)} has too", "give the zone a name of its own")


def _landing_problems(zone: NightEdition, laid: LaidOutEdition, file: str) -> list[Problem]:
    """Every jump of the zone lands: the page a "Continued on page N" line names holds the rest of
    the story, continued from this page. Anything else refuses the zone."""
    where = zone.variant.where if zone.variant else ""
    problems = []
    parts = {(r.article_id, page.number): r for page in laid.pages for r in page.regions}
    for page in laid.pages:
        for region in page.regions:
            target = region.continued_to
            if target is None:
                continue
            rest = parts.get((region.article_id, target))
            if rest is None or rest.continued_from != page.number:
                problems.append(Problem(file, where, f"zone {quote(zone.name)}: story {quote(region.article_id)} on "
                                        f"page {page.number} says it continues on page {target}, where it is not",
                                        "make both pages the zone's own, or neither"))
    for item in laid.unplaced:
        if "continuation" in item.reason:
            problems.append(Problem(file, where, f"zone {quote(zone.name)}: the rest of story "
                                    f"{quote(item.article_id)} has no page to land on ({item.reason})",
                                    "make the pages it jumps between the zone's own, or neither"))
    return problems


def _relabel(problem: Problem, base: Path) -> Problem:
    """A zone story's file is outside the main edition's folder, so layout names it by its absolute
    path: name it from the night file's folder instead, as every other problem of the night is."""
    path = Path(problem.file)
    if not path.is_absolute():
        return problem
    try:
        return dataclasses.replace(problem, file=os.path.relpath(path, base))
    except ValueError:
        return problem


def _with_sharing(laid: list[tuple[NightEdition, LaidOutEdition, CachedLayout | None]],
                  base: Path, night_file: str) -> tuple[EditionInNight, ...]:
    """Which pages are the same in which editions: equal frames (same items, same number, same
    furniture) are the same page, drawn once and shared. Each edition's page stands in the same
    page's class: a page is compared with one page of each class of its number (equality is
    transitive), not with every edition's, and an edition whose page is equal to one before it
    takes that very page object (so the night's pages are digested once: epaper.products)."""
    ids = [edition.edition.id for _, edition, _ in laid]
    classes: dict[int, list[tuple[Page, list[int]]]] = {}  # page number -> [(first such page, editions)]
    chosen: list[list[Page]] = []
    for index, (_, edition, _) in enumerate(laid):
        pages = []
        for page in edition.pages:
            same = classes.setdefault(page.number, [])
            found = next((entry for entry in same if entry[0].same_as(page)), None)
            if found is None:
                same.append((page, [index]))
            else:
                found[1].append(index)
                page = found[0]
            pages.append(page)
        chosen.append(pages)
    result = []
    main_sections = [section.name for section in laid[0][1].edition.sections]  # the edition.yaml warnings name
    for index, (night_edition, edition, cached) in enumerate(laid):
        own = {} if night_edition.variant is None else {
            number: (night_file, night_edition.variant.where) for number in night_edition.own_pages}
        warnings = night_edition.warnings + tuple(
            _relabel(w, base) for w in layout_warnings(edition, own, main_sections))
        night_pages = []
        for page in chosen[index]:
            editions = next(members for first, members in classes[page.number] if first is page)
            others = [ids[other] for other in editions if other != index]
            inherited = night_edition.origin[page.number - 1] if not night_edition.is_main else page.number
            night_pages.append(NightPage(page.number, page.section, inherited, 0 in editions, tuple(others)))
        shared = dataclasses.replace(edition, pages=tuple(chosen[index]))
        result.append(EditionInNight(night_edition, shared, warnings, tuple(night_pages), cached))
    return tuple(result)
