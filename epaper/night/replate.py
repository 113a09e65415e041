"""``epaper replate`` of an edition that ``epaper build-night`` published: late news in a night.

The page asked for is made again with its jump pages, every other page of that edition is kept as
it was published (locked), and so is every page of every other edition of the night — but a zone's
pages that are the main edition's follow the main edition: a replate of the main edition's page
reaches every zone printing that page, a zone's own page printing one of its stories (laid out
around the zone's own ad), and a zone's front when a headline it teases changed. A
zone's own page is replated in the zone alone; a zone's page that is the main edition's is replated
in the main edition (asked of the zone, the replate is refused, naming the main edition's page).

Each edition whose files change publishes its next numbered version and keeps the one before whole,
as a replate of an edition of its own does (:mod:`epaper.publish.versions`); the edition asked for
always does. The others are left exactly as they are. A plain ``epaper build-night`` afterwards
builds the night afresh (every edition version 1 again, nothing locked).
"""

from __future__ import annotations

import dataclasses
import shlex
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from epaper.build import BuildResult, ReplateError, page_ranges, replate_with, with_jump_pages
from epaper.cache import Store
from epaper.cache.file_facts import FileFacts
from epaper.layout.left_out import left_out_now, refusal
from epaper.layout.lock import PLAN_FILE, LockError, read_plan_record
from epaper.night.build import Publishing, publish_all
from epaper.night.layout import (EditionInNight, KeptPages, KeptUnlessChanged, LaidOutNight, Night, lay_out_night,
                                 read_night)
from epaper.night.pages import NightPages
from epaper.products import PageTask, published_in, recorded
from epaper.publish.build_lock import output_lock
from epaper.publish.output import check_output_root, editions_with_stale_folders, output_errors, published_folders
from epaper.publish.versions import VERSION_FILE, EditionVersion, read_version_file, recover_edition
from epaper.resources import fonts_dir
from epaper.tasks import open_runner
from epaper.time_zones import now
from epaper.web import write_archive

__all__ = ["Published", "replate_in_night", "replate_night"]

_VERSIONS_STAGE = "night-versions"  # each edition's version.json, by the file (epaper.cache.file_facts)

Progress = Callable[[str, int, int], None]


def replate_in_night(out_root: Path, page: int | Collection[int], folder: Path, version: EditionVersion, *,
                     workers: int = 2, progress: Progress | None = None,
                     on_wait: Callable[[str], None] | None = None, scheduler: str | None = None) -> BuildResult:
    """Make page ``page`` (or the pages, together) of the edition published in ``folder``
    (``version``: built in a night) again, with its jump pages and what follows it in the night's
    other editions. Returns that edition's result, the other editions published again in its
    ``also``. Raises
    :class:`~epaper.build.ReplateError` (a story on a kept page changed: the message names it) or
    :class:`~epaper.night.NightError` (the night file or an edition folder is wrong now)."""
    started = time.perf_counter()
    asked_pages = {page} if isinstance(page, int) else set(page)
    out_root = Path(out_root)
    night = read_night(Path(version.source), out_root)
    again: set[int] = set()

    def kept(published: Published) -> Mapping[str, KeptPages | KeptUnlessChanged]:
        record = read_plan_record(folder / PLAN_FILE)
        numbers = sorted(entry["number"] for entry in record["pages"])
        for number in asked_pages:
            if number not in numbers:
                raise ReplateError(f"--page {number}: the edition in {folder} has pages 1 to {numbers[-1]}")
        again.update(with_jump_pages(record, asked_pages))
        pages: dict[str, KeptPages] = {}
        for edition_id, (edition_folder, _) in published.items():
            edition_record = record if edition_id == folder.name else read_plan_record(edition_folder / PLAN_FILE)
            there = frozenset(entry["number"] for entry in edition_record["pages"])
            pages[edition_id] = KeptPages(edition_record, there - again, frozenset(asked_pages)) \
                if edition_id == folder.name else KeptPages(edition_record, there)
        return pages

    try:
        laid, results = replate_night(out_root, night, kept, asked=folder.name, again=again, breaker=version.breaker,
                                      base_url=version.base_url, workers=workers, progress=progress, on_wait=on_wait,
                                      scheduler=scheduler)
    except LockError as error:  # said to the desk as a replate, not as the lock it runs on
        raise ReplateError(_night_refusal(error, night.main.edition.id, folder.name, asked_pages, version.source,
                                          out_root)) from None
    by_id = {edition.id: result for edition, result in zip(laid.editions, results) if result is not None}
    asked = by_id.pop(folder.name)
    return dataclasses.replace(asked, seconds=time.perf_counter() - started, also=tuple(by_id.values()))


def _night_refusal(error: LockError, main_id: str, asked_id: str, asked: Collection[int], night_file: str,
                   out_root: Path) -> str:
    """Why the replate cannot keep a page, and what to do. A lock a night's replate refuses is the
    main edition's (a zone's page that cannot follow is refused as a NightError, naming the zone):
    a story of its page changed too. With pages of the main edition asked, replate it with them;
    else (a zone's page asked), replate the main edition's page first; without a page, build."""
    replate = f"epaper replate {shlex.quote(str(out_root))} --edition {shlex.quote(main_id)}"
    if error.page is not None and error.remake:
        said = f"page {error.page} of the main edition cannot stay as it was published: {error.problem}"
        if asked_id == main_id:
            return f"{said} — replate it with this one: {replate} --page {page_ranges(set(asked) | {error.page})}"
        return f"{said} — replate it first: {replate} --page {error.page}"
    return (f"{error.problem} — build the night again: epaper build-night {shlex.quote(night_file)} "
            f"--out {shlex.quote(str(out_root))}")


Published = dict[str, tuple[Path, EditionVersion]]  # the night's editions in the output root, by id


def replate_night(out_root: Path, night: Night,
                  kept: Callable[[Published], Mapping[str, KeptPages | KeptUnlessChanged]], *, asked: str | None,
                  again: set[int], breaker: str, base_url: str | None, workers: int = 2,
                  progress: Progress | None = None, on_wait: Callable[[str], None] | None = None,
                  scheduler: str | None = None, kept_layout: dict[tuple[str, str], Any] | None = None
                  ) -> tuple[LaidOutNight, tuple[BuildResult | None, ...]]:
    """The night ``night`` published in ``out_root`` laid out again keeping, of each edition, what
    ``kept`` says (told the editions published there, by id); every edition whose files changed is
    published as its next version, and ``asked`` (with ``again``: the pages asked for) always is.
    Returns the night and each edition's result (None: left as it was). ``kept_layout``: what
    :func:`~epaper.night.layout.lay_out_night` takes as ``kept``. Raises what
    :func:`replate_in_night` raises, and :class:`~epaper.night.layout.NightChanged`."""
    check_output_root(out_root)
    spec = night.spec
    read_by_tasks = (fonts_dir(), spec.main, *(variant.folder for variant in spec.variants))
    with open_runner(workers=workers, scheduler=scheduler, shared_folder=out_root, same_folders=read_by_tasks) as runner:
        with output_errors(out_root), output_lock(out_root, on_wait):
            published = _night_editions(out_root, spec.path)
            keep = kept(published)
            store = Store.of(out_root)
            store.clear_scratch()  # what tasks of a killed build left half-made
            pages = NightPages(runner, progress)
            try:
                laid = lay_out_night(night, breaker=breaker, progress=progress, store=store, runner=runner, keep=keep,
                                     kept=kept_layout)
                if asked is not None and asked not in {edition.id for edition in laid.editions}:
                    raise ReplateError(f"{asked} is no longer an edition of the night {spec.path} — build "
                                       "the night again with epaper build-night")
                unbuilt = [edition.id for edition in laid.editions if edition.id not in published]
                if unbuilt:
                    raise ReplateError(f"{out_root}: the night {spec.path} has editions not built there "
                                       f"({', '.join(unbuilt)}) — build the night once with epaper build-night")
                _refuse_leaving_out(laid, keep, out_root)
                results = publish_all(laid, out_root, runner=runner, pages=pages, base_url=base_url,
                                      progress=progress, publishing=_next_versions(
                                          published, asked, again, store,
                                          now(laid.main.laid_out.edition.time_zone), spec.fingerprint))
            except BaseException:
                pages.cancel()  # before the output folder's lock is let go
                raise
            write_archive(out_root, base_url=base_url)
            store.clear_scratch()  # (no garbage collected: see build_edition)
    return laid, results


def _refuse_leaving_out(laid: LaidOutNight, keep: Mapping[str, KeptPages | KeptUnlessChanged], out_root: Path) -> None:
    """Raise :class:`~epaper.build.ReplateError` when an edition's pages made again leave out a story
    its published version printed (:mod:`epaper.layout.left_out`): named once, in the first edition
    that would (the main edition's stories are the zones' too)."""
    said: set[str] = set()
    refusals = []
    for edition in laid.editions:
        kept = keep.get(edition.id)
        if kept is None:
            continue
        stories = [story for story in left_out_now(kept.record, edition.laid_out) if story.article not in said]
        if not stories:
            continue
        said.update(story.article for story in stories)
        name = edition.night_edition.name
        remade = ({entry["number"] for entry in kept.record["pages"]} - kept.pages
                  if isinstance(kept, KeptPages) else set())
        refusals.append(refusal(stories, remake=replate_with(out_root, name, remade), folder=None,
                                where=f" of {name}"))
    if refusals:
        raise ReplateError("\n".join(refusals))


def _night_editions(out_root: Path, night_file: Path) -> Published:
    """The editions published in ``out_root`` by a build of ``night_file`` (by id), as their
    ``version.json`` say (a build killed while publishing one is recovered first)."""
    found = {}
    # First what killed builds left (an edition a kill between two renames left only as its old
    # folder comes back): looked for in one listing of the folder, not one for each edition.
    for name in sorted(editions_with_stale_folders(out_root)):
        recover_edition(out_root / name)
    # What each version.json says is remembered while it is the same file: a folder holding a month
    # of a desk's nights has 1,800, each of the same night file.
    facts = FileFacts(out_root, _VERSIONS_STAGE)
    night_file, resolved = night_file.absolute(), night_file.resolve()
    for name in published_folders(out_root):
        folder = out_root / name
        version = facts.read(f"{name}/{VERSION_FILE}", read_version_file)
        if (version is not None and version.night_edition is not None
                and (Path(version.source) == night_file or Path(version.source).resolve() == resolved)):
            found[name] = (folder, version)
    facts.save()
    return found


def _next_versions(published: Published, asked: str | None, again: set[int], store: Store, made: str,
                   night_fingerprint: str) -> Callable[[EditionInNight, Sequence[PageTask]], Publishing | None]:
    """How each edition of the night is published by the replate: the next version of the one asked
    for, and of each other whose pages' files changed (which it names as replated); None: no change."""
    def publishing(edition: EditionInNight, tasks: Sequence[PageTask]) -> Publishing | None:
        folder, previous = published[edition.id]
        changed = tuple(task.page.number for task in tasks if not _published_as_made(task, folder, store))
        if edition.id != asked and not changed:
            return None
        replated = tuple(sorted(again)) if edition.id == asked else changed
        return Publishing(dataclasses.replace(previous, number=previous.number + 1, made=made, replated=replated,
                                              kept=previous.kept + (previous.number,),
                                              night_fingerprint=night_fingerprint), keep=previous)
    return publishing


def _published_as_made(task: PageTask, folder: Path, store: Store) -> bool:
    """Whether the page's products (made by now) are in ``folder`` as published (each file a link to
    the store's object: so the object is there too)."""
    products = recorded(task)
    return products is not None and published_in(folder, products, store)
