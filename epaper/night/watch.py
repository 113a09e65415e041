"""``epaper watch NIGHT_FILE``: the late hours of a night with zones. One process keeps every
edition of the night published in an output folder in step with the night's folders: a story saved
in the main edition's folder is replated on the main edition's page and on every zone page that
follows it (a zone page printing that page, a zone's own page printing that story, a zone's front
teasing it); a story saved in a zone's folder, on that zone's pages alone. A change of what the night
file says (its zones, their pages, sections or ads) or of what the main edition's ``edition.yaml``
says of the edition builds the night whole, as ``epaper build-night`` would.

It is :class:`epaper.watch.EditionWatch` for a night: the same loop (``epaper.cli``'s ``_watch``)
drives it. What changed is judged by content, each edition's published ``plan.json`` against the
folders as they are now (:class:`~epaper.night.layout.KeptUnlessChanged`): the main edition's
stories and ads before anything is laid out, a zone's when the zone has been resolved against the
main edition in the replate itself. So a look finds what changed in any folder of the night since
its last step, or at start since the night was published; an edition whose files come out as
published is left as it is, the others are published as their next version.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epaper.build import BuildResult, Reuse, edition_result
from epaper.cache import digest_of, forget_file_digests
from epaper.ingest.problems import Problem
from epaper.layout.lock import PLAN_FILE, LockError, changes_since, edition_state, read_plan_record
from epaper.model import Edition
from epaper.night.build import build_night
from epaper.night.layout import KeptUnlessChanged, Night, NightChanged, read_night
from epaper.night.replate import Published, replate_night
from epaper.night.spec import NightError
from epaper.night.unchanged import folder_files
from epaper.publish.versions import EditionVersion, read_version
from epaper.watch import WatchError

__all__ = ["NightReading", "NightStep", "NightWatch"]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class NightReading:
    """The night's folders as one look found them: the night (None, with ``problems``, when the
    night file or the main edition cannot be read) and a digest of everything the night is made
    from (the night file as read, the main edition's stories and ads, every zone folder's files)."""

    night: Night | None
    problems: tuple[Problem, ...] = ()
    state: str | None = None

    @property
    def edition(self) -> Edition | None:
        """The main edition (what the watch's loop asks of a reading)."""
        return self.night.main.edition if self.night is not None else None


@dataclass(frozen=True)
class NightStep:
    """What the night's folders, as ``reading`` found them, ask of the night published from them:
    build it whole (``build``, and why), or lay it out again where its folders changed
    (``follow``): the main edition's ``pages`` (with ``why``) and whatever a zone's own folder
    changed, which only laying the zone out finds."""

    reading: NightReading
    edition_id: str  # the main edition
    published: EditionVersion | None  # the main edition's version published now
    pages: tuple[int, ...] = ()
    why: tuple[str, ...] = ()
    build: str | None = None
    follow: bool = False

    @property
    def idle(self) -> bool:
        """Nothing to do: no folder of the night changed since the last step (or a step failed for
        it, and no save asks again)."""
        return not self.follow and self.build is None

    @property
    def doing(self) -> tuple[str, str]:
        """(What the step is, for a message about it stopped or failed; what it does, to say so.)"""
        if self.build is not None:
            return "the build of the whole night", f"building the whole night ({self.build})"
        if not self.pages:
            return "the replate of the night", "laying out again what changed in the zones' folders, if anything"
        plural = "s" if len(self.pages) != 1 else ""
        pages = ", ".join(map(str, self.pages))
        why = f" ({'; '.join(self.why)})" if self.why else ""
        return (f"the replate of page{plural} {pages}",
                f"replating page{plural} {pages} of the main edition and what follows in the zones{why}")


class NightWatch:
    """The night of ``night_file`` kept published in ``out_root`` (see the module): :meth:`read`
    looks at its folders, :meth:`next_step` says what they ask for, :meth:`run` does it. A whole
    build uses the published night's line breaker and base URL (``breaker`` and ``base_url``
    until one is). Raises :class:`~epaper.night.NightError` when the night file cannot be read at
    start (its folders are what is watched), :class:`~epaper.watch.WatchError` when ``out_root``
    is inside one of them."""

    # What a step stopped half-way (Ctrl-C) leaves: the night's editions are published one by one.
    STOPPED_MIDWAY = ("an edition it had published by then keeps its new version, the others stay as they were; the "
                      "watch finishes it when it starts again.")

    def __init__(self, night_file: Path, out_root: Path, *, workers: int = 2, breaker: str = "knuth-plass",
                 base_url: str | None = None, poll: bool = False) -> None:
        from epaper.night.spec import read_night_spec

        self.night_file = Path(night_file)
        self.out_root = Path(out_root)
        self.workers, self.breaker, self.base_url, self.poll = workers, breaker, base_url, poll
        self.folders = self._folders_of(read_night_spec(self.night_file))
        # The folders' state after the last step that was done (published, or found nothing to
        # publish), and after the last that failed: neither is taken again for the same state.
        self._settled: str | None = None
        self._failed: str | None = None
        self._kept: dict[tuple[str, str], Any] = {}  # the last replate's layout (lay_out_night's ``kept``)

    def _folders_of(self, spec) -> tuple[Path, ...]:  # type: ignore[no-untyped-def]
        """The folders the night's editions are read from: the main edition's and each zone's that
        exists (one made later is found by the watch's own looks, and watched from then on). The
        night file's folder is not watched (it may hold anything, the output too): a change of the
        night file is found by those looks, every few seconds."""
        folders = tuple(dict.fromkeys(folder.resolve() for folder in (
            spec.main, *(variant.folder for variant in spec.variants)) if folder.is_dir()))
        out = self.out_root.resolve()
        for folder in folders:
            if out == folder or out.is_relative_to(folder):
                raise WatchError(f"{self.out_root}: inside {folder}, which the watch reads for the night "
                                 f"{self.night_file} — choose an --out outside it")
        return folders

    def read(self) -> NightReading:
        """The night's folders as they are now (files that did not change as an earlier build read
        them; with ``poll``, every file's bytes read again, as :meth:`EditionWatch.read` does).
        Raises OSError when a zone's file cannot be read."""
        if self.poll:
            forget_file_digests()
        try:
            night = read_night(self.night_file, self.out_root if self.out_root.is_dir() else None)
        except NightError as error:
            return NightReading(None, error.problems)
        self.folders = self._folders_of(night.spec)  # a night file that names other folders now: those
        zones = tuple(folder_files(variant.folder) for variant in night.spec.variants)
        return NightReading(night, state=digest_of(night.spec.fingerprint, edition_state(night.main.edition), zones))

    def next_step(self, reading: NightReading, *, saved: bool = True) -> NightStep:
        """What ``reading`` asks for (see :class:`NightStep`): the night built whole when an edition
        it names is not published from this night file (none yet, or a build of it was stopped
        half-way), or when what the night file or the main edition's ``edition.yaml`` says changed
        since an edition was published; else laid out again where something changed since the last
        step (at start: since it was published); nothing for a state the last step was done for,
        nor, unless ``saved``, for one a step failed for."""
        night = reading.night
        assert night is not None and reading.state is not None
        main = night.main.edition
        ids = [main.id, *(dataclasses.replace(main, edition=variant.edition).id for variant in night.spec.variants)]
        versions = {edition_id: read_version(self.out_root / edition_id) for edition_id in ids}
        version = versions[main.id]
        unpublished = [edition_id for edition_id, found in versions.items() if found is None
                       or found.night_edition is None or Path(found.source).resolve() != self.night_file.resolve()]
        if unpublished:
            return NightStep(reading, main.id, version, build=f"{', '.join(unpublished)} not published in "
                                                              f"{self.out_root} from {self.night_file}")
        assert version is not None
        if any(found is not None and found.night_fingerprint not in (None, night.spec.fingerprint)
               for found in versions.values()):
            return NightStep(reading, main.id, version, build=f"{self.night_file.name} changed")
        try:
            record = read_plan_record(self.out_root / main.id / PLAN_FILE)
        except LockError:
            return NightStep(reading, main.id, version, build=f"{self.out_root / main.id / PLAN_FILE} cannot be read")
        changes = changes_since(record, main)
        if changes.elsewhere is not None:
            return NightStep(reading, main.id, version, build=changes.elsewhere)
        if reading.state == self._settled or (not saved and reading.state == self._failed):
            return NightStep(reading, main.id, version)
        return NightStep(reading, main.id, version, pages=changes.pages, why=changes.why, follow=True)

    def run(self, step: NightStep, *, progress: Progress | None = None,
            on_wait: Callable[[str], None] | None = None) -> BuildResult:
        """Do ``step``: its main edition's result, the other editions published with it in its
        ``also`` (raises what :func:`~epaper.night.build.build_night` and
        :func:`~epaper.night.replate.replate_night` raise). A replate that finds an edition changed
        in its whole (:class:`~epaper.night.layout.NightChanged`: a zone's sections, say) builds
        the night whole instead."""
        night = step.reading.night
        assert night is not None
        started = time.perf_counter()
        try:
            if step.follow:
                try:
                    result = self._replate(step, night, progress, on_wait)
                except NightChanged:
                    result = self._build(step, progress, on_wait)
            else:
                result = self._build(step, progress, on_wait)
        except Exception:
            self._failed = step.reading.state
            raise
        self._settled = step.reading.state
        return dataclasses.replace(result, seconds=time.perf_counter() - started)

    def _build(self, step: NightStep, progress: Progress | None, on_wait: Callable[[str], None] | None) -> BuildResult:
        version = step.published
        breaker, base_url = ((version.breaker, version.base_url) if version is not None
                             else (self.breaker, self.base_url))
        built = build_night(self.night_file, self.out_root, workers=self.workers, breaker=breaker, base_url=base_url,
                            progress=progress, on_wait=on_wait)
        if not built.editions:  # unchanged since its last build, which this watch did not see
            raise NightChanged(f"the night {self.night_file} is as its last build into {self.out_root} made it")
        first, *others = built.editions
        return dataclasses.replace(first, also=tuple(others))

    def _replate(self, step: NightStep, night: Night, progress: Progress | None,
                 on_wait: Callable[[str], None] | None) -> BuildResult:
        def kept(published: Published) -> dict[str, KeptUnlessChanged]:
            return {edition_id: KeptUnlessChanged(read_plan_record(folder / PLAN_FILE))
                    for edition_id, (folder, _) in published.items()}

        version = step.published
        assert version is not None
        laid, results = replate_night(self.out_root, night, kept, asked=None, again=set(), breaker=version.breaker,
                                      base_url=version.base_url, workers=self.workers, progress=progress,
                                      on_wait=on_wait, kept_layout=self._kept)
        memos = [edition.layout.sections for edition in laid.editions if edition.layout is not None]
        if memos:  # what the night's editions read or made is what the next replate reads
            memos[0].keep_only_used(*memos[1:])
        published = [result for result in results if result is not None]
        if published:
            first, *others = published
            return dataclasses.replace(first, also=tuple(others))
        main = laid.main  # nothing came out other than published: the main edition's version stays
        return edition_result(self.out_root / main.id, main.laid_out, time.perf_counter(), main.warnings, Reuse(),
                              version=version, published=False)
