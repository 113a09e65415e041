"""``epaper watch``: the late hours. One process keeps the edition published in an output folder in
step with its edition folder: each time the desk saves a story, the pages printing it are replated
(:func:`~epaper.build.replate_pages`: the next numbered version, the rest of the edition as it was;
a page whose ad changed likewise; a story new to a section, or moved there, has that section's pages
planned again); a change of what ``edition.yaml`` says of the edition builds it whole, as ``epaper
build`` would.

It is the same work as ``epaper replate`` run by hand, but a process that stays: Python, the
libraries, the fonts, the hyphenation patterns and the colour tables are loaded once, and the layout
the last build read or made (every page's frame, every section's plan) is kept in memory for the
next one (:class:`~epaper.memos.StoredSections`), where a new ``epaper replate`` process reads it
back from the build cache each time. What to do is decided from the content, not from which files
the editor touched: the stories' fingerprints in the published ``plan.json`` against the folder as
it is now (:func:`~epaper.layout.lock.changes_since`), so a file saved without a change makes no
version, and changes made while nothing watched are found when it starts. The command's loop (what
is printed, a fault or Ctrl-C in the middle of a step) is ``epaper.cli``'s ``_watch``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epaper.build import (BuildResult, build_edition, lay_out_cached, read_edition_cached, replate_pages,
                          warm_page_products)
from epaper.cache import Store, forget_file_digests
from epaper.ingest import EditionReading
from epaper.layout.lock import PLAN_FILE, LockError, changes_since, edition_state, read_plan_record
from epaper.publish.versions import EditionVersion, read_version
from epaper.typeset.hyphenate import pattern_points
from epaper.web.templating import load_templates

__all__ = ["STEPS_PER_SAVE", "EditionWatch", "WatchError", "WatchStep", "saved_files"]

# A save is taken once the folder has been quiet this long (an editor or a CMS export writes a file,
# or several, in a burst), and at the latest after DEBOUNCE_MS of steady writing.
QUIET_MS = 100
DEBOUNCE_MS = 1600
WAKE_MS = 200
LOOK_AGAIN_S = 5.0  # with no event, the folder is looked at anyway (see saved_files)
STEPS_PER_SAVE = 5  # steps one after another for one save, at most: stories saved while the one before ran


class WatchError(Exception):
    """The watch cannot go on: the message names the folder and what to do instead."""


@dataclass(frozen=True)
class WatchStep:
    """What the edition folder, as ``reading`` found it, asks of the edition ``edition_id`` published
    from it. The step is made from that reading, not from the folder as it is when the step runs: a
    story saved meanwhile is the next step's (:meth:`EditionWatch.run`)."""

    reading: EditionReading
    edition_id: str
    published: EditionVersion | None  # the version published now (None: none from this folder)
    pages: tuple[int, ...] = ()  # replate these (:func:`~epaper.layout.lock.changes_since`), every other page kept
    why: tuple[str, ...] = ()  # what asks for them to be planned again, besides stories' words and ads
    build: str | None = None  # build the edition whole, and why (what edition.yaml says of it changed)

    @property
    def idle(self) -> bool:
        """Nothing to do: nothing any page prints changed (a file saved as it was, one the edition
        does not read), or a step found nothing to publish for this content before."""
        return not self.pages and self.build is None

    @property
    def doing(self) -> tuple[str, str]:
        """(What the step is, for a message about it stopped or failed; what it does, to say so.)"""
        if not self.pages:
            return "the build of the whole edition", f"building the whole edition ({self.build})"
        plural = "s" if len(self.pages) != 1 else ""
        pages = ", ".join(map(str, self.pages))
        return (f"the replate of page{plural} {pages}",
                f"replating page{plural} {pages}" + (f" ({'; '.join(self.why)})" if self.why else ""))


class EditionWatch:
    """The edition in ``edition_dir`` kept published in ``out_root``: :meth:`next_step` says what the
    folder asks for, :meth:`run` does it. Builds take ``workers`` processes; a whole build uses the
    published edition's line breaker and base URL (``breaker`` and ``base_url`` until one is)."""

    # What a step stopped half-way (Ctrl-C) leaves: a replate or build publishes at its very end.
    STOPPED_MIDWAY = ("nothing of it is published, the edition stays as it was; the change is taken when the watch "
                      "starts again (or replate by hand).")

    def __init__(self, edition_dir: Path, out_root: Path, *, workers: int = 2, breaker: str = "knuth-plass",
                 base_url: str | None = None, poll: bool = False) -> None:
        self.edition_dir = Path(edition_dir)
        self.poll = poll  # a network share: every file read again at each look (see read)
        self.out_root = Path(out_root)
        self.workers = workers
        self.breaker = breaker
        self.base_url = base_url
        self._kept: dict[tuple[str, str], Any] = {}  # the last build's layout (StoredSections' ``kept``)
        # (The folder's content, the version published) when a step found nothing to publish, and
        # when one failed: the same step is not taken again for the same two (see next_step).
        self._fruitless: tuple[str, int] | None = None
        self._failed: tuple[str, int] | None = None
        self.folders = (self.edition_dir,)  # what saved_files watches
        source, out = self.edition_dir.resolve(), self.out_root.resolve()
        if out == source or out.is_relative_to(source):
            raise WatchError(f"{out_root}: inside the edition folder {edition_dir}, which the watch reads — "
                             "choose an --out outside it")

    def read(self) -> EditionReading:
        """The edition folder as it is now (the files that did not change as an earlier build read
        them). A file is known unchanged by its time and size; with ``poll`` (a network share,
        whose times may be whole seconds) every file's bytes are read again."""
        if self.poll:
            forget_file_digests()
        return read_edition_cached(self.edition_dir, self.out_root)

    def next_step(self, reading: EditionReading, *, saved: bool = True) -> WatchStep:
        """What the folder ``reading`` found asks for, judged by content against the published
        ``plan.json`` (:func:`~epaper.layout.lock.changes_since`: the stories' fingerprints, each
        page's ads, what ``edition.yaml`` says of the edition). Nothing, for the content and the
        version a step found nothing to publish for (a story left out, changed, still left out:
        ``plan.json`` keeps it as it was, and would ask again and again); nor, unless ``saved`` (a
        save, not a look of the watch's own), for those a step failed for: a save tries again.
        Raises :class:`WatchError` for an output the watch must not touch."""
        assert reading.edition is not None
        edition_id = reading.edition.id
        folder = self.out_root / edition_id
        version = read_version(folder) if folder.is_dir() else None
        if version is None:
            return WatchStep(reading, edition_id, None,
                             build=f"no edition {edition_id} is published in {self.out_root} yet")
        if version.night_edition is not None:
            raise WatchError(f"{folder}: an edition of the night {version.source} (epaper build-night), whose "
                             f"zones follow its pages — watch the night: epaper watch {version.source} "
                             f"--out {self.out_root}")
        if Path(version.source).resolve() != self.edition_dir.resolve():
            return WatchStep(reading, edition_id, version,
                             build=f"{folder.name} in {self.out_root} was built from {version.source}")
        try:
            record = read_plan_record(folder / PLAN_FILE)
        except LockError:  # no plan.json, or one from another epaper
            return WatchStep(reading, edition_id, version, build=f"{folder / PLAN_FILE} cannot be read")
        changes = changes_since(record, reading.edition)
        if changes.pages or changes.elsewhere is not None:
            tried = (edition_state(reading.edition), version.number)
            if tried == self._fruitless or (not saved and tried == self._failed):
                return WatchStep(reading, edition_id, version)
        if changes.elsewhere is not None:
            return WatchStep(reading, edition_id, version, build=changes.elsewhere)
        return WatchStep(reading, edition_id, version, pages=changes.pages, why=changes.why)

    def warm(self, step: WatchStep) -> None:
        """Before the first save, when ``step`` found the published edition up to date: read its
        layout into memory (every section's plan, every page's frame: what the first replate would
        read from the build cache; a frame's items stay pickled until a replate needs them, and what
        the stages after layout ask of every page comes beside them), compile the viewer's
        templates, load the stories' hyphenation patterns and make the front's products once,
        thrown away (the fonts, colour tables and rasterizer loaded) — what a replate otherwise does
        the first time, the desk waiting."""
        edition, version = step.reading.edition, step.published
        if not step.idle or edition is None or version is None:
            return
        record = read_plan_record(self.out_root / step.edition_id / PLAN_FILE)
        numbers = [entry["number"] for entry in record["pages"]]
        try:
            laid_out, cached = lay_out_cached(edition, Store.of(self.out_root), breaker=version.breaker,
                                              lock=record, lock_pages=numbers, kept=self._kept)
        except LockError:  # the record no longer locks (a font or format changed): the replate says so
            return
        cached.sections.keep_only_used()
        load_templates()
        for language in {article.language for article in edition.articles}:
            pattern_points("newspaper", language)
        warm_page_products(laid_out, laid_out.pages[0].number, self.out_root)

    def run(self, step: WatchStep, *, progress: Callable[[str, int, int], None] | None = None,
            on_wait: Callable[[str], None] | None = None) -> BuildResult:
        """Do ``step``, from the reading it was decided on: replate its pages, or build the edition
        whole (raises what :func:`~epaper.build.build_edition` and :func:`~epaper.build.replate_pages`
        raise)."""
        assert step.reading.edition is not None
        tried = (edition_state(step.reading.edition), step.published.number if step.published else 0)
        try:
            if step.pages:
                result = replate_pages(self.out_root, step.pages, edition_id=step.edition_id, workers=self.workers,
                                       progress=progress, on_wait=on_wait, kept=self._kept, reading=step.reading)
            else:
                version = step.published
                breaker, base_url = ((version.breaker, version.base_url) if version is not None
                                     else (self.breaker, self.base_url))
                result = build_edition(self.edition_dir, self.out_root, workers=self.workers, breaker=breaker,
                                       base_url=base_url, progress=progress, on_wait=on_wait, kept=self._kept,
                                       reading=step.reading)
        except Exception:
            self._failed = tried
            raise
        if not result.published:
            self._fruitless = tried
        return result


def _made_and_gone(change: object, path: str, batch: set) -> bool:
    """Whether ``path`` was created in ``batch`` and is not there now (watchfiles' changes)."""
    import watchfiles

    created = change == watchfiles.Change.added or any(
        c == watchfiles.Change.added and p == path for c, p in batch)
    return created and not os.path.lexists(path)


def saved_files(*folders: Path, poll: bool = False) -> Generator[tuple[str, ...], None, None]:
    """First an empty tuple, as soon as the ``folders`` are watched (a look at them after it misses
    no save); then the files saved, created or deleted (sorted, each relative to the folders' common
    parent), each time the folders have been quiet :data:`QUIET_MS` after a change — and an empty
    tuple again after each :data:`LOOK_AGAIN_S` without one, to look anyway (a poll sees a file by
    its time and size: a second save within the same second and of the same size raises no event).
    ``poll``: look every 300 ms instead of being told by the system (a folder on a network share,
    where changes made on another machine raise no event here). Ends with KeyboardInterrupt (Ctrl-C)."""
    import watchfiles  # only this command watches

    roots = [Path(folder).absolute() for folder in folders]
    base = Path(os.path.commonpath(roots)) if len(roots) > 1 else roots[0]
    watching, quiet_since = False, time.monotonic()
    # Woken every WAKE_MS with nothing (yield_on_timeout): the first wake says the watch is on.
    for batch in watchfiles.watch(*roots, debounce=DEBOUNCE_MS, step=QUIET_MS, force_polling=poll or None,
                                  rust_timeout=WAKE_MS, yield_on_timeout=True):
        if not watching:
            watching = True
            yield ()
        # A file made and gone within the batch (an editor's or sed's temporary copy, renamed over
        # the story) is no save of the desk's: not named ("Saved articles/sedfgxbg7").
        files = tuple(sorted({Path(os.path.relpath(path, base)).as_posix() for change, path in batch
                              if not _made_and_gone(change, path, batch)}))
        if files or time.monotonic() - quiet_since > LOOK_AGAIN_S:
            quiet_since = time.monotonic()
            yield files
