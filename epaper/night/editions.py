"""A zone edition resolved against the main edition: its sections, stories, ads, and for every page
where it comes from.

A zone page either **inherits** a page of the main edition — the main edition's decisions for that
page are replayed (``epaper.layout.lock``), so it is not laid out again and, when nothing on it names
the zone, it is the very same page — or it is the zone's **own** page, laid out for the zone:

* every page of a section in ``replace_sections`` (only the zone's stories) or ``add_sections``;
* a page in ``replace_pages`` (only the zone's stories for that page's section: a local page; the
  main edition's stories that start there are not in the zone, and the zone's report says so);
* a page in ``zone_pages`` (the main edition's stories of the page and the zone's own for its
  section, laid out again: a zoned front);
* a page the zone's ``ads`` name (zone-only ads take the place of the main edition's ads there).

A story that jumps between an inherited page and an own page is refused (see
:func:`jump_problems`): its other part would not be where the "Continued on page N" line says.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from epaper.cache import Store, code_fingerprint, digest_of
from epaper.formats import available_templates
from epaper.frame import LaidOutEdition, Unplaced
from epaper.ingest.edition import check_coverage, read_articles
from epaper.ingest.languages import is_language_tag
from epaper.ingest.manifest import Manifest, _read_ads, read_manifest
from epaper.ingest.page_refs import check_page_references, sections_referenced, with_page_numbers
from epaper.ingest.problems import Problem, ProblemLog, file_label, quote, suggest
from epaper.layout import sections_taking_front_jumps
from epaper.layout.lock import ad_fingerprints, jump_closure
from epaper.model import AdSlot, Article, Edition, SectionSpec, section_pages
from epaper.night.spec import NightSpec, VariantSpec
from epaper.night.unchanged import folder_files

__all__ = ["NightEdition", "ZonePlan", "ZoneReading", "main_manifest", "plan_zone", "read_zone", "resolve_zone"]

ZONE_STAGE = "night-zone-articles"  # the build cache's memo of a zone's stories as read


@dataclass(frozen=True)
class NightEdition:
    """One edition of the night, ready to lay out. ``origin[z - 1]`` is the main edition's page whose
    decisions zone page ``z`` replays, or None for a page laid out for the zone (always None for
    the main edition itself, which is laid out from scratch)."""

    name: str
    edition: Edition
    variant: VariantSpec | None
    origin: tuple[int | None, ...]
    left_out: tuple[Unplaced, ...] = ()  # main stories this zone does not print, and why
    warnings: tuple[Problem, ...] = ()
    ads_in_place: frozenset[int] = frozenset()  # inherited pages printing the zone's ad in the main ad's space

    @property
    def is_main(self) -> bool:
        return self.variant is None

    @property
    def own_pages(self) -> tuple[int, ...]:
        return tuple(z for z, m in enumerate(self.origin, start=1) if m is None)

    @property
    def inherited(self) -> dict[int, int]:
        """Zone page -> the main page it replays."""
        return {z: m for z, m in enumerate(self.origin, start=1) if m is not None}

    def lock_record(self, main_plan: dict) -> dict:
        """The main edition's plan record renumbered to this zone's pages, for the pages it inherits."""
        to_zone = {m: z for z, m in self.inherited.items()}
        by_number = {page["number"]: page for page in main_plan.get("pages", [])}
        pages = []
        for zone_page, main_page in sorted(self.inherited.items()):
            page = copy.deepcopy(by_number[main_page])
            page["number"] = zone_page
            # The zone's ads there: the main edition's, or the zone's in their very spaces.
            page["ads"] = ad_fingerprints(self.edition, zone_page)
            for placement in page["placements"]:
                origin = placement["continued_from_page"]
                if origin is not None:
                    placement["continued_from_page"] = to_zone[origin]  # jump_problems made sure it is there
            pages.append(page)
        return {**main_plan, "edition": self.edition.id, "pages": pages}


@dataclass(frozen=True)
class ZonePlan:
    """The zone's pages before its stories are read: sections, where each page comes from, ads."""

    sections: tuple[SectionSpec, ...]
    origin: tuple[int | None, ...]
    ads: tuple[AdSlot, ...]
    zone_sections: frozenset[str]  # sections (or sections of pages) whose stories may come from the zone
    zone_only: frozenset[str]      # sections that print only the zone's stories (replaced or added)
    warnings: tuple[Problem, ...] = ()  # of the zone's ads, named in the night file
    ads_in_place: frozenset[int] = frozenset()  # inherited pages printing the zone's ad in the main ad's space
    zone_numbers: tuple[int, ...] = ()  # the zone page standing where each main page stood (main page m: [m - 1])
    own_for_ads: frozenset[int] = frozenset()  # zone pages its own for the zone's ads there alone
    # The problems of a local page laid out with one printing main stories (refused; their fixes
    # name the pages the main edition's jumps reach, when those are known).
    local_conflicts: int = 0

    @property
    def local_conflict(self) -> bool:
        return self.local_conflicts > 0


@dataclass(frozen=True)
class _ZoneReading:
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def _read_zone_articles(folder: Path, manifest: Manifest, store: Store | None) -> _ZoneReading:
    """The zone's stories read and checked against the zone's manifest; with ``store``, taken from
    the build cache when the zone's files (names, places, bytes) and its manifest did not change."""
    key = None
    if store is not None:
        try:
            key = digest_of(ZONE_STAGE, code_fingerprint(), str(folder.absolute()), manifest, folder_files(folder))
        except OSError:  # a file that cannot be read: reading says which
            key = None
        found = store.read_memo(ZONE_STAGE, key) if key else None
        if isinstance(found, _ZoneReading):
            return found
    problems = ProblemLog()
    articles = read_articles(folder, manifest, problems)
    reading = _ZoneReading(articles, problems.as_tuple(), problems.warnings())
    if store is not None and key is not None:
        store.write_memo(ZONE_STAGE, key, reading)
    return reading


def main_manifest(night: NightSpec) -> Manifest:
    """The main edition's ``edition.yaml`` as ingest reads it (the zones' manifests start from it)."""
    return read_manifest(night.main, ProblemLog())


def plan_zone(variant: VariantSpec, main: Edition, manifest: Manifest, file: str,
              problems: ProblemLog, jumps: Sequence[tuple[int, int]] | None = None) -> ZonePlan | None:
    """The zone's sections, page origins and ads; None (with problems) when its pages cannot be
    told or its ads are wrong. A local page beside a page laid out again (see
    :func:`_local_page_problems`) is a problem added, but the plan stands (its stories are checked
    against it too). ``jumps``: the main edition's (from page, to page), when it is laid out: the
    fixes it suggests then name every page its jumps reach."""
    start = len(problems)
    where = variant.where
    names = [s.name for s in main.sections]
    for index, name in enumerate(variant.replace_sections):
        if name not in names:
            problems.add(file, f"{where}.replace_sections[{index}]",
                         f"the main edition has no section {quote(name)}{suggest(name, names)}",
                         f"name one of: {', '.join(names)}")
    templates = sorted(available_templates())
    for index, added in enumerate(variant.add_sections):
        field = f"{where}.add_sections[{index}]"
        if added.name in names or sum(a.name == added.name for a in variant.add_sections) > 1:
            problems.add(file, f"{field}.name", f"section {quote(added.name)} is already in the edition",
                         "give the zone's section its own name, or replace the main one (replace_sections)")
        if added.after not in names:
            problems.add(file, f"{field}.after", f"the main edition has no section {quote(added.after)}"
                         f"{suggest(added.after, names)}", f"name the section it follows: one of {', '.join(names)}")
    for key in ("replace_pages", "zone_pages"):
        for page in getattr(variant, key):
            if page > main.page_count:
                problems.add(file, f"{where}.{key}", f"page {page} is not in the main edition "
                             f"({main.page_count} pages)", f"name pages 1–{main.page_count}")
    pages_told = len(problems) == start
    # Wrong, but the zone's pages stand: said, and its ads still read, so that every problem is said at once.
    for index, added in enumerate(variant.add_sections):
        field = f"{where}.add_sections[{index}]"
        if added.template not in templates:
            problems.add(file, f"{field}.template", f"unknown template {quote(added.template)}",
                         f"use one of: {', '.join(templates)}")
        if added.language is not None and not is_language_tag(added.language):
            problems.add(file, f"{field}.language", f"{quote(added.language)} is not a language tag",
                         "give a BCP 47 tag such as en, hi or mr")
    check_coverage(file, [(f"{where}.edition", variant.edition)] + [
        (f"{where}.add_sections[{i}].name", added.name) for i, added in enumerate(variant.add_sections)], problems)
    if not pages_told:
        return None  # the zone's pages cannot be told: its ads are not read against them

    sections: list[SectionSpec] = []
    origin: list[int | None] = []
    position: dict[int, int] = {}  # main page -> the zone page standing where it stood
    zone_sections: set[str] = set()
    main_ranges = section_pages(main.sections)
    for spec in main.sections:
        first, last = main_ranges[spec.name]
        sections.append(spec)
        replaced = spec.name in variant.replace_sections
        if replaced:
            zone_sections.add(spec.name)
        for number in range(first, last + 1):
            own = replaced or number in variant.replace_pages or number in variant.zone_pages
            if number in variant.replace_pages or number in variant.zone_pages:
                zone_sections.add(spec.name)
            position[number] = len(origin) + 1
            origin.append(None if own else number)
        for added in variant.add_sections:
            if added.after == spec.name:
                sections.append(SectionSpec(name=added.name, pages=added.pages, template=added.template,
                                            language=added.language, takes_front_jumps=False))
                origin += [None] * added.pages
                zone_sections.add(added.name)

    # Zone-only ads: read as edition.yaml's ads are, against the zone's pages; the problems are
    # said of night.yaml's field.
    zone_manifest = dataclasses.replace(manifest, sections=tuple(sections))
    ad_problems = ProblemLog()
    zone_ads = _read_ads(variant.folder, variant.ads, ad_problems, zone_manifest.format, len(origin))
    for problem in ad_problems.as_tuple():
        # An ad's image is the zone folder's (images/ads/x.jpg there), not night.yaml's: say which
        # (before a "did you mean" of a near name there).
        message = problem.message.replace("does not exist", f"does not exist in the zone's folder {variant.folder}",
                                          1) if problem.field.endswith(".image") else problem.message
        problems.add(file, f"{where}.{problem.field}", message, problem.fix)
    ad_warnings = tuple(dataclasses.replace(problem, file=file, field=f"{where}.{problem.field}")
                        for problem in ad_problems.warnings())
    if len(problems) > start:
        return None
    zone_ad_pages = {ad.page for ad in zone_ads}
    ads = list(zone_ads)
    dropped = []
    for ad in main.ads:
        # The main edition's ads move with their page, except where the page is the zone's local
        # page or in a section it replaces, or where the zone sells the page's ads itself.
        zone_page = position[ad.page]
        section = next(name for name, (first, last) in main_ranges.items() if first <= ad.page <= last)
        if zone_page in zone_ad_pages:
            continue
        if ad.page in variant.replace_pages or section in variant.replace_sections:
            dropped.append(_ad_not_in_zone(ad, zone_page, variant, section, file))
        else:
            ads.append(dataclasses.replace(ad, page=zone_page))
    ad_warnings += tuple(dropped)
    # A page whose ads the zone changes is the zone's own: its stories are placed around them again.
    # But a zone ad in the very space of the main edition's ad there (the same size and place, the
    # zone's advertiser: the commonest zoning of all) leaves the stories where the main edition
    # put them: the page stays the main edition's, printed with the zone's artwork.
    in_place = frozenset(z for z in zone_ad_pages if origin[z - 1] is not None and _spaces(
        a for a in zone_ads if a.page == z) == _spaces(a for a in main.ads if a.page == origin[z - 1]))
    made_anyway = {z for z, m in enumerate(origin, start=1) if m is None}  # (local, zoned, replaced, added)
    origin = [None if z in zone_ad_pages - in_place else m for z, m in enumerate(origin, start=1)]
    # Said, but the zone's pages stand: its stories are read against them too (every problem at once).
    conflicts = len(problems)
    _local_page_problems(variant, sections, origin, position, zone_ad_pages - in_place, file, problems, jumps)
    return ZonePlan(tuple(sections), tuple(origin), tuple(sorted(ads, key=lambda a: a.page)),
                    frozenset(zone_sections), frozenset(variant.replace_sections) |
                    frozenset(a.name for a in variant.add_sections), ad_warnings, in_place,
                    zone_numbers=tuple(position[m] for m in range(1, main.page_count + 1)),
                    own_for_ads=frozenset(zone_ad_pages - in_place - made_anyway),
                    local_conflicts=len(problems) - conflicts)


def _ad_not_in_zone(ad: AdSlot, zone_page: int, variant: VariantSpec, section: str, file: str) -> Problem:
    """A warning that the main edition's paid ad on a page the zone replaces does not print in the
    zone (a desk review: it went without a word, and the ad department must know at build time)."""
    art = f"{ad.image.name}, " if ad.image is not None else ""
    if ad.page in variant.replace_pages:
        field, why = "replace_pages", "the zone replaces that page with a local one"
    else:
        field, why = "replace_sections", f"the zone replaces the section {quote(section)}"
    booking = f"page: {zone_page}, columns: {ad.columns}, height_mm: {ad.height_mm:g}, position: {ad.position}"
    return Problem(file, f"{variant.where}.{field}",
                   f"the main edition's ad on page {ad.page} ({art}{ad.columns} columns × {ad.height_mm:g} mm) is not "
                   f"printed in zone {quote(variant.edition)}: {why}",
                   f"if it is booked for the zone too, add it to the zone's ads ({{{booking}, image: ...}}, the "
                   "artwork in the zone's folder)", severity="warning")


def _spaces(ads: Iterable[AdSlot]) -> list[tuple[int, float, str]]:
    """The spaces ``ads`` book on their page (what the stories are placed around), in one order."""
    return sorted((ad.columns, ad.height_mm, ad.position) for ad in ads)


def _local_page_problems(variant: VariantSpec, sections: Sequence[SectionSpec], origin: Sequence[int | None],
                         position: dict[int, int], zone_ad_pages: set[int], file: str, problems: ProblemLog,
                         jumps: Sequence[tuple[int, int]] | None) -> None:
    """A local page (``replace_pages``: only the zone's stories) cannot be laid out together with a
    page that prints the main edition's stories again (``zone_pages``, or a page of the zone's ads)
    in its section, or in the front whose jumps its section takes: the layout would carry those
    stories on to the local page (the rest of a story, or a story that no longer fits), printing
    the main edition's copy where the zone's was promised. Refused, naming both pages."""
    to_main = {z: m for m, z in position.items()}
    local = {position[p] for p in variant.replace_pages}
    replaced = set(variant.replace_sections) | {a.name for a in variant.add_sections}
    ranges = section_pages(sections)

    def laid_out_again(spec: SectionSpec) -> list[int]:
        """The section's zone pages laid out again with the main edition's stories."""
        first, last = ranges[spec.name]
        return [] if spec.name in replaced else [z for z in range(first, last + 1)
                                                 if origin[z - 1] is None and z not in local]

    fronts = [z for spec in sections if spec.template == "front" for z in laid_out_again(spec)]
    taking_front_jumps = sections_taking_front_jumps(sections)

    def reaching(index: int, spec: SectionSpec) -> list[int]:
        """The zone pages laid out again whose stories could go on to a local page of the section."""
        return laid_out_again(spec) + (fronts if index in taking_front_jumps else [])

    def locals_in(spec: SectionSpec) -> list[int]:
        return sorted(z for z in local if ranges[spec.name][0] <= z <= ranges[spec.name][1])

    # All local, the way out names every page that would reach a local page (a zone ad's page too).
    every_reaching = {to_main[z] for index, spec in enumerate(sections) if locals_in(spec) for z in reaching(index, spec)}
    for index, spec in enumerate(sections):
        locals_here = locals_in(spec)
        if not locals_here or not reaching(index, spec):
            continue
        page, other = to_main[locals_here[0]], reaching(index, spec)[0]
        shown = to_main[other]
        why = "zone_pages" if other not in zone_ad_pages or shown in variant.zone_pages else \
            "the zone's ad on it" if other == shown else f"the zone's ad on its page {other}"
        # Either way the zone makes the pages it makes now, and those their jumps reach.
        own = {m for m, z in position.items() if origin[z - 1] is None}
        reached = jump_closure(jumps or (), own) - own
        local_pages = sorted({*variant.replace_pages, *variant.zone_pages, *every_reaching, *reached})
        zone_pages = sorted({*variant.zone_pages, *variant.replace_pages, *reached})
        unknown = "" if jumps is not None else " (and the pages their jumps reach, which build-night names)"
        problems.add(file, f"{variant.where}.replace_pages",
                     f"zone {quote(variant.edition)}: page {page} is a local page (only the zone's stories), but page "
                     f"{shown} ({why}) is laid out again with the main edition's stories, and their jumps and "
                     f"overflow would go on to page {page}",
                     f"make the pages local (replace_pages: [{', '.join(map(str, local_pages))}], and no zone_pages), "
                     f"or pages with the main edition's stories and the zone's (zone_pages: "
                     f"[{', '.join(map(str, zone_pages))}], and no replace_pages){unknown}")


@dataclass(frozen=True)
class ZoneReading:
    """What the zone's files say, checked without the main edition's layout: its plan, its stories
    and its warnings (what :func:`check_night` checks, and :func:`resolve_zone` starts from)."""

    variant: VariantSpec
    plan: ZonePlan
    articles: tuple[Article, ...]
    warnings: tuple[Problem, ...]
    folder_label: str


def read_zone(night: NightSpec, variant: VariantSpec, main: Edition, manifest: Manifest, problems: ProblemLog,
              *, store: Store | None = None, jumps: Sequence[tuple[int, int]] | None = None) -> ZoneReading | None:
    """The zone's plan and stories, checked: None (with problems) when its pages cannot be told or its
    folder is not there; else what was read, the problems of its stories added to ``problems``
    (the caller goes on checking, so that every problem is said at once)."""
    file = night.file
    folder_label = file_label(variant.folder, night.path.parent)
    if variant.folder_named and not variant.folder.is_dir():
        # (a misspelt one printed a zoned front without the zone's stories, silently; its ads' images
        # are not looked for in it)
        problems.add(file, f"{variant.where}.folder", f"the zone's folder {folder_label} does not exist{_looked_for(variant)}",
                     "create it with an articles/ folder of the zone's stories, or correct folder:")
        return None
    plan = plan_zone(variant, main, manifest, file, problems, jumps)
    if plan is None:
        return None
    zone_manifest = dataclasses.replace(
        manifest, edition=variant.edition, sections=plan.sections, section_names=tuple(s.name for s in plan.sections),
        page_ranges=section_pages(plan.sections), page_count=sum(s.pages for s in plan.sections), ads=plan.ads)
    needs_articles = bool(variant.replace_sections or variant.add_sections or variant.replace_pages)
    articles: tuple[Article, ...] = ()
    warnings: list[Problem] = [*night.warnings_of(variant), *plan.warnings]
    if variant.zone_pages and not variant.ads and not variant.folder.is_dir():
        warnings.append(Problem(file, f"{variant.where}.zone_pages",
                                f"zone {quote(variant.edition)} has no folder {folder_label}: its zone_pages are laid "
                                "out again with the main edition's stories alone",
                                f"put the zone's stories in {folder_label}/articles/ (or name its folder: folder:)",
                                severity="warning"))
    # An ads-only zone's articles/ may be there and empty (the desk's folder kept from night to night).
    if needs_articles or _has_files(variant.folder / "articles"):
        if not variant.folder.is_dir():
            problems.add(file, f"{variant.where}.folder", f"the zone's folder {folder_label} does not exist{_looked_for(variant)}",
                         "create it with an articles/ folder of the zone's stories (or set folder:)")
            return None
        reading = _read_zone_articles(variant.folder, zone_manifest, store)
        for problem in reading.problems:
            problems.add(f"{folder_label}/{problem.file}", problem.field, problem.message, problem.fix)
        warnings += [dataclasses.replace(w, file=f"{folder_label}/{w.file}") for w in reading.warnings]
        articles = reading.articles
    check_page_references(articles, tuple(s.name for s in plan.sections), problems, f"{folder_label}/articles")
    for article in articles:
        if article.section not in plan.zone_sections:
            problems.add(f"{folder_label}/articles/{article.source_file.name}", "section",
                         f"section {quote(article.section)} is inherited from the main edition in zone "
                         f"{quote(variant.edition)}: its pages print the main edition's stories",
                         "put the story in a section the zone replaces or adds, or add its page to "
                         "replace_pages or zone_pages")
    for section in plan.sections:
        if section.name in plan.zone_only and not any(a.section == section.name for a in articles):
            warnings.append(Problem(file, variant.where, f"zone {quote(variant.edition)} has no stories for its "
                                    f"section {quote(section.name)}: its pages will be blank",
                                    f"add stories with section {quote(section.name)} to {folder_label}/articles/",
                                    severity="warning"))
    return ZoneReading(variant, plan, articles, tuple(warnings), folder_label)


def resolve_zone(night: NightSpec, variant: VariantSpec, main: Edition, main_laid_out: LaidOutEdition,
                 manifest: Manifest, problems: ProblemLog, *, store: Store | None = None) -> NightEdition | None:
    """The zone edition of ``variant``; None with problems when it cannot be made."""
    start = len(problems)
    jumps = [(region.continued_from, page.number) for page in main_laid_out.pages for region in page.regions
             if region.continued_from is not None]
    zone = read_zone(night, variant, main, manifest, problems, store=store, jumps=jumps)
    if zone is None:
        return None
    kept, left_out = _main_stories(main, main_laid_out, variant)
    kept_ids = {a.id for a in kept}
    for article in zone.articles:
        if article.id in kept_ids:
            problems.add(f"{zone.folder_label}/articles/{article.source_file.name}", "id",
                         f"id {quote(article.id)} is also a story of the main edition that zone "
                         f"{quote(variant.edition)} prints", "give the zone's story its own id")
    # (A local page's refusal names the pages the jumps reach already.)
    for problem in () if zone.plan.local_conflict else jump_problems(
            main_laid_out, zone.plan, variant, night.file, {a.section for a in zone.articles}):
        problems.add(problem.file, problem.field, problem.message, problem.fix)
    if len(problems) > start:
        return None
    plan = zone.plan
    printed = {region.article_id for page in main_laid_out.pages for region in page.regions}
    warnings = zone.warnings + _references_into_replaced([a for a in kept if a.id in printed], variant, main,
                                                         night.file)
    # The main edition's page references say the zone's pages (a section added before moves them).
    # Its pages no other edition prints say so in the folio. (Not a page an added section moves on:
    # the main edition's page under another number, which two zones adding a section alike share.)
    own_pages = frozenset(z for z, m in enumerate(plan.origin, start=1) if m is None) | plan.ads_in_place
    edition = with_page_numbers(dataclasses.replace(main, edition=variant.edition, sections=plan.sections,
                                                    ads=plan.ads, articles=kept + zone.articles, own_pages=own_pages))
    return NightEdition(name=variant.edition, edition=edition, variant=variant, origin=plan.origin,
                        left_out=left_out, warnings=warnings, ads_in_place=plan.ads_in_place)


def _references_into_replaced(kept: Sequence[Article], variant: VariantSpec, main: Edition,
                              file: str) -> tuple[Problem, ...]:
    """A warning for each story of the main edition the zone prints whose words send readers to a
    section whose first page prints the zone's own stories (``replace_sections``, or a local page of
    ``replace_pages``): "Sport: the Cup final preview, {page:Sport}" finds the zone's page, whose
    stories are not the ones the story speaks of (an audit's zoned front promised a final the zone
    did not print)."""
    local_firsts = {name for name, (first, _) in section_pages(main.sections).items() if first in variant.replace_pages}
    own = {name: f"{variant.where}.replace_sections" for name in variant.replace_sections}
    own |= {name: f"{variant.where}.replace_pages" for name in local_firsts if name not in own}
    return tuple(
        Problem(file, own[section],
                f"zone {quote(variant.edition)} prints the main edition's story {quote(article.id)}, which sends "
                f"readers to section {quote(section)} ({{page:{section}}}); the zone prints its own stories "
                f"{'in that section' if section in variant.replace_sections else 'on its first page'}, so what "
                "the story says of it may not be in this edition",
                f"read the story against the zone's {section} pages; if it speaks of stories they do not print, "
                "word it so that it holds in every edition, or make its page the zone's own (replace_pages) "
                "with the zone's own version of it", severity="warning")
        for article in kept for section in sections_referenced(article, own))


def _looked_for(variant: VariantSpec) -> str:
    """Where a zone's folder was looked for, in full: its name in the night file is relative to the
    night file's folder, which is not always where the desk runs the command from."""
    return f" (looked for as {variant.folder.absolute()})"


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(not path.name.startswith(".") for path in folder.iterdir())


def _main_stories(main: Edition, laid_out: LaidOutEdition, variant: VariantSpec
                  ) -> tuple[tuple[Article, ...], tuple[Unplaced, ...]]:
    """The main edition's stories the zone prints, and those it does not with the reason."""
    starts = {r.article_id: page.number for page in laid_out.pages for r in page.regions if r.continued_from is None}
    ranges = section_pages(main.sections)
    local = {name for name, (first, last) in ranges.items() if any(first <= p <= last for p in variant.replace_pages)}
    kept, left = [], []
    for article in main.articles:
        if article.id not in starts and article.section in local:
            # Not in the main edition either; on the zone's local page it would print as the zone's.
            left.append(Unplaced(article.id, f"not placed in the main edition, and zone {variant.edition!r} "
                                             f"prints only its own stories on its local page"))
            continue
        if article.section in variant.replace_sections:
            left.append(Unplaced(article.id, f"zone {variant.edition!r} replaces section {article.section!r} "
                                             "with its own stories"))
        elif starts.get(article.id) in variant.replace_pages:
            left.append(Unplaced(article.id, f"zone {variant.edition!r} replaces page {starts[article.id]} "
                                             "(the story's page in the main edition) with its own page"))
        else:
            kept.append(article)
    return tuple(kept), tuple(left)


def jump_problems(main: LaidOutEdition, plan: ZonePlan, variant: VariantSpec, file: str,
                  story_sections: Collection[str] = ()) -> list[Problem]:
    """A story of the main edition that jumps between a page the zone inherits and one it makes
    itself cannot stay right: the inherited page keeps its "Continued on/from page N" line and its
    part of the story, while the other page is the zone's. The variant is refused, saying which
    story, which pages (the main edition's numbers, as replace_pages and zone_pages give them, with
    the zone's own where it differs, as its ads give them) and what to name instead: not pages that
    would print blank, of a section none of the zone's stories (``story_sections``) is in."""
    inherited = {m for m in plan.origin if m is not None}

    def zone_page(main_page: int) -> str:
        """What the desk knows the main edition's page by in this zone, if more than its number."""
        number = plan.zone_numbers[main_page - 1]
        said = [f"its page {number}"] if number != main_page else []
        if number in plan.own_for_ads:
            said.append("the zone's ads there")
        return f" ({': '.join(said)})" if said else ""

    main_ad_pages = {ad.page for ad in main.edition.ads}

    def or_in_place(main_page: int) -> str:
        """The way out a zone ad has when the main edition sells an ad on that page too."""
        if main_page not in main_ad_pages or plan.zone_numbers[main_page - 1] not in plan.own_for_ads:
            return ""
        return (f"; or book the zone's ad on it in the space of the main edition's ad there (the same columns, "
                f"height_mm and position: page {main_page} then stays the main edition's)")

    def leave(main_page: int) -> str:
        """How the zone gives ``main_page`` back: the section it replaces, when that is why it makes
        the page (its page alone cannot be given back), else the page."""
        section = main.pages[main_page - 1].section
        if section in variant.replace_sections:
            return f"leave section {quote(section)} to the main edition (replace_sections)"
        return f"leave page {main_page} to the main edition{or_in_place(main_page)}"

    jumps = [(region.continued_from, page.number) for page in main.pages for region in page.regions
             if region.continued_from is not None]
    # The pages the zone would have to make too for none of its jumps to cross: the fix says them
    # all at once, not one refusal a run.
    own_pages = {page.number for page in main.pages} - inherited
    needed = sorted(jump_closure(jumps, own_pages) - own_pages)
    listed = ", ".join(map(str, needed))
    pages = f"page {listed}" if len(needed) == 1 else f"pages {listed}"
    # The sections those pages are in, by name: a zone replacing one section already cannot tell
    # which "the section" would be.
    sections = list(dict.fromkeys(main.pages[n - 1].section for n in needed if 0 < n <= len(main.pages)))
    section = (f"section {quote(sections[0])}" if len(sections) == 1
               else "sections " + ", ".join(map(quote, sections)) if sections else "the section")
    blank = [n for n in needed if 0 < n <= len(main.pages) and main.pages[n - 1].section not in story_sections]
    if variant.replace_pages and not variant.zone_pages and blank:
        # Made local, a page of a section the zone has no story for prints blank (the night audit
        # followed this fix to a zone with a blank front): the pages free of jumps are named instead.
        free = [page.number for page in main.pages if page.number not in own_pages and page.section in story_sections
                and not any(r.continued_from or r.continued_to for r in page.regions)]
        instead = (f" ({'page' if len(free) == 1 else 'pages'} {', '.join(map(str, free))})" if free else "")
        fix = (f"make local a page no story jumps to or from instead{instead}; made local too, "
               f"{'page' if len(blank) == 1 else 'pages'} {', '.join(map(str, blank))} would print blank (the zone "
               f"has no story of {quote(main.pages[blank[0] - 1].section)})")
    elif variant.replace_pages and not variant.zone_pages:  # local pages: their stories are the zone's alone
        fix = (f"make {pages} local too (replace_pages: [{', '.join(map(str, sorted({*variant.replace_pages, *needed})))}]),"
               f" or replace {section}, or make local a page no story jumps to or from")
    else:
        fix = (f"make {pages} the zone's too (zone_pages: "
               f"[{', '.join(map(str, sorted({*variant.zone_pages, *needed})))}], or replace {section})")
    problems = []
    for page in main.pages:
        for region in page.regions:
            source = region.continued_from
            if source is None or (source in inherited) == (page.number in inherited):
                continue
            own, kept = (source, page.number) if source not in inherited else (page.number, source)
            problems.append(Problem(
                file, variant.where,
                f"zone {quote(variant.edition)}: story {quote(region.article_id)} jumps from page {source} to page "
                f"{page.number} of the main edition; the zone makes page {own}{zone_page(own)} itself but inherits "
                f"page {kept}{zone_page(kept)}, so the jump would not land",
                f"{fix}, or {leave(own)}"))
    return problems
