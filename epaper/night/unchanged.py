"""An unchanged night is left as it is: what a night is made from, and what its last build left in the
output folder, remembered after each build.

Building a night again reads the main edition and every zone, loads every layout, finds every
page's products in the store and publishes every edition folder anew — tens of seconds for files
that come out the same. Instead, after a build, the night's **inputs** are remembered in the build
cache under their digest (the code, night.yaml, every file of the main edition's and the zones'
folders by name, place and bytes, the files outside them that an edition prints, the options),
together with the **output's state**: every file below the output folder (but the store) by its
path, inode, size, modification and change time, except inside other editions' folders and tile
sets, which count by their own entry (:func:`output_state`). A file rewritten, replaced, added or
removed changes that state (a change time cannot be set back), and so does a build of another
edition into the same folder; then the night is built as usual (and the cache makes it quick).

When the inputs' digest is remembered and the output's state is still the one recorded, every
edition folder is exactly what publishing again would give (but the report's timings and cache
figures, which keep telling of the build that made it): nothing is read, laid out or written.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path

from epaper.cache import STORE_DIR, Store, code_fingerprint, digest_of, file_digest
from epaper.frame import Unplaced
from epaper.ingest.problems import LEFT_OUT_TO_FIT, PAGE_NOT_FILLED
from epaper.layout.omissions import Hole, holes
from epaper.night.spec import NightSpec
from epaper.publish.versions import VERSION_FILE
from epaper.tile_sets import tile_sets_named_by_edition
from epaper.urls import TILE_SETS_DIR

__all__ = ["EditionSummary", "HoleInNight", "NightInputs", "folder_files", "remember_night", "unchanged_night"]

STAGE = "night-published"  # the night's inputs -> the output's state after building them


@dataclass(frozen=True)
class HoleInNight:
    """A page of one edition that goes to press blank or with a hole, and what else prints it: a
    zone's page that is the main edition's (``main_page``: filled there, the zone follows), and the
    other editions printing this very page (``shared_with``: one plate's hole, not several)."""

    hole: Hole
    main_page: int | None = None
    shared_with: tuple[str, ...] = ()

    def __str__(self) -> str:
        said = [f"the main edition's page {self.main_page}"] if self.main_page is not None else []
        if self.shared_with:
            said.append(f"also printed by {', '.join(self.shared_with)}")
        return f"{self.hole}" + (f" ({'; '.join(said)})" if said else "")


@dataclass(frozen=True)
class EditionSummary:
    """What the desk is told of one edition of a night (remembered, so that an unchanged night's
    re-run tells it again without laying anything out)."""

    id: str
    pages: int
    differing_pages: tuple[int, ...]  # pages that are not the main edition's page of that number
    unplaced: tuple[Unplaced, ...]
    warnings: int
    pages_made: tuple[int, ...] = ()
    pages_reused: tuple[int, ...] = ()
    holes: tuple[HoleInNight, ...] = ()  # its pages going to press blank or with a hole (each is a warning too)
    # The night file's warnings about it (a misspelt field, a zone ad's artwork): the desk wrote the
    # file, so each is said where it looks, not only counted (each is among ``warnings`` too).
    night_file_warnings: tuple[str, ...] = ()
    # Of ``warnings``, how many are a photo, kicker, deck or byline left out so a story fits (counted:
    # the routine price of full pages), and the others but the night file's and the holes (said in
    # full: a count of 34 hid the one photo too coarse to print).
    left_out: int = 0
    others: tuple[str, ...] = ()

    @classmethod
    def of(cls, edition, result, night_file: str = "") -> "EditionSummary":  # type: ignore[no-untyped-def]
        """From an :class:`~epaper.night.layout.EditionInNight` and its :class:`~epaper.build.BuildResult`;
        ``night_file``: the night file's name, as its warnings name it."""
        # Every hole of the edition is said under it (the desk reads each edition's summary as what
        # that edition prints); one on a page that is the main edition's says so, and which
        # editions print the same page, so that it is seen as one hole to fill in one place.
        pages = {page.number: page for page in edition.pages}
        main = edition.night_edition.is_main
        found = tuple(HoleInNight(hole, None if main else pages[hole.page].inherited_from,
                                  pages[hole.page].shared_with) for hole in holes(edition.laid_out))
        said = tuple(str(w) for w in edition.warnings if night_file and w.file == night_file)
        left_out = sum(w.kind == LEFT_OUT_TO_FIT for w in edition.warnings)
        others = tuple(str(w) for w in edition.warnings
                       if w.kind not in (LEFT_OUT_TO_FIT, PAGE_NOT_FILLED) and str(w) not in said)
        return cls(edition.id, len(edition.pages), edition.differing_pages, edition.laid_out.unplaced,
                   len(edition.warnings), result.reuse.pages_made, result.reuse.pages_reused, found, said,
                   left_out, others)

    def left_as_built(self) -> "EditionSummary":
        """The same edition, found unchanged: nothing made, every page as published."""
        return replace(self, pages_made=(), pages_reused=tuple(range(1, self.pages + 1)))


@dataclass(frozen=True)
class NightInputs:
    """A night file and the options that change what it is built into (not ``--workers`` or a
    scheduler: the files are the same on any number of processes or machines)."""

    spec: NightSpec
    breaker: str
    base_url: str | None

    def key(self) -> str | None:
        """The digest of what the night's editions are made from (but the files an edition prints
        from outside the night's folders: see :class:`_Published`), or None when a file cannot be
        read (then the night is built as usual, and reading it says what is wrong)."""
        spec = self.spec
        try:
            folders = tuple((str(folder.absolute()), folder.is_dir(), folder_files(folder))
                            for folder in (spec.main, *(variant.folder for variant in spec.variants)))
            return digest_of(STAGE, code_fingerprint(), str(spec.path.absolute()), spec.path, folders,
                             self.breaker, self.base_url)
        except OSError:
            return None


def folder_files(folder: Path) -> tuple[tuple[str, str, Path], ...]:
    """Every file below ``folder`` as a key sees it: its name there, what it really is (a link's
    target) and, digested, its bytes; hidden ones left out, as ingest passes them over (an
    editor's swap file). Raises OSError when one cannot be read."""
    if not folder.is_dir():
        return ()
    files = sorted(p for p in folder.rglob("*")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    return tuple((p.relative_to(folder).as_posix(), os.path.realpath(p), p) for p in files)


@dataclass(frozen=True)
class _Published:
    outside: tuple[tuple[str, str], ...]  # files printed from outside the night's folders: (path, digest)
    state: str                # the output folder's state after the build (see output_state)
    summary: tuple[EditionSummary, ...]


def output_state(out_root: Path, editions: Collection[str]) -> str:
    """A digest of what a night whose editions are ``editions`` (ids) left in ``out_root``: every
    file and link below the output folder (but the store) by its path, inode, size, modification
    and change time — except inside the other editions' folders and the tile sets the night's
    editions do not name, which count by their own entry alone. Writing, replacing, linking, adding
    or removing any file of the night's, or the archive's, changes it, and so does building,
    replacing or removing any other edition or tile set beside them; a month of other editions'
    nights (1,800 folders, ~900,000 files: 7 s a walk) is not walked at every build of the night."""
    editions = set(editions)
    named = {name for edition in editions for name in tile_sets_named_by_edition(out_root / edition)}
    entries: list[tuple[str, int, int, int, int]] = []

    def gone_through(prefix: str, name: str) -> bool:
        if prefix == "":  # not another edition's folder (the archive's, a staging folder, tiles/ itself)
            return name in editions or not os.path.isfile(os.path.join(out_root, name, VERSION_FILE))
        if prefix == f"{TILE_SETS_DIR}/":
            return name in named
        return True

    _state_below(str(out_root), "", entries, gone_through)
    # Hashed as one text (each path led by its length, so no two lists read alike): a night's own
    # files and tiles are thousands of entries (14,000 for one edition keeping 18 versions), and
    # digest_of's general encoding took ~0.1 s of those.
    state = hashlib.sha256()
    for path, *numbers in entries:
        state.update(f"{len(path)}:{path} {' '.join(map(str, numbers))}\n".encode("utf-8", "surrogateescape"))
    return state.hexdigest()


def _state_below(folder: str, prefix: str, entries: list,  # type: ignore[type-arg]
                 gone_through: Callable[[str, str], bool]) -> None:
    # scandir's entry types come with the listing: only files and links cost a stat (a night's
    # output has twice as many tile folders as files). A folder not gone through counts by its own
    # entry: replaced, its inode changes; an entry added, removed or renamed in it, its times.
    with os.scandir(folder) as listing:
        found = sorted(listing, key=lambda entry: entry.name)
    for entry in found:
        if not prefix and entry.name == STORE_DIR:
            continue
        if entry.is_dir(follow_symlinks=False) and gone_through(prefix, entry.name):
            _state_below(entry.path, f"{prefix}{entry.name}/", entries, gone_through)
        else:
            stat = entry.stat(follow_symlinks=False)
            entries.append((prefix + entry.name, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))


def _outside_files(spec: NightSpec, laid) -> tuple[tuple[str, str], ...]:  # type: ignore[no-untyped-def]
    """Photos and ads an edition of ``laid`` (a LaidOutNight) prints from outside the night's
    folders, with the digests of their bytes."""
    roots = [folder.resolve() for folder in (spec.main, *(variant.folder for variant in spec.variants))]
    paths = set()
    for edition in laid.editions:
        model = edition.laid_out.edition
        paths |= {photo.path for article in model.articles for photo in article.photos}
        paths |= {ad.image for ad in model.ads if ad.image is not None}
    outside = sorted(str(Path(p).resolve()) for p in paths
                     if not any(Path(p).resolve().is_relative_to(root) for root in roots))
    return tuple((name, file_digest(name)) for name in outside)


def remember_night(inputs: NightInputs, key: str | None, laid, summary: tuple[EditionSummary, ...],  # type: ignore[no-untyped-def]
                   out_root: Path, store: Store) -> None:
    """Remember the night just built (``laid``: its LaidOutNight) from the inputs whose key was
    ``key`` before it read them, and the output folder's state. Nothing is remembered when a file
    changed meanwhile (what was built may be from the file before or after). Call last, with the
    output folder's lock held: nothing may change the folder afterwards."""
    outside = _outside_files(inputs.spec, laid)
    if key is None or inputs.key() != key:
        return
    store.write_memo(STAGE, key, _Published(outside, output_state(out_root, _ids(summary)), summary))


def _ids(summary: tuple[EditionSummary, ...]) -> set[str]:
    return {edition.id for edition in summary}


def unchanged_night(key: str | None, out_root: Path, store: Store) -> tuple[EditionSummary, ...] | None:
    """The night's editions if its last build into ``out_root`` was made from the inputs of ``key``
    (:meth:`NightInputs.key`) and nothing below ``out_root`` changed since; else None. Call with the
    output folder's lock held."""
    found = store.read_memo(STAGE, key) if key is not None else None
    if not isinstance(found, _Published):
        return None
    try:
        if any(file_digest(name) != digest for name, digest in found.outside):
            return None
    except OSError:
        return None
    if output_state(out_root, _ids(found.summary)) != found.state:
        return None
    return tuple(edition.left_as_built() for edition in found.summary)
