"""``epaper build-night``: every edition of a night into ``OUT/<edition id>/``, pages made once.

The night is laid out first (:mod:`.layout`: the main edition, then each zone replaying the main
edition's decisions for its inherited pages), then each edition goes through the ordinary publishing
pipeline (:func:`epaper.build.publish_edition`) into the same output root and its build cache: a page
that is the same in two editions (the same frame) has the same key, so its products are made for the
first edition and found in the store for the others, and every edition's files are hard links to the
store's objects.

Every call that does an edition's work goes through :func:`publish_all` — the one place where a
runner (a process pool, a Dask cluster: ``epaper.tasks``) takes the editions over.

A night built again with nothing changed is left as it is (:mod:`.unchanged`): what the night is
made from (the code, night.yaml, the main edition's and every zone's files, the options) and what
its last build left in the output folder (every file's inode, size and times) are remembered after
each build; when both are still the same, nothing is read, laid out or written — every edition
folder is exactly what this build would publish again, except the report's timing and cache
figures, which keep telling of the build that made it.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from epaper.build import BuildResult, edition_page_tasks, publish_edition
from epaper.cache import Store
from epaper.cache.file_facts import FileFacts
from epaper.cache.store import STORE_DIR, settle_discards
from epaper.i18n import Wording
from epaper.night.layout import EditionInNight, LaidOutNight, lay_out_night, read_night
from epaper.night.pages import NightPages
from epaper.night.spec import NightError, read_night_spec
from epaper.night.unchanged import EditionSummary, NightInputs, remember_night, unchanged_night
from epaper.products import PageTask
from epaper.publish.build_lock import output_lock
from epaper.publish.output import check_output_root, output_errors, published_folders
from epaper.publish.versions import VERSION_FILE, EditionVersion, read_version, read_version_file, recover_edition
from epaper.resources import fonts_dir
from epaper.tasks import Runner, open_runner
from epaper.tile_sets import collect_tile_sets
from epaper.time_zones import now
from epaper.web import write_archive
from epaper.web.archive import night_record_in

__all__ = ["EditionSummary", "NightResult", "Publishing", "build_night", "publish_all"]

Progress = Callable[[str, int, int], None]
ENGLISH = Wording()  # report.json's words for tools (report.html says them in the edition's language)
_LEFT_OVER_STAGE = "night-left-over"  # each edition's night record and version (epaper.cache.file_facts)


@dataclass(frozen=True)
class NightResult:
    night: LaidOutNight | None  # None when the night was unchanged and left as its last build made it
    editions: tuple[BuildResult, ...]  # the main edition first (none when unchanged)
    seconds: float
    summary: tuple[EditionSummary, ...]  # what the desk is told of each edition, the main edition first
    # Editions an earlier build of this night published that the night file no longer names (a zone
    # taken out or renamed): left as published, but they follow the main edition no more.
    left_over: tuple[str, ...] = ()
    # Zone editions another night file (sharing this main edition) built into the same output:
    # (edition id, that night file). They follow that night's builds, not this one's.
    others: tuple[tuple[str, str], ...] = ()

    @property
    def unchanged(self) -> bool:
        return self.night is None

    @property
    def pages_made(self) -> int:
        """Pages drawn, rasterized and tiled by this build (the rest came from the store)."""
        return sum(len(edition.pages_made) for edition in self.summary)

    @property
    def pages_reused(self) -> int:
        return sum(len(edition.pages_reused) for edition in self.summary)


def build_night(night_file: Path, out_root: Path, *, workers: int = 2, breaker: str = "knuth-plass",
                base_url: str | None = None, progress: Progress | None = None,
                on_wait: Callable[[str], None] | None = None, scheduler: str | None = None,
                strict: bool = False) -> NightResult:
    """Build every edition of ``night_file`` into ``out_root``. Raises :class:`~epaper.night.NightError`
    (the night file, the main edition or a zone is wrong: no edition is written) or
    :class:`~epaper.publish.output.OutputError`.

    Everything goes through the output root's build cache (``out_root/.store``): a page the same in
    two editions is made once (its products are found by its frame) and hard-linked into both, and a
    night built again reuses every layout, page and edition file whose inputs did not change.

    Every edition's pages are drawn and rasterized on one runner (:mod:`epaper.tasks`): ``workers``
    local processes, or the workers of the Dask ``scheduler`` (``tcp://HOST:PORT``; raises
    :class:`~epaper.tasks.SchedulerError` when it cannot run the night, before anything is laid out).

    ``strict``: a warning of any edition (a blank page, a story left out, a main-edition ad a zone
    does not print) is an error: :class:`~epaper.night.NightError` lists them all, and no edition
    is published (a desk review: a night with a blank zone page went to press with exit 0)."""
    started = time.perf_counter()
    out_root = Path(out_root)
    spec = read_night_spec(Path(night_file))
    inputs = NightInputs(spec, breaker=breaker, base_url=base_url)
    key = inputs.key()  # before anything is read
    if out_root.is_dir():
        with output_errors(out_root), output_lock(out_root, on_wait):
            published = unchanged_night(key, out_root, Store.of(out_root))
            # (Under the lock: it remembers what it read in the store.)
            left_over = (_left_over(published[0].id, {edition.id for edition in published}, out_root, spec.path)
                         if published is not None else None)
        if published is not None and left_over is not None:  # nothing to run: no worker is started, no scheduler asked
            return NightResult(None, (), time.perf_counter() - started, published, *left_over)
    night = read_night(Path(night_file), out_root if out_root.is_dir() else None)
    check_output_root(out_root)
    read_by_tasks = (fonts_dir(), spec.main, *(variant.folder for variant in spec.variants))
    # (outermost: the folder is removed once the runner's workers are done with it)
    with _removed_if_nothing_published(out_root), open_runner(
            workers=workers, scheduler=scheduler, shared_folder=out_root, same_folders=read_by_tasks) as runner:
        with output_errors(out_root), output_lock(out_root, on_wait):
            store = Store.of(out_root)
            store.clear_scratch()  # what tasks of a killed build left half-made
            pages = NightPages(runner, progress)
            try:
                # The main edition's pages are made while the zones are laid out.
                laid = lay_out_night(night, breaker=breaker, progress=progress, store=store, runner=runner,
                                     on_main=lambda main, cached: pages.make(
                                         edition_page_tasks(main, store, cached.key if cached else None)))
                if strict:
                    said = tuple(dict.fromkeys(w for edition in laid.editions for w in edition.warnings))
                    if said:
                        raise NightError(said)
                made = now(night.main.edition.time_zone)  # (the zones' edition.yaml is the main edition's)

                def built_version(edition: EditionInNight, tasks: Sequence[PageTask]) -> Publishing:
                    # Its source is the night file: epaper replate makes its pages again from it.
                    fresh = EditionVersion(1, made, str(spec.path.absolute()), breaker, base_url,
                                           night_edition=edition.night_edition.name,
                                           night_fingerprint=spec.fingerprint)
                    # A publish killed half-way is put back first: its version, and its versions/, go on.
                    recover_edition(out_root / edition.id)
                    previous = read_version(out_root / edition.id)
                    if previous is None or not previous.continued_by_builds:
                        return Publishing(fresh)
                    return Publishing(replace(fresh, number=previous.number + 1,
                                              kept=previous.kept + (previous.number,)), keep=previous)

                results = publish_all(laid, out_root, runner=runner, pages=pages, base_url=base_url,
                                      progress=progress, publishing=built_version)
                built = tuple(result for result in results if result is not None)  # every one, here
            except BaseException:
                pages.cancel()  # before the output folder's lock is let go
                raise
            write_archive(out_root, base_url=base_url)
            collect_tile_sets(out_root, store)  # tile sets no edition names any more
            # The replaced editions and tile sets deleted (each edition while the next was
            # published): their objects are garbage now, and the output folder holds still for
            # remember_night.
            settle_discards()
            store.collect_garbage()  # objects no edition links any more (the replaced editions')
            store.clear_scratch()  # what a task killed and retried on another worker left behind
            summary = tuple(EditionSummary.of(edition, result, laid.spec.file)
                            for edition, result in zip(laid.editions, built))
            remember_night(inputs, key, laid, summary, out_root, store)  # last: the output folder is final now
            # (Under the lock: it remembers what it read in the store.)
            left_over = _left_over(laid.main.id, {edition.id for edition in laid.editions}, out_root, spec.path)
    return NightResult(laid, built, time.perf_counter() - started, summary, *left_over)


@contextmanager
def _removed_if_nothing_published(out_root: Path) -> Iterator[None]:
    """Remove the output folder the block creates if it fails before any edition is published in it
    (the folder holds only the build cache): a night refused after its main edition's pages were
    made left 45 to 67 MB in the folder given (a mistyped ``--out`` too; the night audit)."""
    fresh = not out_root.exists()
    try:
        yield
    except BaseException:
        if fresh and set(os.listdir(out_root) if out_root.is_dir() else ()) <= {STORE_DIR}:
            shutil.rmtree(out_root, ignore_errors=True)
        raise


def _left_over(main_id: str, made: set[str], out_root: Path,
               night_file: Path) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The editions in ``out_root`` whose record names this night's main edition (``main_id``) that
    it does not make now (``made``): those an earlier build of this night file made, and those
    another night file made (with that file). A desk review: another night's zones were said to
    have been "built by this night before"."""
    ours: list[str] = []
    others: list[tuple[str, str]] = []
    # What each edition's files say is remembered while they are the same files: a folder holding
    # a month of a desk's nights has 1,800 reports to read (~1 s of every night's build).
    facts = FileFacts(out_root, _LEFT_OVER_STAGE)
    night_file, resolved = night_file.absolute(), night_file.resolve()
    for name in published_folders(out_root):
        if name in made \
                or (facts.read(f"{name}/report.json", night_record_in) or {}).get("main") != main_id:
            continue
        version = facts.read(f"{name}/{VERSION_FILE}", read_version_file)
        source = Path(version.source) if version is not None else None
        if source is None or source == night_file or source.resolve() == resolved:
            ours.append(name)
        else:
            others.append((name, str(source)))
    facts.save()
    return tuple(ours), tuple(others)


@dataclass(frozen=True)
class Publishing:
    """How an edition of the night is published: as ``version``, keeping ``keep`` (a replate's)."""

    version: EditionVersion
    keep: EditionVersion | None = None


def _edition_step(progress: Progress, edition_id: str, step: str, done: int, total: int) -> None:
    progress(f"{step}: {edition_id}", done, total)


def publish_all(laid: LaidOutNight, out_root: Path, *, runner: Runner, pages: NightPages, base_url: str | None,
                 progress: Progress | None,
                 publishing: Callable[[EditionInNight, Sequence[PageTask]], Publishing | None]
                 ) -> tuple[BuildResult | None, ...]:
    """Each edition through the publishing pipeline, the main edition first: a zone's pages that are
    the main edition's are found in the store, not made again. Every page the night lacks is made
    on the runner (``pages``: the main edition's are under way already), a zone's own pages in a
    batch of its own, and each edition is published once the pages it prints are made, while the
    workers go on with the next edition's: edition by edition, the workers waited at the end of
    each edition's few pages, and while its files were written. ``publishing`` says how each
    edition is published once its pages are made, or None to leave it as it is (its result: None)."""
    record = laid.as_record()
    store = Store.of(out_root)
    tasks = [edition_page_tasks(edition.laid_out, store, edition.layout.key if edition.layout else None)
             for edition in laid.editions]
    for edition_tasks in tasks:
        pages.make(edition_tasks)
    results: list[BuildResult | None] = []
    counted: set[str] = set()
    try:
        for edition, edition_tasks in zip(laid.editions, tasks):
            cached = edition.layout
            keys = {task.key for task in edition_tasks}
            pages.wait(keys)
            how = publishing(edition, edition_tasks)
            if how is None:
                results.append(None)
                continue
            # (each edition's steps by its name: a night's log said "writing the epaper" seven times)
            of_edition = None if progress is None else functools.partial(_edition_step, progress, edition.id)
            results.append(publish_edition(edition.laid_out, edition.warnings, out_root, runner=runner,
                                           base_url=base_url, progress=of_edition,
                                           extra_report={"night": _night_report(edition, laid, record)},
                                           layout_key=cached.key if cached else None,
                                           sections=cached.sections if cached else None,
                                           made_before=frozenset(pages.made & keys - counted),
                                           version=how.version, keep=how.keep))
            counted |= keys  # a page made for the night counts as made in the first edition printing it
    except KeyboardInterrupt as stop:
        _note_a_mixed_night(stop, [r.out_dir.name for r in results if r is not None],
                            [e.id for e in laid.editions[len(results):]])
        raise
    return tuple(results)


def _note_a_mixed_night(stop: KeyboardInterrupt, published: Sequence[str], not_published: Sequence[str]) -> None:
    """Say on ``stop`` which editions a night stopped part-way published and which not (the night
    audit: stopped as the main edition was swapped in, it went to its next version while every zone
    stayed on the old one, printing the old story, and the desk was told nothing was published)."""
    if published and not_published:
        stop.add_note(f"The night is mixed: {', '.join(published)} published anew, {', '.join(not_published)} "
                      "as they were (their shared pages no longer the same) — run the same build-night again "
                      "to finish it.")


def _night_report(edition: EditionInNight, laid: LaidOutNight, record: dict) -> dict:
    """What ``report.json`` (and ``report.html``) says of the edition's place in the night."""
    main = laid.main
    return {
        **record,
        # Which editions print each page: this edition's pages only (each edition's report says its
        # own). Every edition's, in every report, grew as editions² × pages: a generated night of 30
        # zones wrote ~714 KB of it into each of its 31 reports.
        "editions": [entry if entry["id"] == edition.id else {k: v for k, v in entry.items() if k != "shared"}
                     for entry in record["editions"]],
        "edition": edition.id,
        "name": edition.night_edition.name,
        "is_main": edition.night_edition.is_main,
        "main_folder": f"../{main.id}",
        "differs_from_main": [_why_different(edition, p.number) for p in edition.pages if not p.same_as_main],
        "not_printed": [{"id": u.article_id, "reason": u.reason} for u in edition.night_edition.left_out],
    }


def _why_different(edition: EditionInNight, number: int) -> dict:
    """A page of the zone that is not the main edition's page of its number, and why: ``reason``
    (own, moved, front, ads — the zone's ad in the space of the main edition's —, pointers:
    ``report.html`` says it in the edition's language, messages ``night_why_<reason>``),
    ``main_page`` (the main edition's page it replays, if any) and ``why`` (the reason in English,
    for tools reading report.json)."""
    page = edition.pages[number - 1]
    if page.inherited_from is None:
        reason = "own"
    elif page.inherited_from != number:
        reason = "moved"
    elif number == 1:
        reason = "front"
    else:
        reason = "ads" if number in edition.night_edition.ads_in_place else "pointers"
    return {"page": number, "section": page.section, "reason": reason, "main_page": page.inherited_from,
            "why": ENGLISH.say(f"night_why_{reason}", main=page.inherited_from, page=number)}
