"""Locking pages: the desk keeps a page exactly as the previous run made it.

Every build records its placement decisions in ``plan.json`` (beside ``layout.json``). A later build
with ``--lock 3`` rebuilds page 3 from that record instead of placing it again: same modules, same
crops, same line ranges. A page can only be locked while its stories are unchanged (the record keeps
a fingerprint of each story's text) and together with the pages its jumps come from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from epaper.cache import file_digest
from epaper.cache.per_object import per_object
from epaper.layout.copyfit import FitCatalog
from epaper.layout.columns import fills
from epaper.layout.fillers import quote_fill
from epaper.layout.geometry import PageGrid, Slot
from epaper.layout.module import DesignOptions, design_module
from epaper.layout.plan import AdPlacement, EditionPlan, PagePlan, Placement, QuoteFill
from epaper.layout.plan_record_check import record_problem
from epaper.model import Article, Edition, section_pages

__all__ = ["Changes", "LockError", "PLAN_FILE", "Refit", "ad_fingerprints", "changes_since", "check_lock",
           "decided_adjustments", "edition_state", "jump_closure", "locked_plans", "pages_unchanged", "plan_record",
           "read_plan_record", "refitted_plans"]

PLAN_FILE = "plan.json"
PLAN_VERSION = 2  # 2: a module's design as its DesignOptions
LOCKED_NOTE = "page locked"  # added to a locked placement's adjustments (the report shows it)
REFIT_NOTE = "set again in its place"  # a replate's changed story, in the slot it had (see refitted_plans)
RUN_NOTES = frozenset({LOCKED_NOTE, REFIT_NOTE})  # how a run kept a placement: not a decision of its own


class LockError(ValueError):
    """A page cannot be locked; the message names the page, the reason and the fix. ``page`` and
    ``problem`` (the reason alone) let a replate say it in its own terms; ``remake``: the page can
    be made again with the others (its story or ad changed), else the edition must be built whole."""

    def __init__(self, message: str, *, page: int | None = None, problem: str = "", remake: bool = False) -> None:
        super().__init__(message)
        self.page, self.problem, self.remake = page, problem or message, remake

    def __reduce__(self):  # type: ignore[no-untyped-def]  # (keyword fields survive a worker's pickle)
        return _lock_error, (str(self), self.page, self.problem, self.remake)


def _lock_error(message: str, page: int | None, problem: str, remake: bool) -> LockError:
    return LockError(message, page=page, problem=problem, remake=remake)


def _refused(number: int, problem: str, fix: str, *, remake: bool) -> LockError:
    """Page ``number`` cannot be locked: ``problem``, and what to do (``fix``, said to --lock)."""
    return LockError(f"--lock {number}: {problem} — {fix}", page=number, problem=problem, remake=remake)


@per_object  # asked of every story several times a replate (changes_since, check_lock, plan_record)
def _fingerprint(article: Article) -> str:
    """Changes whenever anything that shapes the story's module changes, and only then: paths are
    replaced by what they hold (the article file by its name, each photo by a digest of its bytes),
    so an unchanged edition copied to another folder still locks."""
    photos = tuple(replace(photo, path=Path(_photo_digest(photo.path))) for photo in article.photos)
    content = replace(article, source_file=Path(article.source_file.name), photos=photos)
    return hashlib.sha256(repr(content).encode("utf-8")).hexdigest()[:16]


def _fixed_fingerprint(article: Article) -> str:
    """Changes whenever anything of the story but its words changes: its photos (their bytes and
    sizes), priority, pin, section, language. A replate sets a story again in its place only when
    this stayed the same: a correction of its words, not a new picture, a pin or a promotion the
    desk expects the page to be planned again for."""
    photos = tuple(replace(photo, caption="", credit="") for photo in article.photos)
    return _fingerprint(replace(article, photos=photos, headline="", body=(), kicker="", subheadline="", byline="",
                                dateline="", published="", tags=(), written_body=None))


def _edition_fingerprint(edition: Edition) -> str:
    """Changes whenever what ``edition.yaml`` says of the edition as a whole changes: its title,
    date, edition name, language, digits, format and sections (not its ads: each page's are kept
    with the page, see :func:`ad_fingerprints`; nor the fields it does not use)."""
    whole = (edition.title, edition.date, edition.edition, edition.language, edition.digits, edition.format,
             edition.sections)
    return hashlib.sha256(repr(whole).encode("utf-8")).hexdigest()[:16]


def _photo_digest(path: Path) -> str:
    """A digest of the photo's bytes; its file name if it cannot be read (a story made in code,
    not read from a folder: ingest checks every photo of an edition folder)."""
    try:
        return file_digest(path)  # read again only when the file changed
    except OSError:
        return path.name


def plan_record(edition: Edition, edition_plan: EditionPlan) -> dict:
    """The placement decisions of a run, as JSON data (written to ``plan.json``)."""
    articles = {a.id: a for a in edition.articles}
    return {
        "version": PLAN_VERSION,
        "edition": edition.id,
        "format": edition.format,
        "edition_fingerprint": _edition_fingerprint(edition),
        "pages": [{
            "number": plan.number,
            "section": plan.section,
            "placements": [{
                "article": p.article.id,
                "fingerprint": _fingerprint(p.article),
                "fixed": _fixed_fingerprint(p.article),
                "slot": _slot_record(p.slot),
                "lines": [p.line_start, p.line_end],
                "continued_to_part": p.continued_to_part,
                "continued_from_page": p.continued_from_page,
                "photo_rows": p.photo_rows,
                "design": asdict(p.design.options),
                "adjustments": list(p.adjustments),
            } for p in plan.placements],
            "quotations": [{"article": f.article.id, "slot": _slot_record(f.slot)} for f in plan.fillers],
            "refer_boxes": [_slot_record(r.slot) for r in plan.refers],
            # The stories each box names: a page locked keeps them while they can be kept.
            "refers": [[refer.article.id for refer in box.refers] for box in plan.refers],
            "ads": ad_fingerprints(edition, plan.number),
            "roomier": plan.roomier,
        } for plan in edition_plan.pages],
        # The stories left out, as they were: a replate keeps its page in place only when none of
        # its section's stories is new or changed but those it sets again (see refitted_plans).
        "unplaced": [{"article": u.article_id, "fingerprint": _fingerprint(articles[u.article_id])}
                     for u in edition_plan.unplaced if u.article_id in articles],
    }


def _slot_record(slot: Slot) -> list[int]:
    """A slot as plan.json keeps it (``Slot(*record)`` reads it back)."""
    return [slot.col, slot.cols, slot.top, slot.height]


def read_plan_record(path: Path) -> dict:
    if not path.is_file():
        raise LockError(f"{path}: no previous run to lock pages from — build once without --lock first",
                        problem=f"{path}: no previous run to keep pages from")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LockError(f"{path}: cannot read the previous run's plan ({error}) — build once without --lock",
                        problem=f"{path}: cannot read the previous run's plan ({error})") from None
    if not isinstance(record, dict) or record.get("version") != PLAN_VERSION:
        raise LockError(f"{path}: written by another epaper version — build once without --lock",
                        problem=f"{path}: written by another epaper version")
    problem = record_problem(record)
    if problem:
        raise LockError(f"{path}: the previous run's plan is damaged ({problem}) — build once without --lock",
                        problem=f"{path}: the previous run's plan is damaged ({problem})")
    return record


def pages_unchanged(record: dict, edition: Edition, pages: Iterable[int]) -> bool:
    """Whether the record has each of ``pages``, every story and ad the previous run placed on them
    is in ``edition`` as it was then (their fingerprints), and their sections have no story new or,
    left out then, changed since (one the desk cut to get it in): nothing new to set on them."""
    wanted = set(pages)
    articles = {a.id: a for a in edition.articles}
    entries = [page for page in record.get("pages", []) if page.get("number") in wanted]
    return len(entries) == len(wanted) and all(
        _same_ads(page.get("ads"), edition, page["number"])
        and all(entry["article"] in articles and _fingerprint(articles[entry["article"]]) == entry["fingerprint"]
                for entry in page["placements"])
        and _section_news(record, edition, page["section"]) is None
        for page in entries)


@dataclass(frozen=True)
class Changes:
    """What differs in an edition from the run that wrote a plan record (:func:`changes_since`)."""

    pages: tuple[int, ...] = ()  # the pages to make again: a replate of them keeps every other page
    why: tuple[str, ...] = ()  # what, besides stories' words and ads, asks for pages to be planned again
    elsewhere: str | None = None  # a change of the edition as a whole: it is built whole, and why


def changes_since(record: dict, edition: Edition) -> Changes:
    """Which pages of the run that wrote ``record`` are to be made again for what changed in
    ``edition`` since, every other page staying as it was: those printing a story that changed (by
    its fingerprint); those a story leaves (gone, moved to another section, pinned to another page);
    every page of a section a story comes to (new, moved or pinned there, or left out before and
    changed: only planning the section again finds it a place) or whose ads changed (they take room
    its stories had, or give some back). Or why the edition must be built whole: what
    ``edition.yaml`` says of the edition changed (its sections or their pages, format, language,
    title...)."""
    planned = [(page.get("number"), page.get("section")) for page in record.get("pages", [])]
    sections = [(spec.name, spec.pages) for spec in edition.sections]
    if [section for _, section in planned] != [name for name, pages in sections for _ in range(pages)]:
        return Changes(elsewhere="the edition's sections or their pages changed")
    if "edition_fingerprint" not in record:
        return Changes(elsewhere="the previous run's plan.json does not say what edition.yaml held (written by an "
                                 "older epaper)")
    if record["edition_fingerprint"] != _edition_fingerprint(edition):
        return Changes(elsewhere="edition.yaml changed (the edition's title, date, language, digits or format)")
    pages_of: dict[str, set[int]] = {}
    for number, section in planned:
        pages_of.setdefault(section, set()).add(number)
    articles = {a.id: a for a in edition.articles}
    pages: set[int] = set()
    why: list[str] = []
    for page in record["pages"]:
        if not _same_ads(page.get("ads"), edition, page["number"]):
            # An ad takes room its section's stories had, or gives some back: planned again together.
            why.append(f"an ad on page {page['number']} changed")
            pages |= pages_of[page["section"]]
        for entry in page["placements"]:
            article = articles.get(entry["article"])
            if article is None:
                why.append(f"{entry['article']} is no longer in the edition")
            elif _fingerprint(article) != entry["fingerprint"]:
                # (A jump's rest on another section's page did not move: a front story's new photo
                # was said to have moved it "from section 'City' to 'Front'".)
                if article.section != page["section"] and not entry.get("continued_from_page"):
                    why.append(f"{article.id} moved from section {page['section']!r} to {article.section!r}")
                    pages |= pages_of.get(article.section, set())
                pinned = article.pin.page if article.pin is not None else None
                if pinned is not None and pinned != page["number"]:
                    why.append(f"{article.id} is pinned to page {pinned} (it was on page {page['number']})")
                    pages |= next((numbers for numbers in pages_of.values() if pinned in numbers), set())
            else:
                continue
            pages.add(page["number"])
    for name, _ in sections:
        news = _section_news(record, edition, name)
        if news is not None:
            why.append(news)
            pages |= pages_of[name]
    return Changes(pages=tuple(sorted(pages)), why=tuple(dict.fromkeys(why)))


def edition_state(edition: Edition) -> str:
    """A digest of everything :func:`changes_since` compares: the same for an edition read again
    from unchanged files (``epaper watch`` knows a step it took found nothing to publish)."""
    return hashlib.sha256(repr((_edition_fingerprint(edition), sorted((a.id, _fingerprint(a)) for a in edition.articles),
                                [ad_fingerprints(edition, n) for n in range(1, edition.page_count + 1)])).encode("utf-8")
                          ).hexdigest()


def _section_news(record: dict, edition: Edition, section: str) -> str | None:
    """What is new in ``section`` since the run that wrote ``record``, for a page of it to be
    planned again for: a story it did not have, or one it left out that changed; None if nothing.
    (A story it placed that changed is on a page made again, or refused by the lock, check_lock.)"""
    placed = {p["article"] for page in record.get("pages", []) for p in page["placements"]}
    if "unplaced" not in record and any(story.id not in placed for story in edition.articles_in(section)):
        return "the previous run's plan.json does not list the stories it left out (written by an older epaper)"
    left_out = {u.get("article"): u.get("fingerprint") for u in record.get("unplaced", []) if isinstance(u, dict)}
    for story in edition.articles_in(section):
        if story.id not in placed and story.id not in left_out:
            return f"{story.id} is new to section {section!r}"
        if story.id not in placed and _fingerprint(story) != left_out[story.id]:
            return f"{story.id}, left out before, changed"
    return None


def ad_fingerprints(edition: Edition, number: int, *, numbered: bool = False) -> list[str]:
    """The ads of page ``number``, each as a fingerprint of its size, place and image's bytes. Not
    of its page number: a zone's page that is the main edition's under another number (a section
    added before it) has the same ads, and is kept as the main edition made it. (``numbered``: as
    records written before that fingerprinted them, the page number first.)"""
    return [hashlib.sha256(repr((*((ad.page,) if numbered else ()), ad.columns, ad.height_mm, ad.position,
                                 _photo_digest(ad.image) if ad.image else None)).encode("utf-8")).hexdigest()[:16]
            for ad in edition.ads if ad.page == number]


def _same_ads(recorded: object, edition: Edition, number: int) -> bool:
    """Whether page ``number``'s ads are those its record ``recorded`` (a record from before ads
    were kept has none: no). A record written before the page number left the fingerprints is read
    as it was written: an upgrade does not make every page with an ad "changed"."""
    return recorded == ad_fingerprints(edition, number) or recorded == ad_fingerprints(edition, number, numbered=True)


def check_lock(record: dict, edition: Edition, pages: Iterable[int], grids: dict[int, PageGrid], *,
               kept: Iterable[int] = ()) -> None:
    """Raise :class:`LockError` if the ``pages`` cannot be locked (what :func:`locked_plans` checks,
    without typesetting anything: the build cache may not need the plans themselves). ``kept``:
    pages kept as the record has them besides, their changed stories set again in place
    (:func:`refitted_plans`): a story may continue from one of them."""
    wanted = sorted(set(pages))
    articles = {a.id: a for a in edition.articles}
    for number, page in _locked_entries(record, edition, wanted, grids).items():
        for entry in page["placements"]:
            _check_placement(entry, number, articles, sorted(set(wanted) | set(kept)))


def _locked_entries(record: dict, edition: Edition, wanted: Sequence[int], grids: dict[int, PageGrid], *,
                    check_ads: bool = True) -> dict[int, dict]:
    """The record's entries of the ``wanted`` pages; raises LockError if one cannot print as it was
    made (``check_ads``: False where the caller says of a changed ad itself, see refitted_plans)."""
    by_number = {page["number"]: page for page in record.get("pages", [])}
    if record.get("edition") != edition.id or record.get("format") != edition.format:
        said = (f"the previous run built {record.get('edition')!r} ({record.get('format')}), not "
                f"{edition.id!r} ({edition.format})")
        raise LockError(f"{said} — build once without --lock", problem=said)
    entries = {}
    now_in = {number: name for name, (first, last) in section_pages(edition.sections).items()
              for number in range(first, last + 1)}
    for number in wanted:
        if number not in by_number or number not in grids:
            raise _refused(number, f"the edition has no page {number} in the previous run or this one",
                           "lock only pages both have, or build the edition whole", remake=False)
        page = by_number[number]
        if page["section"] not in now_in.values():
            raise _refused(number, f"section {page['section']!r} is no longer in edition.yaml", "unlock the page",
                           remake=False)
        if now_in.get(number) != page["section"]:
            # A section given more or fewer pages moves the pages after it: kept by their old numbers,
            # they would print under the wrong section, or twice.
            raise _refused(number, f"page {number} is in section {now_in.get(number)!r} now, not "
                           f"{page['section']!r} as when it was made (edition.yaml's sections changed)",
                           "build the edition whole, without --lock", remake=False)
        if check_ads and "ads" in page and not _same_ads(page["ads"], edition, number):
            # Its stories were placed around the ads it had: kept, they would print under the new one.
            raise _refused(number, f"an ad on page {number} changed in edition.yaml since it was made",
                           f"make page {number} again too (unlock it)", remake=True)
        entries[number] = page
    return entries


def locked_plans(record: dict, edition: Edition, pages: Iterable[int], grids: dict[int, PageGrid],
                 catalog: FitCatalog, *, only: Iterable[int] | None = None) -> dict[int, PagePlan]:
    """Page plans rebuilt from the record for the ``pages`` the desk locked. With ``only``, just those
    of them are made, and nothing is checked: call :func:`check_lock` for all ``pages`` first."""
    wanted = sorted(set(pages))
    if only is not None:
        made = sorted(set(only) & set(wanted))
        return {n: p for n, p in _locked_plans(record, edition, made, grids, catalog, wanted).items()}
    return _locked_plans(record, edition, wanted, grids, catalog, wanted)


def _locked_plans(record: dict, edition: Edition, wanted: Sequence[int], grids: dict[int, PageGrid],
                  catalog: FitCatalog, locked: Sequence[int]) -> dict[int, PagePlan]:
    articles = {a.id: a for a in edition.articles}
    return {number: _page_plan(edition, page, number, grids[number], catalog,
                               tuple(_placement(entry, number, articles, catalog, locked) for entry in page["placements"]))
            for number, page in _locked_entries(record, edition, wanted, grids).items()}


def _page_plan(edition: Edition, page: dict, number: int, grid: PageGrid, catalog: FitCatalog,
               placements: tuple[Placement, ...]) -> PagePlan:
    """Page ``number`` as its record ``page`` has it, with these ``placements``."""
    spec = {s.name: s for s in edition.sections}[page["section"]]
    return PagePlan(
        number=number, section=page["section"], template=spec.template, grid=grid, placements=placements,
        # The ads stay put.
        ad_slots=tuple(AdPlacement(ad, grid.ad_slot(ad)) for ad in edition.ads if ad.page == number),
        fillers=tuple(_quotation(entry, number, placements, catalog) for entry in page.get("quotations", [])),
        # A refer box names pages of this run: its space is kept, and so are the stories it names
        # where they still can be (fill_with_refers); the rest is chosen again.
        empty_slots=tuple(Slot(*slot) for slot in page.get("refer_boxes", [])),
        kept_refers=locked_refers(page), roomier=page.get("roomier", 0.0))


def locked_refers(page: dict) -> tuple[tuple[Slot, tuple[str, ...]], ...]:
    """The refer boxes a page's record names: each space, and the stories it named (a record from
    before the stories were recorded names none)."""
    return tuple((Slot(*slot), tuple(ids)) for slot, ids in zip(page.get("refer_boxes", []), page.get("refers", [])))


@dataclass(frozen=True)
class Refit:
    """What :func:`refitted_plans` made: the pages kept in place, or none and why not (for the desk)."""

    plans: dict[int, PagePlan]
    refused: str = ""


def refitted_plans(record: dict, edition: Edition, pages: Iterable[int], grids: dict[int, PageGrid],
                   catalog: FitCatalog) -> Refit:
    """The ``pages`` a replate makes again, kept as the record has them, each story that changed set
    again in its own slot: same columns, depth, crop and design options. A subeditor who corrects a
    word at midnight expects the page not to move; planned again alone, the rest of its section
    kept, a page need not come out as planning the section whole made it.

    Empty (the pages are then planned again) unless every changed story still fills its slot just
    as a fit does (balanced legs, no widow or orphan, no hole under its photo) and nothing else
    asks for a new plan: a story that jumps changed, or one was added to or taken from the
    section, or a story left out changed (the desk may have cut it to get it in), or an ad moved."""
    # A page the record does not have (a zone's own page, in a night's first layout) is planned.
    wanted = sorted(set(pages) & {page["number"] for page in record.get("pages", [])})
    if not wanted:
        return Refit({})
    try:
        entries = _locked_entries(record, edition, wanted, grids, check_ads=False)
    except LockError:
        return Refit({}, f"the previous run's plan.json does not have page{'s' if len(wanted) > 1 else ''} "
                         f"{', '.join(map(str, wanted))} as the edition has {'them' if len(wanted) > 1 else 'it'} now")
    articles = {a.id: a for a in edition.articles}
    every_page = [page["number"] for page in record["pages"]]
    plans: dict[int, PagePlan] = {}
    for number, page in entries.items():
        if not _same_ads(page.get("ads"), edition, number):
            return Refit({}, f"an ad on page {number} changed")
        news = _section_news(record, edition, page["section"])
        if news is not None:
            return Refit({}, news)
        placements = []
        for entry in page["placements"]:
            article = articles.get(entry["article"])
            if article is None:
                return Refit({}, f"{entry['article']} is no longer in the edition")
            if _fingerprint(article) == entry["fingerprint"]:
                placements.append(_placement(entry, number, articles, catalog, every_page, note=None))
                continue
            refitted = _refitted(entry, article, catalog)
            if isinstance(refitted, str):
                return Refit({}, f"{article.id} {refitted}")
            placements.append(refitted)
        try:
            plans[number] = _page_plan(edition, page, number, grids[number], catalog, tuple(placements))
        except LockError:
            return Refit({}, f"a quotation on page {number} no longer fits beside its changed story")
    return Refit(plans)


def _refitted(entry: dict, article: Article, catalog: FitCatalog) -> Placement | str:
    """The changed ``article`` in the slot, design and crop ``entry`` records, or why it cannot be
    (it no longer fills that slot the way a fit of copyfit does, it jumps, more than its words changed)."""
    if entry["continued_to_part"] or entry["continued_from_page"] is not None:
        return "jumps (where the jump falls moves with the text)"
    if "fixed" not in entry:
        return "cannot be kept in place: the previous run's plan.json is from an older epaper"
    if entry["fixed"] != _fixed_fingerprint(article):
        return "changed more than its words (its photos, priority, pin, section or language)"
    col, cols, top, height = entry["slot"]
    options = DesignOptions(**entry["design"])
    design = design_module(article, cols, catalog.fmt, breaker=catalog.breaker, **asdict(options))
    photo_rows = entry["photo_rows"]  # the same photo as then, cropped as then
    lines = len(design.body)
    depth = height - 1 - design.fixed_rows
    legs = catalog.part_legs(design, 0, lines, photo_rows, height, jumps=False) if depth > 0 else None
    drawn = lines if legs is None or legs.lines is None else len(legs.lines)
    capacity = design.capacity(height, photo_rows=photo_rows)
    if legs is None:
        return f"has a header too deep for the {cols}-column slot it had"
    if sum(legs.counts) != drawn or not fills(drawn, design.body_offsets(photo_rows=photo_rows), depth):
        return f"no longer fills the {cols}-column slot it had ({lines} lines where {capacity} fit)"
    if legs.faults:
        faults = [f"{n} {name}{'s' if n > 1 else ''}" for n, name in ((legs.widows, "widow"), (legs.orphans, "orphan"))
                  if n]
        return f"would leave {' and '.join(faults)} in the slot it had (a paragraph's line alone atop or at the foot " \
               f"of a column)"
    if (design.photo or design.pull_quote) is not None and design.leaves_hole(drawn, photo_rows=photo_rows):
        return "would leave a gap beside its photo or pull quote in the slot it had"
    return Placement(article=article, design=design, slot=Slot(col, cols, top, height), line_start=0, line_end=lines,
                     legs=legs, continued_to_part=False, continued_from_page=None, photo_rows=photo_rows,
                     adjustments=decided_adjustments(entry["adjustments"]) + (REFIT_NOTE,))


def _quotation(entry: dict, number: int, placements: Sequence[Placement], catalog: FitCatalog) -> QuoteFill:
    """A quotation the page had in a space below its story (the story is on the page, unchanged)."""
    story = next((p for p in placements if p.article.id == entry["article"]), None)
    fill = None if story is None else quote_fill(story.article, Slot(*entry["slot"]), catalog.fmt, catalog.breaker,
                                                 second=story.design.pull_quote is not None)
    if fill is None:
        raise _refused(number, f"the quotation from {entry['article']!r} no longer fits its space",
                       f"unlock page {number}", remake=True)
    return fill


def _placement(entry: dict, number: int, articles: dict[str, Article], catalog: FitCatalog,
               locked: Sequence[int], note: str | None = LOCKED_NOTE) -> Placement:
    """The placement ``entry`` records, made again; its notes of a lock or a refit then are dropped
    (they told of that run), ``note`` added (a story kept on a page a replate makes again: none)."""
    article = _check_placement(entry, number, articles, locked)
    origin = entry["continued_from_page"]
    col, cols, top, height = entry["slot"]
    # The module made again exactly as copyfit made it: the options it was asked for.
    options = DesignOptions(**entry["design"])
    design = design_module(article, cols, catalog.fmt, breaker=catalog.breaker, **asdict(options))
    start, end = entry["lines"]
    # Its column legs measured again as copyfit measured them for the run that wrote the record.
    legs = catalog.part_legs(design, start, end, entry["photo_rows"], height, jumps=entry["continued_to_part"])
    return Placement(article=article, design=design, slot=Slot(col, cols, top, height), line_start=start,
                     line_end=end, legs=legs, continued_to_part=entry["continued_to_part"], continued_from_page=origin,
                     photo_rows=entry["photo_rows"],
                     adjustments=decided_adjustments(entry["adjustments"]) + ((note,) if note else ()))


def decided_adjustments(adjustments: Sequence[str]) -> tuple[str, ...]:
    """A placement's adjustments without the notes of how a run kept it (notes, not decisions)."""
    return tuple(a for a in adjustments if a not in RUN_NOTES)


def _check_placement(entry: dict, number: int, articles: dict[str, Article], locked: Sequence[int]) -> Article:
    article_id = entry["article"]
    article = articles.get(article_id)
    if article is None:
        raise _refused(number, f"article {article_id!r} was on the page but is no longer in the edition",
                       f"unlock page {number}", remake=True)
    if _fingerprint(article) != entry["fingerprint"]:
        raise _refused(number, f"article {article_id!r} changed since the previous run",
                       f"unlock page {number} so it is laid out again", remake=True)
    origin = entry["continued_from_page"]
    if origin is not None and origin not in locked:
        raise _refused(number, f"{article_id!r} continues here from page {origin}",
                       f"lock page {origin} too, or unlock page {number}", remake=True)
    return article


def jump_closure(jumps: Iterable[tuple[int, int]], pages: Iterable[int]) -> set[int]:
    """``pages`` and every page a jump (from page, to page) of theirs reaches, and so on: the pages a
    replate makes again together (:func:`epaper.build.with_jump_pages`), the pages a zone must make
    together so that none of the main edition's jumps runs between a page it makes and one it
    inherits (epaper.night)."""
    edges = list(jumps)
    closed = set(pages)
    while crossing := {p for a, b in edges if (a in closed) != (b in closed) for p in (a, b)} - closed:
        closed |= crossing
    return closed
